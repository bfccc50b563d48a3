"""Saving plans and eating profiles, and loading a saved plan back into a Plan."""
from __future__ import annotations

from datetime import date

import math
from collections.abc import Callable, Mapping

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, selectinload

from planner.catalog import Catalog
from planner.foods.records import Record
from planner.models import Profile as ProfileRow, Plan as PlanRow, PlanSlot, Recipe, RecipeIngredient, ShoppingMark
from planner.plans.generate import Plan
from planner.plans.profile import Profile, fibre_ramp_kept, profile_from_dict
from planner.plans.needs import profile_servings
from planner.plans.problem import Slot, build_problem
from planner.plans.saved import Snapshot, saved_plan, snapshot
from planner.plans.solver import SolveResult
from planner.refused import Conflict, NotFound, TooLarge
from planner.transaction import committed, latest, serialised


def _write_slots(session: Session, row: PlanRow, plan: Plan, foods: Mapping[str, Record]) -> None:
    recipe_ids = {slug: id_ for slug, id_ in session.execute(select(Recipe.slug, Recipe.id))}
    servings = profile_servings(plan.problem.profile)
    meals = plan.problem.profile.meals
    row.slots = [
        PlanSlot(day=slot.day, meal=slot.meal, position=meals.index(slot.meal), recipe_id=recipe_ids[slug],
                 servings=servings, locked=slot in plan.locked)
        for slot, slug in sorted(plan.assignment.items())
    ]
    planned = {plan.problem.dishes[slug].recipe["slug"]: plan.problem.dishes[slug].recipe
               for slug in plan.assignment.values()}
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
    kept = session.scalar(select(func.count(model.id)).where(model.household_id == household_id)) or 0
    if household_id is not None and kept >= most:
        what = "weeks" if model is PlanRow else "profiles"
        raise TooLarge(f"A household keeps at most {most} {what}. Delete some you no longer need first.")


def save_plan(session: Session, plan: Plan, foods: Mapping[str, Record], profile_id: int | None = None,
              household_id: int | None = None) -> PlanRow:
    """Store a new plan in one transaction, with the recipes and foods it was planned with."""
    with committed(session):
        row = PlanRow(household_id=household_id, profile_id=profile_id, week_start=plan.problem.week_start,
                      profile_data=plan.problem.profile.to_dict())
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
        needed = select(RecipeIngredient.food_id).where(
            RecipeIngredient.recipe_id.in_({slot.recipe_id for slot in row.slots}))
        session.execute(delete(ShoppingMark).where(ShoppingMark.plan_id == row.id,
                                                   ShoppingMark.food_id.not_in(needed)))
    return plan


def _plan_query(plan_id: int, household_id: int | None) -> Select:
    return (owned(select(PlanRow).where(PlanRow.id == plan_id), PlanRow, household_id)
            .options(selectinload(PlanRow.slots).selectinload(PlanSlot.recipe)))


def get_plan_row(session: Session, plan_id: int, household_id: int | None = None) -> PlanRow | None:
    return session.scalar(_plan_query(plan_id, household_id))


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
    solver = SolveResult(assignment, row.solver_status, row.solver_seconds,
                         float("nan") if row.solver_gap is None else row.solver_gap, row.objective)
    return saved_plan(profile_from_dict(row.profile_data), row.week_start, assignment, locked, solver,
                      planned or kept(row, library), library.dishes, library.rules)


def live_plan(row: PlanRow, library: Catalog) -> Plan:
    """The saved week against today's recipes and rules, to change it: a kept meal whose recipe
    is gone stays as planned until it is redone."""
    saved = plan_of(row, library)
    retired = [d for slug, d in saved.problem.dishes.items() if slug not in library.dish_map]
    problem = build_problem(saved.problem.profile, row.week_start, library.dishes,
                            fixed={s: saved.assignment[s] for s in saved.locked}, retired=retired)
    return Plan(problem, saved.assignment, saved.solver, saved.locked)


def list_plans(session: Session, household_id: int | None = None) -> list[PlanRow]:
    return list(session.scalars(owned(select(PlanRow), PlanRow, household_id)
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
    with committed(session):
        session.delete(row)
