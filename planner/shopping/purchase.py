"""Rounding a need up to what a shop sells: whole packs, or loose produce by weight."""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LOOSE_STEP_G = 50  # loose produce is weighed out to the next 50 g
COUNTED = ("each",)  # units bought one by one: "3 onions", not "3 × each"


@dataclass(frozen=True)
class Purchase:
    count: int | None  # packs or pieces; None when weighed out loose
    unit: str  # the shop's unit: "each", "can 400 g", "bunch", "loose"
    grams: float  # what the purchase holds

    @property
    def counted(self) -> bool:
        return self.unit.split(" ", 1)[0] in COUNTED


def is_loose(unit: str) -> bool:
    return unit.startswith("loose")


def packs_needed(grams: float, pack_grams: float) -> int:
    """The fewest packs that hold `grams`: never less than needed, at least one."""
    count = max(1, math.ceil(grams / pack_grams - 1e-9))
    while count * pack_grams < grams:  # guard the float division above
        count += 1
    return count


def purchase(grams: float, food: Mapping[str, Any]) -> Purchase:
    unit = food["purchase_unit"]["unit"]
    if is_loose(unit):
        return Purchase(None, "loose", packs_needed(grams, LOOSE_STEP_G) * LOOSE_STEP_G)
    size = food["purchase_unit"]["grams"]
    count = packs_needed(grams, size)
    return Purchase(count, unit, count * size)


def count_to_grams(count: float, food: dict[str, Any]) -> float:
    """Pieces or packs of a food in grams, through its purchase unit."""
    return count * food["purchase_unit"]["grams"]


def grams_to_count(grams: float, food: dict[str, Any]) -> float:
    return grams / food["purchase_unit"]["grams"]
