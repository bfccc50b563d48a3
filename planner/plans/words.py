"""What a word in "foods we avoid" or "dislikes" means: the foods it covers, said back to the family.

A family types "mushrooms, fish, spicy" and means every mushroom, every fish and anything with
chilli, not the one food each word happens to name. Each word is read in this order, the first
that fits wins:

1. A broad word (planner/data/exclusion_words.yaml): a plural, family or kind word people mean
   broadly in an exclusion ("mushrooms", "fish", "nuts", "eggs", "cheese", "peppers", "spicy",
   "chicken", "garlic"). First, because here the broad reading is the one people mean even when
   the word is also one food's name or synonym: "chicken" names roast chicken, but a family that
   avoids chicken avoids chicken thighs and nuggets too; a group's curated kinds ("cheese": eight
   common cheeses) would leave goat cheese and ricotta on the plan.
2. A food's exact name or synonym (`names`, then the same after folding case, accents, plurals and
   spelling): "cheddar", "shiitake", "button mushrooms" mean just that food.
3. A food group (planner/data/food_groups.yaml, via planner.checker.groups.group_of): its kinds.
4. A category, by its label or key (vocabulary.yaml): "Grains and flours" is every food in it.
5. A tag, by its label or slug (tags.yaml, allergens included): "fermented" is every food so tagged.
6. Otherwise unknown, with up to three close words that would resolve ("mushroms": "mushrooms").

Pure Python over the catalog's `foods` (by slug) and `names` (typed name -> slug): no Flask, no
database, so the profile parser, the API's live preview and the command line read words alike.
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from planner.checker.groups import food_groups, group_of
from planner.data import exclusion_words, vocabulary
from planner.foods.records import Record
from planner.foods.text import key, tokens

KINDS = ("food", "group", "category", "plant", "tag", "unknown")
BROAD_KINDS = ("group", "category", "plant", "tag")  # what a broad word may be understood as
FINDERS = ("categories", "allergens", "plant_keys", "tags", "groups", "name_contains")
MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.75  # difflib ratio: "mushroms" ~ "mushrooms" is 0.94; unrelated words stay below

Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Meaning:
    word: str  # as typed, cleaned (lower case, trimmed)
    kind: str  # "food" | "group" | "category" | "plant" | "tag" | "unknown"
    label: str  # what it was understood as, e.g. "All mushrooms (4 foods)", "Anything with chilli (3 foods)"
    foods: tuple[str, ...]  # every food slug it covers, sorted
    suggestions: tuple[str, ...] = ()  # for unknown words: close words that would resolve

    @property
    def known(self) -> bool:
        return self.kind != "unknown"


# -- broad words (exclusion_words.yaml) ---------------------------------------------------------

@dataclass(frozen=True)
class Finder:
    """Which foods a broad word covers: a food matching any one of these."""

    categories: frozenset[str] = frozenset()
    allergens: frozenset[str] = frozenset()
    plant_keys: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    groups: tuple[str, ...] = ()
    name_contains: frozenset[Phrase] = frozenset()  # folded words, found whole in a name or synonym

    @cached_property
    def group_kinds(self) -> frozenset[str]:
        groups = {group.key: group for group in food_groups().values()}
        return frozenset(kind for name in self.groups if name in groups for kind in groups[name].kinds)

    def finds(self, slug: str, record: Record, runs: frozenset[Phrase]) -> bool:
        """`runs`: every run of consecutive words in the food's name and synonyms (folded)."""
        return (record.get("category") in self.categories
                or bool(self.allergens.intersection(record.get("allergens") or ()))
                or record.get("plant_key") in self.plant_keys
                or bool(self.tags.intersection(record.get("tags") or ()))
                or slug in self.group_kinds
                or not self.name_contains.isdisjoint(runs))


@dataclass(frozen=True)
class BroadWord:
    key: str
    words: tuple[str, ...]
    kind: str
    label: str
    find: Finder
    unless: Finder  # the entry's `except` block: foods matching it are left out


def _runs(words: Phrase) -> set[Phrase]:
    """Every run of consecutive words: ("red", "chili", "pepper") has ("chili", "pepper") and ("chili",)."""
    return {words[i:j] for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def _finder(raw: Mapping[str, Any], where: str) -> Finder:
    unknown = set(raw) - set(FINDERS)
    if unknown:
        raise ValueError(f"exclusion_words.yaml {where}: unknown field(s) {', '.join(sorted(unknown))}")
    return Finder(
        categories=frozenset(raw.get("categories", ())), allergens=frozenset(raw.get("allergens", ())),
        plant_keys=frozenset(raw.get("plant_keys", ())), tags=frozenset(raw.get("tags", ())),
        groups=tuple(raw.get("groups", ())),
        name_contains=frozenset(tuple(tokens(text)) for text in raw.get("name_contains", ()) if tokens(text)),
    )


@cache
def broad_words() -> dict[str, BroadWord]:
    """Broad words by the folded key of each of their words."""
    found: dict[str, BroadWord] = {}
    for row in exclusion_words():
        row = dict(row)
        entry_key, words, kind, label = row.pop("key"), row.pop("words"), row.pop("kind"), row.pop("label")
        if kind not in BROAD_KINDS:
            raise ValueError(f"exclusion_words.yaml {entry_key}: kind must be one of {', '.join(BROAD_KINDS)}")
        unless = _finder(row.pop("except", None) or {}, f"{entry_key} except")
        entry = BroadWord(entry_key, tuple(words), kind, label, _finder(row, entry_key), unless)
        for word in entry.words:
            if found.get(key(word), entry).key != entry_key:
                raise ValueError(f"exclusion_words.yaml: '{word}' is in both {found[key(word)].key} and {entry_key}")
            found[key(word)] = entry
    return found


# -- categories and tags (vocabulary.yaml, tags.yaml) -------------------------------------------

@cache
def _categories() -> dict[str, str]:
    """Category key by the folded key of its label and of its own key."""
    found: dict[str, str] = {}
    for slug, label in vocabulary().categories.items():
        found.setdefault(key(label), slug)
        found.setdefault(key(slug.replace("-", " ")), slug)
    return found


@cache
def _tags() -> dict[str, str]:
    """Tag slug by the folded key of its label and of its slug."""
    found: dict[str, str] = {}
    for tag in vocabulary().tags.values():
        found.setdefault(key(tag.label), tag.slug)
        found.setdefault(key(tag.slug.replace("-", " ")), tag.slug)
    return found


@cache
def _fixed_candidates() -> tuple[tuple[str, tuple[str, str]], ...]:
    """Words that always resolve, for suggestions: (text, what it resolves to)."""
    found: list[tuple[str, tuple[str, str]]] = []
    for entry in broad_words().values():
        found.extend((word.lower(), ("broad", entry.key)) for word in entry.words)
    for group in food_groups().values():
        found.extend((word.lower(), ("group", group.key)) for word in group.words)
    vocab = vocabulary()
    found.extend((label.lower(), ("category", slug)) for slug, label in vocab.categories.items())
    found.extend((tag.label.lower(), ("tag", tag.slug)) for tag in vocab.tags.values())
    return tuple(dict.fromkeys(found))


# -- reading words ------------------------------------------------------------------------------

def clean(word: str) -> str:
    """Lower case, trimmed, inner spaces made single."""
    return " ".join(word.split()).lower()


def _counted(label: str, foods: Iterable[str]) -> str:
    n = len(tuple(foods))
    return f"{label} ({'no foods' if n == 0 else '1 food' if n == 1 else f'{n} foods'})"


class _Lexicon:
    """One catalog's foods and names, read once for many words."""

    def __init__(self, foods: Mapping[str, Record], names: Mapping[str, str]):
        self.foods = foods
        self.names = names

    @cached_property
    def folded_names(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for text, slug in self.names.items():
            found.setdefault(key(text), slug)
        return found

    @cached_property
    def runs(self) -> dict[str, frozenset[Phrase]]:
        """Each food's name and synonyms as runs of folded words, for `name_contains`."""
        return {slug: frozenset().union(*(_runs(tuple(tokens(text)))
                                          for text in (record.get("name", ""), *record.get("synonyms", ()))))
                for slug, record in self.foods.items()}

    @cached_property
    def candidates(self) -> dict[str, tuple[str, str]]:
        found = dict(_fixed_candidates())
        for text, slug in self.names.items():
            if not (text == slug and "-" in slug):  # a slug ("button-mushrooms") is no word to suggest
                found.setdefault(text.lower(), ("food", slug))
        return found

    def covered(self, entry: BroadWord) -> tuple[str, ...]:
        return tuple(sorted(slug for slug, record in self.foods.items()
                            if entry.find.finds(slug, record, self.runs[slug])
                            and not entry.unless.finds(slug, record, self.runs[slug])))

    def suggestions(self, word: str) -> tuple[str, ...]:
        close = difflib.get_close_matches(word, list(self.candidates), n=20, cutoff=SUGGESTION_CUTOFF)
        chosen: dict[tuple[str, str], str] = {}
        for text in close:
            chosen.setdefault(self.candidates[text], text)  # one word for each thing it would mean
        return tuple(chosen.values())[:MAX_SUGGESTIONS]

    def meaning(self, word: str) -> Meaning:
        typed = clean(word)
        folded = key(typed)
        if not folded:
            return Meaning(typed, "unknown", "Not a word we can read", ())
        entry = broad_words().get(folded)
        if entry is not None:
            found = self.covered(entry)
            return Meaning(typed, entry.kind, _counted(entry.label, found), found)
        slug = self.names.get(typed) or self.folded_names.get(folded)
        if slug is not None:
            return Meaning(typed, "food", str(self.foods.get(slug, {}).get("name", slug)), (slug,))
        group = group_of(typed)
        if group is not None:
            found = tuple(sorted(kind for kind in set(group.kinds) if kind in self.foods))
            return Meaning(typed, "group", _counted(group.label, found), found)
        category = _categories().get(folded)
        if category is not None:
            found = tuple(sorted(s for s, r in self.foods.items() if r.get("category") == category))
            return Meaning(typed, "category", _counted(f"Everything in {vocabulary().categories[category]}", found),
                           found)
        tag = _tags().get(folded)
        if tag is not None:
            found = tuple(sorted(s for s, r in self.foods.items()
                                 if tag in (r.get("tags") or ()) or tag in (r.get("allergens") or ())))
            definition = vocabulary().tags[tag]
            what = f"Anything with {definition.label.lower()}" if definition.kind == "allergen" \
                else f"Anything tagged {definition.label.lower()}"
            return Meaning(typed, "tag", _counted(what, found), found)
        suggestions = self.suggestions(typed)
        label = (f"Not a food we know: did you mean {_either(suggestions)}?" if suggestions
                 else "Not a food, kind of food or tag we know")
        return Meaning(typed, "unknown", label, (), suggestions)


def _either(words: tuple[str, ...]) -> str:
    quoted = [f"“{w}”" for w in words]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def meaning(word: str, foods: Mapping[str, Record], names: Mapping[str, str]) -> Meaning:
    """What one typed word means among these foods (`names`: what people write -> food slug)."""
    return _Lexicon(foods, names).meaning(word)


def meanings(words: Iterable[str], foods: Mapping[str, Record], names: Mapping[str, str]) -> list[Meaning]:
    """Each word's meaning, in the order typed; blank words and repeats (after cleaning) left out."""
    lexicon = _Lexicon(foods, names)
    typed = dict.fromkeys(clean(w) for w in words)
    return [lexicon.meaning(w) for w in typed if w]


def foods_meant(words: Iterable[str], foods: Mapping[str, Record], names: Mapping[str, str]) -> frozenset[str]:
    """Every food the known words cover together (unknown words add nothing)."""
    return frozenset(slug for found in meanings(words, foods, names) for slug in found.foods)
