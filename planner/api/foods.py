"""GET /api/v1/foods and /api/v1/foods/<slug>."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask.typing import ResponseReturnValue

from planner import catalog
from planner.accounts.web import viewer
from planner.api import bp, error
from planner.data import vocabulary
from planner.extensions import db
from planner.foods import store
from planner.foods.queries import parse_food_query
from planner.foods.search import paginate


@bp.get("/foods")
def foods() -> ResponseReturnValue:
    query = parse_food_query(request.args, vocabulary(), per_page=24)
    if query.errors:
        return error(400, "Invalid query parameters.", fields=query.errors)
    result = catalog.load(db.session, viewer()).index.search(query.text, query.filters)
    items, page, pages = paginate(result.records, query.page, query.per_page)
    return jsonify({
        "query": query.text, "approximate": result.approximate, "total": result.total,
        "page": page, "pages": pages, "per_page": query.per_page, "items": items,
    })


@bp.get("/foods/<slug>")
def food(slug: str) -> ResponseReturnValue:
    found = store.get_food(db.session, slug, viewer())
    if found is None:
        abort(404, description=f"No food with slug '{slug}'.")
    return jsonify(store.food_record(found))
