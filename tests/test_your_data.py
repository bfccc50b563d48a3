"""Your data is yours: download it all, delete your account (and the household's data when you
are its last member), leave a household, and the owner removes a member or takes back an invite."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from conftest import MEMBER, OTHER, PASSWORD, logged_in, user
from planner.accounts import service as accounts
from planner.extensions import db
from planner.models import CatalogVersion, Food, Household, Invite, Plan, Profile, SecurityEvent, User
from test_web import form_data

PLAN = {"profile": {"name": "Ours", "members": [{"name": "Kim", "age": 3}], "allergens": ["peanuts"]},
        "week_start": "2026-11-23"}


def _together() -> None:
    """OTHER joins MEMBER's household (MEMBER, the first there, is its owner)."""
    other, member = user(OTHER), user(MEMBER)
    old = other.household
    other.household = member.household
    db.session.flush()
    db.session.delete(old)
    db.session.commit()


def _household_rows(household_id: int) -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id)).where(m.household_id == household_id))
                 for m in (Plan, Profile, Food))  # type: ignore[return-value]


def test_download_holds_everything_kept_about_me_and_no_secret(app, client):
    assert client.post("/api/v1/plans", json=PLAN).status_code == 201
    token = accounts.create_token(db.session, user(MEMBER), "script").secret
    response = client.get("/account/data")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == MEMBER and data["account"]["household_owner"] is True
    assert data["household"]["plans"][0]["profile_snapshot"]["allergens"] == ["peanuts"]
    assert data["api_tokens"][0]["name"] == "script" and data["sessions"]
    text = response.get_data(as_text=True)
    assert token not in text and user(MEMBER).password_hash not in text
    assert db.session.scalar(select(func.count(SecurityEvent.id)).where(SecurityEvent.kind == "export")) == 1


def test_the_last_member_deleting_their_account_takes_the_households_data_with_it(app, client):
    assert client.post("/api/v1/plans", json=PLAN).status_code == 201
    assert client.post("/foods/new", data=form_data(name="Nan's soup", synonyms="")).status_code == 302
    household = user(MEMBER).household_id
    assert client.post("/account/delete", data={"password": "wrong password!"}).status_code == 400
    assert user(MEMBER) is not None and _household_rows(household) == (1, 0, 1)
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert user(MEMBER) is None and db.session.get(Household, household) is None
    assert _household_rows(household) == (0, 0, 0)
    assert db.session.get(CatalogVersion, household) is None
    assert client.get("/account/").status_code == 302  # the old cookie opens nothing


def test_deleting_one_account_leaves_the_household_to_the_others(app, client):
    _together()
    assert client.post("/api/v1/plans", json=PLAN).status_code == 201
    household = user(MEMBER).household_id
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert user(MEMBER) is None and _household_rows(household)[0] == 1
    other = logged_in(app, OTHER)
    page = other.get("/account/").get_data(as_text=True)
    assert "· owner (you)" in page  # the next member now owns it


def test_leaving_a_household_ends_access_to_its_data(app, client):
    _together()
    created = client.post("/api/v1/plans", json=PLAN)
    other = logged_in(app, OTHER)
    assert other.get(created.headers["Location"]).status_code == 200
    assert other.post("/account/leave").status_code == 302
    assert other.get(created.headers["Location"]).status_code == 404
    assert client.get(created.headers["Location"]).status_code == 200
    alone = client.post("/account/leave")
    assert alone.status_code == 400 and "only member" in alone.get_data(as_text=True)


def test_the_owner_removes_a_member_who_is_logged_out_at_once(app, client):
    _together()
    created = client.post("/api/v1/plans", json=PLAN)
    other = logged_in(app, OTHER)
    assert other.post(f"/account/members/{user(MEMBER).id}/remove").status_code == 400  # not the owner
    assert client.post(f"/account/members/{user(OTHER).id}/remove").status_code == 302
    assert other.get("/account/").status_code == 302  # their session has ended
    db.session.expire_all()
    assert user(OTHER).household_id != user(MEMBER).household_id
    assert logged_in(app, OTHER).get(created.headers["Location"]).status_code == 404
    assert client.post(f"/account/members/{user(OTHER).id}/remove").status_code == 404  # no longer here


def test_an_invitation_taken_back_no_longer_works(app, client):
    code = accounts.create_invite(db.session, user(MEMBER)).code
    invite = db.session.scalar(select(Invite))
    assert logged_in(app, OTHER).post(f"/account/invites/{invite.id}/revoke").status_code == 404
    assert client.post(f"/account/invites/{invite.id}/revoke").status_code == 302
    joined = logged_in(app, OTHER).post("/account/join", data={"code": code})
    assert joined.status_code == 400
    db.session.expire_all()
    assert user(OTHER).household_id != user(MEMBER).household_id
    assert db.session.scalar(select(func.count(User.id))) >= 2
