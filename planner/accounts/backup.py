"""A household's data as one JSON document, and back: profiles, plans with their lists, private foods.

Rows refer to each other by slug and by a key local to the file, never by database id, so a
backup restores into any server that has the same recipe library. Accounts are not part of
it: passwords stay on the server they were set on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.data import SourcedRecord, Vocabulary
from planner.foods.store import (MAX_PRIVATE_FOODS, RecordsRejected, free_slug, stored_record, validate_batch, visible,
                                 write_records)
from planner.foods.text import has_control_characters
from planner.models import (
    Food, Household, Profile, Plan, PlanSlot, Recipe, ShoppingExtra, ShoppingMark,
)
from planner.plans.profile import ProfileError, profile_from_dict
from planner.plans.store import MAX_PLANS, MAX_PROFILES
from planner.shopping.store import MAX_EXTRAS
from planner.recipes.records import MEALS
from planner.refused import Invalid, RowsRejected
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
#
# The whole file is checked before anything is written, and every problem is reported by its
# path ("plans[2].slots[5]: day"), so one run shows them all; then it is written in one
# transaction. Nothing from a file reaches the database unchecked.

EARLIEST, LATEST = date(2000, 1, 1), date(2200, 12, 31)
SLOTS_PER_MEAL = 4  # positions 0-3 in one meal of one day


@dataclass(frozen=True)
class Problem:
    row: str
    field: str
    message: str


class BackupRejected(RowsRejected):
    """A backup with any problem is refused whole; `errors` lists each by path."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the backup; nothing was imported")
        self.errors = problems


class _Checked:
    """Problems found so far, and small typed reads that note one instead of raising."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, row: str, field: str, message: str) -> None:
        self.problems.append(Problem(row, field, message))

    def object(self, value: Any, row: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add(row, "-", f"expected an object, found {type(value).__name__}")
        return None

    def text(self, item: dict[str, Any], name: str, row: str, limit: int, required: bool = True) -> str | None:
        value = item.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit \
                or has_control_characters(value):
            self.add(row, name, f"give text of up to {limit} characters, without control characters")
            return None
        return value

    def number(self, item: dict[str, Any], name: str, row: str, low: float, high: float,
               whole: bool = False, required: bool = True) -> float | None:
        value = item.get(name)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)) \
                or not math.isfinite(value) or not low <= value <= high:
            self.add(row, name, f"give a {'whole ' if whole else ''}number from {low:g} to {high:g}")
            return None
        return value

    def flag(self, item: dict[str, Any], name: str, row: str) -> None:
        if not isinstance(item.get(name, False), bool):
            self.add(row, name, "give true or false")

    def key(self, item: dict[str, Any], name: str, row: str) -> Any:
        """A key local to the file: a whole number or text (anything else cannot name a row)."""
        value = item.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str))):
            self.add(row, name, "give a whole number or text")
            return None
        return value


def _renamed(slugs: Any, renames: dict[str, str]) -> Any:
    return [renames.get(s, s) for s in slugs] if isinstance(slugs, list) else slugs


def _with_renames(data: dict[str, Any] | None, renames: dict[str, str], *names: str) -> dict[str, Any] | None:
    """A profile or settings dict with food slugs that changed on the way in replaced."""
    if not data or not renames:
        return data
    return {k: _renamed(v, renames) if k in names else v for k, v in data.items()}


def _check_profile(checked: _Checked, item: dict[str, Any], name: str, row: str,
                   renames: dict[str, str]) -> dict[str, Any] | None:
    """A stored profile, checked as the profile form and API check one."""
    data = checked.object(item.get(name), f"{row}.{name}")
    if data is None:
        return None
    try:
        return profile_from_dict(_with_renames(data, renames, "excluded_foods")).to_dict()
    except ProfileError as exc:
        for field, message in exc.errors.items():
            checked.add(f"{row}.{name}", field, message)
        return None


def _check_shopping(checked: _Checked, value: Any, row: str) -> None:
    if value is None:
        return
    shopping = checked.object(value, row)
    if shopping is None:
        return
    pantry = shopping.get("pantry", [])
    if not isinstance(pantry, list) or len(pantry) > 1000 or not all(isinstance(s, str) and len(s) <= 80
                                                                      for s in pantry):
        checked.add(row, "pantry", "give a list of food slugs")


def _food_renames(session: Session, foods: list[Any], owner: int, checked: _Checked) -> dict[str, str]:
    """Private foods whose slug is held elsewhere get a free variant: slug -> new slug."""
    renames: dict[str, str] = {}
    for n, record in enumerate(foods, start=1):
        item = checked.object(record, f"foods[{n}]")
        slug = item.get("slug") if item else None
        if not isinstance(slug, str) or not slug:
            if item is not None:
                checked.add(f"foods[{n}]", "slug", "give the food's slug")
            continue
        holder = session.scalar(select(Food.household_id).where(Food.slug == slug).limit(1))
        if holder is not None and holder != owner or session.scalar(
                select(Food.id).where(Food.slug == slug, Food.household_id.is_(None))) is not None:
            renames[slug] = free_slug(session, slug)
    return renames


def _check_plan(checked: _Checked, item: dict[str, Any], row: str, profile_keys: set[Any],
                recipes: set[str], foods: set[str], renames: dict[str, str]) -> None:
    checked.key(item, "key", row)
    profile = checked.key(item, "profile", row)
    if profile is not None and profile not in profile_keys:
        checked.add(row, "profile", "no profile in the file has this key")
    try:
        week_start = date.fromisoformat(item.get("week_start"))  # type: ignore[arg-type]  # checked below
        if not EARLIEST <= week_start <= LATEST:
            raise ValueError
    except (TypeError, ValueError):
        checked.add(row, "week_start", f"give a date from {EARLIEST.year} to {LATEST.year} as YYYY-MM-DD")
    _check_profile(checked, item, "profile_snapshot", row, renames)
    solver = checked.object(item.get("solver"), f"{row}.solver")
    if solver is not None:
        checked.text(solver, "status", f"{row}.solver", 40)
        checked.number(solver, "seconds", f"{row}.solver", 0, 3600)
        checked.number(solver, "gap", f"{row}.solver", 0, 1e9, required=False)
        checked.number(solver, "objective", f"{row}.solver", -1e12, 1e12)
    slots = item.get("slots")
    if not isinstance(slots, list) or len(slots) > len(MEALS) * 7 * SLOTS_PER_MEAL:
        checked.add(row, "slots", "give a list of the week's meals")
        slots = []
    taken: set[tuple[Any, Any, Any]] = set()
    for m, raw in enumerate(slots, start=1):
        at = f"{row}.slots[{m}]"
        slot = checked.object(raw, at)
        if slot is None:
            continue
        place = (checked.number(slot, "day", at, 0, 6, whole=True), slot.get("meal"),
                 checked.number(slot, "position", at, 0, SLOTS_PER_MEAL - 1, whole=True))
        if place[1] not in MEALS:
            checked.add(at, "meal", f"one of: {', '.join(MEALS)}")
        if place in taken:
            checked.add(at, "-", "two meals in the same place")
        taken.add(place)
        if slot.get("recipe") not in recipes:
            checked.add(at, "recipe", f"this server has no recipe {str(slot.get('recipe'))[:80]!r}")
        checked.number(slot, "servings", at, 0.05, 100)
        checked.flag(slot, "locked", at)
    marks = item.get("marks")
    if not isinstance(marks, list) or len(marks) > 5000:
        checked.add(row, "marks", "give a list")
        marks = []
    for m, raw in enumerate(marks, start=1):
        at = f"{row}.marks[{m}]"
        mark = checked.object(raw, at)
        if mark is not None:
            food = mark.get("food")
            if not isinstance(food, str) or renames.get(food, food) not in foods:
                checked.add(at, "food", "no such food here or in the file")
            checked.flag(mark, "checked", at)
            checked.flag(mark, "removed", at)
    extras = item.get("extras")
    if not isinstance(extras, list) or len(extras) > MAX_EXTRAS:
        checked.add(row, "extras", f"give a list of at most {MAX_EXTRAS}")
        extras = []
    for m, raw in enumerate(extras, start=1):
        at = f"{row}.extras[{m}]"
        extra = checked.object(raw, at)
        if extra is not None:
            checked.text(extra, "text", at, 120)
            food = extra.get("food")
            if food is not None and (not isinstance(food, str) or renames.get(food, food) not in foods):
                checked.add(at, "food", "no such food here or in the file")
            checked.number(extra, "grams", at, 0, 100_000, required=False)
            checked.flag(extra, "checked", at)


def _checked_backup(session: Session, document: Any, owner: int, vocab: Vocabulary) -> dict[str, str]:
    """Every problem of the file, or the food renames it will be written with."""
    checked = _Checked()
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f"This is not a Gut Planner household backup (format should be '{FORMAT}').")
    if document.get("version") != VERSION:
        raise BackupError(f"This backup is version {repr(document.get('version'))[:20]}; "
                          f"this server reads version {VERSION}.")
    limits = {"foods": MAX_PRIVATE_FOODS, "profiles": MAX_PROFILES, "plans": MAX_PLANS}
    for name, most in limits.items():
        if not isinstance(document.get(name), list) or len(document[name]) > most:
            checked.add("the file", name, f"give a list of at most {most}")
    if checked.problems:
        raise BackupRejected(checked.problems)
    renames = _food_renames(session, document["foods"], owner, checked)
    records = [SourcedRecord(f"foods[{n}]", {**item, "slug": renames.get(item["slug"], item["slug"])})
               for n, item in enumerate(document["foods"], start=1)
               if isinstance(item, dict) and isinstance(item.get("slug"), str)]
    try:
        validate_batch(session, records, vocab, owner)
    except RecordsRejected as rejected:
        checked.problems.extend(Problem(e.row, e.field, e.message) for e in rejected.errors)
    profile_keys: set[Any] = set()
    for n, raw in enumerate(document["profiles"], start=1):
        row = f"profiles[{n}]"
        item = checked.object(raw, row)
        if item is None:
            continue
        profile_keys.add(checked.key(item, "key", row))
        checked.text(item, "name", row, 60)
        _check_profile(checked, item, "data", row, renames)
        _check_shopping(checked, item.get("shopping"), f"{row}.shopping")
    recipes = set(session.scalars(select(Recipe.slug)))
    foods = set(session.scalars(visible(select(Food.slug), owner))) | {r.record["slug"] for r in records}
    for n, raw in enumerate(document["plans"], start=1):
        item = checked.object(raw, f"plans[{n}]")
        if item is not None:
            _check_plan(checked, item, f"plans[{n}]", profile_keys - {None}, recipes, foods, renames)
    if checked.problems:
        raise BackupRejected(checked.problems)
    return renames


def _write_plan(session: Session, item: dict[str, Any], owner: int, profiles: dict[Any, Profile],
                recipes: dict[str, int], foods: dict[str, int], renames: dict[str, str]) -> None:
    solver = item["solver"]
    profile = profiles.get(item.get("profile"))
    row = Plan(household_id=owner, profile_id=profile.id if profile else None,
               week_start=date.fromisoformat(item["week_start"]),
               profile_data=profile_from_dict(_with_renames(item["profile_snapshot"], renames,
                                                            "excluded_foods")).to_dict(),
               solver_status=solver["status"], solver_seconds=solver["seconds"], solver_gap=solver.get("gap"),
               objective=solver["objective"])
    for slot in item["slots"]:
        row.slots.append(PlanSlot(day=slot["day"], meal=slot["meal"], position=slot["position"],
                                  recipe_id=recipes[slot["recipe"]], servings=slot["servings"],
                                  locked=bool(slot.get("locked"))))
    session.add(row)
    session.flush()
    for mark in item["marks"]:
        session.add(ShoppingMark(plan_id=row.id, food_id=foods[renames.get(mark["food"], mark["food"])],
                                 checked=bool(mark.get("checked")), removed=bool(mark.get("removed"))))
    for extra in item["extras"]:
        food = extra.get("food")
        session.add(ShoppingExtra(plan_id=row.id, text=extra["text"],
                                  food_id=foods[renames.get(food, food)] if food else None,
                                  grams=extra.get("grams"), checked=bool(extra.get("checked"))))


def import_household(session: Session, document: Any, household: Household, vocab: Vocabulary) -> dict[str, int]:
    """Add a backup's foods, profiles and plans to a household: the whole file is checked first,
    then written in one transaction; a file with any problem writes nothing."""
    owner = household.id
    renames = _checked_backup(session, document, owner, vocab)
    with committed(session):
        rows = [SourcedRecord(f"foods[{n}]", {**item, "slug": renames.get(item["slug"], item["slug"])})
                for n, item in enumerate(document["foods"], start=1)]
        write_records(session, rows, vocab, household_id=owner)
        session.flush()
        profiles: dict[Any, Profile] = {}
        for item in document["profiles"]:
            row = Profile(household_id=owner, name=item["name"],
                          data=profile_from_dict(_with_renames(item["data"], renames, "excluded_foods")).to_dict(),
                          shopping=_with_renames(item.get("shopping"), renames, "pantry"))
            session.add(row)
            if item.get("key") is not None:
                profiles[item["key"]] = row
        session.flush()
        recipes = dict(session.execute(select(Recipe.slug, Recipe.id)).all())
        foods = dict(session.execute(visible(select(Food.slug, Food.id), owner)).all())
        for item in document["plans"]:
            _write_plan(session, item, owner, profiles, recipes, foods, renames)
    return {"foods": len(document["foods"]), "profiles": len(document["profiles"]), "plans": len(document["plans"])}
