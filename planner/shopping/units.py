"""Amounts in the units a profile reads (metric or US), and amounts people write back to grams.

pint holds the unit definitions. A food's density comes from its purchase unit when that
names a volume: milk sold as "carton 1 L" weighing 1030 g is 1.03 g per ml, so milk reads
in millilitres or fluid ounces; everything else reads as a mass.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pint

SYSTEMS = {"metric": "Metric (g, kg, ml, l)", "us": "US (oz, lb, fl oz, qt)"}

# The steps an amount climbs through in each system: (unit, shown as, below this many of it).
_MASS = {"metric": (("g", "g", 1000), ("kg", "kg", None)),
         "us": (("oz", "oz", 16), ("lb", "lb", None))}
_VOLUME = {"metric": (("ml", "ml", 1000), ("l", "l", None)),
           "us": (("fluid_ounce", "fl oz", 64), ("quart", "qt", 4), ("gallon", "gal", None))}
# Small units read to one decimal, and whole from this size up; large units read to two decimals.
_WHOLE_FROM = {"g": 10, "ml": 10, "oz": 100, "fl oz": 100}

# Words people write that pint spells differently.
_ALIASES = {"fl oz": "fluid_ounce", "fl. oz": "fluid_ounce", "fl.oz": "fluid_ounce", "floz": "fluid_ounce",
            "lbs": "lb", "qt": "quart", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "gal": "gallon",
            "tbsp": "tablespoon", "tsp": "teaspoon", "cups": "cup", "grams": "g", "gram": "g", "kilo": "kg",
            "kilos": "kg", "ounce": "oz", "ounces": "oz", "pound": "lb", "pounds": "lb", "millilitres": "ml",
            "millilitre": "ml"}
_VOLUME_IN_LABEL = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|l)\b", re.IGNORECASE)
_AMOUNT_IN_LABEL = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|g|ml|l)\b", re.IGNORECASE)


@cache
def registry() -> pint.UnitRegistry:
    return pint.UnitRegistry()


def canonical_unit(word: str) -> str | None:
    """The pint name of a mass or volume unit a person wrote, or None if it is neither."""
    name = _ALIASES.get(word.strip().lower(), word.strip().lower())
    if not name.replace("_", "").isalpha():  # pint's parser reads expressions, and fails on stray brackets
        return None
    try:
        unit = registry().Unit(name)
    except (pint.UndefinedUnitError, pint.DefinitionSyntaxError, ValueError, TypeError, AttributeError):
        return None
    if unit.dimensionality in (registry().gram.dimensionality, registry().litre.dimensionality):
        return name
    return None


@cache
def factor(source: str, target: str) -> float:
    """How many `target` make one `source` (both mass or both volume)."""
    return float(registry().Quantity(1, source).to(target).magnitude)


def is_volume(unit: str) -> bool:
    return registry().Unit(unit).dimensionality == registry().litre.dimensionality


def density(food: Mapping[str, Any]) -> float | None:
    """Grams per millilitre, when the food's purchase unit names a volume."""
    found = _VOLUME_IN_LABEL.search(food["purchase_unit"]["unit"])
    if not found:
        return None
    millilitres = float(found[1]) * factor(found[2].lower(), "ml")
    return food["purchase_unit"]["grams"] / millilitres


@dataclass(frozen=True)
class Amount:
    value: float
    unit: str  # as shown: g, kg, ml, l, oz, lb, fl oz, qt, gal

    def __str__(self) -> str:
        return f"{_figure(self.value, self.unit)} {self.unit}"


def _figure(value: float, unit: str) -> str:
    """'330 g', '5.3 g', '16.9 fl oz', '1.25 kg', '4.41 lb', with no trailing zeros."""
    whole_from = _WHOLE_FROM.get(unit)
    places = 2 if whole_from is None else 0 if value >= whole_from else 1
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _climb(value: float, base: str, steps: tuple[tuple[str, str, float | None], ...]) -> Amount:
    for unit, shown, below in steps:
        converted = value * factor(base, unit)
        if below is None or converted < below:
            return Amount(converted, shown)
    raise AssertionError("the last step has no limit")


def amount(grams: float, food: Mapping[str, Any] | None, system: str) -> Amount:
    """Grams of a food as a person reads them: by volume when the food is sold by volume."""
    grams_per_ml = density(food) if food else None
    if grams_per_ml:
        return _climb(grams / grams_per_ml, "ml", _VOLUME[system])
    return _climb(grams, "g", _MASS[system])


def to_grams(value: float, unit: str, food: dict[str, Any] | None) -> float | None:
    """Grams in `value` of a mass or volume unit; a volume needs the food's density (else None)."""
    name = canonical_unit(unit)
    if name is None:
        return None
    if not is_volume(name):
        return value * factor(name, "g")
    grams_per_ml = density(food) if food else None
    return value * factor(name, "ml") * grams_per_ml if grams_per_ml else None


def unit_grams(shown: str) -> str:
    """The pint unit behind a shown unit ('fl oz' -> 'fluid_ounce'), for reading an Amount back."""
    return {s: unit for steps in (*_MASS.values(), *_VOLUME.values()) for unit, s, _ in steps}[shown]


def label_in(label: str, system: str) -> str:
    """A purchase unit's label with its sizes in the profile's units: 'can 400 g' -> 'can 14.1 oz'."""
    if system == "metric":
        return label

    def convert(match: re.Match[str]) -> str:
        unit = match[2].lower()
        base = "ml" if unit in ("ml", "l") else "g"
        value = float(match[1]) * factor(unit, base)
        return str(_climb(value, base, _VOLUME[system] if base == "ml" else _MASS[system]))

    return _AMOUNT_IN_LABEL.sub(convert, label)
