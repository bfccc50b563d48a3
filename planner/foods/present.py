"""Plain-text views of a food record, shared by the CLI and the web pages."""
from __future__ import annotations

from dataclasses import dataclass

from planner.data import Vocabulary
from planner.foods.nutrition import MICRONUTRIENTS, NUTRIENTS, per_portion, unit_of
from planner.foods.records import Record
from planner.i18n import N_

NOVA_LABELS = {
    1: N_("Unprocessed or minimally processed"),
    2: N_("Processed culinary ingredient"),
    3: N_("Processed food"),
    4: N_("Ultra-processed food"),
}


@dataclass(frozen=True)
class NutrientRow:
    label: str
    per_100g: float
    per_portion: float
    unit: str
    name: str = ""

    @property
    def micronutrient(self) -> bool:
        return self.name in MICRONUTRIENTS


def nutrient_rows(record: Record) -> list[NutrientRow]:
    """Each nutrient per 100 g and per typical portion (alcohol only when present), then the
    minerals and vitamins (0 where a record does not give them)."""
    rows = []
    grams = record["portion"]["grams"]
    for name, label in NUTRIENTS.items():
        value = record["nutrients"].get(name, 0.0)
        if name == "alcohol_g" and not value:
            continue
        rows.append(NutrientRow(label.split(" (")[0], value, per_portion(value, grams), unit_of(name), name))
    return rows


def number(value: float) -> str:
    """A quantity without trailing zeros: 515.0 -> '515', 12.25 -> '12.2'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def amount(value: float, unit: str) -> str:
    """A nutrient amount to a precision that means something: whole kcal, and whole units from 10
    up; grams to one place; milligrams and micrograms without trailing zeros, to one place below
    10 and two below 1 (iron 1.6 mg, sodium 4 mg, vitamin B12 0.38 µg)."""
    if unit == "kcal" or value >= 10:
        return f"{value:.0f} {unit}"
    if unit in ("mg", "µg"):
        text = f"{value:.{2 if value < 1 else 1}f}".rstrip("0").rstrip(".")
        return f"{text} {unit}"
    return f"{value:.1f} {unit}"


def source_text(record: Record, vocab: Vocabulary) -> str:
    source = record["source"]
    text = source["name"]
    if source.get("id"):
        text += f" #{source['id']}"
    if source.get("note"):
        text += f" ({source['note']})"
    return text


def describe(record: Record, vocab: Vocabulary) -> str:
    tag_label = {slug: tag.label for slug, tag in vocab.tags.items()}
    lines = [
        f"{record['name']}  [{record['slug']}]",
        f"  also known as: {', '.join(record['synonyms']) or '-'}",
        f"  category: {vocab.categories.get(record['category'], record['category'])}; "
        f"form: {vocab.forms.get(record['form'], record['form'])}",
        f"  NOVA group {record['nova_group']}: {NOVA_LABELS[record['nova_group']]}",
        f"  tags: {', '.join(tag_label.get(t, t) for t in record['tags']) or '-'}",
        f"  allergens: {', '.join(tag_label.get(a, a) for a in record['allergens']) or 'none of the EU 14'}",
        f"  plant: {record['plant_key'] or '-'}",
        f"  portion: {record['portion']['measure']} ({record['portion']['grams']:g} g); "
        f"buy: {record['purchase_unit']['unit']} ≈ {record['purchase_unit']['grams']:g} g; "
        f"aisle: {vocab.aisles.get(record['aisle'], record['aisle'])}",
        f"  {'nutrient':<20}{'per 100 g':>12}{'per portion':>14}",
    ]
    for row in nutrient_rows(record):
        lines.append(f"  {row.label:<20}{amount(row.per_100g, row.unit):>12}{amount(row.per_portion, row.unit):>14}")
    lines.append(f"  source: {source_text(record, vocab)}")
    return "\n".join(lines)


def summary_line(record: Record) -> str:
    fibre = per_portion(record["nutrients"]["fibre_g"], record["portion"]["grams"])
    return (f"{record['slug']:<36} {record['name']:<40} NOVA {record['nova_group']}  "
            f"{record['nutrients']['energy_kcal']:>4.0f} kcal/100 g  fibre {fibre:.1f} g/portion")
