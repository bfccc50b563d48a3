"""Slowing down password guessing: failed log-ins are counted per email and per address."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.models import LoginAttempt

WINDOW = timedelta(minutes=15)
# Per email: a person mistyping is never stopped, a guesser soon is. Per address: a little
# more, as several people of one household share an address.
LIMITS = {"email": 5, "ip": 20}


def _keys(email: str, address: str) -> dict[str, str]:
    return {"email": f"email:{email.strip().lower()}"[:300], "ip": f"ip:{address}"[:300]}


def _now() -> datetime:
    return datetime.now(UTC)


def blocked(session: Session, email: str, address: str) -> bool:
    """True when this email or address failed too often within the window."""
    since = _now() - WINDOW
    for kind, key in _keys(email, address).items():
        count = session.scalar(select(func.count(LoginAttempt.id))
                               .where(LoginAttempt.key == key, LoginAttempt.at > since))
        if (count or 0) >= LIMITS[kind]:
            return True
    return False


def record_failure(session: Session, email: str, address: str) -> None:
    """Count a failed attempt (and forget attempts older than the window). The caller commits."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= _now() - WINDOW))
    session.add_all(LoginAttempt(key=key) for key in _keys(email, address).values())


def clear(session: Session, email: str) -> None:
    """A successful log-in forgets that email's failures. The caller commits."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == _keys(email, "")["email"]))
