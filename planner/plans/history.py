"""Changes a family can take back, and a week asked for twice.

- Deleting a week hides it at once and keeps it KEEP_DELETED to be brought back; weeks deleted
  longer ago than that go for good the next time a week is deleted.
- Before the whole week is redone, the meals as they are are remembered on the plan (Plan.undo),
  and after it, what the redo made; undo puts the remembered week back exactly and forgets it,
  unless someone has changed the week since the redo (their change would be lost).
- A week that already exists for a profile is found, so the pages can offer it instead of a twin.

Pure functions on a Session, no Flask. Each change is one transaction; those that read a plan to
write back what they worked out from it take their turn with store.changing_plan inside
serialised(), so two people acting at once both land, one after the other.
"""
from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete as sql_delete, select
from sqlalchemy.orm import Session

from planner.clock import utc_now
from planner.i18n import N_
from planner.models import Plan as PlanRow, PlanSlot, Recipe, RecipeIngredient, ShoppingMark
from planner.plans import store
from planner.plans.generate import Plan
from planner.refused import Conflict, NotFound
from planner.transaction import latest, serialised

KEEP_DELETED = timedelta(days=30)
# What "the week" is: every meal's row, and the plan's own record of how it was planned.
SLOT_COLUMNS = ("day", "meal", "position", "recipe_id", "servings", "locked", "sides", "cooked_day", "cooked_meal")
PLAN_COLUMNS = ("snapshot", "solver_status", "solver_seconds", "solver_gap", "objective")


class NothingToUndo(Conflict):
    """The week has no remembered meals: it was undone already, or never redone."""


class CannotUndo(Conflict):
    """A recipe the remembered week used has been removed since."""


class ChangedSince(Conflict):
    """The week was changed after it was redone: putting it back would undo that change too."""


class NotDeleted(NotFound):
    """There is no deleted week with that id for this household (brought back already, or gone)."""


def delete(session: Session, row: PlanRow, now: datetime | None = None) -> None:
    """Delete a week softly: it leaves every list and page at once and can be restored for
    KEEP_DELETED; the household's weeks deleted longer ago than that are removed for good."""
    now = now or utc_now()
    with serialised(session):
        current = session.scalar(latest(select(PlanRow).where(PlanRow.id == row.id)))
        if current is None:
            return  # removed for good meanwhile: nothing left to hide
        if current.deleted_at is None:
            current.deleted_at = now
        purge(session, current.household_id, now)


def purge(session: Session, household_id: int | None, now: datetime | None = None) -> int:
    """Remove for good the household's weeks deleted more than KEEP_DELETED ago (in the caller's
    transaction). Returns how many went."""
    cutoff = (now or utc_now()) - KEEP_DELETED
    old = list(session.scalars(select(PlanRow).where(
        PlanRow.household_id == household_id, PlanRow.deleted_at.is_not(None), PlanRow.deleted_at < cutoff)))
    for row in old:
        session.delete(row)
    return len(old)


def restore(session: Session, plan_id: int, household_id: int | None) -> PlanRow:
    """Bring a deleted week back (NotDeleted when there is none to bring back)."""
    with serialised(session):
        row = session.scalar(latest(store.owned(
            select(PlanRow).where(PlanRow.id == plan_id, PlanRow.deleted_at.is_not(None)), PlanRow, household_id)))
        if row is None:
            raise NotDeleted("There is no deleted week to bring back: it was brought back already, "
                             f"or deleted more than {KEEP_DELETED.days} days ago.")
        row.deleted_at = None
    return row


def owns(session: Session, plan_id: int, household_id: int | None) -> bool:
    """Whether the household has this week, deleted or not."""
    found = session.scalar(store.owned(select(PlanRow.id).where(PlanRow.id == plan_id), PlanRow, household_id))
    return found is not None


def week_of(row: PlanRow) -> dict[str, Any]:
    """The week as it stands, as JSON: every meal's columns and the plan's record of its planning."""
    return {
        "slots": [{name: copy.deepcopy(getattr(slot, name)) for name in SLOT_COLUMNS} for slot in row.slots],
        "plan": {name: copy.deepcopy(getattr(row, name)) for name in PLAN_COLUMNS},
    }


def remember(session: Session, plan_id: int) -> None:
    """Keep the week as it is now on the plan, before a change of many meals at once, to undo it.
    Read as it stands when this change's turn comes, so a change that landed just before is kept."""
    with serialised(session):
        row = store.changing_plan(session, plan_id)
        row.undo = week_of(row)


def _meals_of_row(row: PlanRow) -> list[list[Any]]:
    return sorted([slot.day, slot.meal, slot.recipe.slug, bool(slot.locked)] for slot in row.slots)


def _meals_of_plan(plan: Plan) -> list[list[Any]]:
    return sorted([slot.day, slot.meal, slug, slot in plan.locked] for slot, slug in plan.assignment.items())


def redone(session: Session, plan_id: int, plan: Plan) -> None:
    """Note on the remembered week what the redo made of it (`plan`, its result, not a fresh read),
    so undo can tell whether anyone has changed the week since: then it would lose their change."""
    with serialised(session):
        row = store.changing_plan(session, plan_id)
        if row.undo:
            row.undo = {**row.undo, "after": _meals_of_plan(plan)}


def undo(session: Session, plan_id: int) -> PlanRow:
    """Put the remembered week back exactly (meals, locks, sides, leftovers, and how it was
    planned) and forget it. Shopping-list ticks stay for the foods the week needs again."""
    with serialised(session):
        row = store.changing_plan(session, plan_id)
        kept = row.undo or {}
        slots = kept.get("slots") or []
        if not slots:
            raise NothingToUndo(N_("There is nothing to undo on this week: it has been put back already."))
        after = kept.get("after")
        if after is not None and after != _meals_of_row(row):
            raise ChangedSince(N_("The week has been changed since it was redone, and undo would lose that change. "
                               "Change the meals you want back one at a time."))
        wanted = {slot["recipe_id"] for slot in slots}
        there = set(session.scalars(select(Recipe.id).where(Recipe.id.in_(wanted))))
        if wanted - there:
            raise CannotUndo(N_("A recipe this week had before has been removed since, "
                             "so the week cannot be put back as it was."))
        row.slots.clear()
        session.flush()  # the new week's rows go before the old ones take back their (day, meal)
        row.slots.extend(PlanSlot(**{name: slot.get(name) for name in SLOT_COLUMNS}) for slot in slots)
        for name in PLAN_COLUMNS:
            setattr(row, name, (kept.get("plan") or {}).get(name, getattr(row, name)))
        row.undo = None
        session.flush()
        needed = select(RecipeIngredient.food_id).where(RecipeIngredient.recipe_id.in_(wanted))
        session.execute(sql_delete(ShoppingMark).where(ShoppingMark.plan_id == row.id,
                                                       ShoppingMark.food_id.not_in(needed)))
    return row


def same_week(session: Session, profile_id: int | None, week_start: date,
              household_id: int | None) -> PlanRow | None:
    """The household's latest week (not deleted) for this profile starting that day, if any."""
    return session.scalar(store.owned(
        select(PlanRow).where(PlanRow.profile_id == profile_id, PlanRow.week_start == week_start,
                              PlanRow.deleted_at.is_(None)), PlanRow, household_id)
        .order_by(PlanRow.id.desc()).limit(1))
