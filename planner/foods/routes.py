"""Web pages for the food database: list and search, food page, add and edit."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from planner import catalog
from planner.accounts.web import is_admin, viewer
from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import present, store
from planner.foods.forms import FoodForm
from planner.foods.queries import parse_food_query
from planner.foods.search import paginate
from planner.foods.text import slugify
from planner.models import Food

bp = Blueprint("foods", __name__, url_prefix="/foods")


@bp.get("/")
def index() -> tuple[str, int]:
    vocab = vocabulary()
    query = parse_food_query(request.args, vocab, per_page=24)
    result = catalog.load(db.session, viewer()).index.search(query.text, query.filters)
    items, page, pages = paginate(result.records, query.page, query.per_page)
    status = 400 if query.errors else 200
    return render_template(
        "foods/list.html", query=query, result=result, items=items, page=page, pages=pages,
        vocab=vocab, present=present,
    ), status


@bp.get("/<slug>")
def detail(slug: str) -> str:
    food = store.get_food(db.session, slug, viewer()) or abort(404)
    record = store.food_record(food)
    return render_template("foods/detail.html", food=record, vocab=vocabulary(), present=present,
                           origin=food.origin, private=food.household_id is not None, editable=_may_edit(food),
                           may_promote=food.origin == "usda" and is_admin())


@bp.post("/<slug>/promote")
@login_required
def promote(slug: str) -> Response:
    """An admin makes a food from the USDA table part of the curated list."""
    if not is_admin():
        abort(403)
    food = store.promote_food(db.session, slug) or abort(404)
    flash(f"{food.name} is now on the curated list.", "success")
    return redirect(url_for("foods.detail", slug=slug))


def _messages(rejected: store.RecordsRejected) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in rejected.errors:
        errors.setdefault(error.field, []).append(error.message)
    return errors


def _may_edit(food: Food) -> bool:
    """Shared foods are the admins' to edit; a private food its household's (who alone can see it)."""
    return is_admin() if food.household_id is None else food.household_id == viewer()


def _owner_of_new() -> int | None:
    """What a new food is: shared when an admin adds it, else private to the person's household."""
    return None if is_admin() else viewer()


def _save(form: FoodForm, slug: str | None, household_id: int | None) -> Response | None:
    """Check the submitted form as a food record and store it if all is well.

    Every check runs, so every problem shows at once; None means errors are on the form.
    """
    record = form.as_record()
    name = record.get("name")
    record["slug"] = slug or record.get("slug") or (slugify(name) if name else None)
    if slug is None and record["slug"] and store.get_food(db.session, record["slug"], viewer()) is None:
        # Held by no food this person sees: a private food gets a random ending, a shared one the next free slug.
        pick = store.private_slug if household_id is not None else store.free_slug
        record["slug"] = pick(db.session, record["slug"])
    rows = [SourcedRecord("form", record)]
    form_ok = form.validate()
    try:
        if slug is None and record["slug"] and store.get_food(db.session, record["slug"], viewer()):
            form.attach_errors({"slug": [f"A food with the slug '{record['slug']}' exists already."]})
            store.validate_batch(db.session, rows, vocabulary(), household_id)
        elif form_ok:
            store.upsert_records(db.session, rows, vocabulary(), household_id=household_id)
            flash(f"Saved {name}.", "success")
            return redirect(url_for("foods.detail", slug=record["slug"]))
        else:
            store.validate_batch(db.session, rows, vocabulary(), household_id)
    except store.RecordsRejected as rejected:
        form.attach_errors(_messages(rejected))
    return None


def _form_page(form: FoodForm, title: str, slug: str | None = None) -> tuple[str, int]:
    status = 400 if form.is_submitted() else 200
    return render_template("foods/form.html", form=form, title=title, slug=slug), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> Response | tuple[str, int]:
    form = FoodForm()
    form.fill_choices(vocabulary())
    if form.is_submitted():
        return _save(form, None, _owner_of_new()) or _form_page(form, "Add a food")
    return _form_page(form, "Add a food")


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    food = store.get_food(db.session, slug, viewer()) or abort(404)
    if not _may_edit(food):
        abort(403, "The shared food database is edited by admins. Add your own version as a new food instead.")
    form = FoodForm()
    form.fill_choices(vocabulary())
    if form.is_submitted():
        return _save(form, slug, food.household_id) or _form_page(form, f"Edit {food.name}", slug)
    form.load(store.stored_record(food))
    return _form_page(form, f"Edit {food.name}", slug)
