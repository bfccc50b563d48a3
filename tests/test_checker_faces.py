"""The checker's page, API and command line."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import make_app
from planner.extensions import db

COLA = "Carbonated water, sugar, colour (caramel E150d), phosphoric acid, natural flavourings including caffeine."
JSON_KEYS = {"query", "verdict", "food", "nova_group", "tags", "allergens", "traces", "added_sugars", "markers",
             "reasons", "swaps", "suggestions"}


# -- page -------------------------------------------------------------------------------------

def test_page_shows_the_form_and_disclaimer(client):
    page = client.get("/check/").get_data(as_text=True)
    assert '<label for="text">' in page and "healthcare provider" in page


def test_name_check_from_a_link(client):
    page = client.get("/check/?q=kefir").get_data(as_text=True)
    assert "Recommended" in page and 'class="icon" aria-hidden="true">★' in page
    assert "Source:" in page


def test_label_check_shows_markers_sugars_and_verdict_words(client):
    response = client.post("/check/", data={"text": COLA, "mode": "auto"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Avoid" in page and "Processing markers found" in page and "caramel E150d" in page
    assert "Added sugars" in page


def test_recent_checks_are_listed(client):
    client.get("/check/?q=kefir")
    client.post("/check/", data={"text": "white bread", "mode": "name"})
    page = client.get("/check/").get_data(as_text=True)
    assert "Recent checks" in page and "kefir" in page and "white bread" in page


def test_allergens_on_the_page_make_it_personal(client):
    page = client.post("/check/", data={"text": "kefir", "mode": "name", "allergens": ["milk"]}).get_data(as_text=True)
    assert "Avoid" in page and "for you" in page


def test_unknown_food_offers_suggestions(client):
    page = client.get("/check/?q=chiken korma").get_data(as_text=True)
    assert "Not recognised" in page and "Did you mean" in page


def test_empty_and_oversized_input_are_400_with_message(client):
    response = client.post("/check/", data={"text": "", "mode": "auto"})
    assert response.status_code == 400 and "Type a food" in response.get_data(as_text=True)
    response = client.post("/check/", data={"text": "sugar, " * 4000, "mode": "label"})
    assert response.status_code == 400 and "20,000" in response.get_data(as_text=True)


def test_checker_form_needs_csrf_when_enabled(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        assert app.test_client().post("/check/", data={"text": "kefir"}).status_code == 400
        db.engine.dispose()


# -- API --------------------------------------------------------------------------------------

def test_api_check_by_name(client):
    body = client.get("/api/v1/check?q=white%20bred").get_json()
    assert JSON_KEYS <= set(body)
    assert body["verdict"] == "avoid" and body["food"]["slug"] == "sliced-white-bread" and body["swaps"]


def test_api_check_with_profile_params(client):
    body = client.get("/api/v1/check?q=kefir&allergens=milk").get_json()
    assert body["verdict"] == "avoid" and body["reasons"][0]["rule"] == "your-allergens"
    response = client.get("/api/v1/check?q=kefir&allergens=moonbeans")
    assert response.status_code == 400 and "Unknown allergen" in response.get_json()["error"]


def test_api_check_label(client):
    response = client.post("/api/v1/check/label", json={"ingredients": COLA, "profile": {"allergens": []}})
    body = response.get_json()
    assert response.status_code == 200 and JSON_KEYS <= set(body)
    assert body["nova_group"] == 4 and body["added_sugars"] == ["sugar"]
    assert any(m["marker"] == "E150" and "E150d" in m["text"] for m in body["markers"])


@pytest.mark.parametrize("kwargs, message", [
    ({"data": "{not json", "content_type": "application/json"}, "JSON object"),
    ({"json": ["a list"]}, "JSON object"),
    ({"json": {}}, "'ingredients' is required"),
    ({"json": {"ingredients": 42}}, "'ingredients' is required"),
    ({"json": {"ingredients": "oats", "profile": "nope"}}, "profile must be"),
])
def test_api_label_bad_input_is_400(client, kwargs, message):
    response = client.post("/api/v1/check/label", **kwargs)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_api_missing_query_and_huge_label(client):
    assert client.get("/api/v1/check").status_code == 400
    response = client.post("/api/v1/check/label", json={"ingredients": "oats, " * 5000})
    assert response.status_code == 413 and "20,000" in response.get_json()["error"]
    response = client.post("/api/v1/check/label", data="x" * (3 * 1024 * 1024), content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"]


# -- command line -----------------------------------------------------------------------------

def test_cli_check_food_text_and_json(runner):
    result = runner.invoke(args=["check", "white bread"])
    assert result.exit_code == 0 and result.output.startswith("AVOID: Sliced white bread")
    assert "better swaps:" in result.output and "not medical advice" in result.output
    body = json.loads(runner.invoke(args=["check", "kefir", "--json"]).output)
    assert JSON_KEYS <= set(body) and body["verdict"] == "recommended"


def test_cli_check_label_text_and_file(runner, tmp_path: Path):
    result = runner.invoke(args=["check", "--label", COLA, "--json"])
    assert json.loads(result.output)["nova_group"] == 4
    label = tmp_path / "label.txt"
    label.write_text("Whole milk, live cultures (L. bulgaricus, S. thermophilus)", encoding="utf-8")
    result = runner.invoke(args=["check", "--label-file", str(label)])
    assert result.exit_code == 0 and result.output.startswith("RECOMMENDED")


def test_cli_profile_file(runner, tmp_path: Path):
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps({"allergens": ["peanuts"]}))
    result = runner.invoke(args=["check", "peanut butter", "--profile", str(profile)])
    assert result.output.startswith("AVOID for you")
    profile.write_text("{broken")
    result = runner.invoke(args=["check", "peanut butter", "--profile", str(profile)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


@pytest.mark.parametrize("args, message, code", [
    (["check"], "give one of", 2),  # click's usage error
    (["check", "kefir", "--label", "oats"], "give one of", 2),
    (["check", "--label-file", "/no/such/file.txt"], "cannot read", 1),  # not a refusal
    (["check", "--label", "x" * 30_000], "20,000", 2),  # TooLarge
])
def test_cli_bad_input_exits_non_zero(runner, args, message, code):
    result = runner.invoke(args=args)
    assert result.exit_code == code and message in result.output and "Traceback" not in result.output


def _cookie_text(client) -> str:
    """Everything the browser holds for the site, decoded as far as anyone could decode it."""
    import base64
    import zlib
    found = []
    for cookie in client._cookies.values():
        value = cookie.value
        found.append(value)
        body = value.lstrip(".").split(".")[0]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            found.append(zlib.decompress(raw).decode() if value.startswith(".") else raw.decode("utf-8", "replace"))
        except (ValueError, zlib.error):
            pass
    return " ".join(found)


def test_no_allergy_pregnancy_or_check_is_kept_in_a_cookie(client):
    client.post("/check/", data={"text": "smoked salmon", "mode": "name", "allergens": ["milk", "peanuts"],
                                 "pregnant": "y"})
    held = _cookie_text(client)
    for word in ("peanuts", "milk", "pregnant", "salmon"):
        assert word not in held, word


def test_the_checker_starts_from_the_households_allergies(client):
    from planner.plans import service as plans, store as plan_store
    from conftest import MEMBER, user
    owner = user(MEMBER).household_id
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [{"name": "Kim", "age": 3}],
                                               "allergens": ["peanuts"]})
    plan_store.save_profile(db.session, profile, None, owner)
    page = client.get("/check/").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="peanuts"|<input[^>]*value="peanuts"[^>]*checked', page)


def test_a_signed_in_check_honours_the_households_allergies_by_page_and_token(client):
    from planner.accounts import service as accounts
    from planner.plans import service as plans, store as plan_store
    from conftest import MEMBER, user
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [{"name": "Kim", "age": 3}],
                                               "allergens": ["peanuts"]})
    plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    token = accounts.create_token(db.session, user(MEMBER), "script").secret
    scripted = client.application.test_client().get("/api/v1/check?q=peanut butter",
                                                    headers={"Authorization": f"Bearer {token}"}).get_json()
    assert scripted["verdict"] == "avoid" and scripted["personal"]
    assert "Avoid" in client.get("/check/?q=peanut+butter").get_data(as_text=True)
    anonymous = client.application.test_client().get("/api/v1/check?q=peanut butter").get_json()
    assert not anonymous["personal"]
    # Saying who the check is for overrides the household.
    assert not client.get("/api/v1/check?q=peanut butter&allergens=milk").get_json()["personal"]


@pytest.mark.parametrize("word, never", [("sweets", "sweet-potato-baked"), ("nuts", "nutmeg"), ("toast", "sesame-oil"),
                                         ("water", "water-kefir"), ("smoothie", "peanut-butter")])
def test_a_word_that_only_resembles_a_food_gets_no_verdict_for_it(anon, word, never):
    body = anon.get(f"/api/v1/check?q={word}").get_json()
    judged = [(body["food"] or {}).get("slug")] + [v["food"]["slug"] for v in body.get("variants", [])]
    assert never not in judged


def test_recipes_that_do_not_suit_a_profile_are_flagged_for_it(client, anon):
    from planner.plans import service as plans, store as plan_store
    from conftest import MEMBER, user
    profile = plans.parse_profile(db.session, {"name": "Kim's family", "members": [{"name": "Kim", "age": 3}],
                                               "allergens": ["peanuts"]})
    plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    page = client.get("/recipes/?q=peanut").get_data(as_text=True)
    assert "Not for Kim&#39;s family: contains peanuts" in page
    assert "Not for" not in anon.get("/recipes/?q=peanut").get_data(as_text=True)


def test_reasons_come_as_counts_for_and_counts_against(client):
    body = client.get("/api/v1/check?q=dark rye bread").get_json()
    sides = {r["counts"] for r in body["reasons"]}
    assert sides == {"for", "against"}
    page = client.get("/check/?q=dark+rye+bread").get_data(as_text=True)
    assert page.index("<h3>Counts against</h3>") < page.index("<h3>Counts for</h3>")
    group = client.get("/api/v1/check?q=bread").get_json()
    rye = next(v for v in group["variants"] if v["verdict"] == "recommended")
    assert rye["why"] in {r["text"] for r in body["reasons"] if r["counts"] == "for"}


def test_the_check_says_for_whom_and_switches_between_members(client):
    from planner.plans import service as plans, store as plan_store
    from conftest import MEMBER, user
    profile = plans.parse_profile(db.session, {"name": "Kim's family", "allergens": ["peanuts"], "members": [
        {"name": "Kim", "age": 3}, {"name": "Sara", "age": 31, "sex": "female", "stage": "pregnant"}]})
    row = plan_store.save_profile(db.session, profile, None, user(MEMBER).household_id)
    page = client.get("/check/?q=smoked+salmon").get_data(as_text=True)
    assert "Checking for Everyone in the household: peanuts; pregnancy, a child." in html.unescape(page)
    kim = html.unescape(client.get(f"/check/?q=smoked+salmon&for={row.id}-1").get_data(as_text=True))
    assert "Checking for Kim (3), Kim's family: peanuts; a child." in kim and "in pregnancy" not in kim
    sara = html.unescape(client.get(f"/check/?q=smoked+salmon&for={row.id}-2").get_data(as_text=True))
    assert "Checking for Sara (31), Kim's family: peanuts; pregnancy." in sara and "in pregnancy" in sara
    api = client.get(f"/api/v1/check?q=smoked salmon&for={row.id}-2").get_json()
    assert api["in_pregnancy"]
