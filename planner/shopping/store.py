"""Reading plans into meals, and reading and writing what a person changed on a list."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import Session, selectinload

from planner.models import Food, Profile as ProfileRow, Plan as PlanRow, PlanSlot, ShoppingExtra, ShoppingMark
from planner.plans.needs import meal_grams
from planner.foods.records import Record
from planner.shopping.build import Extra, MealUse
from planner.transaction import committed


def plan_rows(session: Session, plan_ids: Sequence[int]) -> list[PlanRow]:
    rows = session.scalars(
        select(PlanRow).where(PlanRow.id.in_(plan_ids))
        .options(selectinload(PlanRow.slots).selectinload(PlanSlot.recipe))
        .order_by(PlanRow.week_start, PlanRow.id)
    )
    return list(rows)


def profile_plan_ids(session: Session, profile: ProfileRow, start: date, end: date) -> list[int]:
    """Plans of a profile (in its household) whose week has a day between start and end."""
    found = session.scalars(
        select(PlanRow.id).where(PlanRow.profile_id == profile.id, PlanRow.household_id == profile.household_id,
                                 PlanRow.week_start <= end,
                                 PlanRow.week_start > start - timedelta(days=7))
    )
    return list(found)


def meal_uses(rows: Iterable[PlanRow], recipes: Mapping[int, Mapping[str, Record]], start: date | None = None,
              end: date | None = None) -> dict[int, list[MealUse]]:
    """Each plan's meals (within start..end when given) with the profile's grams of every ingredient,
    from each plan's recipes by slug."""
    uses: dict[int, list[MealUse]] = {}
    for row in rows:
        found = uses.setdefault(row.id, [])
        for slot in row.slots:
            day = row.week_start + timedelta(days=slot.day)
            if (start and day < start) or (end and day > end):
                continue
            recipe = recipes[row.id][slot.recipe.slug]
            ingredients = tuple((i["food"], meal_grams(i["grams"], slot.servings)) for i in recipe["ingredients"])
            found.append(MealUse(day, slot.meal, recipe["title"], ingredients))
    return uses


def marks(session: Session, plan_ids: Sequence[int]) -> list[tuple[int, str, bool, bool]]:
    """(plan id, food slug, checked, removed) for every mark on these plans."""
    rows = session.execute(
        select(ShoppingMark.plan_id, Food.slug, ShoppingMark.checked, ShoppingMark.removed)
        .join(Food, Food.id == ShoppingMark.food_id).where(ShoppingMark.plan_id.in_(plan_ids))
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


def extras(session: Session, plan_ids: Sequence[int]) -> list[Extra]:
    rows = session.execute(
        select(ShoppingExtra, Food.slug, Food.name).outerjoin(Food, Food.id == ShoppingExtra.food_id)
        .where(ShoppingExtra.plan_id.in_(plan_ids)).order_by(ShoppingExtra.created_at, ShoppingExtra.id)
    )
    return [Extra(e.id, e.text, slug, name, e.grams, e.checked) for e, slug, name in rows]


def food_ids(session: Session, slugs: Iterable[str]) -> dict[str, int]:
    found = session.execute(select(Food.slug, Food.id).where(Food.slug.in_(list(slugs))))
    return {slug: id_ for slug, id_ in found}


def write_marks(session: Session, changes: Mapping[tuple[int, str], dict[str, bool]]) -> None:
    """Set checked/removed on (plan id, food slug) marks, creating any missing, in one transaction."""
    with committed(session):
        ids = food_ids(session, {slug for _, slug in changes})
        existing = {
            (m.plan_id, m.food_id): m
            for m in session.scalars(select(ShoppingMark).where(ShoppingMark.plan_id.in_({p for p, _ in changes})))
        }
        for (plan_id, slug), values in changes.items():
            mark = existing.get((plan_id, ids[slug]))
            if mark is None:
                mark = ShoppingMark(plan_id=plan_id, food_id=ids[slug], checked=False, removed=False)
                session.add(mark)
            for name, value in values.items():
                setattr(mark, name, value)


def check_extras(session: Session, plan_ids: Sequence[int], checked: Mapping[int, bool]) -> None:
    with committed(session):
        for extra in session.scalars(select(ShoppingExtra).where(ShoppingExtra.plan_id.in_(plan_ids))):
            if extra.id in checked:
                extra.checked = checked[extra.id]


def add_extra(session: Session, plan_id: int, text: str, food_slug: str | None, grams: float | None) -> ShoppingExtra:
    with committed(session):
        food_id = food_ids(session, [food_slug]).get(food_slug) if food_slug else None
        extra = ShoppingExtra(plan_id=plan_id, text=text, food_id=food_id, grams=grams, checked=False)
        session.add(extra)
    return extra


def delete_extra(session: Session, plan_ids: Sequence[int], extra_id: int) -> bool:
    with committed(session):
        # A DELETE gives a CursorResult, which has rowcount; execute() is typed as returning a Result.
        gone = cast(CursorResult[Any], session.execute(
            delete(ShoppingExtra).where(ShoppingExtra.id == extra_id, ShoppingExtra.plan_id.in_(plan_ids))
        ))
    return bool(gone.rowcount)
