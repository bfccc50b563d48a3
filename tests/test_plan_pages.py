"""The plan pages as a family meets them: changes that replace a lot ask first and can be undone,
the same week is not made twice, the pages speak plainly (no solver words), the week fits a
phone and prints on one landscape A4 page, and the household form takes any number of members.

The browser tests drive Debian's Chromium with Playwright against a live server, as
tests/test_browser.py does.
"""
from __future__ import annotations

import dataclasses
import html
import io
import re
import types
from datetime import date, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from conftest import MEMBER, PASSWORD, make_app, user
from planner.clock import utc_now
from planner.extensions import db
from planner.models import Plan, PlanSlot, Profile as ProfileRow
from planner.plans import history, service
from planner.plans.forms import away_keys, away_words, grouped, member_data
from planner.plans.problem import Slot

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "plan-pages"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
WEEK = "2026-11-23"


def _profile_form(**changes) -> dict:
    form = {"name": "The Clintons", "members-0-name": "Cat", "members-0-age": "40", "members-0-sex": "female",
            "members-1-name": "Sam", "members-1-age": "3", "meals": ["breakfast", "lunch", "dinner", "snack"],
            "weekday_minutes": "30", "weekend_minutes": "60", "allergens": ["sesame"], "fermented_per_day": "1",
            "plants_per_week": "30"}
    return {**form, **changes}


def _profile(client) -> ProfileRow:
    assert client.post("/plans/profiles/new", data=_profile_form()).status_code == 302
    return db.session.scalars(select(ProfileRow).order_by(ProfileRow.id.desc())).first()


def _plan(client, profile: ProfileRow | None = None, week: str = WEEK) -> int:
    profile = profile or _profile(client)
    made = client.post("/plans/new", data={"profile": profile.id, "week_start": week})
    assert made.status_code == 302, made.get_data(as_text=True)
    return int(made.headers["Location"].rstrip("/").split("/")[-1])


def _row(plan_id: int) -> Plan:
    db.session.expire_all()
    return db.session.get(Plan, plan_id)


def _week(plan_id: int) -> list[tuple]:
    """Every meal's stored columns, to compare weeks exactly."""
    db.session.expire_all()
    slots = db.session.scalars(select(PlanSlot).where(PlanSlot.plan_id == plan_id)
                               .order_by(PlanSlot.day, PlanSlot.position))
    return [tuple(getattr(s, name) for name in history.SLOT_COLUMNS) for s in slots]


def _text(page: str) -> str:
    """What a person reads on a page: no tags, attributes, scripts or styles."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _undo_button(page: str) -> str:
    """The action of the Undo button in the message, which posts the page's #undo form."""
    found = re.search(r'<button[^>]*form="undo"[^>]*formaction="([^"]+)"[^>]*>Undo</button>', page)
    assert found, "no Undo button in the message"
    assert re.search(r'<form id="undo" method="post"', page), "no form for the Undo button to post"
    return html.unescape(found.group(1))


@pytest.fixture
def other_tab(app):
    """The same household in another browser."""
    from conftest import logged_in

    return logged_in(app, MEMBER)


# --- delete asks first, and can be undone ----------------------------------------------------------

def test_delete_asks_first_and_undo_brings_the_week_back(app, client, other_client):
    plan_id = _plan(client)
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert f'<form method="post" action="/plans/{plan_id}/delete"' not in page  # no one-click delete
    assert re.search(rf'<form method="get" action="/plans/{plan_id}/delete"', page)

    confirm = client.get(f"/plans/{plan_id}/delete")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Delete this week?" in text
    assert re.search(rf'<form method="post" action="/plans/{plan_id}/delete"', text)
    assert "Yes, delete it" in text and _row(plan_id).deleted_at is None  # asking changes nothing

    deleted = client.post(f"/plans/{plan_id}/delete")
    assert deleted.status_code == 302 and deleted.headers["Location"].endswith("/plans/")
    index = client.get("/plans/").get_data(as_text=True)
    assert "Deleted the plan for the week of 23 November 2026." in index
    assert _undo_button(index) == f"/plans/{plan_id}/restore"
    assert f'href="/plans/{plan_id}"' not in index  # gone from the list
    assert client.get(f"/plans/{plan_id}").status_code == 404
    assert client.get(f"/plans/{plan_id}/delete").status_code == 404
    assert _row(plan_id).deleted_at is not None
    assert client.get(f"/shopping/plans/{plan_id}").status_code == 404
    assert client.get(f"/api/v1/plans/{plan_id}").status_code == 404

    # another household cannot bring it back
    assert other_client.post(f"/plans/{plan_id}/restore").status_code == 404  # not theirs: not found
    assert _row(plan_id).deleted_at is not None

    restored = client.post(f"/plans/{plan_id}/restore")
    assert restored.status_code == 302 and restored.headers["Location"].endswith(f"/plans/{plan_id}")
    back = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "is back" in back and _row(plan_id).deleted_at is None
    assert f'href="/plans/{plan_id}"' in client.get("/plans/").get_data(as_text=True)
    again = client.post(f"/plans/{plan_id}/restore", follow_redirects=True).get_data(as_text=True)
    assert "no deleted week to bring back" in again


def test_weeks_deleted_over_30_days_ago_go_for_good_at_the_next_delete(app, client):
    profile = _profile(client)
    old, recent, now = (_plan(client, profile, week) for week in ("2026-01-05", "2026-01-12", "2026-01-19"))
    for plan_id, days in ((old, 31), (recent, 29)):
        client.post(f"/plans/{plan_id}/delete")
        _row(plan_id).deleted_at = utc_now() - timedelta(days=days)
        db.session.commit()
    client.post(f"/plans/{now}/delete")
    assert _row(old) is None and not db.session.scalars(select(PlanSlot).where(PlanSlot.plan_id == old)).all()
    assert _row(recent) is not None and _row(now) is not None
    assert client.post(f"/plans/{recent}/restore").status_code == 302 and _row(recent).deleted_at is None


# --- redoing the week asks first, and can be undone exactly ---------------------------------------

def test_redo_week_asks_first_and_undo_puts_back_the_exact_meals(app, client):
    plan_id = _plan(client)
    assert client.post(f"/plans/{plan_id}/lock/1/dinner", data={"locked": "1"}).status_code == 302
    offered = client.get(f"/plans/{plan_id}/swap/3/snack").get_data(as_text=True)
    client.post(f"/plans/{plan_id}/swap/3/snack",
                data={"recipe": re.search(r'name="recipe" value="([^"]+)"', offered).group(1)})
    before = _week(plan_id)
    row = _row(plan_id)
    planned = {name: getattr(row, name) for name in history.PLAN_COLUMNS}

    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert re.search(rf'<form method="get" action="/plans/{plan_id}/redo"', page)
    assert f'<form method="post" action="/plans/{plan_id}/redo"' not in page
    confirm = client.get(f"/plans/{plan_id}/redo")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Redo every meal that is not locked?" in text
    assert "27 meals" in text and "locked meals stay" in text  # 28 meals, one locked
    assert re.search(rf'<form method="post" action="/plans/{plan_id}/redo"', text)
    assert _week(plan_id) == before and _row(plan_id).undo is None  # asking changes nothing

    assert client.post(f"/plans/{plan_id}/redo").status_code == 302
    after = _week(plan_id)
    assert after != before and _row(plan_id).undo is not None
    assert [s for s in after if (s[0], s[1]) == (1, "dinner")] == [s for s in before if (s[0], s[1]) == (1, "dinner")]
    shown = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert _undo_button(shown) == f"/plans/{plan_id}/undo"

    assert client.post(f"/plans/{plan_id}/undo").status_code == 302
    assert _week(plan_id) == before
    row = _row(plan_id)
    assert {name: getattr(row, name) for name in history.PLAN_COLUMNS} == planned and row.undo is None
    assert "The week is back as it was." in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    again = client.post(f"/plans/{plan_id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "nothing to undo" in again and _week(plan_id) == before


def test_undo_after_someone_changed_the_week_keeps_their_change(app, client, other_tab):
    plan_id = _plan(client)
    before = _week(plan_id)
    assert client.post(f"/plans/{plan_id}/redo").status_code == 302
    other_tab.post(f"/plans/{plan_id}/lock/2/lunch", data={"locked": "1"})  # someone else, meanwhile
    changed = _week(plan_id)
    refused = client.post(f"/plans/{plan_id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "changed since it was redone" in refused
    assert _week(plan_id) == changed != before


def test_remember_keeps_the_week_as_stored_when_its_turn_comes(app, client):
    """remember() reads the week inside serialised(), afresh: a change that landed after the
    caller last read the plan is kept, and undo puts back exactly that."""
    plan_id = _plan(client)
    stale = db.session.get(Plan, plan_id)
    assert not next(s for s in stale.slots if (s.day, s.meal) == (0, "dinner")).locked
    client.post(f"/plans/{plan_id}/lock/0/dinner", data={"locked": "1"})  # another request, after that read
    locked = _week(plan_id)
    history.remember(db.session, stale.id)
    kept = {(s["day"], s["meal"]): s["locked"] for s in _row(plan_id).undo["slots"]}
    assert kept[(0, "dinner")] is True
    service.redo(db.session, _row(plan_id), [Slot(1, "lunch")])
    assert _week(plan_id) != locked
    history.undo(db.session, plan_id)
    assert _week(plan_id) == locked and _row(plan_id).undo is None


# --- the same week twice ----------------------------------------------------------------------------

def test_making_the_same_week_twice_offers_to_open_or_replace_it(app, client):
    profile = _profile(client)
    first = _plan(client, profile)
    again = client.post("/plans/new", data={"profile": profile.id, "week_start": WEEK})
    text = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "You already have a plan for the week of 23 November 2026" in text
    assert f'href="/plans/{first}"' in text and "Open it" in text and "Make a new one in its place" in text
    assert re.search(rf'name="replace" value="{first}"', text)
    assert db.session.query(Plan).filter(Plan.deleted_at.is_(None)).count() == 1

    other_week = _plan(client, profile, "2026-11-30")  # another week is simply made
    replaced = client.post("/plans/new", data={"profile": profile.id, "week_start": WEEK, "replace": str(first)})
    assert replaced.status_code == 302
    new = int(replaced.headers["Location"].rstrip("/").split("/")[-1])
    assert new not in (first, other_week)
    assert _row(first).deleted_at is not None and _row(new).deleted_at is None
    assert "in place of the old one" in client.get(f"/plans/{new}").get_data(as_text=True)
    listed = client.get("/plans/").get_data(as_text=True)
    assert f'href="/plans/{new}"' in listed and f'href="/plans/{first}"' not in listed


# --- said like a family -----------------------------------------------------------------------------

SOLVER_WORDS = re.compile(r"proven|optimal|\bscore|objective|solver|\bgap\b|(?<![\w.])[−+-]\d+(\.\d)?\b", re.I)


def test_plan_and_swap_pages_use_no_solver_words(app, client):
    plan_id = _plan(client)
    for url in (f"/plans/{plan_id}", f"/plans/{plan_id}/swap/3/snack", f"/plans/{plan_id}/swap/0/dinner"):
        words = SOLVER_WORDS.findall(_text(client.get(url).get_data(as_text=True)))
        assert not words, f"{url}: {words}"
    swap = client.get(f"/plans/{plan_id}/swap/3/snack").get_data(as_text=True)
    why = re.findall(r'<span class="meta why">([^<]*)</span>', swap)
    assert why and all(w.strip() for w in why)  # every option says why it suits, in words
    choice = re.search(r'name="recipe" value="([^"]+)"',
                       client.get(f"/plans/{plan_id}/swap/3/snack").get_data(as_text=True)).group(1)
    client.post(f"/plans/{plan_id}/swap/3/snack", data={"recipe": choice})
    edited = _text(client.get(f"/plans/{plan_id}").get_data(as_text=True))
    assert not SOLVER_WORDS.findall(edited) and "changed some meals yourself" in edited


def test_swap_options_say_why_they_suit_in_words(app, client, monkeypatch):
    from planner.plans.generate import Alternative

    plan_id = _plan(client)
    real = service.offer

    def with_reasons(session, row, slot, limit=5):
        plan, options = real(session, row, slot, limit)
        return plan, [dataclasses.replace(option, reasons=("more fibre", "15 minutes quicker"))
                      if "reasons" in {f.name for f in dataclasses.fields(Alternative)}
                      else types.SimpleNamespace(**vars(option), reasons=("more fibre", "15 minutes quicker"))
                      for option in options]
    monkeypatch.setattr(service, "offer", with_reasons)
    page = _text(client.get(f"/plans/{plan_id}/swap/3/snack").get_data(as_text=True))
    assert "more fibre · 15 minutes quicker" in page and not SOLVER_WORDS.findall(page)


def test_meals_say_leftovers_sides_children_and_time(app, client, monkeypatch):
    plan_id = _plan(client)
    real = service.payload

    def richer(session, row, plan=None):
        data = real(session, row, plan)
        monday, tuesday = data["days"][0], data["days"][1]
        monday["hands_on_minutes"] = 35
        dinner = next(m for m in monday["meals"] if m["slot"] == "dinner")
        dinner.update(cooked=True, kid_friendly=True, hands_on_minutes=20, total_minutes=75,
                      sides=[{"slug": "kefir-glass", "title": "A glass of kefir"}])
        lunch = next(m for m in tuesday["meals"] if m["slot"] == "lunch")
        lunch.update(cooked=False, leftovers_of={"day": 0, "meal": "dinner", "weekday": "Monday"})
        snack = next(m for m in tuesday["meals"] if m["slot"] == "snack")
        snack.update(cooked=False, leftovers_of=None)
        return data
    monkeypatch.setattr(service, "payload", richer)
    text = " ".join(_text(client.get(f"/plans/{plan_id}").get_data(as_text=True)).split())
    for said in ("Leftovers from Monday's dinner", "With a glass of kefir", "children usually like it",
                 "20 min hands-on · ready in 1 h 15 min", "About 35 min of cooking", "No cooking needed"):
        assert said in text, said


def _calls_to_rate(monkeypatch) -> list[tuple]:
    """The calls the route makes to planner.plans.ratings.rate (which is not run)."""
    from planner.plans import ratings

    calls: list[tuple] = []
    monkeypatch.setattr(ratings, "rate", lambda session, household_id, member, slug, rating: calls.append(
        (household_id, member, slug, rating)))
    return calls


def test_each_member_can_rate_each_meal(app, client, monkeypatch):
    calls = _calls_to_rate(monkeypatch)
    plan_id = _plan(client)
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    slug = db.session.scalars(select(PlanSlot).where(PlanSlot.plan_id == plan_id, PlanSlot.day == 0,
                                                     PlanSlot.meal == "dinner")).one().recipe.slug
    for member in ("Cat", "Sam"):
        form = re.search(rf'<form method="post" action="/plans/{plan_id}/rate" class="rate-member">'
                         rf'(?:(?!</form>).)*?name="member" value="{member}"(?:(?!</form>).)*?value="{slug}"'
                         r'(?:(?!</form>).)*</form>', page, re.S)
        assert form, member
        for value, words in (("love", "Love it"), ("fine", "Fine"), ("never", "Never again")):
            assert re.search(rf'name="rating" value="{value}"[^>]*>{re.escape(words)}<', html.unescape(form.group(0)))
    made = client.post(f"/plans/{plan_id}/rate", data={"member": "Sam", "recipe": slug, "rating": "never", "day": "0"})
    assert made.status_code == 302 and made.headers["Location"].endswith(f"/plans/{plan_id}#day-0")
    assert calls == [(user(MEMBER).household_id, "Sam", slug, "never")]
    for bad in ({"member": "Nobody"}, {"recipe": "not-this-week"}, {"rating": "meh"}):
        assert client.post(f"/plans/{plan_id}/rate", data={"member": "Sam", "recipe": slug, "rating": "love",
                                                           **bad}).status_code == 400
    assert len(calls) == 1


def test_a_rating_is_saved_shown_and_taken_back(app, client):
    from planner.models import Rating

    plan_id = _plan(client)
    slug = db.session.scalars(select(PlanSlot).where(PlanSlot.plan_id == plan_id, PlanSlot.day == 0,
                                                     PlanSlot.meal == "dinner")).one().recipe.slug
    rated = client.post(f"/plans/{plan_id}/rate", data={"member": "Cat", "recipe": slug, "rating": "love"})
    assert rated.status_code == 302
    saved = db.session.scalars(select(Rating).where(Rating.member == "Cat", Rating.recipe == slug)).one()
    assert saved.rating == "love" and saved.household_id == user(MEMBER).household_id
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Saved: Cat" in page
    pressed = re.search(rf'name="member" value="Cat">\s*<input type="hidden" name="recipe" value="{slug}">'
                        r'(?:(?!</form>).)*?name="rating" value="" class="rating rating-love"\s+aria-pressed="true"',
                        page, re.S)
    assert pressed  # shown pressed; pressing it again takes the rating back
    cleared = client.post(f"/plans/{plan_id}/rate", data={"member": "Cat", "recipe": slug, "rating": ""})
    assert cleared.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Rating).where(Rating.member == "Cat", Rating.recipe == slug)).first() is None


# --- the household form ----------------------------------------------------------------------------

def test_away_meals_are_read_from_a_family_s_words():
    assert away_keys("Tuesday dinner, sat:lunch, weekend breakfasts") == (
        ["tue:dinner", "sat:lunch", "weekend:breakfast"], [])
    assert away_keys("dinner on thurs, the moon") == (["thu:dinner"], ["the moon"])
    assert away_words(["tue:dinner", "weekend:breakfast"]) == "Tuesday dinner, weekend breakfast"
    assert grouped(["fri:lunch", "mon:lunch", "sat:dinner", "thu:lunch", "tue:dinner", "tue:lunch", "wed:lunch"]) == [
        "weekdays:lunch", "tue:dinner", "sat:dinner"]
    member = member_data({"name": "Cat", "age": "40", "sex": "female", "stage": "", "away_weekday_lunch": True,
                          "away_other": "Tuesday dinner", "allergens": ["milk"], "dislikes": "mushrooms, spicy"})
    assert member == {"name": "Cat", "age": "40", "sex": "female", "away": ["weekdays:lunch", "tue:dinner"],
                      "allergens": ["milk"], "dislikes": ["mushrooms", "spicy"]}


def test_profile_form_has_a_label_for_every_field_and_family_words(app, client):
    page = client.get("/plans/profiles/new").get_data(as_text=True)
    form = re.sub(r"<template\b.*?</template>", "", page, flags=re.S)
    ids = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form)
    assert len(ids) > 40
    unlabelled = [i for i in ids if f'for="{i}"' not in form]
    assert not unlabelled, unlabelled
    for words in ("How many different plants a week would you like?", "Weekday lunches away (school or work)",
                  "Hands-on cooking minutes a day on weekdays", "minutes from starting dinner to the table",
                  "Add a member", "What is lunch on most days?", "Only dishes children usually like",
                  "How adventurous is the family with food?"):
        assert words in page, words
    assert "energy_tolerance" not in _text(page) and "Energy range" not in page
    assert len(re.findall(r'<fieldset class="member">', form)) == 3  # one person and two blank rows, no script
    assert 'id="members-__index__-name"' in page  # the blank row "Add a member" copies


def test_profile_form_carries_the_new_fields_and_says_errors_beside_them(app, client):
    bad = client.post("/plans/profiles/new", data=_profile_form(**{"members-0-away_other": "the moon"}))
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert re.search(r'id="members-0-away_other-error">Say a day and a meal for: the moon', text)
    good = client.post("/plans/profiles/new", data=_profile_form(**{
        "members-0-away_weekday_lunch": "y", "members-0-away_other": "Tuesday dinner",
        "members-1-allergens": ["milk"], "members-1-dislikes": "mushrooms", "members-5-name": "Gran",
        "members-5-age": "70", "lunch": "packed", "adventure": "familiar", "kid_friendly_only": "y",
        "weekday_dinner_minutes": "40"}))
    assert good.status_code == 302, good.get_data(as_text=True)
    saved = db.session.scalars(select(ProfileRow)).one()
    assert [m["name"] for m in saved.data["members"]] == ["Cat", "Sam", "Gran"]  # no save-and-edit for a third
    cat, sam = saved.data["members"][:2]
    assert cat["away"] == ["fri:lunch", "mon:lunch", "thu:lunch", "tue:dinner", "tue:lunch", "wed:lunch"]
    assert sam["allergens"] == ["milk"] and sam["dislikes"] == ["mushrooms"]
    assert saved.data["lunch"] == "packed" and saved.data["adventure"] == "familiar"
    assert saved.data["kid_friendly_only"] is True and saved.data["max_total_minutes"]["weekday_dinner"] == 40
    edit = client.get(f"/plans/profiles/{saved.id}").get_data(as_text=True)
    assert 'value="Gran"' in edit and 'value="Tuesday dinner"' in edit  # weekday lunches are the box again
    assert re.search(r'<input checked[^>]*id="members-0-away_weekday_lunch"', edit)
    assert re.search(r'<option selected value="milk">|<option value="milk" selected>', edit)
    assert re.search(r'<option selected value="packed">|<option value="packed" selected>', edit)
    assert re.search(r'<input checked[^>]*id="kid_friendly_only"', edit) and 'value="40"' in edit


# --- in a real browser -------------------------------------------------------------------------------

def _seeded_week(database: str, profile: dict | None = None) -> int:
    setup = make_app(database)
    with setup.app_context():
        home = user(MEMBER).household_id
        parsed = service.parse_profile(db.session, profile or {
            "name": "The Parks", "members": [{"name": "Jo", "age": 40, "sex": "female"}, {"name": "Kit", "age": 7},
                                             {"name": "Lou", "age": 43, "sex": "male"}]}, home)
        row, _ = service.create_plan(db.session, parsed, date(2026, 11, 23), None, home)
        plan_id = row.id
        db.session.remove()
        db.engine.dispose()
    return plan_id


def _accessible(page: Page, name: str) -> None:
    """axe finds no serious or critical problem (missing labels, low contrast, bad ARIA ...)."""
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in serious)


def _log_in(page: Page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in")).click()
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)


def test_the_week_fits_a_phone_and_prints_on_one_landscape_page(browser: Browser, live_server: str,
                                                                database: str) -> None:
    plan_id = _seeded_week(database)
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _log_in(page)
    page.goto(f"/plans/{plan_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Parks")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "plan-phone.png"), full_page=True)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"the plan page is {width} px wide on a 390 px phone"
    page.locator("#day-0 details.rate summary").first.click()  # rating opens without sideways scrolling
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    _accessible(page, "plan")
    swap = page.locator("#day-0 td.meal").first.get_by_role("link", name="Swap")
    swap.click()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    page.set_viewport_size(DESKTOP)
    page.goto(f"/plans/{plan_id}")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1047, "height": 718})  # the A4 landscape page inside 10 mm margins, in CSS px
    page.screenshot(path=str(SHOTS / "plan-print.png"), full_page=True)
    printed_pdf = page.pdf(format="A4", landscape=True)
    (SHOTS / "plan-print.pdf").write_bytes(printed_pdf)
    pdf = PdfReader(io.BytesIO(printed_pdf))
    assert len(pdf.pages) == 1, f"the week prints on {len(pdf.pages)} pages"
    printed = pdf.pages[0].extract_text()
    assert "Week of 23 November 2026" in printed and "Sunday" in printed
    assert "Lock" not in printed and "Redo" not in printed and "Love it" not in printed
    assert round(float(pdf.pages[0].mediabox.width)) > round(float(pdf.pages[0].mediabox.height))  # landscape
    assert not problems, problems
    context.close()


def test_delete_and_redo_ask_first_in_the_browser_and_undo(browser: Browser, live_server: str,
                                                          database: str) -> None:
    plan_id = _seeded_week(database)
    page = browser.new_page(base_url=live_server, viewport=DESKTOP)
    page.route("**/*.js", lambda route: route.abort())  # no script: every step works without one
    _log_in(page)
    page.goto(f"/plans/{plan_id}")
    dishes = page.locator("table.week a.dish")
    kept = dishes.all_inner_texts()
    page.get_by_role("button", name="Redo unlocked meals").click()
    expect(page.get_by_role("heading", name="Redo every meal that is not locked?")).to_be_visible()
    _accessible(page, "confirm")
    page.get_by_role("button", name="Yes, redo them").click()
    expect(page.get_by_text("New dishes for every meal that was not locked.")).to_be_visible()
    assert dishes.all_inner_texts() != kept
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("The week is back as it was.")).to_be_visible()
    assert dishes.all_inner_texts() == kept

    page.get_by_role("button", name="Delete this plan").click()
    expect(page.get_by_role("heading", name="Delete this week?")).to_be_visible()
    page.get_by_role("link", name="No, keep the week as it is").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of 23 November 2026")
    page.get_by_role("button", name="Delete this plan").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("Deleted the plan for the week of 23 November 2026.")).to_be_visible()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of 23 November 2026")
    assert dishes.all_inner_texts() == kept
    page.close()


def test_the_household_form_adds_members_and_asks_about_pregnancy_only_when_it_could_apply(
        browser: Browser, live_server: str) -> None:
    page = browser.new_page(base_url=live_server, viewport=PHONE)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _log_in(page)
    page.goto("/plans/profiles/new")
    rows = page.locator("fieldset.member")
    expect(rows).to_have_count(3)
    page.get_by_label("Profile name").fill("The Okafors")
    page.locator("#members-0-name").fill("Ada")
    page.locator("#members-0-age").fill("34")
    stage = rows.nth(0).locator("details.stage")
    expect(stage).to_be_hidden()  # no sex given yet
    page.locator("#members-0-sex").select_option("female")
    expect(stage).to_be_visible()
    page.locator("#members-0-age").fill("64")
    expect(stage).to_be_hidden()
    page.locator("#members-0-age").fill("34")
    for n, (name, age) in enumerate((("Ben", "36"), ("Chi", "8"), ("Dayo", "5"), ("Ema", "2")), start=1):
        if n >= 3:
            page.get_by_role("button", name="Add a member").click()
        page.locator(f"#members-{n}-name").fill(name)
        page.locator(f"#members-{n}-age").fill(age)
    expect(rows).to_have_count(5)
    expect(rows.nth(4).locator("legend")).to_have_text("Person 5")
    expect(rows.nth(4).locator("details.stage")).to_be_hidden()
    expect(page.get_by_label("Peanuts")).to_have_count(1)  # the household's box; members choose from a list
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    _accessible(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Saved The Okafors.")).to_be_visible()
    page.get_by_role("link", name="The Okafors").click()
    for n, name in enumerate(("Ada", "Ben", "Chi", "Dayo", "Ema")):
        expect(page.locator(f"#members-{n}-name")).to_have_value(name)
    assert not problems, problems
    page.close()
