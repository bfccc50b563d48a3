"""A recipe as shown to people: ingredients scaled to any number of servings, nutrients per serving."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from planner.foods.nutrition import NUTRIENTS
from planner.foods.records import Record
from planner.recipes.facts import Dish
from planner.recipes.rules import child_rules

MAX_SERVINGS = 24


@dataclass(frozen=True)
class Line:
    slug: str
    name: str
    grams: float
    note: str


def scaled_ingredients(recipe: Record, foods: Mapping[str, Record], servings: float) -> list[Line]:
    return [
        Line(row["food"], foods[row["food"]]["name"], round(row["grams"] * servings, 1), row.get("note", ""))
        for row in recipe["ingredients"]
    ]


def nutrient_lines(dish: Dish) -> list[tuple[str, float, str]]:
    """(label, amount per serving, unit), alcohol left out (recipes have none)."""
    return [
        (label.split(" (")[0], dish.facts.nutrients[name],
         "mg" if name.endswith("_mg") else "kcal" if name.endswith("_kcal") else "g")
        for name, label in NUTRIENTS.items() if name != "alcohol_g"
    ]


def child_notes(dish: Dish) -> list[str]:
    return [f"{rule.text} {rule.why}" for rule in child_rules() if rule.foods & set(dish.facts.foods)]
