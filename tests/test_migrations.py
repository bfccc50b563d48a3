"""The schema comes only from migrations, and the migrations agree with the models."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from conftest import make_app
from databases import ON_POSTGRES
from planner.extensions import db


def test_upgrade_from_empty_matches_models(empty_database: str):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations disagree: {diff}"


def test_downgrade_to_base_and_up_again(empty_database: str):
    app = make_app(empty_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"food", "tag", "food_tag"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite PRAGMAs; PostgreSQL always enforces foreign keys")
def test_sqlite_runs_with_foreign_keys_and_wal(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
