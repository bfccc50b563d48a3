"""Forms on the account pages."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError

from planner.accounts.service import MAX_PASSWORD, MIN_PASSWORD, TOKEN_DAYS, AccountError, clean_email
from planner.models import MAX_ID


def _email_rule(form: Any, field: Any) -> None:
    """The service's rule, not WTForms' Email(): an address the command line takes must log in here."""
    try:
        clean_email(field.data or "")
    except AccountError as exc:
        raise ValidationError(str(exc)) from None


_EMAIL = [DataRequired("Give your email."), Length(max=254), _email_rule]


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=_EMAIL, render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired("Give your password."), Length(max=MAX_PASSWORD)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me logged in on this device")
    next = HiddenField()


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired("Give a name others in your household will know."),
                                                Length(max=60)], render_kw={"autocomplete": "name", "maxlength": 60})
    email = EmailField("Email", validators=_EMAIL, render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=[DataRequired("Choose a password."), Length(max=MAX_PASSWORD)],
                             description=f"At least {MIN_PASSWORD} characters.",
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Password again", validators=[EqualTo("password", "The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
    invite = HiddenField()


class NewPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a new password."),
                                                         Length(max=MAX_PASSWORD)],
                             description=f"At least {MIN_PASSWORD} characters.",
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again", validators=[EqualTo("password", "The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=_EMAIL, render_kw={"autocomplete": "email"})


class InviteForm(FlaskForm):
    email = EmailField("Their email (optional)", validators=[Optional(), Length(max=254), _email_rule],
                       description="We mail them the link; or leave it empty and send the link yourself.",
                       render_kw={"autocomplete": "off"})


class EndSessionForm(FlaskForm):
    session = IntegerField("Session", validators=[DataRequired("Say which session to end."),
                                                  NumberRange(min=1, max=MAX_ID)])


class PasswordChangeForm(NewPasswordForm):
    current = PasswordField("Current password", validators=[DataRequired("Give your current password."),
                                                            Length(max=MAX_PASSWORD)],
                            render_kw={"autocomplete": "current-password"})


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired("Name the token."), Length(max=60)],
                       description="Where it will be used, for example 'kitchen tablet'.",
                       render_kw={"maxlength": 60, "autocomplete": "off"})
    expires = SelectField("Works for", choices=[SelectChoice(str(days), f"{days} days") for days in TOKEN_DAYS]
                          + [SelectChoice("never", "until revoked")], default=str(TOKEN_DAYS[1]))

    def days(self) -> int | None:
        return None if self.expires.data == "never" else int(self.expires.data or TOKEN_DAYS[1])


class JoinForm(FlaskForm):
    code = StringField("Invitation code", validators=[DataRequired("Paste the code you were sent."), Length(max=100)],
                       render_kw={"autocomplete": "off"})


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Your password, to confirm", validators=[DataRequired("Give your password."),
                                                                       Length(max=MAX_PASSWORD)],
                             render_kw={"autocomplete": "current-password"})
