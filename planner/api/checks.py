"""GET /api/v1/check?q= and POST /api/v1/check/label."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from planner import catalog
from planner.accounts.web import viewer
from planner.api import bp, error
from planner.checker.panel import Panel, panel_from_fields, read_panel
from planner.checker.restrictions import Restrictions, restrictions_from_dict
from planner.checker.service import check_barcode, eater_of, eaters, run_check
from planner.extensions import db
from planner.refused import Invalid

PROFILE_PARAMS = ("allergens", "excluded_foods", "excluded_tags", "pregnant", "children")


def _household() -> Restrictions:
    """A signed-in person (page cookie or token) is checked for their household, or for the member
    `?for=<key>` names (keys as on the checker page: "household", "<profile id>-<member number>"),
    unless they give a profile."""
    eater = eater_of(eaters(db.session, viewer()), request.args.get("for"))
    return eater.restrictions if eater else Restrictions()


def _panel(raw: Any) -> Panel | None:
    """"nutrition": {"sugars_g": 22.5, "salt_g": 1.2, ..., "drink": false} or {"text": "<pasted panel>"}."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise Invalid("'nutrition' is an object: grams per 100 g such as {\"sugars_g\": 22.5}, or {\"text\": ...}.")
    drink = bool(raw.get("drink"))
    if isinstance(raw.get("text"), str):
        return read_panel(raw["text"], drink)
    return panel_from_fields(raw, drink)


def _checked(text: str, profile: Restrictions | None, mode: str, panel: Panel | None = None) -> ResponseReturnValue:
    return jsonify(run_check(text, catalog.load(db.session, viewer()).index, profile, mode, panel))


@bp.get("/check")
def check() -> ResponseReturnValue:
    """Check a food by name; allergens, excluded_foods and excluded_tags as comma lists;
    pregnant=1 for someone pregnant, children=1 when a child eats too (swaps leave out tea)."""
    query = request.args.get("q", "")
    if not query.strip():
        return error(400, "Give the food to check as ?q=...")
    given = {k: request.args[k] for k in PROFILE_PARAMS if k in request.args}
    return _checked(query, restrictions_from_dict(given) if given else _household(), "name")


@bp.post("/check/label")
def check_label() -> ResponseReturnValue:
    """Check an ingredient list: {"ingredients": "...", "profile": {...}} in, a verdict out."""
    body: Any = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, 'Send a JSON object such as {"ingredients": "oats, water"} '
                          'with Content-Type application/json.')
    ingredients = body.get("ingredients")
    if not isinstance(ingredients, str) or not ingredients.strip():
        return error(400, "The field 'ingredients' is required and must be text.")
    given = body.get("profile")
    return _checked(ingredients, restrictions_from_dict(given) if given is not None else _household(), "label",
                    _panel(body.get("nutrition")))


@bp.get("/check/barcode/<code>")
def check_product(code: str) -> ResponseReturnValue:
    """A product by its barcode, from Open Food Facts: checked for the household when signed in."""
    result = check_barcode(db.session, code, catalog.load(db.session, viewer()).index, _household(),
                           current_app.config["OFF_BASE_URL"], current_app.config["OFF_KEEP"])
    return jsonify(result)
