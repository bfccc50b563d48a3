"""The shopping list as the shop needs it, from the server: one compact line an item with the meals
and actions a tap away, ticked lines in an "In the basket" section, a switch that hides them, a
family week's PDF on two pages, and what makes the site an installable app that works offline
(the manifest, its icons and the worker, served from the site's root)."""
from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from pathlib import Path

from bs4 import BeautifulSoup
from PIL import Image
from pypdf import PdfReader

from conftest import MEMBER, user
from planner.extensions import db
from planner.main import _static_version
from planner.plans import service as plans, store as plan_store
from planner.shopping import service
from planner.shopping.page import shop_page
from planner.shopping.present import SECTION_EXTRA, SECTION_PANTRY
from test_family_week import FAMILY, MONDAY
from test_shopping import _full_list

STYLE = Path(__file__).resolve().parent.parent / "planner" / "static" / "style.css"


def _family_plan(week: int = 0) -> int:
    """A week for the family of four (two adults, a 3-year-old and a 9-year-old) of the MEMBER."""
    home = user(MEMBER).household_id
    profile = plan_store.save_profile(db.session, plans.parse_profile(db.session, FAMILY), None, home)
    row, _ = plans.create_plan(db.session, plan_store.profile_of(profile), MONDAY + timedelta(weeks=week),
                               profile.id, home)
    return row.id


def _page(client, url: str) -> BeautifulSoup:
    answer = client.get(url)
    assert answer.status_code == 200
    return BeautifulSoup(answer.get_data(as_text=True), "html.parser")


def _lines(soup: BeautifulSoup, where: str = "form[data-ticks]") -> list:
    return soup.select(f"{where} li.item")


def test_the_page_model_puts_ticked_lines_in_the_basket_in_walking_order():
    shopping = _full_list()  # onion and an extra (kitchen roll) ticked; olive oil in the pantry
    page = shop_page(shopping)
    assert [s.slug for s in page.sections] == [a.slug for a in shopping.aisles] + ["pantry"]
    shown = {e.key for s in page.sections for e in s.entries}
    assert [e.key for e in page.basket] == ["food:onion", "extra:7"]
    assert shown.isdisjoint(e.key for e in page.basket)
    assert shown | {e.key for e in page.basket} == {i.key for i in shopping.items()} | {"extra:7"}
    produce = next(s for s in page.sections if s.slug == "produce")
    assert produce.entries == ()  # its one line is in the basket; the section stays, to go back to
    roll = page.basket[1]
    assert (roll.section, roll.kind, roll.to_buy) == ("other", SECTION_EXTRA, True)
    oil = next(s for s in page.sections if s.slug == "pantry").entries[0]
    assert oil.kind == SECTION_PANTRY and not oil.to_buy


def test_each_line_shows_the_name_and_amount_and_opens_for_meals_and_actions(app, client):
    plan_id = _family_plan()
    soup = _page(client, f"/shopping/plans/{plan_id}")
    shopping = service.shopping_list(db.session, service.plan_scope(db.session, plan_id))
    counts = shopping.counts()
    lines = _lines(soup)
    assert len(lines) == counts["to_buy"] + counts["make"] + counts["pantry"] > 50
    for line in lines:
        label = line.find("label")
        assert label.find("strong").get_text(strip=True)
        assert label.select_one(".buy").get_text(strip=True)  # the amount to buy
        more = line.find("details", class_="more")
        assert more is not None and more.find("summary").get_text(" ", strip=True).startswith("More")
        assert more.select_one(".meals").get_text(strip=True).startswith("For ")
        # the meals and every action are behind the tap, none on the line itself
        assert not [tag for tag in line.select(".meals, button") if more not in tag.parents]
        assert more.find("button", string="Remove") is not None
    apple = soup.select_one("section.aisle.buy li.item")  # a line to buy (not one to check at home)
    name = apple.find("strong").get_text()
    item = next(i for i in shopping.items() if i.name == name)
    assert name in apple.find("summary").get_text()  # a screen reader hears whose details open
    assert item.needs[0].recipe in apple.select_one(".meals").get_text()
    assert apple.find("button", string="I keep this") is not None


def test_ticked_lines_are_in_the_basket_and_can_be_hidden(app, client):
    plan_id = _family_plan()
    url = f"/shopping/plans/{plan_id}"
    soup = _page(client, url)
    assert soup.select_one("#basket").has_attr("hidden")  # nothing ticked yet
    aisles = soup.select("form[data-ticks] section.aisle.buy")
    smallest = min(aisles, key=lambda s: len(s.select("li.item")))
    keys = [li["data-key"] for li in smallest.select("li.item")]
    other = next(li["data-key"] for a in aisles for li in a.select("li.item") if li["data-key"] not in keys)
    for key in [*keys, other]:
        assert client.post(f"{url}/ticks", data={"key": key, "checked": "1"}).status_code == 302

    soup = _page(client, url)
    basket = soup.select_one("#basket")
    assert not basket.has_attr("hidden")
    in_basket = [li["data-key"] for li in _lines(soup, "#basket")]
    assert sorted(in_basket) == sorted([*keys, other])
    assert all(li.find("input", {"name": "item"}).has_attr("checked") for li in _lines(soup, "#basket"))
    assert {i["value"] for i in basket.select("input[name=shown]")} == set(in_basket)  # the no-script form
    for li in _lines(soup, "form[data-ticks] section.aisle"):
        assert li["data-key"] not in in_basket and not li.find("input", {"name": "item"}).has_attr("checked")
    emptied = soup.find("section", attrs={"aria-labelledby": smallest["aria-labelledby"]})
    assert emptied.has_attr("hidden")  # every line of that aisle is in the basket
    assert basket.select_one("[data-basket-count]").get_text() == str(len(in_basket))
    assert f"{len(keys) + 1} ticked" in soup.select_one("#counts").get_text(" ")

    toggle = soup.select_one("[data-toggle-ticked]")
    assert toggle.get_text(strip=True) == "Hide ticked" and "ticked=hide" in toggle["href"]
    hidden = _page(client, f"{url}?ticked=hide")
    assert hidden.select_one("#basket").has_attr("hidden")
    toggle = hidden.select_one("[data-toggle-ticked]")
    assert toggle.get_text(strip=True) == "Show ticked" and "ticked=show" in toggle["href"]
    assert len(_lines(hidden, "#basket")) == len(in_basket)  # still in the form: hidden, not dropped

    # Unticked, a line goes back to its aisle, in its place.
    client.post(f"{url}/ticks", data={"key": keys[0], "checked": "0"})
    soup = _page(client, url)
    back = soup.find("section", attrs={"aria-labelledby": smallest["aria-labelledby"]})
    assert not back.has_attr("hidden") and [li["data-key"] for li in back.select("li.item")] == keys[:1]
    # Without a script the whole form still saves: what changed on it, and nothing else.
    assert client.post(f"{url}/ticks", data={"ticks_shown": "1", "item": [keys[0]], "shown": []}).status_code == 302
    assert keys[0] in [li["data-key"] for li in _lines(_page(client, url), "#basket")]


def test_a_tick_for_a_line_taken_off_the_list_is_refused(app, client):
    plan_id = _family_plan()
    url = f"/shopping/plans/{plan_id}"
    food = next(iter(service.shopping_list(db.session, service.plan_scope(db.session, plan_id)).items())).food
    client.post(f"{url}/items/{food}/remove")
    late = client.post(f"{url}/ticks", data={"key": f"food:{food}", "checked": "1"},
                       headers={"Accept": "application/json"})
    assert late.status_code == 404  # a phone that was offline drops it, with a note
    removed = service.shopping_list(db.session, service.plan_scope(db.session, plan_id)).removed
    assert [i.food for i in removed] == [food] and not removed[0].checked
    client.post(f"{url}/items/{food}/restore")
    assert client.post(f"{url}/ticks", data={"key": f"food:{food}", "checked": "1"}).status_code == 302


def test_a_family_weeks_pdf_is_at_most_two_pages(app, client):
    plan_id = _family_plan()
    shopping = service.shopping_list(db.session, service.plan_scope(db.session, plan_id))
    for paper in ("a4", "letter"):
        answer = client.get(f"/shopping/plans/{plan_id}/export.pdf?paper={paper}")
        reader = PdfReader(io.BytesIO(answer.get_data()))
        assert len(reader.pages) <= 2, paper
        text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
        for item in shopping.items():
            assert f"{item.name} -" in text, (paper, item.name)
        assert "page 2 of 2" in text or len(reader.pages) == 1


def test_two_weeks_of_lists_still_fit_a_few_pages(app, client):
    profile_plan = _family_plan()
    profile_id = plan_store.get_plan_row(db.session, profile_plan).profile_id
    row, _ = plans.create_plan(db.session, plan_store.profile_of(plan_store.get_profile(db.session, profile_id)),
                               MONDAY + timedelta(weeks=1), profile_id, user(MEMBER).household_id)
    answer = client.get(f"/shopping/profiles/{profile_id}/export.pdf?start=2026-11-23&end=2026-12-06&paper=a4")
    assert answer.status_code == 200 and len(PdfReader(io.BytesIO(answer.get_data())).pages) <= 4


# -- the installable app ------------------------------------------------------------------------

def test_the_manifest_names_the_app_its_icons_and_the_sites_colour(app, anon):
    answer = anon.get("/manifest.webmanifest")
    assert answer.status_code == 200 and answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert manifest["name"] == "Gut Planner" and manifest["display"] == "standalone"
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    green = re.search(r"--green:\s*(#[0-9a-f]{6})", STYLE.read_text()).group(1)
    assert manifest["theme_color"] == green
    page = anon.get("/").get_data(as_text=True)
    assert f'<meta name="theme-color" content="{green}">' in page
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    sizes = {}
    for icon in manifest["icons"]:
        image = anon.get(icon["src"])
        assert image.status_code == 200 and image.mimetype == "image/png"
        with Image.open(io.BytesIO(image.get_data())) as picture:
            assert f"{picture.width}x{picture.height}" == icon["sizes"]
            if icon["purpose"] == "maskable":  # full bleed: no see-through corner for a mask to show
                assert picture.convert("RGBA").getpixel((0, 0))[3] == 255
        sizes.setdefault(icon["purpose"], set()).add(icon["sizes"])
    assert sizes["any"] >= {"192x192", "512x512"} and sizes["maskable"]


def test_the_worker_is_served_from_the_root_fresh_and_versioned_by_the_static_files(app, anon, tmp_path):
    answer = anon.get("/service-worker.js")
    assert answer.status_code == 200 and answer.mimetype == "text/javascript"
    assert answer.headers["Service-Worker-Allowed"] == "/"
    assert answer.headers["Cache-Control"] == "no-cache"
    script = answer.get_data(as_text=True)
    assert "__VERSION__" not in script and re.search(r'const VERSION = "[0-9a-f]{16}";', script)
    assert "register" in anon.get("/static/pwa.js").get_data(as_text=True)
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, words in ((one, "body { color: green }"), (two, "body { color: blue }")):
        folder.mkdir()
        (folder / "style.css").write_text(words)
    assert _static_version(str(one)) != _static_version(str(two))


def test_pages_say_whose_they_are_so_a_phone_forgets_them_at_log_out(app, client, other_client, anon):
    def account(who) -> str:
        return BeautifulSoup(who.get("/").get_data(as_text=True), "html.parser").html["data-account"]

    assert account(anon) == ""
    mine, theirs = account(client), account(other_client)
    assert re.fullmatch(r"[0-9a-f]{16}", mine) and mine != theirs and mine == account(client)
    assert str(user(MEMBER).id) != mine  # names no one
