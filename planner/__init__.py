"""Gut Planner: a food database, checker, meal planner and shopping list for gut health."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from planner import localize, security
from planner.accounts import web
from planner.fair_use import web as fair_use_web
from planner.config import INSTANCE_DIR, Config, resource_dir
from planner.extensions import csrf, db, migrate
from planner.json_input import BoundedRequest
from planner.models import MAX_ID


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    # Templates and migrations sit at the top of a checkout and inside the package of a wheel.
    app = Flask(
        __name__,
        template_folder=str(resource_dir("templates")),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    app.request_class = BoundedRequest

    security.init(app)
    localize.init(app)  # before any template compiles: pages use its gettext and filters
    # Before any route is added: every <int:...> in a URL stops at the largest id.
    app.url_map.converters["int"] = _RowNumberConverter
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    web.init(app)
    fair_use_web.init(app)

    from planner import api, errors, main
    from planner.accounts import routes as account_routes
    from planner.checker import routes as checker_routes
    from planner.diary import routes as diary_routes
    from planner.foods import routes as food_routes
    from planner.plans import routes as plan_routes
    from planner.recipes import routes as recipe_routes
    from planner.shopping import routes as shopping_routes

    app.register_blueprint(main.bp)
    app.register_blueprint(account_routes.bp)
    app.register_blueprint(food_routes.bp)
    app.register_blueprint(checker_routes.bp)
    app.register_blueprint(recipe_routes.bp)
    app.register_blueprint(plan_routes.bp)
    app.register_blueprint(shopping_routes.bp)
    app.register_blueprint(diary_routes.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    _compile_templates(app)

    from planner.commands import register_commands

    register_commands(app)
    return app


class _RowNumberConverter(IntegerConverter):
    """Whole numbers in URLs up to MAX_ID, so a larger one is a 404 like any id that names no row,
    never a number the database refuses (PostgreSQL's INTEGER is 32-bit)."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _compile_templates(app: Flask) -> None:
    """Compile every page template once, at start-up rather than inside the first request.

    The first request then renders at once, and CPython 3.11.7 is kept off a path where a
    garbage collection during a large template's first compile-and-render inside a request
    corrupted memory (seen with the shopping list page; 3.12 is not affected)."""
    for name in app.jinja_env.list_templates(extensions=["html"]):
        app.jinja_env.get_template(name)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys on and WAL for SQLite, so deletes cascade and readers never block."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
