"""The curated food database: every record valid, the guidance's foods all present."""
from __future__ import annotations

from collections import Counter

import pytest

from planner.data import curated_food_records, vocabulary
from planner.data.check import problems
from planner.foods.records import validate_record, with_derived_tags
from planner.foods.search import SearchIndex

RECORDS = [with_derived_tags(validate_record(row.record, vocabulary()).record) for row in curated_food_records()]
INDEX = SearchIndex(RECORDS)
PLANT_CATEGORIES = {"vegetables", "fruit", "legumes", "grains", "nuts-seeds", "herbs-spices"}
ANIMAL_CATEGORIES = {"fish-seafood", "meat-poultry", "eggs", "processed-meat"}


def with_tag(tag: str) -> list[dict]:
    return [r for r in RECORDS if tag in r["tags"]]


def test_every_curated_food_validates_without_clashes():
    assert problems() == []


def test_size_and_processed_share():
    assert len(RECORDS) >= 300
    assert sum(r["nova_group"] >= 3 for r in RECORDS) >= 60
    assert sum(r["nova_group"] == 4 for r in RECORDS) >= 40


@pytest.mark.parametrize("tag, least", [
    ("fermented", 25), ("live-cultures", 10), ("prebiotic", 25), ("bone-broth", 2), ("glutamine-source", 30),
    ("butyrate-source", 4), ("soothing-herb", 2), ("whole-grain", 15), ("legume", 25), ("leafy-green", 10),
    ("omega-3", 6), ("high-fibre", 20), ("fibre-source", 20), ("lean-protein", 15), ("alcohol", 8),
    ("added-sugar", 25), ("sweetener", 2), ("refined-grain", 8),
])
def test_the_guidance_foods_are_well_covered(tag, least):
    assert len(with_tag(tag)) >= least


def test_fermented_foods_with_and_without_live_cultures():
    fermented = with_tag("fermented")
    assert sum("live-cultures" not in r["tags"] for r in fermented) >= 10


@pytest.mark.parametrize("query", [
    "slippery elm", "marshmallow root", "coconut oil", "coconut milk", "ghee", "butter", "bone broth", "kefir",
    "sauerkraut", "kimchi", "miso", "tempeh", "kombucha", "natto", "jerusalem artichoke", "chicory", "green banana",
    "leek", "asparagus", "barley", "oats",
])
def test_named_guidance_foods_are_present(query):
    assert INDEX.search(query).records, query


@pytest.mark.parametrize("query", [
    "white bread", "corn flakes", "cola", "diet cola", "energy drink", "crisps", "gummy sweets", "digestive biscuits",
    "bacon", "hot dog", "instant noodles", "margarine", "lager", "red wine", "vodka", "chicken nuggets",
])
def test_common_processed_foods_can_be_checked(query):
    found = INDEX.search(query).records
    assert found and found[0]["nova_group"] >= 3, (query, found[:1])


@pytest.mark.parametrize("british, american", [
    ("yoghurt", "yogurt"), ("chickpeas", "garbanzo beans"), ("courgette", "zucchini"), ("aubergine", "eggplant"),
    ("coriander", "cilantro"), ("crisps", "potato chips"), ("rocket", "arugula"), ("swede", "rutabaga"),
    ("spring onion", "scallion"), ("biscuits", "cookies"), ("beetroot", "beets"),
])
def test_british_and_american_names_find_the_same_food(british, american):
    assert INDEX.search(british).records[0]["slug"] == INDEX.search(american).records[0]["slug"]


def test_plant_keys_are_where_they_belong():
    for r in RECORDS:
        if r["category"] in ANIMAL_CATEGORIES | {"alcoholic-drinks"} or r["nova_group"] == 4:
            assert r["plant_key"] is None, r["slug"]
        elif r["category"] in PLANT_CATEGORIES and r["nova_group"] in (1, 3):  # 2: salt, oils, sugars
            assert r["plant_key"], r["slug"]
    # Forms of one plant share a key: the count toward 30 plants is per plant, not per product.
    assert len({r["plant_key"] for r in RECORDS if r["plant_key"]}) >= 120


def test_alcohol_and_allergens_are_consistent():
    for r in RECORDS:
        if r["category"] == "fish-seafood" and r["plant_key"] is None:
            assert {"fish", "crustaceans", "molluscs"} & set(r["allergens"]), r["slug"]
        if r["category"] == "alcoholic-drinks":
            assert r["nutrients"]["alcohol_g"] > 0.5, r["slug"]


def test_sources_are_named_and_usda_ids_look_right():
    counts = Counter(r["source"]["name"] for r in RECORDS)
    assert counts["USDA SR Legacy"] >= 0.7 * len(RECORDS)
    for r in RECORDS:
        if r["source"]["name"] == "USDA SR Legacy":
            assert 4 <= len(r["source"]["id"]) <= 5, r["slug"]


def test_portions_are_plausible():
    for r in RECORDS:
        grams = r["portion"]["grams"]
        limit = 750 if r["category"] in {"drinks", "alcoholic-drinks"} else 450
        assert 1 <= grams <= limit, r["slug"]
        kcal = r["nutrients"]["energy_kcal"] * grams / 100
        assert kcal <= 1200, r["slug"]
