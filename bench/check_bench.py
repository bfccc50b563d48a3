"""Checker speed in-process: a name check, a typical label, and a 1 MB paste refused.

Goals: name check under 5 ms, typical label under 10 ms, 1 MB answered within a second.
Run: .venv/bin/python bench/check_bench.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_bench import curated  # noqa: E402
from planner.checker.check import check_food, check_label  # noqa: E402
from planner.checker.label import LabelTooLong, read_label  # noqa: E402
from planner.foods.search import SearchIndex  # noqa: E402

NAMES = ["kefir", "white bread", "chikpeas", "ibuprofen", "sauerkraut", "cola", "qwxzv", "bone broth", "crisps", "oats"]


def timed(fn, items, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for item in items:
            start = time.perf_counter()
            fn(item)
            samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)


def report(label: str, samples: list[float], goal: float) -> None:
    p95 = samples[int(0.95 * (len(samples) - 1))]
    print(f"{label:<34} median {statistics.median(samples):6.2f} ms  p95 {p95:6.2f} ms  "
          f"(goal < {goal:g} ms: {'met' if p95 < goal else 'MISSED'})")


def main() -> None:
    index = SearchIndex(curated())
    labels = [case["text"] for case in yaml.safe_load((ROOT / "tests/data/labels.yaml").read_text())]
    check_label(labels[0], index)  # load the term lists once
    report("name check (10 names x 50)", timed(lambda q: check_food(q, index), NAMES, 50), 5)
    report(f"label check ({len(labels)} real labels x 10)", timed(lambda t: check_label(t, index), labels, 10), 10)
    longest = max(labels, key=len)
    big = (", ".join(labels))[:20_000]
    report(f"20,000-character label", timed(lambda t: check_label(t, index), [big], 10), 1000)
    megabyte = "sugar, " * (1024 * 1024 // 7)
    start = time.perf_counter()
    try:
        read_label(megabyte)
    except LabelTooLong:
        pass
    print(f"1 MB paste refused in {(time.perf_counter() - start) * 1000:.3f} ms (longest real label: {len(longest)} chars)")


if __name__ == "__main__":
    main()
