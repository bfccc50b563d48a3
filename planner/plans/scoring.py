"""How good a week is: the guidance score of its dishes, plant diversity, and penalties for
every target it falls short of. The solver's model and this module use the same weights, so
the greedy seed, swaps and reports agree with what the solver optimises.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from planner.plans.problem import DAYS, Problem, Slot
from planner.plans.shares import caps_of, tracked, weekly_caps_of
from planner.recipes.facts import RecipeFacts

# Each distinct plant in the week is worth about as much as a favoured food in a meal.
PLANT_BONUS = 3.0
# Shortfalls cost far more than any dish can earn (a meal scores about 20), so a target is
# met whenever the hard rules allow it, and missed by as little as possible when they don't.
PENALTY = {
    "fibre": 500.0,  # per gram under the day's goal
    "fermented": 2000.0,  # per serving under the day's goal
    "prebiotic": 2000.0,  # per meal without a prebiotic food under the day's goal
    "energy": 10.0,  # per kcal outside the day's range
    "fermented_over": 2000.0,  # per serving over the day's most while fermented foods ramp up
    "bone_broth": 2000.0,  # per serving under the week's goal
    "plants": 500.0,  # per plant under the week's goal
    # Over a member's daily maximum: more than any target earns, so they are kept whenever any
    # week can keep them.
    "salt_g": 5000.0,  # per gram
    "free_sugars_g": 5000.0,  # per gram
    "caffeine_mg": 100.0,  # per mg
    "weekly_g": 100.0,  # per gram over a weekly cap (a 140 g portion of oily fish: 14,000)
}


@dataclass
class DayTotals:
    energy_kcal: float = 0.0
    fibre_g: float = 0.0
    fermented_servings: float = 0.0
    prebiotic_meals: int = 0
    prebiotic_foods: set[str] = field(default_factory=set)
    bone_broth: int = 0
    guidance: float = 0.0


@dataclass
class Shortfalls:
    fibre: float = 0.0
    fermented: float = 0.0
    prebiotic: float = 0.0
    energy: float = 0.0
    fermented_over: float = 0.0


def add_dish(totals: DayTotals, facts: RecipeFacts) -> None:
    totals.energy_kcal += facts.nutrients["energy_kcal"]
    totals.fibre_g += facts.nutrients["fibre_g"]
    totals.fermented_servings += facts.fermented_servings
    totals.prebiotic_meals += 1 if facts.prebiotic_foods else 0
    totals.prebiotic_foods.update(facts.prebiotic_foods)
    totals.bone_broth += 1 if facts.bone_broth else 0
    totals.guidance += facts.score


def day_shortfalls(totals: DayTotals, problem: Problem) -> Shortfalls:
    targets = problem.profile.targets
    low, high = problem.energy_range
    return Shortfalls(
        fibre=max(problem.fibre_goal - totals.fibre_g, 0.0),
        fermented=max(problem.goals.fermented - totals.fermented_servings, 0.0),
        prebiotic=max(targets.prebiotic_per_day - totals.prebiotic_meals, 0.0),
        energy=max(low - totals.energy_kcal, 0.0) + max(totals.energy_kcal - high, 0.0),
        fermented_over=(0.0 if problem.goals.fermented_most is None
                        else max(totals.fermented_servings - problem.goals.fermented_most, 0.0)),
    )


def day_value(totals: DayTotals, problem: Problem) -> float:
    """A day's guidance score less its penalties."""
    short = day_shortfalls(totals, problem)
    return totals.guidance - sum(PENALTY[name] * getattr(short, name)
                                 for name in ("fibre", "fermented", "prebiotic", "energy", "fermented_over"))


def week_value(plants: int, bone_broth: int, problem: Problem) -> float:
    targets = problem.profile.targets
    return (
        PLANT_BONUS * plants
        - PENALTY["plants"] * max(targets.plants_per_week - plants, 0)
        - PENALTY["bone_broth"] * max(targets.bone_broth_per_week - bone_broth, 0)
    )


def member_days(assignment: Mapping[Slot, str], problem: Problem) -> list[list[dict[str, float]]]:
    """Each eater's intake on each day (by eater, then day): their portion of what they eat."""
    by_day = [[dict.fromkeys(tracked(), 0.0) for _ in problem.eaters] for _ in range(DAYS)]
    for slot, slug in assignment.items():
        add_portions(by_day[slot.day], problem, slug)
    return [[by_day[day][eater] for day in range(DAYS)] for eater in range(len(problem.eaters))]


def add_portions(intakes: list[dict[str, float]], problem: Problem, slug: str) -> None:
    """Add each eater's portion of one serving of the dish to their intake for a day."""
    for eater, needs in enumerate(problem.eaters):
        amounts = problem.portion(eater, slug).amounts
        for name in tracked():
            intakes[eater][name] += amounts.get(name, 0.0) * needs.portion


def day_overs(intakes: list[dict[str, float]], problem: Problem) -> float:
    """The penalty for one day's amounts over each eater's daily maxima."""
    return sum(PENALTY[name] * max(intake[name] - cap, 0.0)
               for needs, intake in zip(problem.eaters, intakes, strict=True)
               for name, cap in caps_of(needs).items())


def week_overs(week: list[dict[str, float]], problem: Problem) -> float:
    """The penalty for each eater's week (`week`, by eater) over their weekly caps."""
    return sum(PENALTY["weekly_g"] * max(total[name] - cap, 0.0)
               for needs, total in zip(problem.eaters, week, strict=True)
               for name, cap in weekly_caps_of(needs).items())


def week_of(days: list[dict[str, float]]) -> dict[str, float]:
    """One eater's amounts over the week."""
    return {name: sum(day[name] for day in days) for name in tracked()}


def overs(members: list[list[dict[str, float]]], problem: Problem) -> float:
    """The penalty for every member's amounts over their daily maxima and weekly caps."""
    return (sum(day_overs([days[day] for days in members], problem) for day in range(DAYS))
            + week_overs([week_of(days) for days in members], problem))


@dataclass
class Evaluation:
    days: list[DayTotals]
    plants: Counter[str]
    uses: Counter[str]
    objective: float
    members: list[list[dict[str, float]]] = field(default_factory=list)  # by eater, then day

    @property
    def bone_broth(self) -> int:
        return sum(d.bone_broth for d in self.days)

    @property
    def guidance(self) -> float:
        return sum(d.guidance for d in self.days)


def evaluate(assignment: Mapping[Slot, str], problem: Problem) -> Evaluation:
    days = [DayTotals() for _ in range(DAYS)]
    plants: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    for slot, slug in assignment.items():
        facts = problem.dishes[slug].facts
        add_dish(days[slot.day], facts)
        plants.update(facts.plants)
        uses[slug] += 1
    bone_broth = sum(d.bone_broth for d in days)
    members = member_days(assignment, problem)
    objective = (sum(day_value(d, problem) for d in days) + week_value(len(plants), bone_broth, problem)
                 - overs(members, problem))
    return Evaluation(days, plants, uses, round(objective, 6), members)
