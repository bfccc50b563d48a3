"""Reading plans into meals, and reading and writing what a person changed on a list."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from planner.models import Food, Profile as ProfileRow, Plan as PlanRow, PlanSlot, ShoppingExtra, ShoppingMark
from planner.clock import utc_now
from planner.plans.needs import meal_grams
from planner.foods.records import Record
from planner.shopping.build import Extra, MealUse
from planner.refused import TooLarge
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
            # A meal of leftovers counts its own servings: together with the meal that cooked
            # the batch, that is what the batch is cooked (and bought) for.
            for slug in (slot.recipe.slug, *(slot.sides or ())):
                recipe = recipes[row.id][slug]
                ingredients = tuple((i["food"], meal_grams(i["grams"], slot.servings)) for i in recipe["ingredients"])
                found.append(MealUse(day, slot.meal, recipe["title"], ingredients))
        # A food test's serves (planner.diary.food_tests) are bought with the week's meals.
        for serve in (row.food_tests or {}).get("serves", []):
            day = date.fromisoformat(serve["day"])
            if not ((start and day < start) or (end and day > end)):
                found.append(MealUse(day, "test serve", f"{serve['member']}'s {serve['level']} test serve",
                                     ((serve["food"], float(serve["grams"])),)))
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


def upsert(session: Session, model: type[Any]) -> Any:
    """INSERT with ON CONFLICT, in the dialect of the session's database (both speak it)."""
    dialect = session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(model)


def write_marks(session: Session, changes: Mapping[tuple[int, str], dict[str, bool]]) -> None:
    """Set checked/removed on (plan id, food slug) marks in one transaction, each as an upsert that
    touches only the values given: ticking twice is ticking, and two people ticking at once each
    land (the last one wins for the same item) instead of clashing over a new mark."""
    with committed(session):
        ids = food_ids(session, {slug for _, slug in changes})
        by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for (plan_id, slug), values in sorted(changes.items()):  # one order everywhere: no deadlocks
            row = {"plan_id": plan_id, "food_id": ids[slug], "checked": False, "removed": False, **values}
            by_fields.setdefault(tuple(sorted(values)), []).append(row)
        for fields, rows in by_fields.items():
            insert = upsert(session, ShoppingMark)
            session.execute(insert.values(rows).on_conflict_do_update(
                index_elements=["plan_id", "food_id"], set_={name: insert.excluded[name] for name in fields}))


def check_extras(session: Session, plan_ids: Sequence[int], checked: Mapping[int, bool]) -> None:
    """Tick or untick extras by id, each row on its own: nothing else on the list is rewritten."""
    with committed(session):
        for value in (True, False):
            ids = [extra_id for extra_id, on in checked.items() if on is value]
            if ids:
                session.execute(update(ShoppingExtra).where(ShoppingExtra.id.in_(ids),
                                                            ShoppingExtra.plan_id.in_(plan_ids))
                                .values(checked=value))


MAX_EXTRAS = 200  # things added by hand to one week's list


def add_extra(session: Session, plan_id: int, text: str, food_slug: str | None, grams: float | None) -> ShoppingExtra:
    """Add words to a plan's list once: the same words again (a second phone, a form sent twice)
    give the extra already there."""
    with committed(session):
        kept = session.scalar(select(func.count(ShoppingExtra.id)).where(ShoppingExtra.plan_id == plan_id)) or 0
        new = session.scalar(select(ShoppingExtra.id).where(ShoppingExtra.plan_id == plan_id,
                                                            ShoppingExtra.text == text)) is None
        if new and kept >= MAX_EXTRAS:
            raise TooLarge(f"A list holds at most {MAX_EXTRAS} things added by hand. Remove some first.")
        food_id = food_ids(session, [food_slug]).get(food_slug) if food_slug else None
        session.execute(upsert(session, ShoppingExtra).values(
            plan_id=plan_id, text=text, food_id=food_id, grams=grams, checked=False, created_at=utc_now(),
        ).on_conflict_do_nothing(index_elements=["plan_id", "text"]))
        extra = session.scalars(select(ShoppingExtra).where(ShoppingExtra.plan_id == plan_id,
                                                            ShoppingExtra.text == text)).one()
    return extra


def delete_extra(session: Session, plan_ids: Sequence[int], extra_id: int) -> bool:
    with committed(session):
        # A DELETE gives a CursorResult, which has rowcount; execute() is typed as returning a Result.
        gone = cast(CursorResult[Any], session.execute(
            delete(ShoppingExtra).where(ShoppingExtra.id == extra_id, ShoppingExtra.plan_id.in_(plan_ids))
        ))
    return bool(gone.rowcount)
