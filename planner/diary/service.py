"""One function per decision about a household's diary, for the pages, the API and the CLI."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from planner import catalog
from planner.diary import food_tests
from planner.diary.entries import HABIT_ENTRIES, TICKED_NOTE, Entry
from planner.diary.food_tests import FoodTest, Reading
from planner.diary.exchange import Row, read_rows, read_time
from planner.diary.patterns import Patterns, find_patterns
from planner.diary.store import add_rows, add_test, change_test, member_of, members_of, rows_of, test_of, tests_of
from planner.i18n import N_
from planner.plans.store import list_profiles, profile_of
from planner.refused import Conflict, Invalid


def import_text(session: Session, household_id: int, text: str, json_body: bool) -> int:
    """Add every row of a CSV or JSON diary file, or none."""
    members = members_of(session, household_id)
    if not members:
        raise Invalid(N_("Add your household's members in a profile first: each diary entry names one of them."))
    return add_rows(session, household_id, read_rows(text, members, json_body))


def checked_member(session: Session, household_id: int, member: str | None) -> str | None:
    """The member's name as the profiles spell it; Invalid for a name no profile has."""
    if not member:
        return None
    known = {m.lower(): m for m in members_of(session, household_id)}
    found = known.get(member.strip().lower())
    if found is None:
        raise Invalid(f"No member of your household is called {member[:40]!r}.", {"member": "Not a member."})
    return found


def entries_for_patterns(session: Session, household_id: int, rows: Sequence[Row]) -> list[Entry]:
    """The rows with what the catalog knows: a food's tags, a meal's foods and tags."""
    library = catalog.load(session, household_id)
    found = []
    for row in rows:
        tags: tuple[str, ...] = ()
        foods: tuple[str, ...] = ()
        item = row.item
        if row.kind == "food":
            slug = item if item in library.foods else library.names.get(item.lower())
            if slug is not None:
                item, tags = slug, tuple(library.foods[slug].get("tags", ()))
        elif row.kind == "meal" and item in library.dish_map:
            facts = library.dish_map[item].facts
            foods, tags = tuple(facts.foods), tuple(sorted(set(facts.tags) | set(facts.ingredient_tags)))
        found.append(Entry(time=row.time, kind=row.kind, item=item, amount=row.amount, unit=row.unit,
                           note=row.note, tags=tags, foods=foods))
    return found


def patterns_of(session: Session, household_id: int, member: str) -> Patterns:
    rows = rows_of(session, household_id, member)
    return find_patterns(entries_for_patterns(session, household_id, rows))


def period(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """?start= and ?end= as times (a date is its midnight, UTC); Invalid for what is neither."""
    found = []
    for name, raw in (("start", start), ("end", end)):
        try:
            found.append(read_time(raw) if raw else None)
        except ValueError as error:
            raise Invalid(f"{name}: {error}", {name: str(error)}) from None
    return found[0], found[1]


@dataclass(frozen=True)
class TestView:
    """A test as its page and the API show it today."""

    test: FoodTest
    phase: str
    reading: Reading
    severe: Entry | None  # the symptom that paused it, if one did
    caution: str  # what to know before testing this suspect ("" if nothing)


def _suspect_foods(library: catalog.Catalog, item: str) -> tuple[str, str, tuple[str, ...]]:
    """(kind, item, left-out foods) for what the member suspects: a food (with every food of the
    same plant, so garlic takes garlic granules with it) or a tag (every food carrying it)."""
    word = item.strip().lower()
    slug = word if word in library.foods else library.names.get(word)
    if slug is not None:
        key = library.foods[slug].get("plant_key")
        same = sorted(s for s, f in library.foods.items() if key and f.get("plant_key") == key) or [slug]
        return "food", slug, tuple(same)
    tagged = sorted(s for s, f in library.foods.items() if word in f.get("tags", ()) or word in f.get("allergens", ()))
    if word in food_tests.rules().tag_foods and tagged:
        return "tag", word, tuple(tagged)
    raise Invalid(f"{item[:60]!r} is not a food or a tag a test can serve: choose a food, or one of the tags "
                  f"{', '.join(sorted(food_tests.rules().tag_foods))}.", {"item": "Not a food or a testable tag."})


def _bounded(name: str, value: int | None, bounds: food_tests.Bounds, unit: str) -> int:
    if value is None:
        return bounds.default
    if not bounds.low <= value <= bounds.high:
        raise Invalid(f"Choose {bounds.low} to {bounds.high} {unit} ({bounds.source}).",
                      {name: f"{bounds.low} to {bounds.high} {unit}."})
    return value


def start_test(session: Session, household_id: int, member: str, item: str, *, start: date,
               weeks: int | None = None, washout: int | None = None, provider_agrees: bool = False) -> FoodTest:
    """Start a member's test of a suspect, checked first: never a food allergy; a child's only
    with a healthcare provider's agreement; one test at a time per member."""
    name = checked_member(session, household_id, member)
    person = member_of(session, household_id, name) if name else None
    if person is None:
        raise Invalid(N_("Choose a member of your household."), {"member": N_("Not a member.")})
    listed = food_tests.rules()
    library = catalog.load(session, household_id)
    kind, suspect, left_out = _suspect_foods(library, item)
    weeks = _bounded("weeks", weeks, listed.elimination_weeks, "weeks without it")
    washout = _bounded("washout", washout, listed.washout_days, "days between serves")
    food = suspect if kind == "food" else listed.tag_foods[suspect]
    record = library.foods.get(food)
    if record is None:
        raise Invalid(f"The test food {food} is not in your food database.")
    allergens = set(record.get("allergens", ())) | ({suspect} if kind == "tag" else set())
    # the member's own allergies, and those of every profile they belong to
    profiles = [profile_of(row) for row in list_profiles(session, household_id)]
    allergies = set(person.allergens).union(*(p.allergens for p in profiles
                                              if person.name in {m.name for m in p.members}))
    if allergens & allergies:
        raise Invalid(f"{person.name} is allergic to {', '.join(sorted(allergens & allergies))}. {listed.allergy}",
                      {"item": "An allergy: not tested at home."})
    if person.age < listed.min_age_years:
        raise Invalid(f"{person.name} is under {listed.min_age_years:g}: a baby meets new foods one at a time, with "
                      f"the health visitor's or GP's advice, not through a home test ({listed.min_age_source}).",
                      {"member": "Too young for a home test."})
    if person.age < listed.child_under_years and not provider_agrees:
        raise Invalid(f"{person.name} is a child: a test needs you to confirm that their doctor or dietitian agrees.",
                      {"provider_agrees": "Confirm that a healthcare provider agrees."})
    if abs((start - date.today()).days) > 366:
        raise Invalid(N_("Start a test within a year of today."), {"start": N_("Within a year of today.")})
    serves = food_tests.schedule(start, weeks, washout, food, food_tests.serve_grams(food, record["portion"]["grams"]))
    test = FoodTest(0, person.name, suspect, kind, start, weeks, washout, left_out, serves, provider_agrees)

    def one_at_a_time(tests: list[FoodTest]) -> None:
        if any(not t.stopped and not t.result for t in tests):
            raise Conflict(f"{person.name} already has a food test running: finish or stop it first, so each "
                           "result is clear.")
    return replace(test, id=add_test(session, household_id, test, one_at_a_time))


def _test_entries(session: Session, household_id: int, test: FoodTest) -> list[Entry]:
    """The member's diary since the test started."""
    rows = rows_of(session, household_id, test.member, datetime.combine(test.start, time(0), tzinfo=UTC))
    return entries_for_patterns(session, household_id, rows)


def _severe(session: Session, household_id: int, test: FoodTest) -> Entry | None:
    return food_tests.severe_after(test, _test_entries(session, household_id, test))


def view_test(session: Session, household_id: int, test_id: int, today: date) -> TestView:
    return view_of(session, household_id, test_of(session, household_id, test_id), today)


def view_of(session: Session, household_id: int, test: FoodTest, today: date) -> TestView:
    """The test as it stands today, with what the diary says about it."""
    entries = _test_entries(session, household_id, test)
    severe = food_tests.severe_after(test, entries)
    return TestView(test, food_tests.phase(test, today, severe is not None),
                    food_tests.read_serves(test, entries, today), severe,
                    food_tests.rules().cautions.get(test.item, ""))


def record_result(session: Session, household_id: int, test_id: int, version: int | None, result: str,
                  today: date) -> FoodTest:
    def recorded(test: FoodTest) -> dict[str, object]:
        if result not in food_tests.RESULTS:
            raise Invalid(f"The result is one of: {', '.join(food_tests.RESULTS)}.", {"result": "Not a result."})
        if test.stopped:
            raise Conflict(N_("This test was stopped: start a new one to test again."))
        if today < test.reintroduction:
            raise Conflict(f"The serves start on {test.reintroduction.isoformat()}: a result comes after them.")
        return {"result": result, "result_day": today, "paused": ""}
    return change_test(session, household_id, test_id, version, recorded)


def pause_test(session: Session, household_id: int, test_id: int, version: int | None, why: str) -> FoodTest:
    why = " ".join(why.split())[:300] or "A warning sign"
    return change_test(session, household_id, test_id, version, lambda test: {"paused": why})


def resume_test(session: Session, household_id: int, test_id: int, version: int | None,
                provider_agrees: bool) -> FoodTest:
    """Carry on after a pause, only once a healthcare provider has said it is fine."""
    def resumed(test: FoodTest) -> dict[str, object]:
        if not provider_agrees:
            raise Invalid(N_("Carry on only after a doctor has seen the warning sign and agrees: confirm that they "
                             "do."), {"provider_agrees": N_("Confirm that a healthcare provider agrees.")})
        return {"paused": "", "resumed_at": datetime.now(UTC)}
    return change_test(session, household_id, test_id, version, resumed)


def stop_test(session: Session, household_id: int, test_id: int, version: int | None) -> FoodTest:
    return change_test(session, household_id, test_id, version, lambda test: {"stopped": True})


def week_changes_for(session: Session, household_id: int | None, week_start: date) -> food_tests.WeekChanges:
    """What the household's tests change in the week from week_start."""
    tests = tests_of(session, household_id) if household_id is not None else []
    if household_id is None or not tests:  # most households: nothing to work out
        return food_tests.week_changes((), week_start, frozenset())
    library = catalog.load(session, household_id)
    prebiotic = frozenset(s for s, f in library.foods.items() if "prebiotic" in f.get("tags", ()))
    paused = frozenset(t.id for t in tests if not t.stopped and not t.result
                       and (t.paused or _severe(session, household_id, t) is not None))
    return food_tests.week_changes(tests, week_start, prebiotic, paused)


def save_habit_ticks(session: Session, household_id: int, member: str, ticks: Sequence[str]) -> int:
    """The week plan's habit ticks ("2026-12-07:move-daily") as diary entries for the member, each
    day's habit once however often the ticks are saved; returns how many were added."""
    name = checked_member(session, household_id, member)
    if name is None:
        raise Invalid(N_("Choose whose habits these are."), {"member": N_("Needed.")})
    wanted: dict[tuple[date, str], tuple[str, float, str]] = {}
    for tick in ticks:
        day_text, _, habit = tick.partition(":")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise Invalid(f"{tick[:40]!r} is not a day and a habit.") from None
        if habit not in HABIT_ENTRIES:
            raise Invalid(f"{habit[:40]!r} is not a habit the diary records.")
        wanted[(day, habit)] = HABIT_ENTRIES[habit]
    if not wanted:
        raise Invalid(N_("Tick at least one habit."))
    first, last = min(d for d, _ in wanted), max(d for d, _ in wanted)
    kept = {(r.time.date(), r.kind) for r in rows_of(session, household_id, name,
                                                     datetime.combine(first, time(0), tzinfo=UTC),
                                                     datetime.combine(last + timedelta(days=1), time(0), tzinfo=UTC))
            if r.note == TICKED_NOTE}
    rows = [Row(name, datetime.combine(day, time(21), tzinfo=UTC), kind, kind, amount, unit, TICKED_NOTE)
            for (day, _), (kind, amount, unit) in sorted(wanted.items()) if (day, kind) not in kept]
    return add_rows(session, household_id, rows) if rows else 0
