"""The catalog every face reads: one version per scope, seen by every server at once; another
household's private foods nowhere; a saved week shown from what was planned."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select, update

from conftest import MEMBER, OTHER, logged_in, user
from factories import food
from planner import catalog
from planner.accounts import backup, service as accounts
from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import store as food_store
from planner.models import SHARED, CatalogVersion, Food, Recipe, Tag
from planner.plans import service as plans, store as plan_store

MONDAY = date(2026, 11, 23)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def second_server(app, database: str) -> Iterator[str]:
    """Another server process on the same database, with caches of its own."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "another-server-" + "x" * 32,
           "SESSION_COOKIE_SECURE": "0"}
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "planner:create_app()", "run",
                               "--host", "127.0.0.1", "--port", str(port), "--without-threads"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/api/v1/foods?q=apple", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the second server stopped: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _post(url: str, body: dict, token: str) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _with_allergen(slug: str, allergen: str) -> None:
    """An admin's edit: only the food's allergens change."""
    record = food_store.food_record(db.session.scalar(select(Food).where(Food.slug == slug)))
    record = {**record, "allergens": sorted({*record["allergens"], allergen}),
              "tags": [t for t in record["tags"] if t in vocabulary().typed_tags]}
    food_store.upsert_records(db.session, [SourcedRecord("edit", record)], vocabulary())


def _foods_in(plan: dict) -> set[str]:
    return {i["food"] for day in plan["days"] for meal in day["meals"] for i in meal["ingredients"]}


def test_an_allergen_added_on_one_server_is_honoured_by_the_other_on_its_next_request(app, second_server):
    token = accounts.create_token(db.session, user(MEMBER), "second server").secret
    profile = {"name": "Mustard-free", "members": [{"name": "Kim", "age": 35}], "allergens": ["mustard"]}
    check = f"{second_server}/api/v1/check?q=apple&allergens=mustard"
    before = _get(check)
    plan_before = _post(f"{second_server}/api/v1/plans", {"profile": profile, "week_start": "2026-11-23"}, token)
    assert before["verdict"] != "avoid" and "apple" in _foods_in(plan_before)

    _with_allergen("apple", "mustard")  # written here, through this process's own session

    after = _get(check)
    assert after["verdict"] == "avoid"
    assert "mustard" in json.dumps(after["reasons"]).lower()
    plan_after = _post(f"{second_server}/api/v1/plans", {"profile": profile, "week_start": "2026-11-23"}, token)
    assert "apple" not in _foods_in(plan_after)


def test_every_write_to_what_the_catalog_holds_gives_its_scope_a_new_version(app, client):
    def token(scope: int) -> str | None:
        return db.session.scalar(select(CatalogVersion.token).where(CatalogVersion.scope == scope))

    shared, home = token(SHARED), user(MEMBER).household_id
    assert shared and token(home) is None
    _with_allergen("apple", "celery")
    assert token(SHARED) not in (None, shared)
    assert "celery" in catalog.load(db.session).foods["apple"]["allergens"]

    shared = token(SHARED)
    tag = db.session.scalar(select(Tag).where(Tag.slug == "celery"))
    apple = db.session.scalar(select(Food).where(Food.slug == "apple"))
    apple.tags.remove(tag)  # a change to a food's tags alone
    db.session.commit()
    assert token(SHARED) != shared and "celery" not in catalog.load(db.session).foods["apple"]["allergens"]

    shared = token(SHARED)
    recipe = db.session.scalars(select(Recipe)).first()
    recipe.title = "Renamed by the cook"
    db.session.commit()
    assert token(SHARED) != shared
    assert catalog.load(db.session).dish_map[recipe.slug].recipe["title"] == "Renamed by the cook"

    shared = token(SHARED)
    assert client.post("/foods/new", data={**_form("Granny's quince cheese")}).status_code == 302
    assert token(home) is not None and token(SHARED) == shared  # a private food touches its household alone
    assert "Granny's quince cheese" in [r["name"] for r in catalog.load(db.session, home).foods.values()]

    before = token(home)
    db.session.execute(update(CatalogVersion).values(token=CatalogVersion.token))  # no food changed
    db.session.commit()
    assert token(home) == before


def _form(name: str) -> dict[str, str]:
    """A private food of this name and no other names: two of them never clash, whatever the timing."""
    from test_web import form_data
    return form_data(name=name, synonyms="", plant_key="", aisle="herbs-spices")


SECRET = "Zorblax secret spice"


@pytest.fixture
def others_private_spice(app) -> str:
    """OTHER's household keeps a private spice: it would fall into any default pantry."""
    food_store.upsert_records(db.session, [SourcedRecord("test", food(
        slug="zorblax-spice", name=SECRET, synonyms=[], plant_key=None, aisle="herbs-spices"))], vocabulary(),
        household_id=user(OTHER).household_id)
    assert logged_in(app, OTHER).get("/api/v1/foods?q=zorblax").get_json()["items"]  # they do see it
    return SECRET


def test_another_households_private_food_appears_nowhere(app, client, others_private_spice):
    home = user(MEMBER).household_id
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [{"name": "Mo", "age": 40}]}, home)
    row = plan_store.save_profile(db.session, profile, None, home)
    plan_row, _ = plans.create_plan(db.session, profile, MONDAY, row.id, home)
    pages = [
        f"/shopping/profiles/{row.id}/settings", f"/shopping/plans/{plan_row.id}",
        f"/shopping/plans/{plan_row.id}/export.csv", f"/api/v1/plans/{plan_row.id}/shopping-list",
        f"/plans/{plan_row.id}", f"/api/v1/plans/{plan_row.id}", "/api/v1/foods?q=zorblax", "/foods/?q=zorblax",
        "/api/v1/check?q=zorblax", "/check/?q=zorblax", "/api/v1/foods?q=spice&per_page=200",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        assert SECRET.lower() not in response.get_data(as_text=True).lower(), page
    # Saving the pantry writes the defaults the household sees, and the backup carries them.
    assert client.post(f"/shopping/profiles/{row.id}/settings/pantry", data={"food": "turmeric"}).status_code == 302
    db.session.refresh(row)
    assert "zorblax-spice" not in json.dumps(row.shopping)
    document = json.dumps(backup.export_household(db.session, user(MEMBER).household))
    assert "zorblax" not in document.lower()
    assert "zorblax-spice" not in catalog.load(db.session, home).foods
    assert "zorblax-spice" in catalog.load(db.session, user(OTHER).household_id).foods


def _plan_with(client, profile: dict) -> tuple[int, dict]:
    response = client.post("/api/v1/plans", json={"profile": profile, "week_start": "2026-11-23"})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    return data["id"], data


def test_a_plan_made_before_its_recipe_changed_still_shows_as_planned(app, client):
    plan_id, planned = _plan_with(client, {"name": "Us", "members": [{"name": "Mo", "age": 40}],
                                           "allergens": ["peanuts"]})
    first = planned["days"][0]["meals"][0]
    client.post(f"/plans/{plan_id}/lock/0/{first['slot']}")  # a locked meal is kept whatever changes
    recipe = db.session.scalar(select(Recipe).where(Recipe.slug == first["recipe"]["slug"]))
    old_title = recipe.title
    recipe.title = "A new name for it"
    db.session.commit()
    nuts = db.session.scalar(select(Food).where(Food.slug == "peanut-butter"))
    assert nuts is not None
    recipe.ingredients[0].food_id = nuts.id  # now it holds the household's allergen
    db.session.commit()

    page = client.get(f"/plans/{plan_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert old_title in text and "Some meals have changed" in text and "peanuts" in text
    calendar = client.get(f"/plans/{plan_id}/plan.ics")
    assert calendar.status_code == 200
    assert old_title in calendar.get_data(as_text=True).replace("\r\n ", "").replace("\\,", ",")
    data = client.get(f"/api/v1/plans/{plan_id}").get_json()
    assert data["days"][0]["meals"][0]["recipe"]["title"] == old_title
    assert data["days"][0]["meals"][0]["ingredients"] == first["ingredients"]
    assert {(c["day"], c["meal"]) for c in data["changes"]} >= {(0, first["slot"])}
    assert client.get(f"/shopping/plans/{plan_id}").status_code == 200

    client.post(f"/plans/{plan_id}/lock/0/{first['slot']}")  # unlock, then redo what changed
    assert client.post(f"/plans/{plan_id}/redo-changed").status_code == 302
    redone = client.get(f"/api/v1/plans/{plan_id}").get_json()
    assert redone["changes"] == []
    assert redone["days"][0]["meals"][0]["recipe"]["slug"] != first["recipe"]["slug"]
    assert "peanut-butter" not in _foods_in(redone)


def test_two_first_private_foods_at_once_both_land_and_both_are_seen(app):
    """Two members add their household's first private foods at the same moment: the version
    row is made once (an upsert), neither save fails, and the catalog shows both."""
    import threading

    home = user(MEMBER).household_id
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def add(name: str) -> None:
        with app.app_context():
            browser = logged_in(app, MEMBER)
            barrier.wait()
            statuses.append(browser.post("/foods/new", data=_form(name)).status_code)
            db.session.remove()

    threads = [threading.Thread(target=add, args=(name,)) for name in ("Aunt May's chutney", "Uncle Bo's relish")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302, 302]
    db.session.expire_all()
    names = {r["name"] for r in catalog.load(db.session, home).foods.values()}
    assert {"Aunt May's chutney", "Uncle Bo's relish"} <= names
    assert db.session.scalar(select(CatalogVersion.token).where(CatalogVersion.scope == home))


def test_the_households_in_use_keep_their_catalog_and_the_shared_one_is_never_pushed_out(monkeypatch):
    from planner import catalog
    from planner.catalog import _cached
    monkeypatch.setattr(catalog, "_BUILT", {})
    monkeypatch.setattr(catalog, "MAX_BUILT", 2)
    built: list[int | None] = []

    def make(household: int | None):
        def build(version):
            built.append(household)
            return catalog.Catalog(household, version, {}, None, (), None)  # type: ignore[arg-type]
        return build

    _cached("db", None, ("s",), make(None))
    _cached("db", 1, ("s", "a"), make(1))
    _cached("db", 2, ("s", "b"), make(2))
    _cached("db", 1, ("s", "a"), make(1))  # 1 used again: now 2 is the least recently used
    _cached("db", 3, ("s", "c"), make(3))
    assert set(catalog._BUILT) == {("db", None), ("db", 1), ("db", 3)}
    _cached("db", None, ("s",), make(None))
    assert built == [None, 1, 2, 3]  # the shared catalog and household 1 were never built again
