"""Reading what a person adds by hand ("2 lemons", "500 g mince", "1 can chickpeas", "kitchen roll")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from planner.foods.text import has_control_characters, tokens
from planner.i18n import N_
from planner.refused import Invalid
from planner.shopping.purchase import count_to_grams
from planner.shopping.units import canonical_unit, to_grams

MAX_LENGTH = 120
# Words shops sell things in; "2 tins tomatoes" counts the food's own purchase unit.
PACK_WORDS = frozenset({
    "can", "tin", "bag", "pack", "packet", "bunch", "jar", "bottle", "carton", "tub", "pot", "punnet", "loaf",
    "box", "block", "ball", "log", "wedge", "pouch", "head", "bulb", "tube", "each", "piece", "x",
})
_NUMBER = re.compile(r"^(\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?|[½¼¾])\s*")
_VULGAR = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4)}
_MAX_QUANTITY = 10_000


class FoodFinder(Protocol):
    def exact(self, text: str) -> dict[str, Any] | None: ...
    def search(self, query: str) -> Any: ...


class ExtraError(Invalid):
    """Words that cannot be added; the message says what to write."""


@dataclass(frozen=True)
class Reading:
    text: str
    food: dict[str, Any] | None
    grams: float | None


def _number(raw: str) -> float:
    if raw in _VULGAR:
        return float(_VULGAR[raw])
    whole, _, part = raw.partition(" ")
    if part:
        return float(int(whole) + Fraction(part))
    return float(Fraction(raw.replace(",", ".")))


def _singular(word: str) -> str:
    for ending, replacement in (("ies", "y"), ("oes", "o"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)] + replacement
    return word


def exact_food(name: str, finder: FoodFinder) -> dict[str, Any] | None:
    """The food these words name exactly (a name or synonym), as written or in the singular."""
    return finder.exact(name) or finder.exact(" ".join(_singular(w) for w in name.split()))


def match_food(name: str, finder: FoodFinder) -> dict[str, Any] | None:
    """The food these words name: exactly, then the search's clear first hit. Words with nothing
    to search for ("%", "*") name no food: a search for nothing lists every food."""
    found = exact_food(name, finder)
    if found or not tokens(name):
        return found
    result = finder.search(name)
    return None if result.approximate or not result.records else result.records[0]


def suggestions(name: str, finder: FoodFinder, limit: int = 5) -> list[dict[str, Any]]:
    """Foods close to words that name none exactly, for "did you mean"."""
    return list(finder.search(name).records[:limit]) if tokens(name) else []


def _unit(words: list[str]) -> tuple[str | None, int]:
    """A mass, volume or pack unit at the start of the words, and how many words it took."""
    two_words = canonical_unit(" ".join(words[:2])) if len(words) >= 2 else None
    if two_words:
        return two_words, 2
    if words:
        first = words[0].rstrip(".")
        one_word = canonical_unit(first)
        if one_word:
            return one_word, 1
        if _singular(first) in PACK_WORDS or first in PACK_WORDS:
            return "pack", 1
    return None, 0


def read_extra(text: str, finder: FoodFinder) -> Reading:
    clean = " ".join(text.split())
    if not clean:
        raise ExtraError(N_("Write what to add, for example '2 lemons' or 'kitchen roll'."))
    if len(clean) > MAX_LENGTH:
        raise ExtraError(f"Keep it under {MAX_LENGTH} characters.")
    if has_control_characters(clean):
        raise ExtraError(N_("Write it in plain words, without control characters."))
    quantity: float | None = None
    rest = clean
    number = _NUMBER.match(clean)
    if number:
        try:
            quantity = _number(number[1])
        except (ValueError, ZeroDivisionError):
            raise ExtraError(f"'{number[1]}' is not a number we can read.") from None
        if not 0 < quantity <= _MAX_QUANTITY:
            raise ExtraError(f"Give an amount between 0 and {_MAX_QUANTITY:,}.")
        rest = clean[number.end():]
    words = rest.split()
    unit, used = _unit(words) if quantity is not None else (None, 0)
    words = words[used:]
    if words and words[0].lower() == "of":
        words = words[1:]
    name = " ".join(words)
    if not name:
        raise ExtraError(N_("Say what it is as well as how much, for example '500 g mince'."))
    food = match_food(name, finder)
    return Reading(clean, food, _grams(quantity, unit, food))


def _grams(quantity: float | None, unit: str | None, food: dict[str, Any] | None) -> float | None:
    if quantity is None:
        return None
    if unit and unit != "pack":
        grams = to_grams(quantity, unit, food)
        return round(grams, 1) if grams is not None else None
    return round(count_to_grams(quantity, food), 1) if food else None
