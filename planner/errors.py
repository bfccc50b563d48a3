"""Error pages: JSON under /api/, HTML elsewhere; never a bare traceback.

A Refused (planner.refused) that no view handles for itself gets its status here, the one place
that turns a kind into HTTP."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from planner.extensions import db
from planner.refused import (Conflict, Impossible, Invalid, NotFound, Refused, Throttled, TooLarge, Unavailable,
                             by_kind)

TITLES = {400: "Bad request", 401: "Log in first", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Changed meanwhile", 413: "Too large", 422: "Cannot be done",
          429: "Too many requests", 500: "Something went wrong", 503: "Not reachable now"}
MESSAGES = {413: "That request is too large. Paste just the ingredient list."}
STATUS_OF: dict[type[Refused], int] = {Invalid: 400, NotFound: 404, Conflict: 409, Impossible: 422,
                                       TooLarge: 413, Throttled: 429, Unavailable: 503}


def status_of(refused: Refused) -> int:
    """The status of the nearest kind the exception is (a bare Refused is a 400)."""
    return by_kind(refused, STATUS_OF, 400)


def _respond(status: int, message: str, fields: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        body: Response | str = jsonify({"error": message, **({"fields": dict(fields)} if fields else {})})
    else:
        body = render_template("errors/error.html", status=status, title=TITLES.get(status, "Error"),
                               message=message, fields=fields or {})
    return body, status, dict(headers or {})


def register(app: Flask) -> None:
    @app.errorhandler(Refused)
    def refused(exc: Refused) -> ResponseReturnValue:
        wait = exc.retry_after if isinstance(exc, Throttled) else None
        return _respond(status_of(exc), exc.message, exc.fields,
                        {"Retry-After": str(wait)} if wait is not None else None)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> ResponseReturnValue:
        return _respond(400, "The form had expired or was sent from elsewhere. Please reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        return _respond(code, MESSAGES.get(code) or exc.description or TITLES.get(code, "Error"))

    @app.errorhandler(InternalServerError)
    def server_error(exc: InternalServerError) -> ResponseReturnValue:
        db.session.rollback()
        return _respond(500, "Nothing was changed. Please try again; "
                             "if it keeps happening, tell whoever runs this app.")
