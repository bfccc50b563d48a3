"""The diary over JSON: import rows (CSV or JSON), read a member's entries, and the suspects worth
testing. Health data: a signed-in household sees only its own."""
from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import login_required

from planner.accounts import web
from planner.api import bp
from planner.diary import service
from planner.diary.exchange import as_csv
from planner.diary.store import rows_of, tests_of
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


def _test_json(view: service.TestView) -> dict[str, Any]:
    test = view.test
    return {"id": test.id, "member": test.member, "item": test.item, "kind": test.kind, "food": test.food,
            "start": test.start.isoformat(), "elimination_weeks": test.elimination_weeks,
            "reintroduction": test.reintroduction.isoformat(), "washout_days": test.washout_days,
            "ends": test.ends.isoformat(), "left_out": list(test.left_out),
            "serves": [{"level": s.level, "day": s.day.isoformat(), "food": s.food, "grams": s.grams,
                        "eaten": view.reading.eaten[s.level].isoformat() if s.level in view.reading.eaten else None,
                        "followed_by": list(view.reading.reactions.get(s.level, ()))} for s in test.serves],
            "phase": view.phase, "paused": test.paused or (
                f"{view.severe.item} at {view.severe.amount:g}/10" if view.severe and view.severe.amount else ""),
            "suggested_result": view.reading.suggested or None, "result": test.result or None,
            "result_day": test.result_day.isoformat() if test.result_day else None,
            "provider_agrees": test.provider_agrees, "caution": view.caution or None, "version": test.version}


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("Send a JSON object.")
    return body


def _int(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"{name} is a whole number.", {name: "A whole number."})
    return value


def _shown(test_id: int, status: int = 200) -> ResponseReturnValue:
    return jsonify(_test_json(service.view_test(db.session, web.household_id(), test_id, date.today()))), status


@bp.get("/diary/tests")
@login_required
def list_tests() -> ResponseReturnValue:
    """?member=: the household's food tests, newest first."""
    household = web.household_id()
    member = service.checked_member(db.session, household, request.args.get("member"))
    return jsonify({"tests": [_test_json(service.view_of(db.session, household, t, date.today()))
                              for t in tests_of(db.session, household, member)]})


@bp.post("/diary/tests")
@login_required
def start_test() -> ResponseReturnValue:
    """Body: {member, item, start?, elimination_weeks?, washout_days?, provider_agrees?}."""
    body = _body()
    if body.get("start") is not None and not isinstance(body["start"], str):
        raise Invalid("Give the start as YYYY-MM-DD.", {"start": "Not a date."})
    start = service.period(body.get("start"), None)[0]
    test = service.start_test(db.session, web.household_id(), str(body.get("member") or ""),
                              str(body.get("item") or ""), start=start.date() if start else date.today(),
                              weeks=_int(body, "elimination_weeks"), washout=_int(body, "washout_days"),
                              provider_agrees=body.get("provider_agrees") is True)
    return _shown(test.id, 201)


@bp.get("/diary/tests/<int:test_id>")
@login_required
def get_test(test_id: int) -> ResponseReturnValue:
    return _shown(test_id)


@bp.post("/diary/tests/<int:test_id>/result")
@login_required
def test_result(test_id: int) -> ResponseReturnValue:
    """Body: {result: tolerated | low | moderate | high, version?}."""
    body = _body()
    service.record_result(db.session, web.household_id(), test_id, _int(body, "version"),
                          str(body.get("result") or ""), date.today())
    return _shown(test_id)


@bp.post("/diary/tests/<int:test_id>/pause")
@login_required
def pause_test(test_id: int) -> ResponseReturnValue:
    """Body: {why, version?}: a warning sign; see a doctor before carrying on."""
    body = _body()
    service.pause_test(db.session, web.household_id(), test_id, _int(body, "version"), str(body.get("why") or ""))
    return _shown(test_id)


@bp.post("/diary/tests/<int:test_id>/resume")
@login_required
def resume_test(test_id: int) -> ResponseReturnValue:
    """Body: {provider_agrees: true, version?}."""
    body = _body()
    service.resume_test(db.session, web.household_id(), test_id, _int(body, "version"),
                        body.get("provider_agrees") is True)
    return _shown(test_id)


@bp.delete("/diary/tests/<int:test_id>")
@login_required
def stop_test(test_id: int) -> ResponseReturnValue:
    """Stop the test: new weeks plan as before it. The test stays on record."""
    service.stop_test(db.session, web.household_id(), test_id, None)
    return _shown(test_id)
