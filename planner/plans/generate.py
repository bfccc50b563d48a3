"""The one place a plan is made or changed: generate a week, redo a slot or a day, list
the best alternatives for a slot and swap one in. The rest of the week stays as it was."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from planner.plans.greedy import greedy_plan
from planner.plans.profile import Profile
from planner.plans.problem import PlanImpossible, Problem, Slot, build_problem
from planner.recipes.facts import Dish
from planner.plans.scoring import Evaluation, evaluate
from planner.plans.solver import TIME_LIMIT_S, SolveResult, solve


@dataclass
class Plan:
    problem: Problem
    assignment: dict[Slot, str]
    solver: SolveResult
    locked: set[Slot] = field(default_factory=set)

    @cached_property
    def evaluation(self) -> Evaluation:
        """Worked out once: a plan's dishes never change in place (swap and redo make a new Plan)."""
        return evaluate(self.assignment, self.problem)


def generate(profile: Profile, week_start: date, dishes: Sequence[Dish],
             locked: Mapping[Slot, str] | None = None, *, time_limit: float = TIME_LIMIT_S) -> Plan:
    """The best week for the profile, keeping any locked slots."""
    locked = dict(locked or {})
    problem = build_problem(profile, week_start, dishes, fixed=locked)
    result = solve(problem, greedy_plan(problem), time_limit)
    return Plan(problem, result.assignment, result, set(locked))


def regenerate(profile: Profile, week_start: date, dishes: Sequence[Dish], current: Mapping[Slot, str],
               locked: Iterable[Slot], redo: Iterable[Slot], *, time_limit: float = TIME_LIMIT_S,
               retired: Sequence[Dish] = ()) -> Plan:
    """New dishes for the `redo` slots (never the ones they had); every other slot stays."""
    locked = set(locked)
    redo = {s for s in redo if s not in locked and s in current}
    if not redo:
        raise PlanImpossible("Those meals are locked: unlock them to choose again.")
    keep = {s: slug for s, slug in current.items() if s not in redo}
    forbidden = {s: {current[s]} for s in redo}
    try:
        problem = build_problem(profile, week_start, dishes, fixed=keep, forbidden=forbidden, retired=retired)
    except PlanImpossible:
        raise PlanImpossible("No other recipe fits that meal under your profile's rules.") from None
    result = solve(problem, greedy_plan(problem), time_limit)
    return Plan(problem, result.assignment, result, locked)


@dataclass(frozen=True)
class Alternative:
    slug: str
    title: str
    change: float  # in the week's value: positive is better
    fibre_change: float


def alternatives(plan: Plan, slot: Slot, limit: int = 5) -> list[Alternative]:
    """The dishes that could take this slot without breaking a hard rule, best first."""
    problem = plan.problem
    current = plan.assignment[slot]
    base = plan.evaluation.objective
    uses = plan.evaluation.uses
    same_day = {plan.assignment[s] for s in problem.slots_of_day(slot.day) if s != slot}
    rivals = build_problem(problem.profile, problem.week_start, problem.offered()).candidates[slot]
    found = []
    for slug in rivals:
        if slug == current or slug in same_day or uses[slug] >= problem.max_repeats:
            continue
        trial = {**plan.assignment, slot: slug}
        value = evaluate(trial, problem).objective
        fibre = problem.dishes[slug].facts.nutrients["fibre_g"] - problem.dishes[current].facts.nutrients["fibre_g"]
        found.append(Alternative(slug, problem.dishes[slug].recipe["title"], round(value - base, 1), round(fibre, 1)))
    found.sort(key=lambda a: (-a.change, a.slug))
    return found[:limit]


def swap(plan: Plan, slot: Slot, slug: str) -> Plan:
    """Put one of the offered alternatives in a slot; nothing else moves."""
    if slot in plan.locked:
        raise PlanImpossible("That meal is locked: unlock it first.")
    if slug not in {a.slug for a in alternatives(plan, slot, limit=10_000)}:
        raise PlanImpossible("That recipe cannot go there: it breaks one of your profile's rules or repeat limit.")
    assignment = {**plan.assignment, slot: slug}
    edited = SolveResult(assignment, "edited", 0.0, float("nan"), evaluate(assignment, plan.problem).objective)
    return Plan(plan.problem, assignment, edited, set(plan.locked))
