"""Validate the curated food files: `python -m planner.data.check` prints every problem."""
from __future__ import annotations

import sys

from planner.data import curated_food_records, vocabulary
from planner.foods.records import find_clashes, validate_record


def problems() -> list[str]:
    vocab = vocabulary()
    rows = curated_food_records()
    lines: list[str] = []
    clean = []
    for row in rows:
        checked = validate_record(row.record, vocab)
        for path, messages in checked.errors.items():
            lines.extend(f"{row.origin} ({row.record.get('name')}): {path}: {m}" for m in messages)
        if checked.ok:
            typed_derived = set(row.record.get("tags") or []) & set(vocab.derived_tags)
            if typed_derived:
                lines.append(f"{row.origin} ({row.record.get('name')}): tags: computed tags must not be typed: {sorted(typed_derived)}")
        clean.append(checked.record)
    for index, errors in find_clashes(clean).items():
        for path, messages in errors.items():
            lines.extend(f"{rows[index].origin}: {path}: {m}" for m in messages)
    return lines


def main() -> int:
    found = problems()
    print("\n".join(found) if found else f"{len(curated_food_records())} foods, no problems.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
