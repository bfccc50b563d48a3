"""What the plan faces (pages, API, CLI) share: read a profile, make, change and show a plan.

Every function takes a session; saving is done in one transaction by planner.plans.store.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from planner.foods.store import search_index
from planner.models import Plan as PlanRow
from planner.plans import store
from planner.plans.generate import Plan, alternatives, generate, regenerate, swap
from planner.plans.profile import Profile, profile_from_dict
from planner.plans.present import plan_json
from planner.plans.problem import Slot
from planner.recipes.store import dishes, food_map


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7)


def known_foods(session: Session, viewer: int | None = None) -> dict[str, str]:
    """What a person may write to exclude a food: its slug, name or a synonym (lower case)."""
    found: dict[str, str] = {}
    for record in search_index(session, viewer).records():
        for text in (record["slug"], record["name"], *record.get("synonyms", [])):
            found.setdefault(text.lower(), record["slug"])
    return found


def parse_profile(session: Session, data: Any, viewer: int | None = None) -> Profile:
    return profile_from_dict(data, known_foods(session, viewer))


def create_plan(session: Session, profile: Profile, week_start: date,
                profile_id: int | None = None, household_id: int | None = None) -> tuple[PlanRow, Plan]:
    plan = generate(profile, week_start, dishes(session))
    return store.save_plan(session, plan, profile_id, household_id), plan


def payload(session: Session, row: PlanRow, plan: Plan | None = None) -> dict[str, Any]:
    return plan_json(plan or store.plan_of(session, row), food_map(session), row.id)


def toggle_lock(session: Session, row: PlanRow, slot: Slot) -> Plan:
    plan = store.plan_of(session, row)
    plan.locked ^= {slot}
    store.update_plan(session, row, plan)
    return plan


def redo(session: Session, row: PlanRow, slots: list[Slot]) -> Plan:
    current = store.plan_of(session, row)
    plan = regenerate(current.problem.profile, row.week_start, dishes(session), current.assignment,
                      current.locked, slots)
    store.update_plan(session, row, plan)
    return plan


def offer(session: Session, row: PlanRow, slot: Slot, limit: int = 5) -> tuple[Plan, list]:
    plan = store.plan_of(session, row)
    return plan, alternatives(plan, slot, limit)


def put(session: Session, row: PlanRow, slot: Slot, slug: str) -> Plan:
    plan = swap(store.plan_of(session, row), slot, slug)
    store.update_plan(session, row, plan)
    return plan

