"""Diet patterns and child-safety rules, read from planner/data (diets.yaml, child_safety.yaml)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
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
    id: str
    min_age_years: float
    text: str
    why: str
    foods: frozenset[str]


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
def child_rules() -> tuple[ChildRule, ...]:
    return tuple(
        ChildRule(row["id"], float(row["min_age_years"]), row["text"], row["why"], frozenset(row["foods"]))
        for row in read_yaml(DATA_DIR / "child_safety.yaml")
    )
