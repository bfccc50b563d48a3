"""A week a family will cook: leftovers, sides, who eats which meal, ratings, rotation, targets
as bands, less to buy and the time a family has. Each figure is recomputed from the plan."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from planner.plans.costs import shop_costs
from planner.plans.figures import week_figures
from planner.plans.generate import generate
from planner.plans.liking import Family
from planner.plans.problem import LEFTOVERS_FOR, Slot
from planner.plans.profile import profile_from_dict
from planner.plans.ratings import Ratings
from planner.recipes.curated import curated_dishes, curated_foods

MONDAY = date(2026, 11, 23)
DISHES = list(curated_dishes())
FOODS = dict(curated_foods())
SHOP = shop_costs(FOODS)
FAMILY = {"name": "The Clintons", "max_prep_minutes": {"weekday": 30, "weekend": 60},
          "members": [{"name": "Sam", "age": 36, "sex": "female"}, {"name": "Alex", "age": 38, "sex": "male"},
                      {"name": "Kim", "age": 3, "allergens": ["peanuts"]}, {"name": "Joe", "age": 9}]}


@pytest.fixture(scope="module")
def family_week():
    return generate(profile_from_dict(FAMILY), MONDAY, DISHES, shop=SHOP)


def test_family_of_four_gets_a_week_it_would_cook(family_week):
    figures = week_figures(family_week, FOODS)
    assert figures.items <= 54, figures  # the goal is about 50: see bench/plan_bench.py
    assert figures.leftover_share <= 0.25, figures
    assert figures.kid_friendly_share is not None and figures.kid_friendly_share >= 0.9, figures
    assert 30 <= figures.plants <= 45, figures  # the goal, and little beyond it
    assert figures.fermented[0] >= 1 and figures.fermented[1] <= 3.0, figures
    assert figures.hands_on_weekday <= 30, figures
    assert figures.cooked < figures.meals  # some meals are leftovers
    assert figures.targets_met


def test_leftovers_are_the_dinner_before_within_its_keeping_time(family_week):
    plan = family_week
    leftovers = {slot: source for slot, source in plan.cooked.items() if source != slot}
    assert len(leftovers) >= 3
    for slot, source in leftovers.items():
        dish = plan.problem.dishes[plan.assignment[slot]]
        assert plan.assignment[source] == dish.slug
        assert slot.meal in LEFTOVERS_FOR[source.meal]
        assert 0 < slot.day - source.day <= dish.recipe["keeps_days"]
    assert Counter(leftovers.values()).most_common(1)[0][1] == 1  # one batch feeds one later meal


def test_no_dish_is_forced_to_be_fermented(family_week):
    plan = family_week
    fermented_mains = [s for s, slug in plan.assignment.items() if plan.problem.dishes[slug].facts.fermented_servings]
    assert len(fermented_mains) < len(plan.assignment) / 2


def test_a_dinner_only_household_gets_its_fermented_food_as_a_side():
    body = {"members": [{"name": "Leo", "age": 50}, {"name": "Mia", "age": 48, "sex": "female"}], "meals": ["dinner"]}
    plan = generate(profile_from_dict(body), MONDAY, DISHES, shop=SHOP)
    sides = [side for found in plan.sides.values() for side in found]
    assert sides and all(len(found) <= 1 for found in plan.sides.values())
    assert all(plan.problem.dishes[side].recipe["course"] == "side" for side in sides)
    assert all(d.fermented_servings >= plan.problem.goals.fermented for d in plan.evaluation.days)
    assert any(plan.problem.dishes[side].facts.fermented_servings for side in sides)


def test_plan_json_says_what_an_outside_check_needs(family_week):
    from planner.plans.present import plan_json
    data = plan_json(family_week, FOODS)
    meals = [meal for day in data["days"] for meal in day["meals"]]
    for meal in meals:
        assert {"cooked", "leftovers_of", "sides", "shares", "kid_friendly", "hands_on_minutes", "total_minutes"} <= set(meal)
        assert meal["cooked"] == (meal["leftovers_of"] is None)
        if not meal["cooked"]:
            assert meal["hands_on_minutes"] == 0
    for day in data["days"]:
        cooked = sum(m["hands_on_minutes"] for m in day["meals"])
        assert day["hands_on_minutes"] >= cooked


def test_never_again_is_never_planned_for_that_member_and_loved_dishes_come(family_week):
    plan = family_week
    kim_eats = [s for s in plan.assignment]
    never = sorted({plan.assignment[s] for s in kim_eats})[:3]
    monday = Slot(0, "dinner")
    loved = next(slug for slug in plan.problem.candidates[monday] if slug in plan.problem.cookable[monday]
                 and plan.problem.dishes[slug].recipe["kid_friendly"] and slug not in plan.assignment.values())
    ratings = Ratings({"Kim": {slug: "never" for slug in never}, "Joe": {loved: "love"}, "Sam": {loved: "love"}})
    again = generate(profile_from_dict(FAMILY), MONDAY, DISHES, shop=SHOP, family=Family(ratings=ratings))
    assert not set(never) & set(again.assignment.values())
    assert loved in again.assignment.values()


def test_lunches_and_dinners_are_not_built_on_one_food_all_week(family_week):
    plan = family_week
    kinds = Counter(plan.problem.kind(slug) for slot, slug in plan.assignment.items() if slot.meal in ("lunch", "dinner"))
    kinds.pop(None, None)
    assert max(kinds.values()) <= 4, kinds


def test_two_weeks_in_a_row_differ_but_a_loved_dish_may_return(family_week):
    first = family_week
    family = Family(recent=Counter(first.assignment.values()), known=frozenset(first.assignment.values()))
    second = generate(profile_from_dict(FAMILY), MONDAY + timedelta(days=7), DISHES, shop=SHOP, family=family)
    changed = sum(1 for slot, slug in second.assignment.items() if first.assignment.get(slot) != slug)
    assert changed >= len(second.assignment) / 2


def test_members_away_and_their_own_rules_bind_only_their_meals():
    body = {**FAMILY, "members": [
        {"name": "Sam", "age": 36, "sex": "female"},
        {"name": "Joe", "age": 9, "away": ["weekdays:lunch"], "allergens": ["eggs"]}]}
    plan = generate(profile_from_dict(body), MONDAY, DISHES, shop=SHOP)
    problem = plan.problem
    sam, joe = problem.eaters
    for slot, slug in plan.assignment.items():
        joe_there = 1 in problem.present[slot]
        assert joe_there == (not (slot.meal == "lunch" and problem.date_of(slot).weekday() < 5))
        assert problem.servings(slot) == pytest.approx(sam.portion + (joe.portion if joe_there else 0))
        if joe_there:
            for one in (slug, *plan.sides.get(slot, ())):
                assert "eggs" not in problem.dishes[one].facts.allergens


def test_time_a_family_has():
    body = {**FAMILY, "max_prep_minutes": {"weekday": 30, "weekend": 60},
            "max_total_minutes": {"weekday_dinner": 40}, "lunch": "packed"}
    plan = generate(profile_from_dict(body), MONDAY, DISHES, shop=SHOP)
    for slot, slug in plan.assignment.items():
        recipe = plan.problem.dishes[slug].recipe
        weekday = plan.problem.date_of(slot).weekday() < 5
        cooked_here = plan.cooked[slot] == slot
        if weekday and slot.meal == "dinner" and cooked_here:
            assert recipe["prep_minutes"] + recipe["cook_minutes"] <= 40
        if weekday and slot.meal == "lunch" and cooked_here:
            assert recipe["cook_minutes"] == 0 or recipe["keeps_days"] >= 1  # made ahead and packed
    assert week_figures(plan, FOODS).hands_on_weekday <= 30


def test_kid_friendly_only_keeps_every_childs_meal_kid_friendly():
    plan = generate(profile_from_dict({**FAMILY, "kid_friendly_only": True}), MONDAY, DISHES, shop=SHOP)
    for slot, slug in plan.assignment.items():
        assert plan.problem.dishes[slug].recipe["kid_friendly"], slot


def test_exclusion_words_mean_every_kind(app):
    from planner.extensions import db
    from planner.plans.service import parse_profile
    from planner.refused import Invalid
    with app.app_context():
        profile = parse_profile(db.session, {**FAMILY, "excluded_foods": ["mushrooms", "fish"],
                                             "members": [{"name": "Joe", "age": 9, "dislikes": ["spicy food"]}]})
        assert {"shiitake-mushrooms", "button-mushrooms"} <= profile.excluded_foods or \
            len([f for f in profile.excluded_foods if "mushroom" in f]) >= 2
        assert any("salmon" in f for f in profile.excluded_foods)
        assert profile.excluded_words == ("mushrooms", "fish")
        assert profile.members[0].disliked_foods
        again = profile_from_dict(profile.to_dict())  # read back as saved: the same foods
        assert again.excluded_foods == profile.excluded_foods
        assert again.members[0].disliked_foods == profile.members[0].disliked_foods
        with pytest.raises(Invalid) as refused:
            parse_profile(db.session, {**FAMILY, "excluded_foods": ["mushroms"]})
        assert "mushrooms" in str(refused.value.fields)


def test_rating_through_the_api_keeps_a_dish_away(client):
    week = client.post("/api/v1/plans", json={"profile": FAMILY, "week_start": "2026-11-23"}).get_json()
    slug = week["days"][0]["meals"][2]["recipe"]["slug"]
    answer = client.put(f"/api/v1/recipes/{slug}/rating", json={"member": "Kim", "rating": "never"})
    assert answer.status_code == 200 and answer.get_json() == {"recipe": slug, "member": "Kim", "rating": "never"}
    assert client.put(f"/api/v1/recipes/{slug}/rating", json={"member": "Kim", "rating": "meh"}).status_code == 400
    assert client.put("/api/v1/recipes/no-such-dish/rating", json={"member": "Kim", "rating": "love"}).status_code == 404
    assert client.put(f"/api/v1/recipes/{slug}/rating", data="x", content_type="text/plain").status_code == 400
    again = client.post("/api/v1/plans", json={"profile": FAMILY, "week_start": "2026-11-30"}).get_json()
    assert slug not in {m["recipe"]["slug"] for day in again["days"] for m in day["meals"]}


def test_cli_rates_and_explains_words(runner, app):
    from planner.extensions import db
    from planner.models import Household
    from sqlalchemy import select
    with app.app_context():
        household = db.session.scalar(select(Household.id))
    slug = DISHES[0].slug
    done = runner.invoke(args=["rate", slug, "--household", str(household), "--member", "Kim", "--rating", "love"])
    assert done.exit_code == 0 and "Love it" in done.output
    assert runner.invoke(args=["rate", "nope", "--household", str(household), "--member", "Kim",
                               "--rating", "love"]).exit_code != 0
    words = runner.invoke(args=["words", "mushrooms", "mushroms"])
    assert words.exit_code == 0 and "Shiitake" in words.output and "Did you mean" in words.output


def test_slot_meals_cover_the_whole_week(family_week):
    assert set(family_week.assignment) == {Slot(d, m) for d in range(7) for m in family_week.problem.profile.meals}


def test_a_target_the_rules_put_out_of_reach_is_explained_and_not_weighed():
    from planner.plans.report import scorecard

    couple = profile_from_dict({"members": [{"name": "Ben", "age": 30, "sex": "male"}, {"name": "Ivy", "age": 31}],
                                "diets": ["vegetarian"]})
    plan = generate(couple, MONDAY, DISHES, shop=SHOP)
    assert plan.problem.best_broth == 0 and plan.problem.broth_goal == 0
    broth = next(row for row in scorecard(plan) if row.name == "bone_broth")
    assert not broth.met and not broth.reachable and "at most 0 meals" in broth.why
    assert plan.evaluation.objective > -1000  # no constant penalty for what no week could do
    assert week_figures(plan, FOODS).targets_met  # every reachable target is met
