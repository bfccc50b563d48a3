"""Rounding a need up to what a shop sells: whole packs, or loose produce by weight.

A food's `purchase_unit` says what one purchase is ("can 400 g (about 240 g drained)") and
`grams`, the usable grams it gives recipes, weighed as the recipes weigh the food: drained for
canned beans and fish, cooked for foods bought dried, edible for produce with a peel or shell.
Four optional food fields say more (checked in planner/foods/records.py):

- `bought_as: {food, factor}`: the shop sells this food as another one; `factor` turns this
  food's grams into grams of that one (cooked brown rice is bought as dried: 0.34 g a gram).
  The list buys both on one line; the food's own purchase unit says the same in its own weight.
- `merges_into: {food, factor}`: the same food in another form (dried and canned beans, semi-skimmed
  and whole milk); a week that needs both buys that one only, `factor` grams of it for a gram of this.
- `homemade: true`: cooked at home from other foods, never bought (the list's "Make at home").
- `counted: {one, many, grams}`: read as pieces ("5 eggs"), `grams` the weight of one.

The food records the database keeps carry only the purchase unit, so for a curated food these
fields are read from its data file by slug when the record does not hold them.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from planner.data import FOODS_DIR

LOOSE_STEP_G = 50  # loose produce is weighed out to the next 50 g
COUNTED = ("each",)  # units bought one by one: "3 onions", not "3 × each"
_COUNTED_UNIT = re.compile(rf"^(?:{'|'.join(COUNTED)})\b(?:\s*\((.*)\))?")
BUYING_FIELDS = ("bought_as", "merges_into", "homemade", "counted")


@dataclass(frozen=True)
class Piece:
    """What a food counted by the piece is called, and what one piece weighs."""
    grams: float
    one: str  # "egg"
    many: str  # "eggs"

    def count(self, grams: float) -> float:
        return grams / self.grams

    def text(self, grams: float) -> str:
        """'1 egg', '5 eggs', '2.5 eggs', '0.04 eggs': whole within a twentieth of a whole piece."""
        count = self.count(grams)
        whole = round(count)
        if whole >= 1 and abs(count - whole) < 0.05:
            return f"{whole} {self.one if whole == 1 else self.many}"
        return f"{count:.1f} {self.many}" if count >= 0.095 else f"{count:.2g} {self.many}"


@dataclass(frozen=True)
class Buying:
    """How a food reaches the kitchen: bought as itself or as another food, or made at home."""
    as_food: str | None = None  # the food the shop sells instead
    factor: float = 1.0  # grams of `as_food` for one gram of this food
    homemade: bool = False
    piece: Piece | None = None
    merges_into: str | None = None  # the form of the same food bought instead when a week needs both
    merge_factor: float = 1.0  # grams of `merges_into` for one gram of this food


@dataclass(frozen=True)
class Purchase:
    count: int | None  # packs or pieces; None when weighed out loose
    unit: str  # the shop's unit: "each", "can 400 g (about 240 g drained)", "bunch", "loose"
    grams: float  # the usable grams the purchase gives recipes
    pieces: int | None = None  # for a food counted by the piece: how many the packs hold ("6 eggs")

    @property
    def counted(self) -> bool:
        return _COUNTED_UNIT.match(self.unit) is not None

    @property
    def count_note(self) -> str:
        """The one word a counted unit adds about what its grams are: 'peeled' in 'each (peeled)'."""
        found = _COUNTED_UNIT.match(self.unit)
        return found[1] if found and found[1] and " " not in found[1] else ""


def is_loose(unit: str) -> bool:
    return unit.startswith("loose")


def packs_needed(grams: float, pack_grams: float) -> int:
    """The fewest packs that hold `grams`: never less than needed, at least one."""
    count = max(1, math.ceil(grams / pack_grams - 1e-9))
    while count * pack_grams < grams:  # guard the float division above
        count += 1
    return count


_RECORD_START = re.compile(r"(?m)^- ")  # each food is one item of a file's top-level list


@cache
def curated_buying() -> dict[str, dict[str, Any]]:
    """The buying fields of every curated food that has any, by slug, straight from the data files.
    Only the foods that name a buying field are parsed: reading every food takes a third of a second."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(FOODS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _RECORD_START.finditer(text)] + [len(text)]
        for start, end in zip(starts, starts[1:], strict=False):
            chunk = text[start:end]
            if not any(f"{name}:" in chunk for name in BUYING_FIELDS):
                continue
            for record in yaml.load(chunk, Loader=loader) or []:
                fields = {name: record[name] for name in BUYING_FIELDS if record.get(name) is not None}
                if fields and record.get("slug"):
                    found[record["slug"]] = fields
    return found


def buying(food: Mapping[str, Any]) -> Buying:
    """How a food is bought, from its record, or from the curated data for a record the database gave."""
    fields = {name: food[name] for name in BUYING_FIELDS if food.get(name) is not None}
    if not fields:
        fields = curated_buying().get(food.get("slug") or "", {})
    bought = fields.get("bought_as") or {}
    counted = fields.get("counted")
    piece = Piece(float(counted["grams"]), counted["one"], counted["many"]) if counted else None
    merged = fields.get("merges_into") or {}
    return Buying(bought.get("food"), float(bought.get("factor", 1.0)), bool(fields.get("homemade")), piece,
                  merged.get("food"), float(merged.get("factor", 1.0)))


def _another(target: str | None, food: Mapping[str, Any], foods: Mapping[str, Mapping[str, Any]]) -> str | None:
    """`target` if it names another food among `foods`."""
    return target if target and target in foods and target != food["slug"] else None


def bought_as(food: Mapping[str, Any], foods: Mapping[str, Mapping[str, Any]]) -> str:
    """The slug of the food the shop line buys: the food itself unless it is bought as another in `foods`."""
    return _another(buying(food).as_food, food, foods) or food["slug"]


def merged_into(food: Mapping[str, Any], foods: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The food whose line takes this food's when a week needs both, if it is among `foods`."""
    return _another(buying(food).merges_into, food, foods)


def first_buy_grams(food: Mapping[str, Any]) -> float:
    """The usable grams (as the food's recipes weigh it) the smallest purchase of the food gives."""
    unit = food["purchase_unit"]
    return float(LOOSE_STEP_G) if is_loose(unit["unit"]) else float(unit["grams"])


def purchase(grams: float, food: Mapping[str, Any]) -> Purchase:
    unit = food["purchase_unit"]["unit"]
    if is_loose(unit):
        return Purchase(None, "loose", packs_needed(grams, LOOSE_STEP_G) * LOOSE_STEP_G)
    size = food["purchase_unit"]["grams"]
    count = packs_needed(grams, size)
    piece = buying(food).piece
    pieces = round(count * size / piece.grams) if piece else None
    return Purchase(count, unit, count * size, pieces)


def _count_grams(food: Mapping[str, Any]) -> float:
    """What one counted thing of a food weighs: a piece ("2 eggs") if it is counted, else a purchase."""
    piece = buying(food).piece
    return piece.grams if piece else food["purchase_unit"]["grams"]


def count_to_grams(count: float, food: Mapping[str, Any]) -> float:
    """Pieces or packs of a food in grams: its pieces when it is counted by the piece, else its purchase unit."""
    return count * _count_grams(food)


def grams_to_count(grams: float, food: Mapping[str, Any]) -> float:
    return grams / _count_grams(food)
