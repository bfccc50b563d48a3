"""Food-word matching: index build time, time per match and accuracy on the labelled set.

    .venv/bin/python -m bench.match_bench [-v]

Builds a Matcher over the curated foods (read from planner/data/foods/*.yaml) and the USDA
SR28 table, then matches every entry of tests/data/food_names.yaml.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from planner.data import curated_food_records
from planner.recipes.matching import Candidate, Matcher, usda_candidates

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "food_names.yaml"


def curated_candidates() -> list[Candidate]:
    return [Candidate(r.record["slug"], (r.record["name"], *r.record.get("synonyms", [])), True)
            for r in curated_food_records()]


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    curated = curated_candidates()
    started = time.perf_counter()
    usda = usda_candidates()
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    matcher = Matcher(curated, usda)
    built = time.perf_counter() - started
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    times: list[float] = []
    right = 0
    for row in labels:
        started = time.perf_counter()
        found = matcher.match(row["words"])
        times.append(time.perf_counter() - started)
        ok = found is not None and found.key == row["key"]
        right += ok
        if verbose and not ok:
            print(f"MISS {row['words']!r}: want {row['key']}, got "
                  f"{(found.key, found.name, found.confidence) if found else None}")
    # a second pass: cached normalisation aside, the steady cost of a match
    started = time.perf_counter()
    for row in labels:
        matcher.match(row["words"] + " x")
    uncached = (time.perf_counter() - started) / len(labels)
    print(f"candidates: {len(curated)} curated + {len(usda)} USDA")
    print(f"USDA candidates made in {loaded * 1000:.0f} ms (table read included)")
    print(f"index built in {built * 1000:.0f} ms")
    print(f"match: median {statistics.median(times) * 1000:.2f} ms, max {max(times) * 1000:.2f} ms, "
          f"mean on new words {uncached * 1000:.2f} ms")
    print(f"accuracy: {right}/{len(labels)} = {right / len(labels):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
