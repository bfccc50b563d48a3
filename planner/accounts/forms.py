"""Forms on the account pages."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not in its stubs yet
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional, ValidationError

from planner.accounts.service import MAX_PASSWORD, MIN_PASSWORD, TOKEN_DAYS, AccountError, clean_email
from planner.models import MAX_ID
from planner.localize import _l


def _email_rule(form: Any, field: Any) -> None:
    """The service's rule, not WTForms' Email(): an address the command line takes must log in here."""
    try:
        clean_email(field.data or "")
    except AccountError as exc:
        raise ValidationError(str(exc)) from None


_EMAIL = [DataRequired(_l("Give your email.")), Length(max=254), _email_rule]


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=_EMAIL, render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Give your password.")), Length(max=MAX_PASSWORD)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()


class SignupForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(_l("Give a name others in your household will know.")),
                                                Length(max=60)], render_kw={"autocomplete": "name", "maxlength": 60})
    email = EmailField(_l("Email"), validators=_EMAIL, render_kw={"autocomplete": "email"})
    password = PasswordField(_l("Password"),
                             validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_PASSWORD)],
                             description=_l("At least %(count)s characters.", count=MIN_PASSWORD),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Password again"), validators=[EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    invite = HiddenField()


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Choose a new password.")),
                                                         Length(max=MAX_PASSWORD)],
                             description=_l("At least %(count)s characters.", count=MIN_PASSWORD),
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", _l("The two passwords differ."))],
                            render_kw={"autocomplete": "new-password"})


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=_EMAIL, render_kw={"autocomplete": "email"})


class InviteForm(FlaskForm):
    email = EmailField(_l("Their email (optional)"), validators=[Optional(), Length(max=254), _email_rule],
                       description=_l("We mail them the link; or leave it empty and send the link yourself."),
                       render_kw={"autocomplete": "off"})


class EndSessionForm(FlaskForm):
    session = IntegerField(_l("Session"), validators=[DataRequired(_l("Say which session to end.")),
                                                  NumberRange(min=1, max=MAX_ID)])


class PasswordChangeForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Give your current password.")),
                                                            Length(max=MAX_PASSWORD)],
                            render_kw={"autocomplete": "current-password"})


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(_l("Name the token.")), Length(max=60)],
                       description=_l("Where it will be used, for example 'kitchen tablet'."),
                       render_kw={"maxlength": 60, "autocomplete": "off"})
    expires = SelectField(_l("Works for"),
                          choices=[SelectChoice(str(days), _l("%(days)s days", days=days)) for days in TOKEN_DAYS]
                          + [SelectChoice("never", _l("until revoked"))], default=str(TOKEN_DAYS[1]))

    def days(self) -> int | None:
        return None if self.expires.data == "never" else int(self.expires.data or TOKEN_DAYS[1])


class JoinForm(FlaskForm):
    code = StringField(_l("Invitation code"),
                       validators=[DataRequired(_l("Paste the code you were sent.")), Length(max=100)],
                       render_kw={"autocomplete": "off"})


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password, to confirm"), validators=[DataRequired(_l("Give your password.")),
                                                                       Length(max=MAX_PASSWORD)],
                             render_kw={"autocomplete": "current-password"})
