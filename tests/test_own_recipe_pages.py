"""Writing an own recipe in a real browser (Debian's Chromium): the form, the review of each
ingredient line, the recipe page; on a phone and a laptop, accessible, nothing wider than the
screen. Screenshots go to test-artifacts/own-recipes/."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from test_plan_pages import DESKTOP, PHONE, _accessible, _log_in

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "own-recipes"


def _fits(page: Page, width: int, name: str) -> None:
    wide = page.evaluate("document.scrollingElement.scrollWidth")
    assert wide <= width, f"{name} is {wide} px wide on a {width} px screen"


def test_write_review_and_read_an_own_recipe(browser: Browser, live_server: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _log_in(page)
    page.goto("/recipes/new")
    page.get_by_label("Title").fill("Grandma's pod soup")
    page.get_by_label("Lunch").check()
    page.get_by_label("Servings it makes").fill("4")
    page.get_by_label("Hands-on minutes").fill("15")
    page.get_by_label("Minutes to the table").fill("40")
    page.get_by_label("Ingredients, one a line").fill(
        "2 tbsp olive oil\n1 onion, finely chopped\n500 g carrots, sliced\n1 litre vegetable stock\n3 zorblax pods")
    page.get_by_label("Method, one step a line").fill("Soften the onion in the oil.\nAdd the rest and simmer for 25 minutes.")
    _fits(page, PHONE["width"], "the recipe form")
    _accessible(page, "recipe form")
    page.screenshot(path=str(SHOTS / "form-phone.png"), full_page=True)
    page.get_by_role("button", name="Read the lines and save").click()

    expect(page.get_by_role("heading", name="How each ingredient line was read")).to_be_visible()
    _fits(page, PHONE["width"], "the line review")
    _accessible(page, "line review")
    page.screenshot(path=str(SHOTS / "review-phone.png"), full_page=True)
    page.get_by_role("group", name="Food for “zorblax pods”").get_by_label("Leave it out of the numbers").check()
    page.get_by_role("button", name="Save the recipe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Grandma's pod soup")
    expect(page.get_by_text("3 zorblax pods")).to_be_visible()
    expect(page.get_by_role("heading", name="Is this OK for us?")).to_be_visible()
    _fits(page, PHONE["width"], "the recipe page")
    _accessible(page, "own recipe page")
    page.screenshot(path=str(SHOTS / "recipe-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    _fits(page, DESKTOP["width"], "the recipe page")
    page.screenshot(path=str(SHOTS / "recipe-desktop.png"), full_page=True)
    page.goto("/recipes/import")
    _accessible(page, "import page")
    page.screenshot(path=str(SHOTS / "import-desktop.png"), full_page=True)
    assert not problems, problems
    context.close()


def _the_parks_on_a_phone(browser: Browser, live_server: str, database: str,
                         week: date | None = None) -> tuple[BrowserContext, Page, list[str]]:
    """A profile for Jo (40) and Kit (7), their week from `week` if given, and Jo's household
    logged in on a phone; the list collects the page's script errors."""
    from conftest import MEMBER, make_app, user
    from planner.extensions import db
    from planner.plans import service, store
    setup = make_app(database)
    with setup.app_context():
        home = user(MEMBER).household_id
        profile = service.parse_profile(db.session, {"name": "The Parks", "members": [
            {"name": "Jo", "age": 40, "sex": "female"}, {"name": "Kit", "age": 7}]}, home)
        row = store.save_profile(db.session, profile, None, home)
        if week:
            service.create_plan(db.session, profile, week, row.id, home)
        db.session.remove()
        db.engine.dispose()
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _log_in(page)
    return context, page, problems


def test_a_days_diary_on_a_phone(browser: Browser, live_server: str, database: str) -> None:
    """Three taps for the common entry: open the diary, tap a planned meal, and it is in."""
    context, page, problems = _the_parks_on_a_phone(browser, live_server, database, date(2026, 11, 23))
    day = date(2026, 11, 24)
    page.goto(f"/diary/?member=Kit&day={day.isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kit's diary")
    _fits(page, PHONE["width"], "the diary")
    _accessible(page, "diary day")
    page.get_by_role("button", name="as planned").first.click()
    expect(page.get_by_text("Added to Kit's diary.")).to_be_visible()
    page.get_by_label("Bloating").check()
    page.get_by_label("How bad, 0 (none) to 10 (worst)").fill("6")
    page.get_by_role("button", name="Add symptom").click()
    page.get_by_label("Sleep last night (hours)").fill("7")
    page.get_by_role("button", name="Save habits").click()
    entries = page.locator("ul.diary-entries li")
    expect(entries).to_have_count(3)
    _fits(page, PHONE["width"], "the diary with entries")
    page.screenshot(path=str(SHOTS / "diary-phone.png"), full_page=True)
    page.goto(f"/diary/?member=Kit&day={(day + timedelta(days=1)).isoformat()}")
    expect(page.locator("ul.diary-entries li")).to_have_count(0)
    assert not problems, problems
    context.close()


def test_a_food_test_on_a_phone(browser: Browser, live_server: str, database: str) -> None:
    """Start a test from the phone, then on a serve day log the serve in one tap."""
    context, page, problems = _the_parks_on_a_phone(browser, live_server, database)
    page.goto("/diary/tests?member=Jo")
    _fits(page, PHONE["width"], "the food tests")
    _accessible(page, "food tests")
    start = date.today() - timedelta(days=14)
    page.get_by_label("Suspect food").fill("Apple")
    page.get_by_label("First day without it").fill(start.isoformat())
    page.get_by_label("Weeks without it").fill("2")
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jo's test: Apple")
    _fits(page, PHONE["width"], "a food test")
    _accessible(page, "a food test")
    page.screenshot(path=str(SHOTS / "food-test-phone.png"), full_page=True)
    page.goto("/diary/?member=Jo")
    page.get_by_role("button", name="Jo had the low serve").click()
    expect(page.get_by_text("Added to Jo's diary.")).to_be_visible()
    expect(page.locator("ul.diary-entries li")).to_have_count(1)
    page.goto("/diary/tests")
    page.get_by_role("link", name="Jo: apple").click()
    expect(page.get_by_role("cell", name="Eaten")).to_have_count(1)
    assert not problems, problems
    context.close()
