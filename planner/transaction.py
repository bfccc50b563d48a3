"""One unit of work: everything a block writes lands together or not at all."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def committed(session: Session) -> Iterator[None]:
    """Commit what the block writes, or roll all of it back and re-raise."""
    try:
        yield
        session.commit()
    except Exception:
        session.rollback()
        raise
