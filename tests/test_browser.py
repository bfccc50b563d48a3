"""The product as people meet it: a real Chromium (Debian's, driven by Playwright) against a live server.

One journey: sign up, check a food and a label, make a profile for a family with a
3-year-old and a peanut allergy, plan a week, lock a meal and redo the rest, tick the
shopping list and download it. Each main page is screenshotted at phone and desktop widths
into test-artifacts/screenshots/ and checked with axe for accessibility problems.

`make test` installs Chromium; without it these tests fail rather than skip.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from conftest import make_app
from planner.extensions import db

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _shoot(page: Page, name: str, folder: Path = SHOTS) -> None:
    """Screenshots of the page at both widths (into `folder`), then back to the desktop width."""
    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} is {width} px wide at {size} width: it scrolls sideways"
    page.set_viewport_size(SIZES["desktop"])


def _accessible(page: Page, name: str) -> None:
    """axe finds no serious or critical problem (missing labels, low contrast, bad ARIA ...)."""
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})" for v in serious)


def _visit(page: Page, name: str) -> None:
    _shoot(page, name)
    _accessible(page, name)


def test_a_family_plans_a_week_and_takes_the_list_to_the_shop(browser: Browser, live_server: str,
                                                              tmp_path: Path) -> None:
    context = browser.new_context(base_url=live_server, accept_downloads=True, viewport=SIZES["desktop"])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto("/")
    _visit(page, "home")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Cat")
    page.get_by_label("Email").fill("cat@example.com")
    page.get_by_label("Password", exact=True).fill("a long family password")
    page.get_by_label("Password again").fill("a long family password")
    page.get_by_role("button", name="Make my account").click()
    expect(page.get_by_text("Welcome, Cat")).to_be_visible()

    page.goto("/foods/?q=lentils")
    _visit(page, "foods")
    page.screenshot(path=str(SHOTS / "readme.png"))  # the README's picture: copy it to planner/static/screenshot.png

    page.goto("/check/?q=kefir")
    expect(page.locator(".verdict")).to_contain_text(re.compile("recommended", re.I))
    _visit(page, "checker")
    page.get_by_label("Food or ingredient list").fill("Wheat flour, sugar, palm oil, emulsifier (E471), salt")
    page.get_by_role("button", name=re.compile("Check")).click()
    expect(page.locator(".verdict")).to_contain_text(re.compile("avoid", re.I))

    page.goto("/plans/profiles/new")
    page.get_by_label("Profile name").fill("The Clintons")
    page.locator("#members-0-name").fill("Cat")
    page.locator("#members-0-age").fill("38")
    page.locator("#members-0-sex").select_option("female")
    page.locator("#members-1-name").fill("Sam")
    page.locator("#members-1-age").fill("3")
    page.get_by_label("Peanuts").check()
    _visit(page, "profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Saved The Clintons.")).to_be_visible()

    page.get_by_role("button", name="Make the week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Clintons")
    _visit(page, "plan")
    first = page.locator("#day-0 td").first
    kept = first.get_by_role("link").first.inner_text()
    first.get_by_role("button", name="Lock").click()
    expect(page.locator("#day-0 td").first.get_by_text("locked", exact=True)).to_be_visible()
    page.get_by_role("button", name="Redo unlocked meals").click()
    page.get_by_role("button", name="Yes, redo them").click()
    expect(page.locator("#day-0 td").first.get_by_role("link").first).to_have_text(kept)
    assert "peanut" not in page.locator("table.week").inner_text().lower()

    page.get_by_role("link", name="Shopping list").click()
    _visit(page, "shopping-list")
    box_id = page.locator("input[name=item]").first.get_attribute("id")
    ticked = page.locator(f"label[for='{box_id}'] strong").inner_text()
    with page.expect_response(lambda r: r.request.method == "POST" and "/ticks" in r.url) as saved:
        page.locator(f"#{box_id}").check()  # the page saves the tick in the background; wait for the answer
    assert saved.value.ok
    page.reload()
    expect(page.locator(f"#basket #{box_id}")).to_be_checked()  # a ticked line is in the basket
    page.get_by_text("Download or print").click()
    files: dict[str, Path] = {}
    for link, suffix in (("Spreadsheet (CSV)", ".csv"), ("PDF on A4", ".pdf")):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.suffix == suffix
        files[suffix] = saved
    rows = list(csv.DictReader(io.StringIO(files[".csv"].read_text(encoding="utf-8-sig"))))
    assert next(row for row in rows if row["item"] == ticked)["checked"] == "yes"  # the tick reached the export
    assert ticked in " ".join(sheet.extract_text() for sheet in PdfReader(files[".pdf"]).pages)

    page.goto("/account/")
    _visit(page, "account")
    assert not problems, problems
    context.close()


def test_the_accessibility_check_catches_a_field_without_a_label(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content('<html lang="en"><title>t</title><main><input type="text"></main></html>')
    with pytest.raises(AssertionError, match="label"):
        _accessible(page, "unlabelled")
    page.close()


def _tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element is focused, as someone without a mouse would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def test_a_food_can_be_checked_with_the_keyboard_alone(browser: Browser, live_server: str) -> None:
    page = browser.new_page(base_url=live_server)
    page.goto("/check/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"  # focus is visible
    _tab_to(page, "#text")
    page.keyboard.type("sauerkraut")
    _tab_to(page, "form.check-form input[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_be_visible()
    page.close()


def test_a_week_whose_recipe_changed_says_so_and_redoes_it(browser: Browser, live_server: str,
                                                           database: str) -> None:
    from datetime import date

    from sqlalchemy import select

    from conftest import MEMBER, PASSWORD
    from planner.models import Food, Recipe, User
    from planner.plans import service as plans

    setup = make_app(database)
    with setup.app_context():
        home = db.session.scalar(select(User).where(User.email == MEMBER)).household_id
        profile = plans.parse_profile(db.session, {"name": "The Parks", "members": [{"name": "Jo", "age": 40}],
                                                   "allergens": ["peanuts"]}, home)
        row, plan = plans.create_plan(db.session, profile, date(2026, 11, 23), None, home)
        plan_id, slug = row.id, plan.assignment[min(plan.assignment)]
        recipe = db.session.scalar(select(Recipe).where(Recipe.slug == slug))
        title = recipe.title
        recipe.ingredients[0].food_id = db.session.scalar(select(Food.id).where(Food.slug == "peanut-butter"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()

    page = browser.new_page(base_url=live_server, viewport=SIZES["desktop"])
    page.goto("/account/login")
    page.get_by_label("Email").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in")).click()
    page.goto(f"/plans/{plan_id}")
    notice = page.get_by_role("region", name="Some meals have changed since this week was planned")
    expect(notice).to_contain_text(title)
    expect(notice).to_contain_text("peanuts")
    _visit(page, "plan-changed")
    notice.get_by_role("button", name="Redo these meals").click()
    expect(page.get_by_text("Some meals have changed")).to_have_count(0)
    assert "peanut" not in page.locator("table.week").inner_text().lower()
    page.close()
