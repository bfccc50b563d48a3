"""Fair use: how often one account or one address may ask for each kind of work, and how many
heavy jobs (planning a week) may run at once, so one busy client never starves the rest.

Counts live in the database, not in a process, so every server and worker process shares them
and a restart forgets nothing. Each count is one upsert on its own short transaction; a job
running is a lease row that is deleted when the job ends and forgotten after `LEASE_TTL_S` if
its process died. No Flask here: planner.fair_use.web decides which request is which kind.
"""
from __future__ import annotations

import math
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from planner.models.usage import Lease, UsageCount
from planner.refused import Throttled

LEASE_TTL_S = 120  # longer than any job runs (a plan stops at 5 s)


@dataclass(frozen=True)
class Rate:
    most: int
    seconds: int


@dataclass(frozen=True)
class Rule:
    """The limits of one kind of work."""

    kind: str
    per_account: Rate | None = None
    per_address: Rate | None = None
    at_once_per_account: int | None = None  # jobs of this kind one account may run at once
    at_once: int | None = None  # jobs of this kind the whole service runs at once

    @property
    def heavy(self) -> bool:
        return self.at_once is not None or self.at_once_per_account is not None


def rules_from(config: Mapping[str, Mapping[str, Any]]) -> dict[str, Rule]:
    """Rules from the FAIR_USE setting: {kind: {"account": [most, seconds], "address": [...],
    "at_once_per_account": n, "at_once": n}}."""
    def rate(value: Any) -> Rate | None:
        return Rate(int(value[0]), int(value[1])) if value else None

    return {kind: Rule(kind, rate(row.get("account")), rate(row.get("address")), row.get("at_once_per_account"),
                       row.get("at_once")) for kind, row in config.items()}


@dataclass(frozen=True)
class Asker:
    """Who is asking: their account (None when not signed in) and their network address."""

    account: int | None
    address: str


def _too_many(what: str, wait: int) -> Throttled:
    minutes = f"{math.ceil(wait / 60)} minute(s)" if wait >= 60 else f"{wait} seconds"
    return Throttled(f"Too many {what} in a short time. Please wait {minutes} and try again.", retry_after=wait)


def _count(connection: Connection, key: str, rate: Rate, now: float) -> tuple[int, int]:
    """Count one more in the current window of `rate`; (count so far, seconds until the window ends)."""
    window = int(now // rate.seconds)
    table = cast(Table, UsageCount.__table__)
    upsert = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (upsert(table).values(key=key, window=window, count=1)
                 .on_conflict_do_update(index_elements=[table.c.key, table.c.window],
                                        set_={"count": table.c.count + 1})
                 .returning(table.c.count))
    count = int(connection.execute(statement).scalar_one())
    return count, max(int((window + 1) * rate.seconds - now), 1)


WORDS = {"plan": "plans", "check": "checks", "write": "changes", "signup": "sign-ups"}


def take(connection: Connection, rule: Rule, asker: Asker, now: float | None = None) -> None:
    """Count this request against the rule's rates, or Throttled (429) with the wait."""
    now = time.time() if now is None else now
    keys = []
    if rule.per_account and asker.account is not None:
        keys.append((f"{rule.kind}:account:{asker.account}", rule.per_account))
    if rule.per_address:
        keys.append((f"{rule.kind}:address:{asker.address}"[:200], rule.per_address))
    for key, rate in keys:
        count, wait = _count(connection, key, rate, now)
        if count > rate.most:
            raise _too_many(WORDS.get(rule.kind, "requests"), wait)
    if int(now) % 97 == 0:  # now and then, forget windows long gone
        connection.execute(delete(UsageCount).where(UsageCount.window < int(now // 86400) - 2))


@contextmanager
def running(connect: Any, rule: Rule, asker: Asker) -> Iterator[None]:
    """Hold a lease while a heavy job runs; Throttled at once when the account, or the whole
    service, already runs as many as the rule allows. `connect()` gives a transaction
    (engine.begin), used briefly before and after the job, never during it."""
    now = time.time()
    owner = f"{rule.kind}:account:{asker.account if asker.account is not None else asker.address}"[:200]
    with connect() as connection:
        connection.execute(delete(Lease).where(Lease.started < now - LEASE_TTL_S))
        lease = connection.execute(insert(Lease).values(kind=rule.kind, owner=owner, started=now)
                                   .returning(Lease.id)).scalar_one()
    try:
        with connect() as connection:
            earlier = Lease.id <= lease
            mine = connection.scalar(select(func.count(Lease.id)).where(Lease.owner == owner, earlier))
            everyone = connection.scalar(select(func.count(Lease.id)).where(Lease.kind == rule.kind, earlier))
        if rule.at_once_per_account is not None and (mine or 0) > rule.at_once_per_account:
            raise Throttled("Your last plan is still being made. Please wait for it, then try again.",
                            retry_after=2)
        if rule.at_once is not None and (everyone or 0) > rule.at_once:
            raise Throttled("Many plans are being made right now. Please try again in a few seconds.",
                            retry_after=3)
        yield
    finally:
        with connect() as connection:
            connection.execute(delete(Lease).where(Lease.id == lease))
