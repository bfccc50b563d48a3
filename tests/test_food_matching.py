"""Matching an ingredient's food words to a curated food, else a USDA SR28 entry."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.data import curated_food_records
from planner.recipes.matching import (
    Candidate,
    FoodMatch,
    Matcher,
    normalise,
    singular,
    usda_candidates,
    usda_names,
)

LABELS = Path(__file__).parent / "data" / "food_names.yaml"


def curated_candidates() -> list[Candidate]:
    return [Candidate(row.record["slug"], (row.record["name"], *row.record.get("synonyms", [])), True)
            for row in curated_food_records()]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(curated_candidates(), usda_candidates())


@pytest.fixture(scope="module")
def usda_only() -> Matcher:
    return Matcher([], usda_candidates())


def key_of(matcher: Matcher, words: str) -> str | None:
    found = matcher.match(words)
    return found.key if found else None


def test_normalise_singular_spelling_and_filler() -> None:
    assert normalise("Tomatoes") == ("tomato",)
    assert singular("leaves") == "leaf" and normalise("bay leaves") == ("bay",)  # "leaf" is filler
    assert normalise("berries") == ("berry",)
    for word in ("hummus", "couscous", "asparagus", "molasses"):
        assert normalise(word) == (word,)
    assert normalise("Greek yoghurt") == normalise("greek yogurt")
    assert normalise("courgette") == normalise("zucchini")
    assert normalise("aubergines") == normalise("eggplant")
    assert normalise("fresh coriander") == normalise("cilantro")
    assert normalise("ground coriander") == ("ground", "coriander")
    assert normalise("rocket") == normalise("arugula")
    assert normalise("spring onions") == normalise("scallion")
    assert normalise("king prawns") == normalise("shrimp")
    assert sorted(normalise("beef mince")) == sorted(normalise("ground beef"))  # matched as word sets
    assert normalise("tinned tomatoes") == normalise("canned tomato")
    assert normalise("wholemeal flour") == normalise("whole wheat flour")
    assert normalise("plain flour") == normalise("all-purpose flour")
    assert normalise("Gruyère") == ("gruyere",)
    assert normalise("2 large free-range organic eggs") == ("2", "egg")
    # words that change the food stay
    assert normalise("dried smoked canned ground cumin") == ("dried", "smoked", "canned", "ground", "cumin")


def test_usda_names_are_made_matchable() -> None:
    assert usda_names("Sea bass, mixed species, raw")[1:] == ("Sea bass", "Sea bass raw")
    assert "gruyere" in usda_names("Cheese, gruyere")
    assert "Pork belly" in usda_names("Pork, fresh, belly, raw")
    assert "jicama" in usda_names("Yambean (jicama), raw")
    names = {c.key: c for c in usda_candidates()}
    assert len(names) == 8790
    assert names["usda:15091"].names[0] == "Sea bass, mixed species, raw"
    assert not names["usda:15091"].curated


def test_exact_name_or_synonym_is_certain(matcher: Matcher) -> None:
    found = matcher.match("pak choi")
    assert found == FoodMatch("pak-choi", "Pak choi", 1.0, True)
    assert key_of(matcher, "bok choy") == "pak-choi"
    assert key_of(matcher, "cheddar") == "cheddar-cheese"


def test_exact_phrase_beats_token_overlap(matcher: Matcher) -> None:
    assert key_of(matcher, "red onion") == "red-onion"
    assert key_of(matcher, "onion") == "onion"
    assert key_of(matcher, "red pepper") == "red-pepper"


def test_curated_wins_over_usda_at_equal_fit(matcher: Matcher) -> None:
    found = matcher.match("tinned chickpeas")
    assert found is not None and found.curated and found.key == "chickpeas-canned"
    assert key_of(matcher, "prawns") == "prawns-raw"
    assert key_of(matcher, "extra virgin olive oil") == "extra-virgin-olive-oil"


def test_usda_fills_what_curated_lacks(matcher: Matcher) -> None:
    found = matcher.match("sea bass fillets")
    assert found is not None and found.key == "usda:15091" and not found.curated
    assert found.confidence == 1.0
    assert key_of(matcher, "whiting") == "usda:15132"
    assert key_of(matcher, "gruyère") == "usda:01023"


def test_plain_raw_forms_for_bare_names(usda_only: Matcher) -> None:
    assert key_of(usda_only, "chicken breast") == "usda:05062"  # raw, skinless, not fried in batter
    assert key_of(usda_only, "chicken wings") == "usda:05100"   # wings come with their skin
    assert key_of(usda_only, "sea bass") == "usda:15091"        # raw, not cooked
    assert key_of(usda_only, "cooked sea bass") == "usda:15092"
    assert key_of(usda_only, "spinach") == "usda:11457"
    assert key_of(usda_only, "whole milk") == "usda:01077"
    assert key_of(usda_only, "butter") == "usda:01001"


def test_partial_matches_are_less_certain(matcher: Matcher) -> None:
    found = matcher.match("lamb chops")
    assert found is not None and found.key.startswith("usda:17") and 0.5 <= found.confidence < 1.0


def test_nothing_below_the_floor(matcher: Matcher) -> None:
    assert matcher.match("xyzzy") is None
    assert matcher.match("") is None
    assert matcher.match("blood orange") is None  # not blood sausage
    assert matcher.suggestions("xyzzy") == []


def test_suggestions_best_first(matcher: Matcher) -> None:
    found = matcher.suggestions("salmon", limit=4)
    assert 1 <= len(found) <= 4
    assert found[0].key == "salmon-fillet-raw"
    assert [f.confidence for f in found] == sorted((f.confidence for f in found), reverse=True)
    assert len({f.key for f in found}) == len(found)
    assert matcher.suggestions("salmon", limit=0) == []


def test_accuracy_on_labelled_food_words(matcher: Matcher) -> None:
    rows = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    assert len(rows) >= 150
    misses = [(row["words"], row["key"], key_of(matcher, row["words"])) for row in rows
              if key_of(matcher, row["words"]) != row["key"]]
    accuracy = 1 - len(misses) / len(rows)
    assert accuracy >= 0.90, misses
