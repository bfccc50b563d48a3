"""A household's data as one JSON document, and back: profiles, plans with their lists, private foods.

Rows refer to each other by slug and by a key local to the file, never by database id, so a
backup restores into any server that has the same recipe library. Accounts are not part of
it: passwords stay on the server they were set on.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.data import SourcedRecord, Vocabulary
from planner.foods.store import free_slug, stored_record, visible, write_records
from planner.foods.text import has_control_characters
from planner.models import (
    Food, Household, Profile, Plan, PlanSlot, Recipe, ShoppingExtra, ShoppingMark,
)
from planner.plans.profile import ProfileError, profile_from_dict
from planner.refused import Invalid
from planner.transaction import committed

FORMAT = "gut-planner-household"
VERSION = 1


class BackupError(Invalid):
    """A backup file that cannot be restored; the message says where and why."""


# -- export ----------------------------------------------------------------------------

def _plan(row: Plan, food_slugs: dict[int, str]) -> dict[str, Any]:
    return {
        "key": row.id,
        "profile": row.profile_id,
        "week_start": row.week_start.isoformat(),
        "profile_snapshot": row.profile_data,
        "solver": {"status": row.solver_status, "seconds": row.solver_seconds, "gap": row.solver_gap,
                   "objective": row.objective},
        "slots": [{"day": s.day, "meal": s.meal, "position": s.position, "recipe": s.recipe.slug,
                   "servings": s.servings, "locked": s.locked} for s in row.slots],
        "marks": sorted(({"food": food_slugs[m.food_id], "checked": m.checked, "removed": m.removed}
                         for m in _marks(row)), key=lambda m: m["food"]),
        "extras": [{"text": e.text, "food": food_slugs.get(e.food_id) if e.food_id else None, "grams": e.grams,
                    "checked": e.checked} for e in _extras(row)],
    }


def _marks(row: Plan) -> list[ShoppingMark]:
    session = Session.object_session(row)
    assert session is not None, "a plan read from the database belongs to a session"
    return list(session.scalars(select(ShoppingMark).where(ShoppingMark.plan_id == row.id)))


def _extras(row: Plan) -> list[ShoppingExtra]:
    session = Session.object_session(row)
    assert session is not None, "a plan read from the database belongs to a session"
    return list(session.scalars(select(ShoppingExtra).where(ShoppingExtra.plan_id == row.id)
                                .order_by(ShoppingExtra.id)))


def export_household(session: Session, household: Household) -> dict[str, Any]:
    owner = household.id
    food_slugs = dict(session.execute(visible(select(Food.id, Food.slug), owner)).all())
    foods = session.scalars(select(Food).where(Food.household_id == owner).order_by(Food.slug))
    profiles = session.scalars(select(Profile).where(Profile.household_id == owner)
                               .order_by(Profile.id))
    plans = session.scalars(select(Plan).where(Plan.household_id == owner).order_by(Plan.week_start, Plan.id)
                            .options(selectinload(Plan.slots).selectinload(PlanSlot.recipe)))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "household": {"name": household.name},
        "members": [{"name": m.name, "email": m.email} for m in household.members],
        "foods": [stored_record(f) for f in foods],
        "profiles": [{"key": p.id, "name": p.name, "data": p.data, "shopping": p.shopping} for p in profiles],
        "plans": [_plan(p, food_slugs) for p in plans],
    }


# -- import ----------------------------------------------------------------------------

def _need(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or isinstance(value, bool) and kind in (int, float, (int, float)):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise BackupError(f"{where}: expected {names}, found {type(value).__name__}.")
    return value


def _field(item: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in item:
        raise BackupError(f"{where}: '{name}' is missing.")
    value = _need(item[name], kind, f"{where}.{name}")
    if isinstance(value, str) and has_control_characters(value):
        raise BackupError(f"{where}.{name}: text with control characters cannot be stored.")
    return value


def _renamed(slugs: Any, renames: dict[str, str]) -> Any:
    return [renames.get(s, s) for s in slugs] if isinstance(slugs, list) else slugs


def _with_renames(data: dict[str, Any] | None, renames: dict[str, str], *names: str) -> dict[str, Any] | None:
    """A profile or settings dict with food slugs that changed on the way in replaced."""
    if not data or not renames:
        return data
    return {k: _renamed(v, renames) if k in names else v for k, v in data.items()}


def _profile_data(item: dict[str, Any], name: str, where: str, renames: dict[str, str]) -> dict[str, Any]:
    """A stored profile, checked as the profile form and API check one."""
    data = _with_renames(_field(item, name, dict, where), renames, "excluded_foods")
    try:
        return profile_from_dict(data).to_dict()
    except ProfileError as exc:
        problems = "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
        raise BackupError(f"{where}.{name}: {problems}") from None


def _check_header(document: Any) -> dict[str, Any]:
    _need(document, dict, "the file")
    if document.get("format") != FORMAT:
        raise BackupError(f"This is not a Gut Planner household backup (format should be '{FORMAT}').")
    if document.get("version") != VERSION:
        raise BackupError(f"This backup is version {document.get('version')!r}; this server reads version {VERSION}.")
    for name in ("foods", "profiles", "plans"):
        _field(document, name, list, "the file")
    return document


def _restore_foods(session: Session, foods: list[Any], owner: int, vocab: Vocabulary) -> dict[str, str]:
    """Private foods in; a slug another household holds gets a free variant. Returns renames."""
    renames: dict[str, str] = {}
    rows = []
    for n, record in enumerate(foods, start=1):
        record = dict(_need(record, dict, f"foods[{n}]"))
        slug = _field(record, "slug", str, f"foods[{n}]")
        holder = session.scalar(select(Food.household_id).where(Food.slug == slug).limit(1))
        if holder is not None and holder != owner or session.scalar(
                select(Food.id).where(Food.slug == slug, Food.household_id.is_(None))) is not None:
            renames[slug] = record["slug"] = free_slug(session, slug)
        rows.append(SourcedRecord(f"foods[{n}]", record))
    write_records(session, rows, vocab, household_id=owner)
    return renames


def _restore_plan(session: Session, item: Any, n: int, owner: int, profiles: dict[Any, Profile],
                  recipes: dict[str, int], foods: dict[str, int], renames: dict[str, str]) -> None:
    where = f"plans[{n}]"
    item = _need(item, dict, where)
    solver = _field(item, "solver", dict, where)
    try:
        week_start = date.fromisoformat(_field(item, "week_start", str, where))
    except ValueError:
        raise BackupError(f"{where}.week_start: give the date as YYYY-MM-DD.") from None
    profile = profiles.get(item.get("profile"))
    row = Plan(household_id=owner, profile_id=profile.id if profile else None, week_start=week_start,
               profile_data=_profile_data(item, "profile_snapshot", where, renames),
               solver_status=_field(solver, "status", str, f"{where}.solver"),
               solver_seconds=_field(solver, "seconds", (int, float), f"{where}.solver"),
               solver_gap=solver.get("gap"), objective=_field(solver, "objective", (int, float), f"{where}.solver"))
    for m, slot in enumerate(_field(item, "slots", list, where), start=1):
        at = f"{where}.slots[{m}]"
        slug = _field(_need(slot, dict, at), "recipe", str, at)
        if slug not in recipes:
            raise BackupError(f"{at}: this server has no recipe '{slug}'.")
        row.slots.append(PlanSlot(day=_field(slot, "day", int, at), meal=_field(slot, "meal", str, at),
                                  position=_field(slot, "position", int, at), recipe_id=recipes[slug],
                                  servings=_field(slot, "servings", (int, float), at),
                                  locked=bool(slot.get("locked"))))
    session.add(row)
    session.flush()
    for m, mark in enumerate(_field(item, "marks", list, where), start=1):
        at = f"{where}.marks[{m}]"
        slug = renames.get(_field(_need(mark, dict, at), "food", str, at), mark["food"])
        if slug not in foods:
            raise BackupError(f"{at}: there is no food '{slug}'.")
        session.add(ShoppingMark(plan_id=row.id, food_id=foods[slug], checked=bool(mark.get("checked")),
                                 removed=bool(mark.get("removed"))))
    for m, extra in enumerate(_field(item, "extras", list, where), start=1):
        at = f"{where}.extras[{m}]"
        food: Any = extra.get("food") if isinstance(extra, dict) else None  # unchecked JSON, so any value
        slug = renames.get(food, food)  # None when extra is no object: renames has only slugs as keys
        session.add(ShoppingExtra(plan_id=row.id, text=_field(extra, "text", str, at)[:120],
                                  food_id=foods.get(slug) if slug else None, grams=extra.get("grams"),
                                  checked=bool(extra.get("checked"))))


def import_household(session: Session, document: Any, household: Household, vocab: Vocabulary) -> dict[str, int]:
    """Add a backup's foods, profiles and plans to a household, all in one transaction."""
    document = _check_header(document)
    owner = household.id
    with committed(session):
        renames = _restore_foods(session, document["foods"], owner, vocab)
        session.flush()
        profiles: dict[Any, Profile] = {}
        for n, item in enumerate(document["profiles"], start=1):
            where = f"profiles[{n}]"
            item = _need(item, dict, where)
            row = Profile(household_id=owner, name=_field(item, "name", str, where)[:60],
                                   data=_profile_data(item, "data", where, renames),
                                   shopping=_with_renames(_need(item.get("shopping"), (dict, type(None)),
                                                                f"{where}.shopping"), renames, "pantry"))
            session.add(row)
            profiles[item.get("key")] = row
        session.flush()
        recipes = dict(session.execute(select(Recipe.slug, Recipe.id)).all())
        foods = dict(session.execute(visible(select(Food.slug, Food.id), owner)).all())
        for n, item in enumerate(document["plans"], start=1):
            _restore_plan(session, item, n, owner, profiles, recipes, foods, renames)
    return {"foods": len(document["foods"]), "profiles": len(profiles), "plans": len(document["plans"])}
