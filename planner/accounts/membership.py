"""Your data is yours: download everything the app keeps about you, delete your account, leave a
household, and, for a household's owner, remove a member or take back an invitation.

The owner is the household's first member (who made it, or the longest there since). A household
whose last member goes is deleted with all its data: profiles, plans and their lists, pantry and
private foods (the database cascades from the household row).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from planner.i18n import N_
from planner.clock import as_utc, utc_now
from planner.accounts import audit, backup, sessions
from planner.accounts.service import AccountError
from planner.models import ApiToken, CatalogVersion, Household, Invite, SecurityEvent, User, UserSession
from planner.refused import NotFound
from planner.transaction import committed

FORMAT = "gut-planner-my-data"


def owner_of(household: Household) -> User:
    return household.members[0]  # members are ordered by id


def my_data(session: Session, user: User, address: str) -> dict[str, Any]:
    """Everything kept about the person and their household, as one JSON document (the household
    part is the same backup `planner import-data` restores)."""
    def when(moment: datetime | None) -> str | None:
        return moment.isoformat(timespec="seconds") if moment else None

    document = {
        "format": FORMAT, "version": 1, "exported_at": utc_now().isoformat(timespec="seconds"),
        "account": {"name": user.name, "email": user.email, "created_at": when(user.created_at),
                    "email_confirmed_at": when(user.verified_at), "admin": user.is_admin,
                    "household_owner": owner_of(user.household).id == user.id},
        "api_tokens": [{"name": t.name, "starts": t.hint, "created_at": when(t.created_at),
                        "last_used_at": when(t.last_used_at), "expires_at": when(t.expires_at)}
                       for t in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))],
        "sessions": [{"device": s.agent, "created_at": when(s.created_at), "last_seen_at": when(s.last_seen_at),
                      "ended_at": when(s.revoked_at)}
                     for s in session.scalars(select(UserSession).where(UserSession.user_id == user.id))],
        "security_events": [{"at": when(e.at), "kind": e.kind, "address": e.address, "detail": e.detail}
                            for e in session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == user.id)
                                                     .order_by(SecurityEvent.at))],
        "household": backup.export_household(session, user.household),
    }
    with committed(session):
        audit.record(session, audit.EXPORT, user.id, address, "downloaded all their data")
    return document


def _own_household(user: User) -> Household:
    """A new, empty household for someone who leaves theirs."""
    return Household(name=f"{user.name[:47]}'s household")


def _check_password(user: User, password: str) -> None:
    if not check_password_hash(user.password_hash, password):
        raise AccountError(N_("Your password is not right."), "password")


def delete_account(session: Session, user: User, password: str, address: str) -> bool:
    """Delete the account, its sessions and tokens; and the household with all its data when the
    person was its last member. True when the household went too."""
    _check_password(user, password)
    household = user.household
    last = len(household.members) == 1
    with committed(session):
        audit.record(session, audit.DELETION, None, address,
                     "an account and its household were deleted" if last else "an account was deleted")
        session.execute(delete(SecurityEvent).where(SecurityEvent.user_id == user.id))
        session.delete(user)
        session.flush()
        if last:
            session.execute(delete(Household).where(Household.id == household.id))
            # Its private catalog's version goes too, so no cache can serve it to a household made later.
            session.execute(delete(CatalogVersion).where(CatalogVersion.scope == household.id))
    return last


def leave(session: Session, user: User, address: str, agent: str = "") -> Household:
    """Move out into a household of one's own; the household left keeps its data. Every other
    session of the person ends (pages open elsewhere showed the old household's data); this device
    gets a new one (its login id is set on the user)."""
    if len(user.household.members) == 1:
        raise AccountError(N_("You are the only member of this household: there is no one to leave it to. "
                              "Download your data or delete your account instead."))
    with committed(session):
        left = user.household.name
        user.household = _own_household(user)
        sessions.revoke_all(session, user.id)
        sessions.open_session(session, user, False, agent)
        audit.record(session, audit.DELETION, user.id, address, f"left the household {left[:200]}")
    return user.household


def remove_member(session: Session, owner: User, member_id: int, address: str) -> User:
    """The owner moves a member out into a household of their own and ends every session they have,
    so they see none of this household's data from then on."""
    if owner_of(owner.household).id != owner.id:
        raise AccountError(N_("Only the household's owner can remove a member."))
    member = session.get(User, member_id)
    if member is None or member.household_id != owner.household_id:
        raise NotFound(N_("There is no such member in your household."))
    if member.id == owner.id:
        raise AccountError(N_("To go yourself, leave the household or delete your account."))
    with committed(session):
        member.household = _own_household(member)
        sessions.revoke_all(session, member.id)
        session.execute(delete(ApiToken).where(ApiToken.user_id == member.id))
        audit.record(session, audit.DELETION, owner.id, address, "removed a member from the household")
        audit.record(session, audit.DELETION, member.id, address, "was removed from their household")
    return member


@dataclass(frozen=True)
class OpenInvite:
    id: int
    made_by: str
    expires_at: datetime


def open_invites(session: Session, household: Household) -> list[OpenInvite]:
    now = utc_now()
    rows = session.scalars(select(Invite).where(Invite.household_id == household.id, Invite.used_at.is_(None))
                           .order_by(Invite.created_at))
    names = {m.id: m.name for m in household.members}
    return [OpenInvite(row.id, names.get(row.created_by_id or 0, "a former member"), row.expires_at)
            for row in rows if as_utc(row.expires_at) > now]



def revoke_invite(session: Session, user: User, invite_id: int, address: str) -> None:
    """Take back an unused invitation: its maker or the household's owner may."""
    invite = session.get(Invite, invite_id)
    if invite is None or invite.household_id != user.household_id or invite.used_at is not None:
        raise NotFound(N_("There is no such open invitation."))
    if user.id not in (invite.created_by_id, owner_of(user.household).id):
        raise AccountError(N_("Only whoever made the invitation, or the household's owner, can take it back."))
    with committed(session):
        session.delete(invite)
        audit.record(session, audit.DELETION, user.id, address, "took back an invitation")
