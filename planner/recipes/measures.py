"""A food's household measures, from its record and, for a food with a USDA source, the USDA
table's two household measures (SR28 GmWt_1/GmWt_2): what turns "3 eggs" or "1 cup oats"
into grams and grams back into "2 tbsp"."""
from __future__ import annotations

from functools import lru_cache

from planner.foods.records import Record
from planner.foods.usda import usda_food
from planner.recipes.amounts import FoodMeasures, Measure
from planner.recipes.lines import UNITS, parse_line

# Millilitres in one of each volume unit a household measure may name (a cup: 240 ml, FDA
# 21 CFR 101.9(b)(5)(viii)); the parser's table says the same.
_ML = {unit: ml for unit, (kind, ml) in UNITS.items() if kind == "volume" and ml}


def _measure(description: str, grams: float) -> Measure | None:
    """One household measure read from its words ("1 cup, chopped", "1 large", "2 slices")."""
    if grams <= 0 or not description.strip():
        return None
    try:
        line = parse_line(description)
    except ValueError:
        return None
    amount = line.quantity or 1.0
    return Measure(amount=amount, unit=line.unit, size=line.size, grams=grams, description=description)


def _usda_measures(record: Record) -> list[Measure]:
    source = record.get("source") or {}
    if not str(source.get("name", "")).startswith("USDA") or not source.get("id"):
        return []
    food = usda_food(str(source["id"]))
    if food is None:
        return []
    return [m for grams, text in food.measures if (m := _measure(text, grams)) is not None]


def measures_of(record: Record) -> FoodMeasures:
    """What one food's household measures say: by measure, by density, by piece, by container."""
    return _measures(record["slug"], _key(record))


def _key(record: Record) -> tuple[object, ...]:
    portion, purchase, source = record["portion"], record["purchase_unit"], record.get("source") or {}
    return (portion["measure"], portion["grams"], purchase["unit"], purchase["grams"], record.get("form"),
            source.get("name"), source.get("id"))


@lru_cache(maxsize=4096)
def _measures(slug: str, key: tuple[object, ...]) -> FoodMeasures:
    portion_text, portion_grams, purchase_text, purchase_grams, form, source_name, source_id = key
    record = {"slug": slug, "source": {"name": source_name, "id": source_id}}
    found = _usda_measures(record)
    own = _measure(str(portion_text), float(portion_grams))  # type: ignore[arg-type]
    if own is not None:
        found.insert(0, own)
    densities = [m.grams / (m.amount * _ML[m.unit]) for m in found if m.unit in _ML]
    pieces = [m.grams / m.amount for m in found if m.unit is None and m.size in (None, "medium")]
    container = float(purchase_grams) if form == "canned" or _is_container(str(purchase_text)) else None  # type: ignore[arg-type]
    return FoodMeasures(measures=tuple(found), density=densities[0] if densities else None,
                        piece_grams=pieces[0] if pieces else None, container_grams=container)


def _is_container(text: str) -> bool:
    words = text.lower().split()
    return bool(words) and words[0] in {"can", "tin", "jar", "carton", "pot", "tub", "pack", "packet", "bag"}
