"""The plan's faces: the `planner plan` command, the plans API and the plan pages."""
from __future__ import annotations

import json
import re

import pytest

from conftest import make_app
from planner.extensions import db
from planner.models import Profile as ProfileRow, Plan, PlanSlot

FAMILY = {"name": "Family", "members": [{"name": "Ana", "age": 36, "sex": "female"}, {"name": "Mia", "age": 4}]}
PLAN_KEYS = {"id", "week_start", "profile", "days", "week", "solver"}


def test_cli_plan_prints_and_saves(runner, tmp_path):
    profile = tmp_path / "family.json"
    profile.write_text(json.dumps(FAMILY))
    result = runner.invoke(args=["plan", "--profile", str(profile), "--week-start", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Monday 2026-11-23" in result.output and "different plants" in result.output
    assert db.session.query(Plan).count() == 1
    result = runner.invoke(args=["plan", "--json"])
    data = json.loads(result.output)
    assert PLAN_KEYS <= set(data) and len(data["days"]) == 7 and data["id"] == 2
    meal = data["days"][0]["meals"][0]
    assert {"slot", "recipe", "servings", "ingredients", "nutrients"} <= set(meal)
    assert set(data["days"][0]["totals"]) == {"energy_kcal", "fibre_g", "fermented_servings", "prebiotic_foods"}
    assert {"name", "target", "actual", "met"} <= set(data["week"]["targets"][0])


@pytest.mark.parametrize("content, message, code", [
    ("{not json", "not valid UTF-8 JSON", 2),  # Invalid
    ('{"allergens": ["nuts"]}', "allergens: Unknown: nuts", 2),
    ('{"diets": ["vegan"], "allergens": ["gluten", "soybeans", "tree-nuts", "peanuts", "sesame", "mustard", "celery"],'
     ' "max_prep_minutes": {"weekday": 5, "weekend": 5}}', "recipe fits", 5),  # Impossible
])
def test_cli_plan_refuses_bad_profiles(runner, tmp_path, content, message, code):
    profile = tmp_path / "p.json"
    profile.write_text(content)
    result = runner.invoke(args=["plan", "--profile", str(profile)])
    assert result.exit_code == code and message in result.output
    assert db.session.query(Plan).count() == 0
    missing = runner.invoke(args=["plan", "--profile", str(tmp_path / "nope.json")])
    assert missing.exit_code == 1 and "cannot read" in missing.output


def test_api_create_and_get(client):
    response = client.post("/api/v1/plans", json={"profile": FAMILY, "week_start": "2026-11-23"})
    assert response.status_code == 201
    data = response.get_json()
    assert PLAN_KEYS <= set(data) and data["week_start"] == "2026-11-23"
    assert response.headers["Location"].endswith(f"/api/v1/plans/{data['id']}")
    again = client.get(f"/api/v1/plans/{data['id']}").get_json()
    assert again["days"] == data["days"]
    ingredient = data["days"][0]["meals"][0]["ingredients"][0]
    assert set(ingredient) >= {"food", "grams"}
    assert client.post("/api/v1/plans", json=FAMILY).status_code == 201  # the profile itself is accepted too


def test_api_errors(client):
    assert client.post("/api/v1/plans", data="x", content_type="text/plain").status_code == 400
    bad = client.post("/api/v1/plans", json={"profile": {"members": []}, "week_start": "someday"})
    assert bad.status_code == 400 and {"members", "week_start"} & set(bad.get_json()["fields"])
    impossible = client.post("/api/v1/plans", json={"profile": {"diets": ["vegan"], "allergens": [
        "gluten", "soybeans", "tree-nuts", "peanuts", "sesame", "mustard", "celery"],
        "max_prep_minutes": {"weekday": 5, "weekend": 5}}})
    assert impossible.status_code == 422 and "recipe fits" in impossible.get_json()["error"]
    assert client.get("/api/v1/plans/999").status_code == 404
    assert client.get(f"/api/v1/plans/{2**31}").status_code == 404  # past any INTEGER id
    assert db.session.query(Plan).count() == 0


def _profile_form(**changes) -> dict:
    form = {"name": "The Clintons", "members-0-name": "Cat", "members-0-age": "40", "members-0-sex": "female",
            "members-1-name": "Sam", "members-1-age": "3", "meals": ["breakfast", "lunch", "dinner", "snack"],
            "weekday_minutes": "30", "weekend_minutes": "60", "excluded_foods": "kimchi, Brazil nuts",
            "allergens": ["sesame"], "fermented_per_day": "1", "plants_per_week": "30"}
    return {**form, **changes}


def test_profile_form_saves_and_reports_errors(app, client):
    page = client.get("/plans/profiles/new").get_data(as_text=True)
    for field_id in ("name", "members-0-name", "members-0-age", "weekday_minutes", "excluded_foods"):
        assert f'for="{field_id}"' in page
    bad = client.post("/plans/profiles/new", data=_profile_form(**{"members-0-age": "-4", "excluded_foods": "moon rocks",
                                                                      "plants_per_week": "900"}))
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Age in years" in text and "Unknown: moon rocks" in text and "from 0 to 80" in text
    nul = client.post("/plans/profiles/new", data=_profile_form(name="The\x00Clintons"))
    assert nul.status_code == 400 and "control characters" in nul.get_data(as_text=True)
    assert db.session.query(ProfileRow).count() == 0
    good = client.post("/plans/profiles/new", data=_profile_form())
    assert good.status_code == 302
    saved = db.session.query(ProfileRow).one()
    assert saved.data["excluded_foods"] == ["brazil-nuts", "kimchi"] and saved.data["members"][1]["age"] == 3
    edit = client.get(f"/plans/profiles/{saved.id}").get_data(as_text=True)
    assert "kimchi, brazil nuts" in edit and 'value="Cat"' in edit  # the words as typed


def test_plan_pages_lock_redo_swap_ics_delete(app, client):
    client.post("/plans/profiles/new", data=_profile_form())
    profile = db.session.query(ProfileRow).one()
    created = client.post("/plans/new", data={"profile": profile.id, "week_start": "2026-11-23"})
    assert created.status_code == 302
    plan_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    for text in ("Fibre each day", "Plants this week", "Targets", "Daily habits", "not medical advice", "Cat"):
        assert text in page
    def slot(day, meal):
        db.session.expire_all()
        return db.session.query(PlanSlot).filter_by(plan_id=plan_id, day=day, meal=meal).one()
    assert client.post(f"/plans/{plan_id}/lock/1/dinner").status_code == 302 and slot(1, "dinner").locked
    kept = slot(1, "dinner").recipe_id
    before = slot(2, "lunch").recipe_id
    client.post(f"/plans/{plan_id}/redo/2/lunch")
    assert slot(2, "lunch").recipe_id != before
    client.post(f"/plans/{plan_id}/redo/1")
    assert slot(1, "dinner").recipe_id == kept
    others = {(s.day, s.meal): s.recipe_id for s in db.session.query(PlanSlot).filter_by(plan_id=plan_id)}
    assert client.post(f"/plans/{plan_id}/redo").status_code == 302
    after = {(s.day, s.meal): s.recipe_id for s in db.session.query(PlanSlot).filter_by(plan_id=plan_id)}
    assert after[(1, "dinner")] == kept  # the locked meal stays; every other meal gets a new dish
    assert all(after[k] != v for k, v in others.items() if k != (1, "dinner"))
    swap_page = client.get(f"/plans/{plan_id}/swap/3/snack").get_data(as_text=True)
    choice = re.search(r'name="recipe" value="([^"]+)"', swap_page).group(1)
    assert client.post(f"/plans/{plan_id}/swap/3/snack", data={"recipe": choice}).status_code == 302
    assert slot(3, "snack").recipe.slug == choice
    assert client.post(f"/plans/{plan_id}/swap/3/snack", data={"recipe": "no-such-dish"}).status_code == 400
    assert client.get(f"/plans/{plan_id}/swap/9/snack").status_code == 404
    assert client.get(f"/plans/{plan_id}/swap/1/elevenses").status_code == 404
    ics = client.get(f"/plans/{plan_id}/plan.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.count("BEGIN:VEVENT") == 28
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.post(f"/plans/{plan_id}/delete").status_code == 302
    assert client.get(f"/plans/{plan_id}").status_code == 404


def test_plan_forms_need_csrf(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        assert client.post("/plans/profiles/new", data=_profile_form()).status_code == 400
        assert client.post("/plans/1/lock/0/dinner").status_code == 400
        assert db.session.query(ProfileRow).count() == 0
        db.session.remove()
        db.engine.dispose()


def test_a_stale_profile_form_is_refused_with_the_latest_profile(app, client):
    client.post("/plans/profiles/new", data=_profile_form(allergens=[]))
    row = db.session.query(ProfileRow).one()
    opened = client.get(f"/plans/profiles/{row.id}").get_data(as_text=True)
    assert re.search(r'name="version"[^>]*value="1"|value="1"[^>]*name="version"', opened)
    url = f"/plans/profiles/{row.id}"
    # another browser adds a sesame allergy; this one still shows the form without it
    assert client.post(url, data=_profile_form(allergens=["sesame"], version="1")).status_code == 302
    stale = client.post(url, data=_profile_form(allergens=[], name="Renamed", version="1"))
    page = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "This profile was changed elsewhere since you opened it: here is the latest; make your change again" in page
    assert re.search(r'<input checked[^>]*value="sesame"', page) and 'value="Renamed"' not in page  # the latest
    db.session.expire_all()
    saved = db.session.get(ProfileRow, row.id)
    assert saved.data["allergens"] == ["sesame"] and saved.name == "The Clintons" and saved.version == 2
    assert client.post(url, data=_profile_form(allergens=[])).status_code == 409  # no version: not known to be fresh
    assert client.post(url, data=_profile_form(allergens=["sesame"], name="Renamed", version="2")).status_code == 302
    db.session.expire_all()
    assert db.session.get(ProfileRow, row.id).name == "Renamed" and db.session.get(ProfileRow, row.id).version == 3


def test_locks_are_set_not_flipped(app, client):
    client.post("/plans/profiles/new", data=_profile_form())
    profile = db.session.query(ProfileRow).one()
    plan_id = int(client.post("/plans/new", data={"profile": profile.id, "week_start": "2026-11-23"})
                  .headers["Location"].rstrip("/").split("/")[-1])

    def locked() -> bool:
        db.session.expire_all()
        return db.session.query(PlanSlot).filter_by(plan_id=plan_id, day=0, meal="dinner").one().locked
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert 'name="locked" value="1"' in page
    for value, expected in (("1", True), ("1", True), ("0", False), ("0", False)):
        assert client.post(f"/plans/{plan_id}/lock/0/dinner", data={"locked": value}).status_code == 302
        assert locked() is expected
    assert client.post(f"/plans/{plan_id}/lock/0/dinner").status_code == 302 and locked()  # an old page flips
    assert client.post(f"/plans/{plan_id}/lock/0/dinner", data={"locked": "yes"}).status_code == 400
    assert client.post(f"/plans/{plan_id}/lock/0/elevenses", data={"locked": "1"}).status_code == 404


@pytest.mark.parametrize("week_start", ["9999-12-27", "0001-01-01", "1999-12-27", "2201-01-05"])
def test_weeks_outside_the_years_covered_are_refused(app, client, runner, tmp_path, week_start):
    client.post("/plans/profiles/new", data=_profile_form())
    profile = db.session.query(ProfileRow).one()
    page = client.post("/plans/new", data={"profile": profile.id, "week_start": week_start})
    assert page.status_code == 400 and "Choose a day in the years 2000 to 2200." in page.get_data(as_text=True)
    api = client.post("/api/v1/plans", json={"profile": FAMILY, "week_start": week_start})
    assert api.status_code == 400 and "years 2000 to 2200" in api.get_json()["fields"]["week_start"]
    result = runner.invoke(args=["plan", "--week-start", week_start])
    assert result.exit_code == 2 and "error: Choose a day in the years 2000 to 2200." in result.output
    assert db.session.query(Plan).count() == 0
