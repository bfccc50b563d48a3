"""Suspects worth testing: false alarms, detection and speed on synthetic diaries.

1. False-flag rate: diaries with no link at all (8 weeks, 200 seeds); share with any suspect flagged.
2. Detection: a planted trigger (bloating 6-20 h after onion on 70 % of servings), 100 seeds at
   4 and at 8 weeks: share where it is flagged, and where it is the top suspect.
3. Speed: find_patterns on a year of entries, median of 5 runs.

The diaries come from tests/test_diary_patterns.py (`diary()`).

Run: .venv/bin/python bench/patterns_bench.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.diary.patterns import find_patterns  # noqa: E402
from tests.test_diary_patterns import ONION, diary  # noqa: E402


def false_flags(seeds: int, days: int) -> None:
    started = time.perf_counter()
    falsely = 0
    for seed in range(seeds):
        found = find_patterns(diary(10_000 + seed, days))
        falsely += any(s.flagged for s in found.suspects)
    took = time.perf_counter() - started
    print(f"no link, {days // 7} weeks: {falsely}/{seeds} diaries flag something = {falsely / seeds:.1%} "
          f"({took / seeds * 1000:.0f} ms a diary, generation included)")


def detection(seeds: int, days: int) -> None:
    flagged = first = 0
    for seed in range(seeds):
        found = find_patterns(diary(20_000 + seed, days, [ONION]))
        hit = [s for s in found.suspects
               if s.flagged and (s.item, s.symptom, s.window) == ("onion", "bloating", "4-24 h")]
        flagged += bool(hit)
        first += bool(hit) and found.suspects[0] == hit[0]
    print(f"planted onion -> bloating, {days // 7} weeks: flagged {flagged}/{seeds} = {flagged / seeds:.0%}, "
          f"top suspect {first}/{seeds} = {first / seeds:.0%}")


def speed(runs: int) -> None:
    # two diaries' eating on one symptom and habit record: about 10 food and meal entries a day
    extra = [e for e in diary(2, 365) if e.kind in ("food", "meal")]
    entries = sorted(diary(1, 365, [ONION]) + extra, key=lambda e: e.time)
    kinds = {k: sum(e.kind == k for e in entries) / 365 for k in ("food", "meal", "symptom", "stool")}
    habits = sum(e.kind in ("sleep", "stress", "movement", "medicine") for e in entries) / 365
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        found = find_patterns(entries)
        times.append(time.perf_counter() - started)
    print(f"a year: {len(entries)} entries (a day: {kinds['food']:.1f} food + {kinds['meal']:.1f} meal, "
          f"{kinds['symptom'] + kinds['stool']:.1f} symptom/stool, {habits:.1f} habit); "
          f"{len(found.suspects)} suspects listed, flagged: "
          f"{', '.join(f'{s.item} {s.symptom} {s.window}' for s in found.suspects if s.flagged)}")
    print(f"find_patterns on a year: median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {runs} runs")


def main() -> int:
    false_flags(200, 56)
    detection(100, 28)
    detection(100, 56)
    speed(5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
