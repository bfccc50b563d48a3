"""Mail through a real SMTP server on loopback (aiosmtpd): confirming an email, resetting a password,
invitations, and .eml files when no server is set. Mail never carries health data."""
from __future__ import annotations

import re
import socket
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from conftest import MEMBER, PASSWORD, logged_in, make_app, user
from planner.accounts.mail import Letter, Mailer
from planner.extensions import db
from planner.models import EmailCode
from planner.plans import service as plans, store as plan_store

NEW = {"name": "Nia", "email": "nia@example.com", "password": "plenty of letters", "confirm": "plenty of letters"}
NEW_PASSWORD = "a brand new password"


class Inbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001 (aiosmtpd's hook)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _accept(server, session, envelope, mechanism, auth_data):  # noqa: ANN001
    return AuthResult(success=auth_data.login == b"planner" and auth_data.password == b"mail secret")


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), authenticator=_accept,
                            auth_require_tls=False)
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_app(database, smtp):
    _, port = smtp
    app = make_app(database, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                   MAIL_USERNAME="planner", MAIL_PASSWORD="mail secret", MAIL_FROM="Gut Planner <planner@example.com>")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _link(message: EmailMessage, path: str) -> str:
    return re.search(rf"http://localhost({path}/\S+)", message.get_content()).group(1)


def test_sign_up_mails_a_link_that_confirms_the_email(mail_app, smtp):
    inbox, _ = smtp
    visitor = mail_app.test_client()
    assert visitor.post("/account/signup", data=NEW).status_code == 302
    page = visitor.get("/account/").get_data(as_text=True)
    assert "unconfirmed" in page and "Send the link again" in page  # the account works meanwhile
    [mail] = inbox.to("nia@example.com")
    assert mail["From"] == "Gut Planner <planner@example.com>" and mail["Subject"] == "Confirm your email for Gut Planner"
    link = _link(mail, "/account/verify")
    assert db.session.scalar(select(EmailCode.code_hash)) not in link  # only the hash is kept
    assert visitor.get(link).status_code == 302
    assert user("nia@example.com").verified_at is not None
    assert "is confirmed" in visitor.get("/account/").get_data(as_text=True)
    assert visitor.get(link).status_code == 400  # once only


def test_the_link_can_be_sent_again_a_few_times(mail_app, smtp):
    inbox, _ = smtp
    client = logged_in(mail_app, MEMBER)
    for _ in range(5):
        assert client.post("/account/verify").status_code == 302
    refused = client.post("/account/verify")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert len(inbox.to(MEMBER)) == 5


def test_a_password_reset_by_mail_ends_every_session(mail_app, smtp):
    inbox, _ = smtp
    logged = logged_in(mail_app, MEMBER)
    visitor = mail_app.test_client()
    for email in (MEMBER, "nobody@example.com"):  # the same answer for an email with no account
        answer = visitor.post("/account/reset", data={"email": email})
        assert answer.status_code == 200 and f"If {email} has an account" in answer.get_data(as_text=True)
    assert inbox.to("nobody@example.com") == []
    [mail] = inbox.to(MEMBER)
    link = _link(mail, "/account/reset")
    assert visitor.get(link).status_code == 200
    short = visitor.post(link, data={"password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.get_data(as_text=True)
    done = visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    assert logged.get("/account/").status_code == 302  # logged out
    assert visitor.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 400
    login = mail_app.test_client()
    assert login.post("/account/login", data={"email": MEMBER, "password": PASSWORD}).status_code == 400
    assert login.post("/account/login", data={"email": MEMBER, "password": NEW_PASSWORD}).status_code == 302
    assert inbox.to(MEMBER)[-1]["Subject"] == "Your Gut Planner password was changed"


def test_an_expired_reset_link_is_refused(mail_app, smtp):
    from datetime import UTC, datetime, timedelta
    inbox, _ = smtp
    mail_app.test_client().post("/account/reset", data={"email": MEMBER})
    link = _link(inbox.to(MEMBER)[0], "/account/reset")
    db.session.execute(EmailCode.__table__.update().values(expires_at=datetime.now(UTC) - timedelta(minutes=1)))
    db.session.commit()
    response = mail_app.test_client().post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


def test_an_invitation_can_be_mailed_and_mail_holds_no_health_data(mail_app, smtp):
    inbox, _ = smtp
    owner = user(MEMBER).household_id
    plan_store.save_profile(db.session, plans.parse_profile(db.session, {
        "name": "Zanzibar family", "members": [{"name": "Zed", "age": 31, "sex": "female", "pregnant": True}],
        "allergens": ["peanuts"]}), None, owner)
    client = logged_in(mail_app, MEMBER)
    page = client.post("/account/invites", data={"email": "Gran@Example.com"})
    assert page.status_code == 201 and "We have mailed the link to gran@example.com" in page.get_data(as_text=True)
    [mail] = inbox.to("gran@example.com")
    assert mail["Subject"] == "Mira invites you to Mira's household on Gut Planner"
    visitor = mail_app.test_client()
    assert visitor.get(_link(mail, "/account/join")).status_code == 302
    bad = client.post("/account/invites", data={"email": "not an email"})
    assert bad.status_code == 400 and "does not look like an email" in bad.get_data(as_text=True)
    text = " ".join(m.as_string() for m in inbox.messages).lower()
    for health in ("zanzibar", "zed", "peanut", "pregnan", "allerg", " age"):
        assert health not in text


def test_without_a_mail_server_mail_is_written_to_files(tmp_path):
    mailer = Mailer(server="", port=25, username="", password="", use_tls=False,
                    sender="Gut Planner <planner@localhost>", folder=tmp_path / "mail")
    assert mailer.send(Letter("nia@example.com", "Hello", "A line of text."))
    [written] = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "nia@example.com" and message.get_content().strip() == "A line of text."


def test_a_mail_server_that_is_down_is_no_error_for_the_visitor(database, tmp_path):
    app = make_app(database, MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_USE_TLS=False)
    with app.app_context():
        started = time.perf_counter()
        response = app.test_client().post("/account/signup", data=NEW)
        assert response.status_code == 302 and time.perf_counter() - started < 5
        assert user("nia@example.com") is not None
        db.session.remove()
        db.engine.dispose()


def test_mailed_links_name_the_public_url_and_a_server_needs_one(database, smtp):
    from planner.security import InsecureConfiguration
    inbox, port = smtp
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}
    app = make_app(database, PUBLIC_URL="https://planner.example.org/", **settings)
    with app.app_context():
        app.test_client().post("/account/reset", data={"email": MEMBER}, headers={"Host": "evil.example"})
        assert "https://planner.example.org/account/reset/" in inbox.to(MEMBER)[0].get_content()
        db.session.remove()
        db.engine.dispose()
    with pytest.raises(InsecureConfiguration, match="PUBLIC_URL"):
        make_app(database, TESTING=False, SECRET_KEY="a real secret", **settings)
    assert make_app(database, TESTING=False, SECRET_KEY="a real secret", TRUSTED_HOSTS=["planner.example.org"],
                    **settings)
