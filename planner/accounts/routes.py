"""Account pages: sign up, log in and out, the account page (password, invitations, API tokens), joining."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from planner.accounts import service
from planner.accounts.forms import JoinForm, LoginForm, PasswordChangeForm, SignupForm, TokenForm
from planner.accounts.web import safe_next
from planner.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _address() -> str:
    return request.remote_addr or "unknown"


def _start_session(user: Any, remember: bool = False) -> None:
    """A fresh session for the person who just proved who they are (nothing carried from before)."""
    session.clear()
    login_user(user, remember=remember)


def _place(form: Any, exc: service.AccountError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            user = service.log_in(db.session, form.email.data or "", form.password.data or "", _address())
        except service.TooManyAttempts as exc:
            form.form_errors.append(str(exc))
            status = 429
        except service.AccountError as exc:
            form.form_errors.append(str(exc))
            status = 400
        else:
            _start_session(user, form.remember.data)
            return redirect(safe_next(form.next.data, url_for("main.home")))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Response | tuple[str, int]:
    form = SignupForm()
    if not form.is_submitted():
        form.invite.data = request.args.get("invite", "")
    invited = _invited_household(form.invite.data)
    status = 200
    if form.validate_on_submit():
        try:
            user = service.sign_up(db.session, form.email.data or "", form.name.data or "", form.password.data or "",
                                   form.invite.data or None, _address())
        except service.TooManyAttempts as exc:
            form.form_errors.append(str(exc))
            status = 429
        except service.AccountError as exc:
            _place(form, exc)
            status = 400
        else:
            _start_session(user)
            flash(f"Welcome, {user.name}. You are in {user.household.name}.", "success")
            return redirect(url_for("main.home"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/signup.html", form=form, invited=invited), status


def _invited_household(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return service.invite_household(db.session, code).name
    except service.AccountError:
        return None


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    session.clear()
    flash("You are logged out.", "success")
    return redirect(url_for("main.home"))


def _account_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("password_form", PasswordChangeForm())
    context.setdefault("token_form", TokenForm())
    context.setdefault("join_form", JoinForm())
    return render_template("accounts/account.html", user=current_user, household=current_user.household,
                           **context), status


@bp.get("/")
@login_required
def account() -> tuple[str, int]:
    return _account_page()


@bp.post("/password")
@login_required
def password() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate():
        try:
            service.change_password(db.session, current_user, form.current.data or "", form.password.data or "")
        except service.AccountError as exc:
            _place(form, exc)
        else:
            _start_session(current_user._get_current_object())  # the new key; other devices are logged out
            flash("Your password is changed. Other devices you were logged in on are logged out.", "success")
            return redirect(url_for("accounts.account"))
    return _account_page(400, password_form=form)


@bp.post("/invites")
@login_required
def invite() -> tuple[str, int]:
    created = service.create_invite(db.session, current_user)
    link = url_for("accounts.join", code=created.code, _external=True)
    return _account_page(201, invite=created, invite_link=link)


@bp.post("/tokens")
@login_required
def create_token() -> tuple[str, int]:
    form = TokenForm()
    if form.validate():
        try:
            created = service.create_token(db.session, current_user, form.name.data or "")
        except service.AccountError as exc:
            _place(form, exc)
        else:
            return _account_page(201, new_token=created)
    return _account_page(400, token_form=form)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not service.revoke_token(db.session, current_user, token_id):
        abort(404, "You have no such token.")
    flash("The token is revoked: scripts using it are refused from now on.", "success")
    return redirect(url_for("accounts.account", _anchor="tokens"))


@bp.route("/join", methods=["POST"], defaults={"code": None})
@bp.route("/join/<code>", methods=["GET", "POST"])
def join(code: str | None) -> Response | tuple[str, int]:
    """An invitation link: a visitor signs up into the household; a member of another one moves over."""
    form = JoinForm()
    if code and not form.is_submitted():
        form.code.data = code
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.signup", invite=form.code.data or code or ""))
    invited = _invited_household(form.code.data)
    if form.validate_on_submit():
        try:
            household = service.join(db.session, current_user, form.code.data or "")
        except service.AccountError as exc:
            _place(form, exc)
        else:
            flash(f"You are now a member of {household.name}.", "success")
            return redirect(url_for("accounts.account"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/join.html", form=form, invited=invited), status
