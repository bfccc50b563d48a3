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
    """A change asked for with the login cookie must carry the page's CSRF token (X-CSRFToken),
    whatever else the request carries: an Authorization header, even a made-up one, changes nothing
    about a cookie a browser sends by itself. A script sends its token and no cookie."""
    unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
    cookie = current_app.config["SESSION_COOKIE_NAME"] in request.cookies or \
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    if unsafe and cookie and current_user.is_authenticated and current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect()


def error(status: int, message: str, **details: object) -> ResponseReturnValue:
    return jsonify({"error": message, **details}), status


from planner.api import checks, diary, foods, openapi, plans, recipes, shopping, words  # noqa: E402,F401  (routes register on bp)
