"""The curated foods and recipes straight from the data files, without a database
(for the data check, benchmarks and fast tests)."""
from __future__ import annotations

from functools import cache

from planner.data import curated_food_records, curated_recipe_records, vocabulary
from planner.foods.records import Record, validate_record, with_derived_tags
from planner.recipes.facts import Dish, dishes_from
from planner.recipes.records import check_recipes


@cache
def curated_foods() -> dict[str, Record]:
    vocab = vocabulary()
    checked = (validate_record(row.record, vocab) for row in curated_food_records())
    return {c.record["slug"]: with_derived_tags(c.record) for c in checked if c.ok}


@cache
def curated_recipes() -> tuple[Record, ...]:
    return tuple(check_recipes(curated_recipe_records(), curated_foods())[1])


def curated_dishes() -> list[Dish]:
    return dishes_from(curated_recipes(), curated_foods())
