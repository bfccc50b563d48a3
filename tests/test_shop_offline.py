"""The list in the shop with a weak signal, in a real Chromium (Debian's, driven by Playwright)
against a live server: the page a family of four reads on a phone, what it prints, and the offline
worker. A list opened once opens again without a signal, with its week and recipes; ticks made
without a signal wait on the phone and are saved one by one when it returns, keeping what a second
phone ticked meanwhile; logging out forgets every kept page.
"""
from __future__ import annotations

import io
import re
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from conftest import MEMBER, PASSWORD, make_app, user
from planner.extensions import db
from planner.plans import service as plans, store as plan_store
from planner.shopping import service as shopping
from test_family_week import FAMILY, MONDAY

SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "shop-mode"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PAGES = "gut-planner-pages"


@pytest.fixture
def family_plan(database: str) -> Iterator[int]:
    """A week for the family of four in the MEMBER's household; the plan's id."""
    setup = make_app(database)
    with setup.app_context():
        home = user(MEMBER).household_id
        profile = plan_store.save_profile(db.session, plans.parse_profile(db.session, FAMILY), None, home)
        row, _ = plans.create_plan(db.session, plan_store.profile_of(profile), MONDAY, profile.id, home)
        plan_id = row.id
        db.session.remove()
        db.engine.dispose()
    yield plan_id


class Signal:
    """The phone's signal: a loopback relay between the browser and the live server. Cut, it
    closes every open connection and answers new ones by hanging up, so nothing the phone sends
    reaches the server, however the browser's own offline switch is timed."""

    def __init__(self, target: str) -> None:
        where = urlsplit(target)
        self.upstream = (where.hostname or "127.0.0.1", where.port or 80)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.on = True
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            self.on = False
            for connection in self.open:
                connection.close()
            self.open.clear()

    def restore(self) -> None:
        with self.lock:
            self.on = True

    def close(self) -> None:
        self.cut()
        self.listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                if not self.on:
                    client.close()
                    continue
                try:
                    server = socket.create_connection(self.upstream)
                except OSError:  # the server went away: hang up on the phone, keep relaying
                    client.close()
                    continue
                self.open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def signal(live_server: str) -> Iterator[Signal]:
    relay = Signal(live_server)
    yield relay
    relay.close()


def _phone(browser: Browser, live_server: str) -> tuple[BrowserContext, Page]:
    """A phone logged in as the MEMBER."""
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.goto("/account/login")
    page.get_by_label("Email").fill(MEMBER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Log in")).click()
    expect(page.get_by_role("link", name="Log in")).to_have_count(0)
    return context, page


def _kept(page: Page) -> list[str]:
    """The paths (and queries) of the pages the worker keeps."""
    return page.evaluate(f"""async () => {{
        const cache = await caches.open("{PAGES}");
        return (await cache.keys()).map((r) => {{ const u = new URL(r.url); return u.pathname + u.search; }});
    }}""")


def _open_list(page: Page, plan_id: int) -> None:
    """Open the list online and wait until the worker has kept it with its week and recipes."""
    page.goto(f"/shopping/plans/{plan_id}")
    expect(page.locator("[data-offline-ready]")).to_be_visible(timeout=30000)
    _until(page, "() => navigator.serviceWorker.controller !== null")


def _until(page: Page, script: str, seconds: float = 30) -> None:
    """Wait until the script answers true. (wait_for_function evaluates a string in the page, which
    the site's Content-Security-Policy forbids.)"""
    for _ in range(int(seconds * 10)):
        if page.evaluate(script):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"never true: {script}")


def _cut_off(signal: Signal, context: BrowserContext, page: Page) -> None:
    """Take the phone off the network and wait until the page's own requests fail. The relay is
    cut as well: on a busy machine Chromium's offline switch has let a request through."""
    signal.cut()
    context.set_offline(True)
    _offline(page)


def _back_online(signal: Signal, context: BrowserContext) -> None:
    signal.restore()
    context.set_offline(False)


def _offline(page: Page) -> None:
    """Wait until a request from the page fails."""
    _until(page, "() => fetch('/api/v1/openapi.json', {cache: 'no-store'}).then(() => false, () => true)")


def _ticked(database: str, plan_id: int) -> set[str]:
    app = make_app(database)
    with app.app_context():
        found = {i.key for i in shopping.shopping_list(db.session, shopping.plan_scope(db.session, plan_id)).items()
                 if i.checked}
        db.session.remove()
        db.engine.dispose()
    return found


def test_the_family_list_is_compact_on_a_phone_and_prints_on_two_pages(browser: Browser, live_server: str,
                                                                        family_plan: int) -> None:
    context, page = _phone(browser, live_server)
    page.goto(f"/shopping/plans/{family_plan}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=str(SHOTS / "list-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # One line an item: 69 items were 13,900 px tall with every meal and action shown.
    lines = page.locator("li.item").count()
    assert lines > 50 and height < 80 * lines + 1500, (height, lines)
    first = page.locator("li.item").first
    expect(first.locator(".meals")).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator(".meals")).to_be_visible()
    expect(first.get_by_role("button", name=re.compile("^Remove"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "list-phone-open.png"))

    # A tick moves the line to the basket at once; the switch hides the basket, and the phone keeps
    # the choice.
    box = first.locator("input[name=item]").get_attribute("id")
    with page.expect_response(lambda r: r.request.method == "POST" and "/ticks" in r.url):
        page.locator(f"#{box}").check()
    expect(page.locator(f"#basket #{box}")).to_be_checked()
    switch = page.get_by_role("button", name="Hide ticked")
    switch.click()
    expect(switch).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#basket")).to_be_hidden()
    page.reload()
    expect(page.locator("#basket")).to_be_hidden()
    page.get_by_role("button", name="Hide ticked").click()
    expect(page.locator(f"#basket #{box}")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SHOTS / "list-desktop.png"), full_page=True)
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    assert len(printed.pages) <= 2
    text = " ".join(p.extract_text() for p in printed.pages)
    assert "Check you have" in text and "Remove" not in text and "Add something" not in text
    context.close()


def test_the_list_works_in_the_shop_without_a_signal(browser: Browser, live_server: str, database: str,
                                                     family_plan: int, signal: Signal) -> None:
    context, page = _phone(browser, signal.url)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    _open_list(page, family_plan)
    kept = _kept(page)
    assert f"/shopping/plans/{family_plan}" in kept and f"/plans/{family_plan}" in kept
    assert any(path.startswith("/recipes/") for path in kept), kept
    assert all(re.match(r"^/(plans|recipes|shopping)/", path) for path in kept), kept  # pages only, no API or POST

    _cut_off(signal, context, page)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shopping list")
    _offline(page)
    boxes = page.locator("form[data-ticks] li.item input[name=item]")
    first, second, third = (boxes.nth(n).get_attribute("id") for n in (0, 1, 2))
    for box in (first, second):
        page.locator(f"#{box}").check()
        expect(page.locator(f"#basket #{box}")).to_be_checked()
    expect(page.locator("[data-sync-status]")).to_contain_text("2 ticks waiting to be saved")
    page.screenshot(path=str(SHOTS / "offline-waiting.png"))
    page.reload()  # still without a signal: the ticks wait on the phone, and the page shows them
    _offline(page)
    expect(page.locator(f"#basket #{first}")).to_be_checked()
    expect(page.locator("[data-sync-status]")).to_contain_text("2 ticks waiting to be saved")
    assert _ticked(database, family_plan) == set()

    # A second phone of the household, with a signal, ticks a third item meanwhile.
    other, second_phone = _phone(browser, live_server)
    second_phone.goto(f"/shopping/plans/{family_plan}")
    with second_phone.expect_response(lambda r: r.request.method == "POST" and "/ticks" in r.url) as saved:
        second_phone.locator(f"#{third}").check()
    assert saved.value.ok

    _back_online(signal, context)  # the signal returns: the waiting ticks are sent, one item at a time
    expect(page.locator("[data-sync]")).to_be_hidden(timeout=30000)
    keys = {page.locator(f"#{box}").get_attribute("value") for box in (first, second, third)}
    assert _ticked(database, family_plan) == keys
    page.reload()
    for box in (first, second, third):
        expect(page.locator(f"#basket #{box}")).to_be_checked()
    assert not problems, problems
    other.close()
    context.close()


def test_a_tick_for_an_item_removed_meanwhile_is_dropped_with_a_note(browser: Browser, live_server: str,
                                                                    database: str, family_plan: int,
                                                                    signal: Signal) -> None:
    context, page = _phone(browser, signal.url)
    _open_list(page, family_plan)
    _cut_off(signal, context, page)
    line = page.locator("form[data-ticks] li.item").first
    name = line.locator("label strong").inner_text()
    food = line.get_attribute("data-key").removeprefix("food:")
    line.locator("input[name=item]").check()
    expect(page.locator("[data-sync-status]")).to_contain_text("1 tick waiting to be saved")

    other, second_phone = _phone(browser, live_server)  # someone takes the item off the list meanwhile
    second_phone.goto(f"/shopping/plans/{family_plan}")
    theirs = second_phone.locator(f"li[data-key='food:{food}']")
    theirs.locator("summary").click()
    theirs.get_by_role("button", name=f"Remove {name} from the list").click()
    expect(second_phone.get_by_role("heading", name="Removed from the list")).to_be_visible()
    other.close()

    _back_online(signal, context)
    expect(page.locator("[data-sync-notes]")).to_contain_text(f"{name}: taken off this list meanwhile")
    expect(page.locator("[data-sync-status]")).to_have_text("")
    assert page.evaluate("localStorage.getItem('gut-planner:tick-queue')") is None  # not tried again
    context.close()


def test_the_week_and_a_recipe_open_offline_once_visited_and_log_out_forgets_them(
        browser: Browser, live_server: str, family_plan: int, signal: Signal) -> None:
    context, page = _phone(browser, signal.url)
    _open_list(page, family_plan)
    page.goto(f"/plans/{family_plan}")
    week_title = page.get_by_role("heading", level=1).inner_text()
    recipe = page.locator("a.dish").first
    recipe_title = recipe.inner_text()
    recipe.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(recipe_title)
    recipe_path = page.evaluate("location.pathname + location.search")

    _cut_off(signal, context, page)
    page.goto(f"/plans/{family_plan}")
    expect(page.get_by_role("heading", level=1)).to_have_text(week_title)
    page.goto(recipe_path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(recipe_title)
    page.goto("/foods/")  # never opened: the worker says so rather than the browser's error
    expect(page.get_by_role("heading", level=1)).to_have_text("No signal")
    page.screenshot(path=str(SHOTS / "offline-page-phone.png"))

    _back_online(signal, context)
    page.goto("/account/")
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    _until(page, f"""async () => !(await caches.has("{PAGES}")) ||
                     (await (await caches.open("{PAGES}")).keys()).length === 0""")
    _cut_off(signal, context, page)
    page.goto(f"/shopping/plans/{family_plan}")
    expect(page.get_by_role("heading", level=1)).to_have_text("No signal")
    context.close()


def test_the_app_can_be_installed(browser: Browser, live_server: str) -> None:
    """Chromium reads the manifest and its icons, and the worker takes over the page."""
    page = browser.new_page(base_url=live_server)
    page.goto("/")
    _until(page, "() => navigator.serviceWorker.controller !== null")
    manifest = page.evaluate("""async () => {
        const link = document.querySelector("link[rel=manifest]");
        const response = await fetch(link.href);
        return {type: response.headers.get("content-type"), body: await response.json()};
    }""")
    assert manifest["type"].startswith("application/manifest+json")
    assert manifest["body"]["display"] == "standalone"
    for icon in manifest["body"]["icons"]:
        answer = page.request.get(icon["src"])
        assert answer.ok and answer.headers["content-type"] == "image/png"
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => new URL(r.scope).pathname)")
    assert scope == "/"
    page.close()
