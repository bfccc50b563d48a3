"""Login sessions kept on the server: the login cookie (and the "remember me" cookie) holds
"<session id>:<secret>", and a request is signed in only while that row is neither revoked nor timed
out. Logging out, changing or resetting the password and "log out everywhere" revoke rows, so a copied
cookie stops working at once.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from planner.clock import as_utc, utc_now
from planner.accounts.codes import changed, digest
from planner.models import User, UserSession

# last_seen_at is written at most this often: not a database write on every page.
SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta
    absolute: timedelta
    remember_idle: timedelta
    remember_absolute: timedelta

    def of(self, remember: bool) -> tuple[timedelta, timedelta]:
        return (self.remember_idle, self.remember_absolute) if remember else (self.idle, self.absolute)


DEFAULT_TIMEOUTS = Timeouts(timedelta(hours=2), timedelta(hours=12), timedelta(days=30), timedelta(days=90))


@dataclass(frozen=True)
class ActiveSession:
    """A session as its owner sees it on the account page."""
    id: int
    agent: str
    created_at: datetime
    last_seen_at: datetime
    remember: bool
    current: bool




def open_session(session: Session, user: User, remember: bool = False, agent: str = "") -> str:
    """A new session for someone who just proved who they are; returns the login id for the cookie
    (also set on the user for Flask-Login). The caller commits."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(user=user, secret_hash=digest(secret), remember=remember, agent=device_name(agent),
                      created_at=utc_now(), last_seen_at=utc_now())
    session.add(row)
    session.flush()
    user.login_id = f"{row.id}:{secret}"
    return user.login_id


def session_id(login_id: str | None) -> int | None:
    """The session row a login id names (without checking it)."""
    number, _, _ = (login_id or "").partition(":")
    return int(number) if number.isdigit() and len(number) < 10 else None


def _live(row: UserSession, timeouts: Timeouts, now: datetime) -> bool:
    idle, absolute = timeouts.of(row.remember)
    return (row.revoked_at is None and now - as_utc(row.last_seen_at) < idle
            and now - as_utc(row.created_at) < absolute)


def load(session: Session, login_id: str, timeouts: Timeouts) -> User | None:
    """The user of a live session, noting that it was seen; None when the id names no live session."""
    number = session_id(login_id)
    if number is None:
        return None
    row = session.scalar(select(UserSession).options(joinedload(UserSession.user))
                         .where(UserSession.id == number))
    now = utc_now()
    _, _, secret = login_id.partition(":")
    if row is None or not secrets.compare_digest(row.secret_hash, digest(secret)) or not _live(row, timeouts, now):
        return None
    if now - as_utc(row.last_seen_at) >= SEEN_EVERY:
        row.last_seen_at = now
        session.commit()
    row.user.login_id = login_id
    return row.user


def revoke(session: Session, user_id: int, number: int) -> bool:
    """End one of the user's sessions; False when they have no such live session. The caller commits."""
    done = session.execute(update(UserSession).where(UserSession.id == number, UserSession.user_id == user_id,
                                                     UserSession.revoked_at.is_(None))
                           .values(revoked_at=utc_now()))
    return changed(done) > 0


def revoke_all(session: Session, user_id: int) -> int:
    """End every session of the user; how many were live. The caller commits."""
    done = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                     UserSession.revoked_at.is_(None))
                           .values(revoked_at=utc_now()))
    return changed(done)


def active(session: Session, user_id: int, current: int | None, timeouts: Timeouts) -> list[ActiveSession]:
    """The user's live sessions, the most recently seen first."""
    now = utc_now()
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                     UserSession.revoked_at.is_(None))
                           .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return [ActiveSession(row.id, row.agent or "Unknown device", as_utc(row.created_at), as_utc(row.last_seen_at),
                          row.remember, row.id == current)
            for row in rows if _live(row, timeouts, now)]


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"), ("curl/", "curl"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_name(agent: str) -> str:
    """A short name for a browser's User-Agent ("Firefox on Linux"): enough to tell devices apart,
    without keeping the whole string."""
    browser = next((name for marker, name in _BROWSERS if marker in agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or re.sub(r"[^\w .;/()-]", "", agent)[:40]


RECENT_CHECKS = 8


def recent_checks(session: Session, number: int | None) -> list[dict[str, Any]]:
    """The last checks made in this session, newest first."""
    row = session.get(UserSession, number) if number is not None else None
    return list(row.recent_checks or []) if row is not None else []


def note_check(session: Session, number: int | None, entry: dict[str, Any]) -> None:
    """Put a check first in the session's recent checks (no repeats). The caller commits."""
    row = session.get(UserSession, number) if number is not None else None
    if row is not None:
        kept = [e for e in row.recent_checks or [] if e.get("query") != entry["query"]]
        row.recent_checks = [entry, *kept][:RECENT_CHECKS]
