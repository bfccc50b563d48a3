"""The security log: who logged in, failed, was locked out, ended sessions, changed or reset a password,
made, used or revoked a token, exported or deleted data. Each event names the account (when there is
one) and the address the request came from.

An event never holds a secret (password, token, code, cookie) nor health data (ages, pregnancy,
allergies, profiles): its detail says what happened, not with what.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import SecurityEvent

# The kinds the accounts package writes; other features add their own ("export", "deletion").
LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOCKOUT = "lockout"
LOGOUT = "logout"
SESSION_ENDED = "session.ended"
SESSIONS_ENDED = "sessions.ended"
SIGNUP = "signup"
SIGNUP_TAKEN = "signup.taken"
PASSWORD_CHANGED = "password.changed"
RESET_ASKED = "password.reset.asked"
PASSWORD_RESET = "password.reset"
EMAIL_VERIFIED = "email.verified"
TOKEN_CREATED = "token.created"
TOKEN_USED = "token.used"
TOKEN_REVOKED = "token.revoked"
INVITE_CREATED = "invite.created"
EXPORT = "export"
DELETION = "deletion"

_KIND = re.compile(r"[a-z][a-z0-9_.-]{0,39}")
MAX_DETAIL = 300
MAX_ADDRESS = 64

# How each kind reads on the account page; a kind not listed reads as itself.
LABELS = {
    LOGIN: "Logged in", LOGIN_FAILED: "Wrong password", LOCKOUT: "Log-ins paused after failures",
    LOGOUT: "Logged out", SESSION_ENDED: "Session ended", SESSIONS_ENDED: "Logged out everywhere",
    SIGNUP: "Account made", SIGNUP_TAKEN: "Someone tried to sign up with this email",
    PASSWORD_CHANGED: "Password changed", RESET_ASKED: "Password reset asked for",
    PASSWORD_RESET: "Password reset", EMAIL_VERIFIED: "Email confirmed", TOKEN_CREATED: "API token made",
    TOKEN_USED: "API token used", TOKEN_REVOKED: "API token revoked", INVITE_CREATED: "Invitation made",
    EXPORT: "Data exported", DELETION: "Data deleted",
}


def record(session: Session, kind: str, user_id: int | None, address: str, detail: str = "") -> SecurityEvent:
    """Add an event to the log. It is written with the caller's transaction (the caller commits), so the
    event and the change it records land together. `detail` is a short plain description; never put a
    secret or health data in it."""
    if not _KIND.fullmatch(kind):
        raise ValueError(f"not an event kind: {kind!r}")
    event = SecurityEvent(kind=kind, user_id=user_id, address=_plain(address, MAX_ADDRESS),
                          detail=_plain(detail, MAX_DETAIL))
    session.add(event)
    return event


def _plain(text: str, limit: int) -> str:
    """Printable text of at most `limit` characters: a log line cannot be forged with a line break."""
    return "".join(c if c.isprintable() else " " for c in text)[:limit]


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    label: str
    address: str
    detail: str


def recent(session: Session, user_id: int, limit: int = 20) -> list[Event]:
    """The account's latest events, newest first, as its owner sees them."""
    rows = session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == user_id)
                           .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc()).limit(limit))
    return [Event(row.at, row.kind, LABELS.get(row.kind, row.kind), row.address, row.detail) for row in rows]
