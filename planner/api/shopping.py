"""GET /api/v1/plans/<id>/shopping-list and /api/v1/profiles/<id>/shopping-list?start=&end=."""
from __future__ import annotations

from collections.abc import Callable

from flask import Response, request
from flask_login import login_required
from flask.typing import ResponseReturnValue

from planner.accounts import web
from planner.api import bp, error
from planner.extensions import db
from planner.shopping import service
from planner.shopping.exports import FORMATS
from planner.shopping.pdf import PAPERS


def _answer(scope_of: Callable[[], service.Scope]) -> ResponseReturnValue:
    fmt = request.args.get("format", "json")
    paper = request.args.get("paper")
    if fmt not in FORMATS:
        return error(400, f"format must be one of: {', '.join(FORMATS)}.")
    if paper is not None and paper not in PAPERS:
        return error(400, f"paper must be one of: {', '.join(PAPERS)}.")
    download = service.render(service.shopping_list(db.session, scope_of()), fmt, paper)
    headers = {} if fmt == "json" else {"Content-Disposition": f'attachment; filename="{download.filename}"'}
    return Response(download.content, mimetype=download.mimetype, headers=headers)


@bp.get("/plans/<int:plan_id>/shopping-list")
@login_required
def plan_shopping_list(plan_id: int) -> ResponseReturnValue:
    """?format=json|csv|md|txt|pdf (default json) and, for PDF, ?paper=a4|letter."""
    return _answer(lambda: service.plan_scope(db.session, plan_id, web.household_id()))


@bp.get("/profiles/<int:profile_id>/shopping-list")
@login_required
def profile_shopping_list(profile_id: int) -> ResponseReturnValue:
    """Every plan of the profile between ?start= and ?end= (YYYY-MM-DD), as one list."""
    def scope() -> service.Scope:
        start, end = service.parse_range(request.args.get("start"), request.args.get("end"))
        return service.range_scope(db.session, profile_id, start, end, web.household_id())
    return _answer(scope)
