"""Shopping list speed: a 4-week plan for a 4-person profile (goal: the list builds in under 100 ms).

Makes four weekly plans in a fresh SQLite database, then times, over repeated runs:
- the list as the page and API build it: plans and marks read from the database, meals
  summed, rounded up to purchase units and grouped by aisle;
- the pure build alone (no database);
- each export of that list (CSV, Markdown, text, JSON, PDF).

Run: .venv/bin/python bench/shopping_bench.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from planner import create_app  # noqa: E402
from planner.data import curated_food_records, curated_recipe_records, vocabulary  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.foods import store as food_store  # noqa: E402
from planner.plans import service as plans, store as plan_store  # noqa: E402
from planner.recipes import store as recipe_store  # noqa: E402
from planner import catalog  # noqa: E402
from planner.plans.store import kept  # noqa: E402
from planner.shopping import service  # noqa: E402
from planner.shopping.build import build_list  # noqa: E402

MONDAY = date(2026, 11, 23)
WEEKS = 4
RUNS = 30
FAMILY = {"name": "Family of four", "members": [
    {"name": "Ana", "age": 41, "sex": "female"}, {"name": "Ben", "age": 43, "sex": "male"},
    {"name": "Cleo", "age": 12, "sex": "female"}, {"name": "Dan", "age": 7}]}


def timed(action, runs: int = RUNS) -> tuple[str, object]:
    """'median / p95 / max' in ms over `runs` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"median {statistics.median(times):6.1f}   p95 {p95:6.1f}   max {max(times):6.1f} ms", result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            food_store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
            recipe_store.seed_recipes(db.session, curated_recipe_records())
            profile = plan_store.save_profile(db.session, plans.parse_profile(db.session, FAMILY))
            for week in range(WEEKS):
                plans.create_plan(db.session, plan_store.profile_of(profile), MONDAY + timedelta(weeks=week),
                                  profile.id)
            end = MONDAY + timedelta(days=7 * WEEKS - 1)

            def full() -> object:
                return service.shopping_list(db.session, service.range_scope(db.session, profile.id, MONDAY, end))

            start = time.perf_counter()
            shopping = full()
            first = (time.perf_counter() - start) * 1000
            figures, shopping = timed(full)
            items = sum(len(a.items) for a in shopping.aisles) + len(shopping.pantry)
            meals = sum(len(row.slots) for row in service.range_scope(db.session, profile.id, MONDAY, end).rows)
            print(f"4-week plan, 4 people: {meals} meals, {items} items in {len(shopping.aisles)} aisles")
            print(f"  first list (reads recipes and foods, loads unit tables): {first:7.1f} ms")
            print(f"  list from the database:   {figures}   (goal: under 100 ms)")

            scope = service.range_scope(db.session, profile.id, MONDAY, end)
            library = catalog.load(db.session, profile.household_id)
            recipes = {row.id: kept(row, library).recipes for row in scope.rows}
            uses = [m for meals_of in service.store.meal_uses(scope.rows, recipes).values() for m in meals_of]
            settings = service.settings_of(db.session, profile)
            foods, aisles = library.foods, vocabulary().aisles
            figures, _ = timed(lambda: build_list(uses, foods, settings, service.State(), aisles, "bench"))
            print(f"  pure build (no database): {figures}")
            for fmt in ("csv", "md", "txt", "json", "pdf"):
                figures, download = timed(lambda: service.render(shopping, fmt), runs=10)
                print(f"  export {fmt:4}:             {figures}   {len(download.content):>7,} bytes")
            print("A max far above the median is a full garbage-collection pass landing in that run.")


if __name__ == "__main__":
    main()
