"""Checking a food by name: verdicts across the range, misspellings, plurals, triggers,
unknown foods and the personal profile."""
from __future__ import annotations

import pytest

from planner.checker.check import QueryError, check_food
from planner.checker.guidance import guidance
from planner.checker.restrictions import Restrictions, RestrictionsError, restrictions_from_dict
from test_data import INDEX

CASES = [
    # recommended: what the guidance favours
    ("kefir", "recommended", "kefir"), ("kefirs", "recommended", "kefir"),
    ("plain yogurt", "recommended", "plain-yoghurt-whole-milk"), ("greek yoghurt", "recommended", "greek-yoghurt-full-fat"),
    ("raw sauerkraut", "recommended", "sauerkraut-raw"), ("kimchee", "recommended", "kimchi"),
    ("tempeh", "recommended", "tempeh"), ("natto", "recommended", "natto"), ("garlic", "recommended", "garlic"),
    ("onions", "recommended", "onion"), ("leeks", "recommended", "leek"), ("asparagus", "recommended", "asparagus"),
    ("jerusalem artichokes", "recommended", "jerusalem-artichoke"), ("chicory", "recommended", "chicory"),
    ("green banana", "recommended", "green-banana"), ("oats", "recommended", "rolled-oats"),
    ("barley", "recommended", "pearl-barley"), ("lentils", "recommended", "lentils-boiled"),
    ("garbanzo beans", "recommended", "chickpeas-canned"), ("bone broth", "recommended", "chicken-bone-broth"),
    ("slippery elm", "recommended", "slippery-elm-powder"),  # for its fibre: the herb itself weighs as a whole food
    ("brown rice", "recommended", "brown-rice-dry"), ("sweet potatos", "recommended", "sweet-potato-baked"),
    ("strawberys", "recommended", "strawberries"), ("bananas", "recommended", "banana"), ("almonds", "recommended", "almonds"),
    # good: whole foods with nothing against them
    ("marshmallow root", "good", "marshmallow-root-dried"), ("brocoli", "good", "broccoli"), ("spinach", "good", "spinach"), ("salmon", "good", "salmon-fillet-raw"),
    ("eggs", "good", "egg-whole-raw"), ("chicken breast", "good", "chicken-breast-raw"), ("walnuts", "good", "walnuts"),
    ("coconut oil", "good", "coconut-oil"), ("ghee", "good", "ghee"),
    ("soya milk", "good", "soy-drink-unsweetened"), ("almond milk", "good", "almond-drink-unsweetened"),
    ("olive oil", "good", "extra-virgin-olive-oil"), ("tomatos", "good", "tomato"), ("zuchini", "good", "courgette"),
    ("aubergines", "good", "aubergine"), ("cilantro", "good", "coriander-leaves"), ("arugula", "good", "rocket"),
    # limit: processed, salty, sugary or refined
    ("cheddar", "limit", "cheddar-cheese"), ("honey", "limit", "honey"), ("maple syrup", "limit", "maple-syrup"),
    ("white rice", "limit", "white-rice-dry"), ("bacon", "limit", "bacon"), ("salami", "limit", "salami"),
    ("coconut milk", "limit", "coconut-milk"),  # processed, and the butyrate claim is not scored
    ("orange juice", "limit", "orange-juice-from-concentrate"), ("apple juice", "limit", "apple-juice"),
    ("crisps", "limit", "potato-crisps"), ("potato chips", "limit", "potato-crisps"), ("dark chocolate", "limit", "dark-chocolate"),
    # avoid: ultra-processed, refined sugar, alcohol
    ("sugar", "avoid", "white-sugar"), ("cola", "avoid", "cola"), ("coke", "avoid", "cola"), ("diet coke", "avoid", "diet-cola"),
    ("energy drink", "avoid", "energy-drink"), ("white bread", "avoid", "sliced-white-bread"), ("corn flakes", "avoid", "corn-flakes"),
    ("gummy bears", "avoid", "gummy-sweets"), ("digestive biscuits", "avoid", "digestive-biscuits"),
    ("hot dogs", "avoid", "hot-dog-frankfurters"), ("chicken nuggets", "avoid", "chicken-nuggets"),
    ("instant noodles", "avoid", "instant-noodles"), ("margarine", "avoid", "margarine"), ("ice cream", "avoid", "vanilla-ice-cream"),
    ("fruit yoghurt", "avoid", "fruit-yoghurt"), ("beer", "avoid", "lager"), ("red wine", "avoid", "red-wine"),
    ("vodka", "avoid", "vodka"), ("cider", "avoid", "cider"),
]


@pytest.mark.parametrize("query, verdict, slug", CASES, ids=[c[0] for c in CASES])
def test_food_verdicts(query, verdict, slug):
    result = check_food(query, INDEX)
    assert (result["verdict"], result["food"]["slug"]) == (verdict, slug)
    assert result["reasons"], "every verdict gives its reasons"
    assert all(r["rule"] and r["text"] and r["source"] for r in result["reasons"])
    assert result["serving_note"] and "fibre" in result["serving_note"]
    if verdict in ("limit", "avoid"):
        assert 2 <= len(result["swaps"]) <= 5
        assert all(s["slug"] != slug for s in result["swaps"])
        assert all(check_food(s["name"], INDEX)["verdict"] in ("recommended", "good") for s in result["swaps"])
    else:
        assert result["swaps"] == []


def test_enough_name_cases_across_all_verdicts():
    assert len(CASES) >= 60
    assert {verdict for _, verdict, _ in CASES} == {"recommended", "good", "limit", "avoid"}


@pytest.mark.parametrize("query, rule", [
    ("ibuprofen", "nsaids"), ("Advil", "nsaids"), ("aspirin", "nsaids"), ("naproxen", "nsaids"),
    ("antibiotics", "antibiotics"), ("amoxicillin", "antibiotics"), ("chemotherapy", "chemotherapy"),
])
def test_named_medicines_say_ask_and_point_to_the_prescriber(query, rule):
    result = check_food(query, INDEX)
    assert result["verdict"] == "ask" and result["kind"] == "medicine" and result["food"] is None
    assert result["reasons"][0]["rule"] == rule
    why = result["reasons"][0]["why"]
    assert "never advises stopping or changing" in why and ("prescribed" in why or "care team" in why)


def test_alcohol_as_such_is_avoid():
    result = check_food("alcohol", INDEX)
    assert result["verdict"] == "avoid" and result["kind"] == "trigger" and result["reasons"][0]["rule"] == "alcohol-drink"


@pytest.mark.parametrize("query", ["qwxzv", "chiken korma", "unicorn steak"])
def test_unknown_foods_get_suggestions_not_errors(query):
    result = check_food(query, INDEX)
    assert result["verdict"] == "unknown" and result["food"] is None
    assert len(result["suggestions"]) <= 5
    if query != "qwxzv":
        assert result["suggestions"]


def test_reasons_name_rule_and_source_article():
    result = check_food("kefir", INDEX)
    first = result["reasons"][0]
    assert first["rule"] == "fermented-live"
    assert "Leaky" in first["source"]


def test_butyrate_claim_stands_beside_the_accurate_fact_and_weighs_nothing():
    result = check_food("coconut oil", INDEX)
    reason = next(r for r in result["reasons"] if r["rule"] == "butyrate")
    assert "claim" in reason["text"] and "coconut" in reason["text"]
    assert "no butyric acid" in reason["why"] and "fibre and resistant starch" in reason["why"]
    assert next(r for r in guidance().rules if r.id == "butyrate").weight == 0


def test_soft_drink_swaps_include_kefir_water_and_sparkling_water():
    swaps = [s["slug"] for s in check_food("cola", INDEX)["swaps"]]
    assert "water-kefir" in swaps and "sparkling-mineral-water" in swaps


def test_white_bread_swaps_to_whole_grain_sourdough():
    assert check_food("white bread", INDEX)["swaps"][0]["slug"] == "wholegrain-sourdough"


def test_personal_allergen_makes_a_good_food_avoid_for_you_reason_first():
    profile = Restrictions(allergens=frozenset({"milk"}))
    result = check_food("kefir", INDEX, profile)
    assert result["verdict"] == "avoid" and result["personal"]
    assert result["reasons"][0]["rule"] == "your-allergens" and "milk" in result["reasons"][0]["text"]


def test_excluded_food_and_tag_are_personal_avoids():
    assert check_food("garlic", INDEX, Restrictions(excluded_foods=frozenset({"garlic"})))["verdict"] == "avoid"
    assert check_food("onions", INDEX, Restrictions(excluded_tags=frozenset({"prebiotic"})))["verdict"] == "avoid"
    assert check_food("kefir", INDEX, Restrictions(allergens=frozenset({"peanuts"})))["verdict"] == "recommended"


def test_swaps_respect_the_profile():
    profile = Restrictions(allergens=frozenset({"milk"}))
    swaps = check_food("fruit yoghurt", INDEX, profile)["swaps"]
    assert swaps and all("milk" not in INDEX.by_slug[s["slug"]]["allergens"] for s in swaps)


def test_bad_queries_and_profiles_are_clear_errors():
    with pytest.raises(QueryError):
        check_food("   ", INDEX)
    with pytest.raises(QueryError):
        check_food("x" * 500, INDEX)
    with pytest.raises(RestrictionsError, match="Unknown allergen"):
        restrictions_from_dict({"allergens": ["nightshade"]})
    with pytest.raises(RestrictionsError):
        restrictions_from_dict({"allergens": "milk", "excluded_tags": ["sparkly"]})
    assert restrictions_from_dict({"allergens": "milk, peanuts"}).allergens == {"milk", "peanuts"}
