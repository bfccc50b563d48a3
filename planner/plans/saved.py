"""A saved week: what it keeps of the recipes and foods it was planned with, how it is shown
again from them, and which of its meals today's recipes or rules no longer agree with."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.checker.guidance import Guidance
from planner.foods.records import Record
from planner.plans.eligibility import why_not
from planner.plans.generate import Plan
from planner.plans.needs import day_goals
from planner.plans.problem import DAYS, PlanImpossible, Problem, Slot, build_problem
from planner.plans.profile import Profile
from planner.plans.solver import SolveResult
from planner.recipes.facts import Dish, dishes_from


@dataclass(frozen=True)
class Snapshot:
    """The planned recipes and the foods in them, by slug, as they were planned."""

    recipes: Mapping[str, Record]
    foods: Mapping[str, Record]

    def as_json(self) -> dict[str, Any]:
        return {"recipes": dict(self.recipes), "foods": dict(self.foods)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        return cls(dict(data.get("recipes") or {}), dict(data.get("foods") or {}))


def snapshot(recipes: Iterable[Record], foods: Mapping[str, Record]) -> Snapshot:
    """What a week keeps of its recipes, and of the foods they use."""
    kept = {recipe["slug"]: recipe for recipe in recipes}
    used = sorted({row["food"] for recipe in kept.values() for row in recipe["ingredients"]})
    return Snapshot(kept, {slug: foods[slug] for slug in used if slug in foods})


@dataclass(frozen=True)
class Change:
    """A planned meal that today's recipes or rules no longer agree with."""

    slot: Slot
    title: str
    reason: str


def saved_plan(profile: Profile, week_start: date, assignment: Mapping[Slot, str], locked: set[Slot],
               solver: SolveResult, kept: Snapshot, library: Iterable[Dish], rules: Guidance) -> Plan:
    """The week as it was planned: every meal keeps its dish as saved, even one that today's
    rules would refuse. Today's recipes only serve to explain targets that were missed."""
    planned = {d.slug: d for d in dishes_from(kept.recipes.values(), kept.foods, rules)}
    slots = [Slot(day, meal) for day in range(DAYS) for meal in profile.meals if Slot(day, meal) in assignment]
    try:
        today = build_problem(profile, week_start, list(library))
        rivals = {slot: today.candidates.get(slot, []) for slot in slots}
        dishes = {**today.dishes, **planned}
        cookable, sides = today.cookable, today.sides
    except PlanImpossible:
        rivals, dishes, cookable, sides = {slot: [] for slot in slots}, planned, {}, {}
    candidates = {slot: list(dict.fromkeys([assignment[slot], *rivals[slot]])) for slot in slots}
    uses = max((list(assignment.values()).count(slug) for slug in set(assignment.values())), default=0)
    # As planned: each meal could be cooked where the week cooks it, and keeps its sides.
    cooked_at = {where for slot, where in solver.cooked.items()} or set(slots)
    problem = Problem(profile=profile, week_start=week_start, slots=slots, dishes=dishes, candidates=candidates,
                      goals=day_goals(profile, week_start),
                      max_repeats=max(profile.targets.max_repeats, uses), fixed={s: assignment[s] for s in locked},
                      sides={slot: list(dict.fromkeys([*solver.sides.get(slot, ()), *sides.get(slot, [])]))
                             for slot in slots},
                      cookable={slot: cookable.get(slot, frozenset()) | ({assignment[slot]} if slot in cooked_at
                                                                          else set()) for slot in slots})
    return Plan(problem, dict(assignment), solver, set(locked))


def _what_is_cooked(recipe: Record) -> tuple[str, list[tuple[str, float]]]:
    """What a cook would notice changing: the title and each ingredient's food and grams."""
    return recipe["title"], [(row["food"], row["grams"]) for row in recipe["ingredients"]]


def changes(plan: Plan, library: Mapping[str, Dish]) -> list[Change]:
    """The meals whose recipe is gone, has changed, or no longer keeps the profile's rules."""
    found = []
    problem = plan.problem
    for slot in problem.slots:
        planned = problem.dishes[plan.assignment[slot]]
        today = library.get(planned.slug)
        members = [problem.eaters[n].member for n in problem.present[slot]]
        reason = None
        if today is None:
            reason = "is no longer among the recipes"
        elif (broken := why_not(today.recipe, today.facts, problem.profile, members=members)) is not None:
            reason = f"no longer fits your profile: {broken}"
        elif _what_is_cooked(today.recipe) != _what_is_cooked(planned.recipe):
            reason = "has changed since this week was planned"
        if reason:
            found.append(Change(slot, planned.recipe["title"], reason))
    return found
