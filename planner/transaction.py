"""One unit of work: everything a block writes lands together or not at all."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import Session

_S = TypeVar("_S", bound=Select[Any])


@contextmanager
def committed(session: Session) -> Iterator[None]:
    """Commit what the block writes, or roll all of it back and re-raise."""
    try:
        yield
        session.commit()
    except Exception:
        session.rollback()
        raise


@contextmanager
def serialised(session: Session) -> Iterator[None]:
    """committed(), for a block that reads rows and writes back what it worked out from them:
    nobody else's change may land between its read and its write. The block reads what it
    changes with latest(); on PostgreSQL that locks those rows until the commit. SQLite locks
    whole databases, not rows, so there the block starts by taking the write lock
    (BEGIN IMMEDIATE, which waits its turn), and reads after it what the last writer wrote."""
    with committed(session):
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            dbapi = connection.connection.dbapi_connection
            # The sqlite3 driver opens a transaction only at a session's first write, and a
            # writer already holds the write lock, so BEGIN is needed only when none is open.
            if dbapi is not None and not dbapi.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        yield


def latest(statement: _S) -> _S:
    """A query for the rows a serialised() block changes: read afresh, not from the session's
    memory of an earlier read, and locked until the commit (FOR UPDATE; SQLite leaves it out)."""
    return statement.with_for_update().execution_options(populate_existing=True)
