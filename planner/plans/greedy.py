"""A quick, good plan to start the solver from: fill the slots one by one with the dish that
adds most to the week's value, within the repeat limit."""
from __future__ import annotations

import copy
from collections import Counter

from planner.plans.problem import Problem, Slot
from planner.plans.scoring import DayTotals, add_dish, add_portions, day_overs, day_value, week_overs, week_value
from planner.plans.shares import tracked


def greedy_plan(problem: Problem) -> dict[Slot, str]:
    days = [DayTotals() for _ in range(7)]
    plants: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    broth = 0
    intakes = [[dict.fromkeys(tracked(), 0.0) for _ in problem.eaters] for _ in range(7)]  # by day, then eater
    week = [dict.fromkeys(tracked(), 0.0) for _ in problem.eaters]  # by eater, for weekly caps
    plan: dict[Slot, str] = {}
    # Fixed slots first, then the slots with fewest choices: they have least room to adapt.
    order = sorted(problem.slots, key=lambda s: (s not in problem.fixed, len(problem.candidates[s]), s))
    for slot in order:
        used_today = {plan[s] for s in problem.slots_of_day(slot.day) if s in plan}
        choices = [c for c in problem.candidates[slot] if uses[c] < problem.max_repeats and c not in used_today]
        choices = choices or problem.candidates[slot]  # a fixed or sole dish stays even over the limit
        before = (day_value(days[slot.day], problem) + week_value(len(plants), broth, problem)
                  - day_overs(intakes[slot.day], problem) - week_overs(week, problem))
        best, best_gain = choices[0], float("-inf")
        for slug in choices:
            facts = problem.dishes[slug].facts
            trial = copy.copy(days[slot.day])
            trial.prebiotic_foods = set()  # not scored; skip copying the set
            add_dish(trial, facts)
            new_plants = len(plants) + sum(1 for p in facts.plants if not plants[p])
            eaten = [dict(intake) for intake in intakes[slot.day]]
            add_portions(eaten, problem, slug)
            eaten_week = [dict(total) for total in week]
            add_portions(eaten_week, problem, slug)
            gain = (day_value(trial, problem) + week_value(new_plants, broth + facts.bone_broth, problem)
                    - day_overs(eaten, problem) - week_overs(eaten_week, problem) - before)
            if gain > best_gain + 1e-9:
                best, best_gain = slug, gain
        facts = problem.dishes[best].facts
        add_dish(days[slot.day], facts)
        add_portions(intakes[slot.day], problem, best)
        add_portions(week, problem, best)
        plants.update(facts.plants)
        uses[best] += 1
        broth += facts.bone_broth
        plan[slot] = best
    return plan
