"""Curated data shipped with the app, read from the YAML files beside this module."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent
FOODS_DIR = DATA_DIR / "foods"
RECIPES_DIR = DATA_DIR / "recipes"


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class TagDef:
    slug: str
    kind: str
    label: str
    description: str
    derived: bool = False


@dataclass(frozen=True)
class Vocabulary:
    """The controlled words a food record may use."""

    categories: dict[str, str]
    forms: dict[str, str]
    aisles: dict[str, str]
    sources: dict[str, str]
    tags: dict[str, TagDef]

    @property
    def allergens(self) -> list[str]:
        return [t.slug for t in self.tags.values() if t.kind == "allergen"]

    @property
    def typed_tags(self) -> list[str]:
        """Tags a person types in: not allergens, not computed from numbers."""
        return [t.slug for t in self.tags.values() if t.kind != "allergen" and not t.derived]

    @property
    def derived_tags(self) -> list[str]:
        return [t.slug for t in self.tags.values() if t.derived]


@cache
def life_stages() -> dict[str, Any]:
    """Needs, limits and reference intakes by age and stage, each with its source."""
    return dict(read_yaml(DATA_DIR / "life_stages.yaml"))


@cache
def vocabulary() -> Vocabulary:
    words = read_yaml(DATA_DIR / "vocabulary.yaml")
    tags = {row["slug"]: TagDef(**row) for row in read_yaml(DATA_DIR / "tags.yaml")}
    return Vocabulary(
        categories=words["categories"],
        forms=words["forms"],
        aisles=words["aisles"],
        sources=words["sources"],
        tags=tags,
    )


@dataclass(frozen=True)
class SourcedRecord:
    """A raw record and where it came from, for error messages."""

    origin: str  # e.g. "vegetables.yaml #12"
    record: dict[str, Any]


def _records_in(folder: Path) -> list[SourcedRecord]:
    rows: list[SourcedRecord] = []
    for path in sorted(folder.glob("*.yaml")):
        for index, record in enumerate(read_yaml(path) or [], start=1):
            rows.append(SourcedRecord(f"{path.name} #{index}", record))
    return rows


def curated_food_records() -> list[SourcedRecord]:
    return _records_in(FOODS_DIR)


def curated_recipe_records() -> list[SourcedRecord]:
    return _records_in(RECIPES_DIR)


@cache
def exclusion_words() -> list[dict[str, Any]]:
    """Words that mean a whole kind of food in an exclusion ("mushrooms", "fish", "spicy"), each
    with how to find its foods (exclusion_words.yaml; read by planner.plans.words)."""
    path = DATA_DIR / "exclusion_words.yaml"
    return list(read_yaml(path).get("words", [])) if path.is_file() else []
