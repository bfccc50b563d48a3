"""Error pages: JSON under /api/, HTML elsewhere; never a bare traceback."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from planner.extensions import db

TITLES = {400: "Bad request", 401: "Log in first", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 413: "Too large", 429: "Too many requests", 500: "Something went wrong"}
MESSAGES = {413: "That request is too large. Paste just the ingredient list."}


def _respond(status: int, message: str) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return jsonify({"error": message}), status
    title = TITLES.get(status, "Error")
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register(app: Flask) -> None:
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
        return _respond(500, "Nothing was changed. Please try again; if it keeps happening, tell whoever runs this app.")
