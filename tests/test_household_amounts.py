"""Amounts a cook reads ("3 eggs", "2 tbsp olive oil", "1 can chickpeas") on the recipe page, in the
plan JSON and in the calendar, with the grams still there."""
from __future__ import annotations

import re
from html import unescape

import pytest

from planner.plans.ics import plan_ics
from planner.plans.present import NUTRIENTS, _ingredients
from planner.recipes.curated import curated_foods, curated_recipes
from planner.recipes.present import cook_amount, cook_parts, food_words, scaled_ingredients

FOODS = curated_foods()
RECIPES = curated_recipes()
FAMILY = {"name": "Family", "members": [{"name": "Ana", "age": 36, "sex": "female"}, {"name": "Mia", "age": 4}]}


@pytest.mark.parametrize("slug, grams, expected", [
    ("egg-whole-raw", 150, "3 eggs"),
    ("egg-whole-raw", 50, "1 egg"),
    ("egg-whole-raw", 187.5, "4 eggs"),
    ("egg-boiled", 100, "2 boiled eggs"),
    ("extra-virgin-olive-oil", 27, "2 tbsp extra virgin olive oil"),
    ("extra-virgin-olive-oil", 4.5, "1 tsp extra virgin olive oil"),
    ("whole-milk", 206, "200 ml whole milk"),
    ("semi-skimmed-milk", 15, "1 tbsp semi-skimmed milk"),
    ("chickpeas-canned", 240, "1 can chickpeas"),
    ("chickpeas-canned", 480, "2 cans chickpeas"),
    ("chickpeas-canned", 120, "½ can chickpeas"),
    ("chickpeas-canned", 100, "100 g chickpeas"),  # not near half a can: grams
    ("onion", 110, "1 onion"),
    ("onion", 55, "½ onion"),
    ("onion", 330, "3 onions"),
    ("onion", 80, "80 g onion"),  # neither ½ nor 1 onion
    ("ground-cumin", 1, "½ tsp ground cumin"),
    ("ground-cumin", 6, "1 tbsp ground cumin"),
    ("garlic", 6, "2 garlic cloves"),
    ("garlic", 3, "1 garlic clove"),
    ("spinach", 150, "150 g spinach"),
    ("rolled-oats", 40, "40 g rolled oats"),
    ("unsalted-butter", 14, "1 tbsp unsalted butter"),
    ("unsalted-butter", 5, "1 tsp unsalted butter"),
    ("unsalted-butter", 120, "120 g unsalted butter"),  # more than 4 tbsp: weighed
    ("black-pepper", 0.3, "a pinch of black pepper"),
    ("chopped-tomatoes-canned", 400, "1 can chopped tomatoes"),
    ("salmon-fillet-raw", 240, "2 salmon fillets"),
    ("lemon", 60, "1 lemon"),
    ("brown-rice-dry", 75, "75 g dry brown rice"),
    ("chicken-stock-homemade", 500, "500 ml chicken stock"),
    ("wholemeal-bread", 72, "2 slices wholemeal bread"),
])
def test_cook_amount_of_common_foods(slug, grams, expected):
    assert cook_amount(grams, FOODS[slug]) == expected


def test_food_names_drop_qualifiers_a_cook_does_not_need():
    assert food_words(FOODS["egg-whole-raw"]) == "egg"
    assert food_words(FOODS["chickpeas-canned"]) == "chickpeas"
    assert food_words(FOODS["chickpeas-boiled"]) == "boiled chickpeas"
    assert food_words(FOODS["tuna-canned-in-water"]) == "tuna"
    assert food_words(FOODS["greek-yoghurt-full-fat"]) == "Greek yoghurt"
    assert cook_parts(150, FOODS["egg-whole-raw"]).food == "eggs"


def test_nothing_absurd_for_any_curated_ingredient():
    """Every ingredient of every curated recipe, at 1, 4 and 8 servings: a phrase that starts with
    a positive amount ("½", "3", "a pinch of"), no zero, at most 8 tablespoons, no cups."""
    checked = 0
    for recipe in RECIPES:
        for row in recipe["ingredients"]:
            for servings in (1, 4, 8):
                food = FOODS[row["food"]]
                said = cook_amount(row["grams"] * servings, food)
                checked += 1
                assert said.strip() and not said.startswith("-"), (row, said)
                assert not re.search(r"(^|\s)0(\s|$)", said), (row, servings, said)
                assert re.match(r"(\d+(\.\d+)?[¼½¾⅓⅔]?|[¼½¾⅓⅔]|a pinch of) \S", said), (row, servings, said)
                spoons = re.match(r"(\d+)?([¼½¾])? tbsp ", said)
                if spoons:
                    assert int(spoons.group(1) or 0) + (0.5 if spoons.group(2) else 0) <= 8, (row, servings, said)
                assert " cup" not in said, (row, servings, said)
                count = re.match(r"(\d+) ", said)
                if count and not re.match(r"\d+ (g|kg|ml|l) ", said):
                    assert int(count.group(1)) <= 24, (row, servings, said)
    assert checked > 1000


def test_cook_amount_is_grams_when_nothing_else_fits():
    assert cook_amount(0, FOODS["egg-whole-raw"]) == "0 g egg"
    assert cook_amount(10, FOODS["egg-whole-raw"]) == "10 g egg"  # a fifth of an egg
    assert cook_amount(float("nan"), FOODS["onion"]) == "0 g onion"
    broken = {**FOODS["onion"], "portion": None}  # a record without what the measures need
    assert cook_amount(200, broken) == "200 g onion"


def _egg_recipe():
    return next(r for r in RECIPES if any(row["food"] == "egg-whole-raw" and row["grams"] >= 50
                                          for row in r["ingredients"]))


def test_scaled_ingredients_carry_the_cooks_amount():
    recipe = _egg_recipe()
    lines = {line.slug: line for line in scaled_ingredients(recipe, FOODS, 4)}
    egg = lines["egg-whole-raw"]
    grams = next(row["grams"] for row in recipe["ingredients"] if row["food"] == "egg-whole-raw") * 4
    assert egg.grams == grams and egg.words in ("egg", "eggs") and re.fullmatch(r"\d+½?|½", egg.amount)


def test_recipe_page_counts_eggs_and_keeps_the_grams(anon):
    recipe = _egg_recipe()
    grams = next(row["grams"] for row in recipe["ingredients"] if row["food"] == "egg-whole-raw")
    page = unescape(anon.get(f"/recipes/{recipe['slug']}?servings=4").get_data(as_text=True))
    ingredients = page[page.index('<ul class="ingredients">'):]
    ingredients = ingredients[:ingredients.index("</ul>")]
    eggs = re.search(r'<span class="qty">([^<]+)</span> <a href="/foods/egg-whole-raw"[^>]*>(eggs?)</a> '
                     r'<small class="grams">\(([\d.]+) g\)</small>', ingredients)
    assert eggs, ingredients
    assert f"{eggs.group(1)} {eggs.group(2)}" == cook_amount(grams * 4, FOODS["egg-whole-raw"])
    assert float(eggs.group(3)) == grams * 4
    assert "Egg, whole, raw" in ingredients  # the food's full name is the link's title


def test_calendar_says_eggs_not_grams_of_egg():
    """A meal for 3.75 servings of a dish with eggs: "4 eggs", not "187.5 g Egg, whole, raw"."""
    recipe = _egg_recipe()
    ingredients = _ingredients(recipe, 3.75, FOODS, dict.fromkeys(NUTRIENTS, 0.0))
    assert all(item["amount"] and item["grams"] > 0 for item in ingredients)
    egg = next(item for item in ingredients if item["food"] == "egg-whole-raw")
    assert re.fullmatch(r"\d+½? eggs?|½ egg", egg["amount"])
    plan = {"id": 1, "week_start": "2026-11-23", "days": [{"date": "2026-11-23", "meals": [
        {"slot": "dinner", "servings": 3.75, "recipe": {"title": recipe["title"]}, "ingredients": ingredients}]}]}
    text = plan_ics(plan).replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")
    assert egg["amount"] in text
    assert not re.search(r"\d g Egg", text) and "Egg, whole, raw" not in text
    old = {**plan, "days": [{**plan["days"][0], "meals": [{**plan["days"][0]["meals"][0], "ingredients": [
        {"food": "egg-whole-raw", "name": "Egg, whole, raw", "grams": 187.5}]}]}]}
    assert "187.5 g Egg" in plan_ics(old).replace("\r\n ", "").replace("\\,", ",")  # a plan saved before amounts


def test_plan_json_and_calendar_have_cooks_amounts(client):
    created = client.post("/api/v1/plans", json={"profile": FAMILY, "week_start": "2026-11-23"})
    assert created.status_code == 201
    data = created.get_json()
    items = [item for day in data["days"] for meal in day["meals"]
             for item in meal["ingredients"] + [i for side in meal["sides"] for i in side["ingredients"]]]
    assert items and all({"food", "grams", "amount"} <= set(item) for item in items)
    assert all(item["amount"] == cook_amount(item["grams"], FOODS[item["food"]]) for item in items
               if item["food"] in FOODS)
    body = client.get(f"/plans/{data['id']}/plan.ics").get_data(as_text=True)
    text = body.replace("\r\n ", "").replace("\\,", ",").replace("\\n", "\n")
    first = data["days"][0]["meals"][0]["ingredients"][0]
    assert first["amount"] in text
    assert not re.search(r"\d g Egg", text)
