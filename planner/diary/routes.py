"""The diary pages: a member's day (what was eaten, symptoms, habits) entered in a few taps on a
phone, and the suspects worth testing."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, UTC

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext  # type: ignore[import-untyped]

from planner import catalog
from planner.accounts import web
from planner.diary import food_tests, report, service
from planner.diary.entries import symptoms
from planner.diary.exchange import Row, as_csv, read_row
from planner.diary.patterns import find_patterns
from planner.diary.store import add_rows, delete_entry, members_of, planned_on, rows_of, tests_of
from planner.extensions import db
from planner.localize import _l
from planner.refused import Invalid

bp = Blueprint("diary", __name__, url_prefix="/diary")
web.require_login(bp)
# name, label, unit (the unit is stored with the entry, so it stays as it is)
HABITS = (("sleep", _l("Sleep last night"), "hours"), ("stress", _l("Stress today, 0 to 10"), ""),
          ("movement", _l("Movement today"), "minutes"))


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw else date.today()
    except ValueError:
        raise Invalid(gettext("Give the day as YYYY-MM-DD."), {"day": gettext("Not a date.")}) from None


def _member(raw: str | None) -> str:
    household = web.household_id()
    found = service.checked_member(db.session, household, raw)
    if found:
        return found
    members = members_of(db.session, household)
    if not members:
        raise Invalid(gettext("Add your household's members in a profile first: the diary is kept for each of them."))
    return members[0]


def _when(day: date, raw: str | None) -> datetime:
    """The entry's time on the day: the time given ("08:15"), else now if the day is today, else noon."""
    if raw:
        try:
            return datetime.combine(day, time.fromisoformat(raw), tzinfo=UTC)
        except ValueError:
            raise Invalid(gettext("Give the time as 08:15."), {"time": gettext("Not a time.")}) from None
    now = datetime.now(UTC)
    return now if day == now.date() else datetime.combine(day, time(12), tzinfo=UTC)


def display_names(household: int) -> dict[str, str]:
    """What the diary shows for a food or recipe slug: its name or title."""
    library = catalog.load(db.session, household)
    names = {slug: str(record["name"]) for slug, record in library.foods.items()}
    names.update({dish.slug: str(dish.recipe["title"]) for dish in library.dishes})
    return names


@bp.get("/")
def day() -> ResponseReturnValue:
    household = web.household_id()
    member, today = _member(request.args.get("member")), _day(request.args.get("day"))
    start = datetime.combine(today, time(0), tzinfo=UTC)
    entries = rows_of(db.session, household, member, start, start + timedelta(days=1))
    names = display_names(household)
    listed = symptoms()
    return render_template(
        "diary/day.html", member=member, members=members_of(db.session, household), day=today, entries=entries,
        planned=planned_on(db.session, household, today), habits=HABITS, names=names,
        symptom_choices=[(s.key, s.label) for s in listed.symptoms if s.scale == "severity"],
        bristol=[(b.type, b.description) for b in listed.bristol],
        tests=[t for t in tests_of(db.session, household, member) if not t.stopped and not t.result
               and t.start <= today <= t.ends],
        previous=today - timedelta(days=1), next=today + timedelta(days=1))


@bp.post("/")
def add() -> ResponseReturnValue:
    """One tap's worth: a meal eaten as planned, a symptom, the day's habits, or a food off the plan."""
    household = web.household_id()
    member, today = _member(request.form.get("member")), _day(request.form.get("day"))
    when = _when(today, request.form.get("time"))
    raws = []
    kind = request.form.get("kind", "")
    if kind == "habits":
        raws = [{"kind": name, "item": name, "amount": request.form.get(name), "unit": unit}
                for name, _label, unit in HABITS if (request.form.get(name) or "").strip()]
    elif kind in ("meal", "symptom", "stool", "food", "medicine"):
        raws = [{"kind": kind, "item": request.form.get("item"), "amount": request.form.get("amount"),
                 "unit": request.form.get("unit", ""), "note": request.form.get("note", "")}]
    if not raws:
        raise Invalid(gettext("Nothing to add: fill in at least one field."))
    rows: list[Row] = []
    for raw in raws:
        try:
            rows.append(read_row({**raw, "member": member, "time": when.isoformat()}, [member]))
        except ValueError as error:
            raise Invalid(gettext("Not added: %(problem)s.", problem=error)) from None
    add_rows(db.session, household, rows)
    flash(gettext("Added to %(member)s's diary.", member=member), "success")
    return redirect(url_for("diary.day", member=member, day=today.isoformat()))


@bp.post("/habits")
def habits() -> ResponseReturnValue:
    """The week plan's habit checklist, saved to a member's diary."""
    household = web.household_id()
    member = request.form.get("member") or ""
    added = service.save_habit_ticks(db.session, household, member, request.form.getlist("tick"))
    flash(ngettext("Saved to %(member)s's diary: %(num)d new habit entry.",
                   "Saved to %(member)s's diary: %(num)d new habit entries.", added, member=member), "success")
    back = request.form.get("plan", "")
    return redirect(url_for("plans.show", plan_id=int(back)) + "#habits" if back.isdigit()
                    else url_for("diary.day", member=member))


@bp.post("/<int:entry_id>/delete")
def remove(entry_id: int) -> ResponseReturnValue:
    delete_entry(db.session, web.household_id(), entry_id)
    flash(gettext("Entry removed."), "success")
    return redirect(url_for("diary.day", member=request.form.get("member"), day=request.form.get("day")))


@bp.get("/export.csv")
def export() -> Response:
    household = web.household_id()
    member = service.checked_member(db.session, household, request.args.get("member"))
    return Response(as_csv(rows_of(db.session, household, member)), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="diary.csv"',
                             "Cache-Control": "private, no-store"})


@bp.get("/patterns")
def patterns() -> ResponseReturnValue:
    household = web.household_id()
    member = _member(request.args.get("member"))
    return render_template("diary/patterns.html", member=member, members=members_of(db.session, household),
                           found=service.patterns_of(db.session, household, member))


REPORT_DAYS = 28  # the default period, ending today
REPORT_MAX_DAYS = 366


def _report(kind: str) -> Response:
    """The member's diary over ?start= to ?end= (both included) for their healthcare provider."""
    household = web.household_id()
    member = _member(request.args.get("member"))
    end = _report_day("end", request.args.get("end"), date.today())
    start = _report_day("start", request.args.get("start"), end - timedelta(days=REPORT_DAYS - 1))
    if end < start:
        raise Invalid(gettext("The report's end comes before its start: choose an end on or after the start."),
                      {"end": gettext("Before the start.")})
    if (end - start).days + 1 > REPORT_MAX_DAYS:
        raise Invalid(gettext("A report covers at most %(days)d days: choose a shorter period.", days=REPORT_MAX_DAYS),
                      {"start": gettext("The period is too long.")})
    rows = rows_of(db.session, household, member, datetime.combine(start, time(0), tzinfo=UTC),
                   datetime.combine(end + timedelta(days=1), time(0), tzinfo=UTC))
    names = display_names(household)
    summaries = report.day_summaries(rows, names, start, end)
    found = find_patterns(service.entries_for_patterns(db.session, household, rows))
    safe = re.sub(r"[^A-Za-z0-9-]+", "-", member).strip("-") or "member"
    filename = f"diary-{safe}-{start.isoformat()}-to-{end.isoformat()}.{kind}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"}
    tests = [food_tests.summary(t, date.today()) for t in tests_of(db.session, household, member)
             if t.start <= end and t.ends >= start]
    if kind == "pdf":
        return Response(report.report_pdf(member, start, end, summaries, found, tests), mimetype="application/pdf",
                        headers=headers)
    return Response(report.report_csv(member, summaries, found, tests), mimetype="text/csv", headers=headers)


def _report_day(name: str, raw: str | None, default: date) -> date:
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(gettext("Give the report's %(name)s as YYYY-MM-DD.", name=name),
                      {name: gettext("Not a date.")}) from None


@bp.get("/report.csv")
def report_csv() -> Response:
    return _report("csv")


@bp.get("/report.pdf")
def report_pdf() -> Response:
    return _report("pdf")


from planner.diary import food_test_pages  # noqa: E402,F401  (the food test pages register on bp)
