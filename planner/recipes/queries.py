"""Finding recipes: read a list request and match dishes by words and filters."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from planner.foods.queries import choice, search_text, whole_number
from planner.foods.records import Record
from planner.foods.text import tokens
from planner.recipes.facts import Dish
from planner.recipes.records import MEALS
from planner.recipes.rules import diets


@dataclass
class RecipeQuery:
    text: str = ""
    meal: str | None = None
    diet: str | None = None
    tag: str | None = None
    kid_friendly: bool = False
    max_minutes: int | None = None  # hands-on
    own: bool = False  # the household's own recipes only
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)


def parse_recipe_query(args: Mapping[str, str], tags: Sequence[str]) -> RecipeQuery:
    errors: dict[str, str] = {}
    text = search_text(args, errors)
    minutes_text = (args.get("max_minutes") or "").strip()
    page_text = (args.get("page") or "").strip()
    return RecipeQuery(
        text=text,
        meal=choice(args, "meal", list(MEALS), errors),
        diet=choice(args, "diet", list(diets()), errors),
        tag=choice(args, "tag", list(tags), errors),
        kid_friendly=args.get("kid_friendly") in ("1", "on", "true"),
        own=args.get("own") in ("1", "on", "true"),
        max_minutes=whole_number(minutes_text, "max_minutes", 0, 240, errors) if minutes_text else None,
        page=(whole_number(page_text, "page", 1, 1_000_000, errors) if page_text else 1) or 1,
        errors=errors,
    )


def _words(dish: Dish, foods: Mapping[str, Record]) -> set[str]:
    text = " ".join([dish.recipe["title"], dish.recipe["description"],
                     *(foods[slug]["name"] for slug in dish.facts.foods if slug in foods)])
    return set(tokens(text))


def find_dishes(dishes: Sequence[Dish], query: RecipeQuery, foods: Mapping[str, Record]) -> list[Dish]:
    """Dishes matching every word (as a word start) and every filter, by title."""
    wanted = tokens(query.text)
    found = []
    for dish in dishes:
        recipe, facts = dish.recipe, dish.facts
        if (query.meal and query.meal not in recipe["meals"]) or (query.diet and query.diet not in facts.diets) \
                or (query.tag and query.tag not in facts.tags) or (query.kid_friendly and not recipe["kid_friendly"]) \
                or (query.max_minutes is not None and recipe["prep_minutes"] > query.max_minutes) \
                or (query.own and recipe.get("origin") != "household"):
            continue
        if wanted:
            words = _words(dish, foods)
            if not all(any(w.startswith(q) for w in words) for q in wanted):
                continue
        found.append(dish)
    return sorted(found, key=lambda d: d.recipe["title"].lower())
