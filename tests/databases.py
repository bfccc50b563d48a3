"""Databases for the tests: SQLite files by default, or databases on the PostgreSQL server
that TEST_DATABASE_URL names (`.ci/postgres start` sets it).

Both stores hand out SQLAlchemy URLs. A new database is empty, or a copy of a template:
SQLite copies the file, PostgreSQL runs CREATE DATABASE ... TEMPLATE, which copies the
template's files on the server and takes a fraction of a second.
"""
from __future__ import annotations

import itertools
import os
import secrets
import shutil
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or None
ON_POSTGRES = SERVER_URL is not None


class SqliteStore:
    """One file per database in a folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = itertools.count(1)

    def create(self, template: str | None = None) -> str:
        path = self.folder / f"planner-{next(self.numbers)}.db"
        if template:
            shutil.copy(make_url(template).database, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{make_url(url).database}{suffix}").unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresStore:
    """Databases named planner_<run>_<n> on the test server, made and dropped through the
    server's own database with AUTOCOMMIT (CREATE and DROP DATABASE refuse transactions)."""

    def __init__(self, server_url: str) -> None:
        self.server = make_url(server_url)
        if self.server.get_backend_name() != "postgresql":
            raise ValueError(f"TEST_DATABASE_URL must be a PostgreSQL URL, not {self.server.get_backend_name()}")
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"planner_{secrets.token_hex(3)}"
        self.numbers = itertools.count(1)

    def create(self, template: str | None = None) -> str:
        name = f"{self.prefix}_{next(self.numbers)}"
        # template0 is empty, so a new database has no tables, whatever template1 holds.
        source = make_url(template).database if template else "template0"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            # End the connections a test left open (an app it made and never disposed), then drop:
            # DROP DATABASE waits for them to go and stops an autovacuum worker there itself
            # (WITH (FORCE) would not: it refuses to end the worker, which is not the test's role).
            connection.execute(text("SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                    "WHERE datname = :name AND usename = current_user"), {"name": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))

    def close(self) -> None:
        self.admin.dispose()


def open_store(folder: Path) -> SqliteStore | PostgresStore:
    return PostgresStore(SERVER_URL) if SERVER_URL else SqliteStore(folder)
