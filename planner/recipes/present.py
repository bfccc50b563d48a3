"""A recipe as shown to people: ingredients scaled to any number of servings, nutrients per serving."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.foods.nutrition import NUTRIENTS, unit_of
from planner.foods.records import Record
from planner.recipes.facts import Dish
from planner.recipes.rules import child_rules

MAX_SERVINGS = 24
# How an ingredient goes in, as the recipe page says it; nothing for one cooked with the dish.
ADDED_AT_END = "added at the end"


@dataclass(frozen=True)
class Line:
    slug: str
    name: str
    grams: float
    note: str
    added: str = "cooked"  # cooked, raw or end (planner.recipes.safety.ADDED)
    how: str = ""  # "raw", "not heated" or "added at the end"; "" when cooked with the dish


def added_label(added: str, food: Record) -> str:
    """'raw' for fresh food eaten raw, 'not heated' for a ready-to-eat one (kefir, canned beans),
    'added at the end' for one stirred in off the heat or at the table."""
    if added == "end":
        return ADDED_AT_END
    if added == "raw":
        return "raw" if food.get("form") in ("raw", "frozen") else "not heated"
    return ""


def scaled_ingredients(recipe: Record, foods: Mapping[str, Record], servings: float) -> list[Line]:
    lines = []
    for row in recipe["ingredients"]:
        food, added = foods[row["food"]], row.get("added", "cooked")
        lines.append(Line(row["food"], food["name"], round(row["grams"] * servings, 1), row.get("note", ""),
                          added, added_label(added, food)))
    return lines


def own_lines(recipe: Record, servings: float) -> list[OwnLine]:
    """An own recipe's lines as the cook wrote them, with the grams each gives at these servings
    (what a line adds is counted once; a line not counted says so)."""
    scale = servings / recipe["servings"]
    return [OwnLine(raw["text"], raw.get("food"), raw.get("food_name", ""),
                    None if raw.get("grams") is None else round(raw["grams"] * scale, 1), bool(raw.get("header")),
                    bool(raw.get("optional")))
            for raw in recipe.get("lines", [])]


@dataclass(frozen=True)
class OwnLine:
    text: str
    food: str | None
    food_name: str
    grams: float | None
    header: bool
    optional: bool


def nutrient_lines(dish: Dish) -> list[tuple[str, float, str]]:
    """(label, amount per serving, unit), alcohol left out (recipes have none)."""
    return [
        (label.split(" (")[0], dish.facts.nutrients[name], unit_of(name))
        for name, label in NUTRIENTS.items() if name != "alcohol_g"
    ]


def child_notes(dish: Dish) -> list[str]:
    return [f"{rule.text} {rule.why}" for rule in child_rules()
            if any(rule.matches(part.food, part.tags) for part in dish.facts.parts)]
