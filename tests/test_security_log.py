"""The security log: what happened to an account, written for log-ins, failures, lockouts, sessions,
passwords and tokens, shown to its owner, and never holding a secret or health data."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from conftest import MEMBER, OTHER, PASSWORD, user
from planner.accounts import audit
from planner.extensions import db
from planner.models import SecurityEvent, UserSession

NEW_PASSWORD = "another long password"


def _events(email: str = MEMBER) -> list[SecurityEvent]:
    return list(db.session.scalars(select(SecurityEvent).where(SecurityEvent.user_id == user(email).id)
                                   .order_by(SecurityEvent.id)))


def test_an_accounts_day_is_logged_without_secrets(app, anon):
    anon.post("/account/login", data={"email": MEMBER, "password": "a wrong guess here"})
    anon.post("/account/login", data={"email": MEMBER, "password": PASSWORD})
    with anon.session_transaction() as session:
        cookie_secret = session["_user_id"].partition(":")[2]
    page = anon.post("/account/tokens", data={"name": "kitchen tablet", "expires": "90"}).get_data(as_text=True)
    token = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page).group(1)
    assert app.test_client().get("/api/v1/plans/1", headers={"Authorization": f"Bearer {token}"}).status_code == 404
    token_id = user(MEMBER).tokens[0].id
    anon.post(f"/account/tokens/{token_id}/revoke")
    anon.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    anon.post("/account/logout")

    events = _events()
    assert [e.kind for e in events] == ["login.failed", "login", "token.created", "token.used", "token.revoked",
                                        "password.changed", "logout"]
    assert all(e.address == "127.0.0.1" for e in events)
    written = " ".join(f"{e.kind} {e.address} {e.detail}" for e in db.session.scalars(select(SecurityEvent)))
    for secret in (PASSWORD, NEW_PASSWORD, "a wrong guess here", token, token[3:20], cookie_secret):
        assert secret not in written


def test_the_owner_sees_their_own_recent_events(client, other_client):
    other_client.post("/account/tokens", data={"name": "otto's script", "expires": "30"})
    client.post("/account/tokens", data={"name": "mira's script", "expires": "30"})
    page = client.get("/account/").get_data(as_text=True)
    section = page.split('id="security"')[1]
    assert "API token made" in section and "from 127.0.0.1" in section
    assert section.count("API token made") == 1  # Otto's is not shown to Mira


def test_ending_sessions_is_logged(app, client):
    number = db.session.scalar(select(UserSession.id).where(UserSession.user_id == user(MEMBER).id))
    other = db.session.scalar(select(UserSession.id).where(UserSession.user_id == user(MEMBER).id,
                                                           UserSession.id != number))
    assert other is None  # one session so far
    client.post("/account/sessions/end-all")
    assert [e.detail for e in _events() if e.kind == "sessions.ended"] == ["1 sessions"]


def test_other_features_record_their_own_events(app):
    """How an export or a deletion is logged by the module that does it."""
    event = audit.record(db.session, audit.EXPORT, user(OTHER).id, "192.0.2.1\r\nforged line", "household backup")
    db.session.commit()
    assert event.kind == "export" and "\n" not in event.address and len(event.address) <= audit.MAX_ADDRESS
    assert audit.recent(db.session, user(OTHER).id)[0].label == "Data exported"
    assert len(audit.record(db.session, "deletion", None, "", "x" * 1000).detail) == audit.MAX_DETAIL
    with pytest.raises(ValueError):
        audit.record(db.session, "Not a kind!", None, "")
    db.session.rollback()
