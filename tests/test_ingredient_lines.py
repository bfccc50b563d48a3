"""Ingredient lines (planner.recipes.lines) and their grams (planner.recipes.amounts).

Specific behaviours first, then the labelled set tests/data/ingredient_lines.yaml scored as a
whole (accuracy >= 0.9 for quantity, unit and food separately), then property tests."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.recipes.amounts import FoodMeasures, Grams, Measure, household_amount, to_grams
from planner.recipes.lines import UNITS, ParsedLine, parse_line

LABELLED = Path(__file__).parent / "data" / "ingredient_lines.yaml"


def amount(text: str) -> tuple[float | None, float | None, str | None]:
    line = parse_line(text)
    return line.quantity, line.quantity_high, line.unit


# ------------------------------------------------------------------------------ numbers

@pytest.mark.parametrize(("text", "quantity"), [
    ("2 eggs", 2), ("1.5 kg potatoes", 1.5), ("1,5 kg potatoes", 1.5), ("1,000 g flour", 1000),
    ("1/2 cup milk", 0.5), ("1 1/2 cups milk", 1.5), ("½ tsp salt", 0.5), ("1½ tsp salt", 1.5),
    ("1 ½ tsp salt", 1.5), ("¾ cup sugar", 0.75), ("1⁄2 tsp salt", 0.5), ("⅓ cup oil", 1 / 3),
    ("one onion", 1), ("two carrots", 2), ("a lemon", 1), ("an apple", 1), ("half a lemon", 0.5),
    ("a dozen eggs", 12), ("a couple of bay leaves", 2), ("one and a half cups water", 1.5),
])
def test_numbers(text: str, quantity: float) -> None:
    assert parse_line(text).quantity == pytest.approx(quantity)


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("1-2 tbsp oil", 1, 2, "tbsp"), ("1–2 tbsp oil", 1, 2, "tbsp"), ("1 to 2 tbsp oil", 1, 2, "tbsp"),
    ("1 or 2 chillies", 1, 2, None), ("½–1 tsp chilli flakes", 0.5, 1, "tsp"), ("100-150ml milk", 100, 150, "ml"),
    ("100g-150g rice", 100, 150, "g"), ("1 to 1 1/2 cups stock", 1, 1.5, "cup"), ("6–8 chicken thighs", 6, 8, None),
])
def test_ranges(text: str, low: float, high: float, unit: str | None) -> None:
    assert amount(text) == (pytest.approx(low), pytest.approx(high), unit)


def test_a_falling_second_number_is_not_a_range() -> None:
    line = parse_line("2-1 tbsp oil")
    assert line.quantity == 2 and line.quantity_high is None


# ------------------------------------------------------------------------------ multipliers and pack sizes

@pytest.mark.parametrize(("text", "quantity", "unit", "size_grams", "food"), [
    ("2 x 400g cans chickpeas", 2, "can", 400, "chickpeas"),
    ("2 × 400 g tins butter beans", 2, "can", 400, "butter beans"),
    ("1 (14 oz) can diced tomatoes", 1, "can", 396.9, "diced tomatoes"),
    ("2 (15-ounce) cans black beans", 2, "can", 425.2, "black beans"),
    ("400g can chopped tomatoes", 1, "can", 400, "chopped tomatoes"),
    ("a 200ml pot of crème fraîche", 1, "pot", 200, "crème fraîche"),
    ("1 can (400 ml) coconut milk", 1, "can", 400, "coconut milk"),
    ("1 pack of halloumi (225g)", 1, "pack", 225, "halloumi"),
    ("2 x 200g cod fillets", 2, "fillet", 200, "cod"),
])
def test_pack_sizes(text: str, quantity: float, unit: str, size_grams: float, food: str) -> None:
    line = parse_line(text)
    assert (line.quantity, line.unit, line.food) == (quantity, unit, food)
    assert line.size_grams == pytest.approx(size_grams, rel=1e-3)


# ------------------------------------------------------------------------------ units

@pytest.mark.parametrize(("text", "unit"), [
    ("400g flour", "g"), ("250ml milk", "ml"), ("2tbsp honey", "tbsp"), ("2 Tbsp. honey", "tbsp"),
    ("2 T butter", "tbsp"), ("1 t vanilla", "tsp"), ("2 tablespoons oil", "tbsp"), ("3 teaspoons sugar", "tsp"),
    ("1 tsp. salt", "tsp"), ("1 c. oats", "cup"), ("2 lbs beef", "lb"), ("500 grams beef", "g"),
    ("2 litres stock", "l"), ("2 liters stock", "l"), ("50cl wine", "cl"), ("2dl cream", "dl"), ("5mg saffron", "mg"),
    ("2 fl oz brandy", "fl oz"), ("8 oz. cheese", "oz"), ("1 pint milk", "pint"), ("1 quart broth", "quart"),
    ("1 dessertspoon honey", "dessertspoon"), ("1 dsp honey", "dessertspoon"), ("2 kg potatoes", "kg"),
    ("a pinch of salt", "pinch"), ("1 dash bitters", "dash"), ("2 handfuls rocket", "handful"),
    ("1 bunch coriander", "bunch"), ("2 sprigs thyme", "sprig"), ("3 cloves garlic", "clove"),
    ("4 slices bread", "slice"), ("6 rashers bacon", "rasher"), ("1 tin tuna", "can"), ("1 jar pesto", "jar"),
    ("1 packet yeast", "pack"), ("1 pot yoghurt", "pot"), ("1 bag spinach", "bag"), ("1 stick butter", "stick"),
    ("1 knob butter", "knob"), ("1 head garlic", "head"), ("2 stalks celery", "stalk"), ("2 fillets cod", "fillet"),
    ("1 piece ginger", "piece"), ("2 sheets filo", "sheet"), ("1 stock cube", "cube"), ("3 drops vanilla", "drop"),
    ("a splash of milk", "splash"), ("a glug of oil", "glug"),
])
def test_units(text: str, unit: str) -> None:
    line = parse_line(text)
    assert line.unit == unit and line.unit in UNITS


def test_every_unit_has_a_kind_and_a_factor_for_mass_and_volume() -> None:
    for key, (kind, factor) in UNITS.items():
        assert kind in ("mass", "volume", "count", "container"), key
        assert (factor is not None) == (kind in ("mass", "volume")), key


def test_unit_noun_after_the_food() -> None:
    garlic = parse_line("2 garlic cloves, crushed")
    assert (garlic.unit, garlic.food, garlic.preparation) == ("clove", "garlic", "crushed")
    assert parse_line("3 rosemary sprigs").unit == "sprig"
    assert (parse_line("4 whole cloves").unit, parse_line("4 whole cloves").food) == (None, "whole cloves")
    assert (parse_line("2 cloves").unit, parse_line("2 cloves").food) == (None, "cloves")
    assert (parse_line("1 slice").unit, parse_line("2 pieces").unit) == ("slice", "piece")  # USDA measure words
    assert parse_line("4 pork ribs").food == "pork ribs"


# ------------------------------------------------------------------------------ alternatives and notes

def test_metric_is_kept_from_slash_pairs() -> None:
    assert amount("200g/7oz plain flour") == (200, None, "g")
    assert amount("2oz/50g caster sugar") == (50, None, "g")
    assert amount("1kg/2lb 4oz potatoes")[2] == "kg"
    assert parse_line("1kg/2lb 4oz potatoes").food == "potatoes"


def test_bracketed_equivalent_goes_to_the_note_unless_metric_already() -> None:
    cup = parse_line("1 cup (240 ml) milk")
    assert (cup.quantity, cup.unit, cup.food, cup.note) == (1, "cup", "milk", "240 ml")
    butter = parse_line("100g (3½oz) unsalted butter, softened")
    assert (butter.quantity, butter.unit, butter.food, butter.preparation, butter.note) == (
        100, "g", "unsalted butter", "softened", "")


def test_food_preparation_size_and_note() -> None:
    line = parse_line("2 large eggs, beaten")
    assert (line.quantity, line.unit, line.size, line.food, line.preparation) == (2, None, "large", "eggs", "beaten")
    parsley = parse_line("1 tbsp. chopped fresh parsley")
    assert (parsley.food, parsley.preparation) == ("fresh parsley", "chopped")
    assert parse_line("1 (400g) can chopped tomatoes").food == "chopped tomatoes"
    thighs = parse_line("4 chicken thighs, skin on, boneless")
    assert (thighs.food, thighs.preparation) == ("chicken thighs", "skin on, boneless")
    pepper = parse_line("salt and freshly ground black pepper")
    assert (pepper.food, pepper.preparation, pepper.quantity) == ("salt and black pepper", "freshly ground", None)
    dust = parse_line("500g flour, plus extra for dusting")
    assert (dust.food, dust.note, dust.optional) == ("flour", "plus extra for dusting", False)
    assert parse_line("a thumb-sized piece of ginger").size == "thumb-sized"
    assert parse_line("2 tbsp butter or olive oil").note == "or olive oil"


def test_compound_amounts_add_up_in_the_first_unit() -> None:
    assert amount("1 tbsp + 1 tsp sugar") == (pytest.approx(4 / 3), None, "tbsp")
    assert amount("1 cup plus 2 tablespoons flour") == (pytest.approx(1.125), None, "cup")
    assert amount("1lb 2oz potatoes") == (pytest.approx(1.125), None, "lb")
    assert parse_line("1 tbsp + 1 tsp sugar").food == "sugar"


def test_descriptors_split_by_a_comma_stay_with_the_food() -> None:
    assert parse_line("8 bone-in, skin-on chicken thighs").food == "bone-in skin-on chicken thighs"


def test_a_bare_optional_phrase_is_no_food() -> None:
    line = parse_line("to taste")
    assert (line.food, line.optional, line.quantity) == ("", True, None)


def test_juice_and_zest() -> None:
    assert (parse_line("juice of 1 lemon").quantity, parse_line("juice of 1 lemon").food) == (1, "lemon juice")
    assert parse_line("zest of 1 orange").food == "orange zest"
    assert parse_line("zest and juice of 1 lime").food == "lime"
    assert parse_line("juice of 2 limes").food == "lime juice"


def test_bullets_are_dropped() -> None:
    for text in ("- 2 tbsp olive oil", "• 2 tbsp olive oil", "* 2 tbsp olive oil", "▢ 2 tbsp olive oil"):
        assert amount(text) == (2, None, "tbsp") and parse_line(text).food == "olive oil"


@pytest.mark.parametrize("text", ["For the sauce:", "FOR THE DRESSING", "Marinade:", "For the topping"])
def test_headers(text: str) -> None:
    line = parse_line(text)
    assert (line.quantity, line.unit, line.food, line.note) == (None, None, "", "header")


@pytest.mark.parametrize(("text", "optional"), [
    ("salt, to taste", True), ("Fresh coriander, to serve", True), ("1 avocado (optional)", True),
    ("parsley, for garnish", True), ("Sea salt, to season", True), ("pinch of chilli (optional)", True),
    ("Olive oil, for frying", False), ("1 tsp salt, plus more to taste", False), ("2 eggs", False),
])
def test_optional(text: str, optional: bool) -> None:
    assert parse_line(text).optional is optional


@pytest.mark.parametrize("text", ["", " ", "\t\n", "\u00a0"])
def test_blank_line_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="empty or blank"):
        parse_line(text)


def test_text_is_kept_unchanged() -> None:
    assert parse_line("  ½ tsp Salt ").text == "  ½ tsp Salt "


# ------------------------------------------------------------------------------ to_grams

EGG = FoodMeasures((Measure(1, None, "large", 50, "1 large"), Measure(1, None, "medium", 44, "1 medium")),
                   density=None, piece_grams=None, container_grams=None)
OIL = FoodMeasures((Measure(1, "tbsp", None, 13.5, "1 tbsp"), Measure(1, "cup", None, 216, "1 cup")),
                   density=0.92, piece_grams=None, container_grams=None)
FLOUR = FoodMeasures((), density=0.53, piece_grams=None, container_grams=None)
UNKNOWN = FoodMeasures((), density=None, piece_grams=None, container_grams=None)
ONION = FoodMeasures((Measure(1, "cup", None, 160, "1 cup, chopped"),), density=None, piece_grams=110,
                     container_grams=None)
CHICKPEAS = FoodMeasures((Measure(1, "cup", None, 164, "1 cup"),), density=None, piece_grams=None,
                         container_grams=240, container_size_grams=400)
TOMATOES = FoodMeasures((), density=None, piece_grams=None, container_grams=400)
GARLIC = FoodMeasures((Measure(1, "clove", None, 3, "1 clove"),), density=None, piece_grams=None, container_grams=None)


def grams(text: str, measures: FoodMeasures) -> Grams:
    result = to_grams(parse_line(text), measures)
    assert result is not None
    return result


def test_mass_converts_directly() -> None:
    assert grams("200g flour", FLOUR).grams == 200
    assert grams("8 oz. cream cheese", UNKNOWN).grams == pytest.approx(226.8, rel=1e-3)
    assert grams("1 lb beef", UNKNOWN).grams == pytest.approx(453.6, rel=1e-3)


def test_volume_uses_the_foods_own_measure_first() -> None:
    result = grams("2 tbsp olive oil", OIL)
    assert (result.grams, result.confident) == (27, True)
    assert grams("½ cup oil", OIL).grams == pytest.approx(108)


def test_volume_uses_another_volume_measure_then_density() -> None:
    assert grams("100 ml oil", OIL).grams == pytest.approx(90)         # 216 g / 240 ml from the cup
    assert grams("2 cups plain flour", FLOUR).grams == pytest.approx(2 * 240 * 0.53)


def test_volume_falls_back_to_water_not_confident() -> None:
    result = grams("1 cup mystery", UNKNOWN)
    assert (result.grams, result.confident) == (240, False)


def test_heaped_spoon_holds_more() -> None:
    assert grams("1 heaped tbsp flour", FLOUR).grams > grams("1 tbsp flour", FLOUR).grams


def test_count_by_matching_size_then_piece_then_first_measure() -> None:
    assert grams("3 large eggs", EGG).grams == 150
    assert grams("2 onions", ONION).grams == 220
    guess = grams("2 onions", FoodMeasures((Measure(1, "cup", None, 160, "1 cup"),), None, None, None))
    assert (guess.grams, guess.confident) == (320, False)
    assert to_grams(parse_line("2 onions"), UNKNOWN) is None


def test_a_serving_is_not_a_piece() -> None:
    serving = FoodMeasures((Measure(1, None, None, 250, "1 serving"),), density=None, piece_grams=60,
                           container_grams=None)
    assert grams("2 apples", serving).grams == 120
    assert household_amount(120, serving) == "2"


def test_count_unit_by_measure_else_a_guess() -> None:
    assert grams("3 garlic cloves", GARLIC).grams == 9
    guess = grams("a knob of butter", UNKNOWN)
    assert guess.confident is False and guess.grams == 15


def test_container_by_stated_size_drained_share_and_container_grams() -> None:
    assert grams("1 (400g) can chopped tomatoes", TOMATOES).grams == 400
    drained = grams("2 x 400g cans chickpeas, drained", CHICKPEAS)
    assert drained.grams == pytest.approx(480) and "drained" in drained.how
    assert grams("1 can chickpeas", CHICKPEAS).grams == 240
    assert to_grams(parse_line("1 jar pesto"), UNKNOWN) is None


def test_pinch_and_optional_and_ranges() -> None:
    assert grams("a pinch of salt", UNKNOWN).grams == pytest.approx(0.3)
    assert to_grams(parse_line("salt, to taste"), FLOUR) is None
    assert grams("3-4 tbsp olive oil", OIL).grams == pytest.approx(3.5 * 13.5)


# ------------------------------------------------------------------------------ household_amount

@pytest.mark.parametrize(("weight", "measures", "hint", "expected"), [
    (150, EGG, None, "3 large"),
    (100, EGG, None, "2 large"),
    (27, OIL, None, "2 tbsp"),
    (240, CHICKPEAS, None, "1 can"),
    (480, CHICKPEAS, "can", "2 cans"),
    (184, OIL, "ml", "200 ml"),
    (150, UNKNOWN, None, "150 g"),
    (1234, UNKNOWN, None, "1.25 kg"),
    (2, FLOUR, None, "¾ tsp"),
    (190, FLOUR, None, "1½ cups"),
    (9, GARLIC, "clove", "3 cloves"),
    (55, ONION, None, "½"),
    (17, UNKNOWN, None, "17 g"),
])
def test_household_amount(weight: float, measures: FoodMeasures, hint: str | None, expected: str) -> None:
    assert household_amount(weight, measures, hint) == expected


def test_household_amount_falls_back_to_weight_when_rounding_is_poor() -> None:
    assert household_amount(35, EGG) == "35 g"  # 0.7 large or 0.8 medium egg: too far from ½ or 1


@pytest.mark.parametrize(("text", "measures", "expected"), [
    ("2 tbsp olive oil", OIL, "2 tbsp"), ("3 large eggs", EGG, "3 large"), ("1 can chickpeas", CHICKPEAS, "1 can"),
    ("1 cup plain flour", FLOUR, "1 cup"), ("½ tsp flour", FLOUR, "½ tsp"),
])
def test_grams_round_trip_through_household_amount(text: str, measures: FoodMeasures, expected: str) -> None:
    assert household_amount(grams(text, measures).grams, measures) == expected


# ------------------------------------------------------------------------------ the labelled set

def _close(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return math.isclose(got, want, rel_tol=0.01)


def _norm(food: str) -> str:
    return " ".join(food.lower().split())


def right(line: ParsedLine, label: dict[str, Any]) -> dict[str, bool]:
    """Which fields of `line` agree with `label` (food after lower-casing and whitespace
    normalising); bench/parse_bench.py reports the same."""
    return {
        "quantity": _close(line.quantity, label["quantity"]) and _close(line.quantity_high, label["quantity_high"]),
        "unit": line.unit == label["unit"],
        "food": _norm(line.food) == _norm(label["food"]),
        "optional": line.optional == label["optional"],
    }


def labelled() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
    return entries


def test_labelled_set_is_big_and_well_formed() -> None:
    entries = labelled()
    assert len(entries) >= 220
    assert len({e["line"] for e in entries}) == len(entries)
    for e in entries:
        assert {"line", "quantity", "quantity_high", "unit", "food", "optional"} <= set(e), e
        assert e["unit"] is None or e["unit"] in UNITS, e


def test_labelled_set_accuracy() -> None:
    entries = labelled()
    hits = {"quantity": 0, "unit": 0, "food": 0}
    for e in entries:
        agree = right(parse_line(e["line"]), e)
        for field in hits:
            hits[field] += agree[field]
    accuracy = {k: v / len(entries) for k, v in hits.items()}
    assert all(a >= 0.9 for a in accuracy.values()), accuracy


# ------------------------------------------------------------------------------ properties

@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_never_raises_except_for_blank(text: str) -> None:
    if not text.strip():
        with pytest.raises(ValueError):
            parse_line(text)
        return
    line = parse_line(text)
    assert isinstance(line, ParsedLine) and line.text == text
    assert line.unit is None or line.unit in UNITS
    assert line.quantity is None or math.isfinite(line.quantity)


_KITCHEN = st.sampled_from(["1", "½", "2 x 400g", "1 (14 oz)", "3-4", "a", "1 1/2", "200g/7oz", "1,5", "(", ")", "/",
                            "-", "x", "×", "tbsp", "T", "cup", "can", "of", "large", "cloves", "garlic", "finely",
                            "chopped", ",", "to taste", "(optional)", "juice of", "for the", ":", " ", "•", "0/0"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_KITCHEN, min_size=1, max_size=12).map(" ".join))
def test_never_raises_on_kitchen_like_text(text: str) -> None:
    if not text.strip():
        return
    line = parse_line(text)
    assert line.quantity_high is None or (line.quantity is not None and line.quantity_high > line.quantity)
    assert line.food == line.food.lower()
