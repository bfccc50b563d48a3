"""Food safety of recipes: dried pulses soaked and boiled hard, keeping times by what a dish holds,
steps that promise no longer keeping than the record, foods to cook first (planner/recipes/safety.py,
planner/data/food_safety.yaml)."""
from __future__ import annotations

import pytest
import yaml

import planner.data as data_module
from planner.data import SourcedRecord, vocabulary
from planner.data.check import main as check_main
from planner.foods.store import RecordsRejected
from planner.recipes.curated import curated_foods, curated_recipes
from planner.recipes.records import check_recipes, validate_recipe
from planner.recipes.safety import (
    durations, promised_days, rules_from, rules_problems, safety_problems, safety_rules,
)
from planner.recipes.store import validate_recipes

FOODS = curated_foods()
# The curated foods have no dried red kidney beans (yet): one made from the cooked ones.
KIDNEY_DRIED = {**FOODS["kidney-beans-boiled"], "slug": "kidney-beans-dried", "name": "Red kidney beans (dried)",
                "form": "dried"}
WITH_DRIED = {**FOODS, KIDNEY_DRIED["slug"]: KIDNEY_DRIED}
SOAK_AND_BOIL = [
    "Soak the kidney beans overnight in plenty of cold water.",
    "Drain the beans, cover them with fresh water and boil hard for 10 minutes, then simmer for 45 minutes "
    "until tender.",
    "Soften the onion in the oil, add the tomatoes and beans and simmer for 10 minutes.",
]


def chilli(**changes):
    base = {
        "slug": "bean-chilli", "title": "Bean chilli", "meals": ["dinner"], "servings": 4, "prep_minutes": 15,
        "cook_minutes": 70, "keeps_days": 3,
        "ingredients": [{"food": "kidney-beans-dried", "grams": 60}, {"food": "onion", "grams": 60},
                        {"food": "chopped-tomatoes-canned", "grams": 150},
                        {"food": "extra-virgin-olive-oil", "grams": 8},
                        {"food": "table-salt", "grams": 0.5, "added": "end"}],
        "steps": SOAK_AND_BOIL,
    }
    return {**base, **changes}


def record(raw, foods=WITH_DRIED):
    checked = validate_recipe(raw, foods)
    assert checked.ok, checked.errors
    return checked.record


def by_slug(slug):
    return next(r for r in curated_recipes() if r["slug"] == slug)


def test_every_curated_recipe_passes_the_safety_check():
    failing = {r["slug"]: safety_problems(r, FOODS) for r in curated_recipes()}
    assert {slug: found for slug, found in failing.items() if found} == {}
    assert len(curated_recipes()) == 218


def test_the_rules_file_names_known_foods_words_and_sources():
    assert rules_problems(safety_rules(), vocabulary(), FOODS) == []
    data = yaml.safe_load(data_module.DATA_DIR.joinpath("food_safety.yaml").read_text(encoding="utf-8"))
    data["keeping"]["limits"][0]["match"]["categories"] = ["grainz"]
    data["keeping"]["limits"][0]["sources"] = ["nobody"]
    found = rules_problems(rules_from(data), vocabulary(), FOODS)
    assert any("unknown category 'grainz'" in line for line in found)
    assert any("unknown source 'nobody'" in line for line in found)


def test_dried_kidney_beans_only_simmered_are_refused():
    raw = chilli(steps=["Soften the onion in the oil, add the tomatoes and beans and simmer 25 minutes."])
    found = safety_problems(record(raw), WITH_DRIED)
    assert any("dried red kidney beans" in m and "no step boils them hard for at least 10 minutes" in m
               for m in found), found
    assert any("no step soaks them overnight" in m for m in found), found
    problems, _ = check_recipes([SourcedRecord("t #1", raw)], WITH_DRIED)
    assert any(field == "safety" and "boils them hard" in m for _, field, m in problems)


def test_dried_kidney_beans_soaked_and_boiled_hard_pass():
    assert safety_problems(record(chilli()), WITH_DRIED) == []
    # "boil them vigorously" and "rolling boil" say the same.
    vigorous = [SOAK_AND_BOIL[0], "Drain, add fresh water and boil the beans vigorously for 10 minutes, then "
                                  "simmer for 45 minutes.", SOAK_AND_BOIL[2]]
    assert safety_problems(record(chilli(steps=vigorous)), WITH_DRIED) == []


def test_a_short_soak_a_short_boil_or_uncounted_minutes_are_refused():
    short_soak = ["Soak the kidney beans for 4 hours.", *SOAK_AND_BOIL[1:]]
    assert any("soaks them overnight (or 12 hours)" in m for m in safety_problems(record(chilli(steps=short_soak)),
                                                                                   WITH_DRIED))
    short_boil = [SOAK_AND_BOIL[0], "Drain the beans, cover with fresh water and boil hard for 5 minutes, then "
                                    "simmer for 45 minutes.", SOAK_AND_BOIL[2]]
    assert any("boils them hard for at least 10" in m for m in safety_problems(record(chilli(steps=short_boil)),
                                                                               WITH_DRIED))
    found = safety_problems(record(chilli(cook_minutes=30)), WITH_DRIED)
    assert any("cook_minutes is 30" in m and "55 minutes" in m for m in found), found


def test_a_step_naming_dried_beans_is_checked_even_with_a_cooked_food():
    raw = chilli(ingredients=[{"food": "kidney-beans-boiled", "grams": 150}, {"food": "onion", "grams": 60},
                              {"food": "chopped-tomatoes-canned", "grams": 150}],
                 steps=["Simmer the dried red kidney beans with the onion and tomatoes for 40 minutes."])
    assert any("dried red kidney beans" in m for m in safety_problems(record(raw), WITH_DRIED))
    canned = chilli(ingredients=[{"food": "kidney-beans-canned", "grams": 150}, {"food": "onion", "grams": 60},
                                 {"food": "chopped-tomatoes-canned", "grams": 150}],
                    steps=["Simmer the drained kidney beans with the onion and tomatoes for 20 minutes."])
    assert safety_problems(record(canned), WITH_DRIED) == []


def test_lentils_need_no_soak_but_a_boil():
    soup = chilli(ingredients=[{"food": "red-lentils-dried", "grams": 60}, {"food": "onion", "grams": 60}],
                  cook_minutes=30, steps=["Soften the onion, add the lentils and water and simmer for 20 minutes."])
    assert safety_problems(record(soup), WITH_DRIED) == []
    raw_soak = chilli(ingredients=[{"food": "red-lentils-dried", "grams": 60}, {"food": "onion", "grams": 60}],
                      cook_minutes=0, steps=["Soak the lentils for 2 hours and stir through the onion."])
    assert any("boils or simmers them" in m for m in safety_problems(record(raw_soak), WITH_DRIED))


def test_rice_dish_keeping_three_days_is_refused():
    rice = chilli(ingredients=[{"food": "brown-rice-dry", "grams": 60}, {"food": "onion", "grams": 60},
                               {"food": "chopped-tomatoes-canned", "grams": 150}],
                  cook_minutes=35, keeps_days=3, steps=["Simmer the rice with the onion and tomatoes for 30 minutes."])
    found = safety_problems(record(rice), WITH_DRIED)
    assert any("keeps_days is 3" in m and "cooked rice" in m and "at most 1 day" in m for m in found), found
    assert safety_problems(record({**rice, "keeps_days": 1}), WITH_DRIED) == []


def test_keeping_follows_the_shortest_limit_but_not_what_goes_on_at_the_table():
    fish = chilli(ingredients=[{"food": "haddock-fillet-raw", "grams": 120}, {"food": "onion", "grams": 60}],
                  cook_minutes=15, keeps_days=3, steps=["Poach the haddock with the onion for 8 minutes."])
    assert any("fish or seafood" in m and "at most 2 days" in m for m in safety_problems(record(fish), WITH_DRIED))
    leaves = {**fish, "keeps_days": 2, "ingredients": [{"food": "onion", "grams": 60},
                                                       {"food": "rocket", "grams": 30, "added": "raw"}]}
    assert any("raw salad leaves" in m for m in safety_problems(record(leaves), WITH_DRIED))
    on_the_side = {**leaves, "ingredients": [{"food": "onion", "grams": 60},
                                             {"food": "rocket", "grams": 30, "added": "end"}]}
    assert safety_problems(record(on_the_side), WITH_DRIED) == []


def test_a_step_promising_longer_keeping_is_refused():
    rice = chilli(ingredients=[{"food": "brown-rice-dry", "grams": 60}, {"food": "onion", "grams": 60}],
                  cook_minutes=35, keeps_days=1,
                  steps=["Simmer the rice with the onion for 30 minutes.", "Keeps 3 days in the fridge."])
    found = safety_problems(record(rice), WITH_DRIED)
    assert any("Step 2 says it keeps 3 days" in m and "keeps_days (1)" in m for m in found), found
    assert promised_days("Leftover chilli keeps for 3 days or freezes for a month.") == 3
    assert promised_days("They keep frozen for a month.") is None
    assert promised_days("Cool leftovers quickly and eat them within a day.") == 1
    assert promised_days("It keeps covered in the fridge for two days.") == 2
    assert promised_days("Keep in the fridge for up to a week or freeze for a month.") == 7
    assert promised_days("Chill for at least 3 hours, keeping it covered.") is None


def test_frozen_vegetables_and_sprouts_eaten_raw_must_say_ready_to_eat():
    salad = chilli(ingredients=[{"food": "quinoa-dry", "grams": 60},
                                {"food": "sweetcorn-frozen", "grams": 50, "note": "thawed", "added": "raw"}],
                   cook_minutes=15, keeps_days=0, steps=["Simmer the quinoa for 15 minutes and toss with the corn."])
    assert any("goes in uncooked (raw)" in m and "must be cooked first" in m
               for m in safety_problems(record(salad), WITH_DRIED))
    ready = {**salad, "ingredients": [salad["ingredients"][0],
                                      {"food": "sweetcorn-frozen", "grams": 50, "note": "labelled ready to eat",
                                       "added": "raw"}]}
    assert safety_problems(record(ready), WITH_DRIED) == []


def test_added_and_keeps_days_are_validated():
    bad = chilli(ingredients=[{"food": "onion", "grams": 60, "added": "fried"}])
    assert "ingredients.1.added" in validate_recipe(bad, WITH_DRIED).errors
    for days in (-1, 6, 2.5, True, "3"):
        assert "keeps_days" in validate_recipe(chilli(keeps_days=days), WITH_DRIED).errors, days
    assert "keeps_days" in validate_recipe(chilli(keeps=True, keeps_days=0), WITH_DRIED).errors
    no_days = chilli()
    del no_days["keeps_days"]
    assert "keeps_days" in validate_recipe({**no_days, "keeps": True}, WITH_DRIED).errors
    assert validate_recipe(no_days, WITH_DRIED).record["keeps_days"] == 0
    clean = record(chilli(keeps=True))
    assert clean["keeps"] is True and clean["keeps_days"] == 3
    assert [row["added"] for row in clean["ingredients"]] == ["cooked"] * 4 + ["end"]


def test_the_congee_keeps_one_day_and_its_mung_beans_are_soaked_and_boiled():
    congee = by_slug("chicken-bone-broth-congee-mung-beans")
    assert congee["keeps_days"] == 1 and congee["keeps"] is True
    steps = " ".join(congee["steps"]).lower()
    assert "soak overnight" in steps and "boil hard for 10 minutes" in steps
    assert "keeps 3 days" not in steps
    assert {row["food"]: row["added"] for row in congee["ingredients"]}["tamari"] == "end"


def test_curated_library_marks_how_ingredients_go_in():
    recipes = curated_recipes()
    assert sum(r["keeps"] for r in recipes) == sum(r["keeps_days"] > 0 for r in recipes) >= 60
    added = [row["added"] for r in recipes for row in r["ingredients"]]
    assert {"cooked", "raw", "end"} == set(added)
    rice = [r for r in recipes if any(row["food"].startswith(("brown-rice", "black-rice")) for row in r["ingredients"])]
    assert rice and all(r["keeps_days"] <= 1 for r in rice)


def test_seed_and_the_data_check_refuse_an_unsafe_recipe(runner, tmp_path, monkeypatch, capsys):
    unsafe = chilli(ingredients=[{"food": "chickpeas-dried", "grams": 60}, {"food": "onion", "grams": 60},
                                 {"food": "chopped-tomatoes-canned", "grams": 150}],
                    steps=["Simmer the chickpeas with the onion and tomatoes for 25 minutes."])
    with pytest.raises(RecordsRejected) as refused:
        validate_recipes([SourcedRecord("t #1", unsafe)], FOODS)
    assert any(error.field == "safety" for error in refused.value.errors)

    folder = tmp_path / "recipes"
    folder.mkdir()
    (folder / "bad.yaml").write_text(yaml.safe_dump([unsafe]), encoding="utf-8")
    monkeypatch.setattr(data_module, "RECIPES_DIR", folder)
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 2, result.output
    assert "bad.yaml #1: safety" in result.output and "boils them hard" in result.output

    assert check_main([]) == 1
    assert "bad.yaml #1: safety: Uses dried beans or chickpeas (Chickpeas (dried))" in capsys.readouterr().out


def test_durations_read_ranges_and_words():
    assert durations("simmer for 20-25 minutes, then 1 hour") == [(20, 25), (60, 60)]
    assert durations("keeps for two days or a week") == [(2880, 2880), (10080, 10080)]


def test_recipe_page_says_how_long_it_keeps_and_what_goes_in_at_the_end(client):
    page = client.get("/recipes/chicken-bone-broth-congee-mung-beans").get_data(as_text=True)
    assert "Keeps 1 day in the fridge" in page
    assert "(added at the end)" in page and "a portion can be served without it" in page
    page = client.get("/recipes/kefir-berry-flaxseed-smoothie").get_data(as_text=True)
    assert "Best eaten the day it is made" in page and "(not heated)" in page and "(raw)" in page
