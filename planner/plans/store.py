"""Saving plans and eating profiles, and loading a saved plan back into a Plan."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import math
from collections.abc import Callable, Mapping

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload

from planner.catalog import Catalog
from planner.foods.records import Record
from planner.models import (Food, Profile as ProfileRow, Plan as PlanRow, PlanSlot, Recipe, RecipeIngredient,
                            ShoppingMark)
from planner.plans.costs import shop_costs
from planner.plans.generate import Plan
from planner.plans.liking import Family
from planner.plans.profile import Profile, fibre_ramp_kept, profile_from_dict
from planner.plans.problem import Slot, build_problem
from planner.plans.saved import Snapshot, saved_plan, snapshot
from planner.plans.solver import SolveResult
from planner.refused import Conflict, NotFound, TooLarge
from planner.transaction import committed, latest, serialised


def _write_slots(session: Session, row: PlanRow, plan: Plan, foods: Mapping[str, Record]) -> None:
    recipe_ids = {slug: id_ for slug, id_ in session.execute(select(Recipe.slug, Recipe.id))}
    meals = plan.problem.profile.meals
    cooked = plan.cooked
    row.slots = [
        PlanSlot(day=slot.day, meal=slot.meal, position=meals.index(slot.meal), recipe_id=recipe_ids[slug],
                 servings=plan.problem.servings(slot), locked=slot in plan.locked,
                 sides=list(plan.sides.get(slot, ())) or None,
                 cooked_day=None if cooked[slot] == slot else cooked[slot].day,
                 cooked_meal=None if cooked[slot] == slot else cooked[slot].meal)
        for slot, slug in sorted(plan.assignment.items())
    ]
    used = {*plan.assignment.values(), *(side for sides in plan.sides.values() for side in sides)}
    planned = {slug: plan.problem.dishes[slug].recipe for slug in sorted(used)}
    row.snapshot = snapshot(planned.values(), foods).as_json()
    row.solver_status = plan.solver.status
    row.solver_seconds = plan.solver.seconds
    row.solver_gap = None if math.isnan(plan.solver.gap) else plan.solver.gap
    row.objective = plan.solver.objective


def owned(statement: Select, model: type[PlanRow] | type[ProfileRow], household_id: int | None) -> Select:
    """Limit a query to one household's rows. None is the command line, run by whoever runs the
    server, which may reach every household's rows; web faces always pass the signed-in household."""
    return statement if household_id is None else statement.where(model.household_id == household_id)


# A household keeps at most this many weeks and profiles: years of weekly plans, and more profiles
# than any family needs; enough to stop one account filling the database.
MAX_PLANS = 2000
MAX_PROFILES = 100


def room_for(session: Session, model: type[PlanRow] | type[ProfileRow], household_id: int | None) -> None:
    """TooLarge when the household keeps as many plans (or profiles) as it may: checked before a
    week is worked out, not after."""
    most = MAX_PLANS if model is PlanRow else MAX_PROFILES
    counted = select(func.count(model.id)).where(model.household_id == household_id)
    if model is PlanRow:  # a deleted week waits to be purged, and does not count
        counted = counted.where(PlanRow.deleted_at.is_(None))
    kept = session.scalar(counted) or 0
    if household_id is not None and kept >= most:
        what = "weeks" if model is PlanRow else "profiles"
        raise TooLarge(f"A household keeps at most {most} {what}. Delete some you no longer need first.")


def save_plan(session: Session, plan: Plan, foods: Mapping[str, Record], profile_id: int | None = None,
              household_id: int | None = None, food_tests: dict[str, Any] | None = None) -> PlanRow:
    """Store a new plan in one transaction, with the recipes and foods it was planned with (and
    what food tests changed in it)."""
    with committed(session):
        row = PlanRow(household_id=household_id, profile_id=profile_id, week_start=plan.problem.week_start,
                      profile_data=plan.problem.profile.to_dict(), food_tests=food_tests)
        _write_slots(session, row, plan, foods)
        session.add(row)
    return row


def change_plan(session: Session, plan_id: int,
                change: Callable[[PlanRow], tuple[Plan, Mapping[str, Record]]]) -> Plan:
    """Work a change out from the stored plan as it is now and replace its slots with the result
    (with the foods to keep), one change to a plan at a time, in one transaction: two changes
    made at once both land, the second on top of the first. Shopping-list ticks and removals
    stay for the foods the new week still needs; the rest go."""
    with serialised(session):
        row = changing_plan(session, plan_id)
        plan, foods = change(row)
        row.slots.clear()
        session.flush()  # the old slots go before the new ones take their (day, meal)
        _write_slots(session, row, plan, foods)
        session.flush()
        sides = {side for slot in row.slots for side in slot.sides or ()}
        side_ids = select(Recipe.id).where(Recipe.slug.in_(sides))
        needed = select(RecipeIngredient.food_id).where(
            RecipeIngredient.recipe_id.in_({slot.recipe_id for slot in row.slots})
            | RecipeIngredient.recipe_id.in_(side_ids))
        served = {serve["food"] for serve in (row.food_tests or {}).get("serves", [])}
        session.execute(delete(ShoppingMark).where(ShoppingMark.plan_id == row.id, ShoppingMark.food_id.not_in(needed),
                                                   ShoppingMark.food_id.not_in(select(Food.id).where(
                                                       Food.slug.in_(served)))))
    return plan


def _plan_query(plan_id: int, household_id: int | None) -> Select:
    return (owned(select(PlanRow).where(PlanRow.id == plan_id), PlanRow, household_id)
            .options(selectinload(PlanRow.slots).selectinload(PlanSlot.recipe)))


def get_plan_row(session: Session, plan_id: int, household_id: int | None = None) -> PlanRow | None:
    """The week to show or change; a deleted week is not found (planner.plans.history restores it)."""
    return session.scalar(_plan_query(plan_id, household_id).where(PlanRow.deleted_at.is_(None)))


class PlanGone(NotFound):
    """The plan was deleted while a change to it waited its turn."""


def changing_plan(session: Session, plan_id: int) -> PlanRow:
    """Inside serialised(): the plan as it is now, with its slots, held until the commit so that
    changes to one plan happen one after another and each starts from the one before."""
    row = session.scalar(latest(_plan_query(plan_id, None)))
    if row is None:
        raise PlanGone(f"There is no plan {plan_id}; it may have been deleted.")
    return row


class SlotGone(NotFound):
    """The plan has no meal at that day and slot."""


def set_slot_lock(session: Session, plan_id: int, slot: Slot, locked: bool | None) -> bool:
    """Lock (True) or unlock (False) one meal, or flip it (None, for a form from before the
    choice was explicit); only that meal's row changes. Returns whether it is now locked."""
    with serialised(session):
        row = changing_plan(session, plan_id)
        found = next((s for s in row.slots if (s.day, s.meal) == (slot.day, slot.meal)), None)
        if found is None:
            raise SlotGone(f"The plan has no {slot.meal} on day {slot.day + 1}.")
        found.locked = (not found.locked) if locked is None else locked
    return found.locked


def _assignment(row: PlanRow) -> tuple[dict[Slot, str], set[Slot]]:
    return {Slot(s.day, s.meal): s.recipe.slug for s in row.slots}, {Slot(s.day, s.meal) for s in row.slots if s.locked}


def _sides_and_cooking(row: PlanRow) -> tuple[dict[Slot, tuple[str, ...]], dict[Slot, Slot]]:
    """Each meal's sides, and where each meal's dish was cooked (itself, or the meal it is leftovers of)."""
    sides = {Slot(s.day, s.meal): tuple(s.sides) for s in row.slots if s.sides}
    cooked = {Slot(s.day, s.meal): (Slot(s.cooked_day, s.cooked_meal) if s.cooked_day is not None and s.cooked_meal
                                    else Slot(s.day, s.meal)) for s in row.slots}
    return sides, cooked


def kept(row: PlanRow, library: Catalog) -> Snapshot:
    """The recipes and foods the week was planned with (a plan saved before snapshots were kept
    reads today's)."""
    if row.snapshot is not None:
        return Snapshot.from_json(row.snapshot)
    slugs = set(_assignment(row)[0].values())
    return snapshot([d.recipe for d in library.dishes if d.slug in slugs], library.foods)


def plan_of(row: PlanRow, library: Catalog, planned: Snapshot | None = None) -> Plan:
    """The saved week as it was planned, whatever has changed since (`planned`: its kept
    recipes and foods, when the caller has read them already)."""
    assignment, locked = _assignment(row)
    sides, cooked = _sides_and_cooking(row)
    solver = SolveResult(assignment, row.solver_status, row.solver_seconds,
                         float("nan") if row.solver_gap is None else row.solver_gap, row.objective, sides, cooked)
    return saved_plan(profile_from_dict(row.profile_data), row.week_start, assignment, locked, solver,
                      planned or kept(row, library), library.dishes, library.rules)


def live_plan(row: PlanRow, library: Catalog, family: Family | None = None) -> Plan:
    """The saved week against today's recipes and rules, to change it: a kept meal whose recipe
    is gone stays as planned until it is redone."""
    saved = plan_of(row, library)
    retired = [d for slug, d in saved.problem.dishes.items() if slug not in library.dish_map]
    problem = build_problem(saved.problem.profile, row.week_start, library.dishes,
                            fixed={s: saved.assignment[s] for s in saved.locked}, retired=retired,
                            family=family, shop=shop_costs(library.foods))
    return Plan(problem, saved.assignment, saved.solver, saved.locked)


def list_plans(session: Session, household_id: int | None = None) -> list[PlanRow]:
    """The household's weeks, latest first; deleted weeks are left out."""
    return list(session.scalars(owned(select(PlanRow).where(PlanRow.deleted_at.is_(None)), PlanRow, household_id)
                                .order_by(PlanRow.week_start.desc(), PlanRow.id.desc())))


class ProfileChanged(Conflict):
    """The profile was saved elsewhere after the form being saved was opened."""

    def __init__(self, row: ProfileRow):
        super().__init__("This profile was changed elsewhere since you opened it: here is the latest; "
                         "make your change again.")
        self.latest = row  # the profile as saved now, to show


def save_profile(session: Session, profile: Profile, row: ProfileRow | None = None,
                 household_id: int | None = None, version: int | None = None) -> ProfileRow:
    """Store a new profile, or a change to `row` made from its `version`: refused with
    ProfileChanged when it has been saved since, so nobody's change is silently undone."""
    if row is None:
        room_for(session, ProfileRow, household_id)
        with committed(session):
            row = ProfileRow(household_id=household_id, version=1)
            row.name, row.data = profile.name, fibre_ramp_kept(profile, None, date.today()).to_dict()
            session.add(row)
        return row
    with serialised(session):
        row = changing_profile(session, row.id)
        if version != row.version:
            raise ProfileChanged(row)
        row.name, row.data = profile.name, fibre_ramp_kept(profile, profile_of(row), date.today()).to_dict()
        row.version += 1
    return row


def changing_profile(session: Session, profile_id: int) -> ProfileRow:
    """Inside serialised(): the profile as it is now, held until the commit."""
    row = session.scalar(latest(select(ProfileRow).where(ProfileRow.id == profile_id)))
    if row is None:
        raise NotFound(f"There is no profile {profile_id}; it may have been deleted.")
    return row


def list_profiles(session: Session, household_id: int | None = None) -> list[ProfileRow]:
    return list(session.scalars(owned(select(ProfileRow), ProfileRow, household_id)
                                .order_by(ProfileRow.name, ProfileRow.id)))


def get_profile(session: Session, profile_id: int, household_id: int | None = None) -> ProfileRow | None:
    return session.scalar(owned(select(ProfileRow).where(ProfileRow.id == profile_id),
                                ProfileRow, household_id))


def profile_of(row: ProfileRow) -> Profile:
    return profile_from_dict(row.data)


def delete_plan(session: Session, row: PlanRow) -> None:
    """Delete a week softly: hidden at once, restorable for a while (planner.plans.history, which
    builds on this module and so is imported here, not at the top)."""
    from planner.plans import history
    history.delete(session, row)


def planned_dishes(session: Session, household_id: int | None, week_start: date) -> tuple[Counter[str], frozenset[str]]:
    """The dishes the household's weeks held in the two weeks before `week_start` (with how many
    times), and every dish any of its other weeks has held."""
    if household_id is None:
        return Counter(), frozenset()
    rows = session.execute(select(PlanRow.week_start, Recipe.slug).join(PlanSlot, PlanSlot.plan_id == PlanRow.id)
                           .join(Recipe, Recipe.id == PlanSlot.recipe_id)
                           .where(PlanRow.household_id == household_id, PlanRow.deleted_at.is_(None),
                                  PlanRow.week_start != week_start))
    recent: Counter[str] = Counter()
    known = set()
    for started, slug in rows:
        known.add(slug)
        if week_start - timedelta(days=14) <= started < week_start:
            recent[slug] += 1
    return recent, frozenset(known)
