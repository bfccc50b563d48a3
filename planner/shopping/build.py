"""The one function that builds a shopping list, and the shapes it builds.

Input is what the plans hold (each meal's recipe and the profile's grams of every
ingredient), the foods, the profile's shopping settings and what the person changed
(ticks, removed items, extras). Nothing here touches the database.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.shopping.purchase import Purchase, purchase
from planner.shopping.units import Amount, amount

OTHER = "other"
OTHER_LABEL = "Other things"


@dataclass(frozen=True)
class MealUse:
    """One planned meal: when, which recipe, and the profile's grams of each ingredient."""
    day: date
    meal: str
    recipe: str
    ingredients: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Settings:
    units: str = "metric"
    aisle_order: tuple[str, ...] = ()  # aisles not named follow in the usual order
    pantry: frozenset[str] = frozenset()  # food slugs kept on hand


@dataclass(frozen=True)
class Extra:
    """Something added by hand, matched to a food when the words name one."""
    id: int
    text: str
    food: str | None = None
    food_name: str | None = None
    grams: float | None = None
    checked: bool = False

    @property
    def key(self) -> str:
        return f"extra:{self.id}"


@dataclass(frozen=True)
class State:
    """What the person changed; everything else is derived from the plans."""
    checked: frozenset[str] = frozenset()  # food slugs
    removed: frozenset[str] = frozenset()
    extras: tuple[Extra, ...] = ()


@dataclass(frozen=True)
class Need:
    day: date
    meal: str
    recipe: str
    grams: float


@dataclass(frozen=True)
class Item:
    food: str
    name: str
    aisle: str
    grams: float  # exactly what the meals need
    need: Amount  # the same, in the profile's units
    purchase: Purchase
    bought: Amount  # what the purchase holds, in the profile's units
    needs: tuple[Need, ...]
    checked: bool
    pantry: bool

    @property
    def key(self) -> str:
        return f"food:{self.food}"


@dataclass
class Aisle:
    slug: str
    label: str
    items: list[Item] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)


@dataclass
class ShoppingList:
    title: str
    start: date | None
    end: date | None
    units: str
    aisles: list[Aisle]  # to buy, in the profile's store order; empty aisles left out
    pantry: list[Item]  # "check you have"
    removed: list[Item]

    def items(self) -> Iterator[Item]:
        """Every item the meals need, whether to buy, in the pantry or removed."""
        for aisle in self.aisles:
            yield from aisle.items
        yield from self.pantry
        yield from self.removed

    @property
    def multi_week(self) -> bool:
        return bool(self.start and self.end and (self.end - self.start).days >= 7)

    def counts(self) -> dict[str, int]:
        buy = [i for a in self.aisles for i in a.items] + [e for a in self.aisles for e in a.extras]
        return {"to_buy": len(buy), "ticked": sum(1 for i in buy if i.checked),
                "pantry": len(self.pantry), "removed": len(self.removed)}


def shop_order(order: Sequence[str], aisles: Mapping[str, str]) -> list[str]:
    """Every aisle: the profile's order first, then any aisle it did not name."""
    chosen = [a for a in dict.fromkeys(order) if a in aisles]
    return chosen + [a for a in aisles if a not in chosen]


def store_order(order: Sequence[str], aisles: Mapping[str, str]) -> list[str]:
    """The aisles a list walks through: the shop's order, then 'other' for unmatched extras."""
    return shop_order(order, aisles) + [OTHER]


def total_grams(uses: Sequence[MealUse]) -> dict[str, list[Need]]:
    needs: dict[str, list[Need]] = {}
    for use in uses:
        for food, grams in use.ingredients:
            needs.setdefault(food, []).append(Need(use.day, use.meal, use.recipe, grams))
    return needs


def by_name(item: Item) -> str:
    return item.name.casefold()


def build_list(uses: Sequence[MealUse], foods: Mapping[str, Mapping[str, Any]], settings: Settings, state: State,
               aisles: Mapping[str, str], title: str) -> ShoppingList:
    order = store_order(settings.aisle_order, aisles)
    groups = {slug: Aisle(slug, aisles.get(slug, OTHER_LABEL)) for slug in order}
    pantry: list[Item] = []
    removed: list[Item] = []
    for slug, needs in total_grams(uses).items():
        food = foods[slug]
        grams = round(sum(n.grams for n in needs), 1)
        bought = purchase(grams, food)
        item = Item(slug, food["name"], food["aisle"] if food["aisle"] in aisles else OTHER, grams,
                    amount(grams, food, settings.units), bought, amount(bought.grams, food, settings.units),
                    tuple(needs), slug in state.checked, slug in settings.pantry)
        if slug in state.removed:
            removed.append(item)
        elif item.pantry:
            pantry.append(item)
        else:
            groups[item.aisle].items.append(item)
    for extra in state.extras:
        extra_food = foods.get(extra.food) if extra.food else None
        aisle = extra_food["aisle"] if extra_food and extra_food["aisle"] in aisles else OTHER
        groups[aisle].extras.append(extra)
    for group in groups.values():
        group.items.sort(key=by_name)
    rank = {slug: n for n, slug in enumerate(order)}
    pantry.sort(key=lambda item: (rank[item.aisle], by_name(item)))
    removed.sort(key=by_name)
    days = [use.day for use in uses]
    return ShoppingList(title, min(days, default=None), max(days, default=None), settings.units,
                        [g for g in groups.values() if g.items or g.extras], pantry, removed)
