"""Who may reach what: a matrix over every route of the app's URL map.

Every endpoint must be classified below, so a new route without a rule fails here. For every
route that touches a household's data, an anonymous visitor and a member of another household
(with the login cookie, or with an API token) get a redirect to log in, 401, 403 or 404: never
the data, and nothing they send changes it. The household's own member then makes the same
requests and reaches the data, which shows the refusals came from ownership, not bad URLs.
"""
from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from conftest import MEMBER, OTHER, logged_in, user
from planner.accounts import backup, service as accounts
from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import store as food_store
from planner.diary import service as diary
from planner.models import ApiToken, DiaryEntry, Invite, User
from planner.recipes import service as recipes
from planner.recipes.own import RecipeInput, set_photo
from planner.recipes.photos import prepared_photo
from planner.plans import service as plans, store as plan_store
from planner.shopping import service as shopping

from factories import food

# Routes that show no household's data: open to everyone.
PUBLIC = {"main.home", "main.service_worker", "main.manifest", "static", "foods.index", "recipes.index", "checker.index",
          "api.check", "api.check_label", "api.check_product", "api.foods", "api.openapi", "accounts.login", "accounts.signup", "accounts.logout",
          "accounts.join", "accounts.reset_request", "accounts.reset_password", "accounts.verify", "api.words",
          "api.list_recipes"}
# Routes for a signed-in person about their own account or household, with no id in the URL.
OWN = {"accounts.account", "accounts.create_token", "accounts.invite", "accounts.password", "accounts.end_session",
       "accounts.download_data", "accounts.delete_account", "accounts.leave_household",
       "accounts.end_all_sessions", "accounts.resend_verification", "foods.create",
       "plans.index", "plans.new_profile", "plans.create", "shopping.index", "api.create_plan",
       "api.rate_recipe", "recipes.new", "recipes.import_recipe", "api.create_recipe", "api.import_recipe",
       "foods.promote", "diary.day", "diary.add", "diary.export", "diary.patterns", "diary.report_csv",
       "diary.report_pdf", "api.import_diary",
       "api.read_diary", "api.diary_patterns", "diary.tests", "diary.start", "api.list_tests", "api.start_test",
       "diary.habits", "accounts.start"}
# Routes whose URL names a household's profile, plan, list item, private food or token.
HOUSEHOLD = {
    "foods.detail", "foods.edit", "api.food", "api.get_plan", "api.plan_shopping_list",
    "api.profile_shopping_list", "accounts.revoke_token", "accounts.remove_member", "accounts.revoke_invite",
    "plans.show", "plans.calendar", "plans.delete", "plans.edit_profile", "plans.lock", "plans.redo_week", "plans.redo_day",
    "plans.redo_slot", "plans.redo_changed", "plans.swap", "plans.confirm_delete", "plans.confirm_redo_week",
    "plans.rate", "plans.restore", "plans.undo",
    "shopping.show", "shopping.ticks", "shopping.item", "shopping.pantry_item", "shopping.add_extra",
    "shopping.delete_extra", "shopping.export", "shopping.settings", "shopping.units", "shopping.aisles",
    "shopping.pantry",
    # The victim's recipe is one of its own: curated ones are public.
    "recipes.detail", "recipes.edit", "recipes.copy", "recipes.delete", "recipes.photo", "recipes.upload_photo",
    "api.get_recipe", "api.update_recipe", "api.delete_recipe", "diary.remove",
    "diary.food_test", "diary.result", "diary.pause", "diary.resume", "diary.stop", "api.get_test",
    "api.test_result", "api.pause_test", "api.resume_test", "api.stop_test",
}
MARKERS = ("Zanzibar family", "Quince paste of Granny", "secret saffron")
REFUSED = {401, 403, 404}


@dataclass
class Victim:
    """The MEMBER household's data the others try to reach."""
    plan: int
    profile: int
    food: str
    extra: int
    token: int
    on_list: str
    recipe: str
    member: int  # another member of the household
    invite: int  # an open invitation to it
    entry: int  # a diary entry
    test: int  # a food test
    values: dict = field(default_factory=dict)


@pytest.fixture
def victim(app: Flask) -> Victim:
    return _make_victim()


def _make_victim() -> Victim:
    owner = user(MEMBER).household_id
    food_store.upsert_records(db.session, [SourcedRecord("test", food(
        slug="quince-paste", name="Quince paste of Granny", synonyms=[], plant_key="quince"))], vocabulary(),
        household_id=owner)
    tester = f"Zoe {secrets.token_hex(3)}"  # a member of her own per victim: one food test at a time each
    profile = plans.parse_profile(db.session, {"name": "Zanzibar family", "members": [
        {"name": "Zed", "age": 40}, {"name": tester, "age": 38}]})
    profile_row = plan_store.save_profile(db.session, profile, None, owner)
    row, _ = plans.create_plan(db.session, profile, date(2026, 11, 23), profile_row.id, owner)
    scope = shopping.plan_scope(db.session, row.id)
    extra = shopping.add_extra(db.session, scope, "secret saffron")
    on_list = next(i.food for a in shopping.shopping_list(db.session, scope).aisles for i in a.items)
    token = accounts.create_token(db.session, user(MEMBER), "kitchen")
    recipe = recipes.create(db.session, owner, RecipeInput(
        f"Zanzibar family stew {secrets.token_hex(3)}", ("dinner",), 4, 15, 60, ("400 g chickpeas", "1 onion", "secret saffron, a pinch"),
        ("Simmer everything for 40 minutes.",))).slug
    set_photo(db.session, owner, recipe, prepared_photo(_png()))
    diary.import_text(db.session, owner, "member,time,kind,item,amount,unit,note\n"
                      "Zed,2026-11-24T08:00Z,symptom,pain,4,,secret saffron\n", json_body=False)
    entry = db.session.scalar(select(DiaryEntry.id).where(DiaryEntry.household_id == owner))
    test = diary.start_test(db.session, owner, tester, "garlic", start=date.today() - timedelta(days=30), weeks=2).id
    cousin = User(email=f"cousin-{secrets.token_hex(4)}@example.com", name="Cousin", password_hash="-",
                  household_id=owner)
    db.session.add(cousin)
    db.session.commit()
    accounts.create_invite(db.session, user(MEMBER))
    invite = db.session.scalar(select(Invite.id).where(Invite.household_id == owner).order_by(Invite.id.desc()))
    return Victim(row.id, profile_row.id, "quince-paste", extra.id, token.row.id, on_list, recipe, cousin.id, invite,
                  entry, test)


def _png() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 60)).save(out, "PNG")
    return out.getvalue()


def _value(name: str, endpoint: str, rule_text: str, victim: Victim) -> str:
    if name == "action":
        return re.search(r"any\(([^,)]+)", rule_text).group(1).strip()
    if name == "slug":
        if endpoint.startswith("shopping."):
            return victim.on_list
        return victim.recipe if endpoint.startswith("recipes.") or "recipe" in endpoint else victim.food
    return str({"plan_id": victim.plan, "profile_id": victim.profile, "extra_id": victim.extra,
                "token_id": victim.token, "member_id": victim.member, "invite_id": victim.invite,
                "entry_id": victim.entry, "test_id": victim.test, "day": 0, "meal": "dinner", "fmt": "csv", "code": "no-such-code",
                "filename": "style.css"}[name])


def _requests(app: Flask, victim: Victim) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every rule and method, URL values pointing at the victim's data."""
    found = []
    for rule in app.url_map.iter_rules():
        # Every argument, converters included (<int:plan_id>, <any(remove, restore):action>).
        url = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m: _value(m.group(1), rule.endpoint, m.group(0), victim),
                     rule.rule)
        if "profiles/" in url and "shopping" in url and "settings" not in url:  # a list over dates
            url += "?start=2026-11-23&end=2026-11-29"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, url, rule.rule))
    # Deleting comes last; the order depends on the rules only, so it is the same for any victim.
    ordered = sorted(found, key=lambda r: ("delete" in r[0] or "revoke" in r[0], r[0], r[3], r[1]))
    return [(endpoint, method, url) for endpoint, method, url, _ in ordered]


def _form(victim: Victim) -> dict:
    """What someone would send to change the data, were they allowed."""
    return {"text": "2 lemons", "key": f"food:{victim.on_list}", "checked": "1", "ticks_shown": "1",
            "item": f"food:{victim.on_list}", "move": "produce:down", "food": "oats", "units": "us",
            "recipe": victim.recipe, "name": "Hacked", "week_start": "2026-11-30", "profile": str(victim.profile)}


def _send(client: FlaskClient, method: str, url: str, victim: Victim, headers: dict | None = None):
    if method == "GET":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        return client.open(url, method=method, json={"profile": {"name": "Hacked"}}, headers=headers)
    return client.open(url, method=method, data=_form(victim), headers=headers)


def _snapshot(victim: Victim) -> str:
    db.session.expire_all()
    document = backup.export_household(db.session, user(MEMBER).household)
    document.pop("exported_at")
    tokens = sorted(db.session.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == user(MEMBER).id)))
    return json.dumps([document, tokens, user(MEMBER).password_hash], sort_keys=True)


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unclassified = endpoints - PUBLIC - OWN - HOUSEHOLD
    assert not unclassified, f"give these routes an access rule in tests/test_access.py: {sorted(unclassified)}"
    assert not (PUBLIC & OWN or PUBLIC & HOUSEHOLD or OWN & HOUSEHOLD)
    assert not (PUBLIC | OWN | HOUSEHOLD) - endpoints, "rules for routes that no longer exist"


def _refused_anonymous(response, url: str) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_others_and_visitors_never_reach_a_households_data(app, victim):
    other_token = accounts.create_token(db.session, user(OTHER), "script").secret
    before = _snapshot(victim)
    problems = []
    for endpoint, method, url in _requests(app, victim):
        # Fresh clients each time: logging out or changing a password must not end a later attempt.
        attempts = [("anonymous", app.test_client(), None), ("other household", logged_in(app, OTHER), None),
                    ("other household's token", app.test_client(), {"Authorization": f"Bearer {other_token}"})]
        for who, client, headers in attempts:
            response = _send(client, method, url, victim, headers)
            text = response.get_data(as_text=True)
            leaked = [m for m in MARKERS if m in text]
            if response.status_code >= 500 or leaked:
                problems.append(f"{who} {method} {url}: {response.status_code} {leaked}")
            elif endpoint in HOUSEHOLD and who == "anonymous" and not _refused_anonymous(response, url):
                problems.append(f"{who} {method} {url}: {response.status_code}, not sent to log in")
            elif endpoint in HOUSEHOLD and who != "anonymous" and response.status_code not in REFUSED:
                if not (who.endswith("token") and not url.startswith("/api/") and response.status_code == 302):
                    problems.append(f"{who} {method} {url}: {response.status_code}, not refused")
            elif endpoint in OWN and who == "anonymous" and not _refused_anonymous(response, url):
                problems.append(f"{who} {method} {url}: {response.status_code}, not sent to log in")
    assert not problems, "\n".join(problems)
    assert _snapshot(victim) == before, "another household or a visitor changed the household's data"


def test_the_households_own_member_reaches_every_such_route(app):
    """Each request against freshly made data, as a change (a redo, a deletion) may take what the next needs."""
    owner = logged_in(app, MEMBER)
    problems = []
    for index, (endpoint, _, _) in enumerate(_requests(app, _make_victim())):
        if endpoint not in HOUSEHOLD:
            continue
        victim = _make_victim()
        _, method, url = _requests(app, victim)[index]
        response = _send(owner, method, url, victim)
        if response.status_code in REFUSED or response.status_code >= 500 or (
                response.status_code == 302 and "/account/login" in response.headers["Location"]):
            problems.append(f"{method} {url}: {response.status_code} {response.get_data(as_text=True)[:200]}")
    assert not problems, "\n".join(problems)


def test_private_foods_stay_out_of_other_households_searches_and_checks(app, victim):
    for client in (app.test_client(), logged_in(app, OTHER)):
        for url in ("/foods/?q=quince", "/api/v1/foods?q=quince", "/check/?q=quince+paste+of+granny",
                    "/api/v1/check?q=quince+paste+of+granny", "/"):
            assert "Quince paste of Granny" not in client.get(url).get_data(as_text=True), url
    owner = logged_in(app, MEMBER)
    assert "Quince paste of Granny" in owner.get("/foods/?q=quince").get_data(as_text=True)
    assert owner.get("/api/v1/check?q=quince paste of granny").get_json()["food"]["slug"] == "quince-paste"
