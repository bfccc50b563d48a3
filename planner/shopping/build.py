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

from planner.shopping.purchase import Piece, Purchase, bought_as, buying, merged_into, purchase
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
    grams: float  # in grams of the food the line buys
    food: str | None = None  # the food the recipe uses, when the line buys it as another food
    used: float | None = None  # the recipe's grams of that food (cooked rice, where `grams` is dried)


@dataclass(frozen=True)
class Part:
    """A food the meals use that the line buys as its own food: cooked brown rice on the dried rice line."""
    food: str
    name: str
    used: Amount  # what the meals use of it, in the profile's units
    grams: float  # the same in grams of the food bought
    bought: Amount  # those grams of the food bought, in the profile's units


@dataclass(frozen=True)
class Item:
    food: str  # ticks and removals are kept under it: the food bought, or one the meals use in its place
    name: str
    aisle: str
    grams: float  # exactly what the meals need, in grams of the food bought
    need: Amount  # the same, in the profile's units
    purchase: Purchase
    bought: Amount  # the usable amount the purchase gives, in the profile's units
    needs: tuple[Need, ...]
    checked: bool
    pantry: bool
    buys: str = ""  # the food the shop sells for this line, when it is not `food`
    parts: tuple[Part, ...] = ()  # foods the meals use that this line buys in their place
    piece: Piece | None = None  # counted by the piece ("5 eggs")
    make: bool = False  # made at home, not bought
    # A food the meals use in its place has far less salt (dried beans on the canned line): the
    # week was planned with that food's salt, so the shop's no-added-salt kind keeps to it.
    no_added_salt: bool = False

    @property
    def key(self) -> str:
        return f"food:{self.food}"

    @property
    def bought_food(self) -> str:
        return self.buys or self.food

    @property
    def need_grams(self) -> float:
        return self.grams

    @property
    def bought_grams(self) -> float:
        """The usable grams bought (what the meals need, for a food made at home)."""
        return self.grams if self.make else self.purchase.grams

    @property
    def leftover_grams(self) -> float:
        return max(0.0, self.bought_grams - self.grams)

    @property
    def leftover_share(self) -> float:
        """(bought - need) / bought: the share of the purchase the meals leave over."""
        return self.leftover_grams / self.bought_grams if self.bought_grams else 0.0


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
    make: list[Item] = field(default_factory=list)  # made at home from other foods, not bought

    def items(self) -> Iterator[Item]:
        """Every item the meals need, whether to buy, to make, in the pantry or removed."""
        for aisle in self.aisles:
            yield from aisle.items
        yield from self.make
        yield from self.pantry
        yield from self.removed

    @property
    def multi_week(self) -> bool:
        return bool(self.start and self.end and (self.end - self.start).days >= 7)

    def counts(self) -> dict[str, int]:
        buy = [i for a in self.aisles for i in a.items] + [e for a in self.aisles for e in a.extras]
        return {"to_buy": len(buy), "ticked": sum(1 for i in buy if i.checked),
                "pantry": len(self.pantry), "removed": len(self.removed), "make": len(self.make)}


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


SALTIER = 1.5  # the line's own food has half as much salt again as the foods it stands in for
SALT_SLACK_MG = 50.0  # and more than a pinch more in all (mg of sodium)


def sodium(food: Mapping[str, Any]) -> float:
    """Milligrams of sodium in a gram of the food."""
    return float(food["nutrients"].get("sodium_mg", 0.0)) / 100


def shop_lines(uses: Sequence[MealUse], foods: Mapping[str, Mapping[str, Any]]) -> dict[str, list[Need]]:
    """The meals' needs by the food each shop line buys, in the meals' order. A food bought as
    another (cooked rice bought as dried) joins that food's line, its grams turned into that food's;
    so does a food the week also needs in the form it merges into (dried beans where canned are bought)."""
    line_of = {slug: (bought_as(foods[slug], foods), buying(foods[slug]).factor)
               for use in uses for slug, _ in use.ingredients}
    bought = {line for line, _ in line_of.values()}
    for slug, (line, factor) in line_of.items():
        target = merged_into(foods[line], foods)
        if target in bought:
            line_of[slug] = (target, factor * buying(foods[line]).merge_factor)
    lines: dict[str, list[Need]] = {}
    for use in uses:
        for slug, grams in use.ingredients:
            line, factor = line_of[slug]
            need = (Need(use.day, use.meal, use.recipe, grams) if line == slug
                    else Need(use.day, use.meal, use.recipe, grams * factor, slug, grams))
            lines.setdefault(line, []).append(need)
    return lines


def _item(line: str, needs: list[Need], foods: Mapping[str, Mapping[str, Any]], settings: Settings,
          state: State, aisles: Mapping[str, str]) -> Item:
    food = foods[line]
    used = sorted({n.food or line for n in needs})
    # Ticks and removals are kept per food the meals use: the line's own food when they use it.
    key = line if line in used else used[0]
    grams = round(sum(n.grams for n in needs), 1)
    how = buying(food)
    bought = purchase(grams, food)
    parts = []
    for slug in used:
        if slug != line:
            share = round(sum(n.grams for n in needs if n.food == slug), 1)
            parts.append(Part(slug, foods[slug]["name"],
                              amount(sum(n.used or 0.0 for n in needs if n.food == slug), foods[slug], settings.units),
                              share, amount(share, food, settings.units)))
    pantry = not how.homemade and any(slug in settings.pantry for slug in (line, *used))
    merged = [n for n in needs if n.food and bought_as(foods[n.food], foods) != line]  # another form's
    salt = sodium(food) * sum(n.grams for n in merged) > SALTIER * sum(
        sodium(foods[n.food]) * (n.used or 0.0) for n in merged if n.food) + SALT_SLACK_MG
    return Item(key, food["name"], food["aisle"] if food["aisle"] in aisles else OTHER, grams,
                amount(grams, food, settings.units), bought, amount(bought.grams, food, settings.units),
                tuple(needs), key in state.checked, pantry, "" if key == line else line, tuple(parts), how.piece,
                how.homemade, salt)


def build_list(uses: Sequence[MealUse], foods: Mapping[str, Mapping[str, Any]], settings: Settings, state: State,
               aisles: Mapping[str, str], title: str) -> ShoppingList:
    order = store_order(settings.aisle_order, aisles)
    groups = {slug: Aisle(slug, aisles.get(slug, OTHER_LABEL)) for slug in order}
    pantry: list[Item] = []
    removed: list[Item] = []
    make: list[Item] = []
    for line, needs in shop_lines(uses, foods).items():
        item = _item(line, needs, foods, settings, state, aisles)
        if item.food in state.removed:
            removed.append(item)
        elif item.make:
            make.append(item)
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
    make.sort(key=by_name)
    days = [use.day for use in uses]
    return ShoppingList(title, min(days, default=None), max(days, default=None), settings.units,
                        [g for g in groups.values() if g.items or g.extras], pantry, removed, make)
