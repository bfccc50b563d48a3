"""Diet patterns and food rules by age, read from planner/data (diets.yaml, child_safety.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from collections.abc import Iterable

from planner.data import DATA_DIR, life_stages, read_yaml
from planner.foods.records import Record


@dataclass(frozen=True)
class Diet:
    slug: str
    label: str
    categories: frozenset[str]
    allergens: frozenset[str]
    tags: frozenset[str]
    foods: frozenset[str]

    def allows(self, food: Record) -> bool:
        return not (
            food["category"] in self.categories
            or self.allergens & set(food["allergens"])
            or self.tags & set(food["tags"])
            or food["slug"] in self.foods
        )


@dataclass(frozen=True)
class ChildRule:
    """A food rule by age: it holds for a member younger than `min_age_years`."""

    id: str
    min_age_years: float
    text: str
    why: str
    foods: frozenset[str]
    tags: frozenset[str] = frozenset()
    source: str = ""
    adapt: bool = False  # the member's portion can be taken out before the food goes in at the end
    raw_only: bool = False  # holds only where the food is served raw

    def matches(self, food: str, tags: Iterable[str]) -> bool:
        return food in self.foods or not self.tags.isdisjoint(tags)


@cache
def diets() -> dict[str, Diet]:
    rows = read_yaml(DATA_DIR / "diets.yaml")
    found: dict[str, Diet] = {}
    for slug, row in rows.items():  # a diet may include one defined above it
        base = found.get(row.get("includes", ""))

        def pick(name: str, row: Any = row, base: Diet | None = base) -> frozenset[str]:  # bound to this row
            return frozenset(row.get(name, [])) | (getattr(base, name) if base else frozenset())

        found[slug] = Diet(slug, row["label"], pick("categories"), pick("allergens"), pick("tags"), pick("foods"))
    return found


@cache
def free_sugar_foods() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The tags, categories and foods whose sugars all count as free sugars (WHO: added sugars,
    honey, syrups and fruit juices), from life_stages.yaml."""
    rule = life_stages()["free_sugars"]
    return frozenset(rule["tags"]), frozenset(rule["categories"]), frozenset(rule["foods"])


def free_sugars_g(food: Record) -> float:
    """Free sugars per 100 g of a food."""
    tags, categories, foods = free_sugar_foods()
    free = food["slug"] in foods or food["category"] in categories or not tags.isdisjoint(food["tags"])
    return float(food["nutrients"].get("sugars_g", 0.0)) if free else 0.0


def caffeine_mg(slug: str) -> float:
    """Caffeine per 100 g of a food (NHS typical amounts, life_stages.yaml)."""
    return float(life_stages()["pregnancy"]["caffeine"]["mg_per_100g"].get(slug, 0.0))


@cache
def child_rules() -> tuple[ChildRule, ...]:
    return tuple(
        ChildRule(row["id"], float(row["min_age_years"]), row["text"], row["why"], frozenset(row.get("foods", [])),
                  frozenset(row.get("tags", [])), row.get("source", ""), bool(row.get("adapt", False)),
                  bool(row.get("raw_only", False)))
        for row in read_yaml(DATA_DIR / "child_safety.yaml")
    )
