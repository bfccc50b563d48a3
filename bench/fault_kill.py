"""Crash safety: SIGKILL gunicorn in the middle of writes, start it again, and check that nothing the
server acknowledged was lost and nothing was half-written. On SQLite and on PostgreSQL.

For each database: a scratch seeded database with one account, gunicorn, and `--writers` clients
that each log in through the login form (cookie and CSRF token, as a browser does) and then, over
and over, make a plan (POST /api/v1/plans with the account's API token) or change the shopping list
of one of their own plans through its forms: add an extra ("2 lemons") or tick or untick a food.
Every write the server acknowledged (a plan's 201, a form's redirect back to its list) is recorded
with what it committed. Once `--seconds` have passed, the database itself is watched until some
connection is in the middle of a write transaction (SQLite: the write lock is held; PostgreSQL: a
session has a transaction id), and at that moment the master and the workers get SIGKILL together
(their process group). Then the server starts again on the same database and:
- every acknowledged plan reads back (GET /api/v1/plans/<id>) with the days and meals its 201 held;
- every acknowledged extra is on its list, and every acknowledged tick is as last acknowledged
  (a tick still unanswered at the kill may have landed or not);
- straight from the database: every plan has 7 days x its profile's meals of slots, and no slot,
  mark or extra belongs to a plan that does not exist.
This is repeated `--rounds` times; each check covers everything acknowledged since the start.

The kill ends the app's processes, not the database server or the machine, so it tests that every
write is one transaction, not the disks (the throwaway PostgreSQL server runs with fsync off).

Run: .venv/bin/python bench/fault_kill.py [--database sqlite|postgres|both] [--rounds 3]
     [--writers 6] [--seconds 5] [--workers N (default: as many as writers)]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from _server import WEEK_START, Account, Client, Database, Gunicorn, Reply, app_session, databases, scratch_database
from planner.models import Plan, PlanSlot, ShoppingExtra, ShoppingMark
from planner.plans.problem import DAYS

PROFILES = [
    {"name": "Pair", "members": [{"name": "A", "age": 35}, {"name": "B", "age": 37}]},
    {"name": "Family", "members": [{"name": "A", "age": 40}, {"name": "C", "age": 6}],
     "meals": ["breakfast", "lunch", "dinner"]},
    {"name": "Solo", "members": [{"name": "A", "age": 29}], "meals": ["dinner", "snack"]},
]
EXTRAS = ["2 lemons", "500 g mince", "1 can chickpeas", "kitchen roll"]
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|'
                  r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')
KILL_WAIT_S = 10  # how long to watch for a write transaction before killing anyway
# Another session of the app's database that has written and not yet committed or rolled back.
POSTGRES_WRITING = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")


Slots = list[tuple[str, str, str, float]]


def slots_of(plan: dict) -> Slots:
    """(date, meal, recipe, servings) of every meal in a plan's JSON."""
    return [(day["date"], meal["slot"], meal["recipe"]["slug"], meal["servings"])
            for day in plan["days"] for meal in day["meals"]]


def whole(plan: dict) -> bool:
    """Whether a plan's JSON has a dish for every meal of its profile on every day."""
    return len(slots_of(plan)) == DAYS * len(plan["profile"]["meals"])


def acknowledged(reply: Reply, plan: int) -> bool:
    """A list form's answer that says it saved: the redirect back to the list (not to the login page)."""
    return reply.status == 302 and reply.headers.get("Location", "").startswith(f"/shopping/plans/{plan}")


# -- what the server acknowledged ------------------------------------------------------

@dataclass
class Ledger:
    """Every write the server acknowledged, and the writes still waiting for an answer."""
    plans: dict[int, Slots] = field(default_factory=dict)  # id -> the slots its 201 answer held
    extras: Counter[tuple[int, str]] = field(default_factory=Counter)  # (plan, text) -> times added
    ticks: dict[tuple[int, str], bool] = field(default_factory=dict)  # (plan, food) -> last acknowledged state
    unsure: set[tuple[int, str]] = field(default_factory=set)  # ticks whose last request was never answered
    refused: Counter[str] = field(default_factory=Counter)  # answers other than 2xx/3xx while the server was up
    in_flight: Counter[str] = field(default_factory=Counter)  # writes sent and not yet answered, by kind
    lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def writing(self, kind: str) -> Iterator[None]:
        with self.lock:
            self.in_flight[kind] += 1
        try:
            yield
        finally:
            with self.lock:
                self.in_flight[kind] -= 1

    def refuse(self, kind: str, reply: Reply) -> None:
        with self.lock:
            self.refused[f"{kind}: HTTP {reply.status} {reply.body[:100].decode(errors='replace')}"] += 1


class Writer(threading.Thread):
    """One person: logs in, then makes plans and changes their lists until told to stop."""

    def __init__(self, number: int, port: int, account: Account, ledger: Ledger, stop: threading.Event,
                 plans: list[int]) -> None:
        super().__init__(name=f"writer-{number}")
        self.rng = random.Random(number * 7919 + port)
        self.client = Client(port, account.token)
        self.account, self.ledger, self.stop = account, ledger, stop
        self.plans = plans  # this writer's acknowledged plans, kept from round to round
        self.foods: dict[int, list[str]] = {}
        self.csrf = ""
        self.ready = threading.Event()  # logged in: the round's clock starts when every writer is
        self.failures: Counter[str] = Counter()  # no answer while the server was up

    def run(self) -> None:
        try:
            self.log_in()
            self.ready.set()
            while not self.stop.is_set():
                self.step()
        except Exception as exc:  # after the kill, expected; before it, a finding of the round
            if not self.stop.is_set():
                self.failures[f"{type(exc).__name__}: {exc}"] += 1
        finally:
            self.ready.set()
            self.client.close()

    def log_in(self) -> None:
        """The login form as a browser fills it; then the token the shopping-list forms need."""
        token = self.csrf_token("/account/login")
        reply = self.client.post_form("/account/login", {"email": self.account.email,
                                                         "password": self.account.password, "csrf_token": token})
        if reply.status != 302:
            raise RuntimeError(f"log-in refused: {reply.status}")
        self.csrf = self.csrf_token("/account/")  # logging in starts a new session, with a new token

    def csrf_token(self, path: str) -> str:
        reply = self.client.get(path)
        found = CSRF.search(reply.body.decode())
        if reply.status != 200 or not found:
            raise RuntimeError(f"no CSRF token on {path} ({reply.status})")
        return found.group(1) or found.group(2)

    def step(self) -> None:
        if not self.plans or self.rng.random() < 0.3:
            self.make_plan()
        else:
            plan = self.rng.choice(self.plans)
            (self.add_extra if self.rng.random() < 0.5 else self.tick)(plan)

    def make_plan(self) -> None:
        body = {"profile": self.rng.choice(PROFILES), "week_start": WEEK_START}
        with self.ledger.writing("plan"):
            # The login cookie goes along, so the API wants the page's CSRF token as well.
            reply = self.client.request("POST", "/api/v1/plans", json.dumps(body).encode(),
                                        {"Content-Type": "application/json", "X-CSRFToken": self.csrf})
        if reply.status != 201:
            return self.ledger.refuse("plan", reply)
        plan = json.loads(reply.body)
        if not whole(plan):
            return self.ledger.refuse("plan (not a whole week)", reply)
        with self.ledger.lock:
            self.ledger.plans[plan["id"]] = slots_of(plan)
        self.plans.append(plan["id"])

    def add_extra(self, plan: int) -> None:
        text = self.rng.choice(EXTRAS)
        with self.ledger.writing("extra"):
            reply = self.client.post_form(f"/shopping/plans/{plan}/extras", {"text": text, "csrf_token": self.csrf})
        if not acknowledged(reply, plan):
            return self.ledger.refuse("extra", reply)
        with self.ledger.lock:
            self.ledger.extras[(plan, text)] += 1

    def tick(self, plan: int) -> None:
        if plan not in self.foods:  # a read, to learn what the list holds
            reply = self.client.get(f"/api/v1/plans/{plan}/shopping-list")
            if reply.status != 200:
                return self.ledger.refuse("list", reply)
            self.foods[plan] = [item["food"] for aisle in json.loads(reply.body)["aisles"] for item in aisle["items"]]
        key = (plan, self.rng.choice(self.foods[plan]))
        checked = self.rng.random() < 0.75
        with self.ledger.lock:
            self.ledger.unsure.add(key)
        with self.ledger.writing("tick"):
            reply = self.client.post_form(
                f"/shopping/plans/{plan}/ticks",
                {"key": f"food:{key[1]}", "checked": "1" if checked else "0", "csrf_token": self.csrf})
        if not acknowledged(reply, plan):
            return self.ledger.refuse("tick", reply)  # takes the lock itself
        with self.ledger.lock:
            self.ledger.ticks[key] = checked
            self.ledger.unsure.discard(key)


# -- one round: write, kill ----------------------------------------------------------

@contextmanager
def write_watch(database: Database) -> Iterator[Callable[[], bool]]:
    """A test, asked of the database itself, for "a connection is in the middle of a write"."""
    if database.kind == "sqlite":
        # Taking the write lock without waiting fails exactly while another connection holds it.
        connection = sqlite3.connect(make_url(database.url).database, timeout=0, isolation_level=None)

        def writing() -> bool:
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            connection.execute("ROLLBACK")
            return False

        try:
            yield writing
        finally:
            connection.close()
    else:
        engine = create_engine(database.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as session:
                yield lambda: bool(session.scalar(POSTGRES_WRITING))
        finally:
            engine.dispose()


def write_then_kill(server: Gunicorn, database: Database, ledger: Ledger, plans: list[list[int]],
                    seconds: float, rng: random.Random) -> tuple[bool, dict[str, int], Counter[str]]:
    """Writers run for about `seconds`; then gunicorn is killed as soon as the database shows a
    write transaction open. Returns whether one was, the requests in flight at the kill by kind,
    and the writers' failures before it."""
    stop = threading.Event()
    writers = [Writer(n, server.port, database.account, ledger, stop, mine) for n, mine in enumerate(plans)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.ready.wait()
    time.sleep(seconds * rng.uniform(0.7, 1.0))
    with write_watch(database) as writing:
        deadline = time.monotonic() + KILL_WAIT_S
        while not (caught := writing()) and time.monotonic() < deadline:
            time.sleep(0.0005)
        with ledger.lock:
            stop.set()  # the writers send nothing more; what they sent is still on its way
            server.kill()
            in_flight = {kind: n for kind, n in ledger.in_flight.items() if n}
    for writer in writers:
        writer.join()
    return caught, in_flight, sum((w.failures for w in writers), Counter())


# -- checks --------------------------------------------------------------------------

@dataclass
class Findings:
    lost: list[str] = field(default_factory=list)  # acknowledged and not there, or not as acknowledged
    plans_in_database: int = 0
    extras_in_database: int = 0
    half_written: list[str] = field(default_factory=list)
    orphans: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.lost and not self.half_written and not any(self.orphans.values())


def check_answers(port: int, token: str, ledger: Ledger, findings: Findings) -> None:
    """Read back every acknowledged plan and list change through the API."""
    client = Client(port, token)
    for plan_id, slots in sorted(ledger.plans.items()):
        reply = client.get(f"/api/v1/plans/{plan_id}")
        if reply.status != 200:
            findings.lost.append(f"plan {plan_id}: HTTP {reply.status}")
        elif slots_of(json.loads(reply.body)) != slots:
            findings.lost.append(f"plan {plan_id}: its meals differ from the 201 answer")
    lists = {plan for plan, _ in ledger.extras} | {plan for plan, _ in ledger.ticks}
    for plan_id in sorted(lists):
        reply = client.get(f"/api/v1/plans/{plan_id}/shopping-list")
        if reply.status != 200:
            findings.lost.append(f"plan {plan_id}'s list: HTTP {reply.status}")
        else:
            check_list(plan_id, json.loads(reply.body), ledger, findings)
    client.close()


def check_list(plan_id: int, shopping: dict, ledger: Ledger, findings: Findings) -> None:
    aisles = shopping["aisles"]
    stored = Counter(extra["text"] for aisle in aisles for extra in aisle["extras"])
    # A list keeps the same words once, however often they are added: each acknowledged text is there.
    for (plan, words), count in ledger.extras.items():
        if plan == plan_id and not stored[words]:
            findings.lost.append(f"plan {plan_id}: '{words}' acknowledged {count} x, not on the list")
    items = [item for aisle in aisles for item in aisle["items"]] + shopping["pantry"] + shopping["removed"]
    checked = {item["food"]: item["checked"] for item in items}
    for (plan, food), state in ledger.ticks.items():
        if plan == plan_id and (plan, food) not in ledger.unsure and checked.get(food) != state:
            findings.lost.append(f"plan {plan_id}: {food} acknowledged checked={state}, "
                                 f"the list says {checked.get(food)}")


def check_database(database: Database, findings: Findings) -> None:
    """Straight from the tables: whole plans only, and nothing left of a plan that is not there."""
    with app_session(database.url, database.secret_key) as session:
        slots = dict(session.execute(select(PlanSlot.plan_id, func.count()).group_by(PlanSlot.plan_id)).all())
        plans = session.execute(select(Plan.id, Plan.profile_data)).all()
        findings.plans_in_database = len(plans)
        findings.extras_in_database = session.scalar(select(func.count()).select_from(ShoppingExtra))
        for plan_id, profile in plans:
            expected = DAYS * len(profile["meals"])
            if slots.get(plan_id, 0) != expected:
                findings.half_written.append(f"plan {plan_id}: {slots.get(plan_id, 0)} of {expected} slots")
        for table in (PlanSlot, ShoppingMark, ShoppingExtra):
            findings.orphans[table.__tablename__] = session.scalar(
                select(func.count()).select_from(table).where(table.plan_id.not_in(select(Plan.id))))


# -- a database ----------------------------------------------------------------------

def run(database: Database, rounds: int, writers: int, seconds: float, workers: int) -> bool:
    ledger, rng = Ledger(), random.Random(1)
    plans: list[list[int]] = [[] for _ in range(writers)]
    server = Gunicorn(database, workers, database.folder / "gunicorn.log")
    passed = True
    try:
        server.start()
        for round_number in range(1, rounds + 1):
            caught, in_flight, failures = write_then_kill(server, database, ledger, plans, seconds, rng)
            started = time.monotonic()
            server.start()
            restart = time.monotonic() - started
            findings = Findings()
            check_answers(server.port, database.account.token, ledger, findings)
            check_database(database, findings)
            passed &= report_round(f"{database.kind} round {round_number}", caught, in_flight, failures, restart,
                                   ledger, findings)
    finally:
        server.stop()
    print(f"{database.kind}: {'PASS' if passed else 'FAIL'} (kills: {rounds}): {len(ledger.plans)} plans, "
          f"{sum(ledger.extras.values())} extras and {len(ledger.ticks)} ticks acknowledged"
          + (", every one read back as acknowledged, no plan half-written, no orphans" if passed else ""))
    return passed


def report_round(title: str, caught: bool, in_flight: dict[str, int], failures: Counter[str],
                 restart: float, ledger: Ledger, findings: Findings) -> bool:
    flying = ", ".join(f"{k} {n}" for k, n in sorted(in_flight.items()))
    when = "in the middle of a write transaction" if caught else f"with no write transaction seen in {KILL_WAIT_S} s"
    print(f"{title}: killed {when}, {sum(in_flight.values())} writes in flight ({flying or 'none'}); "
          f"restarted in {restart:.1f} s")
    print(f"  acknowledged so far: {len(ledger.plans)} plans, {sum(ledger.extras.values())} extras, "
          f"{len(ledger.ticks)} ticks (ticks a kill left unanswered, not checked: {len(ledger.unsure)})")
    extras = len(ledger.extras)  # distinct (plan, words): a list keeps the same words once
    print(f"  database: {findings.plans_in_database} plans and {findings.extras_in_database} extras "
          f"({findings.plans_in_database - len(ledger.plans)} and {findings.extras_in_database - extras} committed "
          f"but never answered); half-written plans: {len(findings.half_written)}; orphans: "
          + ", ".join(f"{table} {n}" for table, n in findings.orphans.items()))
    print(f"  lost or changed: {len(findings.lost)}; refused while up: {sum(ledger.refused.values())}; "
          f"no answer while up: {sum(failures.values())}")
    for problem in (findings.lost + findings.half_written)[:10]:
        print(f"    {problem}")
    for what, count in list(ledger.refused.items())[:5] + list(failures.items())[:5]:
        print(f"    {count} x {what}")
    return findings.ok and not ledger.refused and not failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=5,
                        help="writing time before each kill, from when every writer is logged in (default 5)")
    parser.add_argument("--workers", type=int,
                        help="gunicorn workers (default one per writer, so that no write sent waits in the "
                             "listen queue: each is being executed when the kill comes)")
    args = parser.parse_args()
    started, verdicts = time.perf_counter(), {}
    for kind in databases(args.database):
        with tempfile.TemporaryDirectory() as folder, scratch_database(kind, Path(folder)) as database:
            verdicts[kind] = run(database, args.rounds, args.writers, args.seconds, args.workers or args.writers)
    verdict = "PASS" if all(verdicts.values()) else "FAIL"
    print(f"\n{verdict}: " + ", ".join(f"{k} {'PASS' if v else 'FAIL'}" for k, v in verdicts.items())
          + f" ({time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
