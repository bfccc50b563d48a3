"""One email rule for the web and the command line: the same addresses pass and fail on both."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from conftest import PASSWORD, user
from planner.extensions import db
from planner.models import User

GOOD = ["admin@home.local", "Nia@Example.com", "me@nas.home.arpa", "zoë@bücher.de", "a.b+tag@mail.example.org"]
BAD = ["not-an-email", "me@gmail", "a@b@example.com", "a b@example.com", "@example.com", "nia@", "a..b@example.com",
       "x@localhost", "x@site.invalid", "a@local", "Nia <nia@example.com>", "nia\x00@example.com"]
CASES = [(email, True) for email in GOOD] + [(email, False) for email in BAD]
NEW = {"name": "Nia", "password": "plenty of letters", "confirm": "plenty of letters"}


def _accounts() -> int:
    return db.session.scalar(select(func.count(User.id)))


@pytest.mark.parametrize("email, good", CASES)
def test_create_admin_then_web_log_in(runner, anon, email, good):
    """What `planner users create-admin` takes logs in on the web; what it refuses, the log-in form refuses."""
    before = _accounts()
    made = runner.invoke(args=["users", "create-admin", "--email", email, "--password", PASSWORD])
    login = anon.post("/account/login", data={"email": email, "password": PASSWORD})
    if good:
        assert made.exit_code == 0, made.output
        assert user(email.strip().lower()).is_admin
        assert login.status_code == 302 and anon.get("/account/").status_code == 200
    else:
        assert made.exit_code == 2 and "does not look like an email" in made.output and "Traceback" not in made.output
        assert _accounts() == before
        assert login.status_code == 400 and "does not look like an email" in login.get_data(as_text=True)


@pytest.mark.parametrize("email, good", CASES)
def test_web_sign_up(anon, email, good):
    response = anon.post("/account/signup", data={**NEW, "email": email})
    if good:
        assert response.status_code == 302, response.get_data(as_text=True)
        assert user(email.strip().lower()) is not None
    else:
        assert response.status_code == 400 and "does not look like an email" in response.get_data(as_text=True)


def test_an_address_is_stored_and_found_in_lower_case(runner, anon):
    made = runner.invoke(args=["users", "create-admin", "--email", " Admin@Home.LOCAL ", "--password", PASSWORD])
    assert made.exit_code == 0, made.output
    assert user("admin@home.local").is_admin
    assert anon.post("/account/login", data={"email": "ADMIN@home.local", "password": PASSWORD}).status_code == 302
