"""Getting started: sign-up lands on the three steps (who eats, allergies and dislikes, the first
week), each step's done state follows what is stored, the home page shows the next step until all
are done, and the pages the steps open come back only to this site. Friendly 404 and 500 pages
(also when the database is what failed), and the invitation link's Copy button in a real Chromium.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_login import current_user
from playwright.sync_api import Browser, expect
from sqlalchemy import Engine, event, select, text
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import NotFound

from conftest import MEMBER, logged_in, make_app, user
from test_browser import SIZES, _accessible, _shoot as shoot
from planner.accounts import getting_started
from planner.extensions import db
from planner.models import Profile as ProfileRow
from planner.plans import history, store

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "getting-started"
START = "/account/start"
NEW = {"name": "Nia", "email": "nia@example.com", "password": "plenty of letters", "confirm": "plenty of letters"}
WEEK = "2026-11-23"
STOCK_404 = "The requested URL was not found on the server"


def _household() -> int:
    return user(MEMBER).household_id


def _done() -> dict[str, bool]:
    db.session.expire_all()
    return {step.key: step.done for step in getting_started.progress(db.session, _household()).steps}


def _profile_form(**changes: object) -> dict[str, object]:
    form = {"name": "The Okafors", "members-0-name": "Ada", "members-0-age": "41", "members-0-sex": "female",
            "members-1-name": "Tobi", "members-1-age": "6", "meals": ["breakfast", "lunch", "dinner", "snack"],
            "weekday_minutes": "30", "weekend_minutes": "60", "fermented_per_day": "1", "plants_per_week": "30"}
    return {**form, **changes}


def _new_profile(client: FlaskClient, **changes: object) -> ProfileRow:
    saved = client.post(f"/plans/profiles/new?next={START}", data=_profile_form(**changes))
    assert saved.status_code == 302 and saved.headers["Location"] == START
    return db.session.scalars(select(ProfileRow).order_by(ProfileRow.id.desc())).first()


def _week(client: FlaskClient, profile: ProfileRow) -> int:
    made = client.post("/plans/new", data={"profile": profile.id, "week_start": WEEK})
    assert made.status_code == 302, made.get_data(as_text=True)
    return int(made.headers["Location"].rstrip("/").split("/")[-1])


def _links(page: str) -> list[str]:
    """The links in the page's main part (not the header's and footer's)."""
    main = page[page.index("<main"):page.index("</main>")]
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', main)]


# --- sign-up and the steps -----------------------------------------------------------------------

def test_sign_up_lands_on_the_three_steps(anon):
    signed = anon.post("/account/signup", data=NEW)
    assert signed.status_code == 302 and signed.headers["Location"] == START
    page = anon.get(START)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Welcome, Nia" in text and "0 of 3 done" in text
    for step in ("Step 1: Who eats", "Step 2: Allergies and dislikes", "Step 3: Your first week"):
        assert step in text
    assert f"/plans/profiles/new?next={START}" in _links(text)
    assert text.count("After step 1.") == 2  # the later steps need who eats first


def test_the_steps_need_a_login(anon):
    assert anon.get(START).headers["Location"].startswith("/account/login?next=/account/start")


def test_each_step_is_done_when_the_database_says_so(app, client):
    assert _done() == {"members": False, "restrictions": False, "week": False}
    profile = _new_profile(client)
    assert _done() == {"members": True, "restrictions": False, "week": False}
    page = client.get(START).get_data(as_text=True)
    assert "Saved The Okafors." in page and "1 of 3 done" in page
    answer = f"/plans/profiles/{profile.id}?next={START}#allergens"
    assert answer in _links(page)
    form = client.get(answer.split("#")[0]).get_data(as_text=True)
    assert 'id="allergens"' in form  # the step opens the form at its allergy questions
    saved = client.post(answer.split("#")[0], data=_profile_form(version=str(profile.version)))
    assert saved.status_code == 302 and saved.headers["Location"] == START  # saved as it is: "none"
    assert _done() == {"members": True, "restrictions": True, "week": False}
    plan_id = _week(client, profile)
    assert _done() == {"members": True, "restrictions": True, "week": True}
    assert "You are all set" in client.get(START).get_data(as_text=True)
    history.delete(db.session, store.get_plan_row(db.session, plan_id, _household()))
    assert _done()["week"] is False  # a deleted week is not a week made


def test_an_allergy_said_on_the_first_save_answers_the_second_step(app, client):
    _new_profile(client, allergens=["sesame"])
    assert _done() == {"members": True, "restrictions": True, "week": False}


def test_a_dislike_answers_the_second_step_and_the_steps_open_the_profile_still_to_answer(app, client):
    answered = _new_profile(client, **{"members-1-dislikes": "mushrooms"})
    plain = _new_profile(client, name="Grandparents")
    progress = getting_started.progress(db.session, _household())
    assert progress.steps[1].done and progress.profile_id == plain.id != answered.id


def test_the_home_page_shows_the_next_step_until_all_are_done(app, client, anon):
    assert "Next:" not in anon.get("/").get_data(as_text=True)  # a visitor has no steps
    home = client.get("/").get_data(as_text=True)
    assert "Next: Who eats" in home and f"/plans/profiles/new?next={START}" in _links(home)
    assert START in _links(home)
    profile = _new_profile(client)
    home = client.get("/").get_data(as_text=True)
    assert "Next: Allergies and dislikes" in home and "Step 2 of 3" in home
    client.post(f"/plans/profiles/{profile.id}", data=_profile_form(version="1"))
    assert "Next: Your first week" in client.get("/").get_data(as_text=True)
    _week(client, profile)
    home = client.get("/").get_data(as_text=True)
    assert "Next:" not in home and START not in _links(home) and 'class="panel notice next-step"' not in home


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_a_profile_saved_from_a_step_goes_back_only_to_this_site(app, client, target):
    saved = client.post("/plans/profiles/new", query_string={"next": target}, data=_profile_form())
    assert saved.status_code == 302 and saved.headers["Location"] == "/plans/"


def test_every_step_link_is_local_and_comes_back_to_the_steps(app, client):
    _new_profile(client)
    page = client.get(START).get_data(as_text=True)
    for href in _links(page):
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc and href.startswith("/"), href
        for back in parse_qs(parts.query).get("next", []):
            assert back == START, href


# --- error pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["anon", "client"])
def test_an_unknown_page_is_a_friendly_404(request, who):
    response = request.getfixturevalue(who).get("/no/such/page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "We cannot find that page" in page
    assert "It may have moved, or the link may be old" in page and STOCK_404 not in page
    assert {"/", "/plans/", "/shopping/", "/foods/", "/check/"} <= set(_links(page))
    assert re.search(r'<form class="search" action="/foods/" method="get" role="search">', page)
    assert '<label for="missing-q">' in page and 'name="q"' in page


def test_a_404_with_the_app_s_own_words_keeps_them_beside_the_links(client):
    response = client.get("/foods/no-such-food")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "Not found" in page and "/check/" in _links(page)


def test_the_api_keeps_its_json_errors(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.get_json() == {"error": NotFound.description}


def test_other_statuses_have_a_title_and_plain_words(client):
    response = client.get("/account/logout")  # a form's address, opened as a page
    page = response.get_data(as_text=True)
    assert response.status_code == 405 and "Method not allowed" in page and "use the page&#39;s own buttons" in page
    assert "The method is not allowed for the requested URL" not in page


def _database_gone(*_: object) -> None:
    raise OperationalError("SELECT", {}, ConnectionError("the database server went away"))


@pytest.fixture
def failing_app(database: str) -> Iterator[Flask]:
    """An app with a page and an API route that fail with details no visitor should see, and a
    page whose database goes away after it has read who is asking."""
    app = make_app(database, PROPAGATE_EXCEPTIONS=False)
    engines: list[Engine] = []

    def fail() -> None:
        raise RuntimeError("secret detail: /srv/gut-planner/db password")

    def lose_the_database() -> None:
        str(current_user.name)  # who is asking is read, as on any page
        engines.append(db.engine)
        event.listen(db.engine, "before_cursor_execute", _database_gone)
        db.session.execute(text("SELECT 1"))

    app.add_url_rule("/fail", "fail_page", fail)
    app.add_url_rule("/api/v1/fail", "fail_api", fail)
    app.add_url_rule("/fail/database", "lose_the_database", lose_the_database)
    yield app
    for engine in engines:
        event.remove(engine, "before_cursor_execute", _database_gone)


def test_a_failure_shows_a_calm_500_page_without_details(failing_app):
    with failing_app.app_context():
        client = failing_app.test_client()
        response = client.get("/fail")
        page = response.get_data(as_text=True)
        assert response.status_code == 500 and "Sorry, something went wrong on our side" in page
        assert "Nothing was changed" in page and "What to try" in page
        assert "secret detail" not in page and "Traceback" not in page and "RuntimeError" not in page
        api = client.get("/api/v1/fail")
        assert api.status_code == 500 and "secret detail" not in api.get_data(as_text=True)
        assert api.get_json()["error"].startswith("Nothing was changed")


def test_the_500_page_shows_when_the_database_goes_away_mid_request(failing_app):
    with failing_app.app_context():
        response = logged_in(failing_app, MEMBER).get("/fail/database")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "Sorry, something went wrong on our side" in page
    assert ">Log in</a>" in page and "Mira" not in page  # the header as a visitor's
    assert "went away" not in page and "SELECT" not in page


def test_error_pages_show_when_the_database_cannot_be_reached(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'no-such-folder' / 'gut.db'}", PROPAGATE_EXCEPTIONS=False)
    visitor = app.test_client()
    missing = visitor.get("/no/such/page")
    assert missing.status_code == 404 and "We cannot find that page" in missing.get_data(as_text=True)
    returning = app.test_client()
    with returning.session_transaction() as session:
        session["_user_id"] = "1:a-login-secret"  # reading who this is needs the database
    failed = returning.get("/no/such/page")
    page = failed.get_data(as_text=True)
    assert failed.status_code == 500 and "Nothing was changed" in page
    assert ">Log in</a>" in page  # the header as a visitor's: who is logged in could not be read


# --- the invitation link -------------------------------------------------------------------------

def test_the_invitation_link_is_selectable_without_a_script(client):
    page = client.post("/account/invites").get_data(as_text=True)
    assert re.search(r'<input id="invite-link" type="text" readonly value="http://localhost/account/join/[^"]+">',
                     page)
    assert '<script src="/static/invite.js" defer></script>' in page
    for button in ("Copy link", "Share"):  # shown by the script only
        assert re.search(rf"<button [^>]*hidden>{button}</button>", page, re.S), button
    assert '<p id="invite-status" role="status" aria-live="polite"></p>' in page
    assert "invite.js" not in client.get("/account/").get_data(as_text=True)


# --- in a real browser ---------------------------------------------------------------------------

def _shoot(page, name: str) -> None:
    shoot(page, name, SHOTS)


def test_a_new_family_is_guided_and_copies_its_invitation_link(browser: Browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, viewport=SIZES["phone"],
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto("/account/signup")
    page.get_by_label("Your name").fill("Nia")
    page.get_by_label("Email").fill("nia@example.com")
    page.get_by_label("Password", exact=True).fill("plenty of letters")
    page.get_by_label("Password again").fill("plenty of letters")
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Getting started")
    _shoot(page, "start")
    _accessible(page, "getting started")

    page.set_viewport_size(SIZES["phone"])
    page.get_by_role("link", name="Add who eats").click()
    page.get_by_label("Profile name").fill("The Okafors")
    page.locator("#members-0-name").fill("Ada")
    page.locator("#members-0-age").fill("41")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("1 of 3 done")).to_be_visible()
    _shoot(page, "start-step-2")
    page.goto("/")
    expect(page.get_by_role("heading", name="Next: Allergies and dislikes")).to_be_visible()
    _shoot(page, "home-next-step")
    _accessible(page, "home with the next step")

    page.set_viewport_size(SIZES["phone"])
    page.goto("/account/")
    page.get_by_role("button", name="Invite someone").click()
    link = page.get_by_label("Invitation link")
    expect(link).to_have_attribute("readonly", "")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#invite-status")).to_contain_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link.input_value()
    share = page.locator("button[data-share]")  # shown only where the browser can share
    if page.evaluate("typeof navigator.share === 'function'"):
        expect(share).to_be_visible()
    else:
        expect(share).to_be_hidden()
    page.locator(".invite").screenshot(path=str(SHOTS / "invite-link-phone.png"))
    _shoot(page, "invite")
    _accessible(page, "invitation")

    assert not problems, problems
    page.goto("/no/such/page")
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    assert [p for p in problems if "status of 404" not in p] == []  # the page's own status, reported
    _shoot(page, "not-found")
    _accessible(page, "not found")
    page.get_by_label("Looking for a food? Search for it").fill("kefir")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/foods/\?q=kefir$"))
    assert [p for p in problems if "status of 404" not in p] == []
    context.close()
