"""The catalog: the foods, recipes and guidance rules one household sees, as one read-only,
versioned model handed to the checker, the planner and the shopping list.

Every flush that changes foods, their tags or allergens, tags or recipes writes a new version
token for the scope it touched (the shared data, or one household's private data) in the same
transaction (planner.models.catalog). A request reads the tokens of its scopes in one small query and gets the catalog
built for exactly those tokens, so every worker and every server sees a change on its very
next request, whatever its clock says. A household without private data shares the shared
catalog; one with private data gets its own, built on the shared one.
"""
from __future__ import annotations

import os
import threading

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.checker.guidance import Guidance, guidance
from planner.foods.records import Record
from planner.foods.search import SearchIndex
from planner.foods.store import all_records
from planner.models import SHARED, CatalogVersion, Recipe, RecipeIngredient
from planner.recipes.facts import Dish, dishes_from
from planner.recipes.store import recipe_record

Version = tuple[str | None, ...]


@dataclass(frozen=True, eq=False)
class Catalog:
    """What one household (or a visitor: household None) sees, at one version."""

    household_id: int | None  # None: the shared data alone
    version: Version
    foods: Mapping[str, Record]  # public food records by slug
    index: SearchIndex
    dishes: tuple[Dish, ...]  # recipes with their derived facts, in slug order
    rules: Guidance

    @cached_property
    def dish_map(self) -> dict[str, Dish]:
        return {dish.slug: dish for dish in self.dishes}

    @cached_property
    def names(self) -> dict[str, str]:
        """What a person may write for a food (its slug, name or a synonym, lower case) -> its slug."""
        found: dict[str, str] = {}
        for record in self.index.records():
            for text in (record["slug"], record["name"], *record.get("synonyms", [])):
                found.setdefault(text.lower(), record["slug"])
        return found


# Built catalogs per database and scope, each kept only at its latest version, most recently
# used last. The shared catalog is never pushed out; of the households with foods of their own
# (each a full search index: about 7 MB with the 473 curated foods), the least recently used go
# first, so the households using the app now keep theirs however many others there are.
_BUILT: dict[tuple[str, int | None], Catalog] = {}
MAX_BUILT = int(os.environ.get("CATALOG_CACHE_SIZE", "64") or 64)
_BUILT_LOCK = threading.Lock()


def load(session: Session, household_id: int | None = None) -> Catalog:
    """The catalog the household sees now (the shared one for a visitor or the command line)."""
    scopes = [SHARED] if household_id is None else [SHARED, household_id]
    tokens: dict[int, str] = dict(session.execute(
        select(CatalogVersion.scope, CatalogVersion.token).where(CatalogVersion.scope.in_(scopes))).all())
    database = session.get_bind().engine.url.render_as_string(hide_password=True)  # .engine: typed Engine | Connection
    shared = _cached(database, None, (tokens.get(SHARED),), lambda version: _shared(session, version))
    if household_id is None or household_id not in tokens:
        return shared
    return _cached(database, household_id, (*shared.version, tokens[household_id]),
                   lambda version: _private(session, shared, household_id, version))


def _cached(database: str, household_id: int | None, version: Version,
            build: Callable[[Version], Catalog]) -> Catalog:
    key = (database, household_id)
    with _BUILT_LOCK:  # threads of one worker share the cache; none may see it mid-change
        found = _BUILT.pop(key, None)
        if found is not None and found.version == version:
            _BUILT[key] = found  # now the most recently used
            return found
    built = build(version)
    with _BUILT_LOCK:
        private = [k for k in _BUILT if k[1] is not None]
        if len(private) >= MAX_BUILT:
            _BUILT.pop(private[0])
        _BUILT[key] = built
    return built


def _shared(session: Session, version: Version) -> Catalog:
    records = all_records(session)
    foods = {record["slug"]: record for record in records}
    rules = guidance()
    dishes = tuple(dishes_from(_recipe_records(session, None), foods, rules))
    return Catalog(None, version, foods, SearchIndex(records), dishes, rules)


def _recipe_records(session: Session, household_id: int | None) -> list[Record]:
    """The shared recipes (household None) or one household's own, in slug order."""
    recipes = session.scalars(select(Recipe).where(Recipe.household_id.is_(None) if household_id is None
                                                   else Recipe.household_id == household_id)
                              .options(selectinload(Recipe.ingredients).selectinload(RecipeIngredient.food))
                              .order_by(Recipe.slug))
    return [recipe_record(r) for r in recipes]


def _private(session: Session, shared: Catalog, household_id: int, version: Version) -> Catalog:
    records = all_records(session, household_id)
    foods = {r["slug"]: r for r in records}
    own = dishes_from(_recipe_records(session, household_id), foods, shared.rules)
    # Without recipes of its own the household shares the shared dishes, built once.
    dishes = tuple(sorted((*shared.dishes, *own), key=lambda dish: dish.slug)) if own else shared.dishes
    return Catalog(household_id, version, foods, SearchIndex(records), dishes, shared.rules)
