"""Diary entries in the database: added all at once or not at all, read back for one member and
a period. Health data: every read and write names the household it belongs to."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.clock import as_utc
from planner.diary.exchange import Row
from planner.diary.food_tests import FoodTest, Serve
from planner.i18n import N_
from planner.models import DiaryEntry, FoodTest as FoodTestRow, Household
from planner.plans.profile import Member
from planner.plans.store import list_plans, list_profiles, profile_of
from planner.refused import Conflict, NotFound
from planner.transaction import committed, latest, serialised


def members_of(session: Session, household_id: int) -> list[str]:
    """The names of the household's members, over all its profiles, each once."""
    names: dict[str, str] = {}
    for row in list_profiles(session, household_id):
        for member in profile_of(row).members:
            names.setdefault(member.name.lower(), member.name)
    return list(names.values())


def add_rows(session: Session, household_id: int, rows: Sequence[Row]) -> int:
    with committed(session):
        session.add_all(DiaryEntry(household_id=household_id, member=r.member, time=r.time, kind=r.kind,
                                   item=r.item, amount=r.amount, unit=r.unit, note=r.note) for r in rows)
    return len(rows)


def rows_of(session: Session, household_id: int, member: str | None = None, start: datetime | None = None,
            end: datetime | None = None) -> list[Row]:
    """The household's entries (one member's, if named) from start up to end, oldest first."""
    query = select(DiaryEntry).where(DiaryEntry.household_id == household_id)
    if member:
        query = query.where(DiaryEntry.member == member)
    if start:
        query = query.where(DiaryEntry.time >= start)
    if end:
        query = query.where(DiaryEntry.time < end)
    return [Row(e.member, as_utc(e.time), e.kind, e.item, e.amount, e.unit, e.note, e.id)
            for e in session.scalars(query.order_by(DiaryEntry.time, DiaryEntry.id))]


def delete_entry(session: Session, household_id: int, entry_id: int) -> None:
    with committed(session):
        gone = session.execute(delete(DiaryEntry).where(DiaryEntry.id == entry_id,
                                                        DiaryEntry.household_id == household_id))
        if not gone.rowcount:  # type: ignore[attr-defined]  # a DML result has rowcount
            raise NotFound(N_("No diary entry of yours has that number."))


@dataclass(frozen=True)
class PlannedMeal:
    meal: str  # breakfast, lunch ...
    slug: str
    title: str


def planned_on(session: Session, household_id: int, day: date) -> list[PlannedMeal]:
    """The meals the household's latest week covering the day plans for it, in the day's order."""
    for plan in list_plans(session, household_id):
        offset = (day - plan.week_start).days
        if 0 <= offset < 7:
            slots = sorted((s for s in plan.slots if s.day == offset), key=lambda s: s.position)
            return [PlannedMeal(s.meal, s.recipe.slug, s.recipe.title) for s in slots]
    return []


def member_of(session: Session, household_id: int, name: str) -> Member | None:
    """The member as the first of the household's profiles that has them describes them."""
    for row in list_profiles(session, household_id):
        for member in profile_of(row).members:
            if member.name.lower() == name.lower():
                return member
    return None


def _test_record(row: FoodTestRow) -> FoodTest:
    return FoodTest(row.id, row.member, row.item, row.kind, row.start, row.elimination_weeks, row.washout_days,
                    tuple(row.left_out), tuple(Serve(s["level"], date.fromisoformat(s["day"]), s["food"],
                                                     float(s["grams"])) for s in row.serves),
                    row.provider_agrees, row.paused, as_utc(row.resumed_at) if row.resumed_at else None,
                    row.stopped, row.result, row.result_day, row.version)


def tests_of(session: Session, household_id: int, member: str | None = None) -> list[FoodTest]:
    """The household's food tests (one member's, if named), newest first."""
    query = select(FoodTestRow).where(FoodTestRow.household_id == household_id)
    if member:
        query = query.where(FoodTestRow.member == member)
    return [_test_record(row) for row in session.scalars(query.order_by(FoodTestRow.start.desc(),
                                                                        FoodTestRow.id.desc()))]


def test_of(session: Session, household_id: int, test_id: int) -> FoodTest:
    row = session.scalar(select(FoodTestRow).where(FoodTestRow.id == test_id,
                                                   FoodTestRow.household_id == household_id))
    if row is None:
        raise NotFound(N_("No food test of yours has that number."))
    return _test_record(row)


def add_test(session: Session, household_id: int, test: FoodTest, running: Callable[[list[FoodTest]], None]) -> int:
    """Store a new test; `running` sees the member's tests as they are once nobody else can add
    one, and refuses (raises) when another is still running."""
    with serialised(session):
        session.execute(latest(select(Household.id).where(Household.id == household_id)))
        running(tests_of(session, household_id, test.member))
        row = FoodTestRow(
            household_id=household_id, member=test.member, item=test.item, kind=test.kind, start=test.start,
            elimination_weeks=test.elimination_weeks, washout_days=test.washout_days, left_out=list(test.left_out),
            serves=[{"level": s.level, "day": s.day.isoformat(), "food": s.food, "grams": s.grams}
                    for s in test.serves], provider_agrees=test.provider_agrees)
        session.add(row)
    return row.id


def change_test(session: Session, household_id: int, test_id: int, version: int | None,
                change: Callable[[FoodTest], dict[str, object]]) -> FoodTest:
    """Apply a change (the columns to set, worked out from the test as it is now) to a test, one
    change at a time; a page opened before another change (an older version) is refused."""
    with serialised(session):
        row = session.scalar(latest(select(FoodTestRow).where(FoodTestRow.id == test_id,
                                                              FoodTestRow.household_id == household_id)))
        if row is None:
            raise NotFound(N_("No food test of yours has that number."))
        if version is not None and version != row.version:
            raise Conflict(N_("Someone changed this test meanwhile: here it is as it is now."))
        for name, value in change(_test_record(row)).items():
            setattr(row, name, value)
        row.version += 1
    return _test_record(row)
