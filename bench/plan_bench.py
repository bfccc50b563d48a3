"""Weekly plan speed and quality.

0. A week as a family counts it, for five households: things to buy, bought weight left over,
   kid-friendly meals, plants, fermented servings, hands-on minutes, meals cooked, targets met,
   and how much of the next week is new.
1. Speed on the curated library (goal: under 0.5 s a plan) for several profiles.
2. Speed and optimality gap on the curated library plus 2,000 generated recipes (goal: under 1 s,
   gap <= 1 %), for the profiles above and for 40 random households.
3. Quality side by side on the same profiles: random picks within the hard rules (what
   Mealie and Tandoor do), greedy, and the HiGHS generator - share of weeks meeting every
   target, guidance score and plants a week.

Run: .venv/bin/python bench/plan_bench.py
"""
from __future__ import annotations

import math
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collections import Counter  # noqa: E402
from datetime import timedelta  # noqa: E402

from planner.data import vocabulary  # noqa: E402
from planner.plans.costs import shop_costs  # noqa: E402
from planner.plans.liking import Family  # noqa: E402
from planner.plans.figures import week_figures  # noqa: E402
from planner.plans.generate import Plan, generate  # noqa: E402
from planner.plans.greedy import greedy_plan, greedy_sides  # noqa: E402
from planner.plans.profile import Profile, profile_from_dict  # noqa: E402
from planner.plans.problem import PlanImpossible, Problem, Slot, build_problem  # noqa: E402
from planner.plans.report import scorecard  # noqa: E402
from planner.plans.solver import SolveResult  # noqa: E402
from planner.recipes.curated import curated_dishes, curated_foods  # noqa: E402
from planner.recipes.facts import Dish, dishes_from  # noqa: E402
from planner.recipes.records import MEALS  # noqa: E402

MONDAY = date(2026, 11, 23)
SHOP = shop_costs(dict(curated_foods()))
HOUSEHOLDS = {
    "family of three (toddler)": {"members": [{"name": "A", "age": 36, "sex": "female"},
                                              {"name": "B", "age": 38, "sex": "male"}, {"name": "C", "age": 3}]},
    "single adult": {"members": [{"name": "A", "age": 45, "sex": "male"}]},
    "vegetarian couple": {"members": [{"name": "A", "age": 30, "sex": "female"}, {"name": "B", "age": 31}],
                          "diets": ["vegetarian"]},
    "gluten- and dairy-free, 20 min weekdays": {"members": [{"name": "A", "age": 40, "sex": "female"},
                                                            {"name": "B", "age": 9}],
                                                "diets": ["gluten-free", "dairy-free"],
                                                "max_prep_minutes": {"weekday": 20, "weekend": 45}},
    "dinners only, nut allergy": {"members": [{"name": "A", "age": 50}], "meals": ["dinner"],
                                  "allergens": ["tree-nuts", "peanuts"]},
}


def generated_library(base: list[Dish], count: int, seed: int = 11) -> list[Dish]:
    """New recipes made by crossing two curated recipes of the same meal, grams rescaled."""
    rng = random.Random(seed)
    foods = curated_foods()
    recipes = []
    for n in range(count):
        meal = list(MEALS)[n % len(MEALS)]
        pool = [d.recipe for d in base if meal in d.recipe["meals"] and d.recipe.get("course", "main") == "main"]
        a, b = rng.sample(pool, 2)
        rows: dict[str, float] = {}
        for row in a["ingredients"][: len(a["ingredients"]) // 2 + 1] + b["ingredients"][len(b["ingredients"]) // 2:]:
            rows[row["food"]] = rows.get(row["food"], 0) + row["grams"] * rng.uniform(0.7, 1.2)
        recipes.append({**a, "slug": f"generated-{n}", "title": f"Generated {meal} {n}", "meals": [meal],
                        "prep_minutes": rng.choice([5, 10, 15, 20, 30, 45]),
                        "ingredients": [{"food": f, "grams": round(g, 1)} for f, g in rows.items()]})
    return dishes_from(recipes, foods)


def random_plan(problem: Problem, rng: random.Random) -> dict[Slot, str]:
    """A random eligible dish per slot, no dish twice a day or over the repeat limit where avoidable."""
    plan: dict[Slot, str] = {}
    uses: dict[str, int] = {}
    for slot in problem.slots:
        today = {plan[s] for s in problem.slots_of_day(slot.day) if s in plan}
        choices = [c for c in problem.candidates[slot] if uses.get(c, 0) < problem.max_repeats and c not in today]
        pick = rng.choice(choices or problem.candidates[slot])
        uses[pick] = uses.get(pick, 0) + 1
        plan[slot] = pick
    return plan


def random_profiles(count: int, seed: int = 5) -> list[Profile]:
    rng = random.Random(seed)
    allergens = vocabulary().allergens
    found = []
    while len(found) < count:
        members = [{"name": f"M{i}", "age": rng.choice([2, 4, 7, 11, 15, 30, 38, 45, 67]),
                    "sex": rng.choice([None, "female", "male"])} for i in range(rng.randint(1, 5))]
        profile = {"members": members, "allergens": rng.sample(allergens, rng.choice([0, 0, 1, 2])),
                   "diets": rng.sample(["vegetarian", "dairy-free", "gluten-free"], rng.choice([0, 0, 1])),
                   "meals": rng.choice([list(MEALS), list(MEALS), ["breakfast", "lunch", "dinner"], ["dinner"]])}
        found.append(profile_from_dict(profile))
    return found


def timed(profile: Profile, dishes: list[Dish]) -> tuple[float, Plan]:
    start = time.perf_counter()
    plan = generate(profile, MONDAY, dishes, shop=SHOP)
    return time.perf_counter() - start, plan


def speed(title: str, dishes: list[Dish], goal_s: float) -> None:
    print(f"\n{title} ({len(dishes)} recipes; goal under {goal_s} s)")
    print(f"  {'profile':<42} {'median s':>9} {'max s':>7} {'gap':>7}  status")
    for name, profile in HOUSEHOLDS.items():
        profile = profile_from_dict(profile)
        runs = [timed(profile, dishes) for _ in range(3)]
        seconds = [s for s, _ in runs]
        plan = runs[-1][1]
        print(f"  {name:<42} {statistics.median(seconds):>9.3f} {max(seconds):>7.3f} {plan.solver.gap:>7.2%}  {plan.solver.status}")


def speed_spread(dishes: list[Dish], profiles: list[Profile]) -> None:
    """The same goal over many households: a median says little when a few profiles are chosen."""
    seconds, gaps = [], []
    over = 0
    for profile in profiles:
        try:
            took, plan = timed(profile, dishes)
        except PlanImpossible:
            continue
        seconds.append(took)
        gaps.append(plan.solver.gap)
        over += plan.evaluation.over > 0
    seconds.sort()
    proven = [gap for gap in gaps if not math.isnan(gap)]  # a week left as greedy made it has no gap
    print(f"  {len(seconds)} random households: median {statistics.median(seconds):.3f} s, "
          f"90th percentile {seconds[int(0.9 * len(seconds))]:.3f} s, widest gap {max(proven, default=0.0):.2%}, "
          f"{len(gaps) - len(proven)} not proven, {over} over a member's limit")


def quality(dishes: list[Dish], profiles: list[Profile]) -> None:
    rng = random.Random(3)
    results: dict[str, list[tuple[bool, bool, float, int]]] = {"random picks": [], "greedy": [], "HiGHS (this planner)": []}
    for profile in profiles:
        try:
            problem = build_problem(profile, MONDAY, dishes, shop=SHOP)
        except PlanImpossible:
            continue
        solved = generate(profile, MONDAY, dishes, shop=SHOP)
        plans = {
            "random picks": random_plan(problem, rng),
            "greedy": greedy_plan(problem),
            "HiGHS (this planner)": solved.assignment,
        }
        for name, assignment in plans.items():
            sides = {"HiGHS (this planner)": solved.sides, "greedy": greedy_sides(problem, assignment)}.get(name, {})
            plan = Plan(problem, assignment, SolveResult(assignment, name, 0, 0, 0, sides, solved.cooked
                                                         if name.startswith("HiGHS") else {}))
            found = plan.evaluation
            rows = scorecard(plan)
            # A target the profile's rules put out of reach (e.g. bone broth for vegetarians) says so in `why`.
            reachable = [r for r in rows if r.reachable]
            results[name].append((all(r.met for r in rows), all(r.met for r in reachable),
                                  found.guidance / len(problem.slots), found.weighted_plants))
    print(f"\nQuality on {len(results['greedy'])} random profiles (same profiles for every method)")
    print(f"  {'method':<22} {'every target':>13} {'every reachable target':>23} {'guidance a meal':>16} {'plants a week':>14}")
    for name, rows in results.items():
        every = sum(r[0] for r in rows) / len(rows)
        reachable = sum(r[1] for r in rows) / len(rows)
        print(f"  {name:<22} {every:>13.0%} {reachable:>23.0%} {statistics.mean(r[2] for r in rows):>16.1f} "
              f"{statistics.mean(r[3] for r in rows):>14.1f}")


FAMILIES = {
    "family of four (toddler, peanut allergy)": {
        "members": [{"name": "Sam", "age": 36, "sex": "female"}, {"name": "Alex", "age": 38, "sex": "male"},
                    {"name": "Kim", "age": 3, "allergens": ["peanuts"]}, {"name": "Joe", "age": 9}],
        "max_prep_minutes": {"weekday": 30, "weekend": 60}},
    "single adult": {"members": [{"name": "Ana", "age": 45, "sex": "female"}]},
    "vegetarian couple": {"members": [{"name": "Ben", "age": 30, "sex": "male"}, {"name": "Ivy", "age": 31}],
                          "diets": ["vegetarian"]},
    "dinner only": {"members": [{"name": "Leo", "age": 50}, {"name": "Mia", "age": 48, "sex": "female"}],
                    "meals": ["dinner"]},
    "kids at school for lunch": {
        "members": [{"name": "Sam", "age": 40, "sex": "female"}, {"name": "Tom", "age": 7, "away": ["weekdays:lunch"]},
                    {"name": "Eve", "age": 12, "away": ["weekdays:lunch"]}], "lunch": "packed"},
}


def families(dishes: list[Dish]) -> None:
    foods = dict(curated_foods())
    lines = shop_costs(foods)
    print("\nA week a family cooks (figures for each household, two weeks in a row)")
    print(f"  {'household':<42} {'s':>5} {'items':>5} {'left':>5} {'kid':>5} {'plants':>6} {'ferm/day':>9} "
          f"{'hands-on':>8} {'cooked':>7} {'targets':>7} {'wk2 new':>7}")
    for name, body in FAMILIES.items():
        profile = profile_from_dict(body)
        start = time.perf_counter()
        first = generate(profile, MONDAY, dishes, shop=lines)
        seconds = time.perf_counter() - start
        f = week_figures(first, foods)
        second = generate(profile, MONDAY + timedelta(days=7), dishes, shop=lines,
                          family=Family(recent=Counter(first.assignment.values()),
                                        known=frozenset(first.assignment.values())))
        changed = sum(1 for s in first.assignment if second.assignment.get(s) != first.assignment[s])
        kid = "-" if f.kid_friendly_share is None else f"{f.kid_friendly_share:.0%}"
        print(f"  {name:<42} {seconds:>5.2f} {f.items:>5} {f.leftover_share:>5.0%} {kid:>5} {f.plants:>6.1f} "
              f"{f.fermented[0]:>4.1f}-{f.fermented[1]:<4.1f} {f.hands_on_weekday:>6} m "
              f"{f.cooked:>3}/{f.meals:<3} {'all' if f.targets_met else 'missed':>7} "
              f"{changed:>3}/{len(first.assignment)}")


def main() -> None:
    curated = curated_dishes()
    families(list(curated))
    speed("Curated library", curated, 0.5)
    generated = [*curated, *generated_library(curated, 2000)]
    speed("Generated library", generated, 1.0)
    speed_spread(generated, random_profiles(40))
    quality(curated, random_profiles(40))


if __name__ == "__main__":
    main()
