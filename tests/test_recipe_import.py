"""Reading recipes from web pages, pasted text and export files (planner.recipes.importing).

The saved pages in tests/data/pages are served by a real ThreadingHTTPServer on 127.0.0.1, with
extra routes that redirect (also to private addresses), answer 404, send JSON, stream without end,
declare a huge body, stall, drip, and gzip. Nothing here reaches the internet."""
from __future__ import annotations

import gzip
import http.server
import io
import json
import pickle
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.recipes import importing
from planner.recipes.importing import (FetchRules, ImportRefused, RecipeDraft, decode_page, draft_from_html,
                                       draft_from_text, draft_from_url, drafts_from_file, fetch_page)
from planner.refused import Invalid, TooLarge, Unavailable

DATA = Path(__file__).parent / "data"
PAGES = DATA / "pages"
EXPORTS = DATA / "exports"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load((PAGES / "expected.yaml").read_text(encoding="utf-8"))

OPEN = FetchRules(allow_private=True, timeout_s=5.0)
LOOPBACK_ONLY = FetchRules(allow_private=False, allow_addresses=("127.0.0.1/32",), timeout_s=5.0)


# --------------------------------------------------------------------------------------------
# A local web server
# --------------------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send_body(self, body: bytes, content_type: str = "text/html", status: int = 200,
                  headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: C901 - one route table
        path = self.path.split("?", 1)[0]
        port = self.server.server_address[1]  # type: ignore[index]
        if path.startswith("/pages/"):
            name = path.removeprefix("/pages/")
            file = PAGES / name
            if "/" in name or not file.is_file():
                self.send_body(b"<h1>Not found</h1>", status=404)
                return
            self.send_body(file.read_bytes(), "text/html")  # charset left to the page's <meta>
        elif path.startswith("/redirect/"):
            self.redirect("/pages/" + path.removeprefix("/redirect/"), 301)
        elif path == "/redirect-absolute":
            self.redirect(f"http://127.0.0.1:{port}/pages/goodfood-plain-fish-pie.html", 307)
        elif path == "/redirect-private":
            self.redirect("http://10.0.0.7/admin")
        elif path == "/redirect-metadata":
            self.redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect-ipv6-mapped":
            self.redirect("http://[::ffff:192.168.1.1]/")
        elif path == "/redirect-localhost-name":
            self.redirect(f"http://localhost:{port}/pages/wprm-graph-dal.html")
        elif path == "/redirect-ftp":
            self.redirect("ftp://127.0.0.1/recipe.html")
        elif path == "/redirect-loop":
            self.redirect("/redirect-loop")
        elif path == "/redirect-no-location":
            self.send_response(302)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/missing":
            self.send_body(b"<h1>Gone fishing</h1>", status=404)
        elif path == "/broken":
            self.send_body(b"<h1>Oops</h1>", status=500)
        elif path == "/json":
            self.send_body(b'{"@type": "Recipe", "name": "Not a page"}', "application/json")
        elif path == "/pdf":
            self.send_body(b"%PDF-1.4", "application/pdf")
        elif path == "/xhtml":
            body = (PAGES / "two-blocks-tomato-soup.html").read_bytes()
            self.send_body(body, "application/xhtml+xml; charset=utf-8")
        elif path == "/latin1-header":
            body = (PAGES / "latin1-gratin.html").read_bytes().replace(b"charset=iso-8859-1", b"")
            self.send_body(body, "text/html; charset=ISO-8859-1")
        elif path == "/gzip":
            self.send_body(gzip.compress((PAGES / "yoast-graph-traybake.html").read_bytes()), "text/html",
                           headers={"Content-Encoding": "gzip"})
        elif path == "/gzip-bomb":
            self.send_body(gzip.compress(b"<html>" + b" " * 20_000_000), "text/html",
                           headers={"Content-Encoding": "gzip"})
        elif path == "/brotli":
            self.send_body(b"\x1b\x03\x00\xf8", "text/html", headers={"Content-Encoding": "br"})
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(10**9))
            self.end_headers()
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"lentils " * 8000 + b"</p>"
            try:
                for _ in range(2000):  # 128 MB at most, far past any limit
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                pass
            self.close_connection = True
        elif path == "/slow":
            time.sleep(2.0)
            self.send_body(b"<h1>Too late</h1>")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"<p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
            self.close_connection = True
        elif path == "/echo-host":
            host = self.headers.get("Host", "")
            agent = self.headers.get("User-Agent", "")
            self.send_body(f"<html><head><title>{host}</title></head><body>{agent}</body></html>".encode())
        else:
            self.send_body(b"<h1>Not found</h1>", status=404)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def refused(reason: str) -> Iterator[pytest.ExceptionInfo[ImportRefused]]:
    """Like pytest.raises, for an ImportRefused of `reason` with a message."""
    with pytest.raises(ImportRefused) as caught:
        yield caught
    assert caught.value.reason == reason, repr(caught.value)
    assert caught.value.message


# --------------------------------------------------------------------------------------------
# Saved pages
# --------------------------------------------------------------------------------------------

def test_there_are_enough_saved_pages() -> None:
    pages = sorted(p.name for p in PAGES.glob("*.html"))
    assert len(pages) >= 16
    assert sorted(EXPECTED) == pages


def check_draft(draft: RecipeDraft, expected: dict[str, Any], base: str) -> None:
    assert draft.title == expected["title"]
    assert len(draft.lines) == expected["lines"], draft.lines
    assert len(draft.steps) == expected["steps"], draft.steps
    assert draft.servings == expected["servings"]
    assert draft.total_minutes == expected["total_minutes"]
    if "yield_text" in expected:
        assert draft.yield_text == expected["yield_text"]
    if "image_url" in expected:
        image = expected["image_url"]
        assert draft.image_url == (base + image if image.startswith("/") else image)
    if "source_name" in expected:
        assert draft.source_name == expected["source_name"]
    if "has_line" in expected:
        assert expected["has_line"] in draft.lines
    if "has_step" in expected:
        assert expected["has_step"] in draft.steps
    for text in (draft.title, draft.description, *draft.lines, *draft.steps):
        assert "<" not in text and "&amp;" not in text and "&quot;" not in text and "\n" not in text, text
    assert all(s.strip() == s and s for s in draft.steps)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_saved_page_read_over_http(server: str, name: str) -> None:
    expected = EXPECTED[name]
    url = f"{server}/pages/{name}"
    if "error" in expected:
        with refused(expected["error"]):
            draft_from_url(url, OPEN)
        return
    draft = draft_from_url(url, OPEN)
    check_draft(draft, expected, server)
    assert draft.source_url == url


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_saved_page_read_from_its_html(name: str) -> None:
    expected = EXPECTED[name]
    html = decode_page((PAGES / name).read_bytes())
    if "error" in expected:
        with refused(expected["error"]):
            draft_from_html(html)
        return
    draft = draft_from_html(html, "http://127.0.0.1:1/pages/" + name)
    check_draft(draft, expected, "http://127.0.0.1:1")


def test_page_details() -> None:
    dal = draft_from_html((PAGES / "wprm-graph-dal.html").read_text(encoding="utf-8"))
    assert dal.lines[0] == "For the dal:" and "juice of ½ lemon" in dal.lines
    assert (dal.prep_minutes, dal.cook_minutes) == (10, 35)
    assert {"Indian", "Main Course", "dal"} <= set(dal.keywords)
    assert dal.source_url == "https://thesundaypot.example/red-lentil-dal/"  # no address given: the page's own
    assert dal.image_url is not None and dal.image_url.startswith("https://thesundaypot.example/")
    lasagne = draft_from_html((PAGES / "howtosection-lasagne.html").read_text(encoding="utf-8"))
    assert "Make the ragù" not in lasagne.steps  # section names are not steps
    assert lasagne.steps[0].startswith("Heat the oil") and lasagne.steps[-1].startswith("Bake for 40-45")
    pancakes = draft_from_html((PAGES / "entities-tags-pancakes.html").read_text(encoding="utf-8"))
    assert pancakes.lines[0] == "200 g plain flour"
    assert "25 g butter, melted & cooled, plus extra for frying" in pancakes.lines
    assert pancakes.description.startswith("Thick, soft pancakes with bursting blueberries – ")
    assert pancakes.steps[3] == ("Cook for 2–3 minutes until bubbles appear on top, then flip and cook for 1–2 "
                                 "minutes more.")
    risotto = draft_from_html((PAGES / "raw-newlines-risotto.html").read_text(encoding="utf-8"))
    assert risotto.steps[0] == ("Soak the porcini in 200ml of boiling water for 10 minutes. Lift them out, chop them, "
                                "and add the soaking liquid to the stock.")
    minestrone = draft_from_html((PAGES / "microdata-minestrone.html").read_text(encoding="utf-8"))
    assert minestrone.title == "Nonna's Minestrone"  # not the nested Person's name
    assert minestrone.lines[5] == "1 tbsp tomato purée"
    assert minestrone.steps[1] == "Add the garlic and tomato purée and cook for 2 minutes, stirring."
    assert (minestrone.prep_minutes, minestrone.cook_minutes) == (20, 45)


def test_broken_json_ld_still_read_when_recipe_scrapers_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "_from_scraper", lambda html, url: None)
    for name, expected in EXPECTED.items():
        if "error" in expected:
            continue
        draft = draft_from_html(decode_page((PAGES / name).read_bytes()), "http://127.0.0.1:1/pages/" + name)
        assert (draft.title, len(draft.lines) if "wprm" not in name else len(draft.lines) + 2, len(draft.steps)) == \
            (expected["title"], expected["lines"], expected["steps"]), name  # WPRM's group names come from its HTML


def test_large_page_near_the_limit(server: str) -> None:
    html = (PAGES / "goodfood-plain-fish-pie.html").read_text(encoding="utf-8")
    filler = "<p>" + "A long story about the seaside and my grandmother's kitchen. " * 40 + "</p>\n"
    big = html.replace("<main", filler * ((2_900_000 - len(html)) // len(filler)) + "<main", 1)
    assert 2_800_000 < len(big.encode()) < 3_000_000
    draft = draft_from_html(big)
    assert draft.title == "Family fish pie" and len(draft.lines) == 14
    with refused("too-large"):
        draft_from_html("<p>" + "x" * importing.MAX_HTML_CHARS)


def test_no_recipe_anywhere() -> None:
    for html in ("", "<html><body><h1>Hello</h1></body></html>", "just some words",
                 '<script type="application/ld+json">{"@type": "Recipe", "name": "Empty"}</script>',
                 '<script type="application/ld+json">{{{{</script>'):
        with refused("no-recipe"):
            draft_from_html(html)


def test_limits_on_lines_steps_and_title() -> None:
    recipe = {"@context": "https://schema.org", "@type": "Recipe", "name": "Soup " * 100,
              "recipeIngredient": [f"{i} g of something" for i in range(1, 301)],
              "recipeInstructions": [f"Do thing number {i}." for i in range(1, 201)]}
    html = f'<script type="application/ld+json">{json.dumps(recipe)}</script>'
    draft = draft_from_html(html)
    assert len(draft.lines) == importing.MAX_LINES and len(draft.steps) == importing.MAX_STEPS
    assert len(draft.title) <= importing.MAX_TITLE and draft.title.endswith("…")
    assert draft.lines[0] == "1 g of something"


# --------------------------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------------------------

def test_loopback_refused_unless_allowed(server: str) -> None:
    url = f"{server}/pages/goodfood-plain-fish-pie.html"
    with refused("not-allowed"):
        fetch_page(url, FetchRules())
    final, html = fetch_page(url, FetchRules(allow_private=True))
    assert final == url and "Family fish pie" in html
    port = server.rsplit(":", 1)[1]
    with refused("not-allowed"):
        fetch_page(f"http://localhost:{port}/pages/goodfood-plain-fish-pie.html", FetchRules())
    with refused("not-allowed"):
        fetch_page(f"http://[::1]:{port}/", FetchRules())


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.0.10", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
    "240.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "ff02::1", "::ffff:127.0.0.1",
    "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1"])
def test_private_addresses_refused(address: str) -> None:
    assert not importing._allowed(address, FetchRules())
    assert importing._allowed(address, FetchRules(allow_private=True))


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_allowed(address: str) -> None:
    assert importing._allowed(address, FetchRules())


def test_redirects_followed_and_every_hop_checked(server: str) -> None:
    final, html = fetch_page(f"{server}/redirect/two-blocks-tomato-soup.html", LOOPBACK_ONLY)
    assert final == f"{server}/pages/two-blocks-tomato-soup.html" and "Roasted Tomato Soup" in html
    final, _ = fetch_page(f"{server}/redirect-absolute", LOOPBACK_ONLY)
    assert final.endswith("/pages/goodfood-plain-fish-pie.html")
    draft = draft_from_url(f"{server}/redirect/two-blocks-tomato-soup.html", LOOPBACK_ONLY)
    assert draft.source_url == f"{server}/pages/two-blocks-tomato-soup.html"
    for route in ("/redirect-private", "/redirect-metadata", "/redirect-ipv6-mapped"):
        with refused("not-allowed"):
            fetch_page(server + route, LOOPBACK_ONLY)
    with refused("bad-address"):
        fetch_page(server + "/redirect-ftp", OPEN)
    with refused("http-error"):
        fetch_page(server + "/redirect-loop", OPEN)
    with refused("http-error"):
        fetch_page(server + "/redirect-no-location", OPEN)


def test_redirect_to_a_name_that_resolves_privately(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo
    asked: list[str] = []

    def resolver(host: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(host)
        if host == "localhost":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", args[0] if args else 80)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.20", args[0] if args else 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolver)
    with refused("not-allowed"):  # one of its addresses is private: the name is refused
        fetch_page(f"{server}/redirect-localhost-name", LOOPBACK_ONLY)
    assert asked == ["localhost"]


def test_too_many_redirects(server: str) -> None:
    rules = FetchRules(allow_private=True, max_redirects=0)
    with refused("http-error") as caught:
        fetch_page(f"{server}/redirect/two-blocks-tomato-soup.html", rules)
    assert "redirect" in caught.value.message


def test_http_errors(server: str) -> None:
    with refused("http-error") as caught:
        fetch_page(server + "/missing", OPEN)
    assert "404" in caught.value.message
    with refused("http-error") as caught:
        fetch_page(server + "/broken", OPEN)
    assert "500" in caught.value.message
    with refused("http-error"):
        fetch_page(server + "/pages/nope.html", OPEN)


def test_not_html(server: str) -> None:
    with refused("not-html") as caught:
        fetch_page(server + "/json", OPEN)
    assert "application/json" in caught.value.message
    with refused("not-html"):
        fetch_page(server + "/pdf", OPEN)
    _final, html = fetch_page(server + "/xhtml", OPEN)
    assert "Roasted Tomato Soup" in html


def test_too_large(server: str) -> None:
    with refused("too-large"):
        fetch_page(server + "/huge-declared", OPEN)
    started = time.monotonic()
    with refused("too-large"):
        fetch_page(server + "/endless", OPEN)
    assert time.monotonic() - started < 5
    with refused("too-large"):
        fetch_page(server + "/pages/wprm-graph-dal.html", FetchRules(allow_private=True, max_bytes=5_000))
    with refused("too-large"):
        fetch_page(server + "/gzip-bomb", OPEN)


def test_timeouts(server: str) -> None:
    started = time.monotonic()
    with refused("timeout"):
        fetch_page(server + "/slow", FetchRules(allow_private=True, timeout_s=0.5))
    assert time.monotonic() - started < 1.5
    started = time.monotonic()
    with refused("timeout"):  # bytes keep coming, but the whole fetch has its time
        fetch_page(server + "/drip", FetchRules(allow_private=True, timeout_s=0.5))
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("url", [
    "ftp://127.0.0.1/recipe.html", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,<h1>x</h1>",
    "", "   ", "not a url", "http://", "http:///path", "http://exa mple.com/", "http://example.com:99999/",
    "http://[::1/", "https://user:secret@example.com/", "//example.com/recipe", "http://\u0000.com/",
    "http://" + "a" * 3000 + ".com/", "gopher://example.com/"])
def test_bad_addresses(url: str) -> None:
    with refused("bad-address"):
        fetch_page(url, OPEN)


def test_unknown_host_is_a_bad_address(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with refused("bad-address"):
        fetch_page("https://no-such-host.invalid/recipe", FetchRules())


def test_resolved_once_and_connected_as_checked(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the first answer is checked and connected to; a second, private answer
    (which a later lookup might give) is never asked for. The Host header names the site."""
    port = int(server.rsplit(":", 1)[1])
    answers = [[(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))],
               [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port))]]
    calls: list[str] = []

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(host)
        return answers[min(len(calls) - 1, 1)]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    final, html = fetch_page(f"http://recipes.test:{port}/echo-host", LOOPBACK_ONLY)
    assert calls == ["recipes.test"]
    assert f"<title>recipes.test:{port}</title>" in html and "GutPlanner/0.1" in html
    with refused("not-allowed"):  # the next lookup answers a private address, refused before connecting
        fetch_page(f"http://recipes.test:{port}/echo-host", LOOPBACK_ONLY)


def test_charsets(server: str) -> None:
    _final, html = fetch_page(server + "/pages/latin1-gratin.html", OPEN)
    assert "crème fraîche" in html
    _final, html = fetch_page(server + "/latin1-header", OPEN)
    assert "crème fraîche" in html
    assert decode_page("café".encode("cp1252"), "text/html; charset=windows-1252") == "café"
    assert decode_page(b"\xef\xbb\xbfcaf\xc3\xa9") == "café"
    assert decode_page(b"caf\xff", "text/html; charset=no-such-charset") == "caf\ufffd"


def test_gzip(server: str) -> None:
    draft = draft_from_url(server + "/gzip", OPEN)
    assert draft.title == "Lemon & Herb Chicken Traybake"
    with refused("http-error"):  # not asked for, not readable
        fetch_page(server + "/brotli", OPEN)


def test_refusals_are_domain_errors() -> None:
    assert isinstance(ImportRefused("no-recipe", "x"), Invalid)
    assert isinstance(ImportRefused("too-large", "x"), TooLarge)
    assert isinstance(ImportRefused("timeout", "x"), Unavailable)
    error = ImportRefused("http-error", "The page answered 404")
    assert isinstance(error, ImportRefused) and error.reason == "http-error" and str(error) == "The page answered 404"
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ImportRefused) and isinstance(copy, Unavailable)
    assert (copy.reason, copy.message) == ("http-error", error.message)


# --------------------------------------------------------------------------------------------
# Pasted text
# --------------------------------------------------------------------------------------------

WITH_HEADINGS = """Weeknight Dal

A quick, comforting lentil dish.

Serves 4 | Prep 10 mins | Cook 30 mins

Ingredients
- 250g red lentils
- 1 onion, chopped
- 2 garlic cloves
• 1 tsp turmeric
* 400ml coconut milk
For the tarka
2 tbsp ghee
1 tsp cumin seeds

Method
1. Rinse the lentils.
2. Fry the onion until soft, then add the garlic
and turmeric.
3. Add the lentils and coconut milk and simmer for 25 minutes.
4. Heat the ghee, fry the cumin seeds and pour over.

Notes
Keeps for 3 days.
"""

WITHOUT_HEADINGS = """Banana pancakes
2 ripe bananas
2 eggs
50g self-raising flour
pinch of cinnamon
butter for frying
Mash the bananas and whisk in the eggs.
Stir in the flour and cinnamon.
Fry spoonfuls in butter for 2 minutes a side.
"""

SHOUTING = """CHICKEN NOODLE SOUP
Prep time: 15 minutes
Total time: 45 mins
Makes 6 bowls
INGREDIENTS:
1.5 litres chicken stock
2 chicken breasts
150g egg noodles
2 carrots, sliced
DIRECTIONS:
Step 1: Bring the stock to a simmer and poach the chicken for 15 minutes.
Step 2: Shred the chicken.
Step 3: Add the carrots and noodles and cook for 5 minutes, then return the chicken.
"""

MARKDOWN = """# Shakshuka

**Serves:** 2-3
**Total time:** 1 hour 5 mins

## You will need
* 2 tbsp olive oil
* 1 onion, sliced
* ½ tsp cumin
* 4 eggs

## Instructions
1) Soften the onion in the oil.
2) Add the cumin and tomatoes and simmer.
3) Crack in the eggs, cover and cook until set.
"""

ONE_PARAGRAPH_METHOD = """Quick flatbreads
Ingredients:
200g self-raising flour
200g natural yoghurt
Method:
1. Mix the flour and yoghurt into a dough. 2. Divide into 4 and roll out thinly. 3. Cook in a hot dry pan for 2 \
minutes a side.
"""


def test_text_with_headings() -> None:
    draft = draft_from_text(WITH_HEADINGS)
    assert draft.title == "Weeknight Dal"
    assert draft.lines == ("250g red lentils", "1 onion, chopped", "2 garlic cloves", "1 tsp turmeric",
                           "400ml coconut milk", "For the tarka:", "2 tbsp ghee", "1 tsp cumin seeds")
    assert draft.steps == ("Rinse the lentils.", "Fry the onion until soft, then add the garlic and turmeric.",
                           "Add the lentils and coconut milk and simmer for 25 minutes.",
                           "Heat the ghee, fry the cumin seeds and pour over.")
    assert (draft.servings, draft.yield_text) == (4, "Serves 4")
    assert (draft.prep_minutes, draft.cook_minutes, draft.total_minutes) == (10, 30, 40)
    assert draft.description == "A quick, comforting lentil dish. Keeps for 3 days."


def test_text_without_headings() -> None:
    draft = draft_from_text(WITHOUT_HEADINGS)
    assert draft.title == "Banana pancakes"
    assert draft.lines == ("2 ripe bananas", "2 eggs", "50g self-raising flour", "pinch of cinnamon",
                           "butter for frying")
    assert len(draft.steps) == 3 and draft.steps[0] == "Mash the bananas and whisk in the eggs."
    assert draft.servings is None and draft.total_minutes is None


def test_text_with_step_labels_and_capitals() -> None:
    draft = draft_from_text(SHOUTING)
    assert draft.title == "CHICKEN NOODLE SOUP"
    assert len(draft.lines) == 4 and draft.lines[0] == "1.5 litres chicken stock"
    assert draft.steps[1] == "Shred the chicken."
    assert (draft.servings, draft.prep_minutes, draft.total_minutes) == (6, 15, 45)


def test_text_in_markdown() -> None:
    draft = draft_from_text(MARKDOWN)
    assert draft.title == "Shakshuka"
    assert draft.lines == ("2 tbsp olive oil", "1 onion, sliced", "½ tsp cumin", "4 eggs")
    assert draft.steps == ("Soften the onion in the oil.", "Add the cumin and tomatoes and simmer.",
                           "Crack in the eggs, cover and cook until set.")
    assert (draft.servings, draft.total_minutes) == (2, 65)


def test_text_with_one_numbered_paragraph() -> None:
    draft = draft_from_text(ONE_PARAGRAPH_METHOD)
    assert draft.lines == ("200g self-raising flour", "200g natural yoghurt")
    assert draft.steps == ("Mix the flour and yoghurt into a dough.", "Divide into 4 and roll out thinly.",
                           "Cook in a hot dry pan for 2 minutes a side.")


def test_text_refusals() -> None:
    for text in ("", "   \n\n  ", "Just a title"):
        with refused("no-recipe"):
            draft_from_text(text)
    with refused("too-large"):
        draft_from_text("1 egg\n" * 50_000)


def test_text_limits() -> None:
    text = "Big batch\nIngredients\n" + "".join(f"{i} g thing\n" for i in range(1, 200)) + \
        "Method\n" + "".join(f"{i}. Stir it again, patiently.\n" for i in range(1, 99))
    draft = draft_from_text(text)
    assert len(draft.lines) == 100 and len(draft.steps) == 60


# --------------------------------------------------------------------------------------------
# Durations and yields
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "minutes"), [
    ("PT1H30M", 90), ("PT90M", 90), ("P0DT1H30M0S", 90), ("PT0.5H", 30), ("P1D", 1440), ("PT45S", 1),
    ("1 hour 20 mins", 80), ("1 hr 5 min", 65), ("45 minutes", 45), ("1h30", 90), ("1:30", 90), ("90", 90),
    ("20-25 minutes", 25), ("1½ hours", 90), ("an hour", 60), ("half an hour", 30), ("2 hrs", 120),
    (15, 15), ({"maxValue": "PT20M"}, 20), ("PT0M", None), ("", None), ("soon", None), (None, None),
    ("P30D", None), (True, None)])
def test_minutes(value: Any, minutes: int | None) -> None:
    assert importing.parse_minutes(value) == minutes


@pytest.mark.parametrize(("text", "servings"), [
    ("4", 4), ("Serves 4-6", 4), ("Makes 12 muffins", 12), ("4 servings", 4), ("serves two", 2),
    ("Makes a dozen", 12), ("a few", None), ("0", None), ("", None)])
def test_servings(text: str, servings: int | None) -> None:
    assert importing.parse_servings(text) == servings


# --------------------------------------------------------------------------------------------
# Export files
# --------------------------------------------------------------------------------------------

def mealie_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted((EXPORTS / "mealie").rglob("*.json")):
            archive.write(file, file.relative_to(EXPORTS / "mealie").as_posix())
        archive.writestr("recipes/smoky-hummus/images/original.webp", b"RIFF\x00\x00\x00\x00WEBP")
    return buffer.getvalue()


def tandoor_zip() -> bytes:
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        for folder in sorted((EXPORTS / "tandoor").iterdir()):
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as recipe_zip:
                recipe_zip.write(folder / "recipe.json", "recipe.json")
                recipe_zip.writestr("image.jpg", b"\xff\xd8\xff\xe0")
            archive.writestr(folder.name + ".zip", inner.getvalue())
    return outer.getvalue()


def test_mealie_export() -> None:
    oats, hummus = drafts_from_file("mealie_2024.zip", mealie_zip())
    assert oats.title == "Overnight Oats with Berries" and oats.source_name == "Mealie"
    assert oats.lines == ("100 g rolled oats", "2 tbsp chia seeds", "250 ml milk or oat milk", "4 tbsp natural yoghurt",
                          "1 tsp honey", "Topping:", "150 g mixed berries, fresh or frozen",
                          "1 tbsp toasted flaked almonds")
    assert len(oats.steps) == 3
    assert (oats.servings, oats.yield_text, oats.prep_minutes, oats.total_minutes) == (2, "2 jars", 10, 490)
    assert oats.source_url == "https://example.org/overnight-oats"
    assert oats.keywords == ("Breakfast", "No cook", "High fibre")
    assert hummus.lines[0] == "2 x 400g tins chickpeas, drained (keep the liquid)" and len(hummus.lines) == 6
    assert (hummus.servings, hummus.total_minutes) == (6, 15)


def test_single_mealie_recipe_json() -> None:
    data = (EXPORTS / "mealie/recipes/smoky-hummus/smoky-hummus.json").read_bytes()
    (draft,) = drafts_from_file("smoky-hummus.json", data)
    assert draft.title == "Smoky Hummus" and len(draft.steps) == 3 and draft.source_name == "Mealie"


def test_tandoor_export() -> None:
    soup, salmon = drafts_from_file("export.zip", tandoor_zip())  # inner zips in name order
    assert soup.title == "Carrot & Red Lentil Soup" and soup.source_name == "Tandoor"
    assert soup.lines[0] == "1 onion, chopped" and soup.lines[-1] == "salt and pepper" and len(soup.lines) == 7
    assert (soup.servings, soup.yield_text, soup.prep_minutes, soup.cook_minutes, soup.total_minutes) == \
        (4, "4 bowls", 10, 20, 30)
    assert salmon.lines == ("Potatoes:", "500 g new potatoes, halved", "2 tbsp olive oil", "Salmon:",
                            "4 salmon fillets, skin on", "250 g tenderstem broccoli", "For the dressing:",
                            "0.5 lemon, juiced", "1 tsp wholegrain mustard", "1 tsp honey")
    assert len(salmon.steps) == 2 and salmon.keywords == ("fish", "traybake")
    single = io.BytesIO()
    with zipfile.ZipFile(single, "w") as archive:
        archive.write(EXPORTS / "tandoor/salmon-traybake/recipe.json", "recipe.json")
    (only,) = drafts_from_file("salmon.zip", single.getvalue())
    assert only == salmon


def test_schema_org_json_file() -> None:
    porridge, quesadillas = drafts_from_file("recipes.json", (EXPORTS / "schema-org-recipes.json").read_bytes())
    assert porridge.title == "Apple & Cinnamon Porridge" and porridge.servings == 2 and porridge.yield_text == "2 bowls"
    assert len(porridge.lines) == 5 and len(porridge.steps) == 3 and porridge.source_name == "Family Recipe Box"
    assert quesadillas.total_minutes == 15 and len(quesadillas.steps) == 3
    assert quesadillas.image_url == "https://familyrecipebox.example/img/quesadillas.jpg"
    as_list = json.dumps([{"@context": "https://schema.org", "@type": "Recipe", "name": "Toast",
                           "recipeIngredient": ["2 slices bread"], "recipeInstructions": "Toast the bread."}])
    (toast,) = drafts_from_file("toast.json", as_list.encode())
    assert toast.title == "Toast" and toast.steps == ("Toast the bread.",)


def test_saved_page_and_text_files() -> None:
    (gratin,) = drafts_from_file("gratin.html", (PAGES / "latin1-gratin.html").read_bytes())
    assert "20 cl de crème fraîche épaisse" in gratin.lines
    (dal,) = drafts_from_file("dal.txt", WITH_HEADINGS.encode())
    assert dal.title == "Weeknight Dal"


def test_file_refusals() -> None:
    with refused("too-large"):
        drafts_from_file("big.json", b" " * (importing.MAX_FILE_BYTES + 1))
    with refused("bad-file"):
        drafts_from_file("broken.json", b"{not json at all")
    with refused("bad-file"):
        drafts_from_file("broken.zip", b"PK\x03\x04 this is not really a zip")
    with refused("no-recipe"):
        drafts_from_file("empty.json", b'{"hello": "world"}')
    with refused("no-recipe"):
        drafts_from_file("list.json", b"[1, 2, 3]")


def zip_of(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bombs_refused() -> None:
    recipe = (EXPORTS / "mealie/recipes/smoky-hummus/smoky-hummus.json").read_bytes()
    with refused("too-large"):  # 2,001 entries
        drafts_from_file("many.zip", zip_of({f"recipes/r{i}/r{i}.json": b"{}" for i in range(2001)}))
    bomb = zip_of({"recipes/smoky-hummus/smoky-hummus.json": recipe, "padding.bin": b"\0" * 101_000_000})
    assert len(bomb) < 1_000_000
    with refused("too-large"):
        drafts_from_file("bomb.zip", bomb)
    inner = zip_of({"recipe.json": b"\0" * 60_000_000})
    nested = zip_of({"a.zip": inner, "b.zip": inner})  # each alone under the limit, together over it
    with refused("too-large"):
        drafts_from_file("nested.zip", nested)


def test_zip_with_path_traversal_refused() -> None:
    recipe = (EXPORTS / "mealie/recipes/smoky-hummus/smoky-hummus.json").read_bytes()
    for name in ("../../etc/recipes/x/x.json", "recipes/../../x.json", "/abs/recipes/x/x.json", "..\\evil.json"):
        with refused("bad-file"):
            drafts_from_file("evil.zip", zip_of({"recipes/smoky-hummus/smoky-hummus.json": recipe, name: b"{}"}))


def test_export_with_one_bad_recipe_keeps_the_rest() -> None:
    recipe = (EXPORTS / "mealie/recipes/smoky-hummus/smoky-hummus.json").read_bytes()
    data = zip_of({"recipes/smoky-hummus/smoky-hummus.json": recipe, "recipes/broken/broken.json": b"{oops"})
    (hummus,) = drafts_from_file("mealie.zip", data)
    assert hummus.title == "Smoky Hummus"
    with refused("bad-file"):
        drafts_from_file("mealie.zip", zip_of({"recipes/broken/broken.json": b"{oops"}))


# --------------------------------------------------------------------------------------------
# Never anything but ImportRefused
# --------------------------------------------------------------------------------------------

JSON_LD_BITS = st.sampled_from([
    '<script type="application/ld+json">', "</script>", '{"@type": "Recipe", ', '"name": "x",', '"recipeIngredient": [',
    '"recipeInstructions": ', '{"@type": "HowToSection", "itemListElement": [', '"1 egg"', "]", "}", ",", "&quot;",
    "<p>", "<br>", "\n", '"@graph": [', '"recipeYield": ["4", "4 servings"],', '"totalTime": "PT1H',
    'itemtype="http://schema.org/Recipe"', '<div itemscope itemtype="https://schema.org/Recipe">',
    '<li itemprop="recipeIngredient">', '<meta itemprop="totalTime" content="P', "//", "/*", "[" * 40, "{" * 40,
    '"image": {"@id": "#i"}', '"mainEntity": ', "\x00", "\ud800", "½", "1.", "Step 2"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(st.one_of(JSON_LD_BITS, st.text(max_size=20)), max_size=40).map(
    "".join)))
def test_html_reader_never_fails_otherwise(html: str) -> None:
    try:
        draft = draft_from_html(html)
    except ImportRefused:
        return
    assert draft.title and (draft.lines or draft.steps)


TEXT_BITS = st.sampled_from([
    "Ingredients", "Method", "Notes", "Serves 4", "Prep: 10 mins", "1. ", "- ", "• ", "Step 1: ", "200g flour",
    "Stir well.", "\n", "\n\n", ":", "For the sauce", "#", "Total time: PT1H", "½", "Makes a dozen", "\t", "|"])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=500), st.lists(st.one_of(TEXT_BITS, st.text(max_size=15)), max_size=60).map(
    "".join)))
def test_text_reader_never_fails_otherwise(text: str) -> None:
    try:
        draft = draft_from_text(text)
    except ImportRefused:
        return
    assert draft.title and (draft.lines or draft.steps)
    assert len(draft.lines) <= importing.MAX_LINES and len(draft.steps) <= importing.MAX_STEPS


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["x.json", "x.zip", "x.html", "x.txt", "x"]))
def test_file_reader_never_fails_otherwise(data: bytes, name: str) -> None:
    try:
        drafts_from_file(name, data)
    except ImportRefused:
        pass
