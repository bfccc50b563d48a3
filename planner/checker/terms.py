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
            # At equal length a list naming the phrase goes before the neutral entry, so the neutral
            # phrase does not block it ("soy milk" is soy).
            options.sort(key=lambda option: (-len(option[0]), option[1] == NEUTRAL))
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
    additive_by_name: dict[str, str]  # phrase -> code ("E160c")
    additive_alias: dict[str, str]  # phrase -> the name to show ("fd c red no 40" -> "red 40")
    sugar_names: dict[str, str]  # phrase -> canonical sugar name
    name_of_additive: dict[int, str]
    # Starts a "may contain ..." statement, or (group "contains") a declared-allergen one;
    # "contains 2% or less of" is not one.
    statement_opener: re.Pattern[str]
    descriptors: frozenset[str]
    neutral_keys: frozenset[str]
    plain_flours: frozenset[str]  # word keys, descriptors set aside
    additive_class: dict[str, str]  # phrase -> class name


def e_number(code: str) -> int:
    """The number of an additive code: "E943a" -> 943."""
    return int(re.sub(r"\D", "", code))


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _statement_opener(trace_openers: list[str], contains_openers: list[str]) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternatives(trace_openers)})\b"
                      rf"|\b(?P<contains>{_alternatives(contains_openers)})\b\s*:?(?!\s*\d)")


def _fdc_names(colour: str) -> list[str]:
    """"red 40" as labels print it: "Red 40", "Red No. 40", "FD&C Red #40"."""
    hue, number = colour.rsplit(" ", 1)
    plain = [f"{hue} {number}", f"{hue} no {number}", f"{hue} number {number}"]
    return plain + [f"fd c {p}" for p in plain] + [f"fd and c {p}" for p in plain]


def without_descriptors(words: list[str], descriptors: frozenset[str]) -> str:
    return " ".join(w for w in words if w not in descriptors)


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
    phrases += [(f"except:{slug}", p) for slug, words in data["allergen_exceptions"].items() for p in words]
    phrases += [("pointer", p) for p in data["allergen_pointers"]]
    for key in ("live_cultures", "not_live", "fermented", "whole_grains", "refined_grains", "alcohol"):
        phrases += [(key, p) for p in data[key]]
    names: dict[str, list[str]] = {code: list(words) for code, words in data["additive_names"].items()}
    alias: dict[str, str] = {}
    for code, colour in data["fdc_colors"].items():
        variants = _fdc_names(colour)
        names.setdefault(code, []).extend(variants)
        alias.update((v, colour) for v in variants)
    additive_by_name = {p: code for code, words in names.items() for p in words}
    phrases += [("additive", p) for p in additive_by_name]
    additive_class = {p: name for name, words in data["additive_classes"].items() for p in words}
    phrases += [("additive_class", p) for p in additive_class]
    descriptors = frozenset(w for d in data["descriptors"] for w in tokens(d))
    return LabelTerms(
        matcher=PhraseMatcher(phrases),
        nova3_additives=frozenset(e_number(c) for c in data["nova3"]["additives"]),
        nova4_additives=Ranges(tuple(tuple(r) for r in data["nova4"]["additives"])),
        sweetener_additives=Ranges(tuple(tuple(r) for r in data["sweeteners"]["additives"])),
        sulphite_additives=Ranges(tuple(tuple(r) for r in data["allergen_additives"]["sulphites"])),
        additive_by_name=additive_by_name,
        additive_alias=alias,
        sugar_names=sugar_names,
        name_of_additive={e_number(code): words[0] for code, words in data["additive_names"].items()},
        statement_opener=_statement_opener(data["trace_openers"], data["contains_openers"]),
        descriptors=descriptors,
        neutral_keys=frozenset(" ".join(tokens(p)) for p in data["neutral"]),
        plain_flours=frozenset(without_descriptors(tokens(p), descriptors) for p in data["plain_flours"]),
        additive_class=additive_class,
    )
