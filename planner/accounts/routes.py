"""Account pages: sign up and getting started, log in and out, password resets and email
confirmation, the account page (password, sessions, invitations, API tokens, the security log),
joining, and your data: download it, delete your account, leave a household, remove a member or
take back an invitation."""
from __future__ import annotations

import json
from typing import Any

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext  # type: ignore[import-untyped]
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from planner.accounts import audit, devices, membership, service, sessions
from planner.accounts.forms import (DeleteAccountForm, EndSessionForm, InviteForm, JoinForm, LoginForm, NewPasswordForm,
                                    PasswordChangeForm, ResetRequestForm, SignupForm, TokenForm)
from planner.accounts.mail import Mailer
from planner.accounts.web import household_setup, login_id, safe_next, timeouts
from planner.extensions import db

bp = Blueprint("accounts", __name__, url_prefix="/account")
# The home page shows the next step to a household that has not finished them (read only there).
bp.add_app_template_global(household_setup)


def _address() -> str:
    return request.remote_addr or "unknown"


def _agent() -> str:
    return request.user_agent.string or ""


class _Links:
    """Full links for mails: PUBLIC_URL's host when set, so a forged Host header cannot put another
    site's address into a password-reset mail."""

    def _url(self, endpoint: str, **values: Any) -> str:
        base = current_app.config.get("PUBLIC_URL") or ""
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)

    def verify(self, code: str) -> str:
        return self._url("accounts.verify", code=code)

    def reset(self, code: str) -> str:
        return self._url("accounts.reset_password", code=code)

    def join(self, code: str) -> str:
        return self._url("accounts.join", code=code)

    def login(self) -> str:
        return self._url("accounts.login")

    def reset_request(self) -> str:
        return self._url("accounts.reset_request")


def _context() -> service.Context:
    return service.Context(_address(), Mailer.from_config(current_app.config), _Links())


def _start_session(user: Any, remember: bool = False) -> None:
    """The browser's cookie for the session just opened (nothing carried over from before)."""
    session.clear()
    login_user(user, remember=remember)


def _end_session_here() -> None:
    logout_user()
    session.clear()


def _device() -> devices.Device | None:
    return devices.read(current_app.config["SECRET_KEY"], request.cookies.get(devices.COOKIE))


def _remember_device(response: Response, user_id: int) -> Response:
    """The device cookie, naming this browser as one the account logs in from."""
    device = (_device() or devices.new_device()).with_user(user_id)
    response.set_cookie(devices.COOKIE, devices.write(current_app.config["SECRET_KEY"], device),
                        max_age=int(devices.LIFETIME.total_seconds()), path=bp.url_prefix or "/", httponly=True,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return response


def _place(form: Any, exc: service.AccountError) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def _throttled(template: str, form: Any, exc: service.TooManyAttempts, **context: Any) -> tuple[str, int, dict]:
    form.form_errors.append(str(exc))
    return render_template(template, form=form, **context), 429, {"Retry-After": str(exc.retry_after or 60)}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | tuple[str, int, dict]:
    form = LoginForm()
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            user = service.log_in(db.session, form.email.data or "", form.password.data or "", _address(),
                                  _device(), bool(form.remember.data), _agent())
        except service.TooManyAttempts as exc:
            return _throttled("accounts/login.html", form, exc)
        except service.AccountError as exc:
            form.form_errors.append(str(exc))
            status = 400
        else:
            _start_session(user, bool(form.remember.data))
            return _remember_device(redirect(safe_next(form.next.data, url_for("main.home"))), user.id)
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Response | tuple[str, int] | tuple[str, int, dict]:
    form = SignupForm()
    if not form.is_submitted():
        form.invite.data = request.args.get("invite", "")
    invited = _invited_household(form.invite.data)
    status = 200
    if form.validate_on_submit():
        email, name = form.email.data or "", form.name.data or ""
        try:
            user = service.register(db.session, email, name, form.password.data or "", form.invite.data or None,
                                    _context(), current_app.config["SIGNUPS_PER_HOUR"], _agent())
        except service.TooManyAttempts as exc:
            return _throttled("accounts/signup.html", form, exc, invited=invited)
        except service.AccountError as exc:
            _place(form, exc)
            status = 400
        else:
            # The same answer whether or not the email was taken (then its owner got a mail instead).
            if user is not None:
                _start_session(user)
            flash(gettext("Welcome, %(name)s. We have sent a message to %(email)s: open its link to confirm "
                          "your email.", name=name.strip(), email=service.normal_email(email)), "success")
            return redirect(url_for("accounts.start"))
    elif form.is_submitted():
        status = 400
    return render_template("accounts/signup.html", form=form, invited=invited), status


@bp.get("/start")
@login_required
def start() -> str:
    """Getting started: who eats, allergies and dislikes, then the first week. Each step opens the
    page that does it, which comes back here."""
    return render_template("accounts/start.html", setup=household_setup())


def _invited_household(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return service.invite_household(db.session, code).name
    except service.AccountError:
        return None


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        service.log_out(db.session, current_user, login_id(), _address())
    _end_session_here()
    flash(gettext("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> tuple[str, int] | tuple[str, int, dict]:
    """Ask for a link to set a new password: the answer is the same for any email."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        try:
            service.ask_reset(db.session, form.email.data or "", _context())
        except service.TooManyAttempts as exc:
            return _throttled("accounts/reset_request.html", form, exc)
        return render_template("accounts/reset_request.html", form=form, sent=service.normal_email(
            form.email.data or "")), 200
    return render_template("accounts/reset_request.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/reset/<code>", methods=["GET", "POST"])
def reset_password(code: str) -> Response | tuple[str, int]:
    form = NewPasswordForm()
    if not service.reset_code_works(db.session, code):
        return render_template("accounts/reset_password.html", form=form, expired=True), 400
    if form.validate_on_submit():
        try:
            service.reset_password(db.session, code, form.password.data or "", _context())
        except service.AccountError as exc:
            _place(form, exc)
        else:
            _end_session_here()
            flash(gettext("Your password is set. Every device was logged out: log in with the new password."),
                  "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), 400 if form.is_submitted() else 200


@bp.get("/verify/<code>")
def verify(code: str) -> Response:
    service.verify_email(db.session, code, _address())  # a used-up link: AccountError, a 400 page
    flash(gettext("Thank you: your email is confirmed."), "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated else "accounts.login"))


@bp.post("/verify")
@login_required
def resend_verification() -> Response:
    service.send_verification(db.session, current_user, _context())  # too many: a 429 page
    flash(gettext("We have sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.account", _anchor="email"))


def _account_page(status: int = 200, **context: Any) -> tuple[str, int]:
    context.setdefault("password_form", PasswordChangeForm())
    context.setdefault("token_form", TokenForm())
    context.setdefault("join_form", JoinForm())
    context.setdefault("invite_form", InviteForm())
    context.setdefault("delete_form", DeleteAccountForm())
    user = current_user
    limits = timeouts(current_app.config)
    live = sessions.active(db.session, user.id, sessions.session_id(login_id()), limits)
    return render_template("accounts/account.html", user=user, household=user.household, sessions=live,
                           owner=membership.owner_of(user.household),
                           invites=membership.open_invites(db.session, user.household),
                           events=audit.recent(db.session, user.id),
                           idle_hours=round(limits.idle.total_seconds() / 3600),
                           remember_days=limits.remember_idle.days, **context), status


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
            service.change_password(db.session, current_user, form.current.data or "", form.password.data or "",
                                    _context(), _agent())
        except service.AccountError as exc:
            _place(form, exc)
        else:
            _start_session(current_user._get_current_object())  # the new session; every other one ended
            flash(gettext("Your password is changed. Other devices you were logged in on are logged out."), "success")
            return redirect(url_for("accounts.account"))
    return _account_page(400, password_form=form)


@bp.post("/sessions/end")
@login_required
def end_session() -> Response | tuple[str, int]:
    form = EndSessionForm()
    if not form.validate() or form.session.data is None:
        abort(400, gettext("Say which session to end."))
    if not service.end_session(db.session, current_user, form.session.data, _address()):
        abort(404, gettext("You have no such session."))
    if form.session.data == sessions.session_id(login_id()):
        _end_session_here()
        flash(gettext("You are logged out."), "success")
        return redirect(url_for("main.home"))
    flash(gettext("That session is ended: the device is logged out."), "success")
    return redirect(url_for("accounts.account", _anchor="sessions"))


@bp.post("/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    service.end_all_sessions(db.session, current_user, _address())
    _end_session_here()
    flash(gettext("You are logged out everywhere, on this device too."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/invites")
@login_required
def invite() -> tuple[str, int]:
    form = InviteForm()
    if not form.validate():
        return _account_page(400, invite_form=form)
    created = service.create_invite(db.session, current_user, _context(), form.email.data or "")
    link = url_for("accounts.join", code=created.code, _external=True)
    return _account_page(201, invite=created, invite_link=link)


@bp.post("/tokens")
@login_required
def create_token() -> tuple[str, int]:
    form = TokenForm()
    if form.validate():
        try:
            created = service.create_token(db.session, current_user, form.name.data or "", form.days(), _address())
        except service.AccountError as exc:
            _place(form, exc)
        else:
            return _account_page(201, new_token=created)
    return _account_page(400, token_form=form)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    if not service.revoke_token(db.session, current_user, token_id, _address()):
        abort(404, gettext("You have no such token."))
    flash(gettext("The token is revoked: scripts using it are refused from now on."), "success")
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
            flash(gettext("You are now a member of %(name)s.", name=household.name), "success")
            return redirect(url_for("accounts.account"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/join.html", form=form, invited=invited), status


# -- your data -------------------------------------------------------------------------

@bp.get("/data")
@login_required
def download_data() -> Response:
    """Everything kept about you and your household, as one JSON file."""
    document = membership.my_data(db.session, current_user, _address())
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="gut-planner-my-data.json"'})


@bp.post("/delete")
@login_required
def delete_account() -> Response | tuple[str, int]:
    form = DeleteAccountForm()
    if form.validate():
        try:
            whole = membership.delete_account(db.session, current_user._get_current_object(),
                                              form.password.data or "", _address())
        except service.AccountError as exc:
            _place(form, exc)
        else:
            logout_user()
            flash(gettext("Your account is deleted, with your household and all its data.") if whole else
                  gettext("Your account is deleted. Your household keeps its shared data."), "success")
            return redirect(url_for("main.home"))
    return _account_page(400, delete_form=form)


@bp.post("/leave")
@login_required
def leave_household() -> Response:
    household = membership.leave(db.session, current_user._get_current_object(), _address(), _agent())
    _start_session(current_user._get_current_object())  # a new session here; every other one ended
    flash(gettext("You have left the household. You are now in %(name)s, on your own.", name=household.name),
          "success")
    return redirect(url_for("accounts.account"))


@bp.post("/members/<int:member_id>/remove")
@login_required
def remove_member(member_id: int) -> Response:
    removed = membership.remove_member(db.session, current_user, member_id, _address())
    flash(gettext("%(name)s is no longer a member: they are logged out and see none of this household's data.",
                  name=removed.name), "success")
    return redirect(url_for("accounts.account", _anchor="household"))


@bp.post("/invites/<int:invite_id>/revoke")
@login_required
def revoke_invite(invite_id: int) -> Response:
    membership.revoke_invite(db.session, current_user, invite_id, _address())
    flash(gettext("The invitation is taken back: its link no longer works."), "success")
    return redirect(url_for("accounts.account", _anchor="household"))
