"""Calcium, iron, vitamin B12 and vitamin D: in every curated food as USDA SR Legacy gives them, and
through the whole food record (validation, food page, form, CLI, API, CSV and JSON files, seeding).

The expected numbers below were looked up by hand in USDA SR28 (the abbreviated table, fields
Calcium, Iron, Vit_B12 and Vit_D_mcg per 100 g); the NDB number is in each comment.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from conftest import MEMBER, user
from factories import food, without_micronutrients
from planner.data import curated_food_records, vocabulary
from planner.extensions import db
from planner.foods import present, store
from planner.foods.exchange import COLUMNS
from planner.foods.nutrition import MICRONUTRIENTS, NUTRIENTS
from planner.foods.records import validate_record, with_derived_tags
from planner.models import Food
from planner.recipes.facts import recipe_facts
from planner.recipes.rules import diets

RAW = [row.record for row in curated_food_records()]
RECORDS = {r["slug"]: with_derived_tags(validate_record(r, vocabulary()).record) for r in RAW}


def micro(slug: str) -> tuple[float, ...]:
    n = RECORDS[slug]["nutrients"]
    return tuple(n[name] for name in MICRONUTRIENTS)


def test_every_curated_food_gives_all_four_in_its_file():
    for raw in RAW:
        given = raw["nutrients"]
        assert set(MICRONUTRIENTS) <= set(given), raw["slug"]
        for name in MICRONUTRIENTS:
            assert isinstance(given[name], (int, float)) and given[name] >= 0, (raw["slug"], name)
        # The four come last in each food's nutrients, after the macronutrients.
        assert tuple(given)[-4:] == MICRONUTRIENTS, raw["slug"]


# (slug, NDB number, calcium mg, iron mg, vitamin B12 µg, vitamin D µg), all exactly as in SR28.
SR28_SAMPLE = [
    ("whole-milk", "01077", 113, 0.03, 0.45, 1.3),  # 01077 Milk, whole, 3.25 % fat, with added vitamin D
    ("spinach", "11457", 99, 2.71, 0, 0),  # 11457 Spinach, raw
    ("salmon-fillet-raw", "15236", 9, 0.34, 3.23, 11),  # 15236 Salmon, Atlantic, farmed, raw
    ("egg-whole-raw", "01123", 56, 1.75, 0.89, 2.0),  # 01123 Egg, whole, raw, fresh
    ("beef-liver-raw", "13325", 5, 4.9, 59.3, 1.2),  # 13325 Beef, variety meats, liver, raw
    ("soy-drink-unsweetened", "16222", 124, 0.46, 1.11, 1.2),  # 16222 Soymilk, unsweetened, with added Ca, A, D
    ("almond-drink-unsweetened", "14091", 197, 0.35, 0, 1.0),  # 14091 Almond milk, unsweetened, shelf stable
    ("corn-flakes", "08020", 5, 28.9, 5.0, 3.6),  # 08020 Kellogg's Corn Flakes (fortified)
]


@pytest.mark.parametrize("slug, ndb, calcium, iron, b12, d", SR28_SAMPLE)
def test_usda_foods_carry_their_sr28_values(slug, ndb, calcium, iron, b12, d):
    assert RECORDS[slug]["source"] == {"name": "USDA SR Legacy", "id": ndb, "note": None}
    assert micro(slug) == (calcium, iron, b12, d)


def test_kale_follows_the_revised_sr_legacy_entry_and_says_so():
    # SR Legacy revised raw kale (11233) after SR28: calcium 254 mg, iron 1.6 mg (SR28: 150, 1.47).
    assert micro("kale") == (254, 1.6, 0, 0)
    assert "SR28" in RECORDS["kale"]["source"]["note"]


def test_values_from_another_entry_name_it_in_the_note():
    for record in RECORDS.values():
        if record["source"]["name"] != "USDA SR Legacy":
            note = record["source"]["note"] or ""
            assert re.search(r"\b\d{5}\b", note), (record["slug"], note)  # an NDB number
            assert len(note) <= 200


@pytest.mark.parametrize("slug", ["soy-drink-unsweetened", "oat-drink", "soy-yoghurt", "almond-drink-unsweetened"])
def test_fortified_plant_drinks_and_yoghurts_carry_their_fortification(slug):
    calcium, _, b12, d = micro(slug)
    # At least the usual EU fortification per 100 ml: calcium 120 mg, vitamin D 0.75 µg and B12 0.38 µg
    # (the US almond drink in SR28, 14091, adds calcium and vitamin D but no B12).
    assert calcium >= 120 and d >= 0.75
    assert b12 >= 0.38 or slug == "almond-drink-unsweetened"


# Vegan foods (by the vegan diet's rules) that have vitamin B12 because it is added to them.
FORTIFIED = {
    "soy-drink-unsweetened", "oat-drink", "rice-drink", "soy-yoghurt", "plant-based-burger", "energy-drink",
    "sugar-free-energy-drink", "corn-flakes", "frosted-flakes", "crisped-rice-cereal",
    "chocolate-puffed-rice-cereal", "honey-nut-oat-rings", "bran-flakes",
}
# Vegan foods whose SR28 entry measured some B12 without fortification, kept as SR28 gives it: traces
# made by bacteria (fermented soy, mushroom skins, beer), and entries holding a little milk or meat
# stock (dark chocolate 19904, tortilla chips 19056, instant noodle seasoning 06583, chicken stock
# cubes 06081). None is a B12 source a vegan could rely on.
SR28_TRACES = {
    "miso-white": 0.08, "miso-red": 0.08, "tempeh": 0.08, "gold-kiwi": 0.08, "button-mushrooms": 0.04,
    "portobello-mushrooms": 0.05, "lager": 0.02, "light-beer": 0.02, "stout": 0.02, "rose-wine": 0.01,
    "alcopop": 0.01, "dark-chocolate": 0.28, "tortilla-chips": 0.36, "instant-noodles": 0.25, "stock-cubes": 0.3,
}


def test_vegan_foods_have_no_vitamin_b12_unless_fortified():
    vegan = diets()["vegan"]
    with_b12 = {slug: r["nutrients"]["vitamin_b12_ug"] for slug, r in RECORDS.items()
                if vegan.allows(r) and r["nutrients"]["vitamin_b12_ug"] > 0}
    traces = {slug: b12 for slug, b12 in with_b12.items() if slug not in FORTIFIED}
    assert traces == SR28_TRACES
    assert all(b12 < 0.4 for b12 in traces.values())
    assert FORTIFIED <= set(with_b12)
    # Fruit, pulses, grains, nuts and seeds have neither (but for the traces above).
    for slug, r in RECORDS.items():
        if r["category"] in {"fruit", "legumes", "grains", "nuts-seeds"} and slug not in SR28_TRACES:
            assert r["nutrients"]["vitamin_b12_ug"] == 0 and r["nutrients"]["vitamin_d_ug"] == 0, slug


def test_micronutrients_take_no_part_in_energy_or_sums():
    # 2 g of calcium and 100 µg of B12 neither change energy nor count toward 100 g of solids.
    checked = validate_record(food(nutrients={"calcium_mg": 2000, "iron_mg": 100, "vitamin_b12_ug": 100,
                                              "vitamin_d_ug": 250}), vocabulary())
    assert checked.ok, checked.errors


@pytest.mark.parametrize("name, value, message", [
    ("calcium_mg", 2500, "Must be between 0 and 2000 mg per 100 g."),
    ("iron_mg", 101, "Must be between 0 and 100 mg per 100 g."),
    ("vitamin_b12_ug", 150, "Must be between 0 and 100 µg per 100 g."),
    ("vitamin_d_ug", 251, "Must be between 0 and 250 µg per 100 g."),
    ("vitamin_d_ug", -1, "Must be between 0 and 250 µg per 100 g."),
    ("calcium_mg", "plenty", "Must be a number."),
])
def test_out_of_range_values_are_refused_by_field(name, value, message):
    checked = validate_record(food(nutrients={name: value}), vocabulary())
    assert checked.errors == {f"nutrients.{name}": [message]}


def test_records_without_them_validate_as_zero():
    checked = validate_record(without_micronutrients(food()), vocabulary())
    assert checked.ok, checked.errors
    assert all(checked.record["nutrients"][name] == 0.0 for name in MICRONUTRIENTS)


def test_recipes_sum_them_per_serving():
    recipe = {"slug": "milk-and-spinach", "ingredients": [{"food": "whole-milk", "grams": 200, "added": "raw"},
                                                          {"food": "spinach", "grams": 50, "added": "raw"}]}
    facts = recipe_facts(recipe, RECORDS)
    assert facts.nutrients["calcium_mg"] == pytest.approx(113 * 2 + 99 / 2)
    assert facts.nutrients["vitamin_d_ug"] == pytest.approx(2.6)


def test_amounts_read_well():
    assert present.amount(1.63, "mg") == "1.6 mg"
    assert present.amount(0.38, "µg") == "0.38 µg"
    assert present.amount(0.0, "µg") == "0 µg"
    assert present.amount(226.0, "mg") == "226 mg"
    assert present.amount(59.3, "µg") == "59 µg"
    assert [row.unit for row in present.nutrient_rows(RECORDS["whole-milk"]) if row.micronutrient] == [
        "mg", "mg", "µg", "µg"]


def test_food_page_shows_them_per_100g_and_per_portion(client):
    page = client.get("/foods/whole-milk").get_data(as_text=True)
    # Whole milk, 200 g portion: calcium 113 mg and 226 mg, vitamin D 1.3 µg and 2.6 µg.
    assert re.search(r"Calcium</th><td>113 mg</td><td>226 mg</td>", page), page
    assert re.search(r"Iron</th><td>0.03 mg</td><td>0.06 mg</td>", page)
    assert re.search(r"Vitamin B12</th><td>0.45 µg</td><td>0.9 µg</td>", page)
    assert re.search(r"Vitamin D</th><td>1.3 µg</td><td>2.6 µg</td>", page)
    assert "Minerals and vitamins" in page


def test_cli_and_api_give_them(runner, client):
    shown = runner.invoke(args=["foods", "show", "salmon-fillet-raw"]).output
    assert re.search(r"Vitamin D\s+11 µg\s+13 µg", shown), shown
    record = client.get("/api/v1/foods/salmon-fillet-raw").get_json()
    assert {name: record["nutrients"][name] for name in MICRONUTRIENTS} == {
        "calcium_mg": 9, "iron_mg": 0.34, "vitamin_b12_ug": 3.23, "vitamin_d_ug": 11}


def test_csv_export_has_the_columns_and_round_trips(runner, tmp_path: Path):
    assert list(COLUMNS)[6:6 + len(NUTRIENTS)] == list(NUTRIENTS)
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["foods", "export", "--format", "csv"]).output)))
    milk = next(row for row in rows if row["slug"] == "whole-milk")
    assert (milk["calcium_mg"], milk["iron_mg"], milk["vitamin_b12_ug"], milk["vitamin_d_ug"]) == (
        "113", "0.03", "0.45", "1.3")


def _stored(slug: str) -> dict[str, float]:
    record = store.food_record(store.get_food(db.session, slug, user(MEMBER).household_id))
    return {name: record["nutrients"][name] for name in MICRONUTRIENTS}


def test_json_import_without_them_gives_zero(runner, tmp_path: Path):
    path = tmp_path / "old.json"
    path.write_text(json.dumps([without_micronutrients(food())]), encoding="utf-8")
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code == 0 and "1 created" in result.output, result.output
    db.session.expire_all()
    stored = store.food_record(store.get_food(db.session, "test-lentil"))
    assert all(stored["nutrients"][name] == 0 for name in MICRONUTRIENTS)


def test_csv_import_without_their_columns_gives_zero(runner, tmp_path: Path):
    columns = [c for c in COLUMNS if c not in MICRONUTRIENTS]
    record = food()
    row = {**{k: str(v) for k, v in record["nutrients"].items()}, "slug": record["slug"], "name": record["name"],
           "synonyms": "trial pulse", "category": "legumes", "form": "cooked", "nova_group": "1",
           "portion_g": "100", "portion_measure": "1/2 cup cooked", "aisle": "dry-goods",
           "purchase_unit": "bag 500 g", "purchase_grams": "500", "plant_key": "lentil", "allergens": "",
           "tags": "legume; prebiotic", "source_name": "USDA SR Legacy", "source_id": "16070", "source_note": ""}
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "old.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code == 0 and "1 created" in result.output, result.output
    db.session.expire_all()
    stored = store.food_record(store.get_food(db.session, "test-lentil"))
    assert all(stored["nutrients"][name] == 0 for name in MICRONUTRIENTS)


def test_import_with_a_bad_value_names_row_and_field(runner, tmp_path: Path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([food(nutrients={"vitamin_d_ug": 1000})]), encoding="utf-8")
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code != 0
    assert "record 1: nutrients.vitamin_d_ug: Must be between 0 and 250 µg per 100 g." in result.output


def test_seed_brings_older_rows_up_to_date(runner):
    # Rows seeded before the micronutrients: values 0 and the digest of the record without them.
    slugs = ["whole-milk", "spinach", "salmon-fillet-raw"]
    for slug in slugs:
        row = db.session.scalar(select(Food).where(Food.slug == slug))
        for name in MICRONUTRIENTS:
            setattr(row, name, 0.0)
        old = validate_record(without_micronutrients(next(r for r in RAW if r["slug"] == slug)), vocabulary())
        row.seed_digest = store.digest(old.record)
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0 and "0 created, 3 updated" in result.output, result.output
    db.session.expire_all()
    assert _stored("whole-milk") == {"calcium_mg": 113, "iron_mg": 0.03, "vitamin_b12_ug": 0.45, "vitamin_d_ug": 1.3}
