"""The shopping list's logic: units, rounding up, reading extras, building and exporting a list."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from planner.data import vocabulary
from planner.recipes.curated import curated_foods
from planner.shopping.build import OTHER, Extra, MealUse, Settings, State, build_list, store_order
from planner.shopping.exports import CSV_COLUMNS, to_csv, to_json, to_markdown, to_text
from planner.shopping.extras import ExtraError, read_extra
from planner.shopping.pdf import _plain, _width, _wrap, to_pdf
from planner.shopping.purchase import count_to_grams, grams_to_count, packs_needed, purchase
from planner.shopping.settings import (
    SettingsError, default_pantry, moved, settings_from_dict, settings_to_dict, with_order, with_pantry,
)
from planner.shopping.units import amount, canonical_unit, density, label_in, to_grams, unit_grams
from planner.foods.search import SearchIndex

FOODS = curated_foods()
AISLES = vocabulary().aisles
MONDAY = date(2026, 11, 23)
MILK, ONION, OATS = FOODS["whole-milk"], FOODS["onion"], FOODS["rolled-oats"]
INDEX = SearchIndex(FOODS.values())


# -- units -------------------------------------------------------------------------------

@settings(deadline=None)  # the first example pays for unit tables built once; speed is bench/'s business
@given(grams=st.floats(0.01, 1e6), food=st.sampled_from([MILK, ONION, OATS, FOODS["kefir"]]),
       system=st.sampled_from(["metric", "us"]))
def test_amounts_round_trip_through_the_units_people_read(grams, food, system):
    shown = amount(grams, food, system)
    assert to_grams(shown.value, unit_grams(shown.unit), food) == pytest.approx(grams, rel=1e-9)


@given(count=st.integers(1, 500), food=st.sampled_from(list(FOODS.values())))
def test_counts_round_trip_through_the_purchase_unit(count, food):
    assert grams_to_count(count_to_grams(count, food), food) == pytest.approx(count)


def test_liquids_read_by_volume_and_solids_by_mass():
    assert density(MILK) == pytest.approx(1.03) and density(ONION) is None
    assert str(amount(1545, MILK, "metric")) == "1.5 l"
    assert str(amount(515, MILK, "us")) == "16.9 fl oz"
    assert str(amount(330, ONION, "metric")) == "330 g" and str(amount(330, ONION, "us")) == "11.6 oz"
    assert str(amount(2000, ONION, "us")) == "4.41 lb" and str(amount(5.26, ONION, "metric")) == "5.3 g"
    assert label_in("can 400 g", "us") == "can 14.1 oz" and label_in("can 400 g", "metric") == "can 400 g"
    assert label_in("bag 500 g dried (about 1.5 kg cooked)", "us") == "bag 1.1 lb dried (about 3.31 lb cooked)"
    assert to_grams(1, "cup", ONION) is None  # no density: a cup of onion has no known weight
    assert to_grams(1, "lb", None) == pytest.approx(453.59237)
    assert to_grams(2, "bunch", ONION) is None


@pytest.mark.parametrize("word, unit", [("kg", "kg"), ("Litres", "l"), ("fl oz", "fluid_ounce"), ("cups", "cup"),
                                        ("bunch", None), ("]", None), ("(g", None), ("1", None), ("g)", None)])
def test_unit_words_are_read_and_anything_else_is_not_a_unit(word, unit):
    assert canonical_unit(word) == unit


# -- rounding up -------------------------------------------------------------------------

@given(grams=st.floats(0.1, 50_000), food=st.sampled_from(list(FOODS.values())))
def test_rounding_never_buys_less_than_needed_nor_a_whole_pack_more(grams, food):
    bought = purchase(grams, food)
    assert bought.grams >= grams
    step = 50 if bought.count is None else food["purchase_unit"]["grams"]
    assert bought.grams - grams < step or bought.grams == step


def test_rounding_holds_at_exact_multiples_and_float_sums():
    assert packs_needed(800, 400) == 2
    assert packs_needed(266.7 + 266.7 + 266.6, 400) == 2  # 800.0000000000001 is still two cans
    assert packs_needed(800.1, 400) == 3 and packs_needed(0.1, 400) == 1
    onions = purchase(330, ONION)
    assert (onions.count, onions.unit, onions.counted) == (3, "each", True)
    yam = purchase(420, FOODS["yam-cooked"])
    assert yam.count is None and yam.grams == 450


# -- extras ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, slug, grams", [
    ("2 lemons", "lemon", 2 * FOODS["lemon"]["purchase_unit"]["grams"]),
    ("1 can chickpeas", "chickpeas-canned", 240),  # a 400 g can gives about 240 g drained, as recipes weigh them
    ("500g rolled oats", "rolled-oats", 500),
    ("1 1/2 l whole milk", "whole-milk", 1545),
    ("½ kg carrots", "carrot", 500),
    ("3 onions", "onion", 450),
    ("kitchen roll", None, None),
    ("bananas", "banana", None),
])
def test_extras_are_matched_to_foods_when_the_words_name_one(text, slug, grams):
    reading = read_extra(text, INDEX)
    assert (reading.food["slug"] if reading.food else None) == slug
    assert reading.grams == (pytest.approx(grams) if grams is not None else None)


@pytest.mark.parametrize("text, message", [
    ("   ", "Write what to add"), ("x" * 121, "under 120"), ("500 g", "Say what it is"),
    ("0 lemons", "between 0"), ("1/0 lemons", "not a number"), ("99999 eggs", "between 0"),
    ("2 lemons\x00", "control characters"),
])
def test_extras_that_cannot_be_read_say_why(text, message):
    with pytest.raises(ExtraError, match=message):
        read_extra(text, INDEX)


# -- building ----------------------------------------------------------------------------

def _uses() -> list[MealUse]:
    return [
        MealUse(MONDAY, "dinner", "Onion soup", (("onion", 220.0), ("extra-virgin-olive-oil", 14.0), ("whole-milk", 200.0))),
        MealUse(date(2026, 11, 25), "lunch", "Dal", (("onion", 110.5), ("red-lentils-boiled", 300.0))),
    ]


def _list(settings: Settings = Settings(pantry=frozenset({"extra-virgin-olive-oil"})), state: State = State()):
    return build_list(_uses(), FOODS, settings, state, AISLES, "Test week")


def test_the_same_food_is_combined_and_every_meal_that_needs_it_is_named():
    shopping = _list()
    onion = next(i for i in shopping.items() if i.food == "onion")
    assert onion.grams == 330.5 and onion.purchase.count == 3
    assert [(n.recipe, n.meal) for n in onion.needs] == [("Onion soup", "dinner"), ("Dal", "lunch")]
    assert [i.food for i in shopping.pantry] == ["extra-virgin-olive-oil"]
    assert "extra-virgin-olive-oil" not in [i.food for a in shopping.aisles for i in a.items]
    assert (shopping.start, shopping.end, shopping.multi_week) == (MONDAY, date(2026, 11, 25), False)


def test_aisles_follow_the_store_order_and_state_is_applied():
    order = ("dry-goods", "dairy-eggs", "produce")
    state = State(checked=frozenset({"onion"}), removed=frozenset({"whole-milk"}),
                  extras=(Extra(1, "2 lemons", "lemon", "Lemon", 120.0), Extra(2, "kitchen roll")))
    shopping = _list(Settings(aisle_order=order), state)
    slugs = [a.slug for a in shopping.aisles]
    assert slugs == ["dry-goods", "produce", "oils-condiments", OTHER]
    assert next(i for i in shopping.items() if i.food == "onion").checked
    assert [i.food for i in shopping.removed] == ["whole-milk"]
    produce = next(a for a in shopping.aisles if a.slug == "produce")
    assert [e.text for e in produce.extras] == ["2 lemons"]
    assert [e.text for e in shopping.aisles[-1].extras] == ["kitchen roll"]
    assert store_order(["produce", "nowhere", "produce"], AISLES)[:2] == ["produce", "bakery"]
    assert shopping.counts() == {"to_buy": 5, "ticked": 1, "pantry": 0, "removed": 1, "make": 0}


def test_settings_are_read_tolerantly_and_changed_with_checks():
    default = settings_from_dict(None, FOODS, AISLES)
    assert default.units == "metric" and "table-salt" in default.pantry and "rolled-oats" in default.pantry
    assert "onion" not in default.pantry and default.pantry == default_pantry(FOODS.values())
    stored = settings_from_dict({"units": "us", "aisle_order": ["frozen", "moon"], "pantry": ["onion", "gone"]},
                                FOODS, AISLES)
    assert (stored.units, stored.aisle_order, stored.pantry) == ("us", ("frozen",), frozenset({"onion"}))
    assert settings_from_dict(settings_to_dict(stored), FOODS, AISLES) == stored
    with pytest.raises(SettingsError):
        with_order(stored, ["moon"], AISLES)
    with pytest.raises(SettingsError):
        with_order(stored, ["frozen", "frozen"], AISLES)
    assert moved(["a", "b", "c"], "c", -1) == ["a", "c", "b"] and moved(["a", "b", "c"], "a", -1) == ["a", "b", "c"]
    assert with_pantry(stored, "garlic", keep=True).pantry == {"onion", "garlic"}


# -- exports -----------------------------------------------------------------------------

def _full_list():
    state = State(checked=frozenset({"onion"}), extras=(Extra(7, "kitchen roll", checked=True),))
    return build_list(_uses(), FOODS, Settings(pantry=frozenset({"extra-virgin-olive-oil"})), state, AISLES,
                      "Crème fraîche week")


def test_csv_opens_in_a_spreadsheet_one_item_a_row():
    text = to_csv(_full_list())
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    # boiled red lentils are bought as dried ones
    assert [r["item"] for r in rows] == ["Onion", "Whole milk", "Red lentils (dried)", "kitchen roll",
                                         "Extra virgin olive oil"]
    onion = rows[0]
    assert (onion["quantity"], onion["unit"], onion["grams"], onion["checked"]) == ("3", "each", "330.5", "yes")
    assert onion["meals"] == "Onion soup (Mon dinner); Dal (Wed lunch)" and onion["section"] == "buy"
    assert rows[-1]["section"] == "pantry" and rows[3]["section"] == "extra"


def test_markdown_and_text_are_checklists():
    md = to_markdown(_full_list())
    boxes = [line for line in md.splitlines() if line.startswith("- [")]
    assert len(boxes) == 5 and sum(b.startswith("- [x]") for b in boxes) == 2
    assert "## Check you have" in md and "**Onion** — 3 (≈ 450 g), need 330 g" in md
    text = to_text(_full_list())
    assert "[x] Onion" in text and "CHECK YOU HAVE" in text


def test_json_carries_grams_purchases_and_meals():
    data = json.loads(to_json(_full_list()))
    onion = next(i for a in data["aisles"] for i in a["items"] if i["food"] == "onion")
    assert onion["buy"] == {"quantity": 3, "unit": "each", "grams": 450, "text": "3 (≈ 450 g)",
                            "holds": {"value": 450.0, "unit": "g", "text": "450 g"}}
    assert onion["meals"][1] == {"date": "2026-11-25", "meal": "lunch", "recipe": "Dal", "grams": 110.5,
                                 "food": "onion", "used_grams": 110.5}
    assert data["counts"]["to_buy"] == 4 and data["pantry"][0]["food"] == "extra-virgin-olive-oil"


@pytest.mark.parametrize("paper, size", [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_text_can_be_read_back(paper, size):
    reader = PdfReader(io.BytesIO(to_pdf(_full_list(), paper)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())  # as read, whatever wraps where
    for words in ("Crème fraîche week", "Onion", "3 (~ 450 g), need 330 g", "Red lentils, boiled", "kitchen roll",
                  "Check you have", "Onion soup (Mon dinner); Dal (Wed lunch)"):
        assert words in text


def test_a_long_list_runs_over_pages():
    uses = [MealUse(MONDAY, "dinner", f"Dish {n}", tuple((slug, 100.0) for slug in list(FOODS)[n::20]))
            for n in range(20)]
    shopping = build_list(uses, FOODS, Settings(), State(), AISLES, "Everything")
    reader = PdfReader(io.BytesIO(to_pdf(shopping)))
    assert len(reader.pages) > 3
    assert "page 2 of" in reader.pages[1].extract_text()


def test_each_item_stays_on_a_page_with_the_meals_it_is_for():
    # One dish per food, named at a length that wraps its meals to a second row: rows of three
    # heights fall across page breaks at every point.
    dishes = {slug: f"{slug} cooked slowly with herbs, garlic, lemon and a good stock until soft, {slug}"
              for slug in list(FOODS)[:200]}
    uses = [MealUse(MONDAY, "dinner", dish, ((slug, 100.0),)) for slug, dish in dishes.items()]
    shopping = build_list(uses, FOODS, Settings(), State(), AISLES, "Everything")
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(to_pdf(shopping))).pages]
    assert len(pages) > 3
    for item in (i for aisle in shopping.aisles for i in aisle.items):
        on = [n for n, text in enumerate(pages) if f"{item.name} -" in text]
        assert on and f"{dishes[item.food]} (Mon dinner)" in pages[on[0]], item.name


def test_typed_punctuation_prints_in_the_pdf_fonts():
    # A phone keyboard types curly quotes; the PDF's built-in fonts have none of them, nor the euro sign.
    extras = (Extra(1, "Jane’s “seeded” loaf… €4"),)
    shopping = build_list(_uses(), FOODS, Settings(), State(extras=extras), AISLES, "Week")
    text = PdfReader(io.BytesIO(to_pdf(shopping))).pages[0].extract_text()
    assert "Jane's \"seeded\" loaf... EUR4" in text


@given(words=st.lists(st.text(st.characters(codec="latin-1", exclude_categories=("Cc",)), min_size=1, max_size=80),
                      min_size=1, max_size=30))
def test_wrapped_rows_fit_the_line_and_keep_every_character(words):
    text = " ".join(words)
    rows = _wrap([("B", text[: len(text) // 2]), ("", text[len(text) // 2:])], 10.5, 60)
    for row in rows:  # the spaces ending a row take no room
        *before, (style, last) = row
        assert sum(_width(s, 10.5, part) for s, part in before) + _width(style, 10.5, last.rstrip()) <= 60 + 1e-9
    printed = "".join(part for row in rows for _, part in row)
    assert "".join(printed.split()) == "".join(_plain(text).split())
