"""Ingredient labels: real products (tests/data/labels.yaml) and the NOVA marker rules."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.checker.check import QueryError, check_label
from planner.checker.label import MAX_LABEL_CHARS, LabelTooLong, parse_ingredients, read_label
from test_data import INDEX

CASES = yaml.safe_load((Path(__file__).parent / "data" / "labels.yaml").read_text(encoding="utf-8"))


def test_enough_real_product_cases():
    assert len(CASES) >= 100
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_real_product_label(case):
    result = check_label(case["text"], INDEX)
    assert result["nova_group"] == case["nova_group"]
    assert set(result["allergens"]) == set(case["allergens"])
    assert set(result["traces"]) == set(case["traces"])
    if "additives" in case:
        assert {a["code"] for a in result["additives"]} == set(case["additives"])
    for listed in ("added_sugars", "sweeteners"):
        if listed in case:
            assert set(result[listed]) == set(case[listed])
    for flag in ("alcohol", "live_cultures", "verdict"):
        if flag in case:
            assert result[flag] == case[flag]
    assert result["reasons"] or result["verdict"] in ("good", "unknown")


# The Open Food Facts method: start at 1, markers raise the group, the highest wins.
@pytest.mark.parametrize("text, group, marker", [
    ("tomatoes", 1, None),
    ("chickpeas, water", 1, None),
    ("milk, live cultures", 1, None),
    ("cabbage, salt", 3, "salt"),
    ("flour, water, sugar", 3, "sugar"),
    ("potatoes, sunflower oil", 3, "oil"),
    ("apples, honey", 3, "honey"),
    ("bread (flour, water, butter)", 3, "butter"),
    ("peas, water, potato starch", 3, "potato starch"),
    ("raisins, sunflower oil, preservative: potassium sorbate", 3, "preservative"),
    ("pork, salt, E250", 3, "E250"),
    ("cheese, E202", 3, "E202"),
    ("pork, sea salt, preservative (sodium nitrite)", 3, "E250"),
    ("water, flavouring", 4, "flavoring"),
    ("water, natural flavours", 4, "natural flavor"),
    ("milk, whey powder", 4, "whey powder"),
    ("milk, casein", 4, "casein"),
    ("milk, lactose", 4, "lactose"),
    ("wheat flour, wheat gluten", 4, "wheat gluten"),
    ("partially hydrogenated soybean oil", 4, "hydrogenated"),
    ("hydrolysed vegetable protein", 4, "hydrolysed"),
    ("maltodextrin", 4, "maltodextrin"),
    ("invert sugar syrup", 4, "invert sugar syrup"),
    ("high fructose corn syrup", 4, "high fructose corn syrup"),
    ("glucose syrup", 4, "glucose syrup"),
    ("dextrose", 4, "dextrose"),
    ("milk proteins", 4, "milk protein"),
    ("soy lecithin", 4, "soy lecithin"),
    ("modified maize starch", 4, "modified"),
    ("emulsifier (mono- and diglycerides of fatty acids)", 4, "emulsifier"),
    ("thickener: xanthan gum", 4, "thickener"),
    ("xanthan gum", 4, "E415"),
    ("colour: E150d", 4, "E150"),
    ("E102", 4, "E102"),
    ("sweetener (aspartame)", 4, "E951"),
    ("E955", 4, "E955"),
    ("flavour enhancer: monosodium glutamate", 4, "E621"),
    ("E627, E631", 4, "E627"),
    ("E1422", 4, "E1422"),
    ("glazing agent: carnauba wax", 4, "E903"),
    ("carbonated water", 4, "carbonated water"),
    ("E290", 4, "E290"),
    ("humectant (glycerol)", 4, "humectant"),
    ("gelling agent: pectin", 4, "gelling agent"),
    ("diphosphates", 4, "E450"),
])
def test_nova_markers(text, group, marker):
    reading = read_label(text)
    assert reading.nova_group == group
    if marker:
        assert any(m["marker"] == marker for m in reading.markers), reading.markers


@pytest.mark.parametrize("text", ["sugar", "sea salt", "extra virgin olive oil", "butter (milk), salt", "honey"])
def test_single_culinary_ingredient_is_group_2(text):
    assert read_label(text).nova_group == 2


def test_markers_name_the_text_they_were_found_in():
    reading = read_label("Oats, Emulsifier (Soya Lecithin), Sea Salt")
    found = {m["marker"]: m["text"] for m in reading.markers}
    assert found["emulsifier"] == "Emulsifier (Soya Lecithin)"
    assert found["sea salt"] == "Sea Salt"


def test_nested_brackets_and_percentages_parse():
    items = parse_ingredients("Chocolate (20%) (sugar, cocoa butter [cocoa beans]), oats 45%, salt")
    assert [i.name for i in items] == ["Chocolate", "oats", "salt"]
    assert items[0].percent == 20 and items[1].percent == 45
    assert [c.name for c in items[0].children] == ["sugar", "cocoa butter"]
    assert items[0].children[1].children[0].name == "cocoa beans"


def test_unbalanced_brackets_do_not_lose_ingredients():
    items = parse_ingredients("oats, chocolate (sugar, cocoa")
    assert [i.name for i in items] == ["oats", "chocolate"]
    assert [c.name for c in items[1].children] == ["sugar", "cocoa"]


def test_two_percent_or_less_and_may_contain():
    reading = read_label("Water, chickpeas, contains 2% or less of: salt, garlic. May contain sesame and mustard.")
    assert reading.nova_group == 3
    assert reading.traces == ["mustard", "sesame"] and reading.allergens == []


def test_plain_dairy_lactose_is_not_added_sugar_and_sweeteners_are_not_sugars():
    assert read_label("whole milk, cream").added_sugars == []
    reading = read_label("water, citric acid, sweeteners (sucralose, acesulfame K)")
    assert reading.added_sugars == [] and set(reading.sweeteners) == {"sucralose", "acesulfame k"}


def test_alcohol_line_and_alcohol_free():
    assert read_label("Water, barley malt, hops. Alc. 4.8% vol").alcohol
    assert read_label("Water, barley malt, hops. 0.0% vol").alcohol is False
    assert read_label("Red wine vinegar, water").alcohol is False


def test_too_long_is_refused_quickly():
    with pytest.raises(LabelTooLong) as refused:
        read_label("sugar, " * 200_000)
    assert f"{MAX_LABEL_CHARS:,}" in str(refused.value)


def test_long_label_within_limit_is_read():
    text = ", ".join(["oats", "salt (sea salt)", "E471"] * 1000)[:MAX_LABEL_CHARS]
    assert read_label(text).nova_group == 4


# -- allergens ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["rice flour", "buckwheat flour", "gram flour", "chickpea flour", "almond flour",
                                  "corn flour", "maize flour", "coconut flour", "tapioca flour", "potato flour",
                                  "gluten free flour (rice, potato, tapioca)", "gluten-free plain flour blend"])
def test_other_grain_flours_hold_no_gluten(text):
    assert "gluten" not in read_label(text).allergens


@pytest.mark.parametrize("text", ["flour", "plain flour", "Organic Plain White Flour", "self-raising flour",
                                  "strong white flour", "all-purpose flour", "enriched flour (niacin, iron)",
                                  "wheat starch", "spelt flour", "rye flour", "semolina", "bulgur wheat",
                                  "couscous", "barley malt extract", "oats", "freekeh", "seitan"])
def test_wheat_and_named_cereals_hold_gluten(text):
    assert "gluten" in read_label(text).allergens


def test_soy_flour_is_soy_not_gluten():
    assert read_label("soy flour").allergens == ["soybeans"]


@pytest.mark.parametrize("boilerplate", [
    "Allergy advice: for allergens, including cereals containing gluten, see ingredients in bold.",
    "For allergens see ingredients in CAPITALS.",
    "Allergens: including cereals containing gluten, see ingredients in bold.",
    "Allergy Advice: For allergens, see ingredients highlighted.",
])
def test_boilerplate_pointing_at_the_list_declares_nothing(boilerplate):
    reading = read_label("Potatoes, sunflower oil, salt. " + boilerplate)
    assert reading.allergens == [] and reading.traces == []


def test_statement_on_its_own_is_read_and_answered():
    result = check_label("Contains soy, milk and hazelnut. May contain celery.", INDEX)
    assert result["allergens"] == ["milk", "soybeans", "tree-nuts"] and result["traces"] == ["celery"]
    assert result["verdict"] == "unknown" and result["nova_group"] is None


def test_statement_on_its_own_is_avoided_by_the_allergic():
    from planner.checker.restrictions import Restrictions
    profile = Restrictions(allergens=frozenset({"milk"}))
    assert check_label("Contains: milk.", INDEX, profile)["verdict"] == "avoid"


def test_text_with_neither_ingredients_nor_allergens_is_still_refused():
    with pytest.raises(QueryError):
        check_label("May contain.", INDEX)


def test_contains_naming_no_allergen_stays_in_the_list():
    reading = read_label("Peanuts, salt, contains permitted natural flavour & colouring, black salt")
    assert reading.nova_group == 4 and reading.allergens == ["peanuts"]
    assert any(m["marker"] == "natural flavor" for m in reading.markers)


@pytest.mark.parametrize("text, slug", [
    ("grana padano", "milk"), ("parmigiano reggiano", "milk"), ("pecorino romano", "milk"), ("dairy solids", "milk"),
    ("halibut", "fish"), ("turbot", "fish"), ("flounder", "fish"), ("lemon sole", "fish"), ("monkfish", "fish"),
    ("plaice", "fish"), ("pollack", "fish"), ("tilapia", "fish"), ("mollusk", "molluscs"), ("molluscs", "molluscs"),
    ("abalone", "molluscs"), ("soja lecithin", "soybeans"), ("treenuts", "tree-nuts"), ("tree nuts", "tree-nuts"),
    ("gianduja", "tree-nuts"), ("lysozyme", "eggs"), ("meringue", "eggs"), ("tahina", "sesame"),
    ("lupini beans", "lupin"), ("scampi", "crustaceans"), ("monkey nuts", "peanuts"), ("E220", "sulphites"),
])
def test_product_and_species_names(text, slug):
    assert slug in read_label(text).allergens


@pytest.mark.parametrize("text", ["oyster mushrooms", "butter beans", "tiger nuts", "water chestnuts", "nutmeg",
                                  "non-dairy", "coconut milk", "cocoa butter"])
def test_look_alike_names_are_not_allergens(text):
    assert read_label(text).allergens == []


def test_soy_milk_is_soy():
    assert read_label("soy milk").allergens == ["soybeans"]


# -- additives ---------------------------------------------------------------------------------

def _codes(text: str) -> list[str]:
    return [a.code for a in read_label(text).additives]


@pytest.mark.parametrize("text, codes", [
    ("INS 471", ["E471"]), ("INS471", ["E471"]), ("E 471", ["E471"]), ("e-471", ["E471"]),
    ("E161g", ["E161g"]), ("E322i", ["E322"]), ("colour (E160a(ii))", ["E160a"]), ("E472e", ["E472e"]),
    ("stabiliser (440, 331)", ["E440", "E331"]), ("emulsifiers: 322, 471", ["E322", "E471"]),
    ("raising agents (503(ii), 500(ii))", ["E503", "E500"]),
    ("FD&C Red #40", ["E129"]), ("Red 40", ["E129"]), ("Red No. 40", ["E129"]), ("Yellow 5", ["E102"]),
    ("Yellow 6", ["E110"]), ("Blue 1", ["E133"]), ("Blue 2", ["E132"]), ("Green 3", ["E143"]), ("Red 3", ["E127"]),
    ("citric acid", ["E330"]),
])
def test_additive_notations(text, codes):
    assert _codes(text) == codes


@pytest.mark.parametrize("text", ["tomatoes (148g per 100g)", "vitamin B12", "oats 450", "water, 471"])
def test_numbers_without_a_class_are_not_additives(text):
    assert _codes(text) == []


def test_one_entry_per_additive_with_every_name():
    reading = read_label("Sugar, emulsifier: lecithin (E322), sugar, glucose syrup (sugar)")
    assert [a.as_dict() for a in reading.additives] == [
        {"code": "E322", "names": ["lecithin", "E322"], "class": "emulsifier", "nova4": True}]
    assert [m["marker"] for m in reading.markers].count("sugar") == 1


def test_label_result_reports_every_additive():
    result = check_label("Water, sugar, citric acid, colour: E150d", INDEX)
    assert [(a["code"], a["nova4"]) for a in result["additives"]] == [("E330", False), ("E150d", True)]


@pytest.mark.parametrize("text", ["anti-caking agent: silicon dioxide", "E551", "propellant: nitrous oxide",
                                  "E943a", "E1521", "E938"])
def test_newer_open_food_facts_group_4_additives(text):
    assert read_label("cheese, " + text).nova_group == 4
