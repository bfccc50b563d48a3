"""Food groups (planner/data/food_groups.yaml): a word a family types that names many kinds of
food ("bread", "cheese", "sweets") is answered kind by kind, never by one food it happens to
resemble. Also: when a typed name is close enough to a food's own name to be that food."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from planner.data import DATA_DIR, read_yaml
from planner.foods.records import Record
from planner.foods.search import edit_distance, max_typos
from planner.foods.text import key, tokens


@dataclass(frozen=True)
class FoodGroup:
    key: str
    label: str
    words: tuple[str, ...]
    kinds: tuple[str, ...]  # food slugs, the common kinds


@cache
def food_groups() -> dict[str, FoodGroup]:
    """Groups by the folded key of each of their words."""
    path = DATA_DIR / "food_groups.yaml"
    if not path.is_file():
        return {}
    found: dict[str, FoodGroup] = {}
    for row in read_yaml(path).get("groups", []):
        group = FoodGroup(row["key"], row["label"], tuple(row["words"]), tuple(row["kinds"]))
        for word in group.words:
            found.setdefault(key(word), group)
    return found


def group_of(text: str) -> FoodGroup | None:
    return food_groups().get(key(text))


def _same_word(typed: str, name: str) -> bool:
    return typed == name or edit_distance(typed, name, max_typos(name)) <= max_typos(name)


def names_it(text: str, record: Record) -> bool:
    """Whether the text is the food's name or one of its synonyms, word for word, allowing a typo
    or two in longer words ("brocoli", "sweet potatos"), but no word missing or added: "sweets" is
    not "sweet potato", and "water" is not "water kefir"."""
    typed = tokens(text)
    name = record["name"]
    # "Kefir (plain, whole milk)" and "Chicken breast, raw" are named by their head words too.
    heads = {name, name.split("(")[0], name.split(",")[0]}
    for name in (*heads, *record.get("synonyms", [])):
        words = tokens(name)
        if len(words) == len(typed) and all(_same_word(t, w) for t, w in zip(typed, words, strict=True)):
            return True
    return False
