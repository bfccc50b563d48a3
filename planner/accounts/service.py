"""Signing up, logging in and out, passwords, email confirmation, invitations and API tokens: plain
functions over a session.

Answers never say whether an email has an account, so nobody can probe for members: a log-in fails
with one message, a sign-up with a taken email answers as one with a new email (and mails the owner),
a password reset answers the same for any email.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
import math

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from planner.i18n import N_
from planner.clock import as_utc, utc_now
from planner.accounts import audit, letters, limits, sessions
from planner.accounts.codes import claim, digest, new_secret
from planner.accounts.devices import Device
from planner.accounts.mail import Mailer
from planner.foods.text import has_control_characters
from planner.models import ApiToken, EmailCode, Food, Household, Invite, Plan, Profile, User
from planner.refused import Invalid, Throttled
from planner.transaction import committed

MIN_PASSWORD = 10
MAX_PASSWORD = 200
INVITE_DAYS = 7
VERIFY_DAYS = 7
RESET_MINUTES = 60
TOKEN_PREFIX = "gp_"
TOKEN_DAYS = (30, 90, 365)  # the lifetimes offered for an API token, besides "until revoked"
TOKEN_SEEN_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often


class AccountError(Invalid):
    """A request about an account that cannot be done; the message is safe to show."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message, {field: message} if field else None)
        self.field = field


class EmailTaken(AccountError):
    """The email already has an account."""


class TooManyAttempts(Throttled):
    """Too many attempts from this address, at this email or from this device; wait and try again."""


@dataclass(frozen=True)
class Context:
    """Who is asking and how to answer by mail: the request's address, the mailer and the app's links."""
    address: str
    mailer: Mailer
    links: letters.Links


@cache
def _unknown_hash() -> str:
    return generate_password_hash("no account has this password")


def _too_many(seconds: int) -> TooManyAttempts:
    return TooManyAttempts(f"Too many tries. Wait {max(1, math.ceil(seconds / 60))} minutes, then try again.",
                           retry_after=seconds)


def _check_limits(session: Session, counted: list[limits.Counted]) -> None:
    seconds = limits.wait(session, counted)
    if seconds:
        raise _too_many(seconds)



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


NOT_AN_EMAIL = N_("That does not look like an email address.")
# The names a home network gives its machines: mDNS's .local (RFC 6762) and home.arpa (RFC 8375).
# email_validator refuses them as special-use names (nothing on the internet can mail them), and
# none of its options lifts that for one call. A server at home may well have its accounts at such
# names (its mail, if any, stays on the home network). So such an address is checked with the
# suffix swapped for ".example", a name email_validator judges on syntax alone.
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



def _new_user(email: str, name: str, password_hash: str, household: Household, admin: bool = False) -> User:
    return User(email=clean_email(email), name=clean_name(name), password_hash=password_hash, is_admin=admin,
                household=household)


def _adopt_unowned(session: Session, household: Household) -> None:
    """The first household on a server takes the profiles and plans made before there were accounts."""
    session.flush()
    for model in (Profile, Plan):
        session.execute(update(model).where(model.household_id.is_(None)).values(household_id=household.id))


def _email_free(session: Session, email: str) -> None:
    if session.scalar(select(User.id).where(User.email == normal_email(email))) is not None:
        raise EmailTaken(N_("That email cannot be used to sign up. If it is yours, log in instead."), "email")


def _household_of_ones_own(session: Session, email: str, name: str, password_hash: str,
                           admin: bool = False) -> User:
    """A new account in a new household; the first on a server takes the data made before accounts."""
    first = session.scalar(select(func.count(User.id))) == 0
    household = Household(name=f"{clean_name(name)[:47]}'s household")
    user = _new_user(email, name, password_hash, household, admin)
    session.add(user)
    if first:
        _adopt_unowned(session, household)
    return user


def _create(session: Session, email: str, name: str, password_hash: str, invite_code: str | None) -> User:
    """The account, committed: in the household of the invitation (used up here, atomically), or in
    a new one. EmailTaken when the email has an account, even one made a moment ago elsewhere."""
    _email_free(session, email)
    try:
        with committed(session):
            if invite_code:
                invite = _claim_invite(session, invite_code)
                user = _new_user(email, name, password_hash, invite.household)
                session.add(user)
            else:
                user = _household_of_ones_own(session, email, name, password_hash)
    except IntegrityError:  # the same email, signed up a moment ago from elsewhere
        _email_free(session, email)
        raise
    return user


def sign_up(session: Session, email: str, name: str, password: str, invite_code: str | None = None) -> User:
    """A new account in a new household, or in the household of a valid invitation (which it uses up).
    Says so when the email is taken: for the command line and scripts run by whoever runs the server;
    the sign-up page uses `register`."""
    email, name = clean_email(email), clean_name(name)
    check_password(password)
    return _create(session, email, name, generate_password_hash(password), invite_code)


def register(session: Session, email: str, name: str, password: str, invite_code: str | None, context: Context,
             per_hour: int = limits.SIGNUP.most, agent: str = "") -> User | None:
    """Sign-up from the web: the new account, logged in (a session opened, its login id on the user).
    The answer is the same whether or not the email is taken: the password is hashed either way, and a
    taken email gets a mail to its owner instead of an account (None). At most `per_hour` sign-ups
    from one address."""
    email, name = clean_email(email), clean_name(name)
    check_password(password)
    if invite_code:
        _open_invite(session, invite_code)  # a bad invitation is said at once, whoever holds the email
    counted = [limits.Counted(replace(limits.SIGNUP, most=per_hour), limits.SIGNUP.key(context.address))]
    _check_limits(session, counted)
    with committed(session):
        limits.note(session, counted)
    password_hash = generate_password_hash(password)
    try:
        user = _create(session, email, name, password_hash, invite_code)
    except EmailTaken:
        owner = session.scalar(select(User).where(User.email == email))
        with committed(session):
            audit.record(session, audit.SIGNUP_TAKEN, owner.id if owner else None, context.address)
        if not _may_mail(session, email):
            context.mailer.send(letters.signup_taken(email, context.links.login(), context.links.reset_request()))
        return None
    with committed(session):
        audit.record(session, audit.SIGNUP, user.id, context.address, "by invitation" if invite_code else "")
        sessions.open_session(session, user, False, agent)
    send_verification(session, user, context, quiet=True)
    return user


def create_admin(session: Session, email: str, name: str, password: str) -> User:
    """An admin edits the shared food database; made from the command line only."""
    email = clean_email(email)
    with committed(session):
        existing = session.scalar(select(User).where(User.email == email))
        if existing is not None:
            existing.is_admin = True
            return existing
        check_password(password)
        return _household_of_ones_own(session, email, name, generate_password_hash(password), admin=True)


# -- logging in and out, sessions --------------------------------------------------------

def log_in(session: Session, email: str, password: str, address: str, device: Device | None = None,
           remember: bool = False, agent: str = "") -> User:
    """The account for this email and password, with a new session opened (its login id is on the
    user); AccountError with one message for every failure. Failures are limited (limits.py): a device
    that logged in to this account before is judged by its own failures only."""
    mismatch = AccountError(N_("That email and password do not match an account."))
    try:
        email = clean_email(email)
    except AccountError:
        raise mismatch from None
    user = session.scalar(select(User).where(User.email == normal_email(email)))
    known = device.name if device is not None and user is not None and device.knows(user.id) else None
    counted = limits.login_keys(email, address, known)
    _check_limits(session, counted)
    # The hash is checked even for an unknown email, so a wrong email takes as long as a wrong password.
    if check_password_hash(user.password_hash if user else _unknown_hash(), password) and user is not None:
        with committed(session):
            limits.forget(session, counted)
            sessions.open_session(session, user, remember, agent)
            audit.record(session, audit.LOGIN, user.id, address, "known device" if known else "")
        return user
    with committed(session):
        locked = limits.note(session, counted)
        user_id = user.id if user else None
        audit.record(session, audit.LOGIN_FAILED, user_id, address, "" if user else "no such account")
        for item in locked:
            length = limits.lockout_length(session, item.key)
            minutes = math.ceil(length.total_seconds() / 60) if length else 0
            audit.record(session, audit.LOCKOUT, user_id, address, f"{item.limit.kind}: {minutes} minutes")
    raise mismatch


def open_session(session: Session, user: User, remember: bool = False, agent: str = "") -> str:
    """A session for a user whose identity is already settled (a script that runs as them, a test);
    returns the login id for the cookie."""
    with committed(session):
        return sessions.open_session(session, user, remember, agent)


def log_out(session: Session, user: User, login_id: str | None, address: str) -> None:
    """End this session (a copy of its cookie no longer logs in)."""
    number = sessions.session_id(login_id)
    with committed(session):
        if number is not None:
            sessions.revoke(session, user.id, number)
        audit.record(session, audit.LOGOUT, user.id, address)


def end_session(session: Session, user: User, number: int, address: str) -> bool:
    """End one of the user's sessions (another device); False when there is no such live session."""
    with committed(session):
        ended = sessions.revoke(session, user.id, number)
        if ended:
            audit.record(session, audit.SESSION_ENDED, user.id, address, f"session {number}")
    return ended


def end_all_sessions(session: Session, user: User, address: str) -> int:
    """Log out everywhere, this device too; how many sessions ended."""
    with committed(session):
        count = sessions.revoke_all(session, user.id)
        audit.record(session, audit.SESSIONS_ENDED, user.id, address, f"{count} sessions")
    return count


def change_password(session: Session, user: User, current: str, new: str, context: Context,
                    agent: str = "") -> str:
    """Set a new password; every session of this account ends, and this device gets a new one (its login
    id is returned). The owner is told by mail."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError(N_("Your current password is not right."), "current")
    check_password(new)
    with committed(session):
        user.password_hash = generate_password_hash(new)
        sessions.revoke_all(session, user.id)
        login_id = sessions.open_session(session, user, False, agent)
        audit.record(session, audit.PASSWORD_CHANGED, user.id, context.address)
    context.mailer.send(letters.password_changed(user.email, context.links.reset_request()))
    return login_id


# -- email confirmation and password resets ----------------------------------------------

def _mail_code(session: Session, user: User, purpose: str, lasts: timedelta) -> str:
    """A new one-time code for the user, committed; only its hash is kept."""
    code = new_secret()
    with committed(session):
        session.add(EmailCode(user_id=user.id, purpose=purpose, code_hash=digest(code), expires_at=utc_now() + lasts))
    return code


def _may_mail(session: Session, *keys: str) -> int:
    """Count a mail asked for against each key (an address, an email); 0 when it may go, else the
    seconds to wait. Nobody can have a mailbox flooded through the app."""
    counted = [limits.Counted(limits.MAIL, limits.MAIL.key(key)) for key in keys]
    seconds = limits.wait(session, counted)
    if not seconds:
        with committed(session):
            limits.note(session, counted)
    return seconds


def send_verification(session: Session, user: User, context: Context, quiet: bool = False) -> None:
    """Mail the user a link that confirms their email. A few an hour: more are refused (TooManyAttempts),
    or skipped when `quiet`."""
    seconds = _may_mail(session, user.email)
    if seconds:
        if quiet:
            return
        raise _too_many(seconds)
    code = _mail_code(session, user, "verify", timedelta(days=VERIFY_DAYS))
    context.mailer.send(letters.verify(user.email, user.name, context.links.verify(code), VERIFY_DAYS))


def verify_email(session: Session, code: str, address: str) -> User:
    """Confirm the email a link was mailed to; AccountError when the link is used up, expired or unknown."""
    with committed(session):
        row_id = claim(session, EmailCode, code, EmailCode.purpose == "verify")
        if row_id is None:
            raise AccountError(N_("That link is not valid: it may have been used or have expired."))
        user = _code_owner(session, row_id)
        user.verified_at = user.verified_at or utc_now()
        audit.record(session, audit.EMAIL_VERIFIED, user.id, address)
    return user


def ask_reset(session: Session, email: str, context: Context) -> None:
    """Mail a link to set a new password, when the email has an account. The answer is the same
    either way; a few asks an hour per address and per email."""
    email = clean_email(email)
    seconds = _may_mail(session, context.address, email)
    if seconds:
        raise _too_many(seconds)
    user = session.scalar(select(User).where(User.email == email))
    with committed(session):
        audit.record(session, audit.RESET_ASKED, user.id if user else None, context.address,
                     "" if user else "no such account")
    if user is not None:
        code = _mail_code(session, user, "reset", timedelta(minutes=RESET_MINUTES))
        context.mailer.send(letters.reset(user.email, context.links.reset(code), RESET_MINUTES))


def _code_owner(session: Session, row_id: int) -> User:
    row = session.get(EmailCode, row_id)
    assert row is not None  # just claimed in this transaction
    return row.user


def _open_reset(session: Session, code: str) -> EmailCode | None:
    row = session.scalar(select(EmailCode).where(EmailCode.code_hash == digest(code.strip()),
                                                 EmailCode.purpose == "reset"))
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= utc_now():
        return None
    return row


def reset_code_works(session: Session, code: str) -> bool:
    """Whether a reset link can still be used (to show the form, or say it is used up)."""
    return _open_reset(session, code) is not None


def reset_password(session: Session, code: str, new: str, context: Context) -> User:
    """Set a new password with a mailed link, which it uses up; every session of the account ends."""
    check_password(new)  # before the code is used up: a short password can be put right
    with committed(session):
        row_id = claim(session, EmailCode, code, EmailCode.purpose == "reset")
        if row_id is None:
            raise AccountError(N_("That link is not valid: it may have been used or have expired. Ask for a new one."))
        user = _code_owner(session, row_id)
        user.password_hash = generate_password_hash(new)
        user.verified_at = user.verified_at or utc_now()  # the link reached the mailbox
        sessions.revoke_all(session, user.id)
        audit.record(session, audit.PASSWORD_RESET, user.id, context.address)
    context.mailer.send(letters.password_changed(user.email, context.links.reset_request()))
    return user


# -- invitations -----------------------------------------------------------------------

@dataclass(frozen=True)
class NewInvite:
    code: str
    expires_at: datetime
    mailed_to: str | None = None


def create_invite(session: Session, user: User, context: Context | None = None, email: str = "") -> NewInvite:
    """A one-time code for someone to join the user's household; shown once, only its hash kept.
    With an email (and a context to mail through), the link is also mailed there."""
    to = clean_email(email) if email.strip() else None
    code = new_secret()
    expires = utc_now() + timedelta(days=INVITE_DAYS)
    with committed(session):
        session.add(Invite(household_id=user.household_id, code_hash=digest(code), created_by_id=user.id,
                           expires_at=expires))
        if context is not None:
            audit.record(session, audit.INVITE_CREATED, user.id, context.address, "mailed" if to else "")
    if to and context is not None:
        context.mailer.send(letters.invite(to, user.name, user.household.name, context.links.join(code),
                                           INVITE_DAYS))
    return NewInvite(code, expires, to)


_INVALID_INVITE = N_("That invitation is not valid: it may have been used or have expired. Ask for a new one.")


def _open_invite(session: Session, code: str) -> Invite:
    invite = session.scalar(select(Invite).where(Invite.code_hash == digest(code.strip())))
    if invite is None or invite.used_at is not None or as_utc(invite.expires_at) <= utc_now():
        raise AccountError(_INVALID_INVITE, "code")
    return invite


def _claim_invite(session: Session, code: str) -> Invite:
    """Use up an invitation; of two people racing with one code, exactly one gets it."""
    invite_id = claim(session, Invite, code)
    if invite_id is None:
        raise AccountError(_INVALID_INVITE, "code")
    invite = session.get(Invite, invite_id)
    assert invite is not None
    return invite



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
            raise AccountError(N_("You are already a member of that household."), "code")
        alone = len(old.members) == 1
        if alone and _holds_data(session, old.id):
            raise AccountError(N_("You are the only member of your household and it still holds profiles, plans "
                                  "or foods. Export or delete them first, so nothing is lost."), "code")
        _claim_invite(session, code)
        user.household = invite.household
        session.flush()
        if alone:
            session.delete(old)
    return user.household


# -- API tokens ------------------------------------------------------------------------

@dataclass(frozen=True)
class NewToken:
    row: ApiToken
    secret: str


def create_token(session: Session, user: User, name: str, days: int | None = None, address: str = "") -> NewToken:
    """A token for scripts, shown once; it works for `days` days, or until revoked when None."""
    name = clean_name(name)
    if days is not None and days not in TOKEN_DAYS:
        raise AccountError(f"Choose how long the token works: {', '.join(map(str, TOKEN_DAYS))} days, "
                           "or until revoked.", "expires")
    secret = new_secret(TOKEN_PREFIX)
    with committed(session):
        row = ApiToken(user=user, name=name, token_hash=digest(secret), hint=secret[:8],
                       expires_at=utc_now() + timedelta(days=days) if days else None)
        session.add(row)
        session.flush()
        audit.record(session, audit.TOKEN_CREATED, user.id, address, f"token {row.id} ({row.hint}…)")
    return NewToken(row, secret)


def revoke_token(session: Session, user: User, token_id: int, address: str = "") -> bool:
    """Delete one of the user's own tokens; False if they have no such token."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    with committed(session):
        audit.record(session, audit.TOKEN_REVOKED, user.id, address, f"token {row.id} ({row.hint}…)")
        session.delete(row)
    return True


def user_for_token(session: Session, secret: str, address: str = "") -> User | None:
    """The user a bearer token belongs to while it has not expired, noting when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).options(joinedload(ApiToken.user))  # one query, not two
                         .where(ApiToken.token_hash == digest(secret)))
    now = utc_now()
    if row is None or (row.expires_at is not None and as_utc(row.expires_at) <= now):
        return None
    if row.last_used_at is None or as_utc(row.last_used_at) < now - TOKEN_SEEN_EVERY:
        with committed(session):  # not on every request: a script may call many times a minute
            row.last_used_at = now
            audit.record(session, audit.TOKEN_USED, row.user_id, address, f"token {row.id} ({row.hint}…)")
    return row.user
