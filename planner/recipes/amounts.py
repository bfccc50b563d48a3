"""Grams from a parsed ingredient line, and grams back into an amount a cook measures.

`to_grams(parse_line("2 tbsp olive oil"), olive_oil_measures)` weighs a line using what is known
of the food (`FoodMeasures`: household measures as in USDA SR28 GmWt_1/GmWt_2 or our own
portion and purchase data, a density, the weight of one piece, of one container).
`household_amount(27.6, olive_oil_measures)` says it back as "2 tbsp".

Pure functions; the unit table is planner.recipes.lines.UNITS.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from planner.recipes.lines import UNITS, ParsedLine

# A pinch of a dry spice or salt: about 1/16 tsp, which weighs about 0.3 g (salt 0.36 g, ground
# spices 0.15-0.3 g at their SR28 teaspoon weights). A convention, not a measurement.
PINCH_GRAMS = 0.3
# Water, the fallback density (g/ml) when nothing is known of the food; answers using it are
# marked not confident.
WATER_DENSITY = 1.0
# How much a "heaped" or "scant" spoon holds against a level one: our own rough figures for
# powders (a heaped spoon of flour weighs about 1.5 level ones). Applied to spoons and cups only.
SPOON_SIZE_FACTORS: dict[str, float] = {
    "heaped": 1.5, "heaping": 1.5, "rounded": 1.25, "generous": 1.25, "level": 1.0, "scant": 0.85,
}
# Kitchen count units with no measure for the food: our own rough weights, always marked not
# confident. knob: about a tablespoon of butter; bunch: a supermarket bunch of herbs; handful:
# of leaves or herbs; rasher: UK back bacon; slice: of bread.
DEFAULT_COUNT_GRAMS: dict[str, float] = {
    "knob": 15.0, "bunch": 30.0, "handful": 25.0, "sprig": 1.0, "clove": 4.0, "rasher": 25.0,
    "slice": 35.0, "stalk": 40.0, "stick": 40.0, "cube": 10.0, "sheet": 3.0,
}
# Household measures with no unit that are not one piece of the food (USDA "1 serving",
# "1 container, (6 oz)", "1 NLEA serving"): never used to weigh a count.
NOT_A_PIECE = ("serving", "portion", "container", "package", "nlea", "recipe", "yield")
# Size words preferred for a piece when the line gives none.
DEFAULT_PIECE_SIZES = (None, "medium")
# household_amount: an amount is accepted when rounding it is off by at most this share.
TOLERANCE = 0.15
# household_amount: spoons and cups are used up to this many millilitres (4 cups); above, weight.
MAX_HOUSEHOLD_ML = 960.0
# Fractions a cook measures, and how they are printed.
FRACTION_TEXT: dict[float, str] = {0.25: "¼", 0.5: "½", 0.75: "¾", 1 / 3: "⅓", 2 / 3: "⅔"}


@dataclass(frozen=True)
class Measure:
    """One household measure of a food and its weight."""

    amount: float      # 1
    unit: str | None   # a key of lines.UNITS ("cup", "tbsp"), or None for a piece ("1 large")
    size: str | None   # "large", "medium" ... or None
    grams: float       # what that measure weighs
    description: str   # as written, e.g. "1 cup, chopped", "1 large"


@dataclass(frozen=True)
class FoodMeasures:
    """What is known of a food's household measures.

    container_grams is one can or pack as used: the drained weight for canned goods (a 400 g can
    of chickpeas gives about 240 g drained). container_size_grams, when given, is the pack size
    that weight belongs to (400), so a stated size of another pack is scaled by the same ratio.
    """

    measures: tuple[Measure, ...]
    density: float | None = None            # g per ml when known
    piece_grams: float | None = None        # one whole piece ("1 onion", "1 egg")
    container_grams: float | None = None    # one can / pack as used (drained for canned goods)
    container_size_grams: float | None = None  # the labelled size container_grams comes from


@dataclass(frozen=True)
class Grams:
    """A weight and how it was worked out."""

    grams: float
    how: str         # "2 tbsp × 15 ml × 0.92 g/ml", "3 × large egg 50 g", "1 can, drained 240 g"
    confident: bool  # False when a fallback guess was used


# ------------------------------------------------------------------------------ to grams

def to_grams(line: ParsedLine, measures: FoodMeasures) -> Grams | None:
    """The weight of `line` of a food with `measures`; None when the line gives no amount
    (including optional lines such as "salt, to taste") or nothing known fits."""
    if line.quantity is None:
        return None
    # A range is read at its midpoint: "3-4 tbsp" weighs as 3.5 tbsp.
    q = line.quantity if line.quantity_high is None else (line.quantity + line.quantity_high) / 2
    if line.unit is None or line.unit == "piece":
        return _count_grams(q, line, measures)
    kind = UNITS[line.unit][0]
    if kind == "mass":
        return _mass_grams(q, line.unit)
    if line.unit == "pinch" and not _measures_in(measures, "pinch"):
        # Rule: a pinch is about 0.3 g whatever the (dry) food.
        return Grams(round(q * PINCH_GRAMS, 2), f"{_num(q)} pinch × {PINCH_GRAMS} g", True)
    if kind == "volume":
        return _volume_grams(q, line, measures)
    if kind == "container":
        return _container_grams(q, line, measures)
    return _count_unit_grams(q, line, measures)


def _mass_grams(q: float, unit: str) -> Grams:
    """Rule: mass units convert directly."""
    factor = UNITS[unit][1] or 0.0
    how = f"{_num(q)} g" if unit == "g" else f"{_num(q)} {unit} × {_num(factor)} g"
    return Grams(q * factor, how, True)


def _volume_grams(q: float, line: ParsedLine, measures: FoodMeasures) -> Grams:
    """Rule: a volume is weighed by the food's own measure in the same unit, else by another
    volume measure of the food (its g/ml), else by its density, else as water (not confident).
    A heaped or scant spoon is scaled by SPOON_SIZE_FACTORS."""
    unit = line.unit or "ml"
    ml_per_unit = UNITS[unit][1] or 0.0
    factor = SPOON_SIZE_FACTORS.get(line.size or "", 1.0)
    sized = f" {line.size}" if factor != 1.0 else ""
    same = _best_measure(_measures_in(measures, unit), line)
    if same is not None:
        grams = q * factor * same.grams / same.amount
        return Grams(grams, f"{_num(q)}{sized} {unit} × {_num(same.grams / same.amount)} g ({same.description})",
                     True)
    ml = q * factor * ml_per_unit
    other = _nearest_volume_measure(measures, ml)
    if other is not None:
        per_ml = other.grams / (other.amount * (UNITS[other.unit or "ml"][1] or 1.0))
        return Grams(ml * per_ml, f"{_num(q)}{sized} {unit} × {_num(ml_per_unit)} ml × "
                                  f"{_num(per_ml)} g/ml (from {other.description})", True)
    if measures.density is not None:
        return Grams(ml * measures.density, f"{_num(q)}{sized} {unit} × {_num(ml_per_unit)} ml × "
                                            f"{_num(measures.density)} g/ml", True)
    return Grams(ml * WATER_DENSITY, f"{_num(q)}{sized} {unit} × {_num(ml_per_unit)} ml × 1 g/ml (as water, a guess)",
                 False)


def _count_grams(q: float, line: ParsedLine, measures: FoodMeasures) -> Grams | None:
    """Rule: a count ("3 eggs", "1 large onion") is weighed by the piece measure of the size
    the line gives, else by piece_grams, else by another piece measure, else by the first
    measure of any kind (not confident). A stated size ("2 x 200g fillets") wins."""
    if line.size_grams is not None:
        return Grams(q * line.size_grams, f"{_num(q)} × {_num(line.size_grams)} g as stated", True)
    pieces = [m for m in measures.measures if _is_piece(m)]
    if line.size is not None:
        sized = [m for m in pieces if m.size == line.size]
        if sized:
            m = sized[0]
            return Grams(q * m.grams / m.amount, f"{_num(q)} × {line.size} {_num(m.grams / m.amount)} g", True)
    if measures.piece_grams is not None:
        return Grams(q * measures.piece_grams, f"{_num(q)} × piece {_num(measures.piece_grams)} g", True)
    if pieces:
        m = sorted(pieces, key=lambda p: p.size not in DEFAULT_PIECE_SIZES)[0]
        return Grams(q * m.grams / m.amount, f"{_num(q)} × {m.description} {_num(m.grams / m.amount)} g",
                     line.size is None or m.size is None)
    if measures.measures:
        m = measures.measures[0]
        return Grams(q * m.grams / m.amount, f"{_num(q)} × {m.description} {_num(m.grams / m.amount)} g (a guess)",
                     False)
    return None


def _count_unit_grams(q: float, line: ParsedLine, measures: FoodMeasures) -> Grams | None:
    """Rule: a kitchen count unit ("2 cloves", "1 fillet", "a knob") is weighed by the food's
    measure in that unit, else (fillet, head...) as a whole piece, else by DEFAULT_COUNT_GRAMS
    (not confident)."""
    unit = line.unit or "piece"
    if line.size_grams is not None:
        return Grams(q * line.size_grams, f"{_num(q)} {unit} × {_num(line.size_grams)} g as stated", True)
    same = _best_measure(_measures_in(measures, unit), line)
    if same is not None:
        return Grams(q * same.grams / same.amount, f"{_num(q)} {unit} × {_num(same.grams / same.amount)} g", True)
    if unit in ("fillet", "head") and measures.piece_grams is not None:
        return Grams(q * measures.piece_grams, f"{_num(q)} {unit} × piece {_num(measures.piece_grams)} g", True)
    if unit in DEFAULT_COUNT_GRAMS:
        grams = DEFAULT_COUNT_GRAMS[unit]
        return Grams(q * grams, f"{_num(q)} {unit} × about {_num(grams)} g (a guess)", False)
    return None


def _container_grams(q: float, line: ParsedLine, measures: FoodMeasures) -> Grams | None:
    """Rule: a container is weighed by its stated size (scaled by the drained share when the
    food's container_grams is a drained weight of container_size_grams), else by the food's
    measure in that unit, else by container_grams. A size in ml is read as grams."""
    unit = line.unit or "can"
    drained = _drained_share(measures)
    if line.size_grams is not None:
        if drained is not None:
            return Grams(q * line.size_grams * drained,
                         f"{_num(q)} × {_num(line.size_grams)} g {unit}, drained {round(drained * 100)} %", True)
        return Grams(q * line.size_grams, f"{_num(q)} × {_num(line.size_grams)} g {unit}", True)
    same = _best_measure(_measures_in(measures, unit), line)
    if same is not None:
        return Grams(q * same.grams / same.amount, f"{_num(q)} {unit} × {_num(same.grams / same.amount)} g", True)
    if measures.container_grams is not None:
        word = ", drained" if drained is not None else ""
        return Grams(q * measures.container_grams, f"{_num(q)} {unit}{word} {_num(measures.container_grams)} g", True)
    return None


def _drained_share(measures: FoodMeasures) -> float | None:
    """container_grams / container_size_grams when they differ (a drained weight), else None."""
    if measures.container_grams is None or not measures.container_size_grams:
        return None
    share = measures.container_grams / measures.container_size_grams
    return None if math.isclose(share, 1.0, abs_tol=0.01) else share


def _is_piece(m: Measure) -> bool:
    """A measure of one whole piece ("1 large", "1 piece"), not a serving or a container."""
    words = m.description.lower()
    return m.unit in (None, "piece") and m.amount > 0 and not any(w in words for w in NOT_A_PIECE)


def _measures_in(measures: FoodMeasures, unit: str) -> list[Measure]:
    return [m for m in measures.measures if m.unit == unit and m.amount > 0]


def _best_measure(candidates: list[Measure], line: ParsedLine) -> Measure | None:
    """Of several measures in one unit, the one whose description shares a word with the
    line's preparation ("1 cup, chopped" for "chopped"), else the first."""
    if not candidates:
        return None
    words = set(line.preparation.lower().replace(",", " ").split()) - {"and", "into", "cut"}
    for m in candidates:
        if words & set(m.description.lower().replace(",", " ").split()):
            return m
    return candidates[0]


def _nearest_volume_measure(measures: FoodMeasures, ml: float) -> Measure | None:
    """The volume measure of the food closest in size to `ml` (tiny units such as a pinch left out)."""
    volume = [m for m in measures.measures
              if m.unit is not None and UNITS[m.unit][0] == "volume" and (UNITS[m.unit][1] or 0) >= 1 and m.amount > 0]
    if not volume:
        return None
    return min(volume, key=lambda m: abs(math.log(max(ml, 1e-6) / (m.amount * (UNITS[m.unit or "ml"][1] or 1.0)))))


# ------------------------------------------------------------------------------ back to household amounts

def household_amount(grams: float, measures: FoodMeasures, unit_hint: str | None = None) -> str:
    """`grams` of the food as a cook would measure it: "3 large", "2 tbsp", "1 can", "200 ml",
    "150 g". With `unit_hint` (a key of lines.UNITS, or "piece") that unit is tried first.
    Without, whole pieces, then containers, then spoons and cups are tried, each only when
    rounding to what a cook measures (½, ¼, whole spoons) is within TOLERANCE; else weight.
    A count comes back as a number and a size ("3 large", "2"), the food name left to the caller."""
    if grams <= 0 or not math.isfinite(grams):
        return "0 g"
    if unit_hint is not None:
        hinted = _in_unit(grams, measures, unit_hint)
        if hinted is not None:
            return hinted
    for attempt in (_as_pieces, _as_container, _as_spoons):
        text = attempt(grams, measures)
        if text is not None:
            return text
    return _as_weight(grams)


def _in_unit(grams: float, measures: FoodMeasures, unit: str) -> str | None:
    """`grams` in the hinted unit, or None when the food's measures cannot say it."""
    if unit == "piece":
        return _as_pieces(grams, measures, strict=False)
    if unit not in UNITS:
        return None
    kind, factor = UNITS[unit]
    if kind == "mass":
        return _as_weight(grams) if unit in ("g", "kg", "mg") else _in_steps(grams / (factor or 1.0), unit, 0.25)
    if kind == "volume":
        per_ml = _grams_per_ml(measures) or WATER_DENSITY
        ml = grams / per_ml
        if unit in ("ml", "l", "cl", "dl"):
            return _as_millilitres(ml)
        return _cook_amount(ml / (factor or 1.0), unit, strict=False)
    if kind == "container":
        return _as_container(grams, measures, unit=unit, strict=False)
    same = _measures_in(measures, unit)
    if same:
        return _cook_amount(grams / (same[0].grams / same[0].amount), unit, strict=False)
    return None


def _as_pieces(grams: float, measures: FoodMeasures, strict: bool = True) -> str | None:
    """ "3 large", "½", "2": whole (or half) pieces."""
    options: list[tuple[float, str | None]] = [
        (m.grams / m.amount, m.size) for m in measures.measures if _is_piece(m) and m.grams > 0]
    if measures.piece_grams:
        options.append((measures.piece_grams, None))
    best: tuple[float, float, str | None] | None = None  # (relative error, count, size)
    for each, size in options:  # the size that rounds best ("3 large" rather than "3½ medium")
        count = _round_to(grams / each, 0.5 if grams / each < 3 else 1.0)
        error = abs(count - grams / each) / (grams / each)
        if count > 0 and (best is None or error < best[0] - 1e-9):
            best = (error, count, size)
    if best is None or (strict and best[0] > TOLERANCE):
        return None
    _, count, size = best
    return f"{_fraction_text(count)} {size}" if size else _fraction_text(count)


def _as_container(grams: float, measures: FoodMeasures, unit: str = "can", strict: bool = True) -> str | None:
    """ "1 can", "2 cans", "½ can" when the food's container weight is known."""
    containers = _measures_in(measures, unit)
    each = containers[0].grams / containers[0].amount if containers else measures.container_grams
    if not each:
        return None
    count = _round_to(grams / each, 0.5)
    if count == 0 or (strict and not _close(count, grams / each)):
        return None
    return f"{_fraction_text(count)} {_plural(unit, count)}"


def _as_spoons(grams: float, measures: FoodMeasures) -> str | None:
    """ "2 tbsp", "¾ tsp", "1½ cups" when the food's g/ml is known (a measure or its density)."""
    per_ml = _grams_per_ml(measures)
    if per_ml is None:
        return None
    ml = grams / per_ml
    if ml > MAX_HOUSEHOLD_ML:
        return None
    unit = "tsp" if ml < 15 else "tbsp" if ml < 60 else "cup"
    return _cook_amount(ml / (UNITS[unit][1] or 1.0), unit, strict=True)


def _cook_amount(amount: float, unit: str, strict: bool) -> str | None:
    """`amount` of a spoon or cup rounded to what a cook measures: ¼ steps below 1 (and ⅓, ⅔ for
    cups), ½ steps up to 4, whole ones above."""
    if unit == "cup" and amount < 4:
        whole = math.floor(amount)
        options = [whole + f for f in (0, 0.25, 1 / 3, 0.5, 2 / 3, 0.75, 1)]
        rounded = min(options, key=lambda v: abs(v - amount))
    else:
        rounded = _round_to(amount, 0.25 if amount < 1 else 0.5 if amount < 4 else 1.0)
    if rounded == 0 or (strict and not _close(rounded, amount)):
        return None
    return f"{_fraction_text(rounded)} {_plural(unit, rounded)}"


def _in_steps(amount: float, unit: str, step: float) -> str:
    rounded = _round_to(amount, step) or step
    return f"{_fraction_text(rounded)} {unit}"


def _as_weight(grams: float) -> str:
    """Grams rounded to a step a kitchen scale shows: 1 g below 20, 5 g below 100, 10 g below
    1 kg, then kilograms to 0.05."""
    if grams >= 1000:
        return f"{_num(_round_to(grams / 1000, 0.05))} kg"
    step = 0.5 if grams < 5 else 1.0 if grams < 20 else 5.0 if grams < 100 else 10.0
    return f"{_num(_round_to(grams, step) or step)} g"


def _as_millilitres(ml: float) -> str:
    if ml >= 1000:
        return f"{_num(_round_to(ml / 1000, 0.05))} l"
    step = 1.0 if ml < 20 else 5.0 if ml < 100 else 10.0
    return f"{_num(_round_to(ml, step) or step)} ml"


def _grams_per_ml(measures: FoodMeasures) -> float | None:
    """The food's g/ml from a cup or spoon measure, else its density."""
    volume = [m for m in measures.measures
              if m.unit is not None and UNITS[m.unit][0] == "volume" and (UNITS[m.unit][1] or 0) >= 1 and m.amount > 0]
    if volume:
        m = max(volume, key=lambda v: UNITS[v.unit or "ml"][1] or 0.0)  # the biggest measures best
        return m.grams / (m.amount * (UNITS[m.unit or "ml"][1] or 1.0))
    return measures.density


# ------------------------------------------------------------------------------ numbers as text

def _round_to(value: float, step: float) -> float:
    return round(value / step) * step


def _close(rounded: float, exact: float) -> bool:
    return exact > 0 and abs(rounded - exact) / exact <= TOLERANCE


def _fraction_text(value: float) -> str:
    """1.5 -> "1½", 0.25 -> "¼", 0.333 -> "⅓", 3 -> "3"."""
    whole = math.floor(value + 1e-9)
    rest = value - whole
    for frac, text in FRACTION_TEXT.items():
        if abs(rest - frac) < 0.01:
            return f"{whole or ''}{text}"
    if rest < 0.01 or rest > 0.99:
        return str(round(value))
    return _num(value)


def _num(value: float) -> str:
    """A number without needless decimals: 2.0 -> "2", 0.92 -> "0.92", 28.3495 -> "28.35"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _plural(unit: str, count: float) -> str:
    if count <= 1 or unit in ("tsp", "tbsp", "g", "kg", "mg", "ml", "l", "cl", "dl", "oz", "lb", "fl oz"):
        return unit
    if unit.endswith(("ch", "sh", "x")):
        return unit + "es"
    return unit + "s"
