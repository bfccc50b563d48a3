"""A recipe as shown to people: ingredients scaled to any number of servings, nutrients per serving."""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from planner.foods.nutrition import NUTRIENTS, unit_of
from planner.foods.records import Record
from planner.recipes.amounts import FoodMeasures, household_amount
from planner.recipes.facts import Dish
from planner.recipes.lines import UNITS, ParsedLine, parse_line
from planner.recipes.measures import measures_of
from planner.recipes.rules import child_rules

MAX_SERVINGS = 24
# How an ingredient goes in, as the recipe page says it; nothing for one cooked with the dish.
ADDED_AT_END = "added at the end"


@dataclass(frozen=True)
class Line:
    slug: str
    name: str
    grams: float
    note: str
    added: str = "cooked"  # cooked, raw or end (planner.recipes.safety.ADDED)
    how: str = ""  # "raw", "not heated" or "added at the end"; "" when cooked with the dish
    amount: str = ""  # what a cook measures: "2 tbsp", "3", "1 can"; "" when only the grams say it
    words: str = ""  # the food as the amount reads with it: "olive oil", "eggs"


def added_label(added: str, food: Record) -> str:
    """'raw' for fresh food eaten raw, 'not heated' for a ready-to-eat one (kefir, canned beans),
    'added at the end' for one stirred in off the heat or at the table."""
    if added == "end":
        return ADDED_AT_END
    if added == "raw":
        return "raw" if food.get("form") in ("raw", "frozen") else "not heated"
    return ""


def scaled_ingredients(recipe: Record, foods: Mapping[str, Record], servings: float) -> list[Line]:
    """Each ingredient at these servings, in grams and as a cook measures it ("2 tbsp" olive oil);
    `amount` is left empty when the cook's amount would be grams anyway."""
    lines = []
    for row in recipe["ingredients"]:
        food, added = foods[row["food"]], row.get("added", "cooked")
        grams = round(row["grams"] * servings, 1)
        said = cook_parts(grams, food)
        amount = "" if said.quantity.endswith((" g", " kg")) else said.quantity
        lines.append(Line(row["food"], food["name"], grams, row.get("note", ""), added, added_label(added, food),
                          amount, said.food))
    return lines


def own_lines(recipe: Record, servings: float) -> list[OwnLine]:
    """An own recipe's lines as the cook wrote them, with the grams each gives at these servings
    (what a line adds is counted once; a line not counted says so)."""
    scale = servings / recipe["servings"]
    return [OwnLine(raw["text"], raw.get("food"), raw.get("food_name", ""),
                    None if raw.get("grams") is None else round(raw["grams"] * scale, 1), bool(raw.get("header")),
                    bool(raw.get("optional")))
            for raw in recipe.get("lines", [])]


@dataclass(frozen=True)
class OwnLine:
    text: str
    food: str | None
    food_name: str
    grams: float | None
    header: bool
    optional: bool


def nutrient_lines(dish: Dish) -> list[tuple[str, float, str]]:
    """(label, amount per serving, unit), alcohol left out (recipes have none)."""
    return [
        (label.split(" (")[0], dish.facts.nutrients[name], unit_of(name))
        for name, label in NUTRIENTS.items() if name != "alcohol_g"
    ]


def child_notes(dish: Dish) -> list[str]:
    return [f"{rule.text} {rule.why}" for rule in child_rules()
            if any(rule.matches(part.food, part.tags) for part in dish.facts.parts)]


# ------------------------------------------------------------------------------ amounts a cook reads

# A count is said in whole (or, below 3, half) pieces, a spoon in ¼, ½ or whole spoons; an amount
# is said so only when the rounding is off by at most this share, else in grams (or ml).
COUNT_TOLERANCE = 0.2
SMALL_PIECE_TOLERANCE = 0.5  # garlic cloves, olives, bay leaves differ more than that among themselves
SPOON_TOLERANCE = 0.2
SPICE_TOLERANCE = 0.35  # a spice's ½ tsp need not weigh what the recipe's grams say to the 0.1 g
MAX_PIECES = 24         # "16 eggs" is a shopping amount a cook can count; more is said in grams
MAX_SMALL_PIECES = 12   # of pieces under SMALL_PIECE_GRAMS (basil leaves, olives, garlic cloves, dates)
SMALL_PIECE_GRAMS = 10.0
HALF_PIECE_GRAMS = 30.0  # "1½ onions", "1½ slices bread"; smaller pieces are counted whole from 1 up
MAX_CANS = 6
MAX_SPOON_ML = 120.0    # 8 tbsp: herbs, spices, oils and sauces; more is said in ml or grams
MAX_PASTE_ML = 60.0     # 4 tbsp: butter, nut butters, seeds, cream cheese ...; more in grams
MAX_DRINK_SPOON_ML = 30.0  # milk, stock: "2 tbsp milk", then "100 ml milk"
PINCH_ML = 0.94         # under about ⅛ tsp a spice is "a pinch"
PLAUSIBLE_G_PER_ML = (0.02, 1.6)  # a spoon measure outside this range is a data slip, not used
SPOONS = ("tsp", "tbsp", "dessertspoon")
# How a count unit of a food's portion is said: "2 garlic cloves", "2 slices wholemeal bread".
COMPOUND_PIECES = {"clove", "fillet", "stick", "spear", "stem", "pod", "leaf", "floret"}
OF_PIECES = {"slice", "sprig", "sheet"}
# Portion words that are not one piece of the food ("1 glass", "1 portion", "half a ball").
NOT_PIECES = {"serving", "portion", "glass", "mug", "bundle", "ball", "cup", "piece", "handful", "pot", "pack",
              "block", "container", "bunch", "cubed", "cubes", "chopped", "sliced", "shredded", "diced", "dry",
              "dried", "cooked", "tuber", "tubers"}
# Qualifiers after a comma or in brackets that the cook needs, said before the name: "Brown rice
# (uncooked)" -> "dry brown rice", "Chickpeas, boiled" -> "boiled chickpeas".
SAID_QUALIFIERS = {"cooked": "cooked", "boiled": "boiled", "baked": "baked", "roasted": "roasted",
                   "dried": "dried", "dry": "dry", "uncooked": "dry", "frozen": "frozen", "smoked": "smoked"}
PROPER_WORDS = {"greek", "puy", "medjool", "kalamata", "jerusalem", "swiss", "cheddar", "parmesan", "savoy",
                "brazil", "dijon", "worcestershire", "thai", "bramley", "cox", "conference", "stilton",
                "wensleydale", "gruyère", "emmental", "camembert", "brie", "roquefort", "manchego", "padrón",
                "tenderstem", "marmite", "chinese", "japanese", "korean", "indian", "italian", "french", "spanish"}
UNCOUNTED_NOUNS = {"pak choi", "beetroot", "passion fruit", "kimchi", "fish", "salmon", "trout", "mackerel", "cod",
                   "haddock", "asparagus", "broccoli", "celery", "chard", "kale", "spinach", "halloumi", "feta"}
IRREGULAR_PLURALS = {"leaf": "leaves", "loaf": "loaves", "half": "halves", "kiwi": "kiwis", "chilli": "chillies",
                     "tomato": "tomatoes", "potato": "potatoes", "mango": "mangoes", "radish": "radishes"}


@dataclass(frozen=True)
class Said:
    """An amount as a cook reads it, in two parts so a page can link the food: quantity "2 tbsp",
    "a pinch of", "3"; food "olive oil", "eggs"."""

    quantity: str
    food: str

    def __str__(self) -> str:
        return f"{self.quantity} {self.food}"


def cook_amount(grams: float, food: Record) -> str:
    """`grams` of `food` as a cook reads it: "3 eggs", "2 tbsp olive oil", "1 can chickpeas",
    "200 ml milk", "½ tsp ground cumin", "2 garlic cloves", "150 g spinach"."""
    return str(cook_parts(grams, food))


def cook_parts(grams: float, food: Record) -> Said:
    """cook_amount in its two parts. Pieces for foods whose portion is a piece (eggs, onions,
    fillets, garlic cloves), cans for canned goods sold in cans, spoons for herbs, spices, oils,
    sauces and spreads, millilitres for liquids, else grams; each only when its rounding is close
    (see the tolerances above) and the count sensible, else the next, grams last."""
    name = food_words(food)
    if not math.isfinite(grams) or grams <= 0:
        return Said("0 g", name)
    try:
        measures = measures_of(food)
        ways = (_said_in_pieces, _said_in_cans, _said_in_spoons, _said_in_ml)
        for way in ways:
            said = way(grams, food, measures, name)
            if said is not None:
                return said
    except (KeyError, TypeError, ValueError, AttributeError, ZeroDivisionError):
        pass  # a record without what the measures need: weighed
    return Said(household_amount(grams, FoodMeasures(())), name)


def _said_in_pieces(grams: float, food: Record, measures: FoodMeasures, name: str) -> Said | None:
    """ "3 eggs", "½ onion", "2 garlic cloves", "1 slice wholemeal bread": half pieces below 1 (and
    below 3 of pieces of HALF_PIECE_GRAMS or more), else whole ones."""
    piece = _piece(food, name)
    if piece is None:
        return None
    each, one, many, style = piece
    exact = grams / each
    step = 0.5 if exact < 1 or (exact < 3 and each >= HALF_PIECE_GRAMS) else 1.0
    count = round(exact / step) * step
    small = each < SMALL_PIECE_GRAMS
    tolerance = SMALL_PIECE_TOLERANCE if small else COUNT_TOLERANCE
    if count < 0.5 or count > (MAX_SMALL_PIECES if small else MAX_PIECES) or abs(count - exact) / exact > tolerance:
        return None
    whole = int(count)
    text = f"{whole or ''}{'½' if count != whole else ''}"
    noun = one if count <= 1 else many
    if style in OF_PIECES:  # "2 slices wholemeal bread"
        return Said(f"{text} {noun}", name)
    return Said(text, noun)


def _piece(food: Record, name: str) -> tuple[float, str, str, str] | None:
    """(grams of one piece, singular, plural, count unit or "") when the food is counted in pieces."""
    counted = food.get("counted")
    if counted and float(counted.get("grams") or 0) > 0:  # "egg", "eggs"; "boiled eggs" for Egg, boiled
        one, many = str(counted["one"]), str(counted["many"])
        said = name.split()[0]
        if said in SAID_QUALIFIERS.values() and said not in one.split():
            one, many = f"{said} {one}", f"{said} {many}"
        return float(counted["grams"]), one, many, ""
    portion = _portion(str(food["portion"]["measure"]))
    grams, quantity = float(food["portion"]["grams"]), portion.quantity
    if not quantity or grams <= 0 or portion.quantity_high is not None:
        return None
    each = grams / quantity
    words = portion.food.split()
    last = _singular(words[-1]) if words else ""
    unit = portion.unit
    base = name.split()
    singular_base = [_singular(w) for w in base]
    if unit in (None, "piece") and last and last not in NOT_PIECES and not (set(words) & NOT_PIECES):
        if last in singular_base:  # "1 medium onion" of Onion; "1 pitta" of Wholemeal pitta bread
            noun = " ".join(base[:singular_base.index(last)] + [last])
            return each, noun, _plural_noun(noun), ""
        if last in COMPOUND_PIECES:  # "1 clove" of Garlic -> garlic clove
            noun = f"{_singular_name(name)} {last}"
            return each, noun, _plural_noun(noun), last
        return None
    if unit in COMPOUND_PIECES:  # "1 fillet" of Salmon fillet, "1 stick" of Celery
        if unit in singular_base or last in singular_base:
            noun = _singular_name(name)
        else:
            noun = f"{_singular_name(name)} {unit}"
        return each, noun, _plural_noun(noun), unit
    if unit in OF_PIECES and (unit != "slice" or food.get("category") == "bakery"):
        return each, unit, _plural_noun(unit), unit
    return None


@lru_cache(maxsize=4096)
def _portion(measure: str) -> ParsedLine:
    return parse_line(measure)


def _said_in_cans(grams: float, food: Record, measures: FoodMeasures, name: str) -> Said | None:
    """Whole or half cans of a canned food bought in cans ("1 can chickpeas")."""
    bought = str(food["purchase_unit"]["unit"]).lower().split()
    if food.get("form") != "canned" or not bought or bought[0] not in ("can", "tin"):
        return None
    each = measures.container_grams or float(food["purchase_unit"]["grams"])
    text = household_amount(grams, FoodMeasures((), container_grams=each))
    count = _number(text)
    if count is None or not text.endswith(("can", "cans")) or count > MAX_CANS:
        return None
    return Said(text, name)


def _said_in_spoons(grams: float, food: Record, measures: FoodMeasures, name: str) -> Said | None:
    """Teaspoons and tablespoons of herbs, spices, oils, sauces and spreads; "a pinch of" a spice.
    Never of a food counted in pieces ("16 bay leaves" are not "2 tbsp bay leaves")."""
    if _piece(food, name) is not None:
        return None
    spice = food.get("category") in ("herbs-spices", "soothing-herbs") or food.get("slug") == "table-salt"
    portion = _portion(str(food["portion"]["measure"]))
    liquid = _is_liquid(food)
    fresh = food.get("form") == "raw"
    if portion.unit in SPOONS and portion.size is None:
        poured = (spice and not fresh) or liquid or food.get("category") == "fats-oils"
        most = MAX_SPOON_ML if poured else MAX_PASTE_ML
    elif spice:
        most = MAX_PASTE_ML if fresh else MAX_SPOON_ML
    elif liquid:
        most = MAX_DRINK_SPOON_ML
    else:
        return None
    per_ml = _grams_per_ml(measures)
    if per_ml is None:
        return None
    ml = grams / per_ml
    if spice and ml < PINCH_ML and food.get("form") in ("dried", "ground"):
        return Said("a pinch of", name)
    if ml > most + 1e-9:
        return None
    unit = "tsp" if ml < 13.75 else "tbsp"
    text = household_amount(grams, FoodMeasures((), density=per_ml), unit)
    amount = _number(text)
    spoons = ml / (UNITS[unit][1] or 1.0)
    tolerance = SPICE_TOLERANCE if spice else SPOON_TOLERANCE
    if amount is None or not text.endswith(unit) or abs(amount - spoons) / spoons > tolerance:
        return None
    return Said(text, name)


def _said_in_ml(grams: float, food: Record, measures: FoodMeasures, name: str) -> Said | None:
    if not _is_liquid(food):
        return None
    return Said(household_amount(grams, FoodMeasures((), density=_grams_per_ml(measures) or 1.0), "ml"), name)


def _is_liquid(food: Record) -> bool:
    """Poured rather than weighed: liquid foods, and foods sold or served by the millilitre."""
    text = f"{food['purchase_unit']['unit']} {food['portion']['measure']}".lower()
    return food.get("form") == "liquid" or re.search(r"\d\s*(ml|l)\b", text) is not None


def _grams_per_ml(measures: FoodMeasures) -> float | None:
    """The food's g/ml from its own or USDA spoon measures (level ones), else a cup or other
    volume measure; None when none is known or the value is implausible."""
    volume = [m for m in measures.measures if m.unit in UNITS and UNITS[m.unit][0] == "volume"
              and (UNITS[m.unit][1] or 0) >= 1 and m.amount > 0 and m.size is None]
    volume.sort(key=lambda m: m.unit not in SPOONS)
    for m in volume:
        per_ml = m.grams / (m.amount * (UNITS[m.unit or "ml"][1] or 1.0))
        if PLAUSIBLE_G_PER_ML[0] <= per_ml <= PLAUSIBLE_G_PER_ML[1]:
            return per_ml
    return None


def _number(text: str) -> float | None:
    """The leading number of "1½ tbsp", "¾", "3 large", "0.5 g"; None when there is none."""
    match = re.match(r"(\d+(?:\.\d+)?)?([¼½¾⅓⅔])?(?=\s|$)", text)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    fractions = {"¼": 0.25, "½": 0.5, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
    return float(match.group(1) or 0) + fractions.get(match.group(2) or "", 0.0)


# ------------------------------------------------------------------------------ food names a cook reads

def food_words(food: Record) -> str:
    """A food's name as a recipe line says it: lower case but for proper nouns, without the
    qualifiers a cook does not need ("Egg, whole, raw" -> "egg", "Chickpeas (canned, drained)"
    -> "chickpeas"), with those they do before it ("Brown rice (uncooked)" -> "dry brown rice")."""
    full = str(food.get("name") or food.get("slug") or "food")
    base = re.split(r"\s*[,(]", full, maxsplit=1)[0].strip() or full
    rest = full[len(base):].lower()
    base = re.sub(r"\s+canned in \w+$", "", base, flags=re.I)
    base = re.sub(r"^raw\s+", "", base, flags=re.I)
    words = [w if w.lower() in PROPER_WORDS else w.lower() for w in base.split()]
    said = next((SAID_QUALIFIERS[w] for w in re.findall(r"[a-z]+", rest) if w in SAID_QUALIFIERS), None)
    if said and said not in (w.lower() for w in words):
        words.insert(0, said)
    return " ".join(words) or full.lower()


def _singular(word: str) -> str:
    word = word.lower()
    for one, plural in IRREGULAR_PLURALS.items():
        if word == plural:
            return one
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("oes", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _uncounted(noun: str) -> bool:
    """A noun said the same for one and many: "2 pak choi", "2 cooked beetroot"."""
    return any(noun.lower() == u or noun.lower().endswith(" " + u) for u in UNCOUNTED_NOUNS)


def _singular_name(name: str) -> str:
    words = name.split()
    if _uncounted(name) or not words:
        return name
    return " ".join([*words[:-1], _singular(words[-1])])


def _plural_noun(noun: str) -> str:
    words = noun.split()
    if _uncounted(noun) or not words:
        return noun
    last = words[-1]
    if last.lower() in IRREGULAR_PLURALS:
        plural = IRREGULAR_PLURALS[last.lower()]
    elif last.endswith("s"):
        plural = last
    elif last.endswith(("ch", "sh", "x")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return " ".join([*words[:-1], plural])
