"""Web pages for the food database: list and search, food page, add and edit."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import present, store
from planner.foods.forms import FoodForm
from planner.foods.queries import parse_food_query
from planner.foods.search import paginate
from planner.foods.text import slugify

bp = Blueprint("foods", __name__, url_prefix="/foods")


@bp.get("/")
def index() -> tuple[str, int]:
    vocab = vocabulary()
    query = parse_food_query(request.args, vocab, per_page=24)
    result = store.search_index(db.session).search(query.text, query.filters)
    items, page, pages = paginate(result.records, query.page, query.per_page)
    status = 400 if query.errors else 200
    return render_template(
        "foods/list.html", query=query, result=result, items=items, page=page, pages=pages,
        vocab=vocab, present=present,
    ), status


@bp.get("/<slug>")
def detail(slug: str) -> str:
    food = store.get_food(db.session, slug)
    if food is None:
        abort(404)
    record = store.food_record(food)
    return render_template("foods/detail.html", food=record, vocab=vocabulary(), present=present,
                           origin=food.origin)


def _save(form: FoodForm, slug: str | None) -> Response | None:
    """Validate the form as a food record and store it; None when there are errors to show."""
    record = form.as_record()
    name = record.get("name")
    record["slug"] = slug or record.get("slug") or (slugify(name) if name else None)
    if slug is None and record["slug"] and store.get_food(db.session, record["slug"]):
        form.attach_errors({"slug": [f"A food with the slug '{record['slug']}' exists already."]})
        return None
    try:
        store.upsert_records(db.session, [SourcedRecord("form", record)], vocabulary())
    except store.RecordsRejected as rejected:
        errors: dict[str, list[str]] = {}
        for error in rejected.errors:
            errors.setdefault(error.field, []).append(error.message)
        form.attach_errors(errors)
        return None
    flash(f"Saved {name}.", "success")
    return redirect(url_for("foods.detail", slug=record["slug"]))


@bp.route("/new", methods=["GET", "POST"])
def create() -> Response | tuple[str, int]:
    form = FoodForm()
    form.fill_choices(vocabulary())
    if form.validate_on_submit():
        done = _save(form, None)
        if done:
            return done
    status = 400 if form.is_submitted() else 200
    return render_template("foods/form.html", form=form, title="Add a food"), status


@bp.route("/<slug>/edit", methods=["GET", "POST"])
def edit(slug: str) -> Response | tuple[str, int]:
    food = store.get_food(db.session, slug)
    if food is None:
        abort(404)
    form = FoodForm()
    form.fill_choices(vocabulary())
    if not form.is_submitted():
        form.load(store.stored_record(food))
    elif form.validate_on_submit():
        done = _save(form, slug)
        if done:
            return done
    status = 400 if form.is_submitted() else 200
    return render_template("foods/form.html", form=form, title=f"Edit {food.name}", slug=slug), status
