"""JSON API under /api/v1, over the same logic as the pages and the CLI."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from planner.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # JSON clients send no form token


def error(status: int, message: str, **details: object) -> ResponseReturnValue:
    return jsonify({"error": message, **details}), status


from planner.api import checks, foods, plans, shopping  # noqa: E402,F401  (routes register on bp)
