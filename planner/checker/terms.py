"""Phrase lists for reading labels (planner/data/label_terms.yaml) and a matcher that finds
them in a list of words in one pass."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
from planner.foods.text import tokens

NEUTRAL = "neutral"


@dataclass(frozen=True)
class Match:
    category: str
    phrase: str  # the phrase as written in the term list
    start: int
    end: int


class PhraseMatcher:
    """Longest-phrase matching per category, linear in the number of words.

    At each word, every category takes its longest phrase starting there (if it is not
    still inside its previous match); a neutral phrase blocks the categories that do not
    list it themselves.
    """

    def __init__(self, phrases: Iterable[tuple[str, str]]):
        self.starting: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        for category, phrase in phrases:
            words = tuple(tokens(phrase))
            if words:
                self.starting.setdefault(words[0], []).append((words, category, phrase))
        for options in self.starting.values():
            options.sort(key=lambda option: -len(option[0]))
        self.categories = {c for options in self.starting.values() for _, c, _ in options} - {NEUTRAL}

    def find(self, words: list[str]) -> list[Match]:
        found: list[Match] = []
        busy_until: dict[str, int] = {}
        for i, word in enumerate(words):
            taken: set[str] = set()
            for phrase_words, category, phrase in self.starting.get(word, ()):
                end = i + len(phrase_words)
                if tuple(words[i:end]) != phrase_words:
                    continue
                if category == NEUTRAL:
                    for other in self.categories - taken:
                        if busy_until.get(other, 0) <= i:
                            busy_until[other] = end
                            taken.add(other)
                    continue
                if category in taken or busy_until.get(category, 0) > i:
                    continue
                taken.add(category)
                busy_until[category] = end
                found.append(Match(category, phrase, i, end))
        return found


@dataclass(frozen=True)
class Ranges:
    spans: tuple[tuple[int, int], ...]

    def __contains__(self, number: int) -> bool:
        return any(low <= number <= high for low, high in self.spans)


@dataclass(frozen=True)
class LabelTerms:
    matcher: PhraseMatcher
    nova3_additives: frozenset[int]
    nova4_additives: Ranges
    sweetener_additives: Ranges
    sulphite_additives: Ranges
    additive_by_name: dict[str, int]  # phrase -> E number
    sugar_names: dict[str, str]  # phrase -> canonical sugar name
    name_of_additive: dict[int, str]
    # Starts a "may contain ..." statement, or (group "contains") a declared-allergen one;
    # "contains 2% or less of" is not one.
    statement_opener: re.Pattern[str]
    descriptors: frozenset[str]
    neutral_keys: frozenset[str]


def _e_number(code: str) -> int:
    return int(re.sub(r"\D", "", code))


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _statement_opener(trace_openers: list[str], contains_openers: list[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternatives(trace_openers)})\b"
                      rf"|\b(?P<contains>{_alternatives(contains_openers)})\b\s*:?(?!\s*\d)")


@cache
def label_terms() -> LabelTerms:
    data: dict[str, Any] = read_yaml(DATA_DIR / "label_terms.yaml")
    phrases: list[tuple[str, str]] = [(NEUTRAL, p) for p in data["neutral"]]
    phrases += [("nova3", p) for p in data["nova3"]["ingredients"]]
    phrases += [("nova4", p) for p in data["nova4"]["ingredients"]]
    phrases += [("class4", p) for p in data["nova4"]["classes"]]
    sugar_names = {p: name for name, variants in data["added_sugars"].items() for p in variants}
    phrases += [("sugar", p) for p in sugar_names]
    phrases += [("sweetener", p) for p in data["sweeteners"]["names"]]
    phrases += [(f"allergen:{slug}", p) for slug, words in data["allergens"].items() for p in words]
    for key in ("live_cultures", "not_live", "fermented", "whole_grains", "refined_grains", "alcohol"):
        phrases += [(key, p) for p in data[key]]
    additive_by_name = {p: _e_number(code) for code, names in data["additive_names"].items() for p in names}
    phrases += [("additive", p) for p in additive_by_name]
    return LabelTerms(
        matcher=PhraseMatcher(phrases),
        nova3_additives=frozenset(_e_number(c) for c in data["nova3"]["additives"]),
        nova4_additives=Ranges(tuple(tuple(r) for r in data["nova4"]["additives"])),
        sweetener_additives=Ranges(tuple(tuple(r) for r in data["sweeteners"]["additives"])),
        sulphite_additives=Ranges(tuple(tuple(r) for r in data["allergen_additives"]["sulphites"])),
        additive_by_name=additive_by_name,
        sugar_names=sugar_names,
        name_of_additive={n: names[0] for code, names in data["additive_names"].items() for n in [_e_number(code)]},
        statement_opener=_statement_opener(data["trace_openers"], data["contains_openers"]),
        descriptors=frozenset(w for d in data["descriptors"] for w in tokens(d)),
        neutral_keys=frozenset(" ".join(tokens(p)) for p in data["neutral"]),
    )
