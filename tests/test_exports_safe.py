"""Exports are safe to open: no CSV cell starts a spreadsheet formula, and no title or name is
read as Markdown; an export of foods still imports as it was."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from planner.data import vocabulary
from planner.foods.exchange import formula_safe, parse, to_csv as foods_csv
from planner.recipes.curated import curated_foods
from planner.shopping.build import Extra, MealUse, Settings, State, build_list
from planner.shopping.exports import to_csv, to_markdown, to_text

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tx", "\rx"]
STARTS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_list(title: str = "Week"):
    foods = dict(curated_foods())  # a copy: the curated foods are shared
    foods["onion"] = {**foods["onion"], "name": "=cmd|' /C calc'!A0"}
    foods["whole-milk"] = {**foods["whole-milk"], "name": "**Milk** [click](http://evil.example) <b>#1</b>"}
    extras = tuple(Extra(n, text) for n, text in enumerate(FORMULAS, start=1))
    uses = [MealUse(date(2026, 11, 23), "dinner", "=Soup", (("onion", 220.0), ("whole-milk", 200.0)))]
    return build_list(uses, foods, Settings(), State(extras=extras), vocabulary().aisles, title)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]


@pytest.mark.parametrize("text", FORMULAS)
def test_a_cell_that_would_start_a_formula_is_quoted(text):
    assert formula_safe(text) == "'" + text
    assert formula_safe("2 lemons") == "2 lemons" and formula_safe("'nduja") == "'nduja"


def test_no_shopping_list_csv_cell_starts_a_formula():
    cells = _cells(to_csv(_hostile_list()))
    assert not [c for c in cells if c.startswith(STARTS)]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1:A2)" in cells and "'-2+3" in cells
    assert any(c.startswith("'=Soup") or "=Soup" in c for c in cells)  # meals name the recipe, quoted when first


def test_the_shopping_list_page_downloads_a_safe_csv(app, client):
    from test_shopping_faces import _plan  # a saved plan of the client's household
    plan_id = _plan()
    for text in ("=1+2", "+44 20 7946 0000", "-5 kitchen roll", "@home cleaner"):
        assert client.post(f"/shopping/plans/{plan_id}/extras", data={"text": text}).status_code == 302
    for url in (f"/shopping/plans/{plan_id}/export.csv", f"/api/v1/plans/{plan_id}/shopping-list?format=csv"):
        cells = _cells(client.get(url).get_data(as_text=True))
        assert not [c for c in cells if c.startswith(STARTS)] and "'=1+2" in cells


def test_markdown_escapes_the_title_and_every_name():
    md = to_markdown(_hostile_list("Mia's *week* [x](http://evil.example) <script>#"))
    title = md.splitlines()[0]
    assert title == r"# Shopping list: Mia's \*week\* \[x\](http://evil.example) \<script\>\#"
    assert r"\*\*Milk\*\* \[click\](http://evil.example) \<b\>\#1\</b\>" in md
    assert "<script>" not in md and "<b>" not in md and "[click]" not in md



def test_plain_text_keeps_each_embedded_text_on_its_line():
    text = to_text(_hostile_list("Line\n[x] forged"))
    assert text.splitlines()[0] == "Shopping list: Line [x] forged"


def test_a_foods_csv_export_is_formula_safe_and_imports_as_it_was():
    food = {**curated_foods()["onion"], "name": "=Onion", "synonyms": ["+red onion", "-x"]}
    text = foods_csv([food])
    assert not [c for c in _cells(text) if c.startswith(STARTS)]
    [record] = parse(text, "csv")
    assert record.record["name"] == "=Onion" and record.record["synonyms"] == ["+red onion", "-x"]
