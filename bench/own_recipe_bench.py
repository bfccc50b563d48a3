"""Imported recipes, page by page: is the title right, are all the ingredient lines there, how
many lines are matched to a food with grams, and could the planner use the recipe at once?
Reads the saved pages in tests/data/pages (no network), with the curated foods and the USDA
table, and prints the time to read and work out each page.

    .venv/bin/python bench/own_recipe_bench.py
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.plans.eligibility import why_not  # noqa: E402
from planner.plans.profile import profile_from_dict  # noqa: E402
from planner.recipes.curated import curated_foods  # noqa: E402
from planner.recipes.facts import recipe_facts  # noqa: E402
from planner.recipes.importing import ImportRefused, decode_page, draft_from_html  # noqa: E402
from planner.recipes.matching import Candidate, Matcher, usda_candidates  # noqa: E402
from planner.recipes.own import draft_recipe  # noqa: E402
from planner.recipes.service import input_from_import  # noqa: E402
from planner.refused import Refused  # noqa: E402

PAGES = Path(__file__).resolve().parents[1] / "tests" / "data" / "pages"
ADULT = profile_from_dict({"members": [{"name": "Ana", "age": 40, "sex": "female"}]})


def matcher() -> Matcher:
    return Matcher([Candidate(slug, (r["name"], *r.get("synonyms", [])), True) for slug, r in curated_foods().items()],
                   usda_candidates())


def main() -> None:
    expected = yaml.safe_load((PAGES / "expected.yaml").read_text())
    foods = curated_foods()
    started = time.perf_counter()
    match = matcher()
    print(f"Food matcher built in {time.perf_counter() - started:.2f} s")
    print(f"\n{'page':<40} {'title':>5} {'lines':>7} {'matched':>8} {'check':>5} {'plannable':>9} {'ms':>6}")
    total = matched = named = amounts = amounts_matched = 0
    seconds = []
    for page in sorted(PAGES.glob("*.html")):
        want = expected.get(page.name, {})
        started = time.perf_counter()
        try:
            draft = draft_from_html(decode_page(page.read_bytes()))
        except ImportRefused as refused:
            print(f"{page.name:<40} refused: {refused.reason} (expected {want.get('error')})")
            continue
        data = input_from_import(draft)
        try:
            own = draft_recipe(data, foods, match, "imported")
            why = "; ".join(own.problems) or why_not(own.record, recipe_facts(own.record, {**foods, **own.foods}),
                                                      ADULT, meal=own.record["meals"][0])
        except Refused as refused:
            print(f"{page.name:<40} not saved: {refused.message}")
            total += len(data.lines)
            amounts += len(data.lines)
            continue
        seconds.append(time.perf_counter() - started)
        lines = [line for line in own.lines if not line.header]
        counted = [line for line in lines if line.food and line.grams]
        total += len(lines)
        matched += len(counted)
        named += sum(1 for line in lines if line.food)
        with_amount = [line for line in lines if line.quantity is not None]
        amounts += len(with_amount)
        amounts_matched += sum(1 for line in with_amount if line.food and line.grams)
        title_ok = draft.title == want.get("title")
        lines_ok = len(draft.lines) == want.get("lines")
        print(f"{page.name:<40} {'ok' if title_ok else 'WRONG':>5} {len(draft.lines):>3}/{want.get('lines', '?'):<3} "
              f"{len(counted):>3}/{len(lines):<4} {sum(1 for line in lines if line.needs_choice):>5} "
              f"{'yes' if not why else 'no':>9} {1000 * seconds[-1]:>6.0f}" + (f"  ({why})" if why else ""))
        for line in lines:
            if not (line.food and line.grams):
                print(f"{'':<42}not counted: {line.text!r} -> {line.food_name or '-'}")
    print(f"\nEvery line, pages not saved included: {matched}/{total} = {matched / total:.1%} matched to a food "
          f"with grams (goal 90 %); {named}/{total} = {named / total:.1%} matched to a food")
    print(f"Lines that give an amount: {amounts_matched}/{amounts} = {amounts_matched / amounts:.1%} matched to a "
          "food with grams")
    print(f"Time a page (read, lines, foods, grams): median {1000 * statistics.median(seconds):.0f} ms, "
          f"max {1000 * max(seconds):.0f} ms")


if __name__ == "__main__":
    main()
