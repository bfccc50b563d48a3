"""A guided food test in the planner: for common suspects, the weeks of a family of four while
one member leaves the suspect out, then has the three test serves.

Prints, per suspect: whether every meal the member eats leaves the suspect's foods out (goal:
every week), how many serves land in the reintroduction week (goal: 3), whether the prebiotic
target gives way, the plan's time with and without the test, and items to buy.
Run: .venv/bin/python bench/food_test_bench.py
"""
from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.diary import food_tests  # noqa: E402
from planner.diary.food_tests import FoodTest, schedule, week_changes, with_changes  # noqa: E402
from planner.plans.generate import generate  # noqa: E402
from planner.plans.profile import profile_from_dict  # noqa: E402
from planner.plans.costs import shop_costs  # noqa: E402
from planner.recipes.curated import curated_dishes, curated_foods  # noqa: E402

MONDAY = date(2026, 11, 23)
SHOP = shop_costs(dict(curated_foods()))
FAMILY = {"members": [{"name": "Ana", "age": 36, "sex": "female"}, {"name": "Ben", "age": 38, "sex": "male"},
                      {"name": "Cal", "age": 3}, {"name": "Dee", "age": 9}]}
SUSPECTS = ("garlic", "onion", "whole-milk", "wholemeal-bread", "chickpeas-canned", "apple", "button-mushrooms")


def main() -> None:
    foods = dict(curated_foods())
    dishes = list(curated_dishes())
    profile = profile_from_dict(FAMILY)
    prebiotic = frozenset(s for s, f in foods.items() if "prebiotic" in f["tags"])
    start = time.perf_counter()
    plain = generate(profile, MONDAY, dishes, shop=SHOP)
    plain_s = time.perf_counter() - start
    print(f"Family of four, no test: {plain_s:.2f} s, {len(plain.evaluation.bought)} things to buy\n")
    print(f"{'suspect (Ana)':<18} {'left out':>8} {'kept out':>9} {'serves':>7} {'prebiotic':>10} "
          f"{'plan s':>7} {'to buy':>7}")
    for suspect in SUSPECTS:
        key = foods[suspect].get("plant_key")
        left_out = tuple(sorted(s for s, f in foods.items() if key and f.get("plant_key") == key) or [suspect])
        grams = food_tests.serve_grams(suspect, foods[suspect]["portion"]["grams"])
        test = FoodTest(1, "Ana", suspect, "food", MONDAY, 2, 2, left_out, schedule(MONDAY, 2, 2, suspect, grams))
        kept, serves, relaxed, seconds, bought = True, 0, False, 0.0, 0
        for week in (MONDAY, MONDAY + timedelta(weeks=2)):
            changes = week_changes([test], week, prebiotic)
            start = time.perf_counter()
            plan = generate(with_changes(profile, changes), week, dishes, shop=SHOP)
            seconds = max(seconds, time.perf_counter() - start)
            eaten = {food for slot, slug in plan.assignment.items()
                     for dish in (slug, *plan.sides.get(slot, ()))
                     for food in plan.problem.dishes[dish].facts.foods}
            kept &= not eaten & set(left_out)
            serves += len(changes.serves)
            relaxed |= changes.relax_prebiotic
            bought = max(bought, len(plan.evaluation.bought))
        print(f"{suspect:<18} {len(left_out):>8} {'yes' if kept else 'NO':>9} {serves:>7} "
              f"{'relaxed' if relaxed else 'kept':>10} {seconds:>7.2f} {bought:>7}")


if __name__ == "__main__":
    main()
