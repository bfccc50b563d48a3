"""A server process made ready before its first request (planner/serving.py, gunicorn.conf.py)."""
from __future__ import annotations

import gc
import runpy
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask

from conftest import make_app
from planner.extensions import db
from planner import catalog
from planner.serving import warm

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the suite runs with a collector that sees everything


def _shared() -> tuple[str, None]:
    return db.engine.url.render_as_string(hide_password=True), None  # as the catalog names it


def test_warming_fills_the_shared_caches_and_freezes_what_is_alive(app: Flask):
    with app.app_context():
        assert _shared() not in catalog._BUILT
    assert warm(app)
    with app.app_context():
        built = catalog._BUILT[_shared()]
    assert built.foods and built.dishes and built.index.records()
    assert gc.get_freeze_count() > 100_000


def test_a_database_not_migrated_yet_is_logged_and_the_caches_fill_later(empty_database: str, caplog):
    assert not warm(make_app(empty_database))
    assert "caches not warmed" in caplog.text
    assert gc.get_freeze_count() > 0


def test_gunicorn_warms_each_worker_it_starts(app: Flask):
    settings = runpy.run_path(str(CONFIG))
    assert settings["wsgi_app"] == "planner:create_app()" and settings["workers"] >= 3
    settings["post_worker_init"](SimpleNamespace(wsgi=app))
    with app.app_context():
        assert _shared() in catalog._BUILT
