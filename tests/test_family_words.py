"""Words families type in the checker resolve to the food they name, or to a group of foods
(planner/data/food_groups.yaml) answered kind by kind, never to a food that merely looks alike."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.foods.text import key
from test_data import INDEX

DATA = Path(__file__).parent / "data" / "family_words.yaml"
GROUPS_FILE = Path(__file__).resolve().parents[1] / "planner" / "data" / "food_groups.yaml"


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_groups() -> dict[str, dict]:
    return {group["key"]: group for group in load_yaml(GROUPS_FILE)["groups"]}


ENTRIES = load_yaml(DATA)
GROUPS = load_groups()
FOOD_KEYS = {key(text) for record in INDEX.records() for text in [record["name"], *record["synonyms"]]}


def test_the_set_is_large_and_covers_both_kinds():
    assert len(ENTRIES) >= 200
    assert sum("food" in e for e in ENTRIES) >= 100 and sum("group" in e for e in ENTRIES) >= 100
    assert len(GROUPS) >= 40


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["word"] for e in ENTRIES])
def test_word_resolves_as_expected(entry):
    word = entry["word"]
    found = INDEX.exact(word)
    if "food" in entry:
        assert found is not None and found["slug"] == entry["food"], (word, found and found["slug"])
    else:
        group = GROUPS[entry["group"]]
        assert key(word) in {key(w) for w in group["words"]}, word
        assert found is None, (word, found["slug"])
    for slug in entry.get("never", []):
        assert slug in INDEX.by_slug, slug
        assert found is None or found["slug"] != slug, (word, slug)


@pytest.mark.parametrize("group", list(GROUPS.values()), ids=list(GROUPS))
def test_groups_are_well_formed(group):
    assert group["label"] and group["words"]
    assert 2 <= len(group["kinds"]) <= 8
    assert len(set(group["kinds"])) == len(group["kinds"])
    for slug in group["kinds"]:
        assert slug in INDEX.by_slug, slug
    for word in group["words"]:
        assert key(word) not in FOOD_KEYS, f"{word!r} is also a food's name or synonym"


def test_a_word_belongs_to_one_group():
    owner: dict[str, str] = {}
    for group in GROUPS.values():
        for word in group["words"]:
            assert owner.setdefault(key(word), group["key"]) == group["key"], word


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["word"] for e in ENTRIES])
def test_the_checker_answers_what_was_asked(entry):
    """End to end: a food word gets that food's verdict, a group word an answer per kind with
    `verdict` "depends" unless all kinds agree, and never the verdict of a look-alike."""
    from planner.checker.check import check_food
    result = check_food(entry["word"], INDEX)
    if "food" in entry:
        assert result["kind"] == "food" and result["food"]["slug"] == entry["food"]
    else:
        assert result["kind"] == "group" and result["group"]["key"] == entry["group"]
        kinds = {v["food"]["slug"] for v in result["variants"]}
        assert kinds == set(GROUPS[entry["group"]]["kinds"]) & set(INDEX.by_slug)
        verdicts = {v["verdict"] for v in result["variants"]}
        assert result["verdict"] == (verdicts.pop() if len(verdicts) == 1 else "depends")
    assert (result["food"] or {}).get("slug") not in entry.get("never", [])
