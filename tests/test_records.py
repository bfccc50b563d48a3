"""Validation of a food record and the tags derived from its numbers."""
from __future__ import annotations

import pytest

from factories import food, without_micronutrients
from planner.data import vocabulary
from planner.foods.nutrition import OPTIONAL_NUTRIENTS, FoodFacts, atwater_kcal, derived_tags, fibre_tag
from planner.foods.records import find_clashes, validate_record, with_derived_tags


def errors_of(record: dict) -> dict[str, list[str]]:
    return validate_record(record, vocabulary()).errors


def test_valid_record_passes_and_is_canonical():
    checked = validate_record(food(synonyms=["  trial   pulse ", "trial pulse"]), vocabulary())
    assert checked.ok, checked.errors
    assert checked.record["synonyms"] == ["trial pulse"]
    assert checked.record["nutrients"]["alcohol_g"] == 0.0
    assert checked.record["nutrients"]["iron_mg"] == 3.33


def test_optional_nutrients_default_to_zero():
    checked = validate_record(without_micronutrients(food(nutrients={"alcohol_g": None})), vocabulary())
    assert checked.ok, checked.errors
    assert {name: checked.record["nutrients"][name] for name in OPTIONAL_NUTRIENTS} == dict.fromkeys(
        OPTIONAL_NUTRIENTS, 0.0)


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"name": "x" * 81}, "name"),
    ({"slug": "Bad Slug"}, "slug"),
    ({"category": "rocks"}, "category"),
    ({"form": "vapour"}, "form"),
    ({"aisle": "garden"}, "aisle"),
    ({"nova_group": 5}, "nova_group"),
    ({"nova_group": True}, "nova_group"),
    ({"nutrients": {"fibre_g": -1}}, "nutrients.fibre_g"),
    ({"nutrients": {"protein_g": "lots"}}, "nutrients.protein_g"),
    ({"nutrients": {"protein_g": float("nan")}}, "nutrients.protein_g"),
    ({"nutrients": {"energy_kcal": 950}}, "nutrients.energy_kcal"),
    ({"nutrients": {"sodium_mg": None}}, "nutrients.sodium_mg"),
    ({"nutrients": {"vitamin_q": 1}}, "nutrients.vitamin_q"),
    ({"nutrients": {"saturated_fat_g": 2}}, "nutrients.saturated_fat_g"),
    ({"nutrients": {"sugars_g": 30}}, "nutrients.sugars_g"),
    ({"nutrients": {"fibre_g": 25}}, "nutrients.fibre_g"),
    ({"nutrients": {"energy_kcal": 300}}, "nutrients.energy_kcal"),
    ({"nutrients": {"calcium_mg": 2001}}, "nutrients.calcium_mg"),
    ({"nutrients": {"iron_mg": -0.1}}, "nutrients.iron_mg"),
    ({"nutrients": {"vitamin_b12_ug": "some"}}, "nutrients.vitamin_b12_ug"),
    ({"nutrients": {"vitamin_d_ug": 251}}, "nutrients.vitamin_d_ug"),
    ({"portion": {"grams": 0}}, "portion.grams"),
    ({"portion": {"measure": ""}}, "portion.measure"),
    ({"purchase_unit": {"grams": "a bag"}}, "purchase_unit.grams"),
    ({"purchase_unit": None}, "purchase_unit"),
    ({"plant_key": "Red Lentil!"}, "plant_key"),
    ({"plant_key": "lentil" * 14}, "plant_key"),
    ({"slug": "lentil" * 14}, "slug"),
    ({"name": "Test\x00lentil"}, "name"),
    ({"synonyms": ["trial\x00pulse"]}, "synonyms"),
    ({"portion": {"measure": "1/2 cup\x07"}}, "portion.measure"),
    ({"source": {"name": "Label average", "id": "x" * 41, "note": "per 100 g"}}, "source.id"),
    ({"allergens": ["nightshades"]}, "allergens"),
    ({"tags": ["superfood"]}, "tags"),
    ({"tags": ["live-cultures"]}, "tags"),
    ({"tags": ["whole-grain", "refined-grain"]}, "tags"),
    ({"tags": ["alcohol"]}, "tags"),
    ({"tags": ["fibre-source"]}, "tags"),
    ({"tags": ["ultra-processed"]}, "tags"),
    ({"source": {"name": "Wikipedia"}}, "source.name"),
    ({"source": {"name": "USDA SR Legacy", "id": None}}, "source.id"),
    ({"source": {"name": "Label average", "id": None, "note": None}}, "source.note"),
    ({"colour": "brown"}, "colour"),
    ({"synonyms": ["Test lentils"]}, "synonyms"),
    ({"synonyms": "not;a;list" and 42}, "synonyms"),
])
def test_each_rule_reports_its_field(changes, field):
    errors = errors_of(food(**changes))
    assert field in errors, errors
    assert all(message.strip() for message in errors[field])


def test_not_a_mapping():
    assert "record" in errors_of(["not", "a", "record"])  # type: ignore[arg-type]


def test_every_error_is_reported_at_once():
    errors = errors_of(food(name="", category="rocks", nova_group=0, nutrients={"fat_g": -2}))
    assert {"name", "category", "nova_group", "nutrients.fat_g"} <= set(errors)


def test_derived_tags_given_must_agree_with_numbers():
    assert validate_record(food(tags=["legume", "high-fibre", "unprocessed"]), vocabulary()).ok
    checked = validate_record(food(tags=["legume", "high-fibre"]), vocabulary())
    assert checked.record["tags"] == ["legume"]  # derived tags are recomputed, not stored


def test_alcohol_tag_goes_with_alcohol():
    beer = food(category="alcoholic-drinks", nutrients={"energy_kcal": 43, "protein_g": 0.46, "fat_g": 0,
               "saturated_fat_g": 0, "carbohydrate_g": 3.55, "fibre_g": 0, "sugars_g": 0, "alcohol_g": 3.9},
               tags=["alcohol", "fermented"], plant_key=None)
    assert validate_record(beer, vocabulary()).ok
    beer["tags"] = ["fermented"]
    assert "tags" in errors_of(beer)


def test_atwater_counts_fibre_and_alcohol():
    n = {"protein_g": 10, "fat_g": 10, "carbohydrate_g": 30, "fibre_g": 10, "alcohol_g": 1}
    assert atwater_kcal(n) == 40 + 90 + 80 + 20 + 7


@pytest.mark.parametrize("fibre_per_100g, expected", [
    (2.7, None), (2.8, "fibre-source"), (5.5, "fibre-source"), (5.6, "high-fibre"), (12, "high-fibre"),
])
def test_fibre_claims_follow_fda_thresholds_per_portion(fibre_per_100g, expected):
    facts = FoodFacts("legumes", 1, 100, {"fibre_g": fibre_per_100g})
    assert fibre_tag(facts) == expected


def test_fibre_claim_depends_on_portion_not_100g():
    # 10 g fibre per 100 g but a 10 g portion gives 1 g: no claim.
    assert fibre_tag(FoodFacts("herbs-spices", 1, 10, {"fibre_g": 10})) is None


def test_derived_tags_cover_processing_sugar_salt_and_lean_protein():
    cola = FoodFacts("drinks", 4, 330, {"sugars_g": 12, "sodium_mg": 4})
    assert derived_tags(cola) == ["ultra-processed", "high-sugar"]
    bacon = FoodFacts("processed-meat", 4, 30, {"protein_g": 37, "fat_g": 9, "saturated_fat_g": 3, "sodium_mg": 1700})
    assert "lean-protein" not in derived_tags(bacon) and "high-salt" in derived_tags(bacon)
    cod = FoodFacts("fish-seafood", 1, 140, {"protein_g": 18, "fat_g": 0.7, "saturated_fat_g": 0.1})
    assert derived_tags(cod) == ["unprocessed", "lean-protein"]


def test_with_derived_tags_merges_sorted():
    record = validate_record(food(), vocabulary()).record
    assert with_derived_tags(record)["tags"] == ["high-fibre", "legume", "prebiotic", "unprocessed"]


def test_clashes_fold_case_accents_plurals_and_spelling():
    records = [
        {"slug": "a", "name": "Yoghurt, plain", "synonyms": []},
        {"slug": "b", "name": "Yogurts plain", "synonyms": []},
        {"slug": "c", "name": "Crème fraîche", "synonyms": ["cultured cream"]},
        {"slug": "d", "name": "Sour cream", "synonyms": ["creme fraiche"]},
        {"slug": "a", "name": "Another", "synonyms": []},
    ]
    clashes = find_clashes(records)
    assert set(clashes) == {1, 3, 4}
    assert "already a name of 'a'" in clashes[1]["name"][0]
    assert "slug" in clashes[4]
