"""Recipe pages: the list with search and filters, and one recipe scaled to any servings."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, render_template, request

from planner import catalog
from planner.accounts.web import viewer
from planner.data import vocabulary
from planner.extensions import db
from planner.foods.search import paginate
from planner.recipes import present
from planner.recipes.queries import parse_recipe_query, find_dishes
from planner.recipes.records import MEALS
from planner.plans.profile import Profile
from planner.plans.store import list_profiles, profile_of
from planner.recipes.facts import Dish
from planner.checker.recipe_check import RecipeCheck, check_recipe, unsuitable
from planner.checker.service import household_restrictions
from planner.foods.records import Record
from planner.recipes.own import photographed
from planner.recipes.rules import diets

bp = Blueprint("recipes", __name__, url_prefix="/recipes")
# Tags worth filtering recipes by: what the guidance favours.
FILTER_TAGS = ("live-cultures", "prebiotic", "high-fibre", "bone-broth", "whole-grain", "legume", "leafy-green",
               "omega-3", "soothing-herb")


def _profiles() -> list[Profile]:
    """The signed-in household's profiles (none for a visitor)."""
    household = viewer()
    return [] if household is None else [profile_of(row) for row in list_profiles(db.session, household)]


def _check(dish: Dish, foods: Mapping[str, Record]) -> RecipeCheck | None:
    """Is this recipe OK for the signed-in household (None for a visitor)?"""
    household = viewer()
    if household is None:
        return None
    return check_recipe(dish, foods, household_restrictions(db.session, household), catalog.load(
        db.session, household).rules, _profiles())


@bp.get("/")
def index() -> tuple[str, int]:
    query = parse_recipe_query(request.args, FILTER_TAGS)
    library = catalog.load(db.session, viewer())
    found = find_dishes(library.dishes, query, library.foods)
    items, page, pages = paginate(found, query.page, 24)
    profiles = _profiles()
    page_html = render_template("recipes/list.html", query=query, items=items, total=len(found), page=page,
                                pages=pages, meals=MEALS, diets=diets(), tags=FILTER_TAGS, vocab=vocabulary(),
                                flags={dish.slug: unsuitable(dish, profiles) for dish in items},
                                signed_in=viewer() is not None)
    return page_html, 400 if query.errors else 200


@bp.get("/<slug>")
def detail(slug: str) -> tuple[str, int]:
    library = catalog.load(db.session, viewer())
    dish = library.dish_map.get(slug)
    if dish is None:
        abort(404)
    raw = request.args.get("servings", "")
    servings, error = dish.recipe["servings"], None
    if raw:
        try:
            servings = int(raw)
            if not 1 <= servings <= present.MAX_SERVINGS:
                raise ValueError
        except ValueError:
            servings = dish.recipe["servings"]
            error = f"Servings must be a whole number from 1 to {present.MAX_SERVINGS}."
    foods = library.foods
    return render_template(
        "recipes/detail.html", dish=dish, recipe=dish.recipe, facts=dish.facts, servings=servings, error=error,
        lines=present.scaled_ingredients(dish.recipe, foods, servings), nutrients=present.nutrient_lines(dish),
        child_notes=present.child_notes(dish), diets=diets(), vocab=vocabulary(), meals=MEALS, foods=foods,
        check=_check(dish, foods), max_servings=present.MAX_SERVINGS, signed_in=viewer() is not None,
        own_lines=present.own_lines(dish.recipe, servings), has_photo=slug in photographed(db.session, viewer()),
    ), 400 if error else 200


from planner.recipes import editing  # noqa: E402,F401  (the own-recipe pages register on bp)
