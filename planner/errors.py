"""Error pages: JSON under /api/, HTML elsewhere; never a bare traceback.

A Refused (planner.refused) that no view handles for itself gets its status here, the one place
that turns a kind into HTTP. Pages say what happened in plain words (never Werkzeug's stock text,
written for any site) and where to go next; they render even when the database is what failed."""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress

from flask import Flask, Response, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from planner.extensions import db, login
from planner.i18n import N_
from planner.localize import translate
from planner.refused import (Conflict, Impossible, Invalid, NotFound, Refused, Throttled, TooLarge, Unavailable,
                             by_kind)

TITLES = {400: N_("Bad request"), 401: N_("Log in first"), 403: N_("Not allowed"), 404: N_("Not found"),
          405: N_("Method not allowed"), 409: N_("Changed meanwhile"), 413: N_("Too large"), 422: N_("Cannot be done"),
          429: N_("Too many requests"), 500: N_("Something went wrong"), 503: N_("Not reachable now")}
MESSAGES = {413: N_("That request is too large. Paste just the ingredient list.")}
# What a page says in place of Werkzeug's stock description (the API keeps that, as it always has).
PAGE_MESSAGES = {
    400: N_("Part of that request was not understood. Go back, check what you entered and try again."),
    401: N_("Log in to see this page."),
    403: N_("Your account cannot open this page."),
    404: N_("The page is not here. It may have moved, or the link may be old or mistyped."),
    405: N_("This page cannot be used that way. Go back and use the page's own buttons and links."),
    409: N_("Someone changed this meanwhile. Reload the page to see the latest, then try again."),
    422: N_("That cannot be done as asked."),
    429: N_("That was a lot of requests in a short time. Wait a minute, then try again."),
    503: N_("This part of Gut Planner cannot be reached just now. Please try again in a few minutes."),
}
PAGE_MESSAGE = N_("That did not work. Go back and try again.")
STATUS_OF: dict[type[Refused], int] = {Invalid: 400, NotFound: 404, Conflict: 409, Impossible: 422,
                                       TooLarge: 413, Throttled: 429, Unavailable: 503}


def status_of(refused: Refused) -> int:
    """The status of the nearest kind the exception is (a bare Refused is a 400)."""
    return by_kind(refused, STATUS_OF, 400)


def _api() -> bool:
    return request.path.startswith("/api/")


def _visitor_if_unreadable() -> None:
    """The page header names who is logged in, which reads them from the database (again after a
    rollback): when that read fails (the database may be what failed), the error page shows a
    visitor's header instead of failing too."""
    try:
        if current_user.is_authenticated:
            str(current_user.name)
    except SQLAlchemyError:
        with suppress(SQLAlchemyError):
            db.session.rollback()
        g._login_user = login.anonymous_user()


def _respond(status: int, message: str, fields: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None) -> ResponseReturnValue:
    # Messages marked in code that runs without Flask (planner.i18n.N_) are translated here; one with
    # values already filled in is in no catalogue and reads as it came.
    message = translate(message)
    fields = {name: translate(text) for name, text in (fields or {}).items()}
    if _api():
        body: Response | str = jsonify({"error": message, **({"fields": dict(fields)} if fields else {})})
    else:
        _visitor_if_unreadable()
        # 404 and 500 have pages of their own (errors/404.html, errors/500.html); the rest share one.
        body = render_template([f"errors/{status}.html", "errors/error.html"], status=status,
                               title=translate(TITLES.get(status, N_("Error"))), message=message, fields=fields or {})
    return body, status, dict(headers or {})


def _http_message(exc: HTTPException) -> str:
    """The app's own words when it gave some (abort(404, "...")); else, on a page, ours."""
    code = exc.code or 500
    stock = exc.description == type(exc).description
    if code in MESSAGES:
        return MESSAGES[code]
    if stock and not _api():
        return PAGE_MESSAGES.get(code, PAGE_MESSAGE)
    return exc.description or TITLES.get(code, N_("Error"))


def register(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(exc: Refused) -> ResponseReturnValue:
        wait = exc.retry_after if isinstance(exc, Throttled) else None
        return _respond(status_of(exc), exc.message, exc.fields,
                        {"Retry-After": str(wait)} if wait is not None else None)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        # A browser keeps no Secure cookie from a plain HTTP page (other than localhost's), so every
        # form there fails: say why rather than "reload", which cannot help.
        if app.config["SESSION_COOKIE_SECURE"] and not request.is_secure \
                and app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return _respond(400, N_("Your browser did not send the log-in cookie: this app is set to send cookies "
                                    "only over HTTPS, and this page came over plain HTTP. Open it over HTTPS (make "
                                    "run HOST=0.0.0.0 HTTPS=1), or set SESSION_COOKIE_SECURE=0 to use plain HTTP "
                                    "at home."))
        return _respond(400, N_("The form had expired or was sent from elsewhere. Please reload the page and try "
                                "again."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        return _respond(exc.code or 500, _http_message(exc))

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> ResponseReturnValue:
        with suppress(SQLAlchemyError):  # a connection that is gone has nothing to roll back
            db.session.rollback()
        return _respond(500, N_("Nothing was changed. Please try again; "
                                "if it keeps happening, tell whoever runs this app."))
