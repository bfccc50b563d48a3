"""A valid food record to start tests from (boiled lentils, USDA SR Legacy 16070)."""
from __future__ import annotations

import copy
from typing import Any

from planner.foods.nutrition import MICRONUTRIENTS

BASE: dict[str, Any] = {
    "slug": "test-lentil",
    "name": "Test lentil",
    "synonyms": ["trial pulse"],
    "category": "legumes",
    "form": "cooked",
    "nova_group": 1,
    "nutrients": {
        "energy_kcal": 116, "protein_g": 9.02, "fat_g": 0.38, "saturated_fat_g": 0.053,
        "carbohydrate_g": 20.13, "fibre_g": 7.9, "sugars_g": 1.8, "sodium_mg": 2,
        "calcium_mg": 19, "iron_mg": 3.33, "vitamin_b12_ug": 0, "vitamin_d_ug": 0,
    },
    "portion": {"grams": 100, "measure": "1/2 cup cooked"},
    "aisle": "dry-goods",
    "purchase_unit": {"unit": "bag 500 g", "grams": 500},
    "plant_key": "lentil",
    "allergens": [],
    "tags": ["legume", "prebiotic"],
    "source": {"name": "USDA SR Legacy", "id": "16070"},
}


def food(**changes: Any) -> dict[str, Any]:
    """BASE with top-level fields replaced; nested dicts merged ('nutrients' etc.)."""
    record = copy.deepcopy(BASE)
    for name, value in changes.items():
        if isinstance(value, dict) and isinstance(record.get(name), dict):
            record[name].update(value)
        else:
            record[name] = value
    return record


def without_micronutrients(record: dict[str, Any]) -> dict[str, Any]:
    """The record as a file made before calcium, iron, vitamin B12 and vitamin D were kept."""
    nutrients = {k: v for k, v in record["nutrients"].items() if k not in MICRONUTRIENTS}
    return {**record, "nutrients": nutrients}
