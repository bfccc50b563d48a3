"""What the shopping faces (pages, API, CLI) share: find the plans, build the list, change it.

A list covers one plan, or every plan of a profile between two dates. Ticks and removals
are kept per plan, so a food is ticked on a list when it is ticked on every plan that needs it.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from planner import catalog
from planner.checker.service import household_restrictions
from planner.catalog import Catalog
from planner.data import vocabulary
from planner.foods.records import Record
from planner.i18n import N_
from planner.models import Profile as ProfileRow, Plan as PlanRow
from planner.plans.service import out_of_range
from planner.plans.store import changing_profile, get_plan_row, get_profile, kept
from planner.refused import Invalid, NotFound
from planner.shopping import store
from planner.shopping.build import Extra, MealUse, Settings, ShoppingList, State, build_list
from planner.shopping.exports import FORMATS, to_csv, to_json, to_markdown, to_text
from planner.shopping.extras import exact_food, read_extra, suggestions
from planner.shopping.pdf import to_pdf
from planner.shopping.settings import settings_from_dict, settings_to_dict
from planner.transaction import serialised

MAX_RANGE_DAYS = 62


class ListNotFound(NotFound):
    """No plan (or no plan in the range) to make a list from; the message says which."""


class RangeError(Invalid):
    """Dates that do not make a range."""


@dataclass
class Scope:
    """The plans a list is made from, and the days of them it covers."""
    rows: list[PlanRow]
    profile: ProfileRow | None
    title: str
    start: date | None = None
    end: date | None = None

    @property
    def plan_ids(self) -> list[int]:
        return [row.id for row in self.rows]

    @property
    def household_id(self) -> int | None:
        """The profile the plans belong to: its private foods may go on the list too."""
        return self.rows[0].household_id


def plan_scope(session: Session, plan_id: int, household_id: int | None = None) -> Scope:
    """The list of one plan; `household_id` limits it to that household's plans (None: any, for the CLI)."""
    row = get_plan_row(session, plan_id, household_id)
    if row is None:
        raise ListNotFound(f"There is no plan {plan_id}; it may have been deleted.")
    rows = [row]
    name = row.profile.name if row.profile else row.profile_data.get("name", "Profile")
    return Scope(rows, row.profile, f"{name}: week of {row.week_start:%-d %B %Y}")


def parse_range(start: str | None, end: str | None) -> tuple[date, date]:
    try:
        first, last = date.fromisoformat(start or ""), date.fromisoformat(end or "")
    except ValueError:
        raise RangeError(N_("Give the first and last day as YYYY-MM-DD.")) from None
    for field, day in (("start", first), ("end", last)):
        problem = out_of_range(day)
        if problem:
            raise RangeError(problem, {field: problem})
    if last < first:
        raise RangeError(N_("The last day comes before the first."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise RangeError(f"A list covers at most {MAX_RANGE_DAYS} days.")
    return first, last


def range_scope(session: Session, profile_id: int, start: date, end: date,
                household_id: int | None = None) -> Scope:
    profile = get_profile(session, profile_id, household_id)
    if profile is None:
        raise ListNotFound(f"There is no profile {profile_id}.")
    rows = store.plan_rows(session, store.profile_plan_ids(session, profile, start, end))
    if not rows:
        raise ListNotFound(f"{profile.name} has no plan between {start:%-d %B} and {end:%-d %B %Y}.")
    return Scope(rows, profile, f"{profile.name}: {start:%-d %B} to {end:%-d %B %Y}", start, end)


def settings_of(session: Session, profile: ProfileRow | None, household_id: int | None = None,
                library: Catalog | None = None) -> Settings:
    """The profile's shopping settings; the default pantry draws on the foods its household sees."""
    foods = (library or catalog.load(session, profile.household_id if profile else household_id)).foods
    return settings_from_dict(profile.shopping if profile else None, foods, vocabulary().aisles)


def change_settings(session: Session, profile: ProfileRow, change: Callable[[Settings], Settings]) -> Settings:
    """Change a profile's shopping settings from what is stored now, one change at a time, so two
    made at once (two foods added to the pantry) both land. Returns the settings saved."""
    with serialised(session):
        row = changing_profile(session, profile.id)
        changed = change(settings_of(session, row))
        row.shopping = settings_to_dict(changed)
    return changed


class UnknownFood(Invalid):
    """Words that name no food exactly; the message offers close ones."""


def named_food(session: Session, name: str, household_id: int | None) -> Record:
    """The food a name or synonym names exactly (the pantry takes nothing less), or UnknownFood
    with suggestions."""
    index = catalog.load(session, household_id).index
    food = exact_food(name.strip(), index)
    if food is not None:
        return food
    close = [f["name"] for f in suggestions(name, index)]
    hint = f" Did you mean: {', '.join(close)}?" if close else " Try another name."
    raise UnknownFood(f"No food called '{' '.join(name.split())}'.{hint}")


def _library(session: Session, scope: Scope) -> Catalog:
    return catalog.load(session, scope.household_id)


def _uses(session: Session, scope: Scope, library: Catalog | None = None) -> dict[int, list[MealUse]]:
    """Each plan's meals, from the recipes it was planned with."""
    library = library or _library(session, scope)
    recipes = {row.id: kept(row, library).recipes for row in scope.rows}
    return store.meal_uses(scope.rows, recipes, scope.start, scope.end)


def _foods(scope: Scope, library: Catalog) -> dict[str, Record]:
    """The foods the household sees now, and any a plan was made with that it no longer sees."""
    planned_with = {slug: record for row in scope.rows for slug, record in kept(row, library).foods.items()}
    return planned_with | dict(library.foods)


def _needed_by(uses: dict[int, list[MealUse]]) -> dict[str, list[int]]:
    """Which plans need each food."""
    plans: dict[str, list[int]] = {}
    for plan_id, meals in uses.items():
        for food in {f for meal in meals for f, _ in meal.ingredients}:
            plans.setdefault(food, []).append(plan_id)
    return plans


def _state(session: Session, scope: Scope, needed_by: dict[str, list[int]]) -> State:
    marked = {(plan_id, slug): (checked, removed) for plan_id, slug, checked, removed in
              store.marks(session, scope.plan_ids)}

    def on_every_plan(slug: str, which: int) -> bool:
        return all(marked.get((p, slug), (False, False))[which] for p in needed_by[slug])

    return State(frozenset(s for s in needed_by if on_every_plan(s, 0)),
                 frozenset(s for s in needed_by if on_every_plan(s, 1)),
                 tuple(store.extras(session, scope.plan_ids)))


def shopping_list(session: Session, scope: Scope) -> ShoppingList:
    library = _library(session, scope)
    uses = _uses(session, scope, library)
    state = _state(session, scope, _needed_by(uses))
    meals = [meal for plan_meals in uses.values() for meal in plan_meals]
    return build_list(meals, _foods(scope, library), settings_of(session, scope.profile, library=library), state,
                      vocabulary().aisles, scope.title)


def save_ticks(session: Session, scope: Scope, keys: set[str], shown: set[str]) -> None:
    """Save what a whole page of ticks changed: `keys` are the items ticked now ("food:<slug>",
    "extra:<id>"), `shown` those that were ticked when the page was shown. Only the items ticked
    or unticked on the page change, so someone else's ticks since then stay."""
    needed_by = _needed_by(_uses(session, scope))
    changed = (keys - shown) | (shown - keys)
    store.write_marks(session, {(plan_id, slug): {"checked": f"food:{slug}" in keys}
                                for slug, plans in needed_by.items() if f"food:{slug}" in changed
                                for plan_id in plans})
    store.check_extras(session, scope.plan_ids, {e.id: e.key in keys for e in store.extras(session, scope.plan_ids)
                                                 if e.key in changed})


def set_checked(session: Session, scope: Scope, key: str, checked: bool) -> bool:
    """Tick or untick one item ("food:<slug>" or "extra:<id>"), leaving every other tick as it is,
    so people ticking the same list on two phones do not undo each other. False if not on the list:
    a food the week no longer needs or that was removed from the list (a tick sent late, from a
    phone that had no signal, is then dropped rather than bringing it back)."""
    kind, _, name = key.partition(":")
    if kind == "food":
        plans = _needed_by(_uses(session, scope)).get(name, [])
        removed = {plan_id for plan_id, slug, _, gone in store.marks(session, plans) if slug == name and gone}
        if not plans or removed.issuperset(plans):
            return False
        store.write_marks(session, {(plan_id, name): {"checked": checked} for plan_id in plans})
        return True
    extras = {f"extra:{e.id}" for e in store.extras(session, scope.plan_ids)}
    if kind != "extra" or key not in extras:
        return False
    store.check_extras(session, scope.plan_ids, {int(name): checked})
    return True


def set_removed(session: Session, scope: Scope, food: str, removed: bool) -> bool:
    """Take a food off the list (or put it back). False when the list does not need it."""
    plans = _needed_by(_uses(session, scope)).get(food)
    if not plans:
        return False
    store.write_marks(session, {(plan_id, food): {"removed": removed} for plan_id in plans})
    return True


def add_extra(session: Session, scope: Scope, text: str) -> Extra:
    """Add something by hand to the list (on its first plan); raises ExtraError for unreadable words."""
    reading = read_extra(text, _library(session, scope).index)
    slug = reading.food["slug"] if reading.food else None
    row = store.add_extra(session, scope.rows[0].id, reading.text, slug, reading.grams)
    return Extra(row.id, row.text, slug, reading.food["name"] if reading.food else None, row.grams, row.checked)


def allergy_warnings(session: Session, scope: Scope, extras: Iterable[Extra]) -> dict[int, str]:
    """For each extra whose food the household must avoid, why (by extra id): flagged the moment it is
    added and on the list after. The household's profiles together decide, as in the checker."""
    avoid = household_restrictions(session, scope.household_id)
    foods = _library(session, scope).foods
    found = {}
    for extra in extras:
        record = foods.get(extra.food or "")
        if record is None:
            continue
        clash = sorted(avoid.allergens & set(record["allergens"]))
        if clash or record["slug"] in avoid.excluded_foods:
            why = f"holds {', '.join(clash)}" if clash else "is a food you leave out"
            found[extra.id] = f"Careful: {record['name']} {why}, which your household avoids."
    return found


def delete_extra(session: Session, scope: Scope, extra_id: int) -> bool:
    return store.delete_extra(session, scope.plan_ids, extra_id)


@dataclass(frozen=True)
class Download:
    content: bytes
    mimetype: str
    filename: str


def render(shopping: ShoppingList, fmt: str, paper: str | None = None) -> Download:
    """The list in an export format; the PDF is on A4, or Letter for US units, unless `paper` says."""
    if fmt not in FORMATS:
        raise ValueError(f"Choose a format: {', '.join(FORMATS)}.")
    if fmt == "pdf":
        content = to_pdf(shopping, paper or ("letter" if shopping.units == "us" else "a4"))
    else:
        content = {"csv": to_csv, "md": to_markdown, "txt": to_text, "json": to_json}[fmt](shopping).encode()
    day = shopping.start.isoformat() if shopping.start else "empty"
    return Download(content, FORMATS[fmt], f"shopping-list-{day}.{fmt}")
