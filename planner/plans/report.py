"""The plan's scorecard: every target, met or missed, by how much, and why when missed."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from planner.foods.nutrition import unit_of
from planner.plans.generate import Plan
from planner.plans.needs import planned_share
from planner.plans.shares import LIMIT_WORDS, caps_of, weekly_caps
from planner.plans.problem import DAYS, SIDES_PER_MEAL, Problem, meal_share
from planner.plans.scoring import Evaluation

TOLERANCE = 0.05  # rounding slack when comparing amounts


@dataclass(frozen=True)
class TargetRow:
    name: str
    label: str
    unit: str
    target: Any
    actual: Any
    met: bool
    why: str = ""

    @property
    def reachable(self) -> bool:
        """Whether some week within the profile's rules could meet it."""
        return not self.why.startswith(UNREACHABLE)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "unit": self.unit, "target": self.target,
                "actual": self.actual, "met": self.met,
                "reachable": self.reachable, **({"why": self.why} if self.why else {})}


def _best_per_day(problem: Problem, amount: Any) -> float:
    """The most any single day could hold of an amount (a main and its sides at each meal),
    ignoring every other target."""
    return min(
        sum(max(amount(problem.dishes[slug].facts) for slug in problem.candidates[slot])
            + sum(sorted((amount(problem.dishes[side].facts) for side in problem.meal_sides(slot)),
                         reverse=True)[:SIDES_PER_MEAL])
            for slot in problem.slots_of_day(day))
        for day in range(DAYS)
    )


UNREACHABLE = "The recipes your profile's rules allow"


def _why(best: float, goal: float, what: str) -> str:
    if best + TOLERANCE < goal:
        return f"{UNREACHABLE} give at most {best:g} {what}."
    return "Reaching it every time would break a hard rule or cost a bigger target (repeat limit, energy range)."


def _fibre_rows(problem: Problem, evaluation: Evaluation) -> list[TargetRow]:
    rows = []
    share = planned_share(problem.profile)
    best = _best_per_day(problem, lambda f: f.nutrients["fibre_g"])
    for eater, needs in enumerate(problem.eaters):
        if not needs.fibre_g:
            continue  # no intake is set for babies
        # Against the meals they eat at home each day: the share of their goal those meals carry.
        goals = [needs.fibre_g * meal_share(problem, eater, day) for day in range(DAYS)]
        gaps = [(evaluation.members[eater][day]["fibre_g"] - goals[day], day) for day in range(DAYS) if goals[day]]
        worst = min(gaps, default=(0.0, 0))[1]
        goal = round(goals[worst], 1)
        lowest = round(evaluation.members[eater][worst]["fibre_g"], 1)
        met = lowest + TOLERANCE >= goal
        building = f" (building up to {round(needs.fibre_goal_g * share, 1):g} g)" if needs.ramping else ""
        rows.append(TargetRow(
            f"fibre:{needs.member.name}", f"Fibre every day, {needs.label}{building}", "g", goal, lowest, met,
            "" if met else _why(round(best * needs.portion, 1), goal, "g on some days for this portion"),
        ))
    return rows


def _limit_rows(problem: Problem, evaluation: Evaluation) -> list[TargetRow]:
    """Each member's daily maxima against their highest day ("Kim (3): salt 1.6 g of at most 2 g")."""
    rows = []
    for eater, needs in enumerate(problem.eaters):
        for name, cap in caps_of(needs).items():
            highest = round(max(day[name] for day in evaluation.members[eater]), 1)
            met = highest <= cap + TOLERANCE
            rows.append(TargetRow(
                f"{name.rsplit('_', 1)[0]}:{needs.member.name}", f"{LIMIT_WORDS[name].capitalize()} a day at most, "
                f"{needs.label}", unit_of(name), cap, highest, met,
                "" if met else "No week the recipes allow keeps it on every day: the plan keeps it as low as it can.",
            ))
        for weekly in weekly_caps():
            if needs.member.stage in weekly.stages:
                total = round(sum(day[weekly.name] for day in evaluation.members[eater]))
                met = total <= weekly.grams + TOLERANCE
                rows.append(TargetRow(
                    f"{weekly.rule}:{needs.member.name}", f"At most {weekly.words} a week, {needs.label}", "g",
                    weekly.grams, total, met, "" if met else "Kept meals hold more than this: unlock or swap one."))
    return rows


def scorecard(plan: Plan) -> list[TargetRow]:
    problem, evaluation = plan.problem, plan.evaluation
    targets = problem.profile.targets
    rows = _limit_rows(problem, evaluation) + _fibre_rows(problem, evaluation)

    def daily(name: str, label: str, unit: str, goal: float, values: list[float], amount: Any, what: str) -> None:
        lowest = round(min(values), 1)
        met = lowest + TOLERANCE >= goal
        providers = {c for s in problem.slots for c in (*problem.candidates[s], *problem.meal_sides(s))
                     if amount(problem.dishes[c].facts) > 0}
        why = ""
        if not met and len(providers) * problem.max_repeats < DAYS:
            why = (f"{UNREACHABLE} include only {len(providers)} with it, and a recipe "
                   f"appears at most {problem.max_repeats} times a week.")
        elif not met:
            why = _why(round(_best_per_day(problem, amount), 1), goal, what)
        rows.append(TargetRow(name, label, unit, goal, lowest, met, why))

    daily("fermented", "Fermented food (live cultures) every day", "servings", problem.goals.fermented,
          [d.fermented_servings for d in evaluation.days], lambda f: f.fermented_servings, "servings on some days")
    daily("prebiotic", "Meals with a prebiotic food every day", "meals", targets.prebiotic_per_day,
          [d.prebiotic_meals for d in evaluation.days], lambda f: 1 if f.prebiotic_foods else 0, "meals a day")
    met = evaluation.bone_broth >= targets.bone_broth_per_week
    rows.append(TargetRow("bone_broth", "Meals with bone broth this week", "meals", targets.bone_broth_per_week,
                          evaluation.bone_broth, met,
                          "" if met else _why(problem.best_broth, targets.bone_broth_per_week, "meals a week")))
    all_plants = {p for s in problem.slots for c in problem.candidates[s] for p in problem.dishes[c].facts.plants}
    met = evaluation.weighted_plants + TOLERANCE >= targets.plants_per_week
    rows.append(TargetRow("plants", "Different plants this week (a pinch of a herb or spice counts a quarter)",
                          "plants", targets.plants_per_week, evaluation.weighted_plants, met,
                          "" if met else _why(len(all_plants), targets.plants_per_week, "plants")))
    low, high = problem.energy_range
    energies = [round(d.energy_kcal) for d in evaluation.days]
    met = low <= min(energies) and max(energies) <= high
    rows.append(TargetRow("energy", "Energy every day, per adult portion", "kcal", [low, high],
                          [min(energies), max(energies)], met,
                          "" if met else "The dishes that meet the gut-health targets fall outside this range "
                                         "on some days."))
    cooked = Counter(plan.assignment[s] for s, where in evaluation.cooked.items() if where == s)
    most = max(cooked.values(), default=0)
    limit = problem.max_repeats
    rows.append(TargetRow("repeats", "Most times one recipe is cooked (leftovers not counted)", "times", limit, most,
                          most <= limit,
                          "" if most <= limit
                          else "Too few recipes fit your profile's rules to fill every meal without repeats."))
    return rows
