"""The one place a plan is made or changed: generate a week, redo a slot or a day, list
the best alternatives for a slot and swap one in. The rest of the week stays as it was."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from planner.i18n import N_
from planner.plans.costs import ShopCosts
from planner.plans.greedy import greedy_plan
from planner.plans.liking import Family
from planner.plans.profile import CHILD_MEAL_YEARS, Profile
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

    @property
    def sides(self) -> dict[Slot, tuple[str, ...]]:
        return self.solver.sides

    @cached_property
    def evaluation(self) -> Evaluation:
        """Worked out once: a plan's dishes never change in place (swap and redo make a new Plan)."""
        return evaluate(self.assignment, self.problem, self.solver.sides, self.solver.cooked)

    @property
    def cooked(self) -> dict[Slot, Slot]:
        """Where each meal's dish is cooked: the meal itself, or the earlier meal it is leftovers of."""
        return self.evaluation.cooked


def generate(profile: Profile, week_start: date, dishes: Sequence[Dish],
             locked: Mapping[Slot, str] | None = None, *, time_limit: float = TIME_LIMIT_S,
             family: Family | None = None, shop: ShopCosts | None = None) -> Plan:
    """The best week for the profile, keeping any locked slots."""
    locked = dict(locked or {})
    problem = build_problem(profile, week_start, dishes, fixed=locked, family=family, shop=shop)
    result = solve(problem, greedy_plan(problem), time_limit)
    return Plan(problem, result.assignment, result, set(locked))


def regenerate(current: Plan, dishes: Sequence[Dish], redo: Iterable[Slot], *, time_limit: float = TIME_LIMIT_S,
               retired: Sequence[Dish] = ()) -> Plan:
    """New dishes for the `redo` meals (never the ones they had); every other meal keeps its dish
    and its sides."""
    redo = {s for s in redo if s not in current.locked and s in current.assignment}
    if not redo:
        raise PlanImpossible(N_("Those meals are locked: unlock them to choose again."))
    keep = {s: slug for s, slug in current.assignment.items() if s not in redo}
    forbidden = {s: {current.assignment[s]} for s in redo}
    old = current.problem
    try:
        problem = build_problem(old.profile, old.week_start, dishes, fixed=keep, forbidden=forbidden, retired=retired,
                                family=old.family, shop=old.shop)
    except PlanImpossible:
        raise PlanImpossible(N_("No other recipe fits that meal under your profile's rules.")) from None
    problem.fixed_sides = {s: current.sides.get(s, ()) for s in keep}
    result = solve(problem, greedy_plan(problem), time_limit)
    return Plan(problem, result.assignment, result, set(current.locked))


@dataclass(frozen=True)
class Alternative:
    slug: str
    title: str
    change: float  # in the week's value: positive is better
    fibre_change: float
    reasons: tuple[str, ...] = ()  # why it suits, in a family's words


def _reasons(plan: Plan, slot: Slot, slug: str, trial: Evaluation) -> tuple[str, ...]:
    problem = plan.problem
    now, then = problem.dishes[plan.assignment[slot]], problem.dishes[slug]
    found = []
    fibre = then.facts.nutrients["fibre_g"] - now.facts.nutrients["fibre_g"]
    if fibre >= 2:
        found.append(f"{fibre:.0f} g more fibre")
    quicker = problem.minutes(now.slug)[1] - problem.minutes(slug)[1]
    if trial.cooked.get(slot, slot) != slot:
        found.append("uses up a batch already cooked")
    elif quicker >= 5:
        found.append(f"{quicker} minutes quicker")
    members = [problem.eaters[n].member for n in problem.present[slot]]
    lovers = [m.name for m in members if problem.family.ratings.of(m.name, slug) == "love"]
    if lovers:
        found.append(f"{' and '.join(lovers)} {'loves' if len(lovers) == 1 else 'love'} it")
    if then.recipe.get("kid_friendly") and any(m.age < CHILD_MEAL_YEARS for m in members):
        found.append("the children like it")
    fewer = len(plan.evaluation.bought) - len(trial.bought)
    if fewer > 0:
        found.append(f"{fewer} fewer thing{'s' if fewer > 1 else ''} to buy")
    if then.facts.fermented_servings > now.facts.fermented_servings + 0.2:
        found.append("a fermented food")
    if slug in problem.family.recent:
        found.append("had recently")
    return tuple(found)


def alternatives(plan: Plan, slot: Slot, limit: int = 5) -> list[Alternative]:
    """The dishes that could take this slot without breaking a hard rule, best first."""
    problem = plan.problem
    current = plan.assignment[slot]
    base = plan.evaluation.objective
    uses = plan.evaluation.uses
    same_day = {plan.assignment[s] for s in problem.slots_of_day(slot.day) if s != slot}
    rivals = build_problem(problem.profile, problem.week_start, problem.offered(), family=problem.family,
                           shop=problem.shop)
    found = []
    for slug in rivals.candidates[slot]:
        if slug == current or slug in same_day or uses[slug] >= problem.max_repeats:
            continue
        trial_assignment = {**plan.assignment, slot: slug}
        cooked = {s: c for s, c in plan.cooked.items() if s != slot and c != slot}
        trial = evaluate(trial_assignment, problem, plan.sides, cooked)
        if trial.cooked[slot] == slot and slug not in rivals.cookable.get(slot, ()):
            continue  # it could only come as leftovers, and there are none
        fibre = problem.dishes[slug].facts.nutrients["fibre_g"] - problem.dishes[current].facts.nutrients["fibre_g"]
        found.append(Alternative(slug, problem.dishes[slug].recipe["title"], round(trial.objective - base, 1),
                                 round(fibre, 1), _reasons(plan, slot, slug, trial)))
    found.sort(key=lambda a: (-a.change, a.slug))
    return found[:limit]


def swap(plan: Plan, slot: Slot, slug: str) -> Plan:
    """Put one of the offered alternatives in a slot; nothing else moves."""
    if slot in plan.locked:
        raise PlanImpossible(N_("That meal is locked: unlock it first."))
    if slug not in {a.slug for a in alternatives(plan, slot, limit=10_000)}:
        raise PlanImpossible(N_("That recipe cannot go there: it breaks one of your profile's rules or repeat limit."))
    assignment = {**plan.assignment, slot: slug}
    cooked = {s: c for s, c in plan.cooked.items() if s != slot and c != slot}
    evaluation = evaluate(assignment, plan.problem, plan.sides, cooked)
    edited = SolveResult(assignment, "edited", 0.0, float("nan"), evaluation.objective, dict(plan.sides),
                         evaluation.cooked)
    return Plan(plan.problem, assignment, edited, set(plan.locked))
