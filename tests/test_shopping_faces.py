"""The shopping list's faces: the list pages, settings, exports, the API and `planner shopping-list`."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import MEMBER, make_app, user
from planner.extensions import db
from planner.models import Profile as ProfileRow, ShoppingExtra, ShoppingMark
from planner.plans import service as plans, store as plan_store
from planner.plans.problem import Slot

MONDAY = date(2026, 11, 23)
FAMILY = {"name": "Family", "members": [{"name": "Ana", "age": 36, "sex": "female"},
                                        {"name": "Ben", "age": 38, "sex": "male"}, {"name": "Mia", "age": 3}],
          "allergens": ["peanuts"]}


def _profile(data: dict = FAMILY) -> ProfileRow:
    """A profile of the MEMBER's household (the account the `client` is logged in as)."""
    return plan_store.save_profile(db.session, plans.parse_profile(db.session, data), None,
                                   user(MEMBER).household_id)


def _plan(profile: ProfileRow | None = None, week: int = 0, data: dict = FAMILY) -> int:
    profile = profile or _profile(data)
    row, _ = plans.create_plan(db.session, plan_store.profile_of(profile), MONDAY + timedelta(weeks=week),
                               profile.id, profile.household_id)
    return row.id


def _json(client, plan_id: int) -> dict:
    return client.get(f"/api/v1/plans/{plan_id}/shopping-list").get_json()


def _used(items: dict[str, dict]) -> Counter[str]:
    """Grams of each food the meals use, whichever line buys it."""
    found: Counter[str] = Counter()
    for item in items.values():
        for meal in item["meals"]:
            found[meal["food"]] += meal["used_grams"]
    return found


def _items(data: dict) -> dict[str, dict]:
    found = {i["food"]: i for a in data["aisles"] for i in a["items"]}
    found.update({i["food"]: i for i in data.get("make", [])})  # made at home, not bought
    found.update({i["food"]: i for i in data["pantry"]})
    return found


# -- correctness against the plan -----------------------------------------------------------

profiles = st.fixed_dictionaries({
    "name": st.just("Any"),
    "members": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["Ana", "Ben", "Mia"]),
                                               "age": st.integers(1, 80)}), min_size=1, max_size=5),
    "diets": st.lists(st.sampled_from(["vegetarian", "dairy-free", "gluten-free"]), max_size=1),
    "meals": st.lists(st.sampled_from(["breakfast", "lunch", "dinner", "snack"]), min_size=1, max_size=4, unique=True),
})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=profiles, units=st.sampled_from(["metric", "us"]))
def test_list_grams_equal_the_plans_ingredient_grams_per_food(app, client, body, units):
    profile = _profile(body)
    profile.shopping = {"units": units}
    db.session.commit()
    plan_id = _plan(profile)
    week = plans.payload(db.session, plan_store.get_plan_row(db.session, plan_id))
    expected: dict[str, float] = defaultdict(float)
    for day in week["days"]:
        for meal in day["meals"]:
            for dish in (meal, *meal.get("sides", [])):  # a meal's sides are shopped for too
                for ingredient in dish["ingredients"]:
                    expected[ingredient["food"]] += ingredient["grams"]
    items = _items(_json(client, plan_id))
    # A food bought as another (cooked rice as dried rice) is on that food's line, in its grams;
    # each meal on a line says which food it uses and how much.
    used: dict[str, float] = defaultdict(float)
    for item in items.values():
        assert item["buy"]["grams"] >= item["grams"]  # never buys less than needed
        assert sum(m["grams"] for m in item["meals"]) == pytest.approx(item["grams"], abs=0.1)
        for meal in item["meals"]:
            used[meal["food"]] += meal["used_grams"]
        if not item["parts"]:
            assert item["grams"] == pytest.approx(expected[item["food"]], abs=1e-6)
    assert set(used) == set(expected)
    for food, grams in expected.items():
        assert used[food] == pytest.approx(grams, abs=1e-6)


# -- the page ---------------------------------------------------------------------------------

def test_list_page_groups_by_aisle_in_the_households_order(app, client):
    plan_id = _plan()
    page = client.get(f"/shopping/plans/{plan_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Fruit and vegetables") < html.index("Dairy and eggs") < html.index("Check you have")
    profile = db.session.get(ProfileRow, 1)
    moved = client.post("/shopping/profiles/1/settings/aisles", data={"move": "dairy-eggs:up"})
    assert moved.status_code == 302
    for _ in range(10):
        client.post("/shopping/profiles/1/settings/aisles", data={"move": "dairy-eggs:up"})
    db.session.refresh(profile)
    assert profile.shopping["aisle_order"][0] == "dairy-eggs"
    html = client.get(f"/shopping/plans/{plan_id}").get_data(as_text=True)
    assert html.index("Dairy and eggs") < html.index("Fruit and vegetables")
    dragged = client.post("/shopping/profiles/1/settings/aisles", data={"order": "frozen,produce"})
    assert dragged.status_code == 302
    db.session.refresh(profile)
    assert profile.shopping["aisle_order"] == ["frozen", "produce"]
    for bad in ({"order": "frozen,moon"}, {"order": "frozen,frozen"}, {"move": "moon:up"}, {"move": "frozen:sideways"}, {}):
        assert client.post("/shopping/profiles/1/settings/aisles", data=bad).status_code == 400
    db.session.refresh(profile)
    assert profile.shopping["aisle_order"] == ["frozen", "produce"]  # nothing half-changed


def test_ticks_removals_and_extras_are_saved(app, client):
    plan_id = _plan()
    foods = list(_items(_json(client, plan_id)))
    keys = [f"food:{foods[0]}", f"food:{foods[1]}"]
    assert client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1", "item": keys}).status_code == 302
    items = _items(_json(client, plan_id))
    assert items[foods[0]]["checked"] and items[foods[1]]["checked"] and not items[foods[2]]["checked"]
    # the whole form says what was ticked when it was shown: only what changed on it is saved
    answer = client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1", "item": keys[:1],
                                                                   "shown": keys},
                         headers={"Accept": "application/json"})
    assert answer.is_json and answer.get_json()["ticked"] == 1
    stale = client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1", "item": [f"food:{foods[2]}"]})
    assert stale.status_code == 302 and _items(_json(client, plan_id))[foods[0]]["checked"]  # not shown: kept
    client.post(f"/shopping/plans/{plan_id}/ticks", data={"key": f"food:{foods[2]}", "checked": "0"})

    # one item at a time (as the page's script sends them) leaves every other tick alone
    for food in foods[3:5]:
        client.post(f"/shopping/plans/{plan_id}/ticks", data={"key": f"food:{food}", "checked": "1"})
    items = _items(_json(client, plan_id))
    assert [items[f]["checked"] for f in foods[:5]] == [True, False, False, True, True]
    client.post(f"/shopping/plans/{plan_id}/ticks", data={"key": f"food:{foods[4]}", "checked": "0"})
    assert not _items(_json(client, plan_id))[foods[4]]["checked"] and _items(_json(client, plan_id))[foods[3]]["checked"]
    for key in ("food:moon-rock", "extra:99", "extra:x", "nothing"):
        assert client.post(f"/shopping/plans/{plan_id}/ticks", data={"key": key, "checked": "1"}).status_code == 404

    assert client.post(f"/shopping/plans/{plan_id}/items/{foods[2]}/remove").status_code == 302
    data = _json(client, plan_id)
    assert [i["food"] for i in data["removed"]] == [foods[2]] and foods[2] not in _items(data)
    assert "Put back" in client.get(f"/shopping/plans/{plan_id}").get_data(as_text=True)
    client.post(f"/shopping/plans/{plan_id}/items/{foods[2]}/restore")
    assert foods[2] in _items(_json(client, plan_id))
    assert client.post(f"/shopping/plans/{plan_id}/items/moon-rock/remove").status_code == 404

    added = client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "2 lemons"}, follow_redirects=True)
    assert added.status_code == 200 and "Added 2 lemons" in added.get_data(as_text=True)
    client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "kitchen roll"})
    data = _json(client, plan_id)
    extras = {e["text"]: e for a in data["aisles"] for e in a["extras"]}
    assert extras["2 lemons"]["food"] == "lemon" and extras["kitchen roll"]["food"] is None
    assert data["aisles"][-1]["aisle"] == "other"
    bad = client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "500 g"})
    assert bad.status_code == 400 and "Say what it is" in bad.get_data(as_text=True)
    assert client.post(f"/shopping/plans/{plan_id}/extras", data={"text": ""}).status_code == 400
    extra_id = extras["kitchen roll"]["id"]
    client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1", "item": [f"extra:{extra_id}"]})
    assert db.session.get(ShoppingExtra, extra_id).checked
    client.post(f"/shopping/plans/{plan_id}/ticks", data={"key": f"extra:{extra_id}", "checked": "0"})
    assert not db.session.get(ShoppingExtra, extra_id).checked
    assert client.post(f"/shopping/plans/{plan_id}/extras/{extra_id}/delete").status_code == 302
    assert client.post(f"/shopping/plans/{plan_id}/extras/{extra_id}/delete").status_code == 404
    assert db.session.query(ShoppingExtra).count() == 1


def test_regenerating_keeps_ticks_and_extras_for_foods_still_needed(app, client):
    plan_id = _plan()
    before = _items(_json(client, plan_id))
    client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1", "item": [f"food:{f}" for f in before]})
    client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "kitchen roll"})
    row = plan_store.get_plan_row(db.session, plan_id)
    plans.redo(db.session, row, [Slot(day, meal) for day in range(7) for meal in ("dinner", "lunch")])
    kept = set(_items(_json(client, plan_id))) & set(before)  # ticked, and needed at every step since
    for day in range(7):  # swap in other dishes until the week needs different foods
        _, options = plans.offer(db.session, row, Slot(day, "dinner"))
        plans.put(db.session, row, Slot(day, "dinner"), options[-1].slug)
        after = _items(_json(client, plan_id))
        kept &= set(after)
        if set(after) - set(before) and set(before) - set(after):
            break
    assert set(after) - set(before) and set(before) - set(after)
    for food, item in after.items():
        assert item["checked"] == (food in kept), food
    marked = {m.food.slug for m in db.session.query(ShoppingMark).filter_by(plan_id=plan_id)}
    needed = set(after) | {part["food"] for item in after.values() for part in item["parts"]}
    assert marked <= needed  # ticks for foods the week no longer needs are gone
    assert [e["text"] for a in _json(client, plan_id)["aisles"] for e in a["extras"]] == ["kitchen roll"]


def test_pantry_and_units_are_profile_settings(app, client):
    plan_id = _plan()
    data = _json(client, plan_id)
    assert "table-salt" in {i["food"] for i in data["pantry"]}
    onion = _items(data)["onion"] if "onion" in _items(data) else None
    client.post(f"/shopping/plans/{plan_id}/items/table-salt/buy")
    assert "table-salt" in {i["food"] for a in _json(client, plan_id)["aisles"] for i in a["items"]}
    produce = next(a["items"][0]["food"] for a in data["aisles"] if a["aisle"] == "produce")
    client.post(f"/shopping/plans/{plan_id}/items/{produce}/keep")
    assert produce in {i["food"] for i in _json(client, plan_id)["pantry"]}

    page = client.get("/shopping/profiles/1/settings")
    assert page.status_code == 200 and "Your pantry" in page.get_data(as_text=True)
    assert client.post("/shopping/profiles/1/settings/pantry", data={"food": "raw sauerkraut"}).status_code == 302
    assert "sauerkraut-raw" in db.session.get(ProfileRow, 1).shopping["pantry"]
    unknown = client.post("/shopping/profiles/1/settings/pantry", data={"food": "moon rocks"})
    assert unknown.status_code == 400 and "No food called" in unknown.get_data(as_text=True)
    client.post("/shopping/profiles/1/settings/pantry", data={"remove": "sauerkraut-raw"})
    assert "sauerkraut-raw" not in db.session.get(ProfileRow, 1).shopping["pantry"]
    assert client.post("/shopping/profiles/1/settings/pantry", data={"remove": "onion-rings"}).status_code == 400
    client.post("/shopping/profiles/1/settings/pantry", data={"reset": "1"})
    assert "table-salt" in db.session.get(ProfileRow, 1).shopping["pantry"]

    assert client.post("/shopping/profiles/1/settings/units", data={"units": "imperial"}).status_code == 400
    assert client.post("/shopping/profiles/1/settings/units", data={"units": "us"}).status_code == 302
    data = _json(client, plan_id)
    assert data["units"] == "us"
    units = {i["need"]["unit"] for i in _items(data).values()}
    assert units <= {"oz", "lb", "fl oz", "qt", "gal"} and "oz" in units
    if onion:
        assert _items(data)["onion"]["grams"] == onion["grams"]  # grams stay exact whatever the units
    assert client.get("/shopping/profiles/99/settings").status_code == 404


def test_a_list_over_several_weeks_combines_the_households_plans(app, client):
    profile = _profile()
    first, second = _plan(profile), _plan(profile, week=1)
    one = _items(_json(client, first))
    two = _items(_json(client, second))
    both = client.get(f"/api/v1/profiles/{profile.id}/shopping-list?start=2026-11-23&end=2026-12-06").get_json()
    items = _items(both)
    # Every meal's need is on the combined list, though one food needed in two forms may share a line there.
    used = [_used(data) for data in (one, two, items)]
    for food in set(used[0]) | set(used[1]):
        assert used[2][food] == pytest.approx(used[0][food] + used[1][food], abs=0.11)
    assert both["start"] == "2026-11-23" and both["end"] == "2026-12-06"
    assert "Mon 23 Nov" in next(iter(items.values()))["meals_text"] or "Nov" in json.dumps(both)
    food = next(iter(items))
    url = f"/shopping/profiles/{profile.id}"
    query = "?start=2026-11-23&end=2026-12-06"
    page = client.get(url + query)
    assert page.status_code == 200 and "23 November to 6 December 2026" in page.get_data(as_text=True)
    client.post(f"{url}/ticks{query}", data={"ticks_shown": "1", "item": [f"food:{food}"]})
    assert _items(client.get(f"/api/v1/profiles/{profile.id}/shopping-list{query}").get_json())[food]["checked"]
    for plan_id, week in ((first, one), (second, two)):
        if food in week:
            assert _items(_json(client, plan_id))[food]["checked"]  # the tick is on every plan that needs it
    one_day = client.get(f"/api/v1/profiles/{profile.id}/shopping-list?start=2026-11-24&end=2026-11-24").get_json()
    assert {m["date"] for i in _items(one_day).values() for m in i["meals"]} == {"2026-11-24"}
    assert client.get(f"{url}?start=2026-12-06&end=2026-11-23").status_code == 400
    assert client.get(f"{url}?start=soon").status_code == 400
    assert client.get(f"{url}?start=2027-01-01&end=2027-01-07").status_code == 404
    assert client.get("/shopping/?profile=1&start=2026-11-23&end=2026-12-06").status_code == 302
    assert client.get("/shopping/?profile=1&start=bad&end=").status_code == 400
    assert client.get("/shopping/").status_code == 200


def test_exports_download_in_every_format(app, client):
    plan_id = _plan()
    base = f"/shopping/plans/{plan_id}/export"
    response = client.get(f"{base}.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    data = _json(client, plan_id)
    assert len(rows) == data["counts"]["to_buy"] + data["counts"]["make"] + data["counts"]["pantry"]
    assert client.get(f"{base}.md").get_data(as_text=True).count("- [ ]") == len(rows)
    assert client.get(f"{base}.txt").mimetype == "text/plain"
    for paper, width in (("a4", 595), ("letter", 612)):
        pdf = PdfReader(io.BytesIO(client.get(f"{base}.pdf?paper={paper}").get_data()))
        assert round(float(pdf.pages[0].mediabox.width)) == width
        assert rows[0]["item"] in pdf.pages[0].extract_text()
    assert client.get(f"{base}.docx").status_code == 404
    assert client.get(f"{base}.pdf?paper=a3").status_code == 404


def test_missing_plans_are_a_clear_404_everywhere(app, client, runner):
    plan_id = _plan()
    plan_store.delete_plan(db.session, plan_store.get_plan_row(db.session, plan_id))
    for url in (f"/shopping/plans/{plan_id}", "/shopping/plans/999", "/shopping/plans/999/export.csv"):
        response = client.get(url)
        assert response.status_code == 404 and "There is no plan" in response.get_data(as_text=True)
    for url in (f"/shopping/plans/{2**31}", f"/shopping/profiles/{2**64}/settings", f"/plans/{2**31}"):
        assert client.get(url).status_code == 404  # past any INTEGER id: no row, not a database error
    assert client.post("/shopping/plans/999/ticks", data={"ticks_shown": "1"}).status_code == 404
    api = client.get(f"/api/v1/plans/{plan_id}/shopping-list")
    assert api.status_code == 404 and "deleted" in api.get_json()["error"]
    assert client.get("/api/v1/profiles/42/shopping-list?start=2026-11-23&end=2026-11-29").status_code == 404
    result = runner.invoke(args=["shopping-list", str(plan_id)])
    assert result.exit_code == 3 and "There is no plan" in result.output  # NotFound
    assert runner.invoke(args=["shopping-list", str(2**31)]).exit_code == 2


def test_api_formats_and_errors(app, client):
    plan_id = _plan()
    url = f"/api/v1/plans/{plan_id}/shopping-list"
    data = client.get(url).get_json()
    assert {"title", "start", "end", "units", "aisles", "pantry", "removed", "counts"} <= set(data)
    assert client.get(f"{url}?format=csv").mimetype == "text/csv"
    assert client.get(f"{url}?format=pdf&paper=letter").mimetype == "application/pdf"
    assert client.get(f"{url}?format=xml").status_code == 400
    assert client.get(f"{url}?format=pdf&paper=a0").status_code == 400
    assert client.get("/api/v1/profiles/1/shopping-list?start=x&end=y").status_code == 400


def test_cli_writes_every_format(app, runner, tmp_path):
    plan_id = _plan()
    text = runner.invoke(args=["shopping-list", str(plan_id)])
    assert text.exit_code == 0 and "Shopping list: Family" in text.output and "CHECK YOU HAVE" in text.output
    for fmt in ("csv", "md", "json", "pdf"):
        target = tmp_path / f"list.{fmt}"
        result = runner.invoke(args=["shopping-list", str(plan_id), "--format", fmt, "-o", str(target)])
        assert result.exit_code == 0 and target.stat().st_size > 200
    assert PdfReader(str(tmp_path / "list.pdf")).pages[0].extract_text().startswith("Shopping list")
    assert json.loads((tmp_path / "list.json").read_text())["counts"]["to_buy"] > 10
    ranged = runner.invoke(args=["shopping-list", "--profile", "1", "--start", "2026-11-23", "--end", "2026-11-24",
                                 "--format", "json"])
    assert ranged.exit_code == 0 and json.loads(ranged.output)["end"] == "2026-11-24"
    assert runner.invoke(args=["shopping-list"]).exit_code == 2
    assert runner.invoke(args=["shopping-list", "1", "--format", "xls"]).exit_code == 2
    bad_range = runner.invoke(args=["shopping-list", "--profile", "1", "--start", "2026-11-23", "--end", "2026-01-01"])
    assert bad_range.exit_code == 2 and "before the first" in bad_range.output  # Invalid
    unwritable = runner.invoke(args=["shopping-list", str(plan_id), "-o", str(tmp_path / "no" / "x.txt")])
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.output


def test_plan_page_links_to_its_list_and_nav_has_shopping(app, client):
    plan_id = _plan()
    assert f"/shopping/plans/{plan_id}" in client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert 'href="/shopping/"' in client.get("/").get_data(as_text=True)


def test_shopping_forms_need_csrf(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        plan_id = _plan()
        client = app.test_client()
        assert client.post(f"/shopping/plans/{plan_id}/ticks", data={"ticks_shown": "1"}).status_code == 400
        assert client.post(f"/shopping/plans/{plan_id}/extras", data={"text": "2 lemons"}).status_code == 400
        assert client.post("/shopping/profiles/1/settings/units", data={"units": "us"}).status_code == 400
        db.session.remove()
        db.engine.dispose()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=140), order=st.text(max_size=60), move=st.text(max_size=30), food=st.text(max_size=90))
def test_fuzzed_shopping_forms_never_fail_with_500(app, client, text, order, move, food):
    if not db.session.query(ProfileRow).count():
        _plan()
    for url, data in (("/shopping/plans/1/extras", {"text": text}),
                      ("/shopping/profiles/1/settings/aisles", {"order": order, "move": move}),
                      ("/shopping/profiles/1/settings/pantry", {"food": food}),
                      ("/shopping/plans/1/ticks", {"ticks_shown": "1", "item": [text, move]})):
        assert client.post(url, data=data).status_code < 500
    assert client.get("/shopping/profiles/1", query_string={"start": text, "end": move}).status_code < 500


def test_the_list_page_survives_garbage_collection_in_a_fresh_process(app, database):
    """A new server process opening a list page first, with collections running, must not crash."""
    plan_id = _plan()
    script = textwrap.dedent(f"""
        import gc
        from planner import create_app
        from conftest import MEMBER, logged_in
        app = create_app({{"SQLALCHEMY_DATABASE_URI": {database!r}, "SECRET_KEY": "a test key"}})
        with app.app_context():
            client = logged_in(app, MEMBER)
            for _ in range(3):
                assert client.get("/shopping/plans/{plan_id}").status_code == 200
                gc.collect()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stderr[-2000:]


# -- names that are patterns, days out of range ------------------------------------------------

def test_the_pantry_takes_a_food_by_its_exact_name_only(app, client):
    profile = _profile()
    url = f"/shopping/profiles/{profile.id}/settings/pantry"
    before = plan_store.get_profile(db.session, profile.id).shopping
    for text in ("%", "*", "%%", "_", "a%", "'; --"):
        answer = client.post(url, data={"food": text})
        assert answer.status_code == 400 and "No food called" in answer.get_data(as_text=True), text
    beans = client.post(url, data={"food": "beans"})
    assert beans.status_code == 400 and "Did you mean:" in beans.get_data(as_text=True)
    db.session.expire_all()
    assert plan_store.get_profile(db.session, profile.id).shopping == before  # nothing was added
    assert client.post(url, data={"food": "Adzuki beans"}).status_code in (302, 400)
    assert client.post(url, data={"food": "lemons"}).status_code == 302  # a plural names its food exactly
    db.session.expire_all()
    assert "lemon" in plan_store.get_profile(db.session, profile.id).shopping["pantry"]


def test_extras_made_of_patterns_name_no_food(app, client):
    plan_id = _plan()
    for text in ("2 %", "*", "1 can %"):
        assert client.post(f"/shopping/plans/{plan_id}/extras", data={"text": text}).status_code == 302
    extras = {e["text"]: e for a in _json(client, plan_id)["aisles"] for e in a["extras"]}
    assert all(extras[text]["food"] is None for text in ("2 %", "*", "1 can %"))


def test_list_days_outside_the_years_covered_are_refused_beside_the_field(app, client, runner):
    profile = _profile()
    _plan(profile)
    page = client.get("/shopping/", query_string={"profile": profile.id, "start": "0001-01-01", "end": "0001-01-03"})
    assert page.status_code == 400 and "years 2000 to 2200" in page.get_data(as_text=True)
    for start, end in (("0001-01-01", "0001-01-03"), ("9999-12-27", "9999-12-31"), ("1999-12-31", "2000-01-02")):
        assert client.get(f"/shopping/profiles/{profile.id}?start={start}&end={end}").status_code == 400
        answer = client.get(f"/api/v1/profiles/{profile.id}/shopping-list?start={start}&end={end}")
        assert answer.status_code == 400 and "years 2000 to 2200" in answer.get_json()["error"]
        assert "start" in answer.get_json()["fields"]
        result = runner.invoke(args=["shopping-list", "--profile", str(profile.id), "--start", start, "--end", end])
        assert result.exit_code == 2 and "years 2000 to 2200" in result.output


def test_the_upgrade_merges_extras_added_twice_before_making_them_unique(empty_database):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    app = make_app(empty_database)
    with app.app_context():
        upgrade(revision="0008")
        now = {"now": "2026-11-30 12:00:00"}
        db.session.execute(text("INSERT INTO plan (id, week_start, profile_data, solver_status, solver_seconds, "
                                "objective, created_at, updated_at) VALUES (1, '2026-11-23', '{}', 'optimal', 0, 0, "
                                ":now, :now)"), now)
        for id_, words, checked in ((1, "2 lemons", False), (2, "2 lemons", True), (3, "kitchen roll", False),
                                    (4, "2 lemons", False)):
            db.session.execute(text("INSERT INTO shopping_extra (id, plan_id, text, checked, created_at) "
                                    "VALUES (:id, 1, :words, :checked, :now)"),
                               {"id": id_, "words": words, "checked": checked, **now})
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT id, text, checked FROM shopping_extra ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "2 lemons", True), (3, "kitchen roll", False)]
        db.session.rollback()  # end the read, or PostgreSQL's downgrade waits for it to alter the table
        downgrade(revision="0008")
        upgrade()
        db.session.remove()
        db.engine.dispose()
