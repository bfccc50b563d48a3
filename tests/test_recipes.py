"""Recipes: the curated library, the record checks, derived facts and the recipe pages."""
from __future__ import annotations

from collections import Counter

import pytest

from planner.data.check import MIN_RECIPES, problems
from planner.recipes.curated import curated_dishes, curated_foods, curated_recipes
from planner.recipes.facts import recipe_facts
from planner.recipes.records import check_recipes, validate_recipe
from planner.recipes.store import get_recipe, recipe_record
from planner.data import SourcedRecord
from planner.extensions import db

FOODS = curated_foods()
DISHES = curated_dishes()


def recipe(**changes):
    base = {
        "slug": "test-oats", "title": "Test oats", "meals": ["breakfast"], "servings": 2, "prep_minutes": 5,
        "cook_minutes": 5, "kid_friendly": True, "keeps_days": 0,
        "ingredients": [{"food": "rolled-oats", "grams": 50}, {"food": "kefir", "grams": 150, "added": "raw"},
                        {"food": "blueberries", "grams": 60}],
        "steps": ["Soak the oats in the kefir.", "Top with berries."],
    }
    return {**base, **changes}


def test_curated_library_is_clean_and_large_enough():
    assert problems() == []
    counts = Counter(meal for r in curated_recipes() for meal in r["meals"])
    for meal, least in MIN_RECIPES.items():
        assert counts[meal] >= least, meal


def test_library_covers_diets_ferments_and_broth():
    facts = [d.facts for d in DISHES]
    for diet in ("vegetarian", "vegan", "dairy-free", "gluten-free"):
        assert sum(diet in f.diets for f in facts) >= 30, diet
    fermented_foods = {slug for f in facts for slug in f.foods if "live-cultures" in FOODS[slug]["tags"]}
    assert {"kefir", "sauerkraut-raw", "kimchi", "tempeh"} <= fermented_foods
    assert any(slug.startswith("miso") for slug in fermented_foods)
    assert any("yoghurt" in slug for slug in fermented_foods)
    assert sum(f.bone_broth for f in facts) >= 15
    assert sum(bool(d.recipe["kid_friendly"]) for d in DISHES) >= 60
    assert sum(bool(d.recipe["keeps"]) for d in DISHES) >= 60
    assert all(d.recipe["keeps"] == (d.recipe["keeps_days"] > 0) for d in DISHES)


def test_unknown_food_and_implausible_grams_are_refused():
    checked = validate_recipe(recipe(ingredients=[{"food": "unicorn-milk", "grams": 50}]), FOODS)
    assert "Unknown food 'unicorn-milk'" in checked.errors["ingredients.1.food"][0]
    checked = validate_recipe(recipe(ingredients=[{"food": "table-salt", "grams": 40}]), FOODS)
    assert "typical portions" in checked.errors["ingredients.1.grams"][0]
    checked = validate_recipe(recipe(ingredients=[{"food": "rolled-oats", "grams": 0}]), FOODS)
    assert "ingredients.1.grams" in checked.errors


def test_whole_recipe_checks_energy_and_ultra_processed():
    tiny = recipe(ingredients=[{"food": "blueberries", "grams": 20}])
    found, clean = check_recipes([SourcedRecord("t #1", tiny)], FOODS)
    assert clean and any("kcal a serving is outside" in message for _, _, message in found)
    cola = recipe(meals=["snack"], ingredients=[{"food": "cola", "grams": 330}])
    found, _ = check_recipes([SourcedRecord("t #1", cola)], FOODS)
    assert any("ultra-processed" in message for _, _, message in found)
    twice = [SourcedRecord("t #1", recipe()), SourcedRecord("t #2", recipe())]
    found, _ = check_recipes(twice, FOODS)
    assert {field for _, field, _ in found} >= {"slug", "title"}


def test_facts_are_derived_from_ingredients():
    r = validate_recipe(recipe(), FOODS).record
    facts = recipe_facts(r, FOODS)
    oats, kefir, berries = (FOODS[s] for s in ("rolled-oats", "kefir", "blueberries"))
    expected_fibre = sum(food["nutrients"]["fibre_g"] * g / 100 for food, g in ((oats, 50), (kefir, 150), (berries, 60)))
    assert facts.nutrients["fibre_g"] == pytest.approx(expected_fibre, abs=0.01)
    assert facts.fermented_servings == pytest.approx(150 / kefir["portion"]["grams"], abs=0.01)
    assert "milk" in facts.allergens and "gluten" in facts.allergens
    assert facts.diets == ("vegetarian",)
    assert set(facts.plants) == {oats["plant_key"], berries["plant_key"]}
    assert facts.min_age_years == 1  # whole blueberries: squash them for a baby


def test_child_safety_and_diets_follow_ingredients():
    nuts = validate_recipe(recipe(ingredients=[{"food": "rolled-oats", "grams": 50}, {"food": "walnuts", "grams": 20}]), FOODS).record
    assert recipe_facts(nuts, FOODS).min_age_years == 5
    ground = validate_recipe(recipe(ingredients=[{"food": "rolled-oats", "grams": 50}, {"food": "ground-almonds", "grams": 20}]), FOODS).record
    assert recipe_facts(ground, FOODS).min_age_years == 0
    honey = validate_recipe(recipe(ingredients=[{"food": "rolled-oats", "grams": 50}, {"food": "honey", "grams": 10}]), FOODS).record
    facts = recipe_facts(honey, FOODS)
    assert facts.min_age_years == 1 and "vegan" not in facts.diets
    broth = validate_recipe(recipe(meals=["lunch"], ingredients=[{"food": "chicken-bone-broth", "grams": 300},
                                                                 {"food": "red-lentils-boiled", "grams": 150}]), FOODS).record
    facts = recipe_facts(broth, FOODS)
    assert facts.bone_broth and "vegetarian" not in facts.diets


def test_recipe_list_filters(client):
    page = client.get("/recipes/?meal=dinner&diet=vegan")
    assert page.status_code == 200 and b"recipes" in page.data
    dinners = client.get("/recipes/?meal=dinner").get_data(as_text=True)  # over one page of 24
    assert 'rel="next" href="/recipes/?meal=dinner&amp;page=2"' in dinners
    assert client.get("/recipes/?q=lentil").status_code == 200
    assert client.get("/recipes/?meal=elevenses").status_code == 400
    assert client.get("/recipes/?max_minutes=abc").status_code == 400


def test_recipe_page_scales_ingredients(client):
    dish = next(d for d in DISHES if d.slug)
    first = dish.recipe["ingredients"][0]
    page = client.get(f"/recipes/{dish.slug}?servings=4").get_data(as_text=True)
    assert dish.recipe["title"] in page
    grams = round(first["grams"] * 4, 1)
    assert f"{grams:.1f}".rstrip("0").rstrip(".") + " g" in page
    assert client.get(f"/recipes/{dish.slug}?servings=0").status_code == 400
    assert client.get(f"/recipes/{dish.slug}?servings=lots").status_code == 400
    assert client.get("/recipes/no-such-recipe").status_code == 404


def test_recipe_record_round_trips_through_the_database(app):
    """keeps_days and each ingredient's `added` are stored and read back as the files give them."""
    for dish in DISHES:
        assert recipe_record(get_recipe(db.session, dish.slug)) == dish.recipe


def test_seed_is_idempotent(runner):
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and f"0 created, 0 updated, {len(curated_recipes())} unchanged" in result.output
