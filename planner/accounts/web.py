"""How the web faces know who is asking: the login cookie or a bearer token, and the household
whose data they may see. Pages that show household data call `require_login` on their blueprint."""
from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from planner.accounts import service
from planner.extensions import db, login
from planner.models import User


@login.user_loader
def _load_user(session_id: str) -> User | None:
    return service.user_for_session(db.session, session_id)


@login.request_loader
def _load_token_user(req) -> User | None:  # noqa: ANN001 (Flask's request)
    """Scripts send `Authorization: Bearer <token>` to the API; pages only use the login cookie."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if not req.path.startswith("/api/") or scheme.lower() != "bearer" or not token.strip():
        return None
    return service.user_for_token(db.session, token.strip())


@login.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        response = jsonify({"error": "Log in, or send a personal API token as 'Authorization: Bearer <token>'."})
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="Gut Planner"'
        return response
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def init(app: Flask) -> None:
    login.init_app(app)
    login.login_view = "accounts.login"

    @app.before_request
    def _who_is_asking_is_per_request() -> None:
        """Flask-Login caches the user on `g`, which lives as long as the app context; a request
        that joins an app context already open (a script or a test holding one) must not inherit it."""
        g.pop("_login_user", None)


def require_login(bp: Blueprint) -> None:
    """Every view of the blueprint needs a signed-in person (or, under /api/, a token)."""
    @bp.before_request
    def _signed_in() -> ResponseReturnValue | None:
        return None if current_user.is_authenticated else login.unauthorized()


def household_id() -> int:
    """The signed-in person's household: whose profiles, plans, lists and private foods they see."""
    return current_user.household_id


def viewer() -> int | None:
    """The household of whoever is asking, or None for an anonymous visitor (shared data only)."""
    return current_user.household_id if current_user.is_authenticated else None


def is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.is_admin)


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host, so a link cannot bounce a person elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
