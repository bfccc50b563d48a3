"""JSON API under /api/v1, over the same logic as the pages and the CLI."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from planner.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # scripts send a bearer token, which another site cannot make a browser send


@bp.before_request
def _csrf_for_cookie_sessions() -> None:
    """A change asked for with only the login cookie must carry the page's CSRF token (X-CSRFToken)."""
    bearer = request.headers.get("Authorization", "").lower().startswith("bearer ")
    unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
    if unsafe and current_user.is_authenticated and not bearer and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


def error(status: int, message: str, **details: object) -> ResponseReturnValue:
    return jsonify({"error": message, **details}), status


from planner.api import checks, foods, plans, shopping  # noqa: E402,F401  (routes register on bp)
