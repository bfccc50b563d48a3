"""A food record: the one JSON shape of a food, and the rules every record must pass.

The same record comes from a curated data file, an import file, the web form or the API,
and goes out through the API, the CLI and the export. Validation returns every error by
field (dotted path) so a person can fix them all at once.
"""
from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.data import Vocabulary
from planner.foods.nutrition import (
    NUTRIENTS,
    OPTIONAL_NUTRIENTS,
    FoodFacts,
    atwater_kcal,
    derived_tags,
    energy_tolerance_kcal,
    unit_of,
)
from planner.foods.text import has_control_characters, key, slugify
from planner.shopping.purchase import BUYING_FIELDS  # optional: in a record only when given

Record = dict[str, Any]
Errors = dict[str, list[str]]

FIELDS = (
    "slug", "name", "synonyms", "category", "form", "nova_group", "nutrients", "portion",
    "aisle", "purchase_unit", "plant_key", "allergens", "tags", "source",
)
MAX_PIECE_NAME = 30
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_NAME = 80
MAX_LIST = 50  # synonyms, tags or allergens of one food
MAX_SOURCE_ID = 40
# Pure fat is 900 kcal by Atwater; USDA lists some fats a little above it. Others are at most 100
# (g, mg or µg) per 100 g unless listed. The micronutrient bounds hold all of USDA SR28 but a few
# extremes: baking powder, dried basil and a calcium-fortified cereal (over 2000 mg calcium), dried
# thyme (124 mg iron). Liver and clams stay under 100 µg vitamin B12, cod liver oil at 250 µg D.
NUTRIENT_MAX = {
    "energy_kcal": 910.0, "sodium_mg": 40000.0,
    "calcium_mg": 2000.0, "iron_mg": 100.0, "vitamin_b12_ug": 100.0, "vitamin_d_ug": 250.0,
}
USDA_SOURCES = frozenset({"USDA SR Legacy", "USDA FNDDS", "USDA Branded"})


@dataclass
class Checked:
    """The outcome of validating one record."""

    record: Record = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fields_of(self, raw: Any, known: Collection[str], path: str, what: str) -> bool:
        """Whether `raw` is an object, as every record must be (a `what`: food, recipe); each field
        not in `known` is noted."""
        if not isinstance(raw, Mapping):
            self.add(path, f"Must be an object with the {what}'s fields.")
            return False
        for name in raw:
            if name not in known:
                self.add(str(name), "Unknown field.")
        return True


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _text(checked: Checked, raw: Mapping[str, Any], path: str, *, required: bool = True,
          limit: int = MAX_NAME) -> str | None:
    value = raw.get(path.rsplit(".", 1)[-1])
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            checked.add(path, "This field is required.")
        return None
    if not isinstance(value, str):
        checked.add(path, "Must be text.")
        return None
    value = " ".join(value.split())
    if len(value) > limit:
        checked.add(path, f"Must be at most {limit} characters.")
    if has_control_characters(value):
        checked.add(path, "Must not contain control characters.")
    return value


def _choice(checked: Checked, raw: Mapping[str, Any], path: str, allowed: Mapping[str, str]) -> str | None:
    value = _text(checked, raw, path)
    if value is not None and value not in allowed:
        label = path.replace(".", " ").replace("_", " ")
        checked.add(path, f"Unknown {label} '{value}'. Choose one of: {', '.join(allowed)}.")
        return None
    return value


def _text_list(checked: Checked, raw: Mapping[str, Any], name: str) -> list[str]:
    value = raw.get(name) or []
    if isinstance(value, str):
        value = value.split(";", MAX_LIST)  # the rest, if any, is one more item: too many
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        checked.add(name, "Must be a list of text.")
        return []
    if len(value) > MAX_LIST:  # counted before any work on them
        checked.add(name, f"Give at most {MAX_LIST}.")
        return []
    items = list(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))
    if any(len(item) > MAX_NAME for item in items):
        checked.add(name, f"Each must be at most {MAX_NAME} characters.")
    if any(has_control_characters(item) for item in items):
        checked.add(name, "Must not contain control characters.")
    return items


def _measure(checked: Checked, raw: Any, path: str, text_field: str, low: float, high: float) -> dict[str, Any]:
    """A {grams, <text_field>} pair such as a portion or a purchase unit."""
    if not isinstance(raw, Mapping):
        checked.add(path, f"Must give grams and {text_field}.")
        return {}
    grams = _number(raw.get("grams"))
    if grams is None:
        checked.add(f"{path}.grams", "Must be a number.")
    elif not low <= grams <= high:
        checked.add(f"{path}.grams", f"Must be between {low:g} and {high:g} g.")
    label = _text(checked, raw, f"{path}.{text_field}", limit=60)
    return {"grams": grams, text_field: label}


def _nutrients(checked: Checked, raw: Any) -> dict[str, float]:
    if not isinstance(raw, Mapping):
        checked.add("nutrients", "Must give nutrients per 100 g.")
        return {}
    values: dict[str, float] = {}
    for name in raw:
        if name not in NUTRIENTS:
            checked.add(f"nutrients.{name}", "Unknown nutrient.")
    for name in NUTRIENTS:
        path = f"nutrients.{name}"
        if raw.get(name) is None:
            if name in OPTIONAL_NUTRIENTS:
                values[name] = 0.0
            else:
                checked.add(path, "This field is required.")
            continue
        number = _number(raw[name])
        if number is None:
            checked.add(path, "Must be a number.")
        elif not 0 <= number <= NUTRIENT_MAX.get(name, 100.0):
            checked.add(path, f"Must be between 0 and {NUTRIENT_MAX.get(name, 100.0):g} {unit_of(name)} per 100 g.")
        else:
            values[name] = number
    if len(values) == len(NUTRIENTS):
        _check_nutrient_sums(checked, values)
    return values


def _check_nutrient_sums(checked: Checked, n: dict[str, float]) -> None:
    """Parts may not exceed their whole, and energy must agree with the macronutrients."""
    slack = 0.5  # rounding in published tables
    if n["saturated_fat_g"] > n["fat_g"] + slack:
        checked.add("nutrients.saturated_fat_g", "Saturated fat cannot exceed total fat.")
    if n["sugars_g"] > n["carbohydrate_g"] + slack:
        checked.add("nutrients.sugars_g", "Sugars cannot exceed total carbohydrate.")
    if n["fibre_g"] > n["carbohydrate_g"] + slack:
        checked.add("nutrients.fibre_g", "Fibre is part of carbohydrate and cannot exceed it.")
    solids = n["protein_g"] + n["fat_g"] + n["carbohydrate_g"] + n["alcohol_g"] + n["sodium_mg"] / 1000
    if solids > 100 + 2 * slack:
        checked.add("nutrients", f"Protein, fat, carbohydrate and alcohol add up to {solids:.1f} g, more than 100 g.")
    expected = atwater_kcal(n)
    if abs(n["energy_kcal"] - expected) > energy_tolerance_kcal(expected):
        checked.add(
            "nutrients.energy_kcal",
            f"{n['energy_kcal']:g} kcal does not agree with the macronutrients "
            f"(about {expected:.0f} kcal by Atwater factors).",
        )


def _source(checked: Checked, raw: Any, vocab: Vocabulary) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        checked.add("source", "Must name where the nutrient values come from.")
        return {}
    name = _choice(checked, raw, "source.name", vocab.sources)
    ident = raw.get("id")
    ident = None if ident in (None, "") else str(ident).strip()
    if ident is not None and (len(ident) > MAX_SOURCE_ID or has_control_characters(ident)):
        checked.add("source.id", f"Must be at most {MAX_SOURCE_ID} characters, without control characters.")
    note = _text(checked, raw, "source.note", required=False, limit=200)
    if name in USDA_SOURCES and not (ident and ident.isdigit()):
        checked.add("source.id", f"{name} values need the numeric id of the entry they come from.")
    if name == "Label average" and not note:
        checked.add("source.note", "Say what the label average is based on.")
    return {"name": name, "id": ident, "note": note}


def _tags(checked: Checked, raw: Mapping[str, Any], vocab: Vocabulary, facts: FoodFacts | None,
          nutrients: dict[str, float]) -> list[str]:
    given = _text_list(checked, raw, "tags")
    typed = set(vocab.typed_tags)
    derived = set(vocab.derived_tags)
    computed = set(derived_tags(facts)) if facts else set()
    for tag in given:
        if tag in derived and facts and tag not in computed:
            checked.add("tags", f"'{tag}' is computed from the numbers and does not apply here.")
        elif tag not in typed and tag not in derived:
            checked.add("tags", f"Unknown tag '{tag}'.")
    kept = [tag for tag in given if tag in typed]
    if "live-cultures" in kept and "fermented" not in kept:
        checked.add("tags", "'live-cultures' needs 'fermented' too.")
    if "whole-grain" in kept and "refined-grain" in kept:
        checked.add("tags", "A food cannot be both whole-grain and refined-grain.")
    if ("alcohol" in kept) != (nutrients.get("alcohol_g", 0.0) > 0.5):
        if "nutrients.alcohol_g" not in checked.errors and nutrients:
            checked.add("tags", "The 'alcohol' tag goes with alcohol_g above 0.5 g per 100 g, and only then.")
    return kept


def _buying(checked: Checked, raw: Mapping[str, Any], slug: Any) -> dict[str, Any]:
    """The optional buying fields: bought as another food, merged into another form of it, made at home,
    counted by the piece."""
    found: dict[str, Any] = {}
    for name, example in (("bought_as", "the food it is bought as"), ("merges_into", "the food bought instead")):
        other = raw.get(name)
        if other is None:
            continue
        if not isinstance(other, Mapping) or set(other) - {"food", "factor"}:
            checked.add(name, f"Give {example} and the factor: {{food: slug, factor: 0.4}}.")
            continue
        food, factor = other.get("food"), _number(other.get("factor"))
        if not isinstance(food, str) or not SLUG.match(food) or food == slug:
            checked.add(f"{name}.food", "Name another food by its slug.")
        if factor is None or not 0.01 <= factor <= 20:
            checked.add(f"{name}.factor", "Grams of that food per gram of this one: between 0.01 and 20.")
        found[name] = {"food": food, "factor": factor}
    bought = raw.get("bought_as")
    homemade = raw.get("homemade")
    if homemade is not None:
        if not isinstance(homemade, bool):
            checked.add("homemade", "Must be true or false.")
        elif homemade:
            found["homemade"] = True
            if bought is not None:
                checked.add("homemade", "A food made at home is not bought as another food.")
    counted = raw.get("counted")
    if counted is not None:
        if not isinstance(counted, Mapping) or set(counted) - {"one", "many", "grams"}:
            checked.add("counted", "Give the piece's name and weight: {one: egg, many: eggs, grams: 50}.")
        else:
            grams = _number(counted.get("grams"))
            if grams is None or not 0.5 <= grams <= 5000:
                checked.add("counted.grams", "Must be between 0.5 and 5000 g.")
            one = _text(checked, counted, "counted.one", limit=MAX_PIECE_NAME)
            many = _text(checked, counted, "counted.many", limit=MAX_PIECE_NAME)
            found["counted"] = {"one": one, "many": many, "grams": grams}
    return found


def validate_record(raw: Any, vocab: Vocabulary) -> Checked:
    """Check one food record; on success `record` is the clean, canonical form."""
    checked = Checked()
    if not checked.fields_of(raw, FIELDS + BUYING_FIELDS, "record", "food"):
        return checked
    name = _text(checked, raw, "name")
    slug = raw.get("slug") or (slugify(name) if name else None)
    if slug is not None and (not isinstance(slug, str) or not SLUG.match(slug) or len(slug) > MAX_NAME):
        checked.add("slug", f"Use up to {MAX_NAME} lower-case letters, digits and single hyphens.")
    synonyms = _text_list(checked, raw, "synonyms")
    category = _choice(checked, raw, "category", vocab.categories)
    form = _choice(checked, raw, "form", vocab.forms)
    aisle = _choice(checked, raw, "aisle", vocab.aisles)
    nova = raw.get("nova_group")
    if isinstance(nova, str) and nova.strip().isdigit():
        nova = int(nova)
    if not isinstance(nova, int) or isinstance(nova, bool) or not 1 <= nova <= 4:
        checked.add("nova_group", "Must be a NOVA group from 1 to 4.")
        nova = None
    nutrients = _nutrients(checked, raw.get("nutrients"))
    portion = _measure(checked, raw.get("portion"), "portion", "measure", 1, 1500)
    purchase = _measure(checked, raw.get("purchase_unit"), "purchase_unit", "unit", 0.5, 25000)
    plant_key = raw.get("plant_key") or None
    if plant_key is not None and (not isinstance(plant_key, str) or not SLUG.match(plant_key)
                                  or len(plant_key) > MAX_NAME):
        checked.add("plant_key", f"Use up to {MAX_NAME} lower-case letters, digits and single hyphens, e.g. 'onion'.")
    allergens = _text_list(checked, raw, "allergens")
    for allergen in allergens:
        if allergen not in vocab.allergens:
            checked.add("allergens", f"Unknown allergen '{allergen}'. Use the EU 14: {', '.join(vocab.allergens)}.")
    facts = None
    if category and nova and portion.get("grams") and len(nutrients) == len(NUTRIENTS):
        facts = FoodFacts(category, nova, portion["grams"], nutrients)
    tags = _tags(checked, raw, vocab, facts, nutrients)
    source = _source(checked, raw.get("source"), vocab)
    if name and any(key(s) == key(name) for s in synonyms):
        checked.add("synonyms", "A synonym repeats the name.")
    checked.record = {
        "slug": slug, "name": name, "synonyms": synonyms, "category": category, "form": form,
        "nova_group": nova, "nutrients": nutrients, "portion": portion, "aisle": aisle,
        "purchase_unit": purchase, "plant_key": plant_key, "allergens": sorted(set(allergens)),
        "tags": sorted(set(tags)), "source": source,
        **_buying(checked, raw, slug),
    }
    return checked


def find_clashes(records: Iterable[Record], taken: Mapping[str, str] | None = None) -> dict[int, Errors]:
    """Names, synonyms and slugs that two foods share, by position in `records`.

    `taken` maps comparison keys already in use (by foods outside this batch) to the
    slug that holds them.
    """
    owner: dict[str, str | None] = dict(taken or {})
    slugs: set[str | None] = set()
    clashes: dict[int, Errors] = {}
    for index, record in enumerate(records):
        slug: str | None = record.get("slug")
        if slug in slugs:
            clashes.setdefault(index, {}).setdefault("slug", []).append(f"Slug '{slug}' is used twice.")
        slugs.add(slug)
        for path, text in [("name", record.get("name"))] + [("synonyms", s) for s in record.get("synonyms", [])]:
            if not text:
                continue
            holder = owner.setdefault(key(text), slug)
            if holder != slug:
                clashes.setdefault(index, {}).setdefault(path, []).append(f"'{text}' is already a name of '{holder}'.")
    return clashes


def facts_of(record: Record) -> FoodFacts:
    return FoodFacts(record["category"], record["nova_group"], record["portion"]["grams"], record["nutrients"])


def with_derived_tags(record: Record) -> Record:
    """The record as shown to people: typed tags plus those computed from its numbers."""
    tags = sorted(set(record["tags"]) | set(derived_tags(facts_of(record))))
    return {**record, "tags": tags}
