"""Random one-time codes and tokens, the digests kept in their place, and using a code up."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from planner.models import EmailCode, Invite


def new_secret(prefix: str = "") -> str:
    """A long random secret: 32 bytes, URL-safe, with a prefix that says what it is for."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What the database keeps: a SHA-256 of a high-entropy secret needs no salt or slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def claim(session: Session, model: type[Invite] | type[EmailCode], code: str, *conditions: Any) -> int | None:
    """Use up a one-time code, if it still can be, with one conditional UPDATE: of two requests racing
    with the same code, exactly one gets the row's id (the other None). The caller commits."""
    row_id = session.scalar(select(model.id).where(model.code_hash == digest(code.strip()), *conditions))
    if row_id is None:
        return None
    now = datetime.now(UTC)
    done = session.execute(update(model).where(model.id == row_id, model.used_at.is_(None), model.expires_at > now)
                           .values(used_at=now).execution_options(synchronize_session=False))
    return row_id if changed(done) == 1 else None


def changed(result: Any) -> int:
    """How many rows an UPDATE changed."""
    return int(getattr(result, "rowcount", 0) or 0)
