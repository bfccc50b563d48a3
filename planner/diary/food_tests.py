"""A guided food test for one member: a period without a suspect food, then the food back at a
low, a moderate and a high serve, each followed by days without it (planner/data/food_tests.yaml).

Pure Python, no Flask. What the planner does for a test (and after it) for a week is worked out
here as WeekChanges and applied to the profile before the week is made: the suspect's foods are
left out of every meal the member eats, the prebiotic target is relaxed when leaving them out
would break it, the test serves go into the week (and so on the shopping list), and a result
becomes the member's exclusion (reacts from the low serve) or limit (reacts from a larger one).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from planner.data import DATA_DIR, read_yaml
from planner.diary.entries import Entry
from planner.plans.profile import Member, Profile

LEVELS = ("low", "moderate", "high")
RESULTS = ("tolerated", *LEVELS)  # tolerated every serve, or reacts from this serve on
PHASES = ("elimination", "reintroduction", "result due", "done", "paused", "stopped")


@dataclass(frozen=True)
class Bounds:
    default: int
    low: int
    high: int
    source: str


@dataclass(frozen=True)
class Rules:
    elimination_weeks: Bounds
    washout_days: Bounds
    serve_shares: Mapping[str, float]
    child_under_years: float
    min_age_years: float
    min_age_source: str
    pause_from_severity: float
    reaction_from_severity: float
    reaction_hours: float
    serves: Mapping[str, Mapping[str, float]]  # food -> level -> grams
    measures: Mapping[str, tuple[str, ...]]  # food -> its serves in household words, low to high
    tag_foods: Mapping[str, str]  # tag -> the food it is tested with
    cautions: Mapping[str, str]  # tag or food -> what to know first
    allergy: str
    sources: Mapping[str, str]


@cache
def rules() -> Rules:
    data = read_yaml(DATA_DIR / "food_tests.yaml")
    sources = data["sources"]

    def bounds(row: Mapping[str, Any]) -> Bounds:
        return Bounds(int(row["default"]), int(row["min"]), int(row["max"]), sources[row["source"]])
    return Rules(
        bounds(data["elimination_weeks"]), bounds(data["washout_days"]),
        {level: float(data["serve_shares"][level]) for level in LEVELS}, float(data["child_under_years"]),
        float(data["min_age_years"]["value"]), sources[data["min_age_years"]["source"]],
        float(data["pause_from_severity"]), float(data["reaction_from_severity"]), float(data["reaction_hours"]),
        {food: {level: float(row[level]) for level in LEVELS} for food, row in data["serves"].items()},
        {food: tuple(row["measures"]) for food, row in data["serves"].items()},
        {tag: str(row["food"]) for tag, row in data["tags"].items()},
        {key: str(row["text"]) for key, row in data["cautions"].items()}, str(data["allergy"]["text"]), sources)


@dataclass(frozen=True)
class Serve:
    level: str  # low | moderate | high
    day: date
    food: str  # food slug
    grams: float


@dataclass(frozen=True)
class FoodTest:
    """One member's test, as stored."""

    id: int
    member: str
    item: str  # the suspect: a food slug or a tag
    kind: str  # food | tag
    start: date
    elimination_weeks: int
    washout_days: int
    left_out: tuple[str, ...]  # foods kept out of the member's meals while the test runs
    serves: tuple[Serve, ...]
    provider_agrees: bool = False
    paused: str = ""  # why it is paused by hand ("" when it is not)
    resumed_at: datetime | None = None  # severe symptoms before this no longer pause it
    stopped: bool = False
    result: str = ""  # one of RESULTS once recorded
    result_day: date | None = None
    version: int = 1

    @property
    def food(self) -> str:
        """The food eaten at the serves."""
        return self.serves[0].food

    @property
    def reintroduction(self) -> date:
        return self.start + timedelta(weeks=self.elimination_weeks)

    @property
    def elimination_ends(self) -> date:
        """The last day of the period without the food."""
        return self.reintroduction - timedelta(days=1)

    @property
    def ends(self) -> date:
        """The last day the test watches: the high serve's washout."""
        return self.serves[-1].day + timedelta(days=self.washout_days)

    def serve_on(self, day: date) -> Serve | None:
        return next((s for s in self.serves if s.day == day), None)

    def tolerated_grams(self) -> float | None:
        """After a result of reacting from a moderate or high serve, the largest serve tolerated."""
        if self.result not in ("moderate", "high"):
            return None
        return self.serves[LEVELS.index(self.result) - 1].grams


RESULT_WORDS = {"tolerated": "tolerated every serve", "low": "reacts from the low serve",
                "moderate": "reacts from the moderate serve", "high": "reacts from the high serve only"}


def summary(test: FoodTest, today: date) -> str:
    """One line for a healthcare provider: what was tested, how, and what it found."""
    serves = ", ".join(f"{s.level} {s.grams:g} g on {s.day.isoformat()}" for s in test.serves)
    found = (f"result: {RESULT_WORDS[test.result]} (recorded {test.result_day.isoformat() if test.result_day else ''})"
             if test.result else f"now: {phase(test, today)}")
    return (f"{test.item.replace('-', ' ')} ({test.kind}): {test.elimination_weeks} weeks without it from "
            f"{test.start.isoformat()}; serves of {test.food.replace('-', ' ')}: {serves}; {found}")


def schedule(start: date, weeks: int, washout: int, food: str, grams: Mapping[str, float]) -> tuple[Serve, ...]:
    """The three serves: the first the day the elimination ends, each next one after `washout`
    days without the food, so a late reaction (up to 72 h) is not taken for the next serve's."""
    first = start + timedelta(weeks=weeks)
    return tuple(Serve(level, first + timedelta(days=n * (washout + 1)), food, grams[level])
                 for n, level in enumerate(LEVELS))


def serve_grams(food: str, portion_grams: float) -> dict[str, float]:
    """The food's own test serves, else shares of its usual portion (to 5 g, at least 1 g)."""
    given = rules().serves.get(food)
    if given:
        return dict(given)
    return {level: max(1.0, round(portion_grams * share / 5) * 5) for level, share in rules().serve_shares.items()}


def phase(test: FoodTest, today: date, severe_since_resumed: bool = False) -> str:
    """Where the test stands today."""
    if test.stopped:
        return "stopped"
    if test.result:
        return "done"
    if test.paused or severe_since_resumed:
        return "paused"
    if today < test.reintroduction:
        return "elimination"
    if today <= test.ends:
        return "reintroduction"
    return "result due"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def severe_after(test: FoodTest, entries: Iterable[Entry]) -> Entry | None:
    """The first symptom at the pausing severity since the test started (or was resumed)."""
    since = max(datetime.combine(test.start, time(0), tzinfo=UTC), test.resumed_at or datetime.min.replace(tzinfo=UTC))
    return next((e for e in sorted(entries, key=lambda e: e.time) if e.kind == "symptom" and e.time >= since
                 and e.amount is not None and e.amount >= rules().pause_from_severity), None)


@dataclass(frozen=True)
class Reading:
    """What the diary says about each serve so far."""

    eaten: Mapping[str, datetime]  # level -> when the serve was logged as eaten
    reactions: Mapping[str, tuple[str, ...]]  # level -> symptoms that followed it
    suggested: str  # a result to offer, or "" while serves are still to come

    def reacted(self, level: str) -> bool:
        return bool(self.reactions.get(level))


def read_serves(test: FoodTest, entries: Sequence[Entry], today: date) -> Reading:
    """For each serve, whether it was logged as eaten and which symptoms (severity at least the
    reaction threshold) followed it within the reaction window; the first serve followed by one
    is where the member reacts from. A serve not logged as eaten is taken at noon of its day."""
    listed = rules()
    eaten: dict[str, datetime] = {}
    reactions: dict[str, tuple[str, ...]] = {}
    for serve in test.serves:
        logged = [e.time for e in entries if e.kind == "food" and e.item == serve.food and e.time.date() == serve.day]
        if logged:
            eaten[serve.level] = min(logged)
        at = eaten.get(serve.level, _at(serve.day))
        until = at + timedelta(hours=listed.reaction_hours)
        reactions[serve.level] = tuple(sorted({
            e.item for e in entries if e.kind == "symptom" and at < e.time <= until
            and e.amount is not None and e.amount >= listed.reaction_from_severity}))
    first = next((level for level in LEVELS if reactions[level]), "")
    if first:
        suggested = first
    elif today > test.ends:
        suggested = "tolerated"
    else:
        suggested = ""
    return Reading(eaten, reactions, suggested)


@dataclass(frozen=True)
class WeekServe:
    member: str
    serve: Serve
    test_id: int


@dataclass(frozen=True)
class WeekChanges:
    """What the household's tests change in one week's plan."""

    left_out: Mapping[str, frozenset[str]]  # member -> foods kept out of the meals they eat
    limits: Mapping[str, Mapping[str, float]]  # member -> food -> grams in a serving at most
    serves: tuple[WeekServe, ...]
    relax_prebiotic: bool
    notes: tuple[str, ...]  # in a family's words, for the week's page

    def __bool__(self) -> bool:
        return bool(self.left_out or self.limits or self.serves or self.relax_prebiotic)


def week_changes(tests: Iterable[FoodTest], week_start: date, prebiotic: frozenset[str],
                 paused: frozenset[int] = frozenset()) -> WeekChanges:
    """The changes for the week from week_start: tests running then leave the suspect out (and,
    unless paused, put their serves in); results recorded by then exclude or limit it."""
    week_end = week_start + timedelta(days=6)
    left_out: dict[str, set[str]] = {}
    limits: dict[str, dict[str, float]] = {}
    serves: list[WeekServe] = []
    relax = False
    notes: list[str] = []
    for test in tests:
        if test.stopped:
            continue
        if test.result:
            if test.result_day is not None and test.result_day > week_end:
                pass  # recorded after this week: the week still runs the test
            elif test.result == "low":
                left_out.setdefault(test.member, set()).update(test.left_out)
                notes.append(f"{test.member}'s meals leave out {test.item}: the food test found a reaction "
                             "from the smallest serve.")
                continue
            elif (grams := test.tolerated_grams()) is not None:
                for food in test.left_out:
                    limits.setdefault(test.member, {})[food] = grams
                notes.append(f"{test.member}'s meals keep {test.item} to {grams:g} g a serving, "
                             "the most the food test found tolerated.")
                continue
            else:
                continue  # tolerated: back in the plan
        if test.start > week_end or test.ends < week_start:
            continue
        left_out.setdefault(test.member, set()).update(test.left_out)
        if prebiotic & set(test.left_out):
            relax = True
        these = [] if test.id in paused else [s for s in test.serves if week_start <= s.day <= week_end]
        serves.extend(WeekServe(test.member, s, test.id) for s in these)
        what = f"{test.member}'s food test: {test.item} is left out of the meals {test.member} eats"
        notes.append(what + (", apart from the test serves." if these else "."))
    if relax:
        notes.append("The prebiotic target is relaxed while a prebiotic food is left out for a test.")
    return WeekChanges({m: frozenset(f) for m, f in left_out.items()},
                       {m: dict(f) for m, f in limits.items()}, tuple(serves), relax, tuple(notes))


def with_changes(profile: Profile, changes: WeekChanges) -> Profile:
    """The profile the week is planned with: each member's left-out foods and limits added."""
    if not changes:
        return profile

    def changed(member: Member) -> Member:
        out = changes.left_out.get(member.name, frozenset())
        limits = {**dict(member.limits), **changes.limits.get(member.name, {})}
        return replace(member, left_out=member.left_out | out, limits=tuple(sorted(limits.items())))
    targets = replace(profile.targets, prebiotic_per_day=0) if changes.relax_prebiotic else profile.targets
    return replace(profile, members=tuple(changed(m) for m in profile.members), targets=targets)
