"""The compact USDA SR28 table: reproducible build, readable names, records that validate,
allergens from the group and the name."""
from __future__ import annotations

from pathlib import Path

import pytest

from planner.data import vocabulary
from planner.data.usda_build import build, readable_name
from planner.foods.records import validate_record
from planner.foods.usda import USDA_FILE, UsdaFood, allergens_of, record_of, usda_food, usda_foods

SOURCE = Path("/work/shared/data/usda-sr28-abbrev.txt")


def food(ndb: str) -> UsdaFood:
    found = usda_food(ndb)
    assert found is not None, ndb
    return found


@pytest.mark.skipif(not SOURCE.is_file(), reason="the SR28 source table is not on this machine")
def test_build_is_reproducible_and_matches_the_shipped_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    assert build(SOURCE, first) == 8790
    build(SOURCE, second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == USDA_FILE.read_bytes()


def test_shipped_file_is_compact() -> None:
    assert USDA_FILE.stat().st_size < 600_000


def test_table_loads_every_food_once() -> None:
    foods = usda_foods()
    assert len(foods) == 8790
    assert len({f.ndb for f in foods}) == 8790
    assert usda_foods() is foods  # cached
    assert usda_food("1009") is usda_food("01009") is usda_food("usda:01009")
    assert usda_food("99999") is None


def test_readable_names() -> None:
    assert readable_name("CHICKPEAS (GARBANZO BEANS,BENGAL GRAM),MATURE SEEDS,CND,DRND") == \
        "Chickpeas (garbanzo beans, Bengal gram), mature seeds, canned, drained"
    assert readable_name("BUTTER,WHIPPED,W/ SALT") == "Butter, whipped, with salt"
    assert readable_name("BEANS,KIDNEY,RED,MATURE SEEDS,CKD,BLD,WO/SALT") == \
        "Beans, kidney, red, mature seeds, cooked, boiled, without salt"
    assert readable_name("SPAGHETTI,CKD,UNENR,WO/ ADDED SALT") == \
        "Spaghetti, cooked, unenriched, without added salt"
    assert readable_name("CHEESE,CHEDDAR,RED FAT") == "Cheese, cheddar, reduced fat"
    assert food("15091").name == "Sea bass, mixed species, raw"


def test_nutrients_groups_measures_and_empty_values() -> None:
    cheddar = food("01009")
    assert cheddar.group == "dairy-egg"
    assert cheddar.nutrients["energy_kcal"] == 404
    assert cheddar.nutrients["calcium_mg"] == 710
    assert cheddar.measures[0][1] == "1 cup, diced"
    canned = food("16058")  # no sugars value in SR28: stays empty
    assert canned.nutrients["sugars_g"] is None
    assert food("23000").group == "beef"  # numbered outside the group codes
    assert food("14003").nutrients["alcohol_g"] == pytest.approx(3.9)  # beer, by difference
    assert food("09040").refuse_pct == 36  # bananas: the peel


def test_every_usda_food_makes_a_valid_record() -> None:
    vocab = vocabulary()
    failures = {}
    for item in usda_foods():
        checked = validate_record(record_of(item, f"usda-{item.ndb}"), vocab)
        if not checked.ok:
            failures[item.ndb] = checked.errors
    assert not failures, list(failures.items())[:5]


def test_record_fields() -> None:
    record = record_of(food("16358"), "usda-16358")
    assert record["category"] == "legumes" and record["form"] == "canned"
    assert record["aisle"] == "tins-jars" and record["plant_key"] == "chickpea"
    assert record["source"]["name"] == "USDA SR Legacy" and record["source"]["id"] == "16358"
    assert "SR28" in record["source"]["note"]
    assert record["portion"] == {"grams": 253.0, "measure": "1 can, drained"}
    missing = record_of(food("16058"), "usda-16058")
    assert missing["nutrients"]["sugars_g"] == 0
    assert "sugars" in missing["source"]["note"]
    beer = record_of(food("14003"), "usda-14003")
    assert beer["category"] == "alcoholic-drinks" and "alcohol" in beer["tags"]
    salmon = record_of(food("15076"), "usda-15076")
    assert salmon["category"] == "fish-seafood" and "omega-3" in salmon["tags"]
    assert salmon["plant_key"] is None
    assert record_of(food("11282"), "usda-11282")["plant_key"] == "onion"


@pytest.mark.parametrize(("ndb", "expected"), [
    ("15149", {"crustaceans"}),            # shrimp
    ("01009", {"milk"}),                   # cheddar
    ("18069", {"gluten"}),                 # white bread
    ("12061", {"tree-nuts"}),              # almonds
    ("15076", {"fish"}),                   # Atlantic salmon
    ("15157", {"molluscs"}),               # clams
    ("16126", {"soybeans"}),               # tofu
    ("16098", {"peanuts"}),                # peanut butter: not milk
    ("12166", {"sesame"}),                 # tahini
    ("11143", {"celery"}),                 # celery
    ("02046", {"mustard"}),                # prepared mustard
    ("01123", {"eggs"}),                   # egg, not milk
    ("09032", {"sulphites"}),              # dried apricots, sulfured
    ("12118", set()),                      # canned coconut milk: not milk
    ("09086", set()),                      # custard-apple: a fruit
    ("11987", set()),                      # oyster mushrooms: not molluscs
    ("20040", set()),                      # brown rice
])
def test_allergens(ndb: str, expected: set[str]) -> None:
    assert allergens_of(food(ndb)) == expected
