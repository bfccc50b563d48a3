"""Log-in limits that stop guessers, not owners: failures count per (email, address) pair, per address
and per email, with lockouts that double; a device the owner logged in from before is judged by its own
failures only; forwarded addresses are believed only from the configured proxies."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select, update

from conftest import MEMBER, OTHER, PASSWORD, make_app
from planner.accounts import limits
from planner.extensions import db
from planner.models import LoginLockout, SecurityEvent

ATTACKER, HOME = "203.0.113.66", "198.51.100.10"
NEW = {"name": "Nia", "password": "plenty of letters", "confirm": "plenty of letters"}


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, email: str = MEMBER, password: str = PASSWORD, **headers: str):
    return client.post("/account/login", data={"email": email, "password": password}, headers=headers)


def _known_device(app, address: str = HOME, email: str = MEMBER):
    """A browser its owner has logged in from before (it holds the device cookie), now logged out."""
    owner = _client(app, address)
    assert _login(owner, email).status_code == 302 and owner.get_cookie("device", path="/account") is not None
    owner.post("/account/logout")
    return owner


def _fail(client, times: int, email: str = MEMBER) -> None:
    for _ in range(times):
        assert _login(client, email, "not the password").status_code == 400


def _unlock() -> None:
    """Let every current lockout run out (as if its time had passed)."""
    db.session.execute(update(LoginLockout).values(until=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()


def test_strangers_guessing_an_email_do_not_lock_out_its_owners_device(app):
    owner = _known_device(app)
    for n in range(5):  # guessers at many addresses
        _fail(_client(app, f"203.0.113.{n}"), 2)
    assert _login(_client(app, "203.0.113.99"), MEMBER).status_code == 429  # the email is paused for strangers
    assert _login(owner).status_code == 302  # but not for the owner's device


def test_a_guessing_pair_is_locked_out_for_ever_longer(app):
    guesser = _client(app, ATTACKER)
    _fail(guesser, 5)
    first = _login(guesser, MEMBER)  # even the right password: no answer while locked out
    assert first.status_code == 429 and "Too many tries" in first.get_data(as_text=True)
    assert 290 <= int(first.headers["Retry-After"]) <= 300
    assert _login(_client(app, HOME)).status_code == 302  # the owner elsewhere, even on a new device
    _unlock()
    _fail(guesser, 5)
    assert 590 <= int(_login(guesser).headers["Retry-After"]) <= 600  # twice as long
    _unlock()
    _fail(guesser, 5)
    assert 1190 <= int(_login(guesser).headers["Retry-After"]) <= 1200
    assert limits.lockout_length(db.session, limits.PAIR.key(MEMBER, ATTACKER)) == timedelta(minutes=20)


def test_a_few_mistakes_then_the_right_password_start_afresh(app):
    owner = _client(app, HOME)
    _fail(owner, 4)
    assert _login(owner).status_code == 302
    owner.post("/account/logout")
    _fail(owner, 4)
    assert _login(owner).status_code == 302


def test_failures_from_a_shared_address_do_not_block_the_known_devices_behind_it(app):
    family = _known_device(app, ATTACKER, OTHER)
    guesser = _client(app, ATTACKER)
    for n in range(20):
        _login(guesser, f"guess{n}@example.com", "not the password")
    assert _login(_client(app, ATTACKER), OTHER).status_code == 429  # a new device there waits
    assert _login(family, OTHER).status_code == 302


def test_a_known_device_that_guesses_is_locked_out_itself(app):
    device = _known_device(app)
    _fail(device, 5)
    assert _login(device).status_code == 429
    assert _login(_client(app, HOME)).status_code == 302  # the owner's other browsers are not


def test_sign_ups_with_a_taken_email_never_lock_its_owner_out(app):
    for n in range(5):
        response = _client(app, f"203.0.113.{n}").post("/account/signup", data={**NEW, "email": MEMBER})
        assert response.status_code == 302
    assert _login(_client(app, HOME)).status_code == 302


def test_lockouts_and_failures_are_in_the_security_log(app):
    _fail(_client(app, ATTACKER), 5)
    kinds = db.session.scalars(select(SecurityEvent.kind).where(SecurityEvent.address == ATTACKER)).all()
    assert kinds.count("login.failed") == 5 and kinds.count("lockout") == 1
    detail = db.session.scalar(select(SecurityEvent.detail).where(SecurityEvent.kind == "lockout"))
    assert detail == "pair: 5 minutes"


@pytest.fixture
def proxied(database, tmp_path):
    """The app behind one reverse proxy at 10.0.0.2."""
    app = make_app(database, PROXY_COUNT=1, PROXY_ADDRESSES=["10.0.0.2"], MAIL_FOLDER=str(tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_made_up_forwarded_for_from_outside_the_proxy_is_ignored(proxied):
    direct = _client(proxied, ATTACKER)  # reaches the app without the proxy
    for n in range(20):
        _login(direct, f"guess{n}@example.com", "not the password", **{"X-Forwarded-For": f"192.0.2.{n}"})
    assert _login(direct, OTHER, **{"X-Forwarded-For": "192.0.2.200"}).status_code == 429
    addresses = set(db.session.scalars(select(SecurityEvent.address).where(SecurityEvent.kind == "login.failed")))
    assert addresses == {ATTACKER}


def test_behind_the_proxy_the_address_it_saw_is_the_one_counted(proxied):
    proxy = _client(proxied, "10.0.0.2")
    for n in range(20):
        # The client made up the first address; the proxy added the one it saw.
        _login(proxy, f"guess{n}@example.com", "not the password", **{"X-Forwarded-For": f"192.0.2.{n}, {ATTACKER}"})
    assert _login(proxy, OTHER, **{"X-Forwarded-For": f"192.0.2.201, {ATTACKER}"}).status_code == 429
    assert _login(proxy, OTHER, **{"X-Forwarded-For": f"192.0.2.201, {HOME}"}).status_code == 302
    addresses = set(db.session.scalars(select(SecurityEvent.address).where(SecurityEvent.kind == "login.failed")))
    assert addresses == {ATTACKER}


def test_a_forwarded_host_is_not_believed(proxied, tmp_path):
    """A reset link must point at this site, whatever host a request claims to come through."""
    proxy = _client(proxied, "10.0.0.2")
    response = proxy.post("/account/reset", data={"email": MEMBER},
                          headers={"X-Forwarded-For": HOME, "X-Forwarded-Host": "evil.example"})
    assert response.status_code == 200
    [mail] = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in Path(tmp_path).glob("*.eml")]
    body = mail.get_content()
    assert "http://localhost/account/reset/" in body and "evil.example" not in body
