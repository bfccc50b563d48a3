"""Nutrient arithmetic and the tags that follow from a food's numbers."""
from __future__ import annotations

from dataclasses import dataclass

from planner.i18n import N_

NUTRIENTS: dict[str, str] = {
    "energy_kcal": N_("Energy (kcal)"),
    "protein_g": N_("Protein (g)"),
    "fat_g": N_("Fat (g)"),
    "saturated_fat_g": N_("of which saturated (g)"),
    "carbohydrate_g": N_("Carbohydrate (g)"),
    "fibre_g": N_("Fibre (g)"),
    "sugars_g": N_("of which sugars (g)"),
    "sodium_mg": N_("Sodium (mg)"),
    "alcohol_g": N_("Alcohol (g)"),
    "calcium_mg": N_("Calcium (mg)"),
    "iron_mg": N_("Iron (mg)"),
    "vitamin_b12_ug": N_("Vitamin B12 (µg)"),
    "vitamin_d_ug": N_("Vitamin D (µg)"),
}
# Minerals and vitamins that matter for safety (vegan, children, pregnancy). Optional in a record
# (missing = 0, as for imports and user foods that do not give them); no part of the energy check.
MICRONUTRIENTS = ("calcium_mg", "iron_mg", "vitamin_b12_ug", "vitamin_d_ug")
OPTIONAL_NUTRIENTS = frozenset({"alcohol_g", *MICRONUTRIENTS})
# A field name's suffix is its unit (per 100 g).
UNITS = {"_kcal": "kcal", "_mg": "mg", "_ug": "µg", "_g": "g"}


def unit_of(name: str) -> str:
    """The unit a nutrient field is given in: 'sodium_mg' -> 'mg', 'vitamin_d_ug' -> 'µg'."""
    return next(unit for suffix, unit in UNITS.items() if name.endswith(suffix))

# FDA daily value for fibre and the label claim thresholds that follow from it.
FIBRE_DAILY_VALUE_G = 28.0
HIGH_FIBRE_G = 0.20 * FIBRE_DAILY_VALUE_G  # 5.6 g a portion
FIBRE_SOURCE_G = 0.10 * FIBRE_DAILY_VALUE_G  # 2.8 g a portion

# UK front-of-pack "high" thresholds per 100 g (drinks per 100 ml, taken as 100 g).
HIGH_SUGARS_G = 22.5
HIGH_SUGARS_DRINK_G = 11.25
HIGH_SODIUM_MG = 600.0
DRINK_CATEGORIES = frozenset({"drinks", "alcoholic-drinks"})

NOVA_TAGS = {1: "unprocessed", 2: "culinary-ingredient", 3: "processed", 4: "ultra-processed"}


@dataclass(frozen=True)
class FoodFacts:
    """The numbers derived tags are computed from."""

    category: str
    nova_group: int
    portion_g: float
    nutrients: dict[str, float]


def atwater_kcal(n: dict[str, float]) -> float:
    """Energy from macronutrients with general Atwater factors.

    Carbohydrate here is 'by difference' (fibre included, as in USDA data), so fibre is
    taken out of it and counted at 2 kcal/g; alcohol gives 7 kcal/g.
    """
    fibre = n.get("fibre_g", 0.0)
    available_carbohydrate = max(n.get("carbohydrate_g", 0.0) - fibre, 0.0)
    return (
        4 * n.get("protein_g", 0.0)
        + 9 * n.get("fat_g", 0.0)
        + 4 * available_carbohydrate
        + 2 * fibre
        + 7 * n.get("alcohol_g", 0.0)
    )


def energy_tolerance_kcal(expected: float) -> float:
    """How far stated energy may sit from the Atwater sum.

    USDA uses food-specific factors (lower for vegetables and fibre-rich spices, higher
    for some nuts) and organic acids such as acetic acid also give energy, so allow 20 %
    or 20 kcal: wide enough for real tables, narrow enough to catch kJ typed as kcal or
    swapped columns.
    """
    return max(20.0, 0.20 * expected)


def per_portion(value_per_100g: float, portion_g: float) -> float:
    return value_per_100g * portion_g / 100.0


def fibre_tag(facts: FoodFacts) -> str | None:
    fibre = per_portion(facts.nutrients.get("fibre_g", 0.0), facts.portion_g)
    if fibre >= HIGH_FIBRE_G - 1e-9:
        return "high-fibre"
    if fibre >= FIBRE_SOURCE_G - 1e-9:
        return "fibre-source"
    return None


def sugar_tag(facts: FoodFacts) -> str | None:
    limit = HIGH_SUGARS_DRINK_G if facts.category in DRINK_CATEGORIES else HIGH_SUGARS_G
    return "high-sugar" if facts.nutrients.get("sugars_g", 0.0) > limit else None


def salt_tag(facts: FoodFacts) -> str | None:
    return "high-salt" if facts.nutrients.get("sodium_mg", 0.0) > HIGH_SODIUM_MG else None


# A lean-protein food must also give a useful amount in a portion (not a pinch of seaweed).
LEAN_PROTEIN_PORTION_G = 5.0


def lean_protein_tag(facts: FoodFacts) -> str | None:
    n = facts.nutrients
    lean = (
        n.get("protein_g", 0.0) >= 10
        and per_portion(n.get("protein_g", 0.0), facts.portion_g) >= LEAN_PROTEIN_PORTION_G
        and n.get("fat_g", 0.0) <= 10
        and n.get("saturated_fat_g", 0.0) <= 4.5
        and facts.nova_group <= 3
        and facts.category != "processed-meat"
    )
    return "lean-protein" if lean else None


def derived_tags(facts: FoodFacts) -> list[str]:
    """Every tag that follows from the numbers, in a stable order."""
    found = [
        NOVA_TAGS.get(facts.nova_group),
        fibre_tag(facts),
        lean_protein_tag(facts),
        sugar_tag(facts),
        salt_tag(facts),
    ]
    return [tag for tag in found if tag]
