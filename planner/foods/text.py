"""Text normalisation shared by search and duplicate detection.

A query and a food name are compared after the same folding: lower case, accents
removed, British spellings mapped to one form, simple plurals reduced to the singular.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")

# One spelling for words that British and American English write differently.
SPELLINGS: dict[str, str] = {
    "yoghurt": "yogurt",
    "yoghourt": "yogurt",
    "fibre": "fiber",
    "flavour": "flavor",
    "flavouring": "flavoring",
    "colouring": "coloring",
    "stabiliser": "stabilizer",
    "flavoured": "flavored",
    "colour": "color",
    "coloured": "colored",
    "chilli": "chili",
    "chile": "chili",
    "savoury": "savory",
    "mould": "mold",
    "doughnut": "donut",
    "sulphite": "sulfite",
    "sulphur": "sulfur",
    "metabisulphite": "metabisulfite",
    "bisulphite": "bisulfite",
    "hydrolysed": "hydrolyzed",
    "moulded": "molded",
    "caramelised": "caramelized",
    "pasteurised": "pasteurized",
    "unpasteurised": "unpasteurized",
    "homogenised": "homogenized",
    "wholegrain": "whole grain",
    "wholemeal": "whole wheat",
}

# Plurals the suffix rules below get wrong.
IRREGULAR: dict[str, str] = {
    "leaves": "leaf",
    "loaves": "loaf",
    "halves": "half",
    "knives": "knife",
    "potatoes": "potato",
    "tomatoes": "tomato",
    "mangoes": "mango",
    "children": "child",
    "geese": "goose",
    "teeth": "tooth",
}
_KEEP_S = ("ss", "us", "is", "ous", "ys")


def has_control_characters(text: str) -> bool:
    """Control characters other than whitespace (a NUL byte, say), or a lone surrogate (half
    of a character, which JSON's \ud800 escapes can make): no name or note needs them, and
    neither PostgreSQL nor a page can hold them."""
    return any((unicodedata.category(ch) == "Cc" and not ch.isspace()) or "\ud800" <= ch <= "\udfff"
               for ch in text)


def fold(text: str) -> str:
    """Lower case with accents stripped: 'Crème Fraîche' -> 'creme fraiche'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce a plural to its singular with a few conservative rules."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
        return word[:-2]
    return word[:-1]


def tokens(text: str) -> list[str]:
    """Words of a text, folded, spelling-mapped and singular."""
    words: list[str] = []
    for word in _WORD.findall(fold(text)):
        singular = stem(word)
        words.extend(SPELLINGS.get(singular, singular).split())
    return words


def key(text: str) -> str:
    """A comparison key: two names with the same key are the same name."""
    return " ".join(tokens(text))


def slugify(text: str) -> str:
    return "-".join(_WORD.findall(fold(text)))
