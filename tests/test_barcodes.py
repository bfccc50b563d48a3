"""Scan a barcode: the product comes from Open Food Facts (here a local HTTP server serving
recorded answers), is kept in the database for a while, and is checked as its pack reads."""
from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask

from conftest import make_app
from planner.extensions import db

ANSWERS = Path(__file__).parent / "data" / "off"
SPREAD, OATS, UNKNOWN = "3017620422003", "5010029000061", "9999999999994"


class FakeOpenFoodFacts(BaseHTTPRequestHandler):
    hits: Counter[str] = Counter()

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        barcode = self.path.split("/product/")[-1].split(".json")[0]
        FakeOpenFoodFacts.hits[barcode] += 1
        answer = ANSWERS / f"{barcode}.json"
        if answer.is_file():
            body, status = answer.read_bytes(), 200
        else:
            body, status = json.dumps({"code": barcode, "status": 0, "status_verbose": "product not found"}).encode(), 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def off() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenFoodFacts)
    FakeOpenFoodFacts.hits.clear()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def scanner(database: str, off: str) -> Iterator[Flask]:
    app = make_app(database, OFF_BASE_URL=off)
    with app.app_context():
        yield app


def test_a_product_is_checked_as_its_pack_reads_and_kept_for_next_time(scanner):
    client = scanner.test_client()
    body = client.get(f"/api/v1/check/barcode/{SPREAD}").get_json()
    assert body["verdict"] == "avoid" and body["product"]["name"] == "Hazelnut spread with cocoa"
    assert {"milk", "tree-nuts", "soybeans"} <= set(body["allergens"])
    assert {r["nutrient"]: r["level"] for r in body["nutrition"]}["sugars_g"] == "high"
    assert client.get(f"/api/v1/check/barcode/{SPREAD}").status_code == 200
    assert FakeOpenFoodFacts.hits[SPREAD] == 1  # the second answer came from the database


def test_traces_and_gluten_come_from_the_products_statements(scanner):
    body = scanner.test_client().get(f"/api/v1/check/barcode/{OATS}").get_json()
    assert "gluten" in body["allergens"] and "tree-nuts" in body["traces"]
    assert body["verdict"] in ("good", "recommended")
    assert any(r["rule"] == "front-of-pack-fibre" for r in body["reasons"])


def test_an_unknown_or_mistyped_barcode_gets_a_clear_answer(scanner):
    client = scanner.test_client()
    missing = client.get(f"/api/v1/check/barcode/{UNKNOWN}")
    assert missing.status_code == 404 and "no product" in missing.get_json()["error"]
    assert client.get(f"/api/v1/check/barcode/{UNKNOWN}").status_code == 404
    assert FakeOpenFoodFacts.hits[UNKNOWN] == 1  # "not found" is kept too
    typo = client.get("/api/v1/check/barcode/3017620422004")
    assert typo.status_code == 400 and "last digit" in typo.get_json()["error"]
    assert client.get("/api/v1/check/barcode/12ab").status_code == 400


def test_with_no_network_the_page_says_so_and_offers_the_label(database):
    app = make_app(database, OFF_BASE_URL="http://127.0.0.1:9")  # nothing listens on the discard port
    with app.app_context():
        client = app.test_client()
        api = client.get(f"/api/v1/check/barcode/{SPREAD}")
        assert api.status_code == 503 and "cannot be reached" in api.get_json()["error"]
        page = client.get(f"/check/?barcode={SPREAD}")
        assert page.status_code == 503 and "Paste the ingredient list" in page.get_data(as_text=True)


def test_a_kept_product_is_still_answered_when_the_network_is_gone(scanner, database):
    assert scanner.test_client().get(f"/api/v1/check/barcode/{OATS}").status_code == 200
    offline = make_app(database, OFF_BASE_URL="http://127.0.0.1:9", OFF_KEEP=timedelta(0))
    from planner.models import ProductCache
    row = db.session.get(ProductCache, OATS)
    row.expires_at = row.fetched_at  # its time is up
    db.session.commit()
    with offline.app_context():
        body = offline.test_client().get(f"/api/v1/check/barcode/{OATS}").get_json()
    assert body["product"]["stale"] is True and "gluten" in body["allergens"]


def test_the_checker_page_looks_a_product_up_for_the_household(scanner):
    from conftest import MEMBER, logged_in, user
    from planner.plans import service as plans, store as plan_store
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [{"name": "Kim", "age": 3}],
                                               "allergens": ["milk"]})
    plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    page = logged_in(scanner, MEMBER).get(f"/check/?barcode={SPREAD}").get_data(as_text=True)
    assert "Hazelnut spread with cocoa" in page and "for you" in page and "from Open Food Facts" in page


def test_a_scanned_product_goes_into_a_members_diary(scanner):
    from conftest import MEMBER, logged_in, user
    from planner.plans import service as plans, store as plan_store
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [{"name": "Kim", "age": 30}]})
    plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    client = logged_in(scanner, MEMBER)
    page = client.get(f"/check/?barcode={SPREAD}").get_data(as_text=True)
    assert "Add it to a diary" in page
    client.post("/diary/", data={"member": "Kim", "kind": "food", "item": "Hazelnut spread with cocoa",
                                 "amount": "15", "note": f"barcode {SPREAD}"})
    entries = client.get("/api/v1/diary?member=Kim").get_json()["entries"]
    assert [(e["item"], e["amount"], e["note"]) for e in entries] == [
        ("Hazelnut spread with cocoa", 15, f"barcode {SPREAD}")]
    assert "Add it to a diary" not in scanner.test_client().get(f"/check/?barcode={SPREAD}").get_data(as_text=True)
