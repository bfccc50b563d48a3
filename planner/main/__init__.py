"""The home page."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from planner.extensions import db
from planner.models import Food

bp = Blueprint("main", __name__)


@bp.get("/")
def home() -> str:
    food_count = db.session.scalar(select(func.count(Food.id))) or 0
    return render_template("main/index.html", food_count=food_count)
