"""Food search: forgiving matching and ranking, on a small index built in the test."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.foods.search import Filters, SearchIndex, edit_distance, paginate
from planner.foods.text import fold, key, stem, tokens

FOODS = [
    ("onion", "Onion", ["brown onion"], "vegetables", 1, ["prebiotic", "unprocessed"]),
    ("red-onion", "Red onion", [], "vegetables", 1, ["prebiotic", "unprocessed"]),
    ("spring-onion", "Spring onion", ["scallion", "green onion"], "vegetables", 1, ["unprocessed"]),
    ("chickpeas-canned", "Chickpeas, canned", ["garbanzo beans"], "legumes", 3, ["legume", "processed"]),
    ("courgette", "Courgette", ["zucchini"], "vegetables", 1, ["unprocessed"]),
    ("yoghurt-plain", "Plain yoghurt", ["natural yoghurt"], "dairy", 1, ["fermented", "live-cultures"]),
    ("greek-yoghurt", "Greek yoghurt", [], "dairy", 1, ["fermented", "live-cultures"]),
    ("creme-fraiche", "Crème fraîche", [], "dairy", 1, ["fermented"]),
    ("tomatoes-chopped", "Chopped tomatoes, canned", [], "vegetables", 3, ["processed"]),
    ("tomato", "Tomato", [], "vegetables", 1, ["unprocessed"]),
    ("strawberries", "Strawberries", [], "fruit", 1, ["unprocessed"]),
    ("cola", "Cola", ["soda", "soft drink"], "drinks", 4, ["ultra-processed", "added-sugar"]),
]


def make_index() -> SearchIndex:
    return SearchIndex(
        {"slug": slug, "name": name, "synonyms": syn, "category": cat, "nova_group": nova, "aisle": "produce",
         "tags": tags, "allergens": ["milk"] if cat == "dairy" else []}
        for slug, name, syn, cat, nova, tags in FOODS
    )


INDEX = make_index()


def slugs(query: str, filters: Filters = Filters()) -> list[str]:
    return [r["slug"] for r in INDEX.search(query, filters).records]


def test_text_folding():
    assert fold("Crème Fraîche") == "creme fraiche"
    assert tokens("Yoghurts, Greek-style") == ["yogurt", "greek", "style"]
    assert [stem(w) for w in ["berries", "tomatoes", "peaches", "leaves", "hummus", "asparagus", "oats", "glass"]] == \
        ["berry", "tomato", "peach", "leaf", "hummus", "asparagus", "oat", "glass"]
    assert key("Wholemeal FLOUR") == "whole wheat flour"


def test_exact_name_ranks_first_then_names_containing_it():
    assert slugs("onion")[:3] == ["onion", "red-onion", "spring-onion"]


def test_case_plurals_accents_and_spelling_forgiven():
    assert slugs("ONIONS")[0] == "onion"
    assert slugs("tomatoes")[0] == "tomato"
    assert slugs("creme fraiche") == ["creme-fraiche"]
    assert slugs("plain yogurt")[0] == "yoghurt-plain"
    assert slugs("strawberry") == ["strawberries"]


def test_synonyms_match_and_rank_above_partial_names():
    assert slugs("zucchini") == ["courgette"]
    assert slugs("garbanzo beans") == ["chickpeas-canned"]
    assert slugs("scallions") == ["spring-onion"]
    assert slugs("green onion")[0] == "spring-onion"


def test_small_typos_are_forgiven():
    assert slugs("chikpeas")[0] == "chickpeas-canned"
    assert slugs("zuchini") == ["courgette"]
    assert slugs("onoin")[0] == "onion"  # transposition
    assert slugs("strawberies")[0] == "strawberries"


def test_prefix_matches_while_typing():
    assert slugs("cour") == ["courgette"]
    assert slugs("straw") == ["strawberries"]


def test_no_food_for_nonsense_and_approximate_partial_match():
    assert INDEX.search("xyzzy plugh").records == []
    result = INDEX.search("onion marmalade")
    assert result.approximate and result.records[0]["slug"] == "onion"


def test_filters_combine_with_query():
    assert slugs("", Filters(category="dairy")) == ["creme-fraiche", "greek-yoghurt", "yoghurt-plain"]
    assert slugs("onion", Filters(tag="prebiotic")) == ["onion", "red-onion"]
    assert slugs("", Filters(tag="milk", nova_group=1)) == ["creme-fraiche", "greek-yoghurt", "yoghurt-plain"]
    assert slugs("", Filters(nova_group=4)) == ["cola"]
    assert slugs("", Filters(aisle="frozen")) == []


def test_empty_query_lists_all_by_name():
    names = [r["name"] for r in INDEX.search("").records]
    assert names == sorted(names, key=str.casefold) and len(names) == len(FOODS)


def test_edit_distance():
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("onion", "onoin", 1) == 1
    assert edit_distance("abc", "abcdef", 1) == 2  # capped at limit + 1


def test_paginate_clamps_pages():
    items = list(range(50))
    assert paginate(items, 1, 24) == (items[:24], 1, 3)
    assert paginate(items, 3, 24) == (items[48:], 3, 3)
    assert paginate(items, 99, 24)[1] == 3
    assert paginate([], 1, 24) == ([], 1, 1)


NAMES = [name for _, name, *_ in FOODS]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(NAMES), st.data())
def test_any_name_with_case_changes_and_one_typo_is_found(name, data):
    """Property: a name, in any case, with one letter dropped or doubled (words of 5+ letters), still finds the food."""
    words = name.replace(",", "").split()
    index = data.draw(st.integers(0, len(words) - 1))
    word = words[index]
    if len(word) >= 5:  # typo away from the plural ending
        at = data.draw(st.integers(1, len(word) - 3))
        word = word[:at] + word[at + 1:] if data.draw(st.booleans()) else word[:at] + word[at] + word[at:]
    words[index] = word
    query = " ".join(w.upper() if data.draw(st.booleans()) else w.lower() for w in words)
    top = [r["name"] for r in INDEX.search(query).records[:3]]
    assert name in top, (query, top)
