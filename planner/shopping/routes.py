"""Shopping pages: the list for a plan or a date range, ticks, extras, removals, exports, settings.

Every list page and action answers under two prefixes: /shopping/plans/<plan_id> and
/shopping/profiles/<profile_id>?start=...&end=... (several weeks of plans).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext  # type: ignore[import-untyped]
from werkzeug.wrappers import Response as BaseResponse
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet

from planner import catalog
from planner.accounts import web
from planner.data import vocabulary
from planner.extensions import db
from planner.localize import translate
from planner.models import Profile as ProfileRow
from planner.plans import store as plan_store
from planner.shopping import service
from planner.shopping.build import Settings, shop_order
from planner.shopping.exports import FORMATS
from planner.shopping.extras import ExtraError
from planner.shopping.forms import ExtraForm, PantryForm, RangeForm, UnitsForm
from planner.shopping.page import shop_page
from planner.shopping.pdf import PAPERS
from planner.shopping.present import buy_text, extra_text, meals_text, need_text
from planner.shopping.settings import (
    SettingsError, moved, with_default_pantry, with_order, with_pantry, with_units,
)

bp = Blueprint("shopping", __name__, url_prefix="/shopping")
web.require_login(bp)
PREFIXES = ("/plans/<int:plan_id>", "/profiles/<int:profile_id>")


def scoped(rule: str, **options: Any) -> Callable:
    """Register a view under both list prefixes."""
    def register(view: Callable) -> Callable:
        for prefix in PREFIXES:
            bp.add_url_rule(prefix + rule, view_func=view, **options)
        return view
    return register


def _scope(plan_id: int | None, profile_id: int | None) -> service.Scope:
    if plan_id is not None:
        return service.plan_scope(db.session, plan_id, web.household_id())
    start, end = service.parse_range(request.args.get("start"), request.args.get("end"))
    return service.range_scope(db.session, profile_id or 0, start, end, web.household_id())


def _scope_args(plan_id: int | None, profile_id: int | None) -> dict[str, Any]:
    if plan_id is not None:
        return {"plan_id": plan_id}
    return {"profile_id": profile_id, "start": request.args.get("start"), "end": request.args.get("end")}


def _back(args: dict[str, Any], anchor: str | None = None) -> BaseResponse:
    return redirect(url_for("shopping.show", **args, _anchor=anchor))


def _page(scope: service.Scope, args: dict[str, Any], form: ExtraForm | None = None,
          status: int = 200) -> tuple[str, int]:
    shopping = service.shopping_list(db.session, scope)
    warnings = service.allergy_warnings(db.session, scope, [e for aisle in shopping.aisles for e in aisle.extras])

    def list_url(endpoint: str, **values: Any) -> str:
        """A URL under this list's prefix: one plan, or a profile's date range."""
        return url_for(endpoint, **values, **args)

    return render_template(
        "shopping/list.html", shopping=shopping, shop=shop_page(shopping), scope=scope, list_url=list_url,
        form=form or ExtraForm(), buy_text=buy_text, need_text=need_text, meals_text=meals_text,
        extra_text=extra_text, counts=shopping.counts(), warnings=warnings,
        hide_ticked=request.args.get("ticked") == "hide",  # the page's script keeps this choice on the phone
    ), status


@bp.get("/")
def index() -> BaseResponse | tuple[str, int]:
    profiles = plan_store.list_profiles(db.session, web.household_id())
    form = RangeForm(request.args if "profile" in request.args else None)
    form.profile.choices = [SelectChoice(h.id, h.name) for h in profiles]
    status = 200
    if "profile" in request.args:
        if form.validate() and form.start.data and form.end.data:  # both DataRequired, so set once valid
            return redirect(url_for("shopping.show", profile_id=form.profile.data,
                                    start=form.start.data.isoformat(), end=form.end.data.isoformat()))
        status = 400
    return render_template("shopping/index.html", plans=plan_store.list_plans(db.session, web.household_id()),
                           profiles=profiles, form=form), status


@scoped("", methods=["GET"], endpoint="show")
def show(plan_id: int | None = None, profile_id: int | None = None) -> tuple[str, int]:
    args = _scope_args(plan_id, profile_id)
    return _page(_scope(plan_id, profile_id), args)


def _save_ticks(scope: service.Scope) -> None:
    if request.form.get("ticks_shown"):
        service.save_ticks(db.session, scope, set(request.form.getlist("item")), set(request.form.getlist("shown")))


@scoped("/ticks", methods=["POST"], endpoint="ticks")
def ticks(plan_id: int | None = None, profile_id: int | None = None) -> BaseResponse:
    """The whole form's ticks, or one item's (key=food:<slug>|extra:<id>, checked=1|0) as the page's script sends."""
    scope = _scope(plan_id, profile_id)
    if "key" in request.form:
        if not service.set_checked(db.session, scope, request.form["key"], request.form.get("checked") == "1"):
            abort(404, gettext("That item is not on this list."))
    else:
        _save_ticks(scope)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(service.shopping_list(db.session, scope).counts())
    flash(gettext("Saved your ticks."), "success")
    return _back(_scope_args(plan_id, profile_id))


@scoped("/items/<slug>/<any(remove, restore):action>", methods=["POST"], endpoint="item")
def item(slug: str, action: str, plan_id: int | None = None, profile_id: int | None = None) -> BaseResponse:
    scope = _scope(plan_id, profile_id)
    _save_ticks(scope)
    if not service.set_removed(db.session, scope, slug, action == "remove"):
        abort(404, gettext("This list does not need that food."))
    return _back(_scope_args(plan_id, profile_id), "removed" if action == "remove" else None)


@scoped("/items/<slug>/<any(keep, buy):action>", methods=["POST"], endpoint="pantry_item")
def pantry_item(slug: str, action: str, plan_id: int | None = None,
                profile_id: int | None = None) -> BaseResponse:
    scope = _scope(plan_id, profile_id)
    if scope.profile is None:
        abort(400, gettext("This plan has no saved profile, so it has no pantry to change."))
    if slug not in catalog.load(db.session, web.household_id()).index.by_slug:
        abort(404, gettext("There is no such food."))
    _save_ticks(scope)
    service.change_settings(db.session, scope.profile, partial(with_pantry, slug=slug, keep=action == "keep"))
    return _back(_scope_args(plan_id, profile_id))


@scoped("/extras", methods=["POST"], endpoint="add_extra")
def add_extra(plan_id: int | None = None, profile_id: int | None = None) -> BaseResponse | tuple[str, int]:
    scope = _scope(plan_id, profile_id)
    args = _scope_args(plan_id, profile_id)
    form = ExtraForm()
    if form.validate():
        try:
            extra = service.add_extra(db.session, scope, form.text.data or "")
        except ExtraError as exc:
            form.text.errors = [translate(str(exc))]
        else:
            flash(gettext("Added %(item)s.", item=extra_text(extra)), "success")
            for warning in service.allergy_warnings(db.session, scope, [extra]).values():
                flash(warning, "error")
            return _back(args)
    return _page(scope, args, form, 400)


@scoped("/extras/<int:extra_id>/delete", methods=["POST"], endpoint="delete_extra")
def delete_extra(extra_id: int, plan_id: int | None = None, profile_id: int | None = None) -> BaseResponse:
    scope = _scope(plan_id, profile_id)
    _save_ticks(scope)
    if not service.delete_extra(db.session, scope, extra_id):
        abort(404, gettext("That item is not on this list."))
    return _back(_scope_args(plan_id, profile_id))


@scoped("/export.<fmt>", methods=["GET"], endpoint="export")
def export(fmt: str, plan_id: int | None = None, profile_id: int | None = None) -> Response:
    paper = request.args.get("paper")
    if fmt not in FORMATS or (paper is not None and paper not in PAPERS):
        abort(404, gettext("Lists download as %(formats)s; PDFs on %(papers)s paper.",
                           formats=", ".join(FORMATS), papers=gettext(" or ").join(PAPERS)))
    download = service.render(service.shopping_list(db.session, _scope(plan_id, profile_id)), fmt, paper)
    return Response(download.content, mimetype=download.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{download.filename}"'})


# -- a profile's shopping settings ---------------------------------------------------

def _profile(profile_id: int) -> ProfileRow:
    return (plan_store.get_profile(db.session, profile_id, web.household_id())
            or abort(404, gettext("There is no profile %(number)s.", number=profile_id)))


def _settings_page(row: ProfileRow, units_form: UnitsForm | None = None,
                   pantry_form: PantryForm | None = None, status: int = 200) -> tuple[str, int]:
    settings = service.settings_of(db.session, row)
    aisles = vocabulary().aisles
    foods = catalog.load(db.session, web.household_id()).foods
    units_form = units_form or UnitsForm(units=settings.units)
    pantry = sorted((foods[s] for s in settings.pantry), key=lambda f: f["name"].casefold())
    return render_template("shopping/settings.html", row=row, settings=settings, units_form=units_form,
                           pantry_form=pantry_form or PantryForm(), pantry=pantry,
                           order=[(a, aisles[a]) for a in shop_order(settings.aisle_order, aisles)],
                           back=request.args.get("next")), status


@bp.get("/profiles/<int:profile_id>/settings")
def settings(profile_id: int) -> tuple[str, int]:
    return _settings_page(_profile(profile_id))


@bp.post("/profiles/<int:profile_id>/settings/units")
def units(profile_id: int) -> BaseResponse | tuple[str, int]:
    row = _profile(profile_id)
    form = UnitsForm()
    if not form.validate():
        return _settings_page(row, units_form=form, status=400)
    service.change_settings(db.session, row, partial(with_units, units=form.units.data))
    flash(gettext("Saved the units."), "success")
    return redirect(url_for("shopping.settings", profile_id=profile_id))


@bp.post("/profiles/<int:profile_id>/settings/aisles")
def aisles(profile_id: int) -> BaseResponse:
    """Move one aisle up or down ("produce:up"), or set the whole order (comma-separated, from dragging)."""
    row = _profile(profile_id)
    names = vocabulary().aisles
    given = [a.strip() for a in request.form.get("order", "").split(",") if a.strip()]
    aisle, _, direction = request.form.get("move", "").partition(":")

    def reorder(current: Settings) -> Settings:
        order = given or shop_order(current.aisle_order, names)
        if not given:
            if aisle not in order or direction not in ("up", "down"):
                raise SettingsError(gettext("Choose an aisle to move up or down."))
            order = moved(order, aisle, -1 if direction == "up" else 1)
        return with_order(current, order, names)

    service.change_settings(db.session, row, reorder)
    return redirect(url_for("shopping.settings", profile_id=profile_id, _anchor="aisles"))


@bp.post("/profiles/<int:profile_id>/settings/pantry")
def pantry(profile_id: int) -> BaseResponse | tuple[str, int]:
    """Add a food by its name, remove one, or go back to the usual pantry; each change is made
    on the pantry as stored when it lands, and making it twice is making it once."""
    row = _profile(profile_id)
    change: Callable[[Settings], Settings]
    foods = catalog.load(db.session, web.household_id()).foods
    if request.form.get("reset"):
        change = partial(with_default_pantry, foods=foods.values())
    elif request.form.get("remove"):
        if request.form["remove"] not in foods:
            abort(400, gettext("There is no such food to take out of the pantry."))
        change = partial(with_pantry, slug=request.form["remove"], keep=False)
    else:
        form = PantryForm()
        if not form.validate():
            return _settings_page(row, pantry_form=form, status=400)
        try:
            food = service.named_food(db.session, form.food.data or "", web.household_id())
        except service.UnknownFood as exc:
            form.food.errors = [translate(exc.message)]
            return _settings_page(row, pantry_form=form, status=400)
        change = partial(with_pantry, slug=food["slug"], keep=True)
        flash(gettext("%(food)s is now in your pantry.", food=food["name"]), "success")
    service.change_settings(db.session, row, change)
    return redirect(url_for("shopping.settings", profile_id=profile_id, _anchor="pantry"))
