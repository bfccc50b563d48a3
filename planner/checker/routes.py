"""The checker page: a verdict with reasons, swaps and recent checks."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3

from planner import catalog
from planner.accounts import sessions
from planner.accounts.web import login_id, viewer
from planner.checker.check import DISCLAIMER
from planner.checker.forms import CheckForm
from planner.checker.red_flags import red_flags
from planner.checker.restrictions import Restrictions
from planner.checker.service import Eater, check_barcode, eater_of, eaters, run_check
from planner.errors import status_of
from planner.refused import Refused
from planner.data import vocabulary
from planner.diary.store import members_of
from planner.extensions import db
from planner.transaction import committed

bp = Blueprint("checker", __name__, url_prefix="/check")
# templates/_red_flags.html reads the red flags from any page that includes it.
bp.add_app_template_global(red_flags, "red_flags")


def _this_session() -> int | None:
    return sessions.session_id(login_id()) if current_user.is_authenticated else None


def _remember(result: dict) -> None:
    """Keep the last few checks with the login session on the server (newest first, no repeats)."""
    entry = {"query": result["query"][:80], "verdict": result["verdict"], "kind": result["kind"],
             "in_pregnancy": result["in_pregnancy"]}
    with committed(db.session):
        sessions.note_check(db.session, _this_session(), entry)


def profile_summary(profile: Restrictions | None, eater: Eater | None) -> str:
    """ "Checking for Kim (3), Kim's family: peanuts; a child", as the check was made."""
    if eater is None:
        return ""
    shown = replace(eater, restrictions=profile) if profile is not None else eater
    return f"Checking for {eater.label}: {shown.summary}."


@bp.route("/", methods=["GET", "POST"])
def index() -> tuple[str, int]:
    vocab = vocabulary()
    form = CheckForm()
    form.fill_choices(vocab)
    options = eaters(db.session, viewer())
    form.for_whom.choices = [SelectChoice(e.key, e.label) for e in options]
    eater = eater_of(options, form.for_whom.data if form.is_submitted() else request.args.get("for"))
    if not form.is_submitted():
        # Nothing about anyone's health is kept in a cookie: the form starts from the household's profiles.
        chosen = eater.restrictions if eater else Restrictions()
        form.for_whom.data = eater.key if eater else None
        form.allergens.data = sorted(chosen.allergens)
        form.pregnant.data = chosen.pregnant
        if request.args.get("q"):
            form.text.data = request.args["q"]
    text = form.text.data if form.is_submitted() else request.args.get("q")
    barcode = None if form.is_submitted() else request.args.get("barcode", "").strip()[:40] or None
    result, error, status = None, None, 200
    profile: Restrictions | None = None  # as the check was made, to say for whom
    if barcode:
        try:
            result = check_barcode(db.session, barcode, catalog.load(db.session, viewer()).index,
                                   eater.restrictions if eater else Restrictions(),
                                   current_app.config["OFF_BASE_URL"], current_app.config["OFF_KEEP"])
        except Refused as refused:
            error, status = refused.message, status_of(refused)
    elif form.is_submitted() and not form.validate():
        status = 400
    elif text:
        # The boxes as ticked, with what the member chosen leaves out and whether they are a child.
        base = eater.restrictions if eater else Restrictions()
        profile = replace(base, allergens=frozenset(form.allergens.data or []), pregnant=bool(form.pregnant.data))
        try:
            panel = form.nutrition() if form.is_submitted() else None
            result = run_check(text, catalog.load(db.session, viewer()).index, profile, form.mode.data or "auto",
                               panel)
            _remember(result)
        except Refused as refused:
            error, status = refused.message, status_of(refused)
    household = viewer()
    return render_template("checker/index.html", form=form, result=result, error=error, vocab=vocab, barcode=barcode,
                           diary_members=members_of(db.session, household) if result and household else [],
                           for_whom=profile_summary(profile, eater) if result else "",
                           disclaimer=DISCLAIMER, recent=sessions.recent_checks(db.session, _this_session())), status
