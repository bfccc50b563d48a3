"""A household's own recipes: read from lines of text into foods and grams, checked, and
stored private to the household beside the curated library (which stays read-only).

An own recipe keeps its ingredient lines as written and as read (IngredientLine); its
ingredient rows (food, grams a serving) are derived from them, so nutrients, tags, allergens,
diets, plants and every safety rule come out exactly as for a curated recipe.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.i18n import N_
from planner.clock import utc_now
from planner.data import vocabulary
from planner.foods.records import Record, validate_record, with_derived_tags
from planner.foods.store import apply_record, free_slug, sync_tags
from planner.foods.usda import record_of, usda_food
from planner.models import Food, Recipe, RecipeImage, RecipeIngredient
from planner.recipes.amounts import to_grams
from planner.recipes.lines import HEADER_NOTE, parse_line
from planner.recipes.matching import Matcher
from planner.recipes.measures import measures_of
from planner.recipes.photos import Photo
from planner.recipes.records import MAX_KEEPS_DAYS, MAX_TITLE, MEALS
from planner.recipes.safety import keeping_limit, safety_problems, safety_rules
from planner.refused import Conflict, Invalid, NotFound, TooLarge
from planner.transaction import committed, serialised

MAX_LINES = 100
MAX_LINE = 300
MAX_STEPS = 60
MAX_STEP = 1000
MAX_NOTES = 4000
MAX_SERVINGS = 50
MAX_MINUTES = 48 * 60
MAX_OWN_RECIPES = 1000  # a household's own recipes: far more than a family cooks
# Below this a match is a guess: the line is shown for the cook to choose the food.
SURE = 0.9
LEFT_OUT = "none"  # a line's choice: leave it out of the numbers
GUESS = 0.7  # below this a match is not even a guess worth counting: the cook chooses
MIN_GRAMS = 0.01  # a serving's share of a pinch still counts; less is nothing


@dataclass(frozen=True)
class IngredientLine:
    """One ingredient line as written and as read."""

    text: str
    quantity: float | None = None
    unit: str | None = None
    words: str = ""  # the food words read from the line
    preparation: str = ""
    optional: bool = False
    header: bool = False  # "For the sauce:"
    food: str | None = None  # the food's slug, once matched or chosen
    food_name: str = ""
    confidence: float = 0.0  # 1: chosen by the cook or an exact name
    grams: float | None = None  # in the whole recipe
    how: str = ""  # how the grams were worked out

    @property
    def counted(self) -> bool:
        """Whether the line adds a food and its grams to the recipe."""
        return self.food is not None and bool(self.grams)

    @property
    def needs_choice(self) -> bool:
        """A line the cook must look at: no food found, or no amount for a food that needs one."""
        if self.header or (self.optional and self.quantity is None) or (self.food is None and self.confidence >= 1):
            return False  # a heading, "to taste", or a line the cook chose to leave out
        return self.food is None or self.grams is None or self.confidence < SURE

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> IngredientLine:
        return cls(**{name: raw[name] for name in cls.__dataclass_fields__ if name in raw})


@dataclass(frozen=True)
class RecipeInput:
    """What a cook gives for an own recipe."""

    title: str
    meals: tuple[str, ...]
    servings: int
    prep_minutes: int  # hands-on
    total_minutes: int  # to the table
    lines: tuple[str, ...]
    steps: tuple[str, ...]
    kid_friendly: bool = False
    keeps_days: int = 0
    description: str = ""
    notes: str = ""
    source_url: str | None = None
    chosen: Mapping[int, str] = field(default_factory=dict)  # line number -> the food slug the cook chose


def _slugify(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:60] or "recipe"


def read_lines(texts: Sequence[str], foods: Mapping[str, Record], matcher: Matcher,
               chosen: Mapping[int, str] | None = None) -> tuple[list[IngredientLine], dict[str, Record]]:
    """Each line read into quantity, unit, food and grams, with the record of every food they
    name (a USDA food's as it will be stored). A line is never dropped: one that cannot be
    matched or weighed keeps its text and says so (needs_choice)."""
    chosen = chosen or {}
    found, named = [], {}
    for number, text in enumerate(texts):
        parsed = parse_line(text)
        line = IngredientLine(text=text, quantity=parsed.quantity, unit=parsed.unit, words=parsed.food,
                              preparation=parsed.preparation, optional=parsed.optional,
                              header=parsed.note == HEADER_NOTE)
        key, confidence = chosen.get(number), 1.0
        if key == LEFT_OUT:  # the cook chose to leave it out of the numbers
            found.append(replace(line, confidence=1.0))
            continue
        if key is None and parsed.food and not line.header:
            match = matcher.match(parsed.food)
            if match is not None and match.confidence >= GUESS:
                key, confidence = match.key, match.confidence
        record = None if key is None or line.header else food_record(key, foods)
        if record is None:
            found.append(line)
            continue
        named[record["slug"]] = record
        grams = to_grams(parsed, measures_of(record))
        found.append(replace(line, food=record["slug"], food_name=record["name"], confidence=round(confidence, 2),
                             grams=None if grams is None else round(grams.grams, 1),
                             how="" if grams is None else grams.how))
    return found, named


def food_record(key: str, foods: Mapping[str, Record]) -> Record | None:
    """The record of a matched or chosen food: a catalog food by slug, or a USDA one by
    "usda:<ndb>" (as it will be stored once a recipe uses it)."""
    if key.startswith("usda:"):
        food = usda_food(key.removeprefix("usda:"))
        return None if food is None else with_derived_tags(record_of(food, usda_slug(food.ndb, food.name)))
    return foods.get(key)


def usda_slug(ndb: str, name: str) -> str:
    """The slug a USDA food gets once a recipe uses it: its name and NDB number."""
    return f"{_slugify(name.split(',')[0])[:50]}-usda-{ndb}"


def check_input(data: RecipeInput) -> dict[str, str]:
    """What is wrong with the cook's input, by field (empty when nothing is)."""
    errors: dict[str, str] = {}
    if not data.title.strip() or len(data.title) > MAX_TITLE:
        errors["title"] = f"Give a title of up to {MAX_TITLE} characters."
    if not data.meals or any(meal not in MEALS for meal in data.meals):
        errors["meals"] = "Choose at least one meal: " + ", ".join(MEALS) + "."
    if not 1 <= data.servings <= MAX_SERVINGS:
        errors["servings"] = f"Servings must be a whole number from 1 to {MAX_SERVINGS}."
    if not 0 <= data.prep_minutes <= MAX_MINUTES:
        errors["prep_minutes"] = f"Hands-on minutes must be from 0 to {MAX_MINUTES}."
    if not data.prep_minutes <= data.total_minutes <= MAX_MINUTES:
        errors["total_minutes"] = "Minutes to the table must be at least the hands-on minutes " \
                                  f"and at most {MAX_MINUTES}."
    lines = [line for line in data.lines if line.strip()]
    if not lines:
        errors["lines"] = N_("Give at least one ingredient line.")
    elif len(lines) > MAX_LINES or any(len(line) > MAX_LINE for line in lines):
        errors["lines"] = f"At most {MAX_LINES} ingredient lines of up to {MAX_LINE} characters each."
    steps = [step for step in data.steps if step.strip()]
    if len(steps) > MAX_STEPS or any(len(step) > MAX_STEP for step in steps):
        errors["steps"] = f"At most {MAX_STEPS} steps of up to {MAX_STEP} characters each."
    if not 0 <= data.keeps_days <= MAX_KEEPS_DAYS:
        errors["keeps_days"] = f"Days it keeps must be from 0 to {MAX_KEEPS_DAYS}."
    if len(data.notes) > MAX_NOTES:
        errors["notes"] = f"Notes take at most {MAX_NOTES} characters."
    if len(data.description) > 240:
        errors["description"] = N_("A description takes at most 240 characters.")
    return errors


@dataclass(frozen=True)
class Draft:
    """An own recipe worked out from the cook's input, ready to store or to show back."""

    record: Record  # the recipe record the planner and checker read
    lines: tuple[IngredientLine, ...]
    foods: Mapping[str, Record]  # every food the record names
    problems: tuple[str, ...]  # safety rules it breaks: it is not stored until they are put right
    keeping_note: str  # why it keeps fewer days than asked, if it does


def draft_recipe(data: RecipeInput, foods: Mapping[str, Record], matcher: Matcher, slug: str) -> Draft:
    """The recipe record for the input: lines read, grams a serving summed per food, the days
    it keeps capped at the safe time for what it holds. Raises Invalid for bad input."""
    errors = check_input(data)
    if errors:
        raise Invalid("The recipe cannot be saved: " + " ".join(errors.values()), errors)
    lines, named = read_lines([line.strip() for line in data.lines if line.strip()], foods, matcher, data.chosen)
    grams: dict[str, float] = {}
    added: dict[str, str] = {}
    cooked = data.total_minutes > data.prep_minutes
    for line in lines:
        if line.food is not None and line.grams:
            grams[line.food] = grams.get(line.food, 0.0) + line.grams / data.servings
            # What goes in at the table stays out of the pot; with no cooking time all is raw.
            added.setdefault(line.food, "end" if line.optional else "cooked" if cooked else "raw")
    if not grams:
        raise Invalid(N_("No ingredient line could be read as a food with an amount, so nothing about the recipe "
                         "can be worked out. Write lines such as \u201c200 g red lentils\u201d."),
                      {"lines": "No line was matched to a food with an amount."})
    record: Record = {
        "slug": slug, "title": " ".join(data.title.split()), "description": data.description.strip(),
        "course": "main", "meals": [meal for meal in MEALS if meal in data.meals], "servings": data.servings,
        "prep_minutes": data.prep_minutes, "cook_minutes": data.total_minutes - data.prep_minutes,
        "kid_friendly": data.kid_friendly, "keeps": data.keeps_days > 0, "keeps_days": data.keeps_days,
        "ingredients": [{"food": food, "grams": round(amount, 2), "added": added[food]}
                        for food, amount in grams.items() if amount >= MIN_GRAMS],
        "steps": [step.strip() for step in data.steps if step.strip()],
    }
    all_foods = {**foods, **named}
    rules = safety_rules()
    limit, why = keeping_limit(record, all_foods, rules)
    note = ""
    if record["keeps_days"] > limit:
        record = {**record, "keeps_days": limit, "keeps": limit > 0}
        note = f"It keeps {limit} day(s) at most: {why}"
    problems = tuple(p for p in safety_problems(record, all_foods, rules) if "keep" not in p.lower())
    return Draft(record, tuple(lines), {slug: named[slug] for slug in grams}, problems, note)


def _usda_food_row(session: Session, record: Record) -> Food:
    """The shared, not-curated food row for a USDA food, made the first time a recipe uses it.
    Two households saving at once may both make it: the second reads the first's row."""
    found = session.scalar(select(Food).where(Food.slug == record["slug"]))
    if found is not None:
        return found
    checked = validate_record(record, vocabulary())
    if not checked.ok:
        raise Invalid(f"The USDA food '{record['name']}' cannot be used: {checked.errors}")
    food = Food(origin="usda", household_id=None)
    apply_record(food, checked.record, sync_tags(session, vocabulary()))
    try:
        with session.begin_nested():
            session.add(food)
    except IntegrityError:
        found = session.scalar(select(Food).where(Food.slug == record["slug"]))
        if found is None:
            raise
        return found
    return food


def save_recipe(session: Session, household_id: int, draft: Draft, catalog_foods: Mapping[str, Record],
                source_url: str | None, notes: str, existing: Recipe | None = None) -> Recipe:
    """Store the draft as the household's own recipe (new, or over `existing`) in one transaction;
    a USDA food it names that is not yet among the catalog's foods is stored first."""
    _refuse_problems(draft)
    with serialised(session):  # the title check and the write with nobody else's save between them
        return write_recipe(session, household_id, draft, catalog_foods, source_url, notes, existing)


def _refuse_problems(draft: Draft) -> None:
    if draft.problems:
        raise Invalid("This recipe breaks a food safety rule: " + " ".join(draft.problems),
                      {"steps": " ".join(draft.problems)})


def write_recipe(session: Session, household_id: int, draft: Draft, catalog_foods: Mapping[str, Record],
                 source_url: str | None, notes: str, existing: Recipe | None = None) -> Recipe:
    """save_recipe inside the caller's transaction (a backup restores recipes with the rest):
    the rows are written and flushed, never committed."""
    _refuse_problems(draft)
    record = draft.record
    if existing is None:
        count = session.scalar(select(func.count(Recipe.id)).where(Recipe.household_id == household_id)) or 0
        if count >= MAX_OWN_RECIPES:
            raise TooLarge(f"A household keeps at most {MAX_OWN_RECIPES} recipes of its own.")
    clash = session.scalar(select(Recipe.id).where(Recipe.household_id == household_id,
                                                   Recipe.title == record["title"]))
    if clash is not None and (existing is None or clash != existing.id):
        raise Conflict(f"You already have a recipe called '{record['title']}'.",
                       {"title": "You already have a recipe with this title."})
    ids: dict[str, int] = {}
    for slug, food in draft.foods.items():
        row = (_usda_food_row(session, food) if slug not in catalog_foods
               else session.scalar(select(Food).where(Food.slug == slug)))
        if row is None:
            raise Conflict(f"The food '{food['name']}' was removed; choose another.")
        session.flush()
        ids[slug] = row.id
    recipe = existing or Recipe(origin="household", household_id=household_id, slug=record["slug"])
    for name in ("title", "description", "course", "meals", "servings", "prep_minutes", "cook_minutes",
                 "kid_friendly", "keeps", "keeps_days", "steps"):
        setattr(recipe, name, record[name])
    recipe.notes = notes.strip()
    recipe.source_url = source_url
    recipe.lines = [line.as_dict() for line in draft.lines]
    recipe.updated_at = utc_now()  # the catalog learns of the change even if only rows changed
    if existing is not None:  # the old rows go first: a food kept would clash with its new row
        recipe.ingredients = []
        session.flush()
    recipe.ingredients = [RecipeIngredient(food_id=ids[row["food"]], position=n, grams=row["grams"],
                                           added=row["added"])
                          for n, row in enumerate(record["ingredients"])]
    session.add(recipe)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(N_("Another recipe was saved with this title or address at the same moment; "
                          "try again.")) from error
    return recipe


def new_slug(session: Session, title: str) -> str:
    """A free slug for a new own recipe: the title's words and a number if taken."""
    return free_slug(session, _slugify(title), Recipe.slug)


def own_recipe(session: Session, household_id: int, slug: str) -> Recipe:
    """The household's own recipe, or NotFound (a curated one, or another household's)."""
    recipe = session.scalar(select(Recipe).where(Recipe.slug == slug, Recipe.household_id == household_id))
    if recipe is None:
        raise NotFound(N_("No recipe of yours has that address."))
    return recipe


def delete_recipe(session: Session, household_id: int, slug: str) -> None:
    with committed(session):
        recipe = own_recipe(session, household_id, slug)
        recipe.updated_at = utc_now()
        session.flush()  # the household's catalog version moves with the delete
        session.delete(recipe)


def set_photo(session: Session, household_id: int, slug: str, photo: Photo | None) -> None:
    """Give an own recipe its photo, or take it away (None)."""
    with committed(session):
        recipe = own_recipe(session, household_id, slug)
        if photo is None:
            recipe.image = None
        else:
            attach_photo(recipe, photo)
        recipe.updated_at = utc_now()


def attach_photo(recipe: Recipe, photo: Photo) -> None:
    """Put the photo on the recipe: a new image row, or the one it has written over."""
    if recipe.image is None:
        recipe.image = RecipeImage(data=photo.data, content_type=photo.content_type, width=photo.width,
                                   height=photo.height, digest=photo.digest)
    else:
        for name in ("data", "content_type", "width", "height", "digest"):
            setattr(recipe.image, name, getattr(photo, name))


def photo_of(session: Session, household_id: int | None, slug: str) -> RecipeImage | None:
    """The photo of a recipe the household sees (a curated one's, or its own)."""
    return session.scalar(select(RecipeImage).join(Recipe).where(
        Recipe.slug == slug, Recipe.household_id.is_(None) | (Recipe.household_id == household_id)))


def photographed(session: Session, household_id: int | None) -> set[str]:
    """The slugs of the recipes with a photo that the household sees."""
    return set(session.scalars(select(Recipe.slug).join(RecipeImage).where(
        Recipe.household_id.is_(None) | (Recipe.household_id == household_id))))
