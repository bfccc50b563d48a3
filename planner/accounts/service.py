"""Signing up, logging in, passwords, invitations and API tokens: plain functions over a session.

Messages never say whether an email has an account, so nobody can probe for members.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import cache
from datetime import UTC, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from planner.accounts import limits
from planner.accounts.codes import digest, new_secret
from planner.foods.text import has_control_characters
from planner.models import ApiToken, Food, Household, Profile, Invite, Plan, User
from planner.refused import Invalid, Throttled
from planner.transaction import committed

MIN_PASSWORD = 10
MAX_PASSWORD = 200
INVITE_DAYS = 7
TOKEN_PREFIX = "gp_"


class AccountError(Invalid):
    """A request about an account that cannot be done; the message is safe to show."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, {field: message} if field else None)
        self.field = field


class TooManyAttempts(Throttled):
    """Log-ins from this email or address failed too often; wait and try again."""


@cache
def _unknown_hash() -> str:
    return generate_password_hash("no account has this password")


def _too_many() -> TooManyAttempts:
    return TooManyAttempts(f"Too many tries. Wait {limits.WINDOW.seconds // 60} minutes, then try again.",
                           retry_after=int(limits.WINDOW.total_seconds()))


def _now() -> datetime:
    return datetime.now(UTC)


def normal_email(email: str) -> str:
    """How an email is looked up: clean_email's addresses are already in this form."""
    return email.strip().lower()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters: a few words together are easy to remember.",
                           "password")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters.", "password")


def clean_name(name: str, field: str = "name", limit: int = 60) -> str:
    """A person's or a token's name: some text, not too long, nothing unprintable."""
    name = name.strip()
    if not name or len(name) > limit or has_control_characters(name):
        raise AccountError(f"Give a name of up to {limit} characters.", field)
    return name


NOT_AN_EMAIL = "That does not look like an email address."
# The names a home network gives its machines: mDNS's .local (RFC 6762) and home.arpa (RFC 8375).
# email_validator refuses them as special-use names (nothing on the internet can mail them), and
# none of its options lifts that for one call. This app sends no mail: an email only names an
# account, and a server at home may well have its accounts at such names. So such an address is
# checked with the suffix swapped for ".example", a name email_validator judges on syntax alone.
HOME_NETWORK_SUFFIXES = (".local", ".home.arpa")
_STAND_IN = ".example"


def clean_email(email: str) -> str:
    """The one rule for an account's email, on the sign-up and log-in pages and the command line:
    the address as stored (lower case), or AccountError on the "email" field.

    Any address email_validator takes without asking DNS (a dot after the @, so "me@gmail" is a
    typo caught), plus addresses at home-network names such as admin@home.local."""
    text = email.strip()
    name, _, domain = text.rpartition("@")
    suffix = next((s for s in HOME_NETWORK_SUFFIXES if domain.lower().endswith(s)), "")
    asked = f"{name}@{domain[:-len(suffix)]}{_STAND_IN}" if suffix else text
    try:
        address = validate_email(asked, check_deliverability=False).normalized
    except EmailNotValidError:
        raise AccountError(NOT_AN_EMAIL, "email") from None
    if suffix:
        address = address[:-len(_STAND_IN)] + suffix
    return address.lower()


def _new_user(email: str, name: str, password: str, household: Household, admin: bool = False) -> User:
    check_password(password)
    return User(email=clean_email(email), name=clean_name(name), password_hash=generate_password_hash(password),
                session_key=secrets.token_hex(16), is_admin=admin, household=household)


def _adopt_unowned(session: Session, household: Household) -> None:
    """The first household on a server takes the profiles and plans made before there were accounts."""
    session.flush()
    for model in (Profile, Plan):
        session.execute(update(model).where(model.household_id.is_(None)).values(household_id=household.id))


def _email_free(session: Session, email: str) -> None:
    if session.scalar(select(User.id).where(User.email == normal_email(email))) is not None:
        # Said the same way whoever holds the email, and only to someone who typed it in.
        raise AccountError("That email cannot be used to sign up. If it is yours, log in instead.", "email")


def _household_of_ones_own(session: Session, email: str, name: str, password: str, admin: bool = False) -> User:
    """A new account in a new household; the first on a server takes the data made before accounts."""
    first = session.scalar(select(func.count(User.id))) == 0
    household = Household(name=f"{clean_name(name)[:47]}'s household")
    user = _new_user(email, name, password, household, admin)
    session.add(user)
    if first:
        _adopt_unowned(session, household)
    return user


def sign_up(session: Session, email: str, name: str, password: str, invite_code: str | None = None,
            address: str = "") -> User:
    """A new account in a new household, or in the household of a valid invitation (which it uses up).
    A taken email counts as a failed attempt, so sign-up cannot be used to list members quickly."""
    email = clean_email(email)
    if limits.blocked(session, email, address):
        raise _too_many()
    try:
        _email_free(session, email)
        with committed(session):
            if invite_code:
                invite = _open_invite(session, invite_code)
                user = _new_user(email, name, password, invite.household)
                session.add(user)
                invite.used_at = _now()
            else:
                user = _household_of_ones_own(session, email, name, password)
    except IntegrityError:  # the same email, signed up a moment ago from elsewhere
        _email_free(session, email)
        raise
    except AccountError as exc:
        if exc.field == "email":
            with committed(session):
                limits.record_failure(session, email, address)
        raise
    return user


def create_admin(session: Session, email: str, name: str, password: str) -> User:
    """An admin edits the shared food database; made from the command line only."""
    email = clean_email(email)
    with committed(session):
        existing = session.scalar(select(User).where(User.email == email))
        if existing is not None:
            existing.is_admin = True
            return existing
        return _household_of_ones_own(session, email, name, password, admin=True)


def log_in(session: Session, email: str, password: str, address: str) -> User:
    """The account for this email and password, or AccountError with one message for every failure."""
    mismatch = AccountError("That email and password do not match an account.")
    try:
        email = clean_email(email)
    except AccountError:
        raise mismatch from None
    if limits.blocked(session, email, address):
        raise _too_many()
    user = session.scalar(select(User).where(User.email == normal_email(email)))
    # The hash is checked even for an unknown email, so a wrong email takes as long as a wrong password.
    if check_password_hash(user.password_hash if user else _unknown_hash(), password) and user is not None:
        with committed(session):
            limits.clear(session, email)
        return user
    with committed(session):
        limits.record_failure(session, email, address)
    raise mismatch


def change_password(session: Session, user: User, current: str, new: str) -> None:
    """Set a new password; every other session of this account ends."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("Your current password is not right.", "current")
    check_password(new)
    with committed(session):
        user.password_hash = generate_password_hash(new)
        user.session_key = secrets.token_hex(16)


def user_for_session(session: Session, session_id: str) -> User | None:
    """The user a login cookie names ("<id>:<session key>"), while its key still matches."""
    user_id, _, key = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = session.get(User, int(user_id))
    return user if user and secrets.compare_digest(user.session_key, key) else None


# -- invitations -----------------------------------------------------------------------

@dataclass(frozen=True)
class NewInvite:
    code: str
    expires_at: datetime


def create_invite(session: Session, user: User) -> NewInvite:
    """A one-time code for someone to join the user's household; shown once, only its hash kept."""
    code = new_secret()
    expires = _now() + timedelta(days=INVITE_DAYS)
    with committed(session):
        session.add(Invite(household_id=user.household_id, code_hash=digest(code), created_by_id=user.id,
                           expires_at=expires))
    return NewInvite(code, expires)


def _open_invite(session: Session, code: str) -> Invite:
    invite = session.scalar(select(Invite).where(Invite.code_hash == digest(code.strip())))
    if invite is None or invite.used_at is not None or _aware(invite.expires_at) <= _now():
        raise AccountError("That invitation is not valid: it may have been used or have expired. "
                           "Ask for a new one.", "code")
    return invite


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def invite_household(session: Session, code: str) -> Household:
    """The household a still-valid invitation is for (to greet the person before they accept)."""
    return _open_invite(session, code).household


def _holds_data(session: Session, household_id: int) -> bool:
    return any(session.scalar(select(model.id).where(model.household_id == household_id).limit(1)) is not None
               for model in (Profile, Plan, Food))


def join(session: Session, user: User, code: str) -> Household:
    """Move a signed-in user into the invitation's household. Their old household goes if it is left
    empty; a last member whose household still holds profiles, plans or foods cannot leave it."""
    with committed(session):
        invite = _open_invite(session, code)
        old = user.household
        if invite.household_id == old.id:
            raise AccountError("You are already a member of that household.", "code")
        alone = len(old.members) == 1
        if alone and _holds_data(session, old.id):
            raise AccountError("You are the only member of your household and it still holds profiles, plans "
                               "or foods. Export or delete them first, so nothing is lost.", "code")
        user.household = invite.household
        invite.used_at = _now()
        session.flush()
        if alone:
            session.delete(old)
    return user.household


# -- API tokens ------------------------------------------------------------------------

@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    secret: str


def create_token(session: Session, user: User, name: str) -> NewToken:
    name = clean_name(name)
    secret = new_secret(TOKEN_PREFIX)
    with committed(session):
        row = ApiToken(user=user, name=name, token_hash=digest(secret), hint=secret[:8])
        session.add(row)
    return NewToken(row, secret)


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    """Delete one of the user's own tokens; False if they have no such token."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    with committed(session):
        session.delete(row)
    return True


def user_for_token(session: Session, secret: str) -> User | None:
    """The user a bearer token belongs to, noting when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).options(joinedload(ApiToken.user))  # one query, not two
                         .where(ApiToken.token_hash == digest(secret)))
    if row is None:
        return None
    if row.last_used_at is None or _aware(row.last_used_at) < _now() - timedelta(minutes=5):
        with committed(session):  # not on every request: a script may call many times a minute
            row.last_used_at = _now()
    return row.user
