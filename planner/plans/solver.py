"""The week as an integer programme, solved with HiGHS from a greedy start.

Variables: x[slot, dish] (chosen or not), y[plant] (in the week or not) and a slack for
each target's shortfall. The objective is the same as planner.plans.scoring: guidance
score + plant bonus - penalties on shortfalls. Hard rules are constraints.
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import highspy
import numpy as np

from planner.plans.problem import DAYS, Problem, Slot
from planner.plans.scoring import PENALTY, PLANT_BONUS, day_shortfalls, evaluate
from planner.plans.shares import binding_caps, weekly_caps_of

GAP = 0.005  # stop once the plan is proven within 0.5 % of the best possible
TIME_LIMIT_S = 5.0


@dataclass(frozen=True)
class SolveResult:
    assignment: dict[Slot, str]
    status: str  # optimal | time limit | greedy
    seconds: float
    gap: float
    objective: float


class _Model:
    """Columns and rows built up as lists, passed to HiGHS in one go."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[float, float, dict[int, float]]] = []

    def column(self, cost: float, upper: float = 1.0, integer: bool = True) -> int:
        self.cost.append(cost)
        self.lower.append(0.0)
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


def _build(problem: Problem) -> tuple[_Model, dict[tuple[Slot, str], int], dict[str, int], dict[str, list[int]]]:
    m = _Model()
    inf = highspy.kHighsInf
    x: dict[tuple[Slot, str], int] = {}
    for slot in problem.slots:
        for slug in problem.candidates[slot]:
            x[slot, slug] = m.column(problem.dishes[slug].facts.score)
        m.row(1, 1, {x[slot, slug]: 1 for slug in problem.candidates[slot]})
    fixed_uses = Counter(problem.fixed.values())
    by_dish: dict[str, list[int]] = defaultdict(list)
    for (_slot, slug), col in x.items():
        by_dish[slug].append(col)
    for slug, cols in by_dish.items():
        limit = max(problem.max_repeats, fixed_uses[slug])
        if len(cols) > limit:
            m.row(-inf, limit, {c: 1 for c in cols})
    targets = problem.profile.targets
    low, high = problem.energy_range
    slack: dict[str, list[int]] = defaultdict(list)
    for day in range(DAYS):
        day_x = {(s, slug): col for (s, slug), col in x.items() if s.day == day}
        per_dish: dict[str, list[int]] = defaultdict(list)
        for (_s, slug), col in day_x.items():
            per_dish[slug].append(col)
        for slug, cols in per_dish.items():
            fixed_today = sum(1 for s in problem.slots_of_day(day) if problem.fixed.get(s) == slug)
            if len(cols) > max(1, fixed_today):
                m.row(-inf, max(1, fixed_today), {c: 1 for c in cols})
        facts = {col: problem.dishes[slug].facts for (s, slug), col in day_x.items()}

        def short(name: str, goal: float, amounts: dict[int, float]) -> None:
            col = m.column(-PENALTY[name], upper=inf, integer=False)
            slack[name].append(col)
            m.row(goal, inf, {**amounts, col: 1})

        short("fibre", problem.fibre_goal, {c: f.nutrients["fibre_g"] for c, f in facts.items()})
        fermented = {c: f.fermented_servings for c, f in facts.items()}
        short("fermented", problem.goals.fermented, fermented)
        if problem.goals.fermented_most is not None:
            col = m.column(-PENALTY["fermented_over"], upper=inf, integer=False)
            slack["fermented_over"].append(col)
            m.row(-inf, problem.goals.fermented_most, {**fermented, col: -1})
        short("prebiotic", targets.prebiotic_per_day, {c: 1.0 if f.prebiotic_foods else 0.0 for c, f in facts.items()})
        energy = {c: f.nutrients["energy_kcal"] for c, f in facts.items()}
        short("energy", low, energy)
        over = m.column(-PENALTY["energy"], upper=inf, integer=False)
        slack["energy_over"].append(over)
        m.row(-inf, high, {**energy, over: -1})
    broth = m.column(-PENALTY["bone_broth"], upper=inf, integer=False)
    slack["bone_broth"].append(broth)
    m.row(targets.bone_broth_per_week, inf,
          {**{c: 1.0 for (s, slug), c in x.items() if problem.dishes[slug].facts.bone_broth}, broth: 1})
    for eater, name, cap in binding_caps(problem):
        portion = problem.eaters[eater].portion
        for day in range(DAYS):
            over = m.column(-PENALTY[name], upper=inf, integer=False)
            slack[f"{eater}:{name}"].append(over)
            m.row(-inf, cap, {**{col: problem.portion(eater, slug).amounts.get(name, 0.0) * portion
                                 for (s, slug), col in x.items() if s.day == day}, over: -1})
    for eater, needs in enumerate(problem.eaters):
        for name, cap in weekly_caps_of(needs).items():
            over = m.column(-PENALTY["weekly_g"], upper=inf, integer=False)
            slack[f"{eater}:{name}"].append(over)
            amounts = {col: problem.portion(eater, slug).amounts.get(name, 0.0) * needs.portion
                       for (s, slug), col in x.items()}
            m.row(-inf, cap, {**{col: a for col, a in amounts.items() if a}, over: -1})
    holders: dict[str, list[int]] = defaultdict(list)
    for (_s, slug), col in x.items():
        for plant in problem.dishes[slug].facts.plants:
            holders[plant].append(col)
    y = {plant: m.column(PLANT_BONUS) for plant in sorted(holders)}
    for plant, col in y.items():
        m.row(-inf, 0, {col: 1, **{c: -1 for c in holders[plant]}})
    plants_short = m.column(-PENALTY["plants"], upper=inf, integer=False)
    slack["plants"].append(plants_short)
    m.row(targets.plants_per_week, inf, {**{c: 1 for c in y.values()}, plants_short: 1})
    return m, x, y, slack


def _start(problem: Problem, m: _Model, x: dict[tuple[Slot, str], int], y: dict[str, int],
           slack: dict[str, list[int]], seed: Mapping[Slot, str]) -> list[float]:
    """The full column vector of a plan: choices, plants present and exact shortfalls."""
    values = [0.0] * len(m.cost)
    for slot, slug in seed.items():
        values[x[slot, slug]] = 1.0
    found = evaluate(seed, problem)
    for plant, col in y.items():
        values[col] = 1.0 if found.plants[plant] else 0.0
    low, high = problem.energy_range
    for day, totals in enumerate(found.days):
        short = day_shortfalls(totals, problem)
        values[slack["fibre"][day]] = short.fibre
        values[slack["fermented"][day]] = short.fermented
        values[slack["prebiotic"][day]] = short.prebiotic
        values[slack["energy"][day]] = max(low - totals.energy_kcal, 0.0)
        values[slack["energy_over"][day]] = max(totals.energy_kcal - high, 0.0)
        if slack["fermented_over"]:
            values[slack["fermented_over"][day]] = short.fermented_over
    for eater, name, cap in binding_caps(problem):
        for day, intake in enumerate(found.members[eater]):
            values[slack[f"{eater}:{name}"][day]] = max(intake[name] - cap, 0.0)
    for eater, needs in enumerate(problem.eaters):
        for name, cap in weekly_caps_of(needs).items():
            values[slack[f"{eater}:{name}"][0]] = max(sum(day[name] for day in found.members[eater]) - cap, 0.0)
    targets = problem.profile.targets
    values[slack["bone_broth"][0]] = max(targets.bone_broth_per_week - found.bone_broth, 0)
    values[slack["plants"][0]] = max(targets.plants_per_week - len(found.plants), 0)
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


def solve(problem: Problem, seed: Mapping[Slot, str], time_limit: float = TIME_LIMIT_S) -> SolveResult:
    """The best plan HiGHS can prove within the gap and time limit; the seed if it finds nothing better."""
    started = time.perf_counter()
    m, x, y, slack = _build(problem)
    h = _quiet_highs()
    for name, value in (("mip_rel_gap", GAP), ("time_limit", float(time_limit)), ("random_seed", 0),
                        ("threads", 1), ("mip_abs_gap", 1e-6)):
        h.setOptionValue(name, value)
    h.passModel(m.lp())
    start = highspy.HighsSolution()
    start.col_value = _start(problem, m, x, y, slack, seed)
    start.value_valid = True
    h.setSolution(start)
    h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    seed_value = evaluate(seed, problem).objective
    if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
        return SolveResult(dict(seed), "greedy", time.perf_counter() - started, float("nan"), seed_value)
    values = h.getSolution().col_value
    chosen = {slot: slug for (slot, slug), col in x.items() if values[col] > 0.5}
    objective = evaluate(chosen, problem).objective
    if objective < seed_value - 1e-6:  # never return worse than the start
        chosen, objective = dict(seed), seed_value
    label = "optimal" if status == highspy.HighsModelStatus.kOptimal else h.modelStatusToString(status).lower()
    return SolveResult(chosen, label, time.perf_counter() - started, max(float(info.mip_gap), 0.0), objective)
