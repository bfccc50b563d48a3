"""Ingredient labels: real products (tests/data/labels.yaml) and the NOVA marker rules."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planner.checker.check import check_label
from planner.checker.label import MAX_LABEL_CHARS, LabelTooLong, parse_ingredients, read_label
from test_data import INDEX

CASES = yaml.safe_load((Path(__file__).parent / "data" / "labels.yaml").read_text(encoding="utf-8"))


def test_enough_real_product_cases():
    assert len(CASES) >= 40
    assert len({case["name"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_real_product_label(case):
    result = check_label(case["text"], INDEX)
    assert result["nova_group"] == case["nova_group"]
    assert set(result["allergens"]) == set(case["allergens"])
    assert set(result["traces"]) == set(case["traces"])
    assert set(result["added_sugars"]) == set(case["added_sugars"])
    assert set(result["sweeteners"]) == set(case["sweeteners"])
    assert result["alcohol"] == case["alcohol"]
    assert result["live_cultures"] == case["live_cultures"]
    assert result["verdict"] == case["verdict"]
    assert result["reasons"] or result["verdict"] == "good"


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
