"""Buying what the meals need: usable weights (drained, cooked), one line per food a shop sells,
foods made at home, eggs by the egg, meat in packs that fit, and the leftover a list leaves."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from planner.data import vocabulary
from planner.foods.records import validate_record
from planner.recipes.curated import curated_foods
from planner.shopping.build import MealUse, Settings, State, build_list
from planner.shopping.exports import to_csv, to_json, to_text
from planner.shopping.extras import read_extra
from planner.foods.search import SearchIndex
from planner.shopping.present import buy_text, need_text
from planner.shopping.purchase import BUYING_FIELDS, bought_as, buying, first_buy_grams, purchase

FOODS = curated_foods()
AISLES = vocabulary().aisles
MONDAY = date(2026, 11, 23)
_NET = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|g)\b")


def _week(*meals: tuple[str, float], settings: Settings | None = None, state: State | None = None):
    """A week with one meal a day, each using one food."""
    settings, state = settings or Settings(), state or State()
    uses = [MealUse(date(2026, 11, 23 + n % 7), "dinner", f"Dish {n}", (meal,)) for n, meal in enumerate(meals)]
    return build_list(uses, FOODS, settings, state, AISLES, "Family week")


def _line(shopping, slug: str):
    """The item that buys `slug`, wherever it is on the list."""
    return next(i for i in shopping.items() if i.bought_food == slug)


# -- 1. usable weight: drained and cooked ---------------------------------------------------------

def test_a_week_needing_375_g_of_drained_chickpeas_buys_two_cans():
    shopping = _week(("chickpeas-canned", 120.0), ("chickpeas-canned", 135.0), ("chickpeas-canned", 120.0))
    item = _line(shopping, "chickpeas-canned")
    assert item.grams == 375 and item.purchase.count == 2 and item.bought_grams == 480
    assert buy_text(item, "metric") == "2 × can 400 g (about 240 g drained)"
    assert buy_text(item, "us") == "2 × can 14.1 oz (about 8.5 oz drained)"


@pytest.mark.parametrize("slug, net, usable", [
    ("chickpeas-canned", 400, 240), ("kidney-beans-canned", 400, 240), ("black-beans-canned", 400, 240),
    ("butter-beans-canned", 400, 240), ("cannellini-beans-canned", 400, 240), ("borlotti-beans-canned", 400, 240),
    ("haricot-beans-canned", 400, 240), ("tuna-canned-in-water", 145, 102), ("sardines-canned-in-oil", 120, 90),
    ("anchovies-canned-in-oil", 50, 30),
])
def test_canned_beans_and_fish_buy_by_their_drained_weight(slug, net, usable):
    unit = FOODS[slug]["purchase_unit"]
    assert unit["grams"] == usable and f"{net} g" in unit["unit"] and f"about {usable} g drained" in unit["unit"]
    assert 0.55 <= usable / net <= 0.75  # drained beans are 55-65 % of a can; tuna about 70 %


def test_every_food_sold_drained_or_dried_says_what_a_purchase_gives():
    """Where the label names a pack bigger than the grams it gives recipes, it says so: drained, cooked,
    peeled, edible, roasted or the like, never a bare net weight above the usable one."""
    for slug, food in FOODS.items():
        unit = food["purchase_unit"]
        net = _NET.search(unit["unit"])
        if not net or "makes" in unit["unit"] or "(contents)" in unit["unit"]:
            continue
        grams = float(net[1]) * (1000 if net[2] == "kg" else 1)
        if unit["grams"] < grams * 0.95:
            assert re.search(r"about .* (drained|cooked|baked|roasted|braised|meat|peeled|edible)|kernels|flesh",
                             unit["unit"]), slug
    for slug in ("red-lentils-boiled", "black-beans-boiled", "kidney-beans-boiled", "pinto-beans-boiled",
                 "brown-rice-cooked", "quinoa-cooked", "mussels-cooked", "roast-chicken"):
        assert FOODS[slug]["purchase_unit"]["grams"] > 0 and "about" in FOODS[slug]["purchase_unit"]["unit"], slug


# -- 2. one line per food the shop sells in one form ------------------------------------------------

def test_cooked_and_dried_brown_rice_make_one_line_in_dried_grams():
    shopping = _week(("brown-rice-cooked", 440.0), ("brown-rice-dry", 80.0), ("brown-rice-cooked", 150.0))
    lines = [i for i in shopping.items() if "brown-rice" in i.bought_food]
    assert len(lines) == 1
    rice = lines[0]
    factor = buying(FOODS["brown-rice-cooked"]).factor
    assert 0.3 <= factor <= 0.4
    assert rice.bought_food == rice.food == "brown-rice-dry" and rice.name == "Brown rice (uncooked)"
    assert rice.grams == pytest.approx(80 + 590 * factor, abs=0.1)
    assert rice.purchase.count == 1 and rice.bought_grams == 1000
    assert [p.food for p in rice.parts] == ["brown-rice-cooked"] and str(rice.parts[0].used) == "590 g"
    assert need_text(rice) == f"need {rice.need} (Brown rice, cooked: 590 g ≈ {rice.parts[0].bought})"
    assert sum(n.grams for n in rice.needs) == pytest.approx(rice.grams, abs=0.1)
    assert {n.food for n in rice.needs} == {None, "brown-rice-cooked"}


def test_a_line_only_the_cooked_food_needs_keeps_its_ticks_under_that_food():
    """Ticks and removals are kept per food the meals use, so a line buying dried rice for cooked rice
    alone is ticked and removed under the cooked rice."""
    shopping = _week(("brown-rice-cooked", 300.0), state=State(checked=frozenset({"brown-rice-cooked"})))
    rice = _line(shopping, "brown-rice-dry")
    assert rice.food == "brown-rice-cooked" and rice.buys == "brown-rice-dry" and rice.checked
    removed = _week(("brown-rice-cooked", 300.0), state=State(removed=frozenset({"brown-rice-cooked"})))
    assert [i.bought_food for i in removed.removed] == ["brown-rice-dry"]
    kept = _week(("brown-rice-cooked", 300.0), settings=Settings(pantry=frozenset({"brown-rice-dry"})))
    assert [i.bought_food for i in kept.pantry] == ["brown-rice-dry"]


def test_every_bought_as_food_names_a_food_bought_as_itself_and_agrees_with_it():
    merged = {slug: buying(food) for slug, food in FOODS.items() if buying(food).as_food}
    assert {"brown-rice-cooked", "white-rice-cooked", "quinoa-cooked", "red-lentils-boiled", "chickpeas-boiled",
            "black-beans-boiled", "mung-beans-boiled", "egg-boiled", "egg-yolk-raw", "salmon-fillet-baked",
            "chicken-breast-roasted"} <= set(merged)
    for slug, how in merged.items():
        target = FOODS[how.as_food]
        assert bought_as(FOODS[slug], FOODS) == how.as_food and bought_as(target, FOODS) == how.as_food
        assert not buying(target).as_food and not buying(target).homemade, slug
        # The food's own purchase unit is the target's, in this food's weight: a planner may price either.
        own, theirs = FOODS[slug]["purchase_unit"]["grams"], target["purchase_unit"]["grams"]
        assert own * how.factor == pytest.approx(theirs, rel=0.03), slug
        assert FOODS[slug]["aisle"] == target["aisle"], slug


def test_a_food_needed_in_two_forms_is_bought_in_one():
    """A week needing chickpeas canned and dried buys cans for both (the dried grams as cooked); whole
    and semi-skimmed milk is one carton line. Each form needed alone is bought as itself."""
    shopping = _week(("chickpeas-canned", 240.0), ("chickpeas-dried", 100.0), ("chickpeas-boiled", 200.0),
                     ("whole-milk", 500.0), ("semi-skimmed-milk", 500.0))
    assert sorted(i.bought_food for i in shopping.items()) == ["chickpeas-canned", "whole-milk"]
    cans = _line(shopping, "chickpeas-canned")
    assert cans.grams == pytest.approx(240 + 100 * 2.33 + 200 * 0.43 * 2.33, abs=0.5)
    assert cans.purchase.count == 3 and {p.food for p in cans.parts} == {"chickpeas-dried", "chickpeas-boiled"}
    # The dried ones were planned without the salt of a can.
    assert cans.no_added_salt and need_text(cans).endswith("; choose one with no added salt")
    milk = _line(shopping, "whole-milk")
    assert milk.grams == pytest.approx(1000) and milk.purchase.count == 1 and not milk.no_added_salt
    alone = _week(("chickpeas-dried", 100.0), ("chickpeas-boiled", 200.0), ("semi-skimmed-milk", 500.0))
    assert sorted(i.bought_food for i in alone.items()) == ["chickpeas-dried", "semi-skimmed-milk"]
    assert _line(alone, "chickpeas-dried").grams == pytest.approx(100 + 200 * 0.43, abs=0.1)
    assert not any(i.no_added_salt for i in alone.items())


def test_every_merge_names_the_same_food_bought_as_itself():
    merged = {slug: buying(food) for slug, food in FOODS.items() if buying(food).merges_into}
    assert {"chickpeas-dried", "black-beans-dried", "semi-skimmed-milk"} <= set(merged)
    for slug, how in merged.items():
        target = FOODS[how.merges_into]
        assert bought_as(target, FOODS) == how.merges_into and not buying(target).merges_into, slug
        assert not buying(target).homemade and not buying(FOODS[slug]).homemade, slug
        # The same plant (or, for milk, the same kind of food) in another form.
        assert (FOODS[slug]["plant_key"], FOODS[slug]["category"]) == (target["plant_key"], target["category"]), slug


# -- 3. made at home, not bought -------------------------------------------------------------------

def test_homemade_stock_is_made_not_bought_and_shop_bought_broth_is_bought():
    shopping = _week(("chicken-stock-homemade", 300.0), ("chicken-stock-homemade", 180.0),
                     ("chicken-bone-broth", 250.0))
    assert [i.food for i in shopping.make] == ["chicken-stock-homemade"]
    stock = shopping.make[0]
    assert stock.make and stock.grams == 480 and stock.leftover_share == 0
    assert buy_text(stock, "metric") == "make at home" and need_text(stock) == "need 480 ml"
    to_buy = [i.food for a in shopping.aisles for i in a.items]
    assert to_buy == ["chicken-bone-broth"] and shopping.counts()["make"] == 1 and shopping.counts()["to_buy"] == 1
    assert buying(FOODS["chicken-stock-homemade"]).homemade and not buying(FOODS["chicken-bone-broth"]).homemade
    text = to_text(shopping)
    assert "MAKE AT HOME\n[ ] Chicken stock, homemade — make at home, need 480 ml" in text
    rows = list(csv.DictReader(io.StringIO(to_csv(shopping).lstrip("\ufeff"))))
    assert [(r["item"], r["section"]) for r in rows] == [("Chicken bone broth", "buy"),
                                                       ("Chicken stock, homemade", "make")]
    assert json.loads(to_json(shopping))["make"][0]["make"] is True


def test_a_homemade_food_never_goes_to_the_pantry():
    shopping = _week(("chicken-stock-homemade", 300.0),
                     settings=Settings(pantry=frozenset({"chicken-stock-homemade"})))
    assert [i.food for i in shopping.make] == ["chicken-stock-homemade"] and not shopping.pantry


# -- 4. eggs by the egg ------------------------------------------------------------------------------

def test_eggs_are_counted_and_bought_by_the_box():
    shopping = _week(("egg-whole-raw", 100.0), ("egg-whole-raw", 150.0))
    eggs = _line(shopping, "egg-whole-raw")
    assert need_text(eggs) == "need 5 eggs" and buy_text(eggs, "metric") == "6 eggs (box of 6)"
    assert (eggs.purchase.count, eggs.purchase.pieces, eggs.bought_grams) == (1, 6, 300)
    rows = list(csv.DictReader(io.StringIO(to_csv(shopping).lstrip("\ufeff"))))
    assert (rows[0]["quantity"], rows[0]["unit"], rows[0]["need"]) == ("6", "eggs", "5 eggs")


def test_boiled_eggs_and_yolks_are_bought_as_eggs():
    shopping = _week(("egg-whole-raw", 150.0), ("egg-boiled", 100.0), ("egg-yolk-raw", 68.0))
    assert [i.bought_food for i in shopping.items()] == ["egg-whole-raw"]
    eggs = shopping.aisles[0].items[0]
    assert need_text(eggs) == "need 9 eggs (Egg, boiled: 100 g ≈ 2 eggs; Egg yolk, raw: 68 g ≈ 4 eggs)"
    assert buy_text(eggs, "metric") == "12 eggs (2 × box of 6)"
    assert need_text(_line(_week(("duck-egg-raw", 140.0)), "duck-egg-raw")) == "need 2 duck eggs"


def test_eggs_written_by_hand_are_counted_by_the_egg():
    assert read_extra("2 eggs", SearchIndex(FOODS.values())).grams == 100


# -- 5. meat and fish in packs that fit ---------------------------------------------------------------

def test_lamb_for_375_g_is_one_pack_not_a_whole_leg():
    lamb = _line(_week(("leg-of-lamb-raw", 375.0)), "leg-of-lamb-raw")
    assert buy_text(lamb, "metric") == "1 × pack 400 g (diced leg)" and lamb.bought_grams == 400
    assert lamb.leftover_share == pytest.approx(25 / 400)


def test_raw_meat_and_fish_come_in_supermarket_packs():
    for slug, food in FOODS.items():
        if food["category"] in ("meat-poultry", "fish-seafood") and food["form"] in ("raw", "ground"):
            assert food["purchase_unit"]["grams"] <= 600, slug
            assert "joint" not in food["purchase_unit"]["unit"], slug
    salmon = _line(_week(("salmon-fillet-raw", 240.0), ("salmon-fillet-baked", 110.0)), "salmon-fillet-raw")
    assert salmon.grams == pytest.approx(240 + 110 * 1.08) and salmon.purchase.count == 2  # two packs of two fillets


# -- 6. small waste reported honestly, and what a planner may price -------------------------------------

def test_a_whole_swede_for_100_g_is_bought_and_the_leftover_shown():
    swede = _line(_week(("swede", 100.0)), "swede")
    assert buy_text(swede, "metric") == "1 (≈ 800 g)" and need_text(swede) == "need 100 g"
    assert (swede.need_grams, swede.bought_grams, swede.leftover_grams) == (100, 800, 700)
    assert swede.leftover_share == pytest.approx(0.875)
    item = json.loads(to_json(_week(("swede", 100.0))))["aisles"][0]["items"][0]
    assert (item["need_grams"], item["bought_grams"], item["leftover_share"]) == (100, 800, 0.875)


def test_every_line_reports_need_and_usable_bought_grams_for_a_leftover_share():
    uses = [MealUse(MONDAY, "dinner", f"Dish {n}", tuple((slug, 90.0) for slug in list(FOODS)[n::25]))
            for n in range(25)]
    shopping = build_list(uses, FOODS, Settings(), State(), AISLES, "Everything")
    for item in shopping.items():
        assert item.bought_grams >= item.need_grams > 0, item.name
        assert 0 <= item.leftover_share < 1
    rows = list(csv.DictReader(io.StringIO(to_csv(shopping).lstrip("\ufeff"))))
    assert all(float(r["bought_grams"]) >= float(r["grams"]) for r in rows if r["section"] != "extra")


def test_first_buy_grams_is_the_usable_grams_of_the_smallest_purchase():
    assert first_buy_grams(FOODS["chickpeas-canned"]) == 240
    assert first_buy_grams(FOODS["egg-whole-raw"]) == 300
    assert first_buy_grams(FOODS["brown-rice-cooked"]) == 2940  # a 1 kg bag of dried rice, cooked
    assert first_buy_grams(FOODS["yam-cooked"]) == 50  # loose: weighed out to the next 50 g
    assert first_buy_grams(FOODS["swede"]) == 800  # one swede
    for food in FOODS.values():
        assert first_buy_grams(food) == purchase(0.1, food).grams


def test_bought_as_is_the_slug_of_the_shop_line():
    assert bought_as(FOODS["brown-rice-cooked"], FOODS) == "brown-rice-dry"
    assert bought_as(FOODS["red-lentils-boiled"], FOODS) == "red-lentils-dried"
    assert bought_as(FOODS["chickpeas-canned"], FOODS) == "chickpeas-canned"
    assert bought_as(FOODS["brown-rice-cooked"], {"brown-rice-cooked": FOODS["brown-rice-cooked"]}) == \
        "brown-rice-cooked"  # the food it is bought as is not in this catalog: itself


def test_records_from_the_database_get_their_buying_fields_from_the_data_files():
    """The database keeps a food's purchase unit only; the buying fields of a curated food come
    from its data file by slug."""
    for slug in ("brown-rice-cooked", "chicken-stock-homemade", "egg-whole-raw"):
        stored = {k: v for k, v in FOODS[slug].items() if k not in BUYING_FIELDS}
        assert buying(stored) == buying(FOODS[slug]) and buying(stored) != buying({"slug": "onion"})
    private = {"slug": "grans-stock", "name": "Gran's stock", "purchase_unit": {"unit": "tub 500 ml", "grams": 500}}
    assert not buying(private).homemade and bought_as(private, FOODS) == "grans-stock"


# -- the fields in a food record -------------------------------------------------------------------------

def _record(**fields):
    return {**{k: v for k, v in FOODS["brown-rice-cooked"].items() if k not in BUYING_FIELDS}, **fields}


@pytest.mark.parametrize("fields, path", [
    ({"bought_as": {"food": "brown-rice-dry"}}, "bought_as.factor"),
    ({"bought_as": {"food": "brown-rice-dry", "factor": 0}}, "bought_as.factor"),
    ({"bought_as": {"food": "brown-rice-cooked", "factor": 0.3}}, "bought_as.food"),
    ({"bought_as": "brown-rice-dry"}, "bought_as"),
    ({"bought_as": {"food": "Brown Rice", "factor": 0.3}}, "bought_as.food"),
    ({"merges_into": {"food": "brown-rice-dry"}}, "merges_into.factor"),
    ({"merges_into": {"food": "brown-rice-cooked", "factor": 1}}, "merges_into.food"),
    ({"merges_into": ["brown-rice-dry"]}, "merges_into"),
    ({"homemade": "yes"}, "homemade"),
    ({"homemade": True, "bought_as": {"food": "brown-rice-dry", "factor": 0.3}}, "homemade"),
    ({"counted": {"one": "egg", "many": "eggs"}}, "counted.grams"),
    ({"counted": {"one": "egg", "grams": 50}}, "counted.many"),
    ({"counted": {"one": "egg", "many": "eggs", "grams": 50, "size": "large"}}, "counted"),
])
def test_buying_fields_are_checked(fields, path):
    checked = validate_record(_record(**fields), vocabulary())
    assert path in checked.errors


def test_buying_fields_are_kept_only_when_given():
    vocab = vocabulary()
    plain = validate_record(_record(), vocab)
    assert plain.ok and not set(BUYING_FIELDS) & set(plain.record)
    given = validate_record(_record(bought_as={"food": "brown-rice-dry", "factor": "0.34"}, homemade=False), vocab)
    assert given.ok and given.record["bought_as"] == {"food": "brown-rice-dry", "factor": 0.34}
    assert "homemade" not in given.record
    merged = validate_record(_record(merges_into={"food": "white-rice-dry", "factor": 1}), vocab)
    assert merged.ok and merged.record["merges_into"] == {"food": "white-rice-dry", "factor": 1.0}
