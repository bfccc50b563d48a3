"""What the plan faces (pages, API, CLI) share: read a profile, make, change and show a plan.

Every function takes a session; saving is done in one transaction by planner.plans.store.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from planner import catalog
from planner.diary.food_tests import WeekChanges, with_changes
from planner.diary.service import week_changes_for
from planner.foods.records import Record
from planner.models import Plan as PlanRow
from planner.plans import store
from planner.plans.costs import shop_costs
from planner.plans.liking import Family
from planner.plans.ratings import ratings_of
from planner.plans.generate import Alternative, Plan, alternatives, generate, regenerate, swap
from planner.plans.profile import Profile, profile_from_dict
from planner.plans.present import plan_json
from planner.plans.problem import Slot
from planner.plans.saved import changes
from planner.plans.words import meaning
from planner.refused import Invalid


# The days a plan or a list may cover: wide enough for any real week, and far from the ends
# of the calendar, where a week's last day would be no date at all.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2200, 12, 31)


class DayOutOfRange(Invalid):
    """A day outside the years plans and lists cover."""


def out_of_range(day: date) -> str | None:
    """Why a day cannot start or end a plan or a list, or None when it can."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"Choose a day in the years {FIRST_DAY.year} to {LAST_DAY.year}."


def check_day(day: date, field: str) -> date:
    """The day, or DayOutOfRange with the message beside `field`."""
    problem = out_of_range(day)
    if problem:
        raise DayOutOfRange(problem, {field: problem})
    return day


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7)


def parse_profile(session: Session, data: Any, household_id: int | None = None) -> Profile:
    """A profile as people typed it: words for foods are looked up in the household's foods."""
    library = catalog.load(session, household_id)

    def understand(word: str) -> tuple[frozenset[str] | None, tuple[str, ...]]:
        found = meaning(word, library.foods, library.names)
        return (None if found.kind == "unknown" else frozenset(found.foods)), found.suggestions
    return profile_from_dict(data, understand)


def create_plan(session: Session, profile: Profile, week_start: date,
                profile_id: int | None = None, household_id: int | None = None) -> tuple[PlanRow, Plan]:
    check_day(week_start, "week_start")
    store.room_for(session, PlanRow, household_id)
    library = catalog.load(session, household_id)
    tests = week_changes_for(session, household_id, week_start)
    plan = generate(with_changes(profile, tests), week_start, library.dishes,
                    family=family_of(session, household_id, week_start), shop=shop_costs(library.foods))
    return store.save_plan(session, plan, library.foods, profile_id, household_id,
                           tests_json(tests, library.foods)), plan


def tests_json(changes: WeekChanges, foods: Mapping[str, Record]) -> dict[str, Any] | None:
    """What a week keeps of its food tests: the serves by day, and the notes."""
    if not changes:
        return None
    return {"serves": [{"member": w.member, "test": w.test_id, "level": w.serve.level, "day": w.serve.day.isoformat(),
                        "food": w.serve.food, "name": foods[w.serve.food]["name"], "grams": w.serve.grams}
                       for w in changes.serves],
            "notes": list(changes.notes)}


def family_of(session: Session, household_id: int | None, week_start: date) -> Family:
    """What the household has said (ratings) and had (its weeks) that the planner weighs."""
    recent, known = store.planned_dishes(session, household_id, week_start)
    return Family(ratings_of(session, household_id), recent, known)


def payload(session: Session, row: PlanRow, plan: Plan | None = None) -> dict[str, Any]:
    """The week's JSON, shown from what was saved; `changes` lists the meals that today's recipes
    or rules no longer agree with, each of which can be redone."""
    library = catalog.load(session, row.household_id)
    kept = store.kept(row, library)
    plan = plan or store.plan_of(row, library, kept)
    data = plan_json(plan, {**library.foods, **kept.foods}, row.id)
    data["food_tests"] = row.food_tests or {"serves": [], "notes": []}
    data["changes"] = [{"day": c.slot.day, "meal": c.slot.meal, "title": c.title, "reason": c.reason}
                       for c in changes(plan, library.dish_map)]
    return data


def _change(session: Session, row: PlanRow, change: Callable[[Plan], Plan]) -> Plan:
    """Apply a change to the week as it is stored now, against today's recipes, and save it."""
    def changed(current: PlanRow) -> tuple[Plan, dict[str, Record]]:
        library = catalog.load(session, current.household_id)
        family = family_of(session, current.household_id, current.week_start)
        return change(store.live_plan(current, library, family)), {**store.kept(current, library).foods,
                                                                    **library.foods}
    return store.change_plan(session, row.id, changed)


def set_lock(session: Session, row: PlanRow, slot: Slot, locked: bool | None) -> bool:
    """Lock or unlock one meal (None flips it); the rest of the week is left as it is.
    Returns whether the meal is now locked."""
    return store.set_slot_lock(session, row.id, slot, locked)


def redo(session: Session, row: PlanRow, slots: list[Slot]) -> Plan:
    return _change(session, row, lambda current: regenerate(
        current, current.problem.offered(), slots, retired=current.problem.retired_dishes()))


def redo_changed(session: Session, row: PlanRow) -> Plan:
    """Redo every unlocked meal that today's recipes or rules no longer agree with."""
    library = catalog.load(session, row.household_id)
    return redo(session, row, [c.slot for c in changes(store.plan_of(row, library), library.dish_map)])


def offer(session: Session, row: PlanRow, slot: Slot, limit: int = 5) -> tuple[Plan, list[Alternative]]:
    family = family_of(session, row.household_id, row.week_start)
    plan = store.live_plan(row, catalog.load(session, row.household_id), family)
    return plan, alternatives(plan, slot, limit)


def put(session: Session, row: PlanRow, slot: Slot, slug: str) -> Plan:
    return _change(session, row, lambda plan: swap(plan, slot, slug))
