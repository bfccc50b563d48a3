"""The diary over JSON: import rows (CSV or JSON), read a member's entries, and the suspects worth
testing. Health data: a signed-in household sees only its own."""
from __future__ import annotations

from dataclasses import asdict

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from planner.accounts import web
from planner.api import bp
from planner.diary import service
from planner.diary.exchange import as_csv
from planner.diary.store import rows_of
from planner.extensions import db
from planner.refused import Invalid


@bp.post("/diary/import")
@login_required
def import_diary() -> ResponseReturnValue:
    """Body: CSV (text/csv, header member,time,kind,item,amount,unit,note) or JSON (a list of rows)."""
    json_body = request.mimetype == "application/json"
    if not json_body and request.mimetype not in ("text/csv", "text/plain"):
        raise Invalid("Send the diary as text/csv or application/json.")
    text = request.get_data(as_text=True)
    added = service.import_text(db.session, web.household_id(), text, json_body)
    return jsonify({"imported": added}), 201


@bp.get("/diary")
@login_required
def read_diary() -> ResponseReturnValue:
    """?member=&start=&end=&format=json|csv: the entries, oldest first."""
    household = web.household_id()
    member = service.checked_member(db.session, household, request.args.get("member"))
    start, end = service.period(request.args.get("start"), request.args.get("end"))
    rows = rows_of(db.session, household, member, start, end)
    if request.args.get("format") == "csv":
        return Response(as_csv(rows), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="diary.csv"',
                                 "Cache-Control": "private, no-store"})
    return jsonify({"entries": [{**row.as_dict(), "id": row.id} for row in rows]})


@bp.get("/diary/patterns")
@login_required
def diary_patterns() -> ResponseReturnValue:
    """?member=: the suspects worth testing, with their counts, windows and intervals."""
    household = web.household_id()
    member = service.checked_member(db.session, household, request.args.get("member"))
    if member is None:
        raise Invalid("Name the member: ?member=Kim.", {"member": "Needed."})
    found = service.patterns_of(db.session, household, member)
    return jsonify({"member": member, "days": found.days, "enough_data": found.enough_data, "note": found.note,
                    "suspects": [asdict(s) for s in found.suspects]})
