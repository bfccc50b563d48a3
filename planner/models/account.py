"""People, the households they share data in, invitations, API tokens, login sessions, log-in
limits, one-time email codes and the security log.

A household is the group of people who share an account's data: it owns the eating profiles,
plans, private foods and shopping lists, and every member sees all of them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.clock import utc_now


class Household(Model):

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    members: Mapped[list[User]] = relationship(back_populates="household", order_by="User.id")


class User(Model):
    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # when the email was confirmed
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)

    household: Mapped[Household] = relationship(back_populates="members")
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                  order_by="ApiToken.id")

    # Not a column: the login id ("<session id>:<secret>") of the session this request came with.
    __allow_unmapped__ = True
    login_id: str | None = None

    # What Flask-Login asks of a user object.
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        """What the login cookie holds: it names a session record, so ending the record ends the cookie."""
        if self.login_id is None:
            raise LookupError("no session was opened for this user")
        return self.login_id


class Invite(Model):
    """A one-time code that lets a person join a household; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    household: Mapped[Household] = relationship()


class ApiToken(Model):
    """A personal token for scripts, sent as `Authorization: Bearer`; only its hash is kept."""
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))  # the token's first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None: until revoked

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(Model):
    """One log-in on one device: the login cookie names it by id and secret; only the secret's hash is kept.
    It ends when revoked (log-out, a password change, "log out everywhere") or when idle or old."""
    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)  # "keep me logged in": longer timeouts
    agent: Mapped[str] = mapped_column(String(80), default="")  # "Firefox on Linux": to tell devices apart
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The last few checks made on this device (kept here, not in a cookie anyone can read).
    recent_checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    user: Mapped[User] = relationship()


class LoginAttempt(Model):
    """An attempt counted against a limit (a failed log-in, a sign-up), kept while its window lasts."""
    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)  # "pair:<email> <address>", "address:...", ...
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)


class LoginLockout(Model):
    """A key that reached its limit is refused until `until`; each lockout within a day doubles the next."""
    __tablename__ = "login_lockout"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class EmailCode(Model):
    """A one-time code mailed as a link: to confirm an email ("verify") or set a new password ("reset").
    Only its hash is kept; it works once, until it expires."""
    __tablename__ = "email_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class SecurityEvent(Model):
    """What happened to an account, for its owner and whoever runs the server: log-ins, failures,
    lockouts, ended sessions, password changes, tokens, exports, deletions. Never a secret or health data."""
    __tablename__ = "security_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
