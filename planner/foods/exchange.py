"""Food records to and from JSON and CSV files (export and import)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from planner.data import SourcedRecord
from planner.foods.nutrition import NUTRIENTS, OPTIONAL_NUTRIENTS
from planner.foods.records import Record
from planner.json_input import read_json
from planner.refused import Invalid

FORMATS = ("json", "csv")
LIST_SEPARATOR = "; "

# CSV column -> path in the record.
COLUMNS: dict[str, tuple[str, ...]] = {
    "slug": ("slug",),
    "name": ("name",),
    "synonyms": ("synonyms",),
    "category": ("category",),
    "form": ("form",),
    "nova_group": ("nova_group",),
    **{name: ("nutrients", name) for name in NUTRIENTS},
    "portion_g": ("portion", "grams"),
    "portion_measure": ("portion", "measure"),
    "aisle": ("aisle",),
    "purchase_unit": ("purchase_unit", "unit"),
    "purchase_grams": ("purchase_unit", "grams"),
    "plant_key": ("plant_key",),
    "allergens": ("allergens",),
    "tags": ("tags",),
    "source_name": ("source", "name"),
    "source_id": ("source", "id"),
    "source_note": ("source", "note"),
}
LIST_COLUMNS = frozenset({"synonyms", "allergens", "tags"})
# Columns a file may leave out (an export from before the micronutrients, or a hand-made file):
# a missing nutrient counts as 0, a missing note as none.
OPTIONAL_COLUMNS = frozenset({*OPTIONAL_NUTRIENTS, "source_note"})
COLUMN_OF_PATH = {".".join(path): column for column, path in COLUMNS.items()}


class FileRejected(Invalid):
    """The file as a whole cannot be read (not JSON, wrong columns ...)."""


def to_json(records: Sequence[Record]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet shows as text: one that would start a formula
    gets a leading single quote, which spreadsheets take as "this is text"."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _unquoted(text: str) -> str:
    """A cell as written before formula_safe() quoted it, so an export imports as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def to_csv(records: Sequence[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for record in records:
        row = []
        for path in COLUMNS.values():
            value: Any = record
            for part in path:
                value = value.get(part) if isinstance(value, dict) else None
            text = cell_text(value)
            row.append(formula_safe(text) if isinstance(value, str | list) else text)
        writer.writerow(row)
    return out.getvalue()


def export(records: Sequence[Record], fmt: str) -> str:
    return to_json(records) if fmt == "json" else to_csv(records)


def parse_json(text: str) -> list[SourcedRecord]:
    try:
        data = read_json(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None
    except Invalid as exc:
        raise FileRejected(exc.message) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]  # an API page can be imported as it is
    if not isinstance(data, list):
        raise FileRejected("Expected a JSON list of food records.")
    return [SourcedRecord(f"record {n}", row) for n, row in enumerate(data, start=1)]


def row_record(row: dict[str, str]) -> Record:
    record: dict[str, Any] = {}
    for column, path in COLUMNS.items():
        raw = _unquoted((row.get(column) or "").strip())
        value: Any
        if column in LIST_COLUMNS:
            value = [part.strip() for part in raw.split(";") if part.strip()]
        else:
            value = raw or None
        target = record
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
    return record


def parse_csv(text: str) -> list[SourcedRecord]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing columns: {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown columns: {', '.join(unknown)}")
        raise FileRejected("The CSV header does not match the food export: " + "; ".join(parts) + ".")
    # Row 1 is the header, so data rows are numbered as a spreadsheet shows them.
    return [SourcedRecord(f"row {n}", row_record(row)) for n, row in enumerate(reader, start=2)]


def parse(text: str, fmt: str) -> list[SourcedRecord]:
    rows = parse_json(text) if fmt == "json" else parse_csv(text)
    if not rows:
        raise FileRejected("The file holds no food records.")
    return rows


def format_of(filename: str, given: str | None) -> str:
    if given:
        return given
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise FileRejected("Cannot tell the format from the file name: use --format json or csv.")
    return suffix
