"""POST /api/v1/plans (a profile in, a saved plan out) and GET /api/v1/plans/<id>."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request, url_for
from flask_login import login_required
from flask.typing import ResponseReturnValue

from planner.accounts import web
from planner.api import bp, error
from planner.extensions import db
from planner.plans import service, store
from planner.plans.profile import ProfileError
from planner.plans.ratings import rate
from planner import catalog


def _week_start(raw: Any) -> date:
    if raw is None:
        return service.next_monday()
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ProfileError({"week_start": "Give the first day as YYYY-MM-DD."}) from None


@bp.post("/plans")
@login_required
def create_plan() -> ResponseReturnValue:
    """Body: {"profile": {...}, "week_start": "YYYY-MM-DD"} or the profile object itself."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "Send a JSON object: {\"profile\": {...}, \"week_start\": \"YYYY-MM-DD\"}.")
    profile = body["profile"] if "profile" in body else {k: v for k, v in body.items() if k != "week_start"}
    start = _week_start(body.get("week_start"))
    profile = service.parse_profile(db.session, profile, web.household_id())
    row, plan = service.create_plan(db.session, profile, start, household_id=web.household_id())
    response = jsonify(service.payload(db.session, row, plan))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_plan", plan_id=row.id)
    return response


@bp.get("/plans/<int:plan_id>")
@login_required
def get_plan(plan_id: int) -> ResponseReturnValue:
    row = store.get_plan_row(db.session, plan_id, web.household_id())
    if row is None:
        return error(404, f"No plan {plan_id}.")
    return jsonify(service.payload(db.session, row))


@bp.put("/recipes/<slug>/rating")
@login_required
def rate_recipe(slug: str) -> ResponseReturnValue:
    """Body: {"member": "Kim", "rating": "love" | "fine" | "never" | ""}: one member's rating of a
    dish; "never" keeps it off every meal that member eats, "" clears the rating."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "Send a JSON object: {\"member\": \"Kim\", \"rating\": \"love\"}.")
    household = web.household_id()
    if slug not in catalog.load(db.session, household).dish_map or household is None:
        return error(404, f"There is no recipe '{slug}'.")
    member, rating = rate(db.session, household, body.get("member"), slug, body.get("rating"))
    return jsonify({"recipe": slug, "member": member, "rating": rating or None})
