"""How good a week is. The solver's model and this module use the same terms and weights, so
the greedy start, swaps and reports agree with what the solver optimises:

+ what the family likes (ratings, rotation, kid-friendly) and each dish's guidance score
+ plants up to the week's goal (a pinch of a herb counts a quarter), little beyond
- effort: each dish cooked, its hands-on minutes and its shop lines (leftovers are not cooked
  or bought again; lines many dishes share weigh less)
- penalties for every target missed or band overshot, and for going over a member's limits.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.plans.problem import (DAYS, GUIDANCE_WEIGHT, KIND_MEALS, KIND_MEALS_OF, LEFTOVER_MEALS_PER_BATCH,
                                   FibreBand, Problem, Slot)
from planner.plans.needs import planned_share
from planner.plans.shares import caps_of, tracked, weekly_caps_of
from planner.recipes.facts import RecipeFacts

GUIDANCE = GUIDANCE_WEIGHT  # per point of a dish's guidance score (a favoured food in a real portion: about 3)
PLANT_BONUS = 3.0  # per plant counted toward the week's goal
PLANT_EXTRA = 0.1  # per plant beyond it
SIDE = 0.5  # per side served: a side earns its place through what it brings
FERMENTED_MOST = 3.0  # servings a day per adult portion, at most
BROTH_OVER = 1  # meals with bone broth a week beyond the goal before it costs
SIDE_REPEATS = 5  # times one side comes in a week, at most
# Shortfalls cost far more than any dish can earn, so a target is met whenever the hard rules
# allow it, and missed by as little as possible when they don't.
PENALTY = {
    "fibre": 500.0,  # per gram under a member's goal for the day
    "fermented": 2000.0,  # per serving under the day's goal
    "prebiotic": 2000.0,  # per meal without a prebiotic food under the day's goal
    "five_a_day": 300.0,  # per portion of fruit and vegetables under the day's goal
    "energy": 10.0,  # per kcal outside the day's range
    "fermented_over": 2000.0,  # per serving over the day's most
    "bone_broth": 2000.0,  # per serving under the week's goal
    "bone_broth_over": 200.0,  # per serving over the goal and one more
    "plants": 500.0,  # per plant under the week's goal
    "not_cooked_here": 10000.0,  # a meal cooked where it may not be (a dinner dish at lunch is leftovers only)
    "same_food": 300.0,  # per lunch or dinner beyond four built on one protein food in a week
    "minutes": 600.0,  # per hands-on minute over the day's limit: more than a gram of fibre
    # Over a member's daily maximum: more than any target earns, so they are kept whenever any
    # week can keep them.
    "salt_g": 5000.0,  # per gram
    "free_sugars_g": 5000.0,  # per gram
    "caffeine_mg": 100.0,  # per mg
    "weekly_g": 100.0,  # per gram over a weekly cap (a 140 g portion of oily fish: 14,000)
}
DAY_TERMS = ("fermented", "prebiotic", "energy", "fermented_over", "five_a_day")


def fibre_bands(problem: Problem) -> tuple[FibreBand, ...]:
    return problem.fibre_bands


def fermented_most(problem: Problem) -> float:
    ramp = problem.goals.fermented_most
    return FERMENTED_MOST if ramp is None else min(ramp, FERMENTED_MOST)


@dataclass
class DayTotals:
    energy_kcal: float = 0.0
    fibre_g: float = 0.0
    fermented_servings: float = 0.0
    prebiotic_meals: int = 0
    prebiotic_foods: set[str] = field(default_factory=set)
    bone_broth: int = 0
    guidance: float = 0.0
    hands_on: int = 0
    five_a_day: float = 0.0


@dataclass
class Shortfalls:
    fermented: float = 0.0
    prebiotic: float = 0.0
    energy: float = 0.0
    fermented_over: float = 0.0
    five_a_day: float = 0.0


def add_dish(totals: DayTotals, facts: RecipeFacts) -> None:
    totals.energy_kcal += facts.nutrients["energy_kcal"]
    totals.fibre_g += facts.nutrients["fibre_g"]
    totals.fermented_servings += facts.fermented_servings
    totals.prebiotic_meals += 1 if facts.prebiotic_foods else 0
    totals.prebiotic_foods.update(facts.prebiotic_foods)
    totals.bone_broth += 1 if facts.bone_broth else 0
    totals.five_a_day += facts.five_a_day


def day_shortfalls(totals: DayTotals, problem: Problem) -> Shortfalls:
    targets = problem.profile.targets
    low, high = problem.energy_range
    return Shortfalls(
        fermented=max(problem.goals.fermented - totals.fermented_servings, 0.0),
        prebiotic=max(targets.prebiotic_per_day - totals.prebiotic_meals, 0.0),
        energy=max(low - totals.energy_kcal, 0.0) + max(totals.energy_kcal - high, 0.0),
        fermented_over=max(totals.fermented_servings - fermented_most(problem), 0.0),
        five_a_day=max(five_a_day_goal(problem) - totals.five_a_day, 0.0),
    )


def five_a_day_goal(problem: Problem) -> float:
    """Portions of fruit and vegetables a day in an adult portion of the planned meals."""
    return round(problem.profile.targets.five_a_day * planned_share(problem.profile), 2)


def plant_value(weighted: float, problem: Problem) -> float:
    goal = problem.profile.targets.plants_per_week
    return (PLANT_BONUS * min(weighted, goal) + PLANT_EXTRA * max(weighted - goal, 0.0)
            - PENALTY["plants"] * max(goal - weighted, 0.0))


def broth_value(meals: int, problem: Problem) -> float:
    goal = problem.broth_goal
    return -(PENALTY["bone_broth"] * max(goal - meals, 0)
             + PENALTY["bone_broth_over"] * max(meals - goal - BROTH_OVER, 0))


def add_portions(intakes: list[dict[str, float]], problem: Problem, slug: str, slot: Slot) -> None:
    """Add each eater's portion of one serving of the dish to their intake for a day, for the
    eaters at the meal."""
    for eater in problem.present[slot]:
        amounts = problem.portion(eater, slug).amounts
        portion = problem.eaters[eater].portion
        for name in tracked():
            intakes[eater][name] += amounts.get(name, 0.0) * portion


def day_overs(intakes: list[dict[str, float]], problem: Problem) -> float:
    """The penalty for one day's amounts over each eater's daily maxima."""
    return sum(PENALTY[name] * max(intake[name] - cap, 0.0)
               for needs, intake in zip(problem.eaters, intakes, strict=True)
               for name, cap in caps_of(needs).items())


def week_of(days: list[dict[str, float]]) -> dict[str, float]:
    """One eater's amounts over the week."""
    return {name: sum(day[name] for day in days) for name in tracked()}


def week_overs(week: list[dict[str, float]], problem: Problem) -> float:
    """The penalty for each eater's week (`week`, by eater) over their weekly caps."""
    return sum(PENALTY["weekly_g"] * max(total[name] - cap, 0.0)
               for needs, total in zip(problem.eaters, week, strict=True)
               for name, cap in weekly_caps_of(needs).items())


def overs(members: list[list[dict[str, float]]], problem: Problem) -> float:
    """The penalty for every member's amounts over their daily maxima and weekly caps."""
    return (sum(day_overs([days[day] for days in members], problem) for day in range(DAYS))
            + week_overs([week_of(days) for days in members], problem))


def infer_cooked(assignment: Mapping[Slot, str], problem: Problem,
                 given: Mapping[Slot, Slot] | None = None) -> dict[Slot, Slot]:
    """Where each meal's dish is cooked (the meal itself, or an earlier meal whose batch it eats
    up): as `given` where that still holds; for a meal not given, leftovers of an earlier batch of
    the same dish with room and within its keeping time when there is one, else cooked for it."""
    given = given or {}
    cooked: dict[Slot, Slot] = {}
    fed: Counter[Slot] = Counter()

    def fits(source: Slot, slot: Slot, slug: str) -> bool:
        return (assignment.get(source) == slug and cooked.get(source) == source
                and fed[source] < LEFTOVER_MEALS_PER_BATCH and source in problem.sources(slot, slug))
    for slot in sorted(assignment):
        slug = assignment[slot]
        wanted = given.get(slot)
        if wanted == slot:
            source = slot
        elif wanted is not None and fits(wanted, slot, slug):
            source = wanted
        else:
            source = next((s for s in problem.sources(slot, slug) if fits(s, slot, slug)), slot)
        cooked[slot] = source
        if source != slot:
            fed[source] += 1
    return cooked


@dataclass
class Evaluation:
    days: list[DayTotals]
    plants: Counter[str]
    uses: Counter[str]
    objective: float
    members: list[list[dict[str, float]]] = field(default_factory=list)  # by eater, then day
    plant_weights: dict[str, float] = field(default_factory=dict)
    cooked: dict[Slot, Slot] = field(default_factory=dict)
    bought: set[str] = field(default_factory=set)  # shop lines
    cooks: int = 0
    over: float = 0.0  # the part of the objective lost to members' amounts over their limits

    @property
    def bone_broth(self) -> int:
        return sum(d.bone_broth for d in self.days)

    @property
    def guidance(self) -> float:
        return sum(d.guidance for d in self.days)

    @property
    def weighted_plants(self) -> float:
        return round(sum(self.plant_weights.values()), 2)


def evaluate(assignment: Mapping[Slot, str], problem: Problem, sides: Mapping[Slot, tuple[str, ...]] | None = None,
             cooked: Mapping[Slot, Slot] | None = None) -> Evaluation:
    sides = sides or {}
    where = infer_cooked(assignment, problem, cooked)
    days = [DayTotals() for _ in range(DAYS)]
    plants: Counter[str] = Counter()
    weights: dict[str, float] = {}
    uses: Counter[str] = Counter()
    intakes = [[dict.fromkeys(tracked(), 0.0) for _ in problem.eaters] for _ in range(DAYS)]
    value = 0.0
    foods: set[str] = set()
    cooks = 0
    fibre_by_slot: dict[Slot, float] = {}
    for slot, slug in assignment.items():
        dishes = [slug, *sides.get(slot, ())]
        day = days[slot.day]
        fibre_by_slot[slot] = 0.0
        for one in dishes:
            facts = problem.dishes[one].facts
            add_dish(day, facts)
            day.guidance += facts.score
            fibre_by_slot[slot] += facts.nutrients["fibre_g"]
            plants.update(facts.plants)
            for plant, weight in facts.plant_weights:
                weights[plant] = max(weights.get(plant, 0.0), weight)
            foods.update(facts.foods)
            add_portions(intakes[slot.day], problem, one, slot)
            value += GUIDANCE * facts.score
        value += problem.liking(slot, slug) - SIDE * len(sides.get(slot, ()))
        value -= sum(problem.cooking_cost(s) for s in sides.get(slot, ()))
        uses[slug] += 1
        if where[slot] == slot:
            if slot not in problem.fixed and slug not in problem.cookable.get(slot, ()):
                value -= PENALTY["not_cooked_here"]
            cooks += 1
            day.hands_on += problem.minutes(slug)[0]
            value -= problem.cooking_cost(slug)
        day.hands_on += sum(problem.minutes(s)[0] for s in sides.get(slot, ()))
    members = [[intakes[day][eater] for day in range(DAYS)] for eater in range(len(problem.eaters))]
    for number, totals in enumerate(days):
        short = day_shortfalls(totals, problem)
        value -= sum(PENALTY[name] * getattr(short, name) for name in DAY_TERMS)
        value -= PENALTY["minutes"] * max(totals.hands_on - problem.hands_on_limit(number), 0)
    for band in fibre_bands(problem):
        fibre = sum(fibre_by_slot.get(s, 0.0) for s in band.slots)
        value -= PENALTY["fibre"] * max(band.low - fibre, 0.0)
    bought = set(problem.shop.lines(foods))
    value += plant_value(sum(weights.values()), problem) + broth_value(sum(d.bone_broth for d in days), problem)
    over = overs(members, problem)
    value -= over
    kinds = Counter(problem.kind(slug) for slot, slug in assignment.items()
                    if slot.meal in KIND_MEALS_OF and slot not in problem.fixed)
    kinds.pop(None, None)
    value -= PENALTY["same_food"] * sum(max(count - KIND_MEALS, 0) for count in kinds.values())
    return Evaluation(days, plants, uses, round(value, 6), members, weights, where, bought, cooks, round(over, 6))

