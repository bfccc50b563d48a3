"""One function per decision about a household's own recipes, for the pages, the API and the
command line: read the cook's input, preview it, save, copy, import, and describe it."""
from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from planner import catalog
from planner.i18n import N_
from planner.foods.records import Record
from planner.models import Recipe
from planner.recipes.amounts import household_amount
from planner.recipes.facts import Dish
from planner.recipes.importing import (FetchRules, ImportRefused, RecipeDraft, decode_page, draft_from_html,
                                      draft_from_text, draft_from_url, drafts_from_file)
from planner.recipes.matching import Candidate, Matcher, usda_candidates
from planner.recipes.measures import measures_of
from planner.recipes.own import (LEFT_OUT, Draft, IngredientLine, RecipeInput, delete_recipe, draft_recipe, new_slug,
                                 own_recipe, save_recipe)
from planner.recipes.records import MEALS
from planner.refused import Invalid, NotFound, Refused, TooLarge, Unavailable

# Words in an imported recipe's title or keywords that say which meal it is for.
MEAL_WORDS = {
    "breakfast": ("breakfast", "brunch", "porridge", "granola", "pancake", "muffin", "overnight oats"),
    "lunch": ("lunch", "salad", "soup", "sandwich", "wrap"),
    "snack": ("snack", "bar", "bites", "dip", "smoothie", "cookie", "biscuit"),
}
DEFAULT_SERVINGS = 4
DEFAULT_MINUTES = 30  # to the table, when an imported recipe does not say

# How each reason an import is refused is answered (planner.refused kinds).
IMPORT_REFUSALS: dict[str, type[Refused]] = {"too-large": TooLarge, "timeout": Unavailable}

_MATCHERS: dict[tuple[int | None, tuple[str | None, ...]], Matcher] = {}
_MATCHERS_LOCK = threading.Lock()
MAX_MATCHERS = 16  # households importing at once; each matcher is a few MB


def matcher_for(library: catalog.Catalog) -> Matcher:
    """The food matcher over the catalog's foods and the USDA table, built once per catalog version
    (under a lock: two requests at once share one build, and never see the cache mid-change)."""
    key = (library.household_id, library.version)
    with _MATCHERS_LOCK:
        found = _MATCHERS.get(key)
        if found is None:
            curated = [Candidate(slug, (record["name"], *record.get("synonyms", [])), record.get("origin") != "usda")
                       for slug, record in sorted(library.foods.items())]
            found = Matcher(curated, usda_candidates())
            for old in [k for k in _MATCHERS if k[0] == library.household_id]:
                del _MATCHERS[old]
            if len(_MATCHERS) >= MAX_MATCHERS:
                _MATCHERS.pop(next(iter(_MATCHERS)))
            _MATCHERS[key] = found
        return found


def preview(session: Session, household_id: int, data: RecipeInput, slug: str = "preview") -> Draft:
    """The recipe as it would be saved: every line read, grams a serving, safety problems."""
    library = catalog.load(session, household_id)
    return draft_recipe(data, library.foods, matcher_for(library), slug)


def create(session: Session, household_id: int, data: RecipeInput) -> Recipe:
    library = catalog.load(session, household_id)
    draft = draft_recipe(data, library.foods, matcher_for(library), new_slug(session, data.title))
    return save_recipe(session, household_id, draft, library.foods, data.source_url, data.notes)


def update(session: Session, household_id: int, slug: str, data: RecipeInput) -> Recipe:
    recipe = own_recipe(session, household_id, slug)
    library = catalog.load(session, household_id)
    draft = draft_recipe(data, library.foods, matcher_for(library), recipe.slug)
    return save_recipe(session, household_id, draft, library.foods, data.source_url, data.notes, existing=recipe)


def delete(session: Session, household_id: int, slug: str) -> None:
    delete_recipe(session, household_id, slug)


def find_dish(library: catalog.Catalog, slug: str) -> Dish:
    dish = library.dish_map.get(slug)
    if dish is None:
        raise NotFound(N_("No recipe has that address."))
    return dish


def lines_of(dish: Dish, foods: Mapping[str, Record]) -> list[str]:
    """A recipe's ingredients as lines a cook reads, for the whole recipe ("2 tbsp olive oil")."""
    if dish.recipe.get("lines"):
        return [line["text"] for line in dish.recipe["lines"]]
    found = []
    for row in dish.recipe["ingredients"]:
        food = foods[row["food"]]
        amount = household_amount(row["grams"] * dish.recipe["servings"], measures_of(food))
        found.append(f"{amount} {food['name']}")
    return found


def edit_input(dish: Dish, foods: Mapping[str, Record]) -> RecipeInput:
    """A recipe as the cook's input to edit; the foods chosen by hand stay chosen."""
    recipe = dish.recipe
    return RecipeInput(
        title=recipe["title"], meals=tuple(recipe["meals"]), servings=recipe["servings"],
        prep_minutes=recipe["prep_minutes"], total_minutes=recipe["prep_minutes"] + recipe["cook_minutes"],
        lines=tuple(lines_of(dish, foods)), steps=tuple(recipe["steps"]), kid_friendly=bool(recipe.get("kid_friendly")),
        keeps_days=int(recipe.get("keeps_days", 0)), description=recipe.get("description", ""),
        notes=recipe.get("notes", ""), source_url=recipe.get("source_url"),
        chosen={n: line.get("food") or LEFT_OUT for n, line in enumerate(recipe.get("lines", ()))
                if line.get("confidence", 0) >= 1})


def copy_input(dish: Dish, foods: Mapping[str, Record]) -> RecipeInput:
    """A curated (or own) recipe as the start of a new own recipe."""
    return replace(edit_input(dish, foods), title=f"{dish.recipe['title']} (our version)"[:90])


def _meals_of(draft: RecipeDraft) -> tuple[str, ...]:
    words = " ".join((draft.title, *draft.keywords)).lower()
    found = tuple(meal for meal, names in MEAL_WORDS.items()
                  if any(re.search(rf"\b{re.escape(name)}", words) for name in names))
    return found or ("dinner",)


def input_from_import(draft: RecipeDraft) -> RecipeInput:
    """An imported recipe as the cook's input; what the page did not say gets a plain default."""
    prep = draft.prep_minutes
    total = draft.total_minutes or ((prep or 0) + (draft.cook_minutes or 0)) or DEFAULT_MINUTES
    prep = min(prep if prep is not None else min(total, 20), total)
    return RecipeInput(
        title=draft.title[:90], meals=_meals_of(draft), servings=min(max(draft.servings or DEFAULT_SERVINGS, 1), 50),
        prep_minutes=prep, total_minutes=total, lines=tuple(line for line in draft.lines if line.strip())[:100],
        steps=draft.steps[:60], description=draft.description[:240],
        notes=f"From {draft.source_name or draft.source_url}" if (draft.source_name or draft.source_url) else "",
        source_url=draft.source_url)


def imported(url: str | None = None, text: str | None = None, file: tuple[str, bytes] | None = None,
             rules: FetchRules | None = None) -> list[RecipeInput]:
    """Recipes read from a web address, pasted text or an export file (exactly one of them)."""
    given = [x for x in (url, text, file) if x]
    if len(given) != 1:
        raise Invalid(N_("Give one of: a web address, the recipe's text, or an export file."),
                      {"url": N_("Give a web address, or paste the recipe, or choose a file.")})
    try:
        if url:
            drafts = [draft_from_url(url.strip(), rules or FetchRules())]
        elif text:
            drafts = [draft_from_text(text)]
        elif file is not None and file[0].lower().endswith((".html", ".htm")):
            drafts = [draft_from_html(decode_page(file[1]))]
        else:
            assert file is not None
            drafts = drafts_from_file(*file)
    except ImportRefused as refused:
        kind = IMPORT_REFUSALS.get(refused.reason, Invalid)
        raise kind(str(refused), {"url" if url else "text" if text else "file": str(refused)}) from None
    return [input_from_import(d) for d in drafts]


@dataclass(frozen=True)
class Imported:
    created: tuple[Recipe, ...]
    refused: tuple[str, ...]  # "Title: why", for each recipe that could not be saved


def create_many(session: Session, household_id: int, found: list[RecipeInput]) -> Imported:
    """Save each imported recipe on its own: one that cannot be saved does not stop the rest."""
    created, refused = [], []
    for data in found:
        try:
            created.append(create(session, household_id, data))
        except Refused as error:
            refused.append(f"{data.title or 'A recipe'}: {error.message}")
    return Imported(tuple(created), tuple(refused))


def input_from_json(body: Any) -> RecipeInput:
    """An own recipe from the API's JSON body; Invalid with a message per field otherwise."""
    if not isinstance(body, dict):
        raise Invalid(N_("Send a JSON object with the recipe's fields."))
    errors: dict[str, str] = {}

    def text(name: str, default: str | None = None) -> str:
        value = body.get(name, default)
        if not isinstance(value, str):
            errors[name] = N_("Give text.")
            return ""
        return value

    def whole(name: str, default: int | None = None) -> int:
        value = body.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = N_("Give a whole number.")
            return 0
        return value

    def texts(name: str) -> tuple[str, ...]:
        value = body.get(name, [])
        if isinstance(value, str):
            value = value.splitlines()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors[name] = N_("Give a list of lines of text.")
            return ()
        return tuple(v for v in value if v.strip())

    meals = body.get("meals", ["dinner"])
    if not isinstance(meals, list) or not all(isinstance(m, str) for m in meals):
        errors["meals"] = "Give a list of meals: " + ", ".join(MEALS) + "."
        meals = []
    prep = whole("prep_minutes", 15)
    chosen_raw = body.get("chosen", {})
    chosen: dict[int, str] = {}
    if not isinstance(chosen_raw, dict) or not all(isinstance(v, str) and str(k).isdigit()
                                                   for k, v in chosen_raw.items()):
        errors["chosen"] = N_("Give {line number: food slug}.")
    else:
        chosen = {int(k): v for k, v in chosen_raw.items()}
    kid = body.get("kid_friendly", False)
    if not isinstance(kid, bool):
        errors["kid_friendly"] = N_("Give true or false.")
    source = body.get("source_url")
    if source is not None and (not isinstance(source, str) or len(source) > 500):
        errors["source_url"] = N_("Give a web address of up to 500 characters.")
    data = RecipeInput(
        title=text("title"), meals=tuple(meals), servings=whole("servings", DEFAULT_SERVINGS), prep_minutes=prep,
        total_minutes=whole("total_minutes", prep), lines=texts("lines"), steps=texts("steps"),
        kid_friendly=kid is True, keeps_days=whole("keeps_days", 0), description=text("description", ""),
        notes=text("notes", ""), source_url=source if isinstance(source, str) else None, chosen=chosen)
    if errors:
        raise Invalid("The recipe cannot be read: " + " ".join(f"{k}: {v}" for k, v in errors.items()), errors)
    return data


def line_json(line: IngredientLine) -> dict[str, Any]:
    return {"line": line.text, "quantity": line.quantity, "unit": line.unit, "food": line.food,
            "food_name": line.food_name or None, "grams": line.grams, "confidence": line.confidence,
            "optional": line.optional, "header": line.header, "preparation": line.preparation,
            "needs_choice": line.needs_choice}


def recipe_json(dish: Dish) -> dict[str, Any]:
    """A recipe for the API: its fields, its ingredient lines as read (own recipes) or its
    ingredients (curated), and what it works out to."""
    recipe, facts = dish.recipe, dish.facts
    own = recipe.get("origin") == "household"
    return {
        "slug": recipe["slug"], "title": recipe["title"], "description": recipe.get("description", ""),
        "origin": "household" if own else "curated", "course": recipe.get("course", "main"),
        "meals": list(recipe["meals"]), "servings": recipe["servings"],
        "prep_minutes": recipe["prep_minutes"], "total_minutes": recipe["prep_minutes"] + recipe["cook_minutes"],
        "kid_friendly": bool(recipe.get("kid_friendly")), "keeps_days": recipe.get("keeps_days", 0),
        "steps": list(recipe["steps"]), "notes": recipe.get("notes", ""), "source_url": recipe.get("source_url"),
        "ingredients": [{"food": row["food"], "grams_per_serving": row["grams"]} for row in recipe["ingredients"]],
        "lines": [line_json(IngredientLine.from_dict(raw)) for raw in recipe.get("lines", [])] if own else None,
        "per_serving": {name: round(value, 2) for name, value in facts.nutrients.items()},
        "allergens": sorted(facts.allergens), "plants": sorted(facts.plants),
    }
