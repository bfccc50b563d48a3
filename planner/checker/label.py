"""Reading an ingredient label: structure, NOVA markers, sugars, allergens, traces,
alcohol, cultures and grains. Every step is a single pass over the text."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from planner.checker.terms import LabelTerms, Match, e_number, label_terms, without_descriptors
from planner.foods.text import fold, tokens
from planner.refused import TooLarge

MAX_LABEL_CHARS = 20_000

_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_PERCENT_ONLY = re.compile(r"^\s*(?:min\.?\s*)?\d+(?:[.,]\d+)?\s*%\s*$")
# An additive's number: "E471", "E 471", "e-471", "INS 471", "INS471", with a letter ("E160a") and
# a roman numeral ("E322i", "E160a(ii)": read as its number and letter).
_ROMAN = r"(?:\(?(?:iv|v?i{1,3}|v)\)?)?"
_E_NUMBER = re.compile(rf"\b(?:e|ins)\s?(?:no\.?\s?)?-?\s?(\d{{3,4}})([a-h]?){_ROMAN}(?![a-z0-9])", re.IGNORECASE)
# An item that is only a number ("471", "503(ii)", "150c"): an additive when a class names it.
_BARE_CODE = re.compile(rf"^(\d{{3,4}})([a-h]?)\s?{_ROMAN}$", re.IGNORECASE)
_NUMBER_AFTER_CLASS = re.compile(r"(?<![\w.])(\d{3,4})([a-h]?)(?![\w.%])", re.IGNORECASE)
# Parts of an allergen statement: "soy, milk and hazelnut" is three names, not "soy milk".
_STATEMENT_PARTS = re.compile(r"[,;/&]|\band\b|\bor\b", re.IGNORECASE)
_LOWEST_E, _HIGHEST_E = 100, 1599
_ABV = re.compile(r"(?P<below><\s*|less\s+than\s+|under\s+)?(?P<a>\d+(?:[.,]\d+)?)\s*%\s*(?:vol|abv|alc)\b"
                  r"|\balc\.?\s*(?:vol\.?\s*)?:?\s*(?P<below2><\s*)?(?P<b>\d+(?:[.,]\d+)?)\s*%")
_JUICE_CONCENTRATE = re.compile(r"\bconcentrated\s+(?:\w+\s+){0,3}?juice\b|\bjuice\s+concentrate\b")
_LESS_THAN = re.compile(r"(?:contains\s+)?(?:\d+(?:[.,]\d+)?\s*%\s+or\s+less|less\s+than\s+\d+(?:[.,]\d+)?\s*%)"
                        r"(?:\s+of)?(?:\s+(?:each\s+of\s+)?the\s+following)?\s*:?")
_NUMBER_ABBREVIATION = re.compile(r"(?:^|\W)no$", re.IGNORECASE)  # "Red No. 40" is one item
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
class Additive:
    """One additive on the label, however many ways it was named ("lecithin (E322)")."""

    code: str  # "E322", "E160a"
    names: list[str]
    additive_class: str | None  # the class the label gave it ("emulsifier")
    nova4: bool

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "names": self.names, "class": self.additive_class, "nova4": self.nova4}


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
    additives: list[Additive] = field(default_factory=list)


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
        opener = found.group("contains")
        if opener and opener.startswith("contain") and not _declares(statement, terms):
            continue  # "contains permitted natural flavour & colouring" is an ingredient
        (declared if opener else traces).append(statement)
        _blank(chars, found.start(), end)
        position = end
    remaining = "".join(chars)
    heading = _INGREDIENTS_HEADING.search(_lower_same_length(remaining))
    if heading:
        remaining = remaining[heading.end():]
    return remaining, traces, declared, abv


def _declares(statement: str, terms: LabelTerms) -> bool:
    """Whether a "contains ..." names an allergen or a live-culture claim."""
    slugs, matches = _statement_allergens(statement, terms)
    return bool(slugs) or any(m.category in ("live_cultures", "fermented") for m in matches)


def _finish(buffer: list[str], children: list[Item]) -> Item | None:
    text = "".join(buffer).strip(" \t\r\n*•·-–:")
    text = re.sub(r"^(?:and|&)\s+", "", text, flags=re.IGNORECASE)
    if not text and not children:
        return None
    percent = _PERCENT.search(text)
    name = " ".join(_PERCENT.sub(" ", text).split()).strip(" ,:")
    shown = text + (" (" + ", ".join(c.text for c in children) + ")" if children else "")
    return Item(shown, name, children, float(percent.group(1).replace(",", ".")) if percent else None)


# No real label nests deeper than this; brackets beyond it are read as spaces, so a hostile
# list of thousands of brackets costs no more than a flat one.
MAX_NESTING = 8


def parse_ingredients(text: str) -> list[Item]:
    """Split a list on commas and semicolons, with brackets making nested lists."""
    frames: list[tuple[list[str], list[Item], list[Item]]] = [([], [], [])]  # buffer, children, items
    too_deep = 0  # brackets opened beyond MAX_NESTING, still to close
    for index, ch in enumerate(text):
        buffer, children, items = frames[-1]
        if ch in "([{" and len(frames) > MAX_NESTING:
            too_deep += 1
            buffer.append(" ")
        elif ch in ")]}" and too_deep:
            too_deep -= 1
            buffer.append(" ")
        elif ch in "([{":
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
        elif ch in ",;\n" or (ch == "." and not text[index + 1:index + 2].isdigit()
                               and not _NUMBER_ABBREVIATION.search(text, max(0, index - 3), index)):
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
    """Every item, each before its children, in the order of the label."""
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children))


# -- reading -------------------------------------------------------------------------------

def _is_claim(words: list[str]) -> bool:
    # "Free from gluten" is a claim; "free range eggs" are eggs.
    return bool(words) and words[0] in _CLAIM and (words[0] != "free" or words[1:2] in (["from"], ["of"]))


@dataclass(frozen=True)
class _Code:
    number: int
    code: str  # "E160a"
    name: str  # as the label wrote it


def _code(number: str, letter: str, name: str) -> _Code:
    return _Code(int(number), f"E{int(number)}{letter.lower()}", name)


def _e_numbers(name: str) -> list[_Code]:
    return [_code(m.group(1), m.group(2), m.group(0).strip()) for m in _E_NUMBER.finditer(name)]


@dataclass
class _Found:
    matches: list[Match]
    additives: list[_Code]
    additive_class: str | None = None  # the class the item names ("Emulsifiers: ...")


def _scan(item: Item, terms: LabelTerms) -> _Found:
    words = tokens(item.name)
    if _is_claim(words):
        return _Found([], [])
    matches = _without_exceptions(terms.matcher.find(words))
    if _JUICE_CONCENTRATE.search(fold(item.name)) and not any(m.category == "sugar" for m in matches):
        matches.append(Match("sugar", "fruit juice concentrate", 0, len(words)))
    named = [(m.phrase, terms.additive_by_name[m.phrase]) for m in matches if m.category == "additive"]
    additives = _e_numbers(item.name) + [_Code(e_number(code), code, terms.additive_alias.get(phrase, phrase))
                                         for phrase, code in named]
    classes = [terms.additive_class[m.phrase] for m in matches if m.category == "additive_class"]
    return _Found(matches, additives, classes[0] if classes else None)


def _without_exceptions(matches: list[Match]) -> list[Match]:
    """Drop allergen matches inside a phrase that does not carry them ("gluten free wheat starch")."""
    spans = [(m.category.split(":", 1)[1], m.start, m.end) for m in matches if m.category.startswith("except:")]
    if not spans:
        return matches
    return [m for m in matches if not any(m.category == f"allergen:{slug}" and start <= m.start and m.end <= end
                                          for slug, start, end in spans)]


def _bare_codes(items: list[Item], found: dict[int, _Found], context: str | None) -> None:
    """Numbers the label gives without "E" after a class name: "Stabiliser (440, 331)" (children of
    the class) and "Emulsifiers: 322, 471" (in the item, then the bare numbers that follow it)."""
    chain: str | None = None  # the class whose list of numbers is still running
    for item in items:
        scan = found[id(item)]
        bare = _BARE_CODE.match(item.name.strip())
        if bare and (context or chain) and _LOWEST_E <= int(bare.group(1)) <= _HIGHEST_E:
            scan.additives.append(_code(bare.group(1), bare.group(2), item.name))
            scan.additive_class = scan.additive_class or chain or context
        elif scan.additive_class:
            numbers = [m for m in _NUMBER_AFTER_CLASS.finditer(item.name)
                       if _LOWEST_E <= int(m.group(1)) <= _HIGHEST_E]
            scan.additives.extend(_code(m.group(1), m.group(2), m.group(0)) for m in numbers)
            chain = scan.additive_class if numbers else None
        else:
            chain = None
        _bare_codes(item.children, found, scan.additive_class or context)


def _culinary(item: Item, found: _Found) -> bool:
    """A culinary ingredient such as "sea salt" or "extra virgin olive oil": its last word
    is a group-3 ingredient and nothing ultra-processed is in it."""
    words = tokens(item.name)
    ends = {m.end for m in found.matches if m.category == "nova3"}
    return len(words) in ends and not any(m.category in ("nova4", "class4") for m in found.matches)


def _allergens_in(text: str, matches: list[Match], terms: LabelTerms) -> list[str]:
    slugs = [m.category.split(":", 1)[1] for m in _without_exceptions(matches) if m.category.startswith("allergen:")]
    if any(c.number in terms.sulphite_additives for c in _e_numbers(text)):
        slugs.append("sulphites")
    return slugs


def _plain_flour(item: Item, terms: LabelTerms) -> bool:
    """"Flour", "plain flour", "enriched flour": wheat flour by law; "rice flour" is not."""
    return without_descriptors(tokens(item.name), terms.descriptors) in terms.plain_flours


def _statement_allergens(statement: str, terms: LabelTerms) -> tuple[list[str], list[Match]]:
    """The allergens a statement declares, and its matches; one that points at the list ("see
    ingredients in bold") declares none."""
    matches = [m for part in _STATEMENT_PARTS.split(statement) for m in terms.matcher.find(tokens(part))]
    if any(m.category == "pointer" for m in matches):
        return [], matches
    return _allergens_in(statement, matches, terms), matches


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
    traces = [slug for text in trace_texts for slug in _statement_allergens(text, terms)[0]]
    whole: list[str] = []
    refined: list[str] = []
    flags: dict[str, bool] = {"live": False, "not_live": False, "fermented": False, "raw": False, "alcohol": False}
    culinary = True
    first_is_sugar = False
    top_level = {id(item) for item in ingredients}  # identity: equal items may repeat

    additives: dict[str, Additive] = {}

    def marker(group: int, name: str, item: Item) -> None:
        if (group, name) not in seen_markers:  # "sugar" three times is one marker
            seen_markers.add((group, name))
            markers.append({"group": group, "marker": name, "text": item.text})

    seen_markers: set[tuple[int, str]] = set()
    scans = {id(item): _scan(item, terms) for item in walk(ingredients)}
    _bare_codes(ingredients, scans, None)
    for item in walk(ingredients):
        found = scans[id(item)]
        if _plain_flour(item, terms):
            allergens.append("gluten")
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
        for additive in found.additives:
            number, code = additive.number, f"E{additive.number}"
            entry = additives.setdefault(additive.code, Additive(
                additive.code, [], found.additive_class, number in terms.nova4_additives))
            if additive.name not in entry.names:
                entry.names.append(additive.name)
            entry.additive_class = entry.additive_class or found.additive_class
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
        declared_allergens, matches = _statement_allergens(statement, terms)
        allergens.extend(declared_allergens)
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
        additives=list(additives.values()),
    )
