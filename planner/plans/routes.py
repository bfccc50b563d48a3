"""Plan pages: profiles, saved plans, the week grid, lock / redo / swap, and .ics export."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner import catalog
from planner.accounts import web
from planner.data import vocabulary
from planner.errors import status_of
from planner.extensions import db
from planner.models import Profile as ProfileRow, Plan as PlanRow
from planner.plans import service, store
from planner.plans.forms import ProfileForm, NewPlanForm
from planner.plans.profile import Profile, ProfileError
from planner.plans.ics import plan_ics
from planner.plans.problem import DAYS, PlanImpossible, Slot

bp = Blueprint("plans", __name__, url_prefix="/plans")
web.require_login(bp)


def _row(plan_id: int) -> PlanRow:
    return store.get_plan_row(db.session, plan_id, web.household_id()) or abort(404)


def _profile(profile_id: int) -> ProfileRow:
    return store.get_profile(db.session, profile_id, web.household_id()) or abort(404)


def _slot(row: PlanRow, day: int, meal: str) -> Slot:
    if not 0 <= day < DAYS or meal not in row.profile_data.get("meals", []):
        abort(404)
    return Slot(day, meal)


def _new_plan_form() -> NewPlanForm:
    form = NewPlanForm()
    form.profile.choices = [SelectChoice(h.id, h.name) for h in _profiles()]
    if not form.is_submitted():
        form.week_start.data = service.next_monday()
    return form


def _profiles() -> list[ProfileRow]:
    return store.list_profiles(db.session, web.household_id())


def _index_page(form: NewPlanForm, status: int = 200) -> tuple[str, int]:
    return render_template("plans/index.html", plans=store.list_plans(db.session, web.household_id()),
                           profiles=_profiles(), form=form), status


@bp.get("/")
def index() -> tuple[str, int]:
    return _index_page(_new_plan_form())


@bp.post("/new")
def create() -> BaseResponse | tuple[str, int]:
    form = _new_plan_form()
    week_start = form.week_start.data  # None when the field is missing from the post
    if form.validate() and week_start is not None:
        profile_row = _profile(form.profile.data)
        try:
            row, _ = service.create_plan(db.session, store.profile_of(profile_row), week_start,
                                         profile_row.id, web.household_id())
            return redirect(url_for("plans.show", plan_id=row.id))
        except PlanImpossible as exc:
            form.profile.errors = [str(exc)]
    return _index_page(form, 400)


def _profile_page(form: ProfileForm, title: str, profile_id: int | None = None) -> BaseResponse | tuple[str, int]:
    if form.is_submitted():
        if form.validate():
            try:
                profile = service.parse_profile(db.session, form.profile_data(), web.household_id())
            except ProfileError as exc:
                form.place_errors(exc.errors)
            else:
                row = _profile(profile_id) if profile_id else None
                try:
                    store.save_profile(db.session, profile, row, web.household_id(), form.read_version())
                except store.ProfileChanged as exc:
                    return _latest_page(exc, title)
                flash(f"Saved {profile.name}.", "success")
                return redirect(url_for("plans.index"))
        form.add_blank_members()
        return render_template("plans/profile.html", form=form, title=title), 400
    return render_template("plans/profile.html", form=form, title=title), 200


def _filled(row: ProfileRow) -> ProfileForm:
    """The edit form filled from the profile as saved, at its version."""
    form = ProfileForm(formdata=None)
    form.fill_choices(vocabulary())
    profile = store.profile_of(row)
    form.load(profile)
    form.excluded_foods.data = _names(profile)
    form.version.data = str(row.version)
    return form


def _latest_page(changed: store.ProfileChanged, title: str) -> tuple[str, int]:
    """A stale save refused: the latest profile to make the change on again, and why (409)."""
    return render_template("plans/profile.html", form=_filled(changed.latest), title=title,
                           conflict=changed.message), status_of(changed)


def _names(profile: Profile) -> str:
    foods = catalog.load(db.session, web.household_id()).foods
    return ", ".join(sorted(foods[s]["name"] if s in foods else s for s in profile.excluded_foods))


@bp.route("/profiles/new", methods=["GET", "POST"])
def new_profile() -> BaseResponse | tuple[str, int]:
    form = ProfileForm()
    form.fill_choices(vocabulary())
    if not form.is_submitted():
        form.load(Profile())
        form.name.data = ""
        form.fibre_now.data = "some"  # a new family starts gently unless it says otherwise
    return _profile_page(form, "New profile")


@bp.route("/profiles/<int:profile_id>", methods=["GET", "POST"])
def edit_profile(profile_id: int) -> BaseResponse | tuple[str, int]:
    row = _profile(profile_id)
    if request.method == "GET":
        return _profile_page(_filled(row), f"Edit {row.name}", profile_id)
    form = ProfileForm()
    form.fill_choices(vocabulary())
    return _profile_page(form, f"Edit {row.name}", profile_id)


@bp.get("/<int:plan_id>")
def show(plan_id: int) -> str:
    row = _row(plan_id)
    data = service.payload(db.session, row)
    return render_template("plans/plan.html", plan=data, row=row, vocab=vocabulary())


LOCKED = {"1": True, "0": False}


@bp.post("/<int:plan_id>/lock/<int:day>/<meal>")
def lock(plan_id: int, day: int, meal: str) -> BaseResponse:
    """locked=1 locks the meal and locked=0 unlocks it, so a form sent twice does what it said
    once; a post without it (a page from before) flips the lock."""
    row = _row(plan_id)
    wanted = request.form.get("locked")
    if wanted is not None and wanted not in LOCKED:
        abort(400, "Say locked=1 to lock the meal or locked=0 to unlock it.")
    service.set_lock(db.session, row, _slot(row, day, meal), LOCKED.get(wanted or ""))
    return redirect(url_for("plans.show", plan_id=plan_id, _anchor=f"day-{day}"))


def _redo(row: PlanRow, slots: list[Slot], anchor: str) -> BaseResponse:
    try:
        service.redo(db.session, row, slots)
    except PlanImpossible as exc:
        flash(str(exc), "error")
    return redirect(url_for("plans.show", plan_id=row.id, _anchor=anchor))


@bp.post("/<int:plan_id>/redo/<int:day>/<meal>")
def redo_slot(plan_id: int, day: int, meal: str) -> BaseResponse:
    row = _row(plan_id)
    return _redo(row, [_slot(row, day, meal)], f"day-{day}")


@bp.post("/<int:plan_id>/redo")
def redo_week(plan_id: int) -> BaseResponse:
    """New dishes for every meal of the week that is not locked: keep what you like, redo the rest."""
    row = _row(plan_id)
    return _redo(row, [Slot(day, meal) for day in range(DAYS) for meal in row.profile_data["meals"]], "top")


@bp.post("/<int:plan_id>/redo-changed")
def redo_changed(plan_id: int) -> BaseResponse:
    """New dishes for the meals whose recipe is gone, has changed or no longer fits the profile."""
    row = _row(plan_id)
    try:
        service.redo_changed(db.session, row)
    except PlanImpossible as exc:
        flash(str(exc), "error")
    return redirect(url_for("plans.show", plan_id=row.id))


@bp.post("/<int:plan_id>/redo/<int:day>")
def redo_day(plan_id: int, day: int) -> BaseResponse:
    row = _row(plan_id)
    if not 0 <= day < DAYS:
        abort(404)
    return _redo(row, [Slot(day, meal) for meal in row.profile_data["meals"]], f"day-{day}")


@bp.route("/<int:plan_id>/swap/<int:day>/<meal>", methods=["GET", "POST"])
def swap(plan_id: int, day: int, meal: str) -> BaseResponse | tuple[str, int]:
    row = _row(plan_id)
    slot = _slot(row, day, meal)
    status = 200
    if request.method == "POST":
        try:
            service.put(db.session, row, slot, request.form.get("recipe", ""))
            return redirect(url_for("plans.show", plan_id=plan_id, _anchor=f"day-{day}"))
        except PlanImpossible as exc:
            flash(str(exc), "error")
            status = 400
    plan, options = service.offer(db.session, row, slot)
    current = plan.problem.dishes[plan.assignment[slot]]
    return render_template("plans/swap.html", row=row, slot=slot, day_date=plan.problem.date_of(slot),
                           current=current, options=options, locked=slot in plan.locked), status


@bp.get("/<int:plan_id>/plan.ics")
def calendar(plan_id: int) -> Response:
    data = service.payload(db.session, _row(plan_id))
    text = plan_ics(data, link=url_for("plans.show", plan_id=plan_id, _external=True))
    return Response(text, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="meal-plan-{data["week_start"]}.ics"'})


@bp.post("/<int:plan_id>/delete")
def delete(plan_id: int) -> BaseResponse:
    row = _row(plan_id)
    store.delete_plan(db.session, row)
    flash(f"Deleted the plan for the week of {row.week_start:%d %B %Y}.", "success")
    return redirect(url_for("plans.index"))
