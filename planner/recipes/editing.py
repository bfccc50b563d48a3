"""Pages for a household's own recipes: write, review each ingredient line, save, edit, copy a
curated recipe, import from a web address, pasted text or an export file, and delete."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext  # type: ignore[import-untyped]
from flask_login import login_required

from planner import catalog
from planner.accounts import web
from planner.errors import status_of
from planner.extensions import db
from planner.localize import translate
from planner.recipes import service
from planner.recipes.forms import ImportForm, RecipeForm
from planner.recipes.importing import FetchRules
from planner.recipes.own import Draft, RecipeInput, own_recipe, photo_of, set_photo
from planner.recipes.photos import MAX_UPLOAD_BYTES, prepared_photo
from planner.recipes.routes import bp
from planner.refused import Refused

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # an export file; every other form keeps the app's smaller limit
SUGGESTIONS = 5
MAX_PHOTO_REQUEST = MAX_UPLOAD_BYTES + 64 * 1024  # the photo and the form around it


def fetch_rules() -> FetchRules:
    from flask import current_app
    return FetchRules(allow_private=bool(current_app.config.get("RECIPE_FETCH_ALLOW_PRIVATE")))


def _chosen_from(form: dict[str, str]) -> dict[str, str]:
    """The review's answers: a suggestion picked ("food-3" = slug) or a food typed ("other-3")."""
    library = catalog.load(db.session, web.household_id())
    answers = {k: v for k, v in form.items() if k.startswith("food-") and v}
    for key, typed in form.items():
        if key.startswith("other-") and typed.strip():
            found = library.names.get(typed.strip().lower())
            match = None if found else service.matcher_for(library).match(typed)
            slug = found or (match.key if match else None)
            if slug:
                answers["food-" + key.removeprefix("other-")] = slug
    return answers


def _suggestions(draft: Draft) -> dict[int, list[tuple[str, str]]]:
    library = catalog.load(db.session, web.household_id())
    matcher = service.matcher_for(library)
    return {n: [(m.key, m.name) for m in matcher.suggestions(line.words, SUGGESTIONS)]
            for n, line in enumerate(draft.lines) if line.needs_choice and line.words}


def _editor(form: RecipeForm, action: str, heading: str, draft: Draft | None = None,
            status: int = 200) -> ResponseReturnValue:
    return render_template("recipes/edit.html", form=form, action=action, heading=heading, draft=draft,
                           suggestions=_suggestions(draft) if draft else {}), status


def _save(form: RecipeForm, action: str, heading: str, slug: str | None) -> ResponseReturnValue:
    """Read the form; show the lines for review when one needs the cook's eye, else save."""
    household = web.household_id()
    data, errors = form.read(_chosen_from(request.form.to_dict()))
    if errors:
        form.show_errors(errors)
        return _editor(form, action, heading, status=400)
    try:
        draft = service.preview(db.session, household, data, slug or "new")
        if any(line.needs_choice for line in draft.lines) and request.form.get("confirmed") != "1":
            return _editor(form, action, heading, draft)
        recipe = (service.update(db.session, household, slug, data) if slug
                  else service.create(db.session, household, data))
    except Refused as refused:
        form.show_errors(refused.fields)
        flash(translate(refused.message), "error")
        return _editor(form, action, heading, status=status_of(refused))
    flash(gettext("Saved \u201c%(title)s\u201d.", title=recipe.title), "success")
    return redirect(url_for("recipes.detail", slug=recipe.slug))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    form = RecipeForm()
    if not form.is_submitted():
        form.fill(RecipeInput("", ("dinner",), 4, 15, 30, (), ()))
        form.title.data = ""
        return _editor(form, url_for("recipes.new"), "A recipe of your own")
    if not form.validate():
        return _editor(form, url_for("recipes.new"), "A recipe of your own", status=400)
    return _save(form, url_for("recipes.new"), "A recipe of your own", None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> ResponseReturnValue:
    household = web.household_id()
    own_recipe(db.session, household, slug)  # NotFound for a curated or another household's recipe
    action, heading = url_for("recipes.edit", slug=slug), gettext("Edit your recipe")
    form = RecipeForm()
    if not form.is_submitted():
        library = catalog.load(db.session, household)
        form.fill(service.edit_input(service.find_dish(library, slug), library.foods))
        return _editor(form, action, heading)
    if not form.validate():
        return _editor(form, action, heading, status=400)
    return _save(form, action, heading, slug)


@bp.get("/<slug>/copy")
@login_required
def copy(slug: str) -> ResponseReturnValue:
    """A recipe (curated or one's own) as the start of a new one of one's own."""
    library = catalog.load(db.session, web.household_id())
    form = RecipeForm()
    form.fill(service.copy_input(service.find_dish(library, slug), library.foods))
    return _editor(form, url_for("recipes.new"), gettext("Make it your own"))


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@login_required
def delete(slug: str) -> ResponseReturnValue:
    recipe = own_recipe(db.session, web.household_id(), slug)
    if request.method == "GET":
        return render_template("recipes/delete.html", recipe=recipe)
    title = recipe.title
    service.delete(db.session, web.household_id(), slug)
    flash(gettext("Deleted \u201c%(title)s\u201d. Weeks already planned keep their meals.", title=title), "success")
    return redirect(url_for("recipes.index", own="1"))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_recipe() -> ResponseReturnValue:
    request.max_content_length = MAX_IMPORT_BYTES
    form = ImportForm()
    if not form.is_submitted():
        return render_template("recipes/import.html", form=form), 200
    if not form.validate():
        return render_template("recipes/import.html", form=form), 400
    upload = form.file.data
    file = (upload.filename or "recipe", upload.read()) if upload and upload.filename else None
    try:
        found = service.imported(url=(form.url.data or "").strip() or None, text=(form.text.data or "").strip() or None,
                                 file=file, rules=fetch_rules())
        if len(found) == 1:
            recipe_form = RecipeForm(formdata=None)
            recipe_form.fill(found[0])
            draft = service.preview(db.session, web.household_id(), found[0])
            return _editor(recipe_form, url_for("recipes.new"), gettext("Check the imported recipe"), draft)
        saved = service.create_many(db.session, web.household_id(), found)
    except Refused as refused:
        form.url.errors = [translate(refused.message)]
        return render_template("recipes/import.html", form=form), status_of(refused)
    if saved.refused:
        flash(gettext("Imported %(num)d recipe(s); %(failed)d could not be: %(reasons)s", num=len(saved.created),
                      failed=len(saved.refused), reasons="; ".join(saved.refused)), "success")
    else:
        flash(gettext("Imported %(num)d recipe(s).", num=len(saved.created)), "success")
    return redirect(url_for("recipes.index", own="1"))


@bp.post("/<slug>/photo")
@login_required
def upload_photo(slug: str) -> ResponseReturnValue:
    """Add or replace the photo (field "photo"), or take it away ("remove")."""
    request.max_content_length = MAX_PHOTO_REQUEST
    own_recipe(db.session, web.household_id(), slug)  # another's recipe is not found, whatever is sent
    if request.form.get("remove"):
        set_photo(db.session, web.household_id(), slug, None)
        flash(gettext("Photo removed."), "success")
    else:
        upload = request.files.get("photo")
        set_photo(db.session, web.household_id(), slug, prepared_photo(upload.read() if upload else b""))
        flash(gettext("Photo saved."), "success")
    return redirect(url_for("recipes.detail", slug=slug))


@bp.get("/<slug>/photo")
def photo(slug: str) -> ResponseReturnValue:
    """The photo, cached by the browser and revalidated by its digest (private: an own recipe's
    photo is for its household alone)."""
    image = photo_of(db.session, web.viewer(), slug)
    if image is None:
        abort(404)
    response = make_response(image.data)
    response.headers["Content-Type"] = image.content_type
    response.set_etag(image.digest)
    response.headers["Cache-Control"] = "private, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)
