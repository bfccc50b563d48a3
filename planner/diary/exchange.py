"""Diary rows in and out as CSV or JSON, one row an entry: member, time, kind, item, amount,
unit, note. Every row is checked; a file with any bad row is refused whole, each problem named
by its row, so nothing is half imported."""
from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, UTC
from typing import Any

from planner.diary.entries import KINDS
from planner.i18n import N_
from planner.refused import Invalid, TooLarge

COLUMNS = ("member", "time", "kind", "item", "amount", "unit", "note")
MAX_ROWS = 20_000  # years of a family's diary
LIMITS = {"member": 40, "item": 120, "unit": 20, "note": 300}
# What each kind's amount means, and the range it may take.
AMOUNTS: dict[str, tuple[str, float, float]] = {
    "food": ("grams eaten", 0, 5000), "meal": ("servings eaten", 0, 10), "symptom": ("severity 0-10", 0, 10),
    "stool": ("Bristol type 1-7", 1, 7), "sleep": ("hours", 0, 24), "stress": ("0-10", 0, 10),
    "movement": ("minutes", 0, 1440), "medicine": ("doses", 0, 50),
}
NEEDS_AMOUNT = frozenset({"symptom", "stool", "sleep", "stress", "movement"})


@dataclass(frozen=True)
class Row:
    member: str
    time: datetime  # timezone-aware
    kind: str
    item: str
    amount: float | None = None
    unit: str = ""
    note: str = ""
    id: int | None = None  # once stored

    def as_dict(self) -> dict[str, Any]:
        return {"member": self.member, "time": self.time.isoformat(), "kind": self.kind, "item": self.item,
                "amount": self.amount, "unit": self.unit, "note": self.note}


def read_time(raw: Any) -> datetime:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("give the time as 2026-11-30T08:15 (with +01:00 or Z for the time zone)")
    try:
        when = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{raw[:40]!r} is not a time; write it as 2026-11-30T08:15") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)  # a time without a zone is UTC


def _amount(raw: Any, kind: str) -> float | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if kind in NEEDS_AMOUNT:
            raise ValueError(f"a {kind} needs its {AMOUNTS[kind][0]}")
        return None
    if isinstance(raw, bool):
        raise ValueError("give a number")
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"{str(raw)[:20]!r} is not a number") from None
    words, low, high = AMOUNTS[kind]
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"a {kind}'s amount is {words}, from {low:g} to {high:g}")
    return value


def _text(raw: Any, name: str, required: bool) -> str:
    text = "" if raw is None else str(raw).strip() if isinstance(raw, (str, int, float)) else None
    if text is None:
        raise ValueError("give text")
    if required and not text:
        raise ValueError("is needed")
    if len(text) > LIMITS[name] or any(ord(c) < 32 and c not in "\t" for c in text):
        raise ValueError(f"at most {LIMITS[name]} characters, and no control characters")
    return text


def read_row(raw: Mapping[str, Any], members: Iterable[str]) -> Row:
    """One row, checked; ValueError names the first field that is wrong ("time: ...")."""
    known = {m.lower(): m for m in members}
    kind = str(raw.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise ValueError(f"kind: one of {', '.join(KINDS)}")
    fields: dict[str, Any] = {}
    for name, read in (("member", lambda v: _text(v, "member", True)), ("time", read_time),
                       ("item", lambda v: _text(v, "item", True)), ("amount", lambda v: _amount(v, kind)),
                       ("unit", lambda v: _text(v, "unit", False)), ("note", lambda v: _text(v, "note", False))):
        try:
            fields[name] = read(raw.get(name))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None
    member = known.get(fields["member"].lower())
    if member is None:
        raise ValueError(f"member: {fields['member']!r} is in none of your household's profiles")
    return Row(member, fields["time"], kind, fields["item"], fields["amount"], fields["unit"], fields["note"])


def _records(text: str, json_body: bool) -> list[Mapping[str, Any]]:
    if json_body:
        try:
            data = json.loads(text)
        except ValueError:
            raise Invalid(N_("The diary file is not JSON."), {"file": N_("Not JSON.")}) from None
        if isinstance(data, dict):
            data = data.get("entries")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise Invalid(N_('Send a list of entries: [{"member": ..., "time": ..., "kind": ..., "item": ...}].'))
        return data
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("member", "time", "kind", "item") if c not in (reader.fieldnames or ())]
    if missing:
        raise Invalid(f"The CSV needs a header row with {', '.join(COLUMNS)}; missing: {', '.join(missing)}.",
                      {"file": "Missing columns."})
    try:
        return list(reader)
    except csv.Error as error:
        raise Invalid(f"The CSV cannot be read: {error}.", {"file": "Not CSV."}) from None


def read_rows(text: str, members: Sequence[str], json_body: bool) -> list[Row]:
    """Every row of a CSV or JSON diary file; Invalid naming each bad row, or TooLarge."""
    records = _records(text, json_body)
    if len(records) > MAX_ROWS:
        raise TooLarge(f"A diary file takes at most {MAX_ROWS:,} rows; this one has {len(records):,}.")
    if not records:
        raise Invalid(N_("The diary file has no entries."), {"file": N_("No entries.")})
    rows, problems = [], {}
    for number, record in enumerate(records, start=1):
        try:
            rows.append(read_row(record, members))
        except ValueError as error:
            problems[f"row {number}"] = str(error)
    if problems:
        first = list(problems.items())[:5]
        raise Invalid(f"{len(problems)} row(s) cannot be read, so nothing was imported: "
                      + "; ".join(f"{where}: {why}" for where, why in first) + ("…" if len(problems) > 5 else ""),
                      problems)
    return rows


def as_csv(rows: Iterable[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        data = row.as_dict()
        data["amount"] = "" if row.amount is None else f"{row.amount:g}"
        writer.writerow(data)
    return out.getvalue()
