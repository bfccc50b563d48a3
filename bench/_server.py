"""What bench/load_mixed.py and bench/fault_kill.py share: a scratch database (a SQLite file, or the
database of a throwaway PostgreSQL server from .ci/postgres) migrated and seeded with an account and
an API token, gunicorn on a loopback port, and a small HTTP client with a keep-alive connection and
cookies.

Gunicorn runs in a process group of its own, so the master and every worker can be killed at once."""
from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner import create_app  # noqa: E402
from planner.accounts import service as accounts  # noqa: E402
from planner.extensions import db  # noqa: E402

BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
DATABASES = ("sqlite", "postgres")
PASSWORD = "a long enough password"
PROFILE = {"name": "Load", "members": [{"name": "A", "age": 35}]}
WEEK_START = "2026-11-23"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def cpu_seconds(belongs: Callable[[int, int, int], bool]) -> float:
    """CPU time used so far by the live processes that `belongs(pid, parent, group)` picks
    (Linux /proc; 0 elsewhere)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        if belongs(int(stat.parent.name), int(fields[1]), int(fields[2])):
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def databases(choice: str) -> list[str]:
    """The databases a --database sqlite|postgres|both flag names, in the order they run."""
    return list(DATABASES) if choice == "both" else [choice]


# -- databases -----------------------------------------------------------------------

@dataclass(frozen=True)
class Account:
    email: str
    password: str
    token: str


@dataclass(frozen=True)
class Database:
    kind: str
    url: str
    folder: Path
    secret_key: str
    account: Account
    server_dir: Path | None = None  # a PostgreSQL server's directory

    def server_cpu_seconds(self) -> float:
        """CPU time the PostgreSQL server (postmaster and backends) has used; 0 for SQLite, which
        runs inside the app's processes."""
        if self.server_dir is None:
            return 0.0
        postmaster = int((self.server_dir / "data" / "postmaster.pid").read_text().split()[0])
        return cpu_seconds(lambda pid, parent, _group: postmaster in (pid, parent))

    @property
    def env(self) -> dict[str, str]:
        """The environment the app reads its settings from."""
        # Plain HTTP on loopback: the session cookie must not be marked HTTPS-only. Capacity runs
        # lift the fair-use limits unless FAIR_USE_OFF=0 is set (bench/fairness.py keeps them).
        return {**os.environ, "DATABASE_URL": self.url, "SECRET_KEY": self.secret_key,
                "SESSION_COOKIE_SECURE": "0", "FAIR_USE_OFF": os.environ.get("FAIR_USE_OFF", "1")}


@contextmanager
def postgres_server() -> Iterator[tuple[str, Path]]:
    """A throwaway PostgreSQL server, stopped (and its directory removed) however the block ends;
    yields the URL of an empty database on it and the server's directory."""
    started = subprocess.run([str(ROOT / ".ci" / "postgres"), "start"], cwd=ROOT, capture_output=True, text=True)
    exports = dict(re.findall(r"^export (\w+)=(\S+)$", started.stdout, re.MULTILINE))
    try:
        if started.returncode or "TEST_DATABASE_URL" not in exports:
            raise RuntimeError(f"could not start PostgreSQL:\n{started.stderr}")
        yield exports["TEST_DATABASE_URL"], Path(exports["PGTEST_DIR"])
    finally:
        if "PGTEST_DIR" in exports:
            subprocess.run([str(ROOT / ".ci" / "postgres"), "stop", exports["PGTEST_DIR"]], cwd=ROOT, check=False)


@contextmanager
def scratch_database(kind: str, folder: Path) -> Iterator[Database]:
    """A migrated, seeded database of `kind` ("sqlite" or "postgres") holding one account with a token."""
    with _empty_database(kind, folder) as (url, server_dir):
        key = secrets.token_hex(32)
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": key}
        for command in (["db", "upgrade"], ["seed"]):
            subprocess.run([str(BIN / "planner"), *command], env=env, cwd=ROOT, check=True, capture_output=True)
        account = _make_account(url, key, f"bench-{kind}@example.com")
        yield Database(kind, url, folder, key, account, server_dir)


@contextmanager
def _empty_database(kind: str, folder: Path) -> Iterator[tuple[str, Path | None]]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}", None
    elif kind == "postgres":
        with postgres_server() as server:
            yield server
    else:
        raise ValueError(f"no such database: {kind}")


@contextmanager
def app_session(url: str, secret_key: str) -> Iterator[Any]:
    """A session of the app bound to the database, for reading and writing it directly; its
    connections are closed afterwards (PostgreSQL will not stop while they stay open)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret_key})
    with app.app_context():
        try:
            yield db.session
        finally:
            db.session.remove()
            db.engine.dispose()


def _make_account(url: str, key: str, email: str) -> Account:
    with app_session(url, key) as session:
        user = accounts.sign_up(session, email, "Bench", PASSWORD)
        token = accounts.create_token(session, user, "bench").secret
    return Account(email, PASSWORD, token)


# -- gunicorn ------------------------------------------------------------------------

class Gunicorn:
    """`gunicorn -w N 'planner:create_app()'` on a free loopback port, its output in `log`.

    start() and stop() may be called again and again (a new port each time); kill() is SIGKILL
    to the master and its workers together, as `kill -9` or the OOM killer would end them."""

    def __init__(self, database: Database, workers: int, log: Path, options: tuple[str, ...] = ()) -> None:
        self.database = database
        self.workers = workers
        self.log = log
        self.options = options
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        self.port = free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"{HOST}:{self.port}", *self.options,
                 "planner:create_app()"],
                env=self.database.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            self._wait_until_up(time.monotonic() + timeout)
        except BaseException:
            self.kill()
            raise

    def _wait_until_up(self, deadline: float) -> None:
        """Until a worker answers: the master listens well before the workers have loaded the app."""
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                connection.request("GET", "/api/v1/foods?per_page=1")
                if connection.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                pass
            finally:
                connection.close()
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in time; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the master and the workers alive now."""
        if self.process is None:
            return 0.0
        master = self.process.pid
        return cpu_seconds(lambda _pid, _parent, group: group == master)

    def stop(self, timeout: float = 40) -> None:
        """A graceful stop: on SIGTERM the master lets its workers finish, reaps them and exits.
        If it has not within `timeout` (gunicorn's graceful timeout is 30 s), SIGKILL to them all."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def kill(self) -> None:
        if self.process is None:
            return
        # The master is not reaped before the signal, so its process group cannot be anyone else's.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the whole group is gone already
        self.process.wait()
        self.process = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


# -- HTTP ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Client:
    """One keep-alive connection to the server, opened again after an error (or when gunicorn's
    sync workers close it after a response), carrying a bearer token and the cookies it was sent."""
    port: int
    token: str | None = None
    timeout: float = 60
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Reply:
        """The reply, whatever its status; an OSError or HTTPException when there is none."""
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a fresh connection
            raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self._keep(cookie)
        return Reply(response.status, dict(response.headers.items()), data)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_json(self, path: str, document: object) -> Reply:
        return self.request("POST", path, json.dumps(document).encode(), {"Content-Type": "application/json"})

    def post_form(self, path: str, fields: Mapping[str, str]) -> Reply:
        return self.request("POST", path, urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def _keep(self, header: str) -> None:
        pair, _, attributes = header.partition(";")
        name, _, value = pair.strip().partition("=")
        lowered = attributes.lower()
        if "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered:
            self.cookies.pop(name, None)  # the server deleted it
        else:
            self.cookies[name] = value

    def close(self) -> None:
        self.connection.close()
