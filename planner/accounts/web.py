"""How the web faces know who is asking: the login cookie or a bearer token, and the household
whose data they may see. Pages that show household data call `require_login` on their blueprint."""
from __future__ import annotations

from urllib.parse import urlsplit

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, current_app, g, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from planner.accounts import getting_started, service, sessions
from planner.extensions import db, login
from planner.models import User


def timeouts(config: Mapping[str, Any]) -> sessions.Timeouts:
    return sessions.Timeouts(config["SESSION_IDLE_TIMEOUT"], config["SESSION_ABSOLUTE_TIMEOUT"],
                             config["REMEMBER_IDLE_TIMEOUT"], config["REMEMBER_ABSOLUTE_TIMEOUT"])


@login.user_loader
def _load_user(login_id: str) -> User | None:
    """The login cookie (or the "remember me" cookie) names a session; it counts while that session lives."""
    return sessions.load(db.session, login_id, timeouts(current_app.config))


def login_id() -> str | None:
    """The login id of this request's session (Flask-Login keeps it in the session cookie)."""
    value = session.get("_user_id")
    return value if isinstance(value, str) else None


@login.request_loader
def _load_token_user(req) -> User | None:  # noqa: ANN001 (Flask's request)
    """Scripts send `Authorization: Bearer <token>` to the API; pages only use the login cookie."""
    scheme, _, token = req.headers.get("Authorization", "").partition(" ")
    if not req.path.startswith("/api/") or scheme.lower() != "bearer" or not token.strip():
        return None
    return service.user_for_token(db.session, token.strip(), req.remote_addr or "")


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


def household_setup() -> getting_started.Progress | None:
    """The signed-in household's getting-started steps; None for a visitor."""
    if not current_user.is_authenticated:
        return None
    return getting_started.progress(db.session, current_user.household_id)


def is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.is_admin)


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host, so a link cannot bounce a person elsewhere.
    Browsers drop tabs and line breaks from a URL and read a backslash as a slash, so a slash, a
    tab and "/evil.example" would become "//evil.example": any control character or backslash, or
    a path that names a host, falls back to `default`."""
    if not target or any(ord(ch) < 32 or ch in "\\\x7f" for ch in target):
        return default
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target
