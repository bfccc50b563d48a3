"""A quick plan to start the solver from: fill the meals in order with the dish that adds most
by a short reckoning (its guidance, what the family likes, new plants, fibre, fermented foods up
to the day's goal and bone broth up to the week's, and its cooking cost), keeping each day's
hands-on minutes and fermented servings within their limits where any dish can, and eating up a
batch from an earlier meal where a meal cannot be cooked for."""
from __future__ import annotations

from collections import Counter, defaultdict

from planner.plans.problem import DAYS, KIND_MEALS, KIND_MEALS_OF, LEFTOVER_MEALS_PER_BATCH, Problem, Slot
from planner.plans.scoring import GUIDANCE, PENALTY, PLANT_BONUS, SIDE_REPEATS, fermented_most, infer_cooked

FERMENTED = 10.0  # per fermented serving still wanted today
BROTH = 10.0  # per bone broth meal still wanted this week


def greedy_plan(problem: Problem) -> dict[Slot, str]:
    plan: dict[Slot, str] = {}
    cooked_at: dict[Slot, str] = {}
    fed: Counter[Slot] = Counter()
    cooks: Counter[str] = Counter()
    served: Counter[str] = Counter()
    kinds: Counter[str | None] = Counter()
    plants: set[str] = set()
    hands_on: Counter[int] = Counter()
    fermented: dict[int, float] = defaultdict(float)
    broth = 0
    goal = problem.profile.targets.plants_per_week
    most = fermented_most(problem)
    order = sorted(problem.slots, key=lambda s: (s not in problem.fixed, s))
    # The fewest hands-on minutes each meal can take, kept back for the meals of the day still to fill.
    least = {s: min(problem.minutes(slug)[0] for slug in problem.candidates[s]) for s in problem.slots}
    for number, slot in enumerate(order):
        reserve = sum(least[s] for s in order[number + 1:] if s.day == slot.day)
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
            wanted = max(problem.goals.fermented - fermented[slot.day], 0.0)
            value = (GUIDANCE * facts.score + problem.liking(slot, slug) + PLANT_BONUS * new_plants
                     + facts.nutrients["fibre_g"] + FERMENTED * min(facts.fermented_servings, wanted)
                     + (BROTH if facts.bone_broth and broth < problem.broth_goal else 0.0))
            value -= PENALTY["fermented_over"] * max(fermented[slot.day] + facts.fermented_servings - most, 0.0)
            if source is None:
                value -= problem.cooking_cost(slug) + PENALTY["minutes"] * max(
                    hands_on[slot.day] + problem.minutes(slug)[0] + reserve - problem.hands_on_limit(slot.day), 0)
            if best is None or value > best[0] + 1e-9:
                best = (value, slug, source)
        if best is None:  # nothing new fits: repeat a dish the hard rules allow, as leftovers where it must be
            slug = next((s for s in problem.candidates[slot] if s in problem.cookable.get(slot, ())),
                        problem.candidates[slot][0])
            source = next((s for s in problem.sources(slot, slug) if cooked_at.get(s) == slug), None)
            best = (0.0, slug, source)
        _, slug, source = best
        facts = problem.dishes[slug].facts
        plan[slot] = slug
        served[slug] += 1
        if slot.meal in KIND_MEALS_OF and problem.kind(slug):
            kinds[problem.kind(slug)] += 1
        if source is None:
            cooked_at[slot] = slug
            cooks[slug] += 1
            hands_on[slot.day] += problem.minutes(slug)[0]
        else:
            fed[source] += 1
        plants.update(facts.plants)
        fermented[slot.day] += facts.fermented_servings
        broth += 1 if facts.bone_broth else 0
    return plan


def _side_worth(problem: Problem, side: str, want: float, spare: int) -> float:
    """What a side adds to a day short of `want` fermented servings with `spare` hands-on minutes."""
    facts = problem.dishes[side].facts
    return (PENALTY["fermented"] * min(facts.fermented_servings, want) + GUIDANCE * facts.score
            - problem.cooking_cost(side) - PENALTY["minutes"] * max(problem.minutes(side)[0] - spare, 0))


def greedy_sides(problem: Problem, plan: dict[Slot, str]) -> dict[Slot, tuple[str, ...]]:
    """Sides for the quick plan: those kept where the week keeps them, and on a day short of its
    fermented goal, the fermented side that helps most at each meal in turn, while one helps more
    than its hands-on minutes over the day's limit cost."""
    sides = {slot: tuple(problem.meal_sides(slot)) for slot in plan if slot in problem.fixed_sides}
    uses = Counter(side for found in sides.values() for side in found)
    cooked = infer_cooked(plan, problem)
    most = fermented_most(problem)
    for day in range(DAYS):
        today = [s for s in problem.slots_of_day(day) if s in plan]
        dishes = [one for s in today for one in sides.get(s, ())]
        have = sum((problem.dishes[one].facts.fermented_servings for one in [*dishes, *(plan[s] for s in today)]), 0.0)
        hands_on = sum(problem.minutes(one)[0] for one in [*dishes, *(plan[s] for s in today if cooked[s] == s)])
        spare = problem.hands_on_limit(day) - hands_on
        for slot in today:
            want = problem.goals.fermented - have
            if want <= 0:
                break
            options = [side for side in problem.meal_sides(slot)
                       if slot not in sides and side not in dishes and uses[side] < SIDE_REPEATS
                       and 0 < problem.dishes[side].facts.fermented_servings <= most - have]
            worth = {one: _side_worth(problem, one, want, spare) for one in options}
            best = max(options, key=lambda one: (worth[one], one), default=None)
            if best is None or worth[best] <= 0:
                continue
            sides[slot] = (best,)
            uses[best] += 1
            dishes.append(best)
            have += problem.dishes[best].facts.fermented_servings
            spare -= problem.minutes(best)[0]
    return sides
