"""Suspects worth testing: foods, tags and habits that a diary's symptoms follow more often than chance.

Pure Python (stdlib only), no Flask. The method, in short:

Exposures. Every food entry is an exposure to its food and to each of its tags; a meal entry is
an exposure to each food it held and each of its tags. Repeats of one item within 3 h of the
first form one exposure (a meal logged food by food, or a second helping, is one event).
Habits are daily: a day whose sleep adds up to under 6 h is a "poor-sleep" exposure, a day with
stress at 7 or more is "high-stress", a day whose movement adds up to under 20 minutes is
"little-movement", and each medicine taken is an exposure to that medicine; the time is the
entry's time (the day's first entry; for stress, its highest entry).

Symptoms. A symptom entry "occurs" when its severity is 3 or more (or it has no severity at all:
it was logged as felt); a stool entry occurs when its Bristol type counts (1-2 hard, 6-7 loose).

Comparison. For each item, window (a, b] and symptom: the share of exposures at time t that have
the symptom in (t+a, t+b], against the same share over control times. Control times are the
diary's own moments, not a clock grid: a grid would put controls in the night, when nothing is
logged, and make every daytime meal look guilty. Foods, tags and medicines are compared with the
family member's eating occasions (food entries merged within 1 h); a sleep, stress or movement
habit with the other days' entries of that same habit, so both sides share a time of day.
A control c is dropped when an exposure of the item lies in [c - b, c + b - a): after it (c is
inside that exposure's reach, so not unexposed) or shortly before it (that exposure's own effect
would land in c's window, and an item eaten often would look no worse than its controls).
Exposures and controls whose window runs past the diary's last entry are left out: their outcome
is not known yet.

Independence. One symptom must not be counted for many exposures (or many controls) at once, or
the test sees far more evidence than there is: with 24-72 h windows, five episodes of low mood
could "follow" ten servings of egg. So on each side the times are thinned, first come first
kept, until no two windows overlap (each kept time is more than b - a hours after the last).
This costs some power and keeps false alarms below the nominal rate in simulation.

Statistics. Rate ratio with a 95 % interval by the log method (0.5 added to every cell when one
is 0); a one-sided Fisher exact mid-p for "more often after exposure"; then Benjamini-Hochberg
across every comparison made (an item with fewer than min_exposures exposures in a window is not
compared: it could never be flagged and would only dilute the rest). A comparison is flagged when
the diary has at least min_days days, q <= fdr and the interval's lower end is above 1. Only
comparisons where the symptom followed exposures more often than controls are returned.

Cost: the outcome of every window is computed once per diary moment (bisect on sorted symptom
times); each item then costs one pass over its control pool, so a year takes a fraction of a second.
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import NormalDist

from planner.diary.entries import Entry, SymptomList, symptoms

WINDOWS = (("0-4 h", 0, 4), ("4-24 h", 4, 24), ("24-72 h", 24, 72))
MERGE_HOURS = 3.0  # repeats of one item within this are one exposure
OCCASION_HOURS = 1.0  # food entries within this are one eating occasion (a control time)
POOR_SLEEP_HOURS = 6.0
HIGH_STRESS = 7.0
LITTLE_MOVEMENT_MINUTES = 20.0
HABIT_KINDS = ("sleep", "stress", "movement")
MEALS_POOL = "meals"
Z95 = NormalDist().inv_cdf(0.975)
KIND_ORDER = {"food": 0, "tag": 1, "habit": 2}
WINDOW_ORDER = {label: i for i, (label, _, _) in enumerate(WINDOWS)}


@dataclass(frozen=True)
class Suspect:
    item: str
    kind: str  # food | tag | habit
    symptom: str
    window: str
    exposures: int
    with_symptom: int  # exposures followed by the symptom in the window
    controls: int
    controls_with_symptom: int
    rate_with: float
    rate_without: float
    ratio: float
    low: float  # 95 % confidence interval of the ratio
    high: float
    p: float  # one-sided Fisher exact mid-p value
    q: float  # Benjamini-Hochberg adjusted p value
    flagged: bool


@dataclass(frozen=True)
class Patterns:
    days: int
    enough_data: bool
    suspects: tuple[Suspect, ...]  # ratio above 1 only; flagged first, then by q, then by ratio (highest first)
    note: str  # plain words: why nothing is said yet, or what "suspect" means


@dataclass(frozen=True)
class _Item:
    item: str
    kind: str  # food | tag | habit
    pool: str  # which control times it is compared with
    times: tuple[float, ...]  # exposure times in hours, sorted, repeats merged


@dataclass(frozen=True)
class _Count:
    item: _Item
    symptom: str
    window: str
    exposures: int
    with_symptom: int
    controls: int
    controls_with_symptom: int


# --- turning entries into exposures, symptoms and control times -------------------------------

def _hours(entry: Entry) -> float:
    return entry.time.timestamp() / 3600.0


def _merge(times: list[float], gap: float) -> tuple[float, ...]:
    """Sorted times with any time within `gap` hours of the last kept one dropped."""
    kept: list[float] = []
    for t in sorted(times):
        if not kept or t - kept[-1] > gap:
            kept.append(t)
    return tuple(kept)


def _food_times(entries: Sequence[Entry]) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    foods: dict[str, list[float]] = defaultdict(list)
    tags: dict[str, list[float]] = defaultdict(list)
    for entry in entries:
        if entry.kind not in ("food", "meal"):
            continue
        t = _hours(entry)
        for food in ((entry.item,) if entry.kind == "food" else entry.foods):
            foods[food].append(t)
        for tag in entry.tags:
            tags[tag].append(t)
    return foods, tags


def _by_day(entries: Sequence[Entry], kind: str) -> dict[date, list[Entry]]:
    days: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == kind:
            days[entry.time.date()].append(entry)
    for day in days.values():
        day.sort(key=lambda e: e.time)
    return days


def _habit_day(kind: str, day: list[Entry]) -> tuple[float, bool] | None:
    """The day's time for a habit and whether the day counts as an exposure (None: no amounts)."""
    amounts = [e.amount for e in day if e.amount is not None]
    if not amounts:
        return None
    if kind == "stress":
        top = max(day, key=lambda e: -1.0 if e.amount is None else e.amount)
        return _hours(top), (top.amount or 0.0) >= HIGH_STRESS
    total = sum(amounts)
    if kind == "sleep":
        return _hours(day[0]), total < POOR_SLEEP_HOURS
    return _hours(day[0]), total < LITTLE_MOVEMENT_MINUTES


HABIT_ITEMS = {"sleep": "poor-sleep", "stress": "high-stress", "movement": "little-movement"}


def _habits(entries: Sequence[Entry]) -> tuple[list[_Item], dict[str, tuple[float, ...]]]:
    """Habit exposures, and each habit's own control times (one a day it was logged)."""
    items: list[_Item] = []
    pools: dict[str, tuple[float, ...]] = {}
    for kind in HABIT_KINDS:
        days = [d for d in (_habit_day(kind, day) for day in _by_day(entries, kind).values()) if d is not None]
        pools[kind] = tuple(sorted(t for t, _ in days))
        exposed = [t for t, hit in days if hit]
        if exposed:
            items.append(_Item(HABIT_ITEMS[kind], "habit", kind, tuple(sorted(exposed))))
    for name, day_list in _medicine_days(entries).items():
        items.append(_Item(name, "habit", MEALS_POOL, tuple(sorted(day_list))))
    return items, pools


def _medicine_days(entries: Sequence[Entry]) -> dict[str, list[float]]:
    first: dict[tuple[str, date], float] = {}
    for entry in entries:
        if entry.kind == "medicine":
            key = (entry.item, entry.time.date())
            first[key] = min(first.get(key, math.inf), _hours(entry))
    out: dict[str, list[float]] = defaultdict(list)
    for (name, _), t in first.items():
        out[name].append(t)
    return out


def _exposures(entries: Sequence[Entry]) -> tuple[list[_Item], dict[str, tuple[float, ...]]]:
    foods, tags = _food_times(entries)
    items = [_Item(k, "food", MEALS_POOL, _merge(v, MERGE_HOURS)) for k, v in foods.items()]
    items += [_Item(k, "tag", MEALS_POOL, _merge(v, MERGE_HOURS)) for k, v in tags.items()]
    habit_items, pools = _habits(entries)
    pools[MEALS_POOL] = _merge([_hours(e) for e in entries if e.kind in ("food", "meal")], OCCASION_HOURS)
    return items + habit_items, pools


def _symptom_times(entries: Sequence[Entry], listed: SymptomList) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for entry in entries:
        if listed.occurs(entry):
            found["stool" if entry.kind == "stool" else entry.item].append(_hours(entry))
    return {key: sorted(times) for key, times in found.items()}


# --- counting -----------------------------------------------------------------------------------

def _window_hits(anchors: list[float], times: list[float], a: float, b: float) -> list[int]:
    """1 where a symptom time falls in (t+a, t+b] after the anchor t, else 0."""
    return [int(bisect_right(times, t + b) > bisect_right(times, t + a)) for t in anchors]


def _thin(times: Sequence[float], gap: float) -> list[int]:
    """Indices of the times kept when each must be more than `gap` hours after the last kept one."""
    kept: list[int] = []
    last = -math.inf
    for i, t in enumerate(times):
        if t - last > gap:
            kept.append(i)
            last = t
    return kept


def _controls(pool: tuple[float, ...], exposed: tuple[float, ...], a: float, b: float, k: int) -> list[float]:
    """pool[:k] without any time c that has an exposure in [c - b, c + b - a).

    After: the spec's rule, c is still inside an exposure's window. Before: an exposure soon after c
    would put its own effect inside c's window (c+a, c+b], and a food eaten often would then look
    no worse than its own controls."""
    out: list[float] = []
    j = 0  # exposed[j] is the first exposure at or after c - b
    for t in pool[:k]:
        while j < len(exposed) and exposed[j] < t - b:
            j += 1
        if j == len(exposed) or exposed[j] >= t + b - a:
            out.append(t)
    return out


class _Counter:
    """Window outcomes for every diary moment, computed once per symptom and window."""

    def __init__(self, items: list[_Item], pools: dict[str, tuple[float, ...]],
                 symptom_times: dict[str, list[float]]) -> None:
        anchors = sorted({t for item in items for t in item.times} | {t for p in pools.values() for t in p})
        self.index = {t: i for i, t in enumerate(anchors)}
        self.pools = pools
        self.symptoms = sorted(symptom_times)
        self.hits = {(s, label): _window_hits(anchors, times, a, b)
                     for s, times in symptom_times.items() for label, a, b in WINDOWS}

    def counts(self, item: _Item, window: tuple[str, float, float], end: float, min_exposures: int) -> list[_Count]:
        label, a, b = window
        # later ones have an unknown outcome; then windows may not overlap on either side (see the docstring)
        exposed = item.times[:bisect_right(item.times, end - b)]
        exposed = tuple(exposed[i] for i in _thin(exposed, b - a))
        if len(exposed) < min_exposures:
            return []
        pool = self.pools[item.pool]
        controls = _controls(pool, item.times, a, b, bisect_right(pool, end - b))
        controls = [controls[i] for i in _thin(controls, b - a)]
        if not controls:
            return []
        exposed_at = [self.index[t] for t in exposed]
        control_at = [self.index[t] for t in controls]
        out = []
        for s in self.symptoms:
            hits = self.hits[(s, label)]
            out.append(_Count(item, s, label, len(exposed), sum(map(hits.__getitem__, exposed_at)),
                              len(controls), sum(map(hits.__getitem__, control_at))))
        return out


# --- statistics ---------------------------------------------------------------------------------

def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_greater(a: int, n1: int, c: int, n0: int, *, mid: bool = False) -> float:
    """One-sided Fisher exact p: chance of a or more of the K = a + c hits falling among the n1 exposures.

    mid=True gives the mid-p (half the chance of exactly a), which takes off most of the exact
    test's conservatism from counting in whole numbers."""
    total, hits = n1 + n0, a + c
    low, high = max(0, n1 - (total - hits)), min(n1, hits)
    if a < low:
        return 1.0
    if a > high:
        return 0.0
    term = math.exp(_log_choose(hits, a) + _log_choose(total - hits, n1 - a) - _log_choose(total, n1))
    at_a = term
    if a >= n1 * hits / total:  # the upper tail is the small side: sum it directly
        p, x = term, a
        while x < high:  # pmf(x+1)/pmf(x); terms only shrink past the mode
            term *= (hits - x) * (n1 - x) / ((x + 1) * (total - hits - n1 + x + 1))
            x += 1
            p += term
            if term < p * 1e-16:
                break
    else:  # a below the mean: p is large, so 1 - (lower tail) loses nothing that matters
        x, lower = a, 0.0
        while x > low:  # pmf(x-1)/pmf(x)
            term *= x * (total - hits - n1 + x) / ((hits - x + 1) * (n1 - x + 1))
            x -= 1
            lower += term
            if term < lower * 1e-16:
                break
        p = 1.0 - lower
    return min(1.0, max(0.0, p - at_a / 2 if mid else p))


def benjamini_hochberg(ps: Sequence[float]) -> list[float]:
    """Adjusted q values, in the order given."""
    m = len(ps)
    order = sorted(range(m), key=ps.__getitem__)
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, ps[i] * m / rank)
        q[i] = running
    return q


def rate_ratio(a: int, n1: int, c: int, n0: int) -> tuple[float, float, float]:
    """Rate ratio with its 95 % interval by the log method; 0.5 added to every cell when one is 0."""
    cells = (a, n1 - a, c, n0 - c)
    if min(cells) == 0:
        a_, c_, n1_, n0_ = a + 0.5, c + 0.5, n1 + 1.0, n0 + 1.0
    else:
        a_, c_, n1_, n0_ = float(a), float(c), float(n1), float(n0)
    ratio = (a_ / n1_) / (c_ / n0_)
    se = math.sqrt(max(0.0, 1 / a_ - 1 / n1_ + 1 / c_ - 1 / n0_))
    return ratio, ratio * math.exp(-Z95 * se), ratio * math.exp(Z95 * se)


# --- putting it together ------------------------------------------------------------------------

def _suspects(counts: list[_Count], *, enough: bool, fdr: float) -> list[Suspect]:
    ps = [fisher_greater(c.with_symptom, c.exposures, c.controls_with_symptom, c.controls, mid=True) for c in counts]
    out = []
    for c, p, q in zip(counts, ps, benjamini_hochberg(ps), strict=True):
        rate_with, rate_without = c.with_symptom / c.exposures, c.controls_with_symptom / c.controls
        if rate_with <= rate_without:
            continue  # not more often after exposure: not a suspect at all
        ratio, low, high = rate_ratio(c.with_symptom, c.exposures, c.controls_with_symptom, c.controls)
        out.append(Suspect(c.item.item, c.item.kind, c.symptom, c.window, c.exposures, c.with_symptom,
                           c.controls, c.controls_with_symptom, rate_with, rate_without, ratio, low, high,
                           p, q, enough and q <= fdr and low > 1))
    out.sort(key=lambda s: (not s.flagged, s.q, -s.ratio, s.p, KIND_ORDER[s.kind], s.item, s.symptom,
                            WINDOW_ORDER[s.window]))
    return out


def _note(days: int, min_days: int, flagged: int, compared: int, min_exposures: int) -> str:
    if days < min_days:
        more = min_days - days
        return (f"{days} day{'s' if days != 1 else ''} of diary so far. Patterns need at least {min_days} days, "
                f"so keep going for {more} more day{'s' if more != 1 else ''}; nothing is flagged until then.")
    meaning = (f"A suspect worth testing was followed by a symptom more often than other times were, by more "
               f"than chance explains across the {compared} comparisons made. It is a lead, not a diagnosis: "
               f"to test it, leave it out for 2 to 4 weeks and then bring it back, ideally with a dietitian or GP.")
    if flagged:
        return f"{flagged} suspect{'s' if flagged != 1 else ''} worth testing. {meaning}"
    return (f"Nothing stands out yet across {compared} comparisons over {days} days. Links show only after "
            f"repeated exposures (at least {min_exposures} of an item), so keep the diary going.")


def find_patterns(entries: Sequence[Entry], *, min_days: int = 14, min_exposures: int = 5,
                  fdr: float = 0.1) -> Patterns:
    """Suspects worth testing in one family member's diary (see the module docstring for the method)."""
    days = len({e.time.date() for e in entries})
    enough = days >= min_days
    if not entries:
        return Patterns(0, False, (), _note(0, min_days, 0, 0, min_exposures))
    end = max(_hours(e) for e in entries)
    items, pools = _exposures(entries)
    counter = _Counter(items, pools, _symptom_times(entries, symptoms()))
    counts = [c for item in items for window in WINDOWS for c in counter.counts(item, window, end, min_exposures)]
    suspects = _suspects(counts, enough=enough, fdr=fdr)
    flagged = sum(s.flagged for s in suspects)
    return Patterns(days, enough, tuple(suspects), _note(days, min_days, flagged, len(counts), min_exposures))
