"""Reading an ingredient label: structure, NOVA markers, sugars, allergens, traces,
alcohol, cultures and grains. Every step is a single pass over the text."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from planner.checker.terms import LabelTerms, Match, label_terms
from planner.foods.text import fold, tokens
from planner.refused import TooLarge

MAX_LABEL_CHARS = 20_000

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_PERCENT_ONLY = re.compile(r"^\s*(?:min\.?\s*)?\d+(?:[.,]\d+)?\s*%\s*$")
_E_NUMBER = re.compile(r"\be\s?-?(\d{3,4})[a-f]?\b")
_ABV = re.compile(r"(?P<below><\s*|less\s+than\s+|under\s+)?(?P<a>\d+(?:[.,]\d+)?)\s*%\s*(?:vol|abv|alc)\b"
                  r"|\balc\.?\s*(?:vol\.?\s*)?:?\s*(?P<below2><\s*)?(?P<b>\d+(?:[.,]\d+)?)\s*%")
_JUICE_CONCENTRATE = re.compile(r"\bconcentrated\s+(?:\w+\s+){0,3}?juice\b|\bjuice\s+concentrate\b")
_LESS_THAN = re.compile(r"(?:contains\s+)?(?:\d+(?:[.,]\d+)?\s*%\s+or\s+less|less\s+than\s+\d+(?:[.,]\d+)?\s*%)"
                        r"(?:\s+of)?(?:\s+(?:each\s+of\s+)?the\s+following)?\s*:?")
_INGREDIENTS_HEADING = re.compile(r"\bingredients?\s*:")
_SENTENCE_END = re.compile(r"\.(?!\d)|\n|\)|\]")
_CLAIM = ("no", "free", "without")
# An item made only of these words is a claim about the product ("Raw and unpasteurised").
_CLAIM_WORDS = frozenset({"raw", "unpasteurized", "and", "naturally", "fermented", "live", "unfiltered", "organic"})


class LabelTooLong(TooLarge):
    """An ingredient list longer than the checker reads."""

    def __init__(self, length: int):
        super().__init__(f"An ingredient list may be up to {MAX_LABEL_CHARS:,} characters; this text has {length:,}. "
                         "Paste just the ingredients.")


@dataclass
class Item:
    text: str  # as printed, brackets included
    name: str  # the ingredient itself, without bracketed parts or percentages
    children: list[Item] = field(default_factory=list)
    percent: float | None = None


@dataclass
class Reading:
    """What the label says, before any verdict."""

    ingredients: list[Item]
    nova_group: int
    markers: list[dict[str, object]]
    added_sugars: list[str]
    sweeteners: list[str]
    allergens: list[str]
    traces: list[str]
    alcohol: bool
    abv: float | None
    fermented: bool
    live_cultures: bool
    whole_grains: list[str]
    refined_grains: list[str]
    first_is_sugar: bool


# -- text and structure --------------------------------------------------------------------

def _lower_same_length(text: str) -> str:
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def _statement_end(lower: str, start: int) -> int:
    found = _SENTENCE_END.search(lower, start)
    return found.start() if found else len(lower)


def _blank(chars: list[str], start: int, end: int) -> None:
    chars[start:end] = [" "] * (end - start)
    if start < len(chars):
        chars[start] = ","


def _extract_statements(text: str, terms: LabelTerms) -> tuple[str, list[str], list[str], float | None]:
    """Take out "may contain" and "contains:" statements and the alcohol line.

    Returns the remaining ingredient text (same length, statements blanked), the trace
    statements, the declared-allergen statements and the alcohol by volume.
    """
    lower = _lower_same_length(text)
    chars = list(text)
    abv = None
    for found in _ABV.finditer(lower):
        value = float((found.group("a") or found.group("b")).replace(",", "."))
        # "< 0.5 % vol" means below the value: count it as alcohol-free.
        abv = 0.0 if found.group("below") or found.group("below2") else value
        _blank(chars, found.start(), found.end())
    for found in _LESS_THAN.finditer(lower):
        _blank(chars, found.start(), found.end())
    traces: list[str] = []
    declared: list[str] = []
    position = 0
    for found in terms.statement_opener.finditer(lower):
        if found.start() < position:
            continue
        end = _statement_end(lower, found.end())
        statement = text[found.end():end]
        (declared if found.group("contains") else traces).append(statement)
        _blank(chars, found.start(), end)
        position = end
    remaining = "".join(chars)
    heading = _INGREDIENTS_HEADING.search(_lower_same_length(remaining))
    if heading:
        remaining = remaining[heading.end():]
    return remaining, traces, declared, abv


def _finish(buffer: list[str], children: list[Item]) -> Item | None:
    text = "".join(buffer).strip(" \t\r\n*•·-–:")
    text = re.sub(r"^(?:and|&)\s+", "", text, flags=re.IGNORECASE)
    if not text and not children:
        return None
    percent = _PERCENT.search(text)
    name = " ".join(_PERCENT.sub(" ", text).split()).strip(" ,:")
    shown = text + (" (" + ", ".join(c.text for c in children) + ")" if children else "")
    return Item(shown, name, children, float(percent.group(1).replace(",", ".")) if percent else None)


def parse_ingredients(text: str) -> list[Item]:
    """Split a list on commas and semicolons, with brackets making nested lists."""
    frames: list[tuple[list[str], list[Item], list[Item]]] = [([], [], [])]  # buffer, children, items
    for index, ch in enumerate(text):
        buffer, children, items = frames[-1]
        if ch in "([{":
            frames.append(([], [], []))
        elif ch in ")]}" and len(frames) > 1:
            inside = "".join(buffer)
            if _PERCENT_ONLY.match(inside) and not children and not items:
                frames.pop()
                frames[-1][0].append(" " + inside)  # "oats (45%)": the share of its parent
                continue
            item = _finish(buffer, children)
            inner = frames.pop()[2] + ([item] if item else [])
            frames[-1][1].extend(inner)
        elif ch in ",;\n" or (ch == "." and not text[index + 1:index + 2].isdigit()):
            item = _finish(buffer, children)
            if item:
                items.append(item)
            frames[-1] = ([], [], items)
        else:
            buffer.append(ch)
    while len(frames) > 1:  # unclosed brackets: keep what they held
        buffer, children, items = frames.pop()
        item = _finish(buffer, children)
        frames[-1][1].extend(items + ([item] if item else []))
    buffer, children, items = frames[0]
    item = _finish(buffer, children)
    return items + ([item] if item else [])


def walk(items: list[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        yield from walk(item.children)


# -- reading -------------------------------------------------------------------------------

def _is_claim(words: list[str]) -> bool:
    return bool(words) and words[0] in _CLAIM


def _e_numbers(name: str) -> list[int]:
    return [int(n) for n in _E_NUMBER.findall(fold(name))]


@dataclass
class _Found:
    matches: list[Match]
    additives: list[int]


def _scan(item: Item, terms: LabelTerms) -> _Found:
    words = tokens(item.name)
    if _is_claim(words):
        return _Found([], [])
    matches = terms.matcher.find(words)
    if _JUICE_CONCENTRATE.search(fold(item.name)) and not any(m.category == "sugar" for m in matches):
        matches.append(Match("sugar", "fruit juice concentrate", 0, len(words)))
    additives = _e_numbers(item.name) + [terms.additive_by_name[m.phrase] for m in matches if m.category == "additive"]
    return _Found(matches, additives)


def _culinary(item: Item, found: _Found) -> bool:
    """A culinary ingredient such as "sea salt" or "extra virgin olive oil": its last word
    is a group-3 ingredient and nothing ultra-processed is in it."""
    words = tokens(item.name)
    ends = {m.end for m in found.matches if m.category == "nova3"}
    return len(words) in ends and not any(m.category in ("nova4", "class4") for m in found.matches)


def _allergens_in(text: str, matches: list[Match], terms: LabelTerms) -> list[str]:
    slugs = [m.category.split(":", 1)[1] for m in matches if m.category.startswith("allergen:")]
    if any(n in terms.sulphite_additives for n in _e_numbers(text)):
        slugs.append("sulphites")
    return slugs


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def read_label(text: str, terms: LabelTerms | None = None) -> Reading:
    """Everything the checker reads off an ingredient list (raises LabelTooLong)."""
    if len(text) > MAX_LABEL_CHARS:
        raise LabelTooLong(len(text))
    terms = terms or label_terms()
    body, trace_texts, declared, abv = _extract_statements(text, terms)
    ingredients = parse_ingredients(body)
    markers: list[dict[str, object]] = []
    sugars: list[str] = []
    sweeteners: list[str] = []
    allergens: list[str] = []
    traces = [slug for text in trace_texts for slug in _allergens_in(text, terms.matcher.find(tokens(text)), terms)]
    whole: list[str] = []
    refined: list[str] = []
    flags: dict[str, bool] = {"live": False, "not_live": False, "fermented": False, "raw": False, "alcohol": False}
    culinary = True
    first_is_sugar = False
    top_level = {id(item) for item in ingredients}  # identity: equal items may repeat

    def marker(group: int, name: str, item: Item) -> None:
        markers.append({"group": group, "marker": name, "text": item.text})

    for item in walk(ingredients):
        found = _scan(item, terms)
        for match in found.matches:
            kind = match.category
            if kind == "nova4" or kind == "class4":
                marker(4, match.phrase, item)
            elif kind == "nova3":
                marker(3, match.phrase, item)
            elif kind == "sugar":
                sugars.append(terms.sugar_names.get(match.phrase, match.phrase))
            elif kind == "sweetener":
                sweeteners.append(match.phrase)
            elif kind.startswith("allergen:"):
                allergens.append(kind.split(":", 1)[1])
            elif kind == "live_cultures" and match.phrase in ("raw", "unpasteurized"):
                # "raw cane sugar" is no claim; "Raw, unpasteurised." is.
                flags["raw"] = flags["raw"] or set(tokens(item.name)) <= _CLAIM_WORDS
            elif kind == "live_cultures":
                flags["live"] = True
            elif kind == "not_live":
                flags["not_live"] = True
            elif kind == "fermented":
                flags["fermented"] = True
            elif kind == "alcohol":
                flags["alcohol"] = True
        item_whole = [m.phrase for m in found.matches if m.category == "whole_grains"]
        whole.extend(item_whole)
        if not item_whole:
            refined.extend(m.phrase for m in found.matches if m.category == "refined_grains")
        for number in found.additives:
            code = f"E{number}"
            if number in terms.nova4_additives:
                marker(4, code, item)
            elif number in terms.nova3_additives:
                marker(3, code, item)
            if number in terms.sweetener_additives:
                sweeteners.append(terms.name_of_additive.get(number, code))
            if number in terms.sulphite_additives:
                allergens.append("sulphites")
        if id(item) in top_level and not _culinary(item, found):
            culinary = False
        if item is ingredients[0]:
            first_is_sugar = any(m.category == "sugar" for m in found.matches)
    group = max([1, *(int(m["group"]) for m in markers)])  # type: ignore[call-overload]
    if group == 3 and culinary and ingredients:
        group = 2
    live = (flags["live"] or flags["raw"]) and not flags["not_live"]
    for statement in declared:  # allergens, or a claim such as "Contains live cultures (...)"
        matches = terms.matcher.find(tokens(statement))
        allergens.extend(_allergens_in(statement, matches, terms))
        for match in matches:
            if match.category == "live_cultures" and match.phrase not in ("raw", "unpasteurized"):
                live = not flags["not_live"]
            flags["fermented"] = flags["fermented"] or match.category == "fermented"
    return Reading(
        ingredients=ingredients,
        nova_group=group,
        markers=markers,
        added_sugars=_unique(sugars),
        sweeteners=_unique(sweeteners),
        allergens=sorted(set(allergens)),
        traces=sorted(set(traces)),
        alcohol=abv >= 0.5 if abv is not None else flags["alcohol"],
        abv=abv,
        fermented=flags["fermented"] or live,
        live_cultures=live,
        whole_grains=_unique(whole),
        refined_grains=_unique(refined),
        first_is_sugar=first_is_sugar,
    )
