"""The versions of what the checker, planner and shopping list read (see planner.catalog)."""
from __future__ import annotations

import secrets
from typing import Any, cast

from sqlalchemy import String, Table, event, inspect
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from planner.extensions import Model
from planner.models.food import Food, Tag
from planner.models.recipe import Recipe, RecipeIngredient

SHARED = 0  # the scope of the shared foods, recipes and tags; any other scope is a household id


class CatalogVersion(Model):
    """A new random token each time a write changes what a scope holds, written in the same
    transaction as the change. A random token, unlike a clock or a counter, never repeats
    across servers, restarts or a database rebuilt from the same seed."""
    __tablename__ = "catalog_version"

    scope: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    token: Mapped[str] = mapped_column(String(32))


def _scopes_written(session: Session) -> set[int]:
    """The scopes whose foods, tags or recipes this flush adds, changes or deletes."""
    scopes: set[int] = set()
    for row in (*session.new, *session.dirty, *session.deleted):
        if row in session.dirty and not session.is_modified(row):
            continue
        if isinstance(row, Food):
            owners: list[Any] = [row.household_id, *inspect(row).attrs.household_id.history.deleted]
            scopes.update(SHARED if owner is None else owner for owner in owners)
        elif isinstance(row, Recipe):
            scopes.add(SHARED if row.household_id is None else row.household_id)
        elif isinstance(row, RecipeIngredient):
            owner = row.recipe.household_id if row.recipe is not None else None
            scopes.add(SHARED if owner is None else owner)
        elif isinstance(row, Tag):
            scopes.add(SHARED)
    return scopes


def new_version(session: Session, scope: int) -> None:
    """Give the scope a new token inside the session's transaction (an upsert, so two writers
    making a household's first private food at once both succeed)."""
    connection = session.connection()
    insert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    token = secrets.token_hex(16)
    table = cast(Table, CatalogVersion.__table__)  # typed FromClause; a declarative class maps a Table
    connection.execute(insert(table).values(scope=scope, token=token)
                       .on_conflict_do_update(index_elements=[table.c.scope], set_={"token": token}))


@event.listens_for(Session, "before_flush")
def _version_writes(session: Session, _context: object, _instances: object) -> None:
    for scope in sorted(_scopes_written(session)):  # one order, so two writers never deadlock
        new_version(session, scope)
