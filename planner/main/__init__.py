"""The home page."""
from __future__ import annotations

from flask import Blueprint, render_template

from planner import catalog
from planner.accounts.web import viewer
from planner.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    return render_template("main/index.html", food_count=len(catalog.load(db.session, viewer()).foods))
