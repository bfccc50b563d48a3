"""Translations ready: Babel chooses the locale, every page's words are marked for translation,
the English catalogue holds them and stays in step with the code, and numbers and dates are
written through the locale while English reads exactly as before."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale, get_locale
from jinja2 import Environment

from planner.localize import day, number

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "planner" / "translations"
TEMPLATES = ROOT / "templates"


# -- the bare-text checker -----------------------------------------------------------------

GAP = "\x00"  # stands for anything that is not plain template text (tags, {{ }}, {% %}, trans blocks)
MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1>|<[^>]*>", re.S)
SHOWN_ATTRIBUTE = re.compile(r"""\b(?:placeholder|title|aria-label|alt)\s*=\s*("[^"]*"|'[^']*')""")
WORD = re.compile(r"[^\W\d_]{2,}")
# Unit symbols read the same in every language, and the main_class blocks hold CSS class names, not words.
ALLOWED_WORDS = {"kcal", "mg", "µg", "UTC"}
ALLOWED_TEXT = {"wide plan-page", "shop"}


def bare_text(source: str) -> list[str]:
    """The pieces of a template's text a reader would see that are not marked for translation:
    text outside tags, {{ }} and trans blocks, and the values of attributes that are shown
    (placeholder, title, aria-label, alt)."""
    lexer = Environment(extensions=["jinja2.ext.i18n"])
    parts, in_trans = [], 0
    for _line, kind, value in lexer.lex(source):
        if kind == "name" and value == "trans":
            in_trans += 1
        elif kind == "name" and value == "endtrans":
            in_trans -= 1
        parts.append(value if kind == "data" and not in_trans else GAP)
    text = "".join(parts)
    pieces = [match.group(1).strip("\"'") for match in SHOWN_ATTRIBUTE.finditer(text)]
    text = re.sub(r"&#?\w+;", " ", MARKUP.sub(GAP, text))
    pieces += text.split(GAP)
    return [piece.strip() for piece in pieces
            if piece.strip() not in ALLOWED_TEXT and set(WORD.findall(piece)) - ALLOWED_WORDS]


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_the_checker_finds_bare_words_and_passes_marked_ones():
    assert bare_text('<p class="lead">Plan a week</p>') == ["Plan a week"]
    assert bare_text('<input placeholder="e.g. kefir">') == ["e.g. kefir"]
    assert bare_text("{{ _('Plan a week') }} {% trans n=3 %}{{ n }} weeks{% endtrans %}") == []
    assert bare_text('<a href="{{ url }}" class="button secondary">{{ name }}</a> · 4 g, 12 kcal') == []


@pytest.mark.parametrize("path", _templates(), ids=lambda path: path.relative_to(TEMPLATES).as_posix())
def test_every_word_a_template_shows_is_marked_for_translation(path):
    assert bare_text(path.read_text(encoding="utf-8")) == []


# -- the app's locale ----------------------------------------------------------------------

def test_the_app_speaks_english_by_default(app: Flask):
    assert "babel" in app.extensions
    assert app.config["LANGUAGES"] == ["en"] and app.config["BABEL_DEFAULT_LOCALE"] == "en"
    with app.test_request_context(headers={"Accept-Language": "fr-CA, en-GB;q=0.8"}):
        assert str(get_locale()) == "en"


def test_a_visitor_asking_for_german_gets_the_english_pages(app: Flask, anon):
    page = anon.get("/check/?q=kefir", headers={"Accept-Language": "de-DE, de;q=0.9"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Is this OK for my gut?" in text and "Kefir" in text
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert str(get_locale()) == "en"


def test_marked_text_renders_exactly_as_written(app: Flask, kims):
    answer = kims.post("/api/v1/diary/tests", json={"member": "Sam", "item": "garlic"})
    assert answer.status_code == 201
    page = kims.get(f"/diary/tests/{answer.get_json()['id']}").get_data(as_text=True)
    assert "<h1>Sam's test: Garlic</h1>" in page  # an apostrophe in a trans block stays an apostrophe
    diary = kims.get("/diary/?member=Kim").get_data(as_text=True)
    assert "<h1>Kim's diary</h1>" in diary and "How bad, 0 (none) to 10 (worst)" in diary


# -- numbers and dates ---------------------------------------------------------------------

@pytest.mark.parametrize(("value", "english"), [
    (515.0, "515"), (12.25, "12.2"), (1250, "1250"), (0.04, "0"), (2.5, "2.5"), (-3.0, "-3"), (1234567.89, "1234567.9"),
])
def test_the_number_filter_writes_english_as_before(app: Flask, value, english):
    with app.test_request_context():
        assert number(value) == english


def test_dates_keep_the_english_house_style(app: Flask):
    with app.test_request_context():
        assert day(date(2026, 1, 5)) == "5 January 2026"
        assert day(date(2026, 9, 7), "medium") == "7 Sep 2026"
        assert day(date(2026, 1, 5), "weekday") == "Monday 5 January"
        assert day(date(2026, 1, 5), "short-weekday") == "Mon 5 Jan"
        assert day(datetime(2026, 1, 5, 15, 30), "stamp") == "5 Jan 2026 15:30"
        assert day(time(7, 5), "time") == "07:05"


def test_another_locale_writes_numbers_and_dates_its_own_way(app: Flask):
    with app.test_request_context(), force_locale("de"):
        assert number(12.25) == "12,2"
        assert day(date(2026, 1, 5)) == "5. Januar 2026"
        assert day(datetime(2026, 1, 5, 15, 30), "stamp") == "5. Jan. 2026, 15:30"


# -- the catalogue -------------------------------------------------------------------------

def _msgids(path: Path) -> set[object]:
    with path.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_the_catalogue_holds_words_from_templates_and_code():
    template = _msgids(TRANSLATIONS / "messages.pot")
    assert {"Is this OK for my gut?", "%(member)s's diary", "Suspects worth testing",  # templates
            "Skip to content", "Sign up", "In the basket", "Put %(name)s back on the list",  # base, shopping
            "Food or ingredient list", "Keep me logged in on this device", "Typical portion (g)",  # forms
            "Saved your ticks.", "Saved: %(member)s, %(dish)s: %(rating)s.",  # flash messages
            "Tick at least one habit."} <= template  # domain messages marked with N_
    assert _msgids(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po") == template
    assert (TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.mo").is_file()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_committed_catalogue_is_what_make_messages_extracts(tmp_path):
    """`make messages` into a copy gives the same messages: a string marked or changed without
    re-extracting fails here."""
    copy = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, copy)
    subprocess.run(["make", "--silent", "-o", ".venv/.installed-app", "messages",
                    f"BIN={Path(sys.executable).parent}", f"TRANSLATIONS={copy}"],
                   cwd=ROOT, check=True, capture_output=True)
    fresh = _msgids(copy / "messages.pot")
    committed = _msgids(TRANSLATIONS / "messages.pot")
    assert sorted(map(str, fresh - committed)) == [], "marked but not in the catalogue: run `make messages`"
    assert sorted(map(str, committed - fresh)) == [], "in the catalogue but no longer marked: run `make messages`"
    assert _msgids(copy / "en" / "LC_MESSAGES" / "messages.po") == committed
