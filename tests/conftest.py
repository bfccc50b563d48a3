"""Fixtures: an app on its own database, migrated and seeded once per session and copied
for each test, so every test starts from the same curated database. The databases are
SQLite files, or PostgreSQL databases when TEST_DATABASE_URL names a server (tests/databases.py).

The seeded database holds three accounts, each in a household of its own: MEMBER (whom the
`client` fixture is logged in as), OTHER (the `other_client`) and ADMIN (the `admin_client`).
`anon` is a visitor who is not logged in."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server
from sqlalchemy import select

from databases import PostgresStore, SqliteStore, open_store
from planner import create_app
from planner.accounts import service as accounts
from planner.config import TestConfig
from planner.data import curated_food_records, curated_recipe_records, vocabulary
from planner.extensions import db
from planner.foods import store
from planner.models import User
from planner.recipes import store as recipe_store

PASSWORD = "a long enough password"
MEMBER, OTHER, ADMIN = "member@example.com", "other@example.com", "admin@example.com"


def make_app(database: str, **settings: object) -> Flask:
    """An app on `database`, a SQLAlchemy URL."""
    return create_app({
        **{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
        "SQLALCHEMY_DATABASE_URI": database,
        **settings,
    })


@pytest.fixture(scope="session")
def database_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore | PostgresStore]:
    opened = open_store(tmp_path_factory.mktemp("databases"))
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def seeded_database(database_store: SqliteStore | PostgresStore) -> Iterator[str]:
    url = database_store.create()
    app = make_app(url)
    with app.app_context():
        upgrade()
        store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
        recipe_store.seed_recipes(db.session, curated_recipe_records())
        accounts.sign_up(db.session, MEMBER, "Mira", PASSWORD)
        accounts.sign_up(db.session, OTHER, "Otto", PASSWORD)
        accounts.create_admin(db.session, ADMIN, "Ada", PASSWORD)
        db.session.remove()
        db.engine.dispose()  # a template database must have no connections to be copied
    yield url
    database_store.drop(url)


@pytest.fixture
def database(database_store: SqliteStore | PostgresStore, seeded_database: str) -> Iterator[str]:
    """The URL of a fresh copy of the seeded database."""
    url = database_store.create(template=seeded_database)
    yield url
    database_store.drop(url)


@pytest.fixture
def empty_database(database_store: SqliteStore | PostgresStore) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    url = database_store.create()
    yield url
    database_store.drop(url)


@pytest.fixture
def app(database: str) -> Iterator[Flask]:
    app = make_app(database)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def logged_in(app: Flask, email: str) -> FlaskClient:
    """A client with the login cookie of an account (set directly: no slow password hash per test)."""
    client = app.test_client()
    user = db.session.scalar(select(User).where(User.email == email))
    with client.session_transaction() as session:
        session["_user_id"] = accounts.open_session(db.session, user)
        session["_fresh"] = True
    return client


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return logged_in(app, MEMBER)


@pytest.fixture
def other_client(app: Flask) -> FlaskClient:
    return logged_in(app, OTHER)


@pytest.fixture
def admin_client(app: Flask) -> FlaskClient:
    return logged_in(app, ADMIN)


@pytest.fixture
def anon(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def kims(client: FlaskClient) -> FlaskClient:
    """The member's client, their household with a profile of Kim (8) and Sam (36): a diary's members."""
    from planner.plans import service as plans, store as plan_store
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [
        {"name": "Kim", "age": 8}, {"name": "Sam", "age": 36, "sex": "female"}]})
    plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    return client


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


# --- a real browser: Debian's Chromium through Playwright, against the app on a port ----------

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own calls home are refused by this kind of machine's closed network.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def live_settings() -> dict[str, object]:
    """Settings of the live server beyond these; a test module overrides this fixture to change them."""
    return {}


@pytest.fixture
def live_server(database: str, live_settings: dict[str, object]) -> Iterator[str]:
    """The app served over HTTP on a free loopback port, CSRF on, as in production."""
    app = make_app(database, WTF_CSRF_ENABLED=True, **live_settings)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser_args() -> list[str]:
    """Chromium's command line; a test module overrides this fixture to add to it."""
    return ARGS


@pytest.fixture(scope="module")
def browser(browser_args: list[str]) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs it with apt.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=browser_args)
        yield browser
        browser.close()
