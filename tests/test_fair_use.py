"""Fair use: one account or address asking too much gets 429 with Retry-After, heavy jobs run
a few at a time, and nobody else is slowed or refused by it."""
from __future__ import annotations

import threading
from collections import Counter

import pytest
from flask import Flask
from sqlalchemy import func, select

from conftest import MEMBER, OTHER, logged_in, make_app, user
from planner.extensions import db
from planner.fair_use import Asker, rules_from, running
from planner.models import Lease

PROFILE = {"profile": {"name": "Fair", "members": [{"name": "A", "age": 35}]}, "week_start": "2026-11-23"}


@pytest.fixture
def limited(database: str):
    def build(**rules: dict) -> Flask:
        app = make_app(database, FAIR_USE=rules)
        app.app_context().push()
        return app
    return build


def test_checks_from_one_address_are_limited_and_another_address_is_not(limited):
    # An hour's window: four requests that straddle a window's edge (the count starts again) are
    # then all but impossible, where a minute's window made the test fail now and then.
    app = limited(check={"address": [3, 3600]})
    client = app.test_client()
    codes = [client.get("/api/v1/check?q=oats").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get("/api/v1/check?q=oats")
    assert int(refused.headers["Retry-After"]) > 0 and "Too many checks" in refused.get_json()["error"]
    elsewhere = app.test_client().get("/api/v1/check?q=oats", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 200
    # The checker page without a question is a light read, not a check.
    assert client.get("/check/").status_code == 200


def test_a_second_plan_while_the_first_is_being_made_is_refused_at_once(limited):
    app = limited(plan={"at_once_per_account": 1, "at_once": 2})
    asker = Asker(user(MEMBER).id, "127.0.0.1")
    with running(db.engine.begin, rules_from(app.config["FAIR_USE"])["plan"], asker):
        busy = logged_in(app, MEMBER).post("/api/v1/plans", json=PROFILE)
        other = logged_in(app, OTHER).post("/api/v1/plans", json=PROFILE)
    assert busy.status_code == 429 and "still being made" in busy.get_json()["error"]
    assert busy.headers["Retry-After"] == "2"
    assert other.status_code == 201
    assert db.session.scalar(select(func.count(Lease.id))) == 0  # every job let go of its lease
    assert logged_in(app, MEMBER).post("/api/v1/plans", json=PROFILE).status_code == 201


def test_the_service_runs_only_so_many_plans_at_once(limited):
    app = limited(plan={"at_once": 1})
    rule = rules_from(app.config["FAIR_USE"])["plan"]
    with running(db.engine.begin, rule, Asker(user(OTHER).id, "10.0.0.2")):
        refused = logged_in(app, MEMBER).post("/api/v1/plans", json=PROFILE)
    assert refused.status_code == 429 and "Many plans" in refused.get_json()["error"]


def test_plans_from_one_account_are_counted_across_pages_and_api(limited):
    app = limited(plan={"account": [2, 600]})
    client = logged_in(app, MEMBER)
    assert client.post("/api/v1/plans", json=PROFILE).status_code == 201
    assert client.post("/api/v1/plans", json=PROFILE).status_code == 201
    assert client.post("/api/v1/plans", json=PROFILE).status_code == 429
    assert logged_in(app, OTHER).post("/api/v1/plans", json=PROFILE).status_code == 201


def test_a_lease_left_by_a_dead_process_is_forgotten(limited):
    import time
    app = limited(plan={"at_once_per_account": 1})
    db.session.add(Lease(kind="plan", owner=f"plan:account:{user(MEMBER).id}", started=time.time() - 3600))
    db.session.commit()
    assert logged_in(app, MEMBER).post("/api/v1/plans", json=PROFILE).status_code == 201


def test_a_flood_of_checks_from_threads_is_cut_off_and_the_count_is_exact(limited):
    app = limited(check={"address": [20, 600]})
    codes: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(6)

    def flood() -> None:
        client = app.test_client()
        start.wait()
        for _ in range(8):
            with app.app_context():
                code = client.get("/api/v1/check?q=apple").status_code
            with lock:
                codes[code] += 1

    threads = [threading.Thread(target=flood) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == Counter({200: 20, 429: 28})  # no count lost between threads, no 500
