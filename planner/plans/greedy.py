"""A quick plan to start the solver from: fill the meals in order with the dish that adds most
by a short reckoning (its guidance, what the family likes, new plants, fibre, fermented foods
and its cooking cost), eating up a batch from an earlier meal where a meal cannot be cooked for."""
from __future__ import annotations

from collections import Counter

from planner.plans.problem import KIND_MEALS, KIND_MEALS_OF, LEFTOVER_MEALS_PER_BATCH, Problem, Slot
from planner.plans.scoring import GUIDANCE, PLANT_BONUS


def greedy_plan(problem: Problem) -> dict[Slot, str]:
    plan: dict[Slot, str] = {}
    cooked_at: dict[Slot, str] = {}
    fed: Counter[Slot] = Counter()
    cooks: Counter[str] = Counter()
    served: Counter[str] = Counter()
    kinds: Counter[str | None] = Counter()
    plants: set[str] = set()
    goal = problem.profile.targets.plants_per_week
    for slot in sorted(problem.slots, key=lambda s: (s not in problem.fixed, s)):
        today = {plan[s] for s in problem.slots_of_day(slot.day) if s in plan}
        best: tuple[float, str, Slot | None] | None = None
        for slug in problem.candidates[slot]:
            too_often = (slug in today or served[slug] >= problem.max_repeats
                         or (slot.meal in KIND_MEALS_OF and kinds[problem.kind(slug)] >= KIND_MEALS))
            if too_often and slot not in problem.fixed:
                continue
            facts = problem.dishes[slug].facts
            source = next((s for s in problem.sources(slot, slug)
                           if cooked_at.get(s) == slug and fed[s] < LEFTOVER_MEALS_PER_BATCH), None)
            can_cook = slug in problem.cookable.get(slot, ()) and cooks[slug] < problem.max_repeats
            if source is None and not can_cook and slot not in problem.fixed:
                continue
            new_plants = len(set(facts.plants) - plants) if len(plants) < goal else 0
            value = (GUIDANCE * facts.score + problem.liking(slot, slug) + PLANT_BONUS * new_plants
                     + facts.nutrients["fibre_g"] + 10 * facts.fermented_servings)
            if source is None:
                value -= problem.cooking_cost(slug)
            if best is None or value > best[0] + 1e-9:
                best = (value, slug, source)
        if best is None:  # nothing new fits: repeat a dish the hard rules allow, as leftovers where it must be
            slug = next((s for s in problem.candidates[slot] if s in problem.cookable.get(slot, ())),
                        problem.candidates[slot][0])
            source = next((s for s in problem.sources(slot, slug) if cooked_at.get(s) == slug), None)
            best = (0.0, slug, source)
        _, slug, source = best
        plan[slot] = slug
        served[slug] += 1
        if slot.meal in KIND_MEALS_OF and problem.kind(slug):
            kinds[problem.kind(slug)] += 1
        if source is None:
            cooked_at[slot] = slug
            cooks[slug] += 1
        else:
            fed[source] += 1
        plants.update(problem.dishes[slug].facts.plants)
    return plan
