"""What a week costs to shop for, as the planner weighs it: each food bought is an item on the
list, and opening a big pack or a whole vegetable for a little of it leaves waste; what is used
again from an opened pack is free, and pantry staples cost nothing."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.shopping.purchase import bought_as, buying, first_buy_grams, merged_into
from planner.shopping.settings import default_pantry

ITEM = 6.0  # per food on the list, in the week's value (a meal's guidance earns about 5)
PER_KG = 2.5  # per kilogram of the smallest purchase of it: big packs for a little cost more


@dataclass(frozen=True)
class ShopCosts:
    """Per food slug: the shop line it goes on (foods bought as another share one) and its cost."""

    line: Mapping[str, str] = field(default_factory=dict)
    cost: Mapping[str, float] = field(default_factory=dict)

    def lines(self, foods: Iterable[str]) -> list[str]:
        """The shop lines of these foods, each once, in order: a sum over them is then the same
        in every run (a set's order changes with the process, and so would the last bits)."""
        return sorted({self.line[f] for f in foods if f in self.line})

    def shares(self, dishes: Iterable[Iterable[str]]) -> dict[str, float]:
        """Each shop line's price shared among these dishes (each given by its foods): a line many
        of them use is likely bought anyway, so it weighs less on each, by one over the square
        root of how many use it."""
        uses = Counter(line for foods in dishes for line in self.lines(foods))
        return {line: self.cost[line] / math.sqrt(count) for line, count in uses.items()}


def shop_costs(foods: Mapping[str, Mapping[str, Any]]) -> ShopCosts:
    pantry = default_pantry(foods.values())
    line: dict[str, str] = {}
    cost: dict[str, float] = {}
    for slug, food in foods.items():
        if slug in pantry or buying(food).homemade:  # on hand, or made at home from other foods
            continue
        key = bought_as(food, foods)
        key = merged_into(foods[key], foods) or key  # one line for a food in two forms, as a week needing both buys
        line[slug] = key
        cost[key] = max(cost.get(key, 0.0), ITEM + PER_KG * first_buy_grams(foods.get(key, food)) / 1000)
    return ShopCosts(line, cost)
