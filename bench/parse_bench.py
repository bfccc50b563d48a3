"""Ingredient-line parser accuracy and speed on the labelled set.

1. Accuracy of planner.recipes.lines.parse_line on tests/data/ingredient_lines.yaml for
   quantity (with the high end of a range), unit, food and optional: counts and %, for the
   whole set and for the held-out group (lines labelled after the parser was written).
2. The misses, with what the parser said.
3. Parse time per line: median, p99 and total over repeated passes.

Goals: quantity and unit >= 95 %, food >= 90 %.

Run: .venv/bin/python bench/parse_bench.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.recipes.lines import parse_line  # noqa: E402
from tests.test_ingredient_lines import labelled, right  # noqa: E402

FIELDS = ("quantity", "unit", "food", "optional")
GOALS = {"quantity": 0.95, "unit": 0.95, "food": 0.90, "optional": 0.0}
PASSES = 20


def report(title: str, entries: list[dict[str, Any]]) -> None:
    hits = dict.fromkeys(FIELDS, 0)
    for label in entries:
        for field, ok in right(parse_line(label["line"]), label).items():
            hits[field] += ok
    print(f"\n{title}: {len(entries)} lines")
    for field in FIELDS:
        share = hits[field] / len(entries) if entries else 0.0
        goal = GOALS[field]
        mark = "" if not goal else ("  ok" if share >= goal else f"  BELOW GOAL {goal:.0%}")
        print(f"  {field:<9} {hits[field]:>4}/{len(entries):<4} {share:7.1%}{mark}")


def misses(entries: list[dict[str, Any]]) -> None:
    print("\nMisses (field: label -> parsed):")
    count = 0
    for label in entries:
        line = parse_line(label["line"])
        wrong = [f for f, ok in right(line, label).items() if not ok]
        if not wrong:
            continue
        count += 1
        said = {"quantity": (line.quantity, line.quantity_high), "unit": line.unit, "food": line.food,
                "optional": line.optional}
        wanted = {"quantity": (label["quantity"], label["quantity_high"]), "unit": label["unit"],
                  "food": label["food"], "optional": label["optional"]}
        parts = ", ".join(f"{f}: {wanted[f]!r} -> {said[f]!r}" for f in wrong)
        print(f"  {label['line']!r}: {parts}")
    if not count:
        print("  none")


def timing(entries: list[dict[str, Any]]) -> None:
    texts = [e["line"] for e in entries]
    times: list[float] = []
    for _ in range(PASSES):
        for text in texts:
            start = time.perf_counter()
            parse_line(text)
            times.append(time.perf_counter() - start)
    times.sort()
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    print(f"\nParse time per line over {PASSES} passes of {len(texts)} lines:")
    print(f"  median {statistics.median(times) * 1e6:7.1f} µs   p99 {p99 * 1e6:7.1f} µs   "
          f"total {sum(times) * 1e3:7.1f} ms ({sum(times) / PASSES * 1e3:.1f} ms a pass)")


def main() -> None:
    entries = labelled()
    print("Ingredient-line parser on tests/data/ingredient_lines.yaml")
    report("All labelled lines", entries)
    report("Written before the parser", [e for e in entries if not e.get("holdout")])
    report("Held out (labelled after the parser was written)", [e for e in entries if e.get("holdout")])
    misses(entries)
    timing(entries)


if __name__ == "__main__":
    main()
