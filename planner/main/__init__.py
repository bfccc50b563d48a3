"""The home page."""
from __future__ import annotations

from flask import Blueprint, render_template

from planner.accounts.web import viewer
from planner.extensions import db
from planner.foods.store import count_foods

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    return render_template("main/index.html", food_count=count_foods(db.session, viewer()))
