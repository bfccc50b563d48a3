"""A household's data as one JSON document, and back: profiles, plans with their lists, private
foods and the household's own recipes (with their photos).

Rows refer to each other by slug and by a key local to the file, never by database id, so a
backup restores into any server that has the same curated recipe library (curated recipes are
named by slug, never copied). Accounts are not part of it: passwords stay on the server they
were set on.
"""
from __future__ import annotations

import base64
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner import catalog
from planner.data import SourcedRecord, Vocabulary
from planner.foods.records import SLUG, Record, with_derived_tags
from planner.foods.store import (MAX_PRIVATE_FOODS, RecordsRejected, free_slug, stored_record, validate_batch, visible,
                                 write_records)
from planner.foods.text import has_control_characters
from planner.models import (
    DiaryEntry, Food, Household, Profile, Plan, PlanSlot, Recipe, ShoppingExtra, ShoppingMark,
)
from planner.plans.profile import ProfileError, profile_from_dict
from planner.plans.store import MAX_PLANS, MAX_PROFILES
from planner.shopping.store import MAX_EXTRAS
from planner.recipes.own import (MAX_LINE, MAX_LINES, MAX_MINUTES, MAX_NOTES, MAX_OWN_RECIPES, MAX_SERVINGS,
                                 MAX_STEP, MAX_STEPS, RecipeInput, attach_photo, draft_recipe, write_recipe)
from planner.recipes.matching import Matcher
from planner.recipes.photos import MAX_UPLOAD_BYTES, Photo, prepared_photo
from planner.recipes.records import MAX_KEEPS_DAYS, MAX_TITLE, MEALS
from planner.recipes.service import edit_input, matcher_for
from planner.refused import Invalid, Refused, RowsRejected
from planner.diary.exchange import MAX_ROWS, Row, read_row
from planner.diary.food_tests import FoodTest
from planner.diary.store import members_of, rows_of, tests_of
from planner.transaction import committed

FORMAT = "gut-planner-household"
VERSION = 1


class BackupError(Invalid):
    """A backup file that cannot be restored; the message says where and why."""


# -- export ----------------------------------------------------------------------------

def _plan(row: Plan, food_slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "key": row.id,
        "profile": row.profile_id,
        "week_start": row.week_start.isoformat(),
        "profile_snapshot": row.profile_data,
        "solver": {"status": row.solver_status, "seconds": row.solver_seconds, "gap": row.solver_gap,
                   "objective": row.objective},
        "food_tests": row.food_tests,
        "slots": [{"day": s.day, "meal": s.meal, "position": s.position, "recipe": s.recipe.slug,
                   "servings": s.servings, "locked": s.locked} for s in row.slots],
        "marks": sorted(({"food": food_slugs[m.food_id], "checked": m.checked, "removed": m.removed}
                         for m in _marks(row)), key=lambda m: m["food"]),
        "extras": [{"text": e.text, "food": food_slugs.get(e.food_id) if e.food_id else None, "grams": e.grams,
                    "checked": e.checked} for e in _extras(row)],
    }


def _marks(row: Plan) -> list[ShoppingMark]:
    session = Session.object_session(row)
    assert session is not None, "a plan read from the database belongs to a session"
    return list(session.scalars(select(ShoppingMark).where(ShoppingMark.plan_id == row.id)))


def _extras(row: Plan) -> list[ShoppingExtra]:
    session = Session.object_session(row)
    assert session is not None, "a plan read from the database belongs to a session"
    return list(session.scalars(select(ShoppingExtra).where(ShoppingExtra.plan_id == row.id)
                                .order_by(ShoppingExtra.id)))


def _own_recipes(session: Session, owner: int) -> list[dict[str, Any]]:
    """The household's own recipes as the cook gave them: the lines as written, each with the food
    chosen for it by hand (or named exactly), so a restore reads them again the same way."""
    rows = list(session.scalars(select(Recipe).where(Recipe.household_id == owner).order_by(Recipe.slug)
                                .options(selectinload(Recipe.image))))
    if not rows:
        return []
    library = catalog.load(session, owner)
    found = []
    for row in rows:
        data = edit_input(library.dish_map[row.slug], library.foods)
        image = row.image
        found.append({
            "slug": row.slug, "title": data.title, "description": data.description, "meals": list(data.meals),
            "servings": data.servings, "prep_minutes": data.prep_minutes, "total_minutes": data.total_minutes,
            "lines": [{"text": text, "food": data.chosen.get(n)} for n, text in enumerate(data.lines)],
            "steps": list(data.steps), "kid_friendly": data.kid_friendly, "keeps_days": data.keeps_days,
            "notes": data.notes, "source_url": data.source_url,
            "photo": None if image is None else {"content_type": image.content_type,
                                                 "data": base64.b64encode(image.data).decode("ascii")},
        })
    return found


def export_household(session: Session, household: Household) -> dict[str, Any]:
    owner = household.id
    food_slugs = dict(session.execute(visible(select(Food.id, Food.slug), owner)).all())
    foods = session.scalars(select(Food).where(Food.household_id == owner).order_by(Food.slug))
    profiles = session.scalars(select(Profile).where(Profile.household_id == owner)
                               .order_by(Profile.id))
    plans = session.scalars(select(Plan).where(Plan.household_id == owner).order_by(Plan.week_start, Plan.id)
                            .options(selectinload(Plan.slots).selectinload(PlanSlot.recipe)))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "household": {"name": household.name},
        "members": [{"name": m.name, "email": m.email} for m in household.members],
        "foods": [stored_record(f) for f in foods],
        "recipes": _own_recipes(session, owner),
        "profiles": [{"key": p.id, "name": p.name, "data": p.data, "shopping": p.shopping} for p in profiles],
        "plans": [_plan(p, food_slugs) for p in plans],
        "diary": [row.as_dict() for row in rows_of(session, owner)],
        "food_tests": [_food_test(t) for t in tests_of(session, owner)],
    }


def _food_test(test: FoodTest) -> dict[str, Any]:
    """A food test as the export shows it (for reading: a restore starts tests afresh)."""
    return {key: value.isoformat() if isinstance(value, date | datetime) else value
            for key, value in asdict(test).items() if key not in ("id", "version")} | {
        "serves": [{**asdict(s), "day": s.day.isoformat()} for s in test.serves]}


# -- import ----------------------------------------------------------------------------
#
# The whole file is checked before anything is written, and every problem is reported by its
# path ("plans[2].slots[5]: day"), so one run shows them all; then it is written in one
# transaction. Nothing from a file reaches the database unchecked.

EARLIEST, LATEST = date(2000, 1, 1), date(2200, 12, 31)
SLOTS_PER_MEAL = 4  # positions 0-3 in one meal of one day


@dataclass(frozen=True)
class Problem:
    row: str
    field: str
    message: str


class BackupRejected(RowsRejected):
    """A backup with any problem is refused whole; `errors` lists each by path."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the backup; nothing was imported")
        self.errors = problems


class _Checked:
    """Problems found so far, and small typed reads that note one instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, row: str, field: str, message: str) -> None:
        self.problems.append(Problem(row, field, message))

    def object(self, value: Any, row: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add(row, "-", f"expected an object, found {type(value).__name__}")
        return None

    def text(self, item: dict[str, Any], name: str, row: str, limit: int, required: bool = True) -> str | None:
        value = item.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit \
                or has_control_characters(value):
            self.add(row, name, f"give text of up to {limit} characters, without control characters")
            return None
        return value

    def number(self, item: dict[str, Any], name: str, row: str, low: float, high: float,
               whole: bool = False, required: bool = True) -> float | None:
        value = item.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) \
                or not math.isfinite(value) or not low <= value <= high:
            self.add(row, name, f"give a {'whole ' if whole else ''}number from {low:g} to {high:g}")
            return None
        return value

    def flag(self, item: dict[str, Any], name: str, row: str) -> None:
        if not isinstance(item.get(name, False), bool):
            self.add(row, name, "give true or false")

    def key(self, item: dict[str, Any], name: str, row: str) -> Any:
        """A key local to the file: a whole number or text (anything else cannot name a row)."""
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
            self.add(row, name, "give a whole number or text")
            return None
        return value


def _renamed(slugs: Any, renames: dict[str, str]) -> Any:
    return [renames.get(s, s) for s in slugs] if isinstance(slugs, list) else slugs


def _with_renames(data: dict[str, Any] | None, renames: dict[str, str], *names: str) -> dict[str, Any] | None:
    """A profile or settings dict with food slugs that changed on the way in replaced."""
    if not data or not renames:
        return data
    return {k: _renamed(v, renames) if k in names else v for k, v in data.items()}


def _check_profile(checked: _Checked, item: dict[str, Any], name: str, row: str,
                   renames: dict[str, str]) -> dict[str, Any] | None:
    """A stored profile, checked as the profile form and API check one."""
    data = checked.object(item.get(name), f"{row}.{name}")
    if data is None:
        return None
    try:
        return profile_from_dict(_with_renames(data, renames, "excluded_foods")).to_dict()
    except ProfileError as exc:
        for field, message in exc.errors.items():
            checked.add(f"{row}.{name}", field, message)
        return None


def _check_shopping(checked: _Checked, value: Any, row: str) -> None:
    if value is None:
        return
    shopping = checked.object(value, row)
    if shopping is None:
        return
    pantry = shopping.get("pantry", [])
    if not isinstance(pantry, list) or len(pantry) > 1000 or not all(isinstance(s, str) and len(s) <= 80
                                                                      for s in pantry):
        checked.add(row, "pantry", "give a list of food slugs")


def _food_renames(session: Session, foods: list[Any], owner: int, checked: _Checked) -> dict[str, str]:
    """Private foods whose slug is held elsewhere get a free variant: slug -> new slug."""
    renames: dict[str, str] = {}
    for n, record in enumerate(foods, start=1):
        item = checked.object(record, f"foods[{n}]")
        slug = item.get("slug") if item else None
        if not isinstance(slug, str) or not slug:
            if item is not None:
                checked.add(f"foods[{n}]", "slug", "give the food's slug")
            continue
        holder = session.scalar(select(Food.household_id).where(Food.slug == slug).limit(1))
        if holder is not None and holder != owner or session.scalar(
                select(Food.id).where(Food.slug == slug, Food.household_id.is_(None))) is not None:
            renames[slug] = free_slug(session, slug)
    return renames


# -- own recipes ----------------------------------------------------------------------

USDA_SLUG = re.compile(r"-usda-(\d+)$")  # planner.recipes.own.usda_slug
MAX_PHOTO_TEXT = (MAX_UPLOAD_BYTES + 2) // 3 * 4  # the largest photo taken, as base64
Lines = tuple[tuple[str, str | None], ...]  # an ingredient line as written, and the food chosen for it


@dataclass(frozen=True)
class _OwnRecipe:
    """One of the file's own recipes, checked, as it will be written."""

    slug: str  # its slug here: the file's, or a free one if that is taken
    data: RecipeInput  # without `chosen`: that is worked out from `lines` against the foods here
    lines: Lines  # the foods chosen with private food slugs already renamed
    photo: Photo | None
    existing: int | None = None  # the household's recipe it is written over (restoring twice)


@dataclass(frozen=True)
class _Restore:
    """What the check worked out for the writes."""

    renames: dict[str, str]  # private food slug -> its slug here
    recipe_renames: dict[str, str]  # own recipe slug -> its slug here
    recipes: list[_OwnRecipe]


def _chosen(lines: Lines, foods: Mapping[str, Record]) -> dict[int, str]:
    """The foods chosen for the lines that exist here: a food by slug, or a USDA food by its
    number (stored here the first time a recipe uses it); the rest are read again."""
    chosen: dict[int, str] = {}
    for n, (_, food) in enumerate(lines):
        if food is None:
            continue
        usda = USDA_SLUG.search(food)
        if food in foods:
            chosen[n] = food
        elif usda is not None:
            chosen[n] = f"usda:{usda[1]}"
    return chosen


def _check_texts(checked: _Checked, item: dict[str, Any], name: str, row: str, most: int,
                 limit: int) -> list[str] | None:
    value = item.get(name, [])
    if not isinstance(value, list) or len(value) > most or not all(
            isinstance(v, str) and len(v) <= limit and not has_control_characters(v) for v in value):
        checked.add(row, name, f"give a list of at most {most} texts of up to {limit} characters, "
                               "without control characters")
        return None
    return value


def _check_lines(checked: _Checked, item: dict[str, Any], row: str, renames: dict[str, str]) -> Lines | None:
    value = item.get("lines")
    if not isinstance(value, list) or not value or len(value) > MAX_LINES:
        checked.add(row, "lines", f"give a list of 1 to {MAX_LINES} ingredient lines")
        return None
    before, lines = len(checked.problems), []
    for m, raw in enumerate(value, start=1):
        at = f"{row}.lines[{m}]"
        line = checked.object({"text": raw} if isinstance(raw, str) else raw, at)
        if line is None:
            continue
        text = checked.text(line, "text", at, MAX_LINE, required=False)
        food = checked.text(line, "food", at, 80, required=False)
        if text is None and "text" not in line:
            checked.add(at, "text", "give the line as written")
        if food is not None and not SLUG.fullmatch(food):
            checked.add(at, "food", "give a food's slug")
        if text is not None and text.strip():
            lines.append((text.strip(), renames.get(food, food) if food else None))
    return tuple(lines) if len(checked.problems) == before else None


def _check_photo(checked: _Checked, value: Any, row: str) -> Photo | None:
    """The photo as it will be stored: decoded and checked, re-encoded and resized as an upload is."""
    if value is None:
        return None
    photo = checked.object(value, row)
    if photo is None:
        return None
    checked.text(photo, "content_type", row, 30, required=False)  # told, not trusted: the photo is re-encoded
    data = photo.get("data")
    if not isinstance(data, str) or len(data) > MAX_PHOTO_TEXT:
        checked.add(row, "data", f"give the photo as base64, of at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
        return None
    try:
        return prepared_photo(base64.b64decode(data, validate=True))
    except ValueError:  # binascii.Error, or text that is not ASCII
        checked.add(row, "data", "give the photo as base64")
    except Refused as refused:
        checked.add(row, "data", refused.message)
    return None


def _check_recipe(checked: _Checked, item: dict[str, Any], row: str, foods: Mapping[str, Record],
                  matcher: Matcher, renames: dict[str, str]) -> _OwnRecipe | None:
    """One own recipe of the file: each field checked, then its lines read against the foods here
    and the recipe worked out and checked as the recipe form checks it."""
    before = len(checked.problems)
    slug = checked.text(item, "slug", row, 80)
    if slug is not None and not SLUG.fullmatch(slug):
        checked.add(row, "slug", "give lower-case letters and digits joined by '-'")
    title = checked.text(item, "title", row, MAX_TITLE)
    description = checked.text(item, "description", row, 240, required=False)
    meals = item.get("meals")
    if not isinstance(meals, list) or not meals or not all(isinstance(m, str) and m in MEALS for m in meals):
        checked.add(row, "meals", f"give a list of meals from: {', '.join(MEALS)}")
    servings = checked.number(item, "servings", row, 1, MAX_SERVINGS, whole=True)
    prep = checked.number(item, "prep_minutes", row, 0, MAX_MINUTES, whole=True)
    total = checked.number(item, "total_minutes", row, prep or 0, MAX_MINUTES, whole=True)
    lines = _check_lines(checked, item, row, renames)
    steps = _check_texts(checked, item, "steps", row, MAX_STEPS, MAX_STEP)
    checked.flag(item, "kid_friendly", row)
    keeps = checked.number(item, "keeps_days", row, 0, MAX_KEEPS_DAYS, whole=True, required=False)
    notes = checked.text(item, "notes", row, MAX_NOTES, required=False)
    source_url = checked.text(item, "source_url", row, 500, required=False)
    photo = _check_photo(checked, item.get("photo"), f"{row}.photo")
    if len(checked.problems) > before or slug is None or title is None or servings is None or prep is None \
            or total is None or lines is None or steps is None:
        return None
    data = RecipeInput(title=title, meals=tuple(meals or ()), servings=int(servings), prep_minutes=int(prep),
                       total_minutes=int(total), lines=tuple(text for text, _ in lines), steps=tuple(steps),
                       kid_friendly=item.get("kid_friendly") is True, keeps_days=int(keeps or 0),
                       description=description or "", notes=notes or "", source_url=source_url or None)
    try:
        draft = draft_recipe(replace(data, chosen=_chosen(lines, foods)), foods, matcher, slug)
    except Invalid as refused:
        for field, message in (refused.fields or {"-": refused.message}).items():
            checked.add(row, field, message)
        return None
    if draft.problems:
        checked.add(row, "steps", "breaks a food safety rule: " + " ".join(draft.problems))
        return None
    return _OwnRecipe(slug, data, lines, photo)


def _free_recipe_slug(session: Session, slug: str, reserved: set[str]) -> str:
    """The first "-2", "-3" ... variant of the slug no recipe here and no other in the file has."""
    taken = set(session.scalars(select(Recipe.slug).where(Recipe.slug.startswith(slug, autoescape=True)))) | reserved
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug[:74]}-{number}"
    return candidate


def _check_recipes(session: Session, checked: _Checked, entries: list[Any], owner: int,
                   foods: Mapping[str, Record], renames: dict[str, str]) -> tuple[list[_OwnRecipe], dict[str, str]]:
    """The file's own recipes as they will be written, and the slugs that change on the way in.

    A recipe the household already has (the same slug, or failing that the same title) is
    written over, so restoring a file twice leaves one copy of each; any other takes the file's
    slug, or a free variant of it if a recipe here has that slug (plans follow the new slug)."""
    if not entries:
        return [], {}
    library = catalog.load(session, owner)
    matcher = matcher_for(library)
    found: list[tuple[str, _OwnRecipe]] = []
    slugs: set[str] = set()
    titles: set[str] = set()
    for n, raw in enumerate(entries, start=1):
        row = f"recipes[{n}]"
        item = checked.object(raw, row)
        recipe = None if item is None else _check_recipe(checked, item, row, foods, matcher, renames)
        if recipe is None:
            continue
        title = " ".join(recipe.data.title.split())
        if recipe.slug in slugs:
            checked.add(row, "slug", "another recipe in the file has this slug")
        if title in titles:
            checked.add(row, "title", "another recipe in the file has this title")
        slugs.add(recipe.slug)
        titles.add(title)
        found.append((row, recipe))
    mine = list(session.scalars(select(Recipe).where(Recipe.household_id == owner)))
    by_slug = {r.slug: r for r in mine}
    by_title = {r.title: r for r in mine}
    over: dict[int, Recipe] = {n: by_slug[r.slug] for n, (_, r) in enumerate(found) if r.slug in by_slug}
    for n, (_, recipe) in enumerate(found):
        holder = by_title.get(" ".join(recipe.data.title.split()))
        if n not in over and holder is not None and holder not in over.values():
            over[n] = holder
    for n, (row, recipe) in enumerate(found):
        holder = by_title.get(" ".join(recipe.data.title.split()))
        if holder is not None and holder is not over.get(n) and holder not in over.values():
            checked.add(row, "title", "another recipe of this household has this title")
    if len(mine) + len(found) - len(over) > MAX_OWN_RECIPES:
        checked.add("the file", "recipes", f"a household keeps at most {MAX_OWN_RECIPES} recipes of its own")
    recipes, recipe_renames, used = [], {}, set(slugs)
    for n, (_, recipe) in enumerate(found):
        if n in over:
            slug = over[n].slug
        elif session.scalar(select(Recipe.id).where(Recipe.slug == recipe.slug)) is None:
            slug = recipe.slug
        else:
            slug = _free_recipe_slug(session, recipe.slug, used)
        used.add(slug)
        if slug != recipe.slug:
            recipe_renames[recipe.slug] = slug
        recipes.append(replace(recipe, slug=slug, existing=over[n].id if n in over else None))
    return recipes, recipe_renames


def _check_plan(checked: _Checked, item: dict[str, Any], row: str, profile_keys: set[Any],
                recipes: set[str], foods: set[str], renames: dict[str, str]) -> None:
    checked.key(item, "key", row)
    profile = checked.key(item, "profile", row)
    if profile is not None and profile not in profile_keys:
        checked.add(row, "profile", "no profile in the file has this key")
    try:
        week_start = date.fromisoformat(item.get("week_start"))  # type: ignore[arg-type]  # checked below
        if not EARLIEST <= week_start <= LATEST:
            raise ValueError
    except (TypeError, ValueError):
        checked.add(row, "week_start", f"give a date from {EARLIEST.year} to {LATEST.year} as YYYY-MM-DD")
    _check_profile(checked, item, "profile_snapshot", row, renames)
    solver = checked.object(item.get("solver"), f"{row}.solver")
    if solver is not None:
        checked.text(solver, "status", f"{row}.solver", 40)
        checked.number(solver, "seconds", f"{row}.solver", 0, 3600)
        checked.number(solver, "gap", f"{row}.solver", 0, 1e9, required=False)
        checked.number(solver, "objective", f"{row}.solver", -1e12, 1e12)
    slots = item.get("slots")
    if not isinstance(slots, list) or len(slots) > len(MEALS) * 7 * SLOTS_PER_MEAL:
        checked.add(row, "slots", "give a list of the week's meals")
        slots = []
    taken: set[tuple[Any, Any, Any]] = set()
    for m, raw in enumerate(slots, start=1):
        at = f"{row}.slots[{m}]"
        slot = checked.object(raw, at)
        if slot is None:
            continue
        place = (checked.number(slot, "day", at, 0, 6, whole=True), slot.get("meal"),
                 checked.number(slot, "position", at, 0, SLOTS_PER_MEAL - 1, whole=True))
        if place[1] not in MEALS:
            checked.add(at, "meal", f"one of: {', '.join(MEALS)}")
        if place in taken:
            checked.add(at, "-", "two meals in the same place")
        taken.add(place)
        if slot.get("recipe") not in recipes:
            checked.add(at, "recipe", f"this server has no recipe {str(slot.get('recipe'))[:80]!r}")
        checked.number(slot, "servings", at, 0.05, 100)
        checked.flag(slot, "locked", at)
    marks = item.get("marks")
    if not isinstance(marks, list) or len(marks) > 5000:
        checked.add(row, "marks", "give a list")
        marks = []
    for m, raw in enumerate(marks, start=1):
        at = f"{row}.marks[{m}]"
        mark = checked.object(raw, at)
        if mark is not None:
            food = mark.get("food")
            if not isinstance(food, str) or renames.get(food, food) not in foods:
                checked.add(at, "food", "no such food here or in the file")
            checked.flag(mark, "checked", at)
            checked.flag(mark, "removed", at)
    extras = item.get("extras")
    if not isinstance(extras, list) or len(extras) > MAX_EXTRAS:
        checked.add(row, "extras", f"give a list of at most {MAX_EXTRAS}")
        extras = []
    for m, raw in enumerate(extras, start=1):
        at = f"{row}.extras[{m}]"
        extra = checked.object(raw, at)
        if extra is not None:
            checked.text(extra, "text", at, 120)
            food = extra.get("food")
            if food is not None and (not isinstance(food, str) or renames.get(food, food) not in foods):
                checked.add(at, "food", "no such food here or in the file")
            checked.number(extra, "grams", at, 0, 100_000, required=False)
            checked.flag(extra, "checked", at)


def _checked_backup(session: Session, document: Any, owner: int, vocab: Vocabulary) -> _Restore:
    """Every problem of the file, or what it will be written with (the slugs that change)."""
    checked = _Checked()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"This is not a Gut Planner household backup (format should be '{FORMAT}').")
    if document.get("version") != VERSION:
        raise BackupError(f"This backup is version {repr(document.get('version'))[:20]}; "
                          f"this server reads version {VERSION}.")
    limits = {"foods": MAX_PRIVATE_FOODS, "profiles": MAX_PROFILES, "plans": MAX_PLANS}
    for name, most in limits.items():
        if not isinstance(document.get(name), list) or len(document[name]) > most:
            checked.add("the file", name, f"give a list of at most {most}")
    entries = document.get("recipes", [])  # a backup from before own recipes has none
    if not isinstance(entries, list) or len(entries) > MAX_OWN_RECIPES:
        checked.add("the file", "recipes", f"give a list of at most {MAX_OWN_RECIPES}")
    if checked.problems:
        raise BackupRejected(checked.problems)
    renames = _food_renames(session, document["foods"], owner, checked)
    records = [SourcedRecord(f"foods[{n}]", {**item, "slug": renames.get(item["slug"], item["slug"])})
               for n, item in enumerate(document["foods"], start=1)
               if isinstance(item, dict) and isinstance(item.get("slug"), str)]
    clean: list[Record] = []
    try:
        clean = validate_batch(session, records, vocab, owner)
    except RecordsRejected as rejected:
        checked.problems.extend(Problem(e.row, e.field, e.message) for e in rejected.errors)
    profile_keys: set[Any] = set()
    for n, raw in enumerate(document["profiles"], start=1):
        row = f"profiles[{n}]"
        item = checked.object(raw, row)
        if item is None:
            continue
        profile_keys.add(checked.key(item, "key", row))
        checked.text(item, "name", row, 60)
        _check_profile(checked, item, "data", row, renames)
        _check_shopping(checked, item.get("shopping"), f"{row}.shopping")
    # The file's recipes are read against the foods the household will see: its own, and the file's.
    seen = {**catalog.load(session, owner).foods, **{r["slug"]: with_derived_tags(r) for r in clean}} \
        if entries else {}
    own, recipe_renames = _check_recipes(session, checked, entries, owner, seen, renames)
    # A plan may name a curated recipe, one of the household's own, or one of the file's.
    recipes = set(session.scalars(select(Recipe.slug).where(Recipe.household_id.is_(None)
                                                            | (Recipe.household_id == owner))))
    recipes |= {item["slug"] for item in entries if isinstance(item, dict) and isinstance(item.get("slug"), str)}
    foods = set(session.scalars(visible(select(Food.slug), owner))) | {r.record["slug"] for r in records}
    for n, raw in enumerate(document["plans"], start=1):
        item = checked.object(raw, f"plans[{n}]")
        if item is not None:
            _check_plan(checked, item, f"plans[{n}]", profile_keys - {None}, recipes, foods, renames)
    if checked.problems:
        raise BackupRejected(checked.problems)
    return _Restore(renames, recipe_renames, own)


def _write_plan(session: Session, item: dict[str, Any], owner: int, profiles: dict[Any, Profile],
                recipes: dict[str, int], foods: dict[str, int], restore: _Restore) -> None:
    renames = restore.renames
    solver = item["solver"]
    profile = profiles.get(item.get("profile"))
    row = Plan(household_id=owner, profile_id=profile.id if profile else None,
               week_start=date.fromisoformat(item["week_start"]),
               profile_data=profile_from_dict(_with_renames(item["profile_snapshot"], renames,
                                                            "excluded_foods")).to_dict(),
               solver_status=solver["status"], solver_seconds=solver["seconds"], solver_gap=solver.get("gap"),
               objective=solver["objective"])
    for slot in item["slots"]:
        recipe = restore.recipe_renames.get(slot["recipe"], slot["recipe"])
        row.slots.append(PlanSlot(day=slot["day"], meal=slot["meal"], position=slot["position"],
                                  recipe_id=recipes[recipe], servings=slot["servings"],
                                  locked=bool(slot.get("locked"))))
    session.add(row)
    session.flush()
    for mark in item["marks"]:
        session.add(ShoppingMark(plan_id=row.id, food_id=foods[renames.get(mark["food"], mark["food"])],
                                 checked=bool(mark.get("checked")), removed=bool(mark.get("removed"))))
    for extra in item["extras"]:
        food = extra.get("food")
        session.add(ShoppingExtra(plan_id=row.id, text=extra["text"],
                                  food_id=foods[renames.get(food, food)] if food else None,
                                  grams=extra.get("grams"), checked=bool(extra.get("checked"))))


def _write_recipes(session: Session, owner: int, recipes: list[_OwnRecipe]) -> None:
    """The file's own recipes, their lines read again against the foods the household now sees
    (the file's private foods included), written inside the restore's transaction."""
    if not recipes:
        return
    session.flush()
    library = catalog.load(session, owner)
    matcher = matcher_for(library)
    mine = {r.id: r for r in session.scalars(select(Recipe).where(Recipe.household_id == owner))}
    # Those written over first: a title one of them gives up may be the title of a new one.
    for item in sorted(recipes, key=lambda r: r.existing is None):
        data = replace(item.data, chosen=_chosen(item.lines, library.foods))
        draft = draft_recipe(data, library.foods, matcher, item.slug)
        recipe = write_recipe(session, owner, draft, library.foods, data.source_url, data.notes,
                              existing=mine.get(item.existing) if item.existing is not None else None)
        photo = item.photo
        if photo is None:  # a photo the household added since is kept
            continue
        attach_photo(recipe, photo)
        session.flush()


def _checked_diary(session: Session, document: Any, owner: int) -> list[Row]:
    """The backup's diary rows, each checked as an import is (its members are the backup's and the
    household's); BackupRejected naming each bad row."""
    raw = document.get("diary", []) if isinstance(document, Mapping) else []
    if not isinstance(raw, list) or len(raw) > MAX_ROWS:
        raise BackupRejected([Problem("diary", "", f"a list of at most {MAX_ROWS} entries")])
    members = set(members_of(session, owner))
    for item in document.get("profiles", []) if isinstance(document.get("profiles"), list) else []:
        data = item.get("data") if isinstance(item, Mapping) else None
        for member in (data or {}).get("members", []) if isinstance(data, Mapping) else []:
            if isinstance(member, Mapping) and isinstance(member.get("name"), str):
                members.add(member["name"])
    rows, problems = [], []
    for n, item in enumerate(raw, start=1):
        try:
            if not isinstance(item, Mapping):
                raise ValueError("an entry is an object")
            rows.append(read_row(item, members))
        except ValueError as error:
            problems.append(Problem(f"diary[{n}]", "", str(error)))
    if problems:
        raise BackupRejected(problems)
    return rows


def import_household(session: Session, document: Any, household: Household, vocab: Vocabulary) -> dict[str, int]:
    """Add a backup's foods, own recipes, profiles and plans to a household: the whole file is
    checked first, then written in one transaction; a file with any problem writes nothing.
    Restoring a file twice writes its foods and recipes over the copies the first restore made
    and adds its profiles and plans again."""
    owner = household.id
    restore = _checked_backup(session, document, owner, vocab)
    renames = restore.renames
    diary = _checked_diary(session, document, owner)
    with committed(session):
        rows = [SourcedRecord(f"foods[{n}]", {**item, "slug": renames.get(item["slug"], item["slug"])})
                for n, item in enumerate(document["foods"], start=1)]
        write_records(session, rows, vocab, household_id=owner)
        session.flush()
        _write_recipes(session, owner, restore.recipes)
        profiles: dict[Any, Profile] = {}
        for item in document["profiles"]:
            row = Profile(household_id=owner, name=item["name"],
                          data=profile_from_dict(_with_renames(item["data"], renames, "excluded_foods")).to_dict(),
                          shopping=_with_renames(item.get("shopping"), renames, "pantry"))
            session.add(row)
            if item.get("key") is not None:
                profiles[item["key"]] = row
        session.flush()
        recipes = dict(session.execute(select(Recipe.slug, Recipe.id).where(
            Recipe.household_id.is_(None) | (Recipe.household_id == owner))).all())
        foods = dict(session.execute(visible(select(Food.slug, Food.id), owner)).all())
        for item in document["plans"]:
            _write_plan(session, item, owner, profiles, recipes, foods, restore)
        session.add_all(DiaryEntry(household_id=owner, member=r.member, time=r.time, kind=r.kind, item=r.item,
                                   amount=r.amount, unit=r.unit, note=r.note) for r in diary)
    return {"diary": len(diary), "foods": len(document["foods"]), "recipes": len(restore.recipes),
            "profiles": len(document["profiles"]), "plans": len(document["plans"])}
