"""The food test pages: start a guided test of a suspect, follow it day by day, pause it for a
warning sign, and record what it found."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext  # type: ignore[import-untyped]

from planner.accounts import web
from planner.checker.red_flags import red_flags
from planner.diary import food_tests, service
from planner.diary.routes import bp, display_names
from planner.diary.store import members_of, tests_of
from planner.extensions import db
from planner.localize import day
from planner.refused import Invalid


def _whole(name: str) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise Invalid(gettext("Give %(name)s as a whole number.", name=name),
                      {name: gettext("A whole number.")}) from None


def _version() -> int | None:
    raw = request.form.get("version")
    return int(raw) if raw and raw.isdigit() else None


def _start_day() -> date:
    raw = request.form.get("start") or ""
    try:
        return date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        raise Invalid(gettext("Give the start as YYYY-MM-DD."), {"start": gettext("Not a date.")}) from None


@bp.get("/tests")
def tests() -> ResponseReturnValue:
    household = web.household_id()
    members = members_of(db.session, household)
    member = request.args.get("member") or (members[0] if members else "")
    suspects = []
    if member in members:
        suspects = [s for s in service.patterns_of(db.session, household, member).suspects if s.flagged]
    tests = tests_of(db.session, household)
    phases = {t.id: service.view_of(db.session, household, t, date.today()).phase for t in tests}
    return render_template("diary/tests.html", members=members, member=member, suspects=suspects, tests=tests,
                           today=date.today(), rules=food_tests.rules(), names=display_names(household),
                           phase=lambda test, _today: phases[test.id])


@bp.post("/tests")
def start() -> ResponseReturnValue:
    household = web.household_id()
    test = service.start_test(db.session, household, request.form.get("member") or "", request.form.get("item") or "",
                              start=_start_day(), weeks=_whole("weeks"), washout=_whole("washout"),
                              provider_agrees=request.form.get("provider_agrees") == "1")
    flash(gettext("%(member)s's test of %(item)s starts on %(start)s. New weeks leave it out of the meals they eat.",
                  member=test.member, item=test.item, start=day(test.start, "weekday")), "success")
    return redirect(url_for("diary.food_test", test_id=test.id))


@bp.get("/tests/<int:test_id>")
def food_test(test_id: int) -> ResponseReturnValue:
    household = web.household_id()
    view = service.view_test(db.session, household, test_id, date.today())
    return render_template("diary/test.html", view=view, test=view.test, names=display_names(household),
                           rules=food_tests.rules(), flags=red_flags(), today=date.today())


@bp.post("/tests/<int:test_id>/result")
def result(test_id: int) -> ResponseReturnValue:
    test = service.record_result(db.session, web.household_id(), test_id, _version(),
                                 request.form.get("result") or "", date.today())
    flash(gettext("Result saved for %(member)s. Weeks planned from now follow it.", member=test.member), "success")
    return redirect(url_for("diary.food_test", test_id=test_id))


@bp.post("/tests/<int:test_id>/pause")
def pause(test_id: int) -> ResponseReturnValue:
    service.pause_test(db.session, web.household_id(), test_id, _version(), request.form.get("why") or "")
    flash(gettext("The test is paused. Please see a doctor about the warning sign before carrying on."), "warning")
    return redirect(url_for("diary.food_test", test_id=test_id))


@bp.post("/tests/<int:test_id>/resume")
def resume(test_id: int) -> ResponseReturnValue:
    service.resume_test(db.session, web.household_id(), test_id, _version(),
                        request.form.get("provider_agrees") == "1")
    flash(gettext("The test carries on."), "success")
    return redirect(url_for("diary.food_test", test_id=test_id))


@bp.post("/tests/<int:test_id>/stop")
def stop(test_id: int) -> ResponseReturnValue:
    service.stop_test(db.session, web.household_id(), test_id, _version())
    flash(gettext("The test is stopped. New weeks plan as before it."), "success")
    return redirect(url_for("diary.tests"))
