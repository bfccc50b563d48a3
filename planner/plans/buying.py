"""What a week costs to shop for, as the planner weighs it: each food bought is an item on the
list, and opening a big pack or a whole vegetable for a little of it leaves waste; what is used
again from an opened pack is free, and pantry staples cost nothing."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.shopping import purchase
from planner.shopping.settings import default_pantry

ITEM = 2.5  # per food on the list, in the week's value (a meal's guidance earns about 5)
PER_KG = 2.5  # per kilogram of the smallest purchase of it: big packs for a little cost more


@dataclass(frozen=True)
class Buying:
    """Per food slug: the shop line it goes on (foods bought as another share one) and its cost."""

    line: Mapping[str, str] = field(default_factory=dict)
    cost: Mapping[str, float] = field(default_factory=dict)

    def lines(self, foods: Iterable[str]) -> set[str]:
        return {self.line[f] for f in foods if f in self.line}


def buying(foods: Mapping[str, Mapping[str, Any]]) -> Buying:
    pantry = default_pantry(foods.values())
    line: dict[str, str] = {}
    cost: dict[str, float] = {}
    for slug, food in foods.items():
        if slug in pantry:
            continue
        key = _bought_as(food, foods)
        line[slug] = key
        cost[key] = max(cost.get(key, 0.0), ITEM + PER_KG * _first_buy(foods.get(key, food)) / 1000)
    return Buying(line, cost)


def _bought_as(food: Mapping[str, Any], foods: Mapping[str, Mapping[str, Any]]) -> str:
    found = getattr(purchase, "bought_as", None)
    return str(food["slug"]) if found is None else str(found(food, foods))


def _first_buy(food: Mapping[str, Any]) -> float:
    found = getattr(purchase, "first_buy_grams", None)
    if found is not None:
        return float(found(food))
    unit = food["purchase_unit"]
    return float(purchase.LOOSE_STEP_G if purchase.is_loose(unit["unit"]) else unit["grams"])
