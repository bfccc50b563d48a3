"""Input the app cannot hold is refused where it comes in, with a clear 4xx: half characters,
nesting deep enough to break a parser, thousands of synonyms, and names that would tell one
household what another keeps."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from conftest import MEMBER, OTHER, logged_in, make_app, user
from planner.extensions import db
from planner.foods import store
from planner.models import Food, Plan
from test_web import form_data

PLAN = {"profile": {"name": "Bounds", "members": [{"name": "A", "age": 35}]}, "week_start": "2026-11-23"}


def _post_raw(client, path: str, text: str):
    return client.post(path, data=text.encode(), headers={"Content-Type": "application/json"})


def test_a_lone_surrogate_in_a_name_is_refused_and_every_page_still_opens(client):
    text = '{"profile": {"name": "Fam\\ud800ily", "members": [{"name": "A", "age": 35}]}}'
    response = _post_raw(client, "/api/v1/plans", text)
    assert response.status_code == 400 and "half of a character" in response.get_json()["error"]
    assert db.session.scalar(select(func.count(Plan.id))) == 0
    for page in ("/plans/", "/shopping/"):
        assert client.get(page).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/plans", "/api/v1/check/label"])
def test_deeply_nested_json_is_refused_before_it_is_parsed(client, path):
    response = _post_raw(client, path, "[" * 100_000 + "]" * 100_000)
    assert response.status_code == 400 and "nests deeper" in response.get_json()["error"]


def test_brackets_nested_thousands_deep_in_a_label_are_read_as_a_flat_list(anon):
    label = "(" * 5000 + "oats, milk" + ")" * 5000
    response = anon.post("/api/v1/check/label", json={"ingredients": label})
    assert response.status_code == 200 and "milk" in response.get_json()["allergens"]
    page = anon.post("/check/", data={"mode": "label", "text": label})
    assert page.status_code == 200 and "Milk" in page.get_data(as_text=True)


def test_tens_of_thousands_of_synonyms_are_refused_whole_and_nothing_is_saved(client):
    many = "\n".join(f"name {n}" for n in range(64_000))
    page = client.post("/foods/new", data=form_data(synonyms=many)).get_data(as_text=True)
    assert "Give at most 50" in page
    assert db.session.scalar(select(func.count(Food.id)).where(Food.name == "Test lentil")) == 0
    long_name = client.post("/foods/new", data=form_data(synonyms="x" * 200)).get_data(as_text=True)
    assert "at most 80 characters" in long_name


def test_a_new_private_foods_slug_never_tells_what_another_household_keeps(app, client):
    assert client.post("/foods/new", data=form_data(name="Nan's soup", synonyms="")).status_code == 302
    other = logged_in(app, OTHER)
    assert other.post("/foods/new", data=form_data(name="Nan's soup", synonyms="")).status_code == 302
    slugs = set(db.session.scalars(select(Food.slug).where(Food.name == "Nan's soup")))
    assert len(slugs) == 2 and all(re.fullmatch(r"nan-s-soup-[0-9a-f]{6}", s) for s in slugs)


def test_a_household_keeps_only_so_many_foods_of_its_own(client, monkeypatch):
    monkeypatch.setattr(store, "MAX_PRIVATE_FOODS", 1)
    assert client.post("/foods/new", data=form_data(name="First soup", synonyms="")).status_code == 302
    refused = client.post("/foods/new", data=form_data(name="Second soup", synonyms=""))
    assert refused.status_code == 413 and "at most 1 foods" in refused.get_data(as_text=True)


def test_a_made_up_bearer_header_does_not_switch_off_csrf_for_a_cookie_session(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = logged_in(app, MEMBER)
        forged = client.post("/api/v1/plans", json=PLAN, headers={"Authorization": "Bearer made-up"})
        assert forged.status_code == 400
        assert db.session.scalar(select(func.count(Plan.id)).where(Plan.household_id == user(MEMBER).household_id)) == 0


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0a/evil.example", "/%5Cevil.example", "//evil.example",
                                    "https://evil.example", "/x%0d%0aSet-Cookie:%20a=b", "/%0A"])
def test_log_in_sends_people_only_to_a_page_of_this_site(app, target):
    from conftest import PASSWORD
    response = app.test_client().post(f"/account/login?next={target}", data={"email": MEMBER, "password": PASSWORD})
    assert response.status_code == 302
    # What a browser makes of it: tabs and line breaks dropped, a backslash read as a slash.
    seen = "".join(ch for ch in response.headers["Location"] if ch not in "\t\r\n").replace("\\", "/")
    assert seen.startswith("/") and not seen.startswith("//") and not urlsplit(seen).netloc


def test_a_household_keeps_only_so_many_weeks_and_the_check_comes_before_planning(client, monkeypatch):
    from planner.plans import store as plan_store
    monkeypatch.setattr(plan_store, "MAX_PLANS", 1)
    assert client.post("/api/v1/plans", json=PLAN).status_code == 201
    refused = client.post("/api/v1/plans", json=PLAN)
    assert refused.status_code == 413 and "at most 1 weeks" in refused.get_json()["error"]


def test_a_list_holds_only_so_many_extras_and_one_with_a_household_allergen_is_flagged(client):
    from planner.plans import service as plans, store as plan_store
    from planner.shopping import store as shopping_store
    owner = user(MEMBER).household_id
    profile = plans.parse_profile(db.session, {"name": "Kim's family", "members": [{"name": "Kim", "age": 3}],
                                               "allergens": ["peanuts"]})
    plan_store.save_profile(db.session, profile, None, owner)
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["id"]
    added = client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "peanut butter"}, follow_redirects=True)
    assert "Careful: Peanut butter holds peanuts" in added.get_data(as_text=True)
    page = client.get(f"/shopping/plans/{plan_id}").get_data(as_text=True)
    assert "Careful: Peanut butter holds peanuts" in page
    shopping_store_max = shopping_store.MAX_EXTRAS
    for n in range(shopping_store_max - 1):
        shopping_store.add_extra(db.session, plan_id, f"thing {n}", None, None)
    refused = client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "one too many"})
    assert refused.status_code == 413


def test_a_json_request_over_half_a_megabyte_is_refused_before_it_is_read(client):
    response = _post_raw(client, "/api/v1/check/label", '{"ingredients": "' + "x" * 600_000 + '"}')
    assert response.status_code == 413 and "512 KB" in response.get_json()["error"]
