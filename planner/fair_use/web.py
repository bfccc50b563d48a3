"""Which request is which kind of work, counted before the view runs (planner.fair_use)."""
from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, g, request
from flask_login import current_user

from planner.extensions import db
from planner.fair_use import Asker, rules_from, running, take

# Endpoints that make or search plans, and those that check a food or a label.
KINDS = {
    "plans.create": "plan", "plans.redo_slot": "plan", "plans.redo_week": "plan", "plans.redo_day": "plan",
    "plans.redo_changed": "plan", "plans.swap": "plan", "api.create_plan": "plan",
    "checker.index": "check", "api.check": "check", "api.check_label": "check",
    # Reading a recipe page fetches it from elsewhere: as heavy as a label check.
    "recipes.import_recipe": "check", "api.import_recipe": "check",
}
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
HEAVY_PAGES = frozenset({"plans.swap"})  # reading it weighs every alternative against the week


def kind_of(endpoint: str | None, method: str, asks: bool, signed_in: bool) -> str | None:
    """The kind of work a request asks for; None for light reads. `asks`: it carries a query or a form."""
    kind = KINDS.get(endpoint or "")
    if kind is not None and (method not in SAFE or asks or endpoint in HEAVY_PAGES):
        return kind
    if method not in SAFE and signed_in and endpoint not in (None, "static"):
        return "write"
    return None


def init(app: Flask) -> None:
    rules = rules_from(app.config.get("FAIR_USE") or {})  # read once: the settings do not change while serving

    @app.before_request
    def _fair_use() -> None:
        kind = kind_of(request.endpoint, request.method, bool(request.args), current_user.is_authenticated)
        rule = rules.get(kind or "")
        if rule is None:
            return
        asker = Asker(current_user.id if current_user.is_authenticated else None, request.remote_addr or "-")
        with db.engine.begin() as connection:  # counted on its own, whatever the request does next
            take(connection, rule, asker)
        if rule.heavy:
            stack = ExitStack()
            stack.enter_context(running(db.engine.begin, rule, asker))
            g.fair_use_job = stack

    @app.teardown_request
    def _job_done(exc: BaseException | None) -> None:
        stack = g.pop("fair_use_job", None)
        if stack is not None:
            stack.close()
