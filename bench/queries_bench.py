"""Database statements per request, after the first (warm) one: a check by a visitor, a check by a
household with a private food (API token), a plan's page, its JSON, its .ics and its shopping list.

Run: .venv/bin/python bench/queries_bench.py
Everything goes through HTTP routes and the `planner seed` command, so the same script measures
any version of the app.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 32)

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from planner import create_app  # noqa: E402
from planner.accounts import service as accounts  # noqa: E402
from planner.extensions import db  # noqa: E402
from planner.models import User  # noqa: E402

PROFILE = {"name": "Bench family", "members": [{"name": "A", "age": 40}, {"name": "B", "age": 38},
                                               {"name": "C", "age": 9}], "allergens": ["peanuts"]}
FOOD_FORM = {
    "name": "Bench private lentils", "slug": "", "synonyms": "", "category": "legumes", "form": "cooked",
    "nova_group": "1", "energy_kcal": "116", "protein_g": "9", "fat_g": "0.4", "saturated_fat_g": "0.1",
    "carbohydrate_g": "20", "fibre_g": "7.9", "sugars_g": "1.8", "sodium_mg": "2", "alcohol_g": "",
    "portion_g": "100", "portion_measure": "1/2 cup", "aisle": "dry-goods", "purchase_unit": "bag 500 g",
    "purchase_grams": "500", "plant_key": "", "tags": ["legume"], "source_name": "USDA SR Legacy",
    "source_id": "16070", "source_note": "",
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "WTF_CSRF_ENABLED": False,
                          "TESTING": True})
        with app.app_context():
            upgrade()
            assert app.test_cli_runner().invoke(args=["seed"]).exit_code == 0
            accounts.sign_up(db.session, "bench@example.com", "Bench", "a long enough password")
            user = db.session.scalar(select(User))
            token = accounts.create_token(db.session, user, "bench").secret
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = accounts.open_session(db.session, user)
            assert client.post("/foods/new", data=FOOD_FORM).status_code == 302
            bearer = {"Authorization": f"Bearer {token}"}
            plan = client.post("/api/v1/plans", json={"profile": PROFILE, "week_start": "2026-11-23"}, headers=bearer)
            assert plan.status_code == 201, plan.get_data(as_text=True)
            plan_id = plan.get_json()["id"]
            visitor = app.test_client()
            requests = [
                ("check, visitor", lambda: visitor.get("/api/v1/check?q=kefir")),
                ("check, household with a private food", lambda: client.get("/api/v1/check?q=kefir", headers=bearer)),
                ("plan page", lambda: client.get(f"/plans/{plan_id}")),
                ("plan JSON", lambda: client.get(f"/api/v1/plans/{plan_id}", headers=bearer)),
                ("plan .ics", lambda: client.get(f"/plans/{plan_id}/plan.ics")),
                ("shopping list page", lambda: client.get(f"/shopping/plans/{plan_id}")),
            ]
            statements: list[str] = []
            event.listen(db.engine, "before_cursor_execute",
                         lambda _c, _cur, sql, *_: statements.append(sql))
            print(f"{'request':42} statements (warm)")
            for name, call in requests:
                assert call().status_code == 200, name
                statements.clear()
                assert call().status_code == 200, name
                print(f"{name:42} {len(statements):3}")
                if os.environ.get("SHOW_SQL"):
                    print("\n".join("    " + " ".join(s.split())[:150] for s in statements))
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
