"""Plan pages: profiles, saved plans, the week grid, lock / redo / swap, and .ics export.

What replaces many meals or a whole week asks first on a page of its own (it works without
JavaScript) and can be taken back: the message after it has an Undo button."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext  # type: ignore[import-untyped]
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner import catalog
from planner.accounts import web
from planner.data import vocabulary
from planner.diary.entries import HABIT_ENTRIES
from planner.errors import status_of
from planner.extensions import db
from planner.localize import day as written_day, translate
from planner.models import Profile as ProfileRow, Plan as PlanRow
from planner.plans import history, ratings, service, store
from planner.plans.forms import ProfileForm, NewPlanForm
from planner.plans.profile import Profile, ProfileError
from planner.plans.ics import plan_ics
from planner.recipes.own import photographed
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
    """Make a week. When the profile has a week starting that day already, offer to open it or
    to make a new one in its place (the form posted again with replace=<that week's id>)."""
    form = _new_plan_form()
    week_start = form.week_start.data  # None when the field is missing from the post
    if form.validate() and week_start is not None:
        profile_row = _profile(form.profile.data)
        existing = history.same_week(db.session, profile_row.id, week_start, web.household_id())
        if existing is not None and form.replace.data != str(existing.id):
            return render_template("plans/existing.html", existing=existing, profile=profile_row,
                                   week_start=week_start), 200
        try:
            row, _ = service.create_plan(db.session, store.profile_of(profile_row), week_start,
                                         profile_row.id, web.household_id())
        except PlanImpossible as exc:
            form.profile.errors = [translate(str(exc))]
        else:
            if existing is not None:
                history.delete(db.session, existing)
                flash(gettext("Made a new plan for the week of %(week)s in place of the old one.",
                              week=_week(week_start)), "success")
            return redirect(url_for("plans.show", plan_id=row.id))
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
                flash(gettext("Saved %(name)s.", name=profile.name), "success")
                return redirect(web.safe_next(request.args.get("next"), url_for("plans.index")))
        form.add_blank_members()
        return render_template("plans/profile.html", form=form, title=title), 400
    return render_template("plans/profile.html", form=form, title=title), 200


def _filled(row: ProfileRow) -> ProfileForm:
    """The edit form filled from the profile as saved, at its version."""
    form = ProfileForm(formdata=None)
    form.fill_choices(vocabulary())
    profile = store.profile_of(row)
    form.load(profile)
    # The words as typed ("mushrooms, fish"), which save again as they are; a profile saved before
    # words were kept shows its foods' names.
    form.excluded_foods.data = ", ".join(profile.excluded_words) if profile.excluded_words else _names(profile)
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
    return _profile_page(form, gettext("New profile"))


@bp.route("/profiles/<int:profile_id>", methods=["GET", "POST"])
def edit_profile(profile_id: int) -> BaseResponse | tuple[str, int]:
    row = _profile(profile_id)
    if request.method == "GET":
        return _profile_page(_filled(row), gettext("Edit %(name)s", name=row.name), profile_id)
    form = ProfileForm()
    form.fill_choices(vocabulary())
    return _profile_page(form, gettext("Edit %(name)s", name=row.name), profile_id)


def _week(day: date) -> str:
    return written_day(day, "long")


def _with_undo(text: str, action: str) -> Markup:
    """A message with an Undo button: the button posts the page's #undo form to `action`
    (the plan pages carry that form, with its CSRF token), so it works without JavaScript."""
    return Markup('{} <button type="submit" form="undo" formaction="{}" class="undo">{}</button>').format(
        text, action, gettext("Undo"))


RATINGS = ratings.RATINGS  # love | fine | never, and the words on their buttons (marked, translated when shown)


@bp.get("/<int:plan_id>")
def show(plan_id: int) -> str:
    row = _row(plan_id)
    data = service.payload(db.session, row)
    names = [str(m.get("name")) for m in row.profile_data.get("members", []) if isinstance(m, dict)]
    return render_template("plans/plan.html", plan=data, row=row, vocab=vocabulary(), diary_members=names,
                           diary_habits=HABIT_ENTRIES,
                           rated=ratings.ratings_of(db.session, web.household_id()),
                           rating_words={key: translate(words) for key, words in RATINGS.items()},
                           photos=photographed(db.session, web.household_id()))


LOCKED = {"1": True, "0": False}


@bp.post("/<int:plan_id>/lock/<int:day>/<meal>")
def lock(plan_id: int, day: int, meal: str) -> BaseResponse:
    """locked=1 locks the meal and locked=0 unlocks it, so a form sent twice does what it said
    once; a post without it (a page from before) flips the lock."""
    row = _row(plan_id)
    wanted = request.form.get("locked")
    if wanted is not None and wanted not in LOCKED:
        abort(400, gettext("Say locked=1 to lock the meal or locked=0 to unlock it."))
    service.set_lock(db.session, row, _slot(row, day, meal), LOCKED.get(wanted or ""))
    return redirect(url_for("plans.show", plan_id=plan_id, _anchor=f"day-{day}"))


def _redo(row: PlanRow, slots: list[Slot], anchor: str) -> BaseResponse:
    try:
        service.redo(db.session, row, slots)
    except PlanImpossible as exc:
        flash(translate(str(exc)), "error")
    return redirect(url_for("plans.show", plan_id=row.id, _anchor=anchor))


@bp.post("/<int:plan_id>/redo/<int:day>/<meal>")
def redo_slot(plan_id: int, day: int, meal: str) -> BaseResponse:
    row = _row(plan_id)
    return _redo(row, [_slot(row, day, meal)], f"day-{day}")


def _week_meals(row: PlanRow) -> list[Slot]:
    return [Slot(day, meal) for day in range(DAYS) for meal in row.profile_data["meals"]]


@bp.get("/<int:plan_id>/redo")
def confirm_redo_week(plan_id: int) -> str:
    """Ask first: redoing the week replaces every meal that is not locked."""
    row = _row(plan_id)
    unlocked = sum(1 for slot in row.slots if not slot.locked)
    return render_template("plans/confirm.html", row=row, title=gettext("Redo every meal that is not locked?"),
                           action=url_for("plans.redo_week", plan_id=row.id), button=gettext("Yes, redo them"),
                           danger=False, text=[
                               ngettext("%(num)d meal of the week of %(week)s will get new dishes; locked meals "
                                        "stay as they are.",
                                        "%(num)d meals of the week of %(week)s will get new dishes; locked meals "
                                        "stay as they are.", unlocked, week=_week(row.week_start)),
                               gettext("You can undo it straight afterwards.")])


@bp.post("/<int:plan_id>/redo")
def redo_week(plan_id: int) -> BaseResponse:
    """New dishes for every meal of the week that is not locked: keep what you like, redo the rest.
    The week as it was is remembered first, to undo."""
    row = _row(plan_id)
    history.remember(db.session, row.id)
    try:
        plan = service.redo(db.session, row, _week_meals(row))
    except PlanImpossible as exc:
        flash(translate(str(exc)), "error")
    else:
        history.redone(db.session, row.id, plan)
        flash(_with_undo(gettext("New dishes for every meal that was not locked."),
                         url_for("plans.undo", plan_id=row.id)), "success")
    return redirect(url_for("plans.show", plan_id=row.id, _anchor="top"))


@bp.post("/<int:plan_id>/undo")
def undo(plan_id: int) -> BaseResponse:
    """Put the week back as it was before it was redone."""
    row = _row(plan_id)
    try:
        history.undo(db.session, row.id)
    except (history.NothingToUndo, history.CannotUndo, history.ChangedSince) as exc:
        flash(translate(exc.message), "error")
    else:
        flash(gettext("The week is back as it was."), "success")
    return redirect(url_for("plans.show", plan_id=row.id))


@bp.post("/<int:plan_id>/redo-changed")
def redo_changed(plan_id: int) -> BaseResponse:
    """New dishes for the meals whose recipe is gone, has changed or no longer fits the profile."""
    row = _row(plan_id)
    try:
        service.redo_changed(db.session, row)
    except PlanImpossible as exc:
        flash(translate(str(exc)), "error")
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
            flash(translate(str(exc)), "error")
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


@bp.get("/<int:plan_id>/delete")
def confirm_delete(plan_id: int) -> str:
    """Ask first, on a page of its own (no script needed)."""
    row = _row(plan_id)
    who = row.profile_data.get("name", "")
    return render_template("plans/confirm.html", row=row, title=gettext("Delete this week?"),
                           action=url_for("plans.delete", plan_id=row.id), button=gettext("Yes, delete it"),
                           danger=True, text=[
                               gettext("The plan for the week of %(week)s (%(who)s) and its shopping list will go.",
                                       week=_week(row.week_start), who=who),
                               gettext("You can bring it back straight afterwards, or within %(days)d days.",
                                       days=history.KEEP_DELETED.days)])


@bp.post("/<int:plan_id>/delete")
def delete(plan_id: int) -> BaseResponse:
    row = _row(plan_id)
    store.delete_plan(db.session, row)
    flash(_with_undo(gettext("Deleted the plan for the week of %(week)s.", week=_week(row.week_start)),
                     url_for("plans.restore", plan_id=row.id)), "success")
    return redirect(url_for("plans.index"))


@bp.post("/<int:plan_id>/restore")
def restore(plan_id: int) -> BaseResponse:
    """Bring a deleted week back."""
    try:
        row = history.restore(db.session, plan_id, web.household_id())
    except history.NotDeleted as exc:
        if not history.owns(db.session, plan_id, web.household_id()):
            abort(404)
        flash(translate(exc.message), "error")
        return redirect(url_for("plans.index"))
    flash(gettext("The plan for the week of %(week)s is back.", week=_week(row.week_start)), "success")
    return redirect(url_for("plans.show", plan_id=row.id))


@bp.post("/<int:plan_id>/rate")
def rate(plan_id: int) -> BaseResponse:
    """One member's word on one of the week's dishes: love it, fine, or never again (never: not
    planned for them again); an empty rating takes it back."""
    row = _row(plan_id)
    member, slug, rating = (request.form.get(name, "") for name in ("member", "recipe", "rating"))
    members = {str(m.get("name")) for m in row.profile_data.get("members", []) if isinstance(m, dict)}
    dishes = {slot.recipe.slug: slot.recipe.title for slot in row.slots}
    if member not in members or slug not in dishes or (rating and rating not in RATINGS):
        abort(400, gettext("Rate one of this week's dishes for one of its members: love, fine or never."))
    ratings.rate(db.session, web.household_id(), member, slug, rating)
    said = translate(RATINGS[rating]).lower() if rating else gettext("no rating")
    flash(gettext("Saved: %(member)s, %(dish)s: %(rating)s.", member=member, dish=dishes[slug], rating=said), "success")
    day = request.form.get("day", "")
    return redirect(url_for("plans.show", plan_id=row.id, _anchor=f"day-{day}" if day.isdigit() else None))
