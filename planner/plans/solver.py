"""The week as an integer programme, solved with HiGHS from a greedy start.

Variables: x[meal, dish] (its main), left[cooked at, eaten at, dish] (leftovers), z[meal, side],
plants in the week, and a slack for each target's shortfall or overshoot; each dish cooked bears
its share of its shop lines (problem.cooking_cost). The objective is the same as
planner.plans.scoring. Hard rules are constraints. Members' daily and weekly limits (salt, free
sugars, caffeine; oily fish and tuna in pregnancy) come before the objective: a week goes over
them only as far as the week that goes least over, which is none whenever the recipes allow.
"""
from __future__ import annotations

import copy
import ctypes
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import highspy
import numpy as np

from planner.plans.greedy import greedy_sides
from planner.plans.problem import (DAYS, KIND_MEALS, KIND_MEALS_OF, LEFTOVER_MEALS_PER_BATCH, SIDES_PER_MEAL, Problem,
                                   Slot)
from planner.plans.scoring import (BROTH_OVER, Evaluation, GUIDANCE, PENALTY, PLANT_BONUS, PLANT_EXTRA,
                                   SIDE, SIDE_REPEATS, evaluate, fermented_most, fibre_bands,
                                   five_a_day_goal, infer_cooked)
from planner.plans.shares import caps_of, weekly_caps_of
from planner.recipes.facts import PINCH_PLANT_WEIGHT, RecipeFacts

GAP = 0.01  # stop once the plan is proven within 1 % of the best possible
TIME_LIMIT_S = 5.0
# Members' limits come before every target: a week may go over them only as far as the week that
# goes least over does. Less over than this, in the objective's units, is HiGHS's rounding, not a
# week going over (a five-billionth of a gram of salt).
OVER_ROUNDING = 1e-6
# HiGHS presolve rule 15. Probing each choice took a third of the time of a week without the plant
# goal's rows and tightened little (a dish a meal, a few caps): leaving it out there proves the
# same weeks about a fifth sooner. With the goal's rows it pays, and stays.
NO_PROBING = 1 << 15
# Two HiGHS search habits that cost more than they find when many recipes are near-equal (a large
# library): a sub-MIP over the columns the root's reduced costs leave open, and restarting the
# search once the root has fixed many columns. Without them, HiGHS proves 80 households' weeks on a
# 2,200-recipe library in a median 0.36 s, was 0.53 s (mean 0.54, was 0.70; quicker for 62 of the 80),
# every week still within the gap.
SEARCH: tuple[tuple[str, float | bool], ...] = (("mip_heuristic_run_root_reduced_cost", False),
                                                ("mip_allow_restart", False))
# The week that goes least over members' limits is proven exactly: the gap is for targets, not safety.
LEAST_OVER: tuple[tuple[str, float | bool], ...] = (("mip_rel_gap", 0.0),)


@dataclass(frozen=True)
class SolveResult:
    assignment: dict[Slot, str]
    status: str  # optimal | time limit | greedy | edited
    seconds: float
    gap: float
    objective: float
    sides: dict[Slot, tuple[str, ...]] = field(default_factory=dict)
    cooked: dict[Slot, Slot] = field(default_factory=dict)  # where each meal's dish is cooked


class _Model:
    """Columns and rows built up as lists, passed to HiGHS in one go."""

    def __init__(self, probing: bool) -> None:
        self.probing = probing  # HiGHS probes each choice in presolve
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[float, float, dict[int, float]]] = []
        self.offset = 0.0  # a constant added to every plan's value

    def column(self, cost: float, upper: float = 1.0, integer: bool = True, lower: float = 0.0) -> int:
        self.cost.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(integer)
        return len(self.cost) - 1

    def row(self, low: float, high: float, terms: Mapping[int, float]) -> None:
        self.rows.append((low, high, dict(terms)))

    def lp(self) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.cost)
        lp.num_row_ = len(self.rows)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.offset_ = self.offset
        lp.col_cost_ = np.array(self.cost)
        lp.col_lower_ = np.array(self.lower)
        lp.col_upper_ = np.array(self.upper)
        lp.row_lower_ = np.array([r[0] for r in self.rows])
        lp.row_upper_ = np.array([r[1] for r in self.rows])
        starts, index, value = [0], [], []
        for _, _, terms in self.rows:
            for col, coef in sorted(terms.items()):
                index.append(col)
                value.append(coef)
            starts.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value)
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in self.integer]
        return lp


@dataclass
class _Columns:
    """Where each decision sits among the model's columns."""

    x: dict[tuple[Slot, str], int] = field(default_factory=dict)  # the meal's main dish
    left: dict[tuple[Slot, Slot, str], int] = field(default_factory=dict)  # (cooked at, eaten at, dish)
    z: dict[tuple[Slot, str], int] = field(default_factory=dict)  # a side with the meal
    over: list[int] = field(default_factory=list)  # the amount over a member's limit, safety first
    plants: dict[int, float] = field(default_factory=dict)  # a plant in the week, by its weight

    by_meal: dict[Slot, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))

    def of_meal(self, slot: Slot) -> list[tuple[int, str]]:
        """(column, dish) of every main and side the meal may take."""
        return self.by_meal[slot]


def _slot_amount(problem: Problem, cols: _Columns, slot: Slot,
                 amount: Callable[[RecipeFacts], float]) -> dict[int, float]:
    """A meal's amount of something, over its main and its sides, by column."""
    found = {col: amount(problem.dishes[slug].facts) for col, slug in cols.of_meal(slot)}
    return {col: a for col, a in found.items() if a}


def _build(problem: Problem, plant_goal: bool = True) -> tuple[_Model, _Columns]:
    m = _Model(probing=plant_goal)
    inf = highspy.kHighsInf
    cols = _Columns()

    def penalty(name: str) -> int:
        return m.column(-PENALTY[name], upper=inf, integer=False)

    for slot in problem.slots:
        for slug in problem.candidates[slot]:
            cols.x[slot, slug] = m.column(GUIDANCE * problem.dishes[slug].facts.score + problem.liking(slot, slug)
                                          - problem.cooking_cost(slug))
        m.row(1, 1, {cols.x[slot, slug]: 1 for slug in problem.candidates[slot]})
        kept = slot in problem.fixed_sides
        for side in problem.meal_sides(slot):
            facts = problem.dishes[side].facts
            cols.z[slot, side] = m.column(GUIDANCE * facts.score - SIDE - problem.cooking_cost(side),
                                          lower=1.0 if kept else 0.0)
        if problem.meal_sides(slot) and not kept:
            m.row(-inf, SIDES_PER_MEAL, {cols.z[slot, side]: 1 for side in problem.meal_sides(slot)})
        cols.by_meal[slot] = [(cols.x[slot, slug], slug) for slug in problem.candidates[slot]] + [
            (cols.z[slot, side], side) for side in problem.meal_sides(slot)]
    # Leftovers: a meal may eat up an earlier meal's batch of the same dish, and is then not
    # cooked (its cooking is earned back); a dish it may not cook it can only have this way.
    for (slot, slug), col in cols.x.items():
        lefts = []
        for source in problem.sources(slot, slug):
            if (source, slug) in cols.x:
                left = cols.left[source, slot, slug] = m.column(problem.cooking_cost(slug))
                lefts.append(left)
                m.row(-inf, 0, {left: 1, cols.x[source, slug]: -1})
        if lefts:
            if slug in problem.cookable.get(slot, ()):
                m.row(-inf, 0, {**{c: 1.0 for c in lefts}, col: -1})
            else:
                m.row(0, 0, {col: 1, **{c: -1.0 for c in lefts}})
    batches: dict[tuple[Slot, str], list[int]] = defaultdict(list)
    for (source, _slot, slug), col in cols.left.items():
        batches[source, slug].append(col)
    for batch in batches.values():
        if len(batch) > LEFTOVER_MEALS_PER_BATCH:
            m.row(-inf, LEFTOVER_MEALS_PER_BATCH, {c: 1 for c in batch})
    fixed_uses = Counter(problem.fixed.values())
    served: dict[str, list[int]] = defaultdict(list)
    for (_slot, slug), col in cols.x.items():
        served[slug].append(col)
    for slug, meals in served.items():  # leftovers count: cooked once and eaten twice is two
        limit = max(problem.max_repeats, fixed_uses[slug])
        if len(meals) > limit:
            m.row(-inf, limit, {c: 1 for c in meals})
    kinds: dict[str, list[int]] = defaultdict(list)
    for (slot, slug), col in cols.x.items():
        kind = problem.kind(slug)
        if kind and slot.meal in KIND_MEALS_OF and slot not in problem.fixed:
            kinds[kind].append(col)
    for meals in kinds.values():
        if len(meals) > KIND_MEALS:
            m.row(-inf, KIND_MEALS, {**{c: 1 for c in meals}, penalty("same_food"): -1})
    side_uses: dict[str, list[int]] = defaultdict(list)
    for (_slot, side), col in cols.z.items():
        side_uses[side].append(col)
    for meals in side_uses.values():
        if len(meals) > SIDE_REPEATS:
            m.row(-inf, SIDE_REPEATS, {c: 1 for c in meals})
    low, high = problem.energy_range
    for day in range(DAYS):
        today = problem.slots_of_day(day)
        for chosen in (cols.x, cols.z):
            per_dish: dict[str, list[int]] = defaultdict(list)
            for (s, slug), col in chosen.items():
                if s.day == day:
                    per_dish[slug].append(col)
            for slug, meals in per_dish.items():
                fixed_today = sum(1 for s in today if problem.fixed.get(s) == slug)
                if len(meals) > max(1, fixed_today):
                    m.row(-inf, max(1, fixed_today), {c: 1 for c in meals})

        def day_amount(amount: Callable[[RecipeFacts], float], today: list[Slot] = today) -> dict[int, float]:
            found: dict[int, float] = {}
            for slot in today:
                found.update(_slot_amount(problem, cols, slot, amount))
            return found

        fermented = day_amount(lambda f: f.fermented_servings)
        m.row(problem.goals.fermented, inf, {**fermented, penalty("fermented"): 1})
        m.row(-inf, fermented_most(problem), {**fermented, penalty("fermented_over"): -1})
        m.row(problem.profile.targets.prebiotic_per_day, inf,
              {**day_amount(lambda f: 1.0 if f.prebiotic_foods else 0.0), penalty("prebiotic"): 1})
        m.row(five_a_day_goal(problem), inf, {**day_amount(lambda f: f.five_a_day), penalty("five_a_day"): 1})
        energy = day_amount(lambda f: f.nutrients["energy_kcal"])
        m.row(low, inf, {**energy, penalty("energy"): 1})
        m.row(-inf, high, {**energy, penalty("energy"): -1})
        # Hands-on minutes of the day: what is cooked for its meals, and its sides.
        minutes = {cols.x[s, slug]: float(problem.minutes(slug)[0]) for s in today for slug in problem.candidates[s]}
        minutes.update({cols.z[s, side]: float(problem.minutes(side)[0]) for s in today
                        for side in problem.meal_sides(s)})
        minutes.update({col: -float(problem.minutes(slug)[0]) for (_source, s, slug), col in cols.left.items()
                        if s.day == day})
        m.row(-inf, problem.hands_on_limit(day), {**{c: v for c, v in minutes.items() if v}, penalty("minutes"): -1})
    for band in fibre_bands(problem):
        fibre: dict[int, float] = {}
        for slot in band.slots:
            fibre.update(_slot_amount(problem, cols, slot, lambda f: f.nutrients["fibre_g"]))
        m.row(band.low, inf, {**fibre, penalty("fibre"): 1})
    broth = {col: 1.0 for (s, slug), col in [*cols.x.items(), *cols.z.items()] if problem.dishes[slug].facts.bone_broth}
    goal = problem.broth_goal
    m.row(goal, inf, {**broth, penalty("bone_broth"): 1})
    m.row(-inf, goal + BROTH_OVER, {**broth, penalty("bone_broth_over"): -1})
    # Members who eat the same meals and the same food, each by their own portion (two adults,
    # say), share one row for a cap: one amount served, with a limit per member.
    capped: dict[tuple[str, str, tuple[tuple[int, float], ...]], list[_Limit]] = defaultdict(list)
    for eater, needs in enumerate(problem.eaters):
        daily, weekly = caps_of(needs), weekly_caps_of(needs)
        days = [_eater_amounts(problem, cols, eater, [*daily, *weekly], day) for day in range(DAYS)]
        for name, cap in daily.items():
            for day in range(DAYS):
                capped[name, name, tuple(sorted(days[day][name].items()))].append(_Limit(cap, needs.portion))
        for name, cap in weekly.items():
            week = {col: amount for day in range(DAYS) for col, amount in days[day][name].items()}
            capped[name, "weekly_g", tuple(sorted(week.items()))].append(_Limit(cap, needs.portion))
    for (_name, cost, amounts), limits in capped.items():
        if amounts:
            cols.over += _cap_row(m, dict(amounts), PENALTY[cost], limits)
    _plants(problem, m, cols, plant_goal)
    return m, cols


@dataclass(frozen=True)
class _Limit:
    """One member's most of something, and how many servings of each meal they eat."""

    most: float
    portion: float

    @property
    def per_serving(self) -> float:
        """Their most, counted in a single serving's amount: they reach it when the meals hold this."""
        return self.most / self.portion


def _cap_row(m: _Model, served: dict[int, float], cost: float, limits: list[_Limit]) -> list[int]:
    """The amount in a serving of the meals kept under every member's limit, or `cost` a unit each
    member eats over theirs; the columns of the amount over. Past each member's limit in turn, a
    unit more in a serving costs their portion more: the steps only grow, so the model fills them
    in order."""
    inf = highspy.kHighsInf
    steps = sorted(limits, key=lambda limit: limit.per_serving)
    over: dict[int, float] = {}
    portions = 0.0
    for number, limit in enumerate(steps):
        portions += limit.portion
        width = steps[number + 1].per_serving - limit.per_serving if number + 1 < len(steps) else inf
        if width > 0:
            over[m.column(-cost * portions, upper=width, integer=False)] = -1.0
    m.row(-inf, steps[0].per_serving, {**served, **over})
    return list(over)


def _eater_amounts(problem: Problem, cols: _Columns, eater: int, names: list[str],
                   day: int) -> dict[str, dict[int, float]]:
    """The amount of each of these in a serving of what the eater has on the day, by column, over
    the meals they eat."""
    found: dict[str, dict[int, float]] = {name: {} for name in names}
    for slot in problem.slots_of_day(day):
        if eater in problem.present[slot]:
            for col, slug in cols.of_meal(slot):
                amounts = problem.portion(eater, slug).amounts
                for name in names:
                    if amount := amounts.get(name, 0.0):
                        found[name][col] = amount
    return found


def _plants(problem: Problem, m: _Model, cols: _Columns, goal_rows: bool) -> None:
    """Plants up to the week's goal earn; a pinch counts a quarter; beyond the goal earns little.

    Without `goal_rows` every plan is given the whole of the goal's bonus: the model is then
    exact for weeks that reach the goal, and bounds every other week from above."""
    inf = highspy.kHighsInf
    holders: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for chosen in (cols.x, cols.z):
        for (_s, slug), col in chosen.items():
            for plant, weight in problem.dishes[slug].facts.plant_weights:
                holders[plant, False].append(col)
                if weight >= 1:
                    holders[plant, True].append(col)
    weighted = cols.plants
    for (_plant, full), found in sorted(holders.items()):
        weight = 1 - PINCH_PLANT_WEIGHT if full else PINCH_PLANT_WEIGHT
        col = m.column(PLANT_EXTRA * weight)
        weighted[col] = weight
        m.row(-inf, 0, {col: 1, **{c: -1 for c in found}})
    goal = problem.profile.targets.plants_per_week
    if not goal_rows:
        m.offset += (PLANT_BONUS - PLANT_EXTRA) * goal
        return
    counted = m.column(PLANT_BONUS - PLANT_EXTRA, upper=goal, integer=False)
    m.row(-inf, 0, {counted: 1, **{c: -w for c, w in weighted.items()}})
    short = m.column(-PENALTY["plants"], upper=inf, integer=False)
    m.row(goal, inf, {**weighted, short: 1})


def _start(problem: Problem, m: _Model, cols: _Columns, seed: Mapping[Slot, str],
           sides: Mapping[Slot, tuple[str, ...]]) -> list[float] | None:
    """The column vector of the seed week (cooked where it can be): HiGHS may start from it.
    None when the seed cannot be written in the model (a meal it cannot cook)."""
    values = [0.0] * len(m.cost)
    for slot, found in sides.items():
        for side in found:
            values[cols.z[slot, side]] = 1.0
    cooked = infer_cooked(seed, problem)
    for slot, slug in seed.items():
        values[cols.x[slot, slug]] = 1.0
        where = cooked[slot]
        if where == slot and slug not in problem.cookable.get(slot, ()):
            return None
        if where != slot:
            values[cols.left[where, slot, slug]] = 1.0
    return values


_first_made = threading.Lock()
_banner_swallowed = False


@contextmanager
def _stdout_discarded() -> Iterator[None]:
    """Point file descriptor 1 at /dev/null for a moment: what HiGHS's C++ prints there goes nowhere."""
    sys.stdout.flush()  # what Python already wrote must still come out
    try:
        saved = os.dup(1)
    except OSError:  # no standard output at all: nothing to protect
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        yield
    finally:
        if os.name == "posix":
            ctypes.CDLL(None).fflush(None)  # C's buffer too, while it still goes to /dev/null
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


def _quiet_highs() -> highspy.Highs:
    """A HiGHS that prints nothing. The first one a process makes prints HiGHS's banner on standard
    output from inside its constructor, before any option can be set, which would spoil
    `planner plan --json`; so that one is made with standard output discarded (later ones print
    no banner). Logging is then off before any model is passed in."""
    global _banner_swallowed
    with _first_made:
        if not _banner_swallowed:
            with _stdout_discarded():
                highspy.Highs()
            _banner_swallowed = True
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("log_to_console", False)
    return h


@dataclass
class _Run:
    """What one HiGHS run found."""

    values: list[float]
    status: str
    gap: float


def _run(m: _Model, start: list[float] | None, time_limit: float,
         settings: tuple[tuple[str, float | bool], ...]) -> _Run | None:
    """HiGHS on the model from the start given, with these settings of its search; None when it
    found no week."""
    h = _quiet_highs()
    for name, value in (("time_limit", max(float(time_limit), 0.01)), ("random_seed", 0), ("threads", 1),
                        ("mip_abs_gap", 1e-6), ("presolve_rule_off", 0 if m.probing else NO_PROBING), *settings):
        h.setOptionValue(name, value)
    h.passModel(m.lp())
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = start
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return None
    label = "optimal" if status == highspy.HighsModelStatus.kOptimal else h.modelStatusToString(status).lower()
    return _Run(list(h.getSolution().col_value), label, max(float(info.mip_gap), 0.0))


@dataclass(frozen=True)
class _Week:
    assignment: dict[Slot, str]
    sides: dict[Slot, tuple[str, ...]]
    evaluation: Evaluation


def _week(problem: Problem, cols: _Columns, values: list[float]) -> _Week:
    """The week a run's values put: its mains, its sides and where each meal is cooked, evaluated."""
    chosen = {slot: slug for (slot, slug), col in cols.x.items() if values[col] > 0.5}
    sides: dict[Slot, tuple[str, ...]] = {}
    for (slot, side), col in sorted(cols.z.items()):
        if values[col] > 0.5:
            sides[slot] = sides.get(slot, ()) + (side,)
    cooked = {slot: slot for slot in chosen}
    cooked.update({slot: source for (source, slot, _slug), col in cols.left.items() if values[col] > 0.5})
    return _Week(chosen, sides, evaluate(chosen, problem, sides, cooked))


def _over_only(m: _Model, over: list[int]) -> _Model:
    """The model with nothing to gain but keeping members within their limits."""
    first = copy.copy(m)
    kept = set(over)
    first.cost = [cost if col in kept else 0.0 for col, cost in enumerate(m.cost)]
    first.offset = 0.0
    return first


def _over(m: _Model, over: list[int], values: list[float]) -> float:
    """How far a run's week goes over members' limits, in the objective's units."""
    return sum(-m.cost[col] * values[col] for col in over)


def _keep_over(m: _Model, over: list[int], most: float) -> None:
    """No week may go further over members' limits than `most`: none at all when some week need not."""
    if most <= OVER_ROUNDING:
        for col in over:
            m.upper[col] = 0.0
    else:
        m.row(-highspy.kHighsInf, most * (1 + OVER_ROUNDING), {col: -m.cost[col] for col in over})


def _worse(week: Evaluation, than: Evaluation) -> bool:
    """Whether a week is further over members' limits than another, or as far over and worth less."""
    if abs(week.over - than.over) > OVER_ROUNDING:
        return week.over > than.over
    return week.objective < than.objective - 1e-6


def solve(problem: Problem, seed: Mapping[Slot, str], time_limit: float = TIME_LIMIT_S) -> SolveResult:
    """The best week HiGHS can prove within the gap and time limit; the seed if it finds nothing better.

    Members' limits come first: when the seed goes over one, the week that goes least over is found
    before anything else, and no week may go further. Most weeks reach the plant goal with room to
    spare, and proving the best one is far quicker without the goal's rows (see _plants); only when
    that week falls short is the whole model solved, from it."""
    started = time.perf_counter()

    def left() -> float:
        return time_limit - (time.perf_counter() - started)

    best = (("mip_rel_gap", GAP), *SEARCH)
    seed_sides = greedy_sides(problem, dict(seed))
    seed_evaluation = evaluate(seed, problem, seed_sides)
    seed_result = SolveResult(dict(seed), "greedy", time.perf_counter() - started, float("nan"),
                              seed_evaluation.objective, seed_sides, infer_cooked(seed, problem))
    m, cols = _build(problem, plant_goal=False)
    start = _start(problem, m, cols, seed, seed_sides)
    most = 0.0 if start is not None and seed_evaluation.over == 0 else None
    if most is None:
        least = _run(_over_only(m, cols.over), start, left(), LEAST_OVER)
        if least is not None:
            start, most = least.values, _over(m, cols.over, least.values)
    if most is not None:
        _keep_over(m, cols.over, most)
    found = _run(m, start, left(), best)
    week = None if found is None else _week(problem, cols, found.values)
    goal = problem.profile.targets.plants_per_week
    if found is not None and week is not None and week.evaluation.weighted_plants + 1e-6 < goal:
        whole, cols = _build(problem, plant_goal=True)
        if most is not None:
            _keep_over(whole, cols.over, most)
        weighted = sum(weight * found.values[col] for col, weight in cols.plants.items())
        start = [*found.values, min(weighted, goal), max(goal - weighted, 0.0)]  # the goal's two columns
        whole_found = _run(whole, start, left(), best)
        if whole_found is not None:
            found, week = whole_found, _week(problem, cols, whole_found.values)
        else:  # no time left for it: the quicker model's week stands, unproven
            found = _Run(found.values, "time limit reached", float("nan"))
    if found is None or week is None or _worse(week.evaluation, seed_evaluation):  # never worse than the start
        return seed_result
    return SolveResult(week.assignment, found.status, time.perf_counter() - started, found.gap,
                       week.evaluation.objective, week.sides, week.evaluation.cooked)
