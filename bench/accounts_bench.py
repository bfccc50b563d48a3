"""What accounts cost: the password hash, and a check answered for a visitor versus for a
household with private foods (which gets a search index of its own).

Run: .venv/bin/python bench/accounts_bench.py
"""
from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.security import check_password_hash, generate_password_hash  # noqa: E402

from planner import create_app  # noqa: E402
from planner.accounts import service  # noqa: E402
from planner.data import SourcedRecord, curated_food_records, vocabulary  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.foods import store  # noqa: E402

RUNS = 300
PRIVATE = {
    "slug": "house-loaf", "name": "House loaf", "synonyms": [], "category": "grains", "form": "prepared",
    "nova_group": 3, "nutrients": {"energy_kcal": 250, "protein_g": 9, "fat_g": 3.3, "saturated_fat_g": 0.7,
                                   "carbohydrate_g": 46, "fibre_g": 6, "sugars_g": 4, "sodium_mg": 450},
    "portion": {"grams": 40, "measure": "1 slice"}, "aisle": "bakery",
    "purchase_unit": {"unit": "loaf 800 g", "grams": 800}, "plant_key": "wheat", "allergens": ["gluten"],
    "tags": [], "source": {"name": "Label average", "id": None, "note": "a wholemeal loaf from the local bakery"},
}


def timed(call, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def main() -> None:
    logging.disable(logging.INFO)
    hashed = generate_password_hash("a long enough password")
    print(f"password hash ({hashed.split('$')[0]}): make {timed(lambda: generate_password_hash('x' * 12), 10)[0]:.0f} ms, "
          f"check {timed(lambda: check_password_hash(hashed, 'x' * 12), 10)[0]:.0f} ms")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
            user = service.sign_up(db.session, "bench@example.com", "Bench", "a long enough password")
            store.upsert_records(db.session, [SourcedRecord("bench", PRIVATE)], vocabulary(),
                                 household_id=user.household_id)
            secret = service.create_token(db.session, user, "bench").secret
            client = app.test_client()
            for label, headers in (("visitor", {}), ("token, household with a private food",
                                                      {"Authorization": f"Bearer {secret}"})):
                def check() -> None:
                    assert client.get("/api/v1/check?q=kefir", headers=headers).status_code == 200
                check()  # build the index once
                median, p95 = timed(check)
                print(f"GET /api/v1/check, {label}: median {median:.2f} ms, p95 {p95:.2f} ms")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
