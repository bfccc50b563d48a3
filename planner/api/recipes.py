"""Recipes over JSON: the library the asker sees (curated and, signed in, their own), and a
household's own recipes written, changed, deleted and imported (the curated ones are read-only)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from planner import catalog
from planner.accounts import web
from planner.accounts.web import viewer
from planner.api import bp
from planner.checker.recipe_check import check_recipe
from planner.checker.service import household_restrictions
from planner.extensions import db
from planner.plans.store import list_profiles, profile_of
from planner.recipes import service
from planner.recipes.editing import fetch_rules
from planner.recipes.own import own_recipe
from planner.refused import Invalid

MAX_LISTED = 500


def _own(slug: str) -> dict[str, Any]:
    return service.recipe_json(service.find_dish(catalog.load(db.session, web.household_id()), slug))


@bp.get("/recipes")
def list_recipes() -> ResponseReturnValue:
    """?own=1 for the household's own only. Each recipe in brief, by title."""
    library = catalog.load(db.session, viewer())
    own = request.args.get("own") in ("1", "true")
    dishes = [d for d in library.dishes if not own or d.recipe.get("origin") == "household"]
    dishes.sort(key=lambda d: d.recipe["title"].lower())
    return jsonify({"recipes": [{"slug": d.slug, "title": d.recipe["title"],
                                 "origin": d.recipe.get("origin", "curated"), "meals": d.recipe["meals"]}
                                for d in dishes[:MAX_LISTED]], "total": len(dishes)})


@bp.get("/recipes/<slug>")
def get_recipe(slug: str) -> ResponseReturnValue:
    """The recipe; signed in, with "check": is it OK for the household, with the ingredients behind each reason."""
    household = viewer()
    library = catalog.load(db.session, household)
    dish = service.find_dish(library, slug)
    answer = service.recipe_json(dish)
    if household is not None:
        profiles = [profile_of(row) for row in list_profiles(db.session, household)]
        answer["check"] = check_recipe(dish, library.foods, household_restrictions(db.session, household),
                                       library.rules, profiles).as_dict()
    return jsonify(answer)


def _created(slugs: list[str]) -> ResponseReturnValue:
    first = _own(slugs[0])
    response = jsonify(first if len(slugs) == 1 else {"recipes": [_own(s) for s in slugs]})
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_recipe", slug=slugs[0])
    return response


@bp.post("/recipes")
@login_required
def create_recipe() -> ResponseReturnValue:
    data = service.input_from_json(request.get_json(silent=True))
    return _created([service.create(db.session, web.household_id(), data).slug])


@bp.put("/recipes/<slug>")
@login_required
def update_recipe(slug: str) -> ResponseReturnValue:
    own_recipe(db.session, web.household_id(), slug)  # another's recipe is not found, whatever the body
    data = service.input_from_json(request.get_json(silent=True))
    return jsonify(_own(service.update(db.session, web.household_id(), slug, data).slug))


@bp.delete("/recipes/<slug>")
@login_required
def delete_recipe(slug: str) -> ResponseReturnValue:
    service.delete(db.session, web.household_id(), slug)
    return "", 204


@bp.post("/recipes/import")
@login_required
def import_recipe() -> ResponseReturnValue:
    """Body: {"url": "https://..."} or {"text": "the recipe as text"}; the recipe is saved as the
    household's own, each line with its food, grams and match confidence (lines that need a
    person's choice say so)."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict) or not any(isinstance(body.get(k), str) and body[k].strip() for k in ("url", "text")):
        raise Invalid('Send {"url": "https://..."} or {"text": "..."}.', {"url": "Give a web address or text."})
    found = service.imported(url=body.get("url") or None, text=body.get("text") or None, rules=fetch_rules())
    return _created([service.create(db.session, web.household_id(), data).slug for data in found])
