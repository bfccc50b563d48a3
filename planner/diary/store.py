"""Diary entries in the database: added all at once or not at all, read back for one member and
a period. Health data: every read and write names the household it belongs to."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.clock import as_utc
from planner.diary.exchange import Row
from planner.models import DiaryEntry
from planner.plans.store import list_plans, list_profiles, profile_of
from planner.refused import NotFound
from planner.transaction import committed


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
            raise NotFound("No diary entry of yours has that number.")


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
