"""Food search speed: the curated database and 20,000 generated foods, in-process.

Goals: under 5 ms a query on the curated data, under 20 ms over 20,000 foods.
Run: .venv/bin/python bench/search_bench.py
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.data import curated_food_records, vocabulary  # noqa: E402
from planner.foods.records import validate_record, with_derived_tags  # noqa: E402
from planner.foods.search import Filters, SearchIndex  # noqa: E402

QUERIES = [
    "onion", "onions", "ONION", "yogurt", "yoghurt", "greek yogurt", "chikpeas", "garbanzo beans", "zuchini",
    "brocoli", "sweet potatoes", "kefir", "sauerkraut raw", "bone broth", "slippery elm", "cola", "diet cola",
    "white bread", "whole wheat bread", "crème fraîche", "str", "cour", "oat", "lentils boiled", "salmon",
    "peanut butter", "qwxzv", "energy drink sugar free", "dark chocolate", "instant noodles",
]
WORDS = ["organic", "frozen", "smoked", "roasted", "baby", "wild", "golden", "mini", "family", "value",
         "heritage", "sliced", "diced", "spiced", "lightly", "salted", "unsalted", "farmhouse", "classic", "fresh"]


def curated() -> list[dict]:
    vocab = vocabulary()
    return [with_derived_tags(validate_record(row.record, vocab).record) for row in curated_food_records()]


def pseudo_word(rng: random.Random) -> str:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    return "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(2, 4)))


def generated(base: list[dict], count: int, seed: int = 7) -> list[dict]:
    """Plausible variants of real foods plus invented brand words, so the vocabulary grows too."""
    rng = random.Random(seed)
    foods = []
    for n in range(count):
        source = rng.choice(base)
        name = f"{rng.choice(WORDS).title()} {source['name']} {pseudo_word(rng)} {n}"
        foods.append({**source, "slug": f"gen-{n}", "name": name,
                      "synonyms": [f"{pseudo_word(rng)} {s}" for s in source["synonyms"][:2]]})
    return foods


def timed(index: SearchIndex, queries: list[str], rounds: int, filters: Filters = Filters()) -> list[float]:
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            index.search(query, filters)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(label: str, samples: list[float], goal_ms: float) -> None:
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    print(f"{label:<38} median {statistics.median(samples):6.2f} ms  p95 {p95:6.2f} ms  "
          f"max {samples[-1]:6.2f} ms  (goal < {goal_ms:g} ms: {'met' if p95 < goal_ms else 'MISSED'})")


def main() -> None:
    base = curated()
    start = time.perf_counter()
    small = SearchIndex(base)
    print(f"curated index: {len(small)} foods built in {(time.perf_counter() - start) * 1000:.1f} ms")
    report("curated, 30 mixed queries x 20", timed(small, QUERIES, 20), 5)
    report("curated, with tag filter", timed(small, QUERIES, 5, Filters(tag="prebiotic")), 5)

    foods = generated(base, 20_000)
    start = time.perf_counter()
    large = SearchIndex(foods)
    print(f"generated index: {len(large)} foods, {len(large.vocabulary)} words, "
          f"built in {time.perf_counter() - start:.2f} s")
    report("20,000 foods, 30 mixed queries x 3", timed(large, QUERIES, 3), 20)
    report("20,000 foods, empty query + filter", timed(large, [""], 10, Filters(category="vegetables")), 20)


if __name__ == "__main__":
    main()
