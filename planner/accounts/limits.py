"""Slowing down guessing and bulk sign-ups: attempts are counted per key, and a key that reaches its
limit within the window is locked out for a while, twice as long for each lockout within a day.

Log-in failures are counted per (email, address) pair, per address and per email; a device that has
logged in to the account before (it holds a signed device cookie) is judged by its own failures only,
so strangers guessing at an email or sharing an address cannot lock its owner out.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from planner.clock import as_utc, utc_now
from planner.models import LoginAttempt, LoginLockout

MEMORY = timedelta(days=1)  # lockouts this recent double the next one
LONGEST = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    kind: str
    most: int  # attempts within `window`; the last of them starts a lockout
    window: timedelta
    lockout: timedelta  # the first lockout; each further one within MEMORY doubles

    def key(self, *parts: str) -> str:
        return f"{self.kind}:{' '.join(parts)}"[:300]


# A person mistyping is never stopped; a guesser soon is, and ever more slowly.
PAIR = Limit("pair", 5, timedelta(minutes=15), timedelta(minutes=5))
# Several people of one household share an address.
ADDRESS = Limit("address", 20, timedelta(minutes=15), timedelta(minutes=5))
# Guessing at one account from many addresses.
EMAIL = Limit("email", 10, timedelta(minutes=15), timedelta(minutes=5))
DEVICE = Limit("device", 5, timedelta(minutes=15), timedelta(minutes=5))
SIGNUP = Limit("signup", 5, timedelta(hours=1), timedelta(hours=1))
# Mails asked for: password resets per address and per email, confirmation links per account.
MAIL = Limit("mail", 5, timedelta(hours=1), timedelta(hours=1))


@dataclass(frozen=True)
class Counted:
    """A limit and the key it counts under."""
    limit: Limit
    key: str


def login_keys(email: str, address: str, device: str | None) -> list[Counted]:
    """What a log-in attempt counts against: the device alone when it has logged in to this account
    before, else the (email, address) pair, the address and the email."""
    if device:
        return [Counted(DEVICE, DEVICE.key(device))]
    return [Counted(PAIR, PAIR.key(email, address)), Counted(ADDRESS, ADDRESS.key(address)),
            Counted(EMAIL, EMAIL.key(email))]




def wait(session: Session, counted: Iterable[Counted]) -> int:
    """Seconds until every key is free again; 0 when none is locked out."""
    now = utc_now()
    keys = [c.key for c in counted]
    until = session.scalar(select(func.max(LoginLockout.until)).where(LoginLockout.key.in_(keys)))
    if until is None or as_utc(until) <= now:
        return 0
    return math.ceil((as_utc(until) - now).total_seconds())


def note(session: Session, counted: Iterable[Counted]) -> list[Counted]:
    """Count an attempt against each key; the keys that reach their limit are locked out. Returns
    those keys. The caller commits."""
    now = utc_now()
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - max(SIGNUP.window, PAIR.window)))
    session.execute(delete(LoginLockout).where(LoginLockout.until <= now - MEMORY))
    locked = []
    for item in counted:
        session.add(LoginAttempt(key=item.key, at=now))
        last = session.scalar(select(func.max(LoginLockout.at)).where(LoginLockout.key == item.key))
        since = max(now - item.limit.window, as_utc(last) if last else now - item.limit.window)
        session.flush()
        count = session.scalar(select(func.count(LoginAttempt.id))
                               .where(LoginAttempt.key == item.key, LoginAttempt.at > since)) or 0
        if count >= item.limit.most:
            strikes = session.scalar(select(func.count(LoginLockout.id)).where(
                LoginLockout.key == item.key, LoginLockout.at > now - MEMORY)) or 0
            length = min(item.limit.lockout * 2 ** strikes, LONGEST)
            session.add(LoginLockout(key=item.key, at=now, until=now + length))
            locked.append(item)
    return locked


def lockout_length(session: Session, key: str) -> timedelta | None:
    """How long the latest lockout of a key lasts (for the log and the tests)."""
    row = session.scalars(select(LoginLockout).where(LoginLockout.key == key)
                          .order_by(LoginLockout.at.desc(), LoginLockout.id.desc()).limit(1)).first()
    return None if row is None else as_utc(row.until) - as_utc(row.at)


def forget(session: Session, counted: Iterable[Counted]) -> None:
    """A successful log-in forgets the failures of its pair or device (not its address's, which
    anyone with an account of their own could otherwise wipe). The caller commits."""
    keys = [c.key for c in counted if c.limit in (PAIR, DEVICE)]
    session.execute(delete(LoginAttempt).where(LoginAttempt.key.in_(keys)))
