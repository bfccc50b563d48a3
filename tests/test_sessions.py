"""Sessions kept on the server: logging out, changing the password and "log out everywhere" end them for
good (a copied cookie no longer logs in), they time out when idle or old, and API tokens expire."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from conftest import MEMBER, PASSWORD, logged_in, user
from planner.accounts.sessions import device_name
from planner.extensions import db
from planner.models import ApiToken, UserSession

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _log_in(client, remember: bool = False, agent: str = CHROME):
    data = {"email": MEMBER, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    response = client.post("/account/login", data=data, headers={"User-Agent": agent})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def _replay(app, name: str, value: str):
    """A new browser that holds only a copy of one cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief


def test_a_copied_session_cookie_stops_working_at_logout(app, anon):
    _log_in(anon)
    copied = anon.get_cookie("session").value
    assert _signed_in(_replay(app, "session", copied))
    anon.post("/account/logout")
    assert not _signed_in(anon)
    assert not _signed_in(_replay(app, "session", copied))


def test_a_copied_remember_cookie_stops_working_at_logout(app, anon):
    _log_in(anon, remember=True)
    remembered = anon.get_cookie("remember_token").value
    assert _signed_in(_replay(app, "remember_token", remembered))  # it does bring a closed browser back
    anon.post("/account/logout")
    assert not _signed_in(_replay(app, "remember_token", remembered))


def test_changing_the_password_ends_remembered_sessions_too(app, client):
    elsewhere = app.test_client()
    _log_in(elsewhere, remember=True)
    remembered = elsewhere.get_cookie("remember_token").value
    done = client.post("/account/password", data={"current": PASSWORD, "password": "a new long password",
                                                  "confirm": "a new long password"})
    assert done.status_code == 302 and _signed_in(client)
    assert not _signed_in(elsewhere)
    assert not _signed_in(_replay(app, "remember_token", remembered))


def test_the_account_page_lists_sessions_and_ends_one(app, anon):
    _log_in(anon, agent=CHROME)
    phone = app.test_client()
    _log_in(phone, remember=True, agent=FIREFOX)
    page = anon.get("/account/").get_data(as_text=True)
    assert "Chrome on Linux" in page and "Firefox on Windows" in page and "kept logged in" in page
    assert page.count('<span class="badge">this device</span>') == 1
    theirs = db.session.scalar(select(UserSession.id).where(UserSession.agent == "Firefox on Windows"))
    assert re.search(rf'name="session" value="{theirs}"', page)
    ended = anon.post("/account/sessions/end", data={"session": str(theirs)})
    assert ended.status_code == 302 and _signed_in(anon) and not _signed_in(phone)
    assert "Firefox on Windows" not in anon.get("/account/").get_data(as_text=True)
    assert anon.post("/account/sessions/end", data={"session": str(theirs)}).status_code == 404
    assert anon.post("/account/sessions/end", data={"session": "x"}).status_code == 400


def test_nobody_ends_another_accounts_session(app, client, other_client):
    mine = db.session.scalar(select(UserSession.id).where(UserSession.user_id == user(MEMBER).id))
    assert other_client.post("/account/sessions/end", data={"session": str(mine)}).status_code == 404
    assert _signed_in(client)


def test_log_out_everywhere_ends_every_session_this_one_too(app, anon):
    _log_in(anon)
    laptop, tablet = app.test_client(), app.test_client()
    _log_in(laptop)
    _log_in(tablet, remember=True)
    remembered = tablet.get_cookie("remember_token").value
    response = anon.post("/account/sessions/end-all")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/login")
    assert not any(_signed_in(c) for c in (anon, laptop, tablet, _replay(app, "remember_token", remembered)))
    live = db.session.scalars(select(UserSession).where(UserSession.user_id == user(MEMBER).id,
                                                        UserSession.revoked_at.is_(None))).all()
    assert live == []


def _age(remember: bool, idle: timedelta = timedelta(0), old: timedelta = timedelta(0)) -> None:
    """Move the member's sessions of one kind back in time: unused for `idle`, opened `old` ago."""
    now = datetime.now(UTC)
    db.session.execute(update(UserSession).where(UserSession.remember.is_(remember))
                       .values(last_seen_at=now - idle, created_at=now - max(old, idle)))
    db.session.commit()


def test_sessions_time_out_when_idle(app, anon):
    _log_in(anon)
    kept = app.test_client()
    _log_in(kept, remember=True)
    _age(False, idle=timedelta(hours=1, minutes=50))
    assert _signed_in(anon)  # seen again: the idle clock starts over
    _age(False, idle=timedelta(hours=2, minutes=1))
    _age(True, idle=timedelta(days=29))
    assert not _signed_in(anon) and _signed_in(kept)
    _age(True, idle=timedelta(days=30, minutes=1))
    assert not _signed_in(kept)


def test_sessions_end_after_the_absolute_timeout_however_busy(app, anon):
    _log_in(anon)
    kept = app.test_client()
    _log_in(kept, remember=True)
    _age(False, old=timedelta(hours=12, minutes=1))
    _age(True, old=timedelta(days=89))
    assert not _signed_in(anon) and _signed_in(kept)
    _age(True, old=timedelta(days=90, minutes=1))
    assert not _signed_in(kept)


def test_timeouts_are_settings(database):
    from conftest import make_app
    app = make_app(database, SESSION_IDLE_TIMEOUT=timedelta(minutes=10))
    with app.app_context():
        client = logged_in(app, MEMBER)
        assert _signed_in(client)
        _age(False, idle=timedelta(minutes=11))
        assert not _signed_in(client)
        db.session.remove()
        db.engine.dispose()


def test_the_login_cookie_holds_no_account_id_or_password_hash(app, anon):
    _log_in(anon)
    row = db.session.scalars(select(UserSession).order_by(UserSession.id.desc())).first()
    with anon.session_transaction() as session:
        number, _, secret = session["_user_id"].partition(":")
    assert int(number) == row.id and len(secret) >= 40 and row.secret_hash != secret


def _token(client, expires: str) -> str:
    page = client.post("/account/tokens", data={"name": f"script {expires}", "expires": expires})
    assert page.status_code == 201, page.get_data(as_text=True)
    return re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_api_tokens_expire_when_chosen(app, client):
    secret = _token(client, "30")
    row = db.session.scalar(select(ApiToken).where(ApiToken.name == "script 30"))
    expires = row.expires_at.replace(tzinfo=UTC)
    assert timedelta(days=29, hours=23) < expires - datetime.now(UTC) <= timedelta(days=30)
    script = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert script.get("/api/v1/plans/1", headers=bearer).status_code == 404  # known, and no such plan
    page = client.get("/account/").get_data(as_text=True)
    assert "script 30" in page and expires.strftime("%-d %b %Y") in page
    assert "never" not in page.split("script 30")[1].split("</tr>")[0]  # its last use is shown
    db.session.execute(update(ApiToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert script.get("/api/v1/plans/1", headers=bearer).status_code == 401


def test_a_token_may_work_until_revoked_and_bad_choices_are_refused(app, client):
    _token(client, "never")
    assert db.session.scalar(select(ApiToken.expires_at).where(ApiToken.name == "script never")) is None
    refused = client.post("/account/tokens", data={"name": "x", "expires": "7"})
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)


def test_device_names_are_short_and_plain():
    assert device_name(CHROME) == "Chrome on Linux"
    assert device_name(FIREFOX) == "Firefox on Windows"
    assert device_name("curl/8.5.0") == "curl"
    odd = device_name("<script>alert(1)</script>" * 10)
    assert "<" not in odd and len(odd) <= 40
