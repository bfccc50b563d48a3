"""Match the food words of an ingredient line ("red onion", "tinned chickpeas", "sea bass
fillets") to a food: a curated food first, else an entry of the USDA SR28 table.

Both sides are normalised the same way (lower case, accents stripped, plurals singular, British
and American words brought to one, filler words dropped), then an index built once maps a
whole name to its foods (an exact match) and each word to the names that hold it (a partial
match, scored by how much of the query and of the name the shared words cover, rarer words
weighing more). Among USDA entries of equal fit the plain form wins ("chicken breast" is raw
and skinless, not fried in batter). Pure Python: no Flask, no database.
"""
from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from planner.foods.text import IRREGULAR


@dataclass(frozen=True)
class Candidate:
    key: str                 # a curated food slug, or "usda:<ndb>"
    names: tuple[str, ...]   # name first, then synonyms
    curated: bool


@dataclass(frozen=True)
class FoodMatch:
    key: str
    name: str
    confidence: float        # 0..1
    curated: bool


# One word for words that British and American English (or shops and tables) spell differently.
WORDS: dict[str, str] = {
    "yoghurt": "yogurt", "yoghourt": "yogurt", "chilli": "chili", "chillies": "chili", "chile": "chili",
    "chiles": "chili", "chilies": "chili", "courgette": "zucchini", "courgettes": "zucchini",
    "aubergine": "eggplant", "aubergines": "eggplant", "rocket": "arugula", "prawn": "shrimp",
    "prawns": "shrimp", "tinned": "canned", "tin": "canned", "tins": "canned", "mince": "ground",
    "minced": "ground", "beetroot": "beet", "beetroots": "beet", "swede": "rutabaga",
    "cornflour": "cornstarch", "wholemeal": "whole wheat", "wholewheat": "whole wheat",
    "wholegrain": "whole grain", "whole-wheat": "whole wheat", "jalapenos": "jalapeno",
    "pitta": "pita", "houmous": "hummus", "hummous": "hummus", "flavour": "flavor",
    "flavoured": "flavored", "savoury": "savory", "mangetout": "snow pea", "sultana": "raisin",
    "sultanas": "raisin", "redcurrant": "red currant", "redcurrants": "red currant",
    "blackcurrant": "black currant", "blackcurrants": "black currant", "starfruit": "carambola",
    "gruyère": "gruyere", "mahi": "mahimahi", "whisky": "whiskey", "catsup": "ketchup",
    "capsicum": "bell pepper", "garbanzo": "chickpea", "garbanzos": "chickpea", "filberts": "hazelnut",
    "yambean": "jicama", "waterchestnut": "water chestnut", "waterchestnuts": "water chestnut",
    "pecorino": "romano", "lasagne": "lasagna",
}
# Word sequences brought to one (after the words above and singulars).
PHRASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("spring", "onion"), ("scallion",)), (("green", "onion"), ("scallion",)),
    (("salad", "onion"), ("scallion",)), (("plain", "flour"), ("all", "purpose", "flour")),
    (("bicarbonate", "of", "soda"), ("baking", "soda")), (("bicarb",), ("baking", "soda")),
    (("double", "cream"), ("heavy", "cream")), (("single", "cream"), ("light", "cream")),
    (("icing", "sugar"), ("powdered", "sugar")), (("star", "fruit"), ("carambola",)),
    (("mahimahi", "mahimahi"), ("mahimahi",)), (("bok", "choy"), ("pak", "choi")),
    (("bok", "choi"), ("pak", "choi")), (("pak", "choy"), ("pak", "choi")),
    (("pak", "choi"), ("pak", "choi")), (("self", "raising"), ("self", "rising")),
    (("soured", "cream"), ("sour", "cream")), (("monterey", "jack"), ("monterey",)),
    (("bell", "pepper"), ("pepper",)), (("sweet", "pepper"), ("pepper",)),
    (("fish", "fillet"), ("fish",)), (("sea", "salt"), ("salt",)), (("kosher", "salt"), ("salt",)),
    (("rock", "salt"), ("salt",)), (("flaky", "salt"), ("salt",)),
    (("vegetable", "stock"), ("vegetable", "broth")), (("veg", "stock"), ("vegetable", "broth")),
)
_PHRASE_STARTS = frozenset(pattern[0] for pattern, _ in PHRASES)
# Words that say nothing about which food it is (sizes, quality, preparation, serving).
FILLER = frozenset({
    "fresh", "freshly", "organic", "large", "small", "medium", "big", "good", "quality", "free",
    "range", "ripe", "finely", "roughly", "thinly", "chopped", "sliced", "diced", "crushed", "peeled",
    "trimmed", "washed", "handful", "a", "an", "the", "some", "few", "piece", "pieces", "bunch",
    "pinch", "about", "plus", "extra", "virgin", "pure", "best", "premium", "homemade", "optional",
    "to", "taste", "serve", "serving", "garnish", "of", "for", "and", "or", "fillet", "fillets",
    "sprig", "sprigs", "leaf", "clove", "stick", "floret", "thread", "shop", "bought",
    "heaped", "level", "halved", "quartered", "cubed", "grated", "shredded", "torn", "zest",
    "cold", "warm", "hot", "boiling", "room", "temperature", "softened", "melted", "beaten",
    "rinsed", "drained", "steak", "cut", "into", "chunk", "chunks", "wedge", "wedges", "jar", "pack",
    "packet", "bag", "can", "ready", "use", "baby", "king", "jumbo", "raw", "uncooked",
    "unwaxed", "flat", "curly", "skinless", "boneless", "bone", "skin", "on", "in", "undyed", "floury",
    "waxy", "sheet", "sheets", "x", "g", "kg", "ml", "l", "tbsp", "tsp", "cup", "oz", "lb",
})
# Words of USDA names that say how the table sampled the food, not which food it is.
USDA_NOISE = frozenset({
    "mixed", "specie", "species", "broiler", "broilers", "fryer", "fryers", "grade", "grades", "all",
    "composite", "retail", "cut", "cuts", "domesticated", "domestic", "year", "round", "average",
    "includes", "including", "usda", "commodity", "common", "northern", "eastern", "channel",
    "atlantic", "pacific", "wild", "farmed", "mature", "variety", "varieties", "prepared",
    "type", "types", "commercial", "commercially", "regular", "pack", "solid", "solids", "liquid",
    "liquids", "and", "or", "with", "of", "in", "only", "meat", "fresh", "imported",
    "australian", "choice", "select", "ripe",
})
# Words of a USDA name that make it less plain; a query that says them lifts the cost.
PLAIN_COST: dict[str, float] = {
    "fried": 3, "batter": 3, "wild": 0.2, "greenland": 0.2, "breaded": 3, "breading": 3, "flour": 1,
    "cooked": 1, "boiled": 1,
    "roasted": 1, "braised": 1, "broiled": 1, "stewed": 1, "heat": 1, "moist": 0.5, "baked": 1,
    "grilled": 1, "steamed": 1, "simmered": 1, "microwaved": 1, "canned": 1.5, "frozen": 1,
    "dried": 1, "dehydrated": 1.5, "salt": 0.5, "salted": 1, "sweetened": 1, "syrup": 1, "skin": 0.0,
    "sauce": 1, "prepared": 0.5, "imported": 0.5, "babyfood": 5, "fast": 3, "restaurant": 3,
    "mix": 1, "imitation": 2, "substitute": 2, "low": 0.5, "reduced": 0.5, "nonfat": 0.5,
    "lowfat": 0.5, "sodium": 0.5, "fat": 0.3, "giblet": 2, "neck": 2, "stuffed": 2, "glazed": 1,
    "formula": 5, "infant": 5, "toddler": 5, "smoked": 1, "cured": 1, "pickled": 1, "creamed": 1,
    "sprouted": 1.5, "immature": 1, "liver": 2, "kidney": 0.5, "by": 2, "product": 1, "juice": 1,
    "beverage": 1, "drink": 1, "flavored": 1, "chocolate": 1, "alaska": 1.5, "native": 1.5,
    "shredded": 0.5, "grated": 0.5, "powder": 0.5, "unprepared": 0.5, "brand": 1, "lean": 0.2,
    "lite": 0.5, "light": 0.3, "white": 0.3, "yolk": 0.5, "turkey": 0.6, "duck": 0.6, "goose": 0.6,
    "quail": 0.6, "whole": -0.1, "meatless": 2, "vegetarian": 2, "diet": 0.5, "solids": 0.3, "drained": 0.2,
    "excluding": 0.3,
}
# A form the words say, and the forms of a food that it rules out: a line that says "dried"
# beans is never read as canned ones (dried pulses must be soaked and boiled), nor canned as dried.
FORM_CONFLICTS: dict[str, frozenset[str]] = {
    "dried": frozenset({"canned", "cooked", "boiled"}), "dry": frozenset({"canned", "cooked", "boiled"}),
    "canned": frozenset({"dried", "dry", "raw"}), "frozen": frozenset({"canned", "dried"}),
    "cooked": frozenset({"dried", "raw"}), "raw": frozenset({"cooked", "boiled", "canned", "roasted", "baked"}),
}
UNKNOWN_WEIGHT = 0.5  # of the weightiest known word of the query
FORM_LOOKS = 12  # how far down the ranking to look for a food in the form the words say
FORM_SURE = 0.8  # the best fit in the right form, when a closer name was in the wrong one
FORM_GUESS = 0.5  # only wrong forms fit: a guess for the cook to check
SKIN_ON_PARTS = frozenset({"wing", "drumstick", "thigh", "leg"})
STATE_WORDS = frozenset({"cooked", "boiled", "roasted", "baked", "fried", "grilled", "steamed",
                         "canned", "frozen", "dried", "smoked", "braised", "stewed", "broiled"})
KEEP_S = frozenset({"hummus", "couscous", "asparagus", "molasses", "swiss", "bass", "grass", "glass",
                    "cress", "watercress", "citrus", "octopus", "asparagu", "species", "series",
                    "haggis", "mahimahi", "brussels", "lentils", "ss", "us", "is", "gas", "oats"})
_TOKEN = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """A plural reduced to its singular: tomatoes -> tomato, leaves -> leaf, berries -> berry;
    hummus, couscous, asparagus and molasses stay as they are."""
    if word in KEEP_S or word in IRREGULAR.values():
        return word if word not in ("lentils", "oats") else word[:-1]
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ys", "ous")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ves") and word[:-3] + "f" in ("lea", "loa", "hal"):
        return word[:-3] + "f"
    if word.endswith(("ches", "shes", "xes", "zes", "oes")):
        return word[:-2]
    return word[:-1]


def _fold(text: str) -> str:
    text = text.casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return text.replace("&", " and ").replace("'", "")


@lru_cache(maxsize=65536)
def _word(raw: str) -> tuple[str, ...]:
    mapped = WORDS.get(raw)
    if mapped is None:
        one = singular(raw)
        mapped = WORDS.get(one, one)
    return tuple(mapped.split())


@lru_cache(maxsize=131072)
def _words(text: str) -> tuple[str, ...]:
    """All comparable words of a text, filler included."""
    words: list[str] = []
    for raw in _TOKEN.findall(_fold(text)):
        words.extend(_word(raw))
    if _PHRASE_STARTS.intersection(words):
        for pattern, replacement in PHRASES:
            size = len(pattern)
            i = 0
            while i + size <= len(words):
                if tuple(words[i:i + size]) == pattern:
                    words[i:i + size] = replacement
                    i += len(replacement)
                else:
                    i += 1
    if "coriander" in words:  # the leaves are cilantro; ground coriander and its seed the spice
        for i, word in enumerate(words):
            if word == "coriander":
                before = words[i - 1] if i else ""
                after = words[i + 1] if i + 1 < len(words) else ""
                if before != "ground" and after not in ("seed", "powder"):
                    words[i] = "cilantro"
    return tuple(words)


def normalise(text: str, *, drop: frozenset[str] = FILLER) -> tuple[str, ...]:
    """The comparable words of a food name or an ingredient's food words."""
    return tuple(w for w in _words(text) if w not in drop)


def _usda_drop() -> frozenset[str]:
    return FILLER | USDA_NOISE


USDA_DROP = _usda_drop()
# Words kept to judge how plain a USDA entry is (raw, meat only, skin).
PLAIN_DROP = USDA_DROP - {"raw", "only", "skin", "wild", "domesticated", "farmed"}


@dataclass
class _Entry:
    candidate: Candidate
    order: int
    plain_words: frozenset[str]  # words of the full name, for plainness


class Matcher:
    """Finds the food an ingredient's words name, among curated and USDA candidates."""

    FLOOR = 0.5
    CURATED_BONUS = 0.04
    HEADLESS = 0.7  # a name without the query's last word (its head noun) fits less well

    def __init__(self, curated: Iterable[Candidate], usda: Iterable[Candidate] = ()) -> None:
        enabled = gc.isenabled()
        gc.disable()  # tens of thousands of small tuples: collections would only slow the build
        try:
            self._build(curated, usda)
        finally:
            if enabled:
                gc.enable()

    def _build(self, curated: Iterable[Candidate], usda: Iterable[Candidate]) -> None:
        self._entries: list[_Entry] = []
        self._variant_entry: list[int] = []
        self._variant_synonym: list[bool] = []
        variant_words: list[tuple[str, ...]] = []
        self._exact: dict[tuple[str, ...], list[int]] = {}
        postings: dict[str, list[int]] = {}
        exact = self._exact
        for group in (curated, usda):
            for candidate in group:
                index = len(self._entries)
                drop = FILLER if candidate.curated else USDA_DROP
                base = _words(candidate.names[0]) if candidate.names else ()
                self._entries.append(_Entry(candidate, index, frozenset(w for w in base if w not in PLAIN_DROP)))
                seen: set[tuple[str, ...]] = set()
                for position, name in enumerate(candidate.names):
                    key = tuple(sorted({w for w in _words(name) if w not in drop}))
                    if not key or key in seen:
                        continue
                    seen.add(key)
                    variant = len(variant_words)
                    variant_words.append(key)
                    self._variant_entry.append(index)
                    self._variant_synonym.append(position > 0)
                    if key in exact:
                        exact[key].append(variant)
                    else:
                        exact[key] = [variant]
                    for word in key:
                        if word in postings:
                            postings[word].append(variant)
                        else:
                            postings[word] = [variant]
        total = max(len(variant_words), 1)
        self._weight = {w: math.log(1 + total / len(v)) for w, v in postings.items()}
        self._postings = postings
        weight = self._weight
        self._variant_weight = [sum(weight[w] for w in words) for words in variant_words]
        self._variant_words = [frozenset(words) for words in variant_words]

    # -- scoring -------------------------------------------------------------------------------
    def _plain_cost(self, entry: _Entry, query: frozenset[str]) -> float:
        if entry.candidate.curated:
            return 0.0
        cost = sum(PLAIN_COST.get(w, 0.0) for w in entry.plain_words if w not in query)
        # Wings, drumsticks and thighs are bought with their skin; other cuts skinless.
        if query & SKIN_ON_PARTS:
            cost += 0.4 if "only" in entry.plain_words and "only" not in query else 0.0
        elif "skin" in entry.plain_words and "skin" not in query:
            cost += 0.4
        if "raw" in entry.plain_words and not query & STATE_WORDS:
            cost -= 0.5
        return cost + 0.05 * len(entry.plain_words)

    def _ranked(self, words: str) -> list[tuple[float, int, int]]:
        """(score, entry, variant) of the candidates, best first; one per entry."""
        query = normalise(words)
        if not query:
            return []
        qset = frozenset(query)
        head = query[-1]
        variant_words = self._variant_words
        key = tuple(sorted(qset))
        best: dict[int, tuple[float, int]] = {}
        for variant in self._exact.get(key, ()):
            index = self._variant_entry[variant]
            entry = self._entries[index]
            synonym = self._variant_synonym[variant] and entry.candidate.curated
            score = 2.0 + (self.CURATED_BONUS * 5 if entry.candidate.curated else 0.0) \
                - 0.02 * self._plain_cost(entry, qset) - (0.01 if synonym else 0.0)
            if index not in best or score > best[index][0]:
                best[index] = (score, variant)
        known = [w for w in qset if w in self._postings]
        # A word no food's name has ("floury", "skinless", "undyed") weighs half the query's weightiest
        # known word: it lowers the match's confidence, so the cook is asked, without hiding the food
        # the known words name.
        unknown = UNKNOWN_WEIGHT * max((self._weight[w] for w in known), default=1.0)
        total = sum(self._weight.get(w, unknown) for w in qset)
        if known and total > 0:
            gained: dict[int, float] = {}
            for word in known:
                weight = self._weight[word]
                for variant in self._postings[word]:
                    gained[variant] = gained.get(variant, 0.0) + weight
            limit = 0.5 * total
            for variant, got in gained.items():
                if got < limit:
                    continue
                index = self._variant_entry[variant]
                if index in best and best[index][0] >= 2.0:
                    continue
                entry = self._entries[index]
                recall = got / total
                precision = got / self._variant_weight[variant]
                score = 0.65 * recall + 0.35 * precision
                if head not in variant_words[variant]:
                    score *= self.HEADLESS  # "blood orange" is an orange, not a blood sausage
                if entry.candidate.curated:
                    score += self.CURATED_BONUS
                score -= 0.02 * self._plain_cost(entry, qset)
                if index not in best or score > best[index][0]:
                    best[index] = (score, variant)
        ranked = sorted(((s, e, v) for e, (s, v) in best.items()),
                        key=lambda item: (-item[0], not self._entries[item[1]].candidate.curated, item[1]))
        return ranked

    def _match_of(self, score: float, entry: int) -> FoodMatch:
        candidate = self._entries[entry].candidate
        if score >= 1.9:
            confidence = 1.0
        else:
            confidence = max(0.0, min(0.95, score))
        name = candidate.names[0] if candidate.names else candidate.key
        return FoodMatch(candidate.key, name, round(confidence, 3), candidate.curated)

    def match(self, words: str) -> FoodMatch | None:
        """The best food for these words, or None when nothing fits well enough. A food in a form
        the words rule out (canned kidney beans for "dried kidney beans", which must be boiled
        hard) is passed over, or kept only as a guess for the cook to check."""
        ranked = self._ranked(words)
        if not ranked:
            return None
        query = frozenset(normalise(words, drop=frozenset()))
        fitting = [(s, e) for s, e, _ in ranked[:FORM_LOOKS] if not self._conflicts(query, e)]
        if fitting:
            found = self._match_of(*fitting[0])
            if fitting[0][1] != ranked[0][1]:
                found = replace(found, confidence=min(found.confidence, FORM_SURE))
        else:
            found = self._match_of(ranked[0][0], ranked[0][1])
            found = replace(found, confidence=min(found.confidence, FORM_GUESS))
        return found if found.confidence >= self.FLOOR else None

    def _conflicts(self, query: frozenset[str], entry: int) -> bool:
        names = self._entries[entry].candidate.names
        words = frozenset(w for name in names for w in normalise(name, drop=frozenset()))
        return any(said in query and words & ruled_out for said, ruled_out in FORM_CONFLICTS.items())

    def suggestions(self, words: str, limit: int = 5) -> list[FoodMatch]:
        """Up to `limit` foods these words may mean, best first (above the floor)."""
        found = [self._match_of(s, e) for s, e, _ in self._ranked(words)[: max(limit, 0) * 3]]
        return [f for f in found if f.confidence >= self.FLOOR][:limit]


# ---------------------------------------------------------------------------------------------
# USDA names made matchable: "Sea bass, mixed species, raw" -> also "sea bass", "sea bass raw";
# "Cheese, gruyere" -> "gruyere", "gruyere cheese"; "Pork, fresh, belly, raw" -> "pork belly".
# Heads that name a kind rather than a food: the next part is the food.
KIND_HEADS = frozenset({
    "cheese", "spices", "fish", "nuts", "seeds", "oil", "beans", "peppers", "squash", "lettuce",
    "cabbage", "mushrooms", "crustaceans", "mollusks", "game meat", "sauce", "vinegar", "soup",
    "beverages", "alcoholic beverage", "leavening agents", "tomato products", "peas", "lentils",
    "cereals ready-to-eat", "cereals", "pasta", "rice", "noodles", "flour", "candies", "cookies",
    "crackers", "syrups", "sweeteners", "sugars", "cocoa", "bread", "yogurt", "cream", "milk",
    "egg", "eggs", "currants", "wheat flour", "seaweed", "sausage", "babyfood", "snacks", "pepper",
})
# Kinds whose next part alone names the food ("gruyere", "rabbit", "cumin seed").
BARE_HEADS = frozenset({"cheese", "spices", "fish", "nuts", "seeds", "crustaceans", "mollusks",
                        "game meat", "leavening agents", "peppers", "mushrooms", "lettuce", "seaweed"})
# Parts of a USDA name that say how it was sampled, skipped when naming the food.
SKIP_PARTS = frozenset({
    "broilers or fryers", "broiler or fryers", "fresh", "domestic", "domesticated", "mixed species",
    "new zealand", "imported", "australian", "all grades", "composite of retail cuts", "wild",
    "farmed", "winter", "summer", "sweet", "hot chili", "mature seeds", "year round average",
    "raw", "separable lean only", "meat only", "meat and skin", "cultivated", "commercial",
    "regular", "common", "red", "green", "white", "yellow",
})
_PAREN = re.compile(r"\(([^)]*)\)")
_PAREN_ALIAS = re.compile(r"\(([^)]*)\)\s*(?=,|$)")  # "Yambean (jicama), raw"; not "(butter) flavor"
_STATE_PARTS = ("raw", "cooked", "canned", "dried", "frozen")


def usda_names(name: str) -> tuple[str, ...]:
    """Matchable names of a USDA food name, the full name first."""
    names = [name]
    extras = [p.strip() for inner in _PAREN_ALIAS.findall(name) for p in inner.split(",")]
    plain = _PAREN.sub(" ", name)
    parts = [" ".join(p.split()) for p in plain.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return tuple(names)
    head = parts[0].lower()
    rest = [p for p in parts[1:] if p.lower() not in SKIP_PARTS]
    state = next((s for s in _STATE_PARTS if s in {p.lower() for p in parts[1:]}), "")
    cores: list[str] = []
    if head in KIND_HEADS and rest:
        food = rest[0]
        noun = head.rstrip("s") if head not in ("cheese", "game meat") else head
        if head in BARE_HEADS:
            cores.append(food)
        if head not in ("spices", "crustaceans", "mollusks", "game meat", "leavening agents", "fish"):
            cores.append(f"{food} {noun}")
        if len(rest) > 1 and len(rest[1].split()) <= 2 and head in ("squash", "peppers", "beans", "lettuce"):
            cores.append(f"{rest[1]} {noun}")
    elif head not in KIND_HEADS or len(parts) == 1:
        cores.append(parts[0])
        if rest and len(rest[0].split()) <= 2:
            cores.append(f"{parts[0]} {rest[0]}")
    for extra in extras:
        if 0 < len(extra.split()) <= 2 and not any(ch.isdigit() for ch in extra):
            cores.append(extra)
    for core in cores:
        names.append(core)
        if state:
            names.append(f"{core} {state}")
    return tuple(dict.fromkeys(names))


@lru_cache(maxsize=1)
def usda_candidates() -> tuple[Candidate, ...]:
    """Every USDA SR28 food as a match candidate (key "usda:<ndb>")."""
    from planner.foods.usda import usda_foods

    return tuple(Candidate(f"usda:{food.ndb}", usda_names(food.name), False) for food in usda_foods())
