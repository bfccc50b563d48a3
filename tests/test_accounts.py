"""Accounts: signing up and in, passwords, invitations, tokens, admins, private foods, backups, safety."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from conftest import ADMIN, MEMBER, OTHER, PASSWORD, logged_in, make_app, user
from factories import food
from test_web import form_data
from planner import create_app
from planner import catalog
from planner.accounts import backup, service
from planner.config import DEFAULT_SECRET_KEY
from planner.data import SourcedRecord, vocabulary
from planner.extensions import db
from planner.foods import store as food_store
from planner.models import ApiToken, Food, Profile, Invite, Plan, User
from planner.plans import service as plans, store as plan_store
from planner.security import InsecureConfiguration
from planner.shopping import service as shopping

NEW = {"name": "Nia", "email": "nia@example.com", "password": "plenty of letters", "confirm": "plenty of letters"}


def _login(client, email: str = MEMBER, password: str = PASSWORD):
    return client.post("/account/login", data={"email": email, "password": password})


def test_sign_up_logs_in_with_a_household_of_ones_own(anon):
    response = anon.post("/account/signup", data=NEW)
    assert response.status_code == 302
    page = anon.get("/account/").get_data(as_text=True)
    assert "Nia&#39;s household" in page and "nia@example.com" in page
    stored = db.session.scalar(select(User).where(User.email == "nia@example.com"))
    assert stored.password_hash.startswith("scrypt:") and "plenty" not in stored.password_hash


@pytest.mark.parametrize("changes, message", [
    ({"password": "short", "confirm": "short"}, "at least 10 characters"),
    ({"confirm": "something else"}, "The two passwords differ"),
    ({"email": "not-an-email"}, "does not look like an email"),
    ({"name": ""}, "Give a name"),
])
def test_sign_up_problems_show_beside_the_fields(anon, changes, message):
    response = anon.post("/account/signup", data={**NEW, **changes})
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.email == "nia@example.com")) == 0


def test_messages_never_tell_whether_an_email_has_an_account(anon):
    wrong_password = _login(anon, MEMBER, "wrong wrong wrong").get_data(as_text=True)
    unknown_email = _login(anon, "nobody@example.com", "wrong wrong wrong").get_data(as_text=True)
    message = "That email and password do not match an account."
    assert message in wrong_password and message in unknown_email


def test_log_in_and_out_and_only_local_next_pages(anon):
    assert anon.get("/plans/").headers["Location"].startswith("/account/login?next=/plans/")
    response = anon.post("/account/login", data={"email": MEMBER, "password": PASSWORD, "next": "/plans/"})
    assert response.headers["Location"] == "/plans/"
    assert anon.get("/plans/").status_code == 200
    assert anon.post("/account/logout").status_code == 302
    assert anon.get("/plans/").status_code == 302
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = anon.post("/account/login", data={"email": MEMBER, "password": PASSWORD, "next": target})
        assert response.headers["Location"] == "/", target


def test_login_attempts_are_rate_limited_per_email(anon):
    for _ in range(5):
        assert _login(anon, MEMBER, "not the password").status_code == 400
    blocked = _login(anon, MEMBER)
    assert blocked.status_code == 429 and "Too many tries" in blocked.get_data(as_text=True)
    assert _login(anon, OTHER).status_code == 302  # another email from the same address still gets in


def test_login_attempts_are_rate_limited_per_address(anon):
    for n in range(20):
        _login(anon, f"guess{n}@example.com", "not the password")
    assert _login(anon, OTHER).status_code == 429


def test_changing_the_password_ends_other_sessions(app, client):
    elsewhere = logged_in(app, MEMBER)
    wrong = client.post("/account/password", data={"current": "nope", "password": "a new long password",
                                                   "confirm": "a new long password"})
    assert wrong.status_code == 400 and "current password is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/password", data={"current": PASSWORD, "password": "a new long password",
                                                  "confirm": "a new long password"})
    assert done.status_code == 302
    assert client.get("/plans/").status_code == 200  # this device stays logged in
    assert elsewhere.get("/plans/").status_code == 302  # the other is logged out
    fresh = app.test_client()
    assert _login(fresh, MEMBER, PASSWORD).status_code == 400
    assert _login(fresh, MEMBER, "a new long password").status_code == 302


def _invite_code(client) -> str:
    page = client.post("/account/invites").get_data(as_text=True)
    return re.search(r'id="invite-code" type="text" readonly value="([^"]+)"', page).group(1)


def test_an_invitation_link_signs_someone_up_into_the_household_once(app, client):
    code = _invite_code(client)
    assert db.session.scalar(select(Invite.code_hash)) != code  # only the hash is stored
    visitor = app.test_client()
    assert visitor.get(f"/account/join/{code}").headers["Location"].endswith(f"/account/signup?invite={code}")
    assert "Mira&#39;s household" in visitor.get(f"/account/signup?invite={code}").get_data(as_text=True)
    assert visitor.post("/account/signup", data={**NEW, "invite": code}).status_code == 302
    assert user("nia@example.com").household_id == user(MEMBER).household_id
    again = app.test_client().post("/account/signup", data={**NEW, "email": "zoe@example.com", "invite": code})
    assert again.status_code == 400 and "not valid" in again.get_data(as_text=True)


def test_members_share_the_households_profiles_and_plans(app, client):
    code = _invite_code(client)
    plan_store.save_profile(db.session, plans.parse_profile(db.session, {"name": "Shared family"}), None,
                              user(MEMBER).household_id)
    joiner = app.test_client()
    joiner.post("/account/signup", data={**NEW, "invite": code})
    assert "Shared family" in joiner.get("/plans/").get_data(as_text=True)


def test_an_expired_invitation_is_refused(app, client):
    code = _invite_code(client)
    db.session.execute(Invite.__table__.update().values(expires_at=datetime.now(timezone.utc) - timedelta(days=1)))
    db.session.commit()
    assert logged_in(app, OTHER).post("/account/join", data={"code": code}).status_code == 400


def test_joining_moves_a_member_and_keeps_a_last_members_data_safe(app, client):
    other = logged_in(app, OTHER)
    plan_store.save_profile(db.session, plans.parse_profile(db.session, {"name": "Otto's"}), None,
                              user(OTHER).household_id)
    refused = other.post("/account/join", data={"code": _invite_code(client)})
    assert refused.status_code == 400 and "only member" in refused.get_data(as_text=True)
    db.session.query(Profile).delete()
    db.session.commit()
    old = user(OTHER).household_id
    assert other.post("/account/join", data={"code": _invite_code(client)}).status_code == 302
    assert user(OTHER).household_id == user(MEMBER).household_id
    assert db.session.get(type(user(MEMBER).household), old) is None  # the empty household went


def test_api_tokens_are_made_shown_once_used_and_revoked(app, client):
    page = client.post("/account/tokens", data={"name": "kitchen tablet"}).get_data(as_text=True)
    secret = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', page).group(1)
    assert secret.startswith("gp_") and db.session.scalar(select(ApiToken.token_hash)) != secret
    script = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    created = script.post("/api/v1/plans", json={"name": "Scripted", "members": [{"name": "S", "age": 30}]},
                          headers=headers)
    assert created.status_code == 201
    assert script.get(created.headers["Location"], headers=headers).status_code == 200
    assert "kitchen tablet" in client.get("/account/").get_data(as_text=True)
    token_id = db.session.scalar(select(ApiToken.id))
    assert logged_in(app, OTHER).post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert script.get(created.headers["Location"], headers=headers).status_code == 401
    assert script.get("/api/v1/plans/1", headers={"Authorization": "Bearer gp_made_up"}).status_code == 401


def test_private_foods_and_the_admins_shared_foods(app, client, admin_client):
    data = form_data(name="Nan's lentils", synonyms="", plant_key="")
    assert client.post("/foods/new", data=data).status_code == 302
    made = db.session.scalar(select(Food).where(Food.name == "Nan's lentils"))
    assert made.household_id == user(MEMBER).household_id
    other = logged_in(app, OTHER)
    assert other.get(f"/foods/{made.slug}").status_code == 404
    # The other household may keep a food of the same name; it gets a slug of its own.
    assert other.post("/foods/new", data=data).status_code == 302
    theirs = db.session.scalar(select(Food).where(Food.name == "Nan's lentils", Food.household_id != made.household_id))
    assert theirs.slug != made.slug
    shared = db.session.scalar(select(Food).where(Food.household_id.is_(None)).order_by(Food.slug))
    assert client.get(f"/foods/{shared.slug}/edit").status_code == 403
    assert "Edit</a>" not in client.get(f"/foods/{shared.slug}").get_data(as_text=True)
    assert admin_client.get(f"/foods/{shared.slug}/edit").status_code == 200
    assert admin_client.post("/foods/new", data={**data, "name": "Shared lentils"}).status_code == 302
    assert db.session.scalar(select(Food.household_id).where(Food.name == "Shared lentils")) is None


def test_a_household_shares_the_common_catalog_until_it_keeps_a_food_of_its_own(app, client):
    home, other = user(MEMBER).household_id, user(OTHER).household_id
    shared = catalog.load(db.session)
    assert catalog.load(db.session, home) is shared
    assert client.post("/foods/new", data=form_data(name="Nan's lentils", plant_key="")).status_code == 302
    own = catalog.load(db.session, home)
    assert own is not shared and "Nan's lentils" in [r["name"] for r in own.index.records()]
    assert own.dishes is catalog.load(db.session).dishes  # recipes are shared: built once
    assert catalog.load(db.session, other) is catalog.load(db.session)
    assert "Nan's lentils" not in [r["name"] for r in catalog.load(db.session, other).foods.values()]


def test_create_admin_command(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Boss@Example.com", "--name", "Boss"],
                           input="a strong password here\na strong password here\n")
    assert result.exit_code == 0, result.output
    assert user("boss@example.com").is_admin
    short = runner.invoke(args=["users", "create-admin", "--email", "x@example.com", "--password", "short"])
    assert short.exit_code == 2 and "at least 10 characters" in short.output
    assert "boss@example.com" in runner.invoke(args=["users", "list"]).output


def test_the_first_account_takes_the_data_made_before_accounts(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        from flask_migrate import upgrade
        upgrade()
        row = Profile(name="Before accounts", data={"name": "Before accounts"})
        db.session.add(row)
        db.session.commit()
        first = service.sign_up(db.session, "first@example.com", "First", PASSWORD)
        second = service.sign_up(db.session, "second@example.com", "Second", PASSWORD)
        assert db.session.get(Profile, row.id).household_id == first.household_id != second.household_id
        db.session.remove()
        db.engine.dispose()


# -- safety ----------------------------------------------------------------------------

def test_refuses_to_start_with_the_default_secret_key_outside_debug(database):
    settings_ = {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": DEFAULT_SECRET_KEY}
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY"):
        create_app(settings_)
    assert create_app({**settings_, "DEBUG": True}).debug


def test_pages_carry_security_headers_and_cookies_are_locked_down(anon):
    response = anon.get("/account/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = _login(anon).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie
    assert anon.get("/plans/").headers["Cache-Control"] == "private, no-store"


def test_pages_have_no_inline_script_or_style(client):
    """The CSP forbids inline code; a page with any would break in the browser."""
    templates = Path(__file__).parent.parent / "templates"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=", text) and " style=" not in text and "<style" not in text, path


def test_csrf_protects_account_forms_and_cookie_api_changes(database):
    app = make_app(database, WTF_CSRF_ENABLED=True)
    with app.app_context():
        browser = logged_in(app, MEMBER)
        assert browser.post("/account/tokens", data={"name": "x"}).status_code == 400
        assert app.test_client().post("/account/login", data={"email": MEMBER, "password": PASSWORD}).status_code == 400
        cookie_api = browser.post("/api/v1/plans", json={"name": "Via cookie"})
        assert cookie_api.status_code == 400 and db.session.scalar(select(func.count(Plan.id))) == 0
        secret = service.create_token(db.session, user(MEMBER), "script").secret
        token_api = app.test_client().post("/api/v1/plans", json={"name": "Via token"},
                                           headers={"Authorization": f"Bearer {secret}"})
        assert token_api.status_code == 201
        db.session.remove()
        db.engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(["name", "email", "password", "confirm", "invite", "next", "code",
                                               "current", "remember"]), st.text(max_size=300), max_size=6))
def test_fuzzed_account_forms_never_fail_with_500(app, fields):
    client = logged_in(app, OTHER)
    for url in ("/account/signup", "/account/login", "/account/password", "/account/tokens", "/account/join",
                "/account/join/" + (fields.get("code") or "x").replace("/", "")[:50]):
        assert client.post(url, data=fields).status_code < 500, url
        assert app.test_client().post(url, data=fields).status_code < 500, url


# -- backups ---------------------------------------------------------------------------

def _fill(owner: int) -> None:
    """A household with a private food, two profiles, plans, ticks, removals, extras and settings."""
    food_store.upsert_records(db.session, [SourcedRecord("test", food(slug="house-loaf", name="House loaf",
                              synonyms=["our bread"], plant_key="house-loaf"))], vocabulary(), household_id=owner)
    profile = plans.parse_profile(db.session, {
        "name": "Backup family", "members": [{"name": "Ana", "age": 36}, {"name": "Mia", "age": 3}],
        "allergens": ["peanuts"], "excluded_foods": ["house-loaf"]}, owner)
    row = plan_store.save_profile(db.session, profile, None, owner)
    plan_store.save_profile(db.session, plans.parse_profile(db.session, {"name": "Just me"}), None, owner)
    for week in range(2):
        plan, _ = plans.create_plan(db.session, profile, date(2026, 11, 23) + timedelta(weeks=week), row.id, owner)
        scope = shopping.plan_scope(db.session, plan.id)
        items = [i.food for a in shopping.shopping_list(db.session, scope).aisles for i in a.items]
        shopping.set_checked(db.session, scope, f"food:{items[0]}", True)
        shopping.set_removed(db.session, scope, items[1], True)
        shopping.add_extra(db.session, scope, "2 house loaf")
        shopping.add_extra(db.session, scope, "kitchen roll")
    row.shopping = {"units": "us", "aisle_order": ["bakery", "produce"], "pantry": ["house-loaf", "table-salt"]}
    db.session.commit()


def _comparable(document: dict) -> dict:
    """A backup without what differs between servers by design: when, who, and row ids."""
    document = json.loads(json.dumps(document))
    for name in ("exported_at", "household", "members"):
        document.pop(name)
    keys = {p["key"]: n for n, p in enumerate(document["profiles"])}
    for profile in document["profiles"]:
        profile["key"] = keys[profile["key"]]
    for plan in document["plans"]:
        plan.pop("key")
        plan["profile"] = keys.get(plan["profile"])
    return document


def test_export_then_import_round_trips_with_nothing_lost(app, runner, tmp_path, empty_database):
    _fill(user(MEMBER).household_id)
    out = tmp_path / "backup.json"
    result = runner.invoke(args=["export-data", "--member", MEMBER, "-o", str(out)])
    assert result.exit_code == 0, result.output
    exported = json.loads(out.read_text())
    assert len(exported["plans"]) == 2 and exported["foods"][0]["slug"] == "house-loaf"
    assert all(p["marks"] and len(p["extras"]) == 2 for p in exported["plans"])

    fresh = make_app(empty_database)
    with fresh.app_context():
        from flask_migrate import upgrade
        from planner.recipes import store as recipe_store
        from planner.data import curated_food_records, curated_recipe_records
        upgrade()
        food_store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
        recipe_store.seed_recipes(db.session, curated_recipe_records())
        target = service.sign_up(db.session, "restore@example.com", "Restore", PASSWORD)
        cli = fresh.test_cli_runner()
        done = cli.invoke(args=["import-data", str(out), "--member", "restore@example.com"])
        assert done.exit_code == 0, done.output
        again = backup.export_household(db.session, target.household)
        assert _comparable(again) == _comparable(exported)
        db.session.remove()
        db.engine.dispose()


def test_importing_into_the_same_server_keeps_slugs_apart(app, runner, tmp_path):
    _fill(user(MEMBER).household_id)
    out = tmp_path / "backup.json"
    runner.invoke(args=["export-data", "--member", MEMBER, "-o", str(out)])
    assert runner.invoke(args=["import-data", str(out), "--member", OTHER]).exit_code == 0
    theirs = backup.export_household(db.session, user(OTHER).household)
    assert theirs["foods"][0]["slug"] == "house-loaf-2"
    assert "house-loaf-2" in theirs["profiles"][0]["data"]["excluded_foods"]
    assert "house-loaf-2" in theirs["profiles"][0]["shopping"]["pantry"]


@pytest.mark.parametrize("content, message", [
    ("not json", "not valid UTF-8 JSON"),
    ('{"format": "something else"}', "not a Gut Planner household backup"),
    ('{"format": "gut-planner-household", "version": 9}', "version 9"),
    ('{"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [{"name": "x"}], "plans": []}',
     "profiles[1].data: -: expected an object"),
    ('{"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [], "plans": [{"key": 1, '
     '"profile": null, "week_start": "2026-11-23", "profile_snapshot": {"name": "x"}, "solver": {"status": "optimal",'
     ' "seconds": 0.1, "objective": 1}, "slots": [{"day": 0, "meal": "dinner", "position": 0, "recipe": "no-such",'
     ' "servings": 1}], "marks": [], "extras": []}]}', "no recipe 'no-such'"),
    ('{"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [], "plans": [{"key": 1, '
     '"profile": null, "week_start": "2026-11-23", "profile_snapshot": {"name": "x"}, "solver": {"status": "optimal",'
     ' "seconds": 0.1, "objective": 1}, "slots": [], "marks": [], "extras": [{"text": "a\\u0000b"}]}]}',
     "holds a control character"),
])
def test_a_bad_backup_is_refused_whole(runner, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    before = db.session.scalar(select(func.count(Profile.id)))
    result = runner.invoke(args=["import-data", str(path), "--member", MEMBER])
    assert result.exit_code == 2 and message in result.output, result.output
    assert db.session.scalar(select(func.count(Profile.id))) == before


@pytest.mark.parametrize("url, data", [
    ("/account/signup", {**NEW, "name": "Nia\x00"}),
    ("/account/signup", {**NEW, "email": "nia\x00@example.com"}),
    ("/account/login", {"email": "mira\x00@example.com", "password": PASSWORD}),
    ("/account/tokens", {"name": "tab\x00let"}),
    ("/account/join", {"code": "code\x00"}),
])
def test_unprintable_text_is_refused_with_a_message(client, url, data):
    """PostgreSQL cannot store a NUL byte; such text is a 400 on either database, never a 500."""
    assert client.post(url, data=data).status_code == 400


def test_create_admin_refuses_a_bad_email_or_name(runner):
    for args in (["--email", "not-an-email"], ["--email", "a@example.com", "--name", "x" * 61]):
        result = runner.invoke(args=["users", "create-admin", *args, "--password", PASSWORD])
        assert result.exit_code == 2 and "error:" in result.output


def test_a_new_foods_unprintable_slug_is_refused(client):
    assert client.post("/foods/new", data=form_data(slug="\x00")).status_code == 400


# -- sign-up without enumeration, with limits -----------------------------------------------

@pytest.fixture
def mail_app(database, tmp_path):
    """The app, writing its mail as .eml files to a folder of the test's own."""
    app = make_app(database, MAIL_FOLDER=str(tmp_path / "mail"))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _mails(app) -> list:
    from email import message_from_bytes, policy
    folder = Path(app.config["MAIL_FOLDER"])
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.glob("*.eml"))]


def test_sign_up_answers_the_same_whether_or_not_the_email_is_taken(mail_app):
    fresh, taken = mail_app.test_client(), mail_app.test_client()
    new = fresh.post("/account/signup", data={**NEW, "email": "nia@example.com"})
    old = taken.post("/account/signup", data={**NEW, "email": MEMBER.upper(), "name": "Nia"})
    assert ((new.status_code, new.headers["Location"]) == (old.status_code, old.headers["Location"])
            == (302, "/account/start"))
    said = [c.get("/").get_data(as_text=True) for c in (fresh, taken)]
    assert "We have sent a message to nia@example.com" in said[0]
    assert "We have sent a message to member@example.com" in said[1]
    assert user(MEMBER).name == "Mira" and _login(mail_app.test_client()).status_code == 302  # nothing changed
    mails = {m["To"]: m for m in _mails(mail_app)}
    assert mails[MEMBER]["Subject"] == "Someone tried to sign up with your email"
    assert mails["nia@example.com"]["Subject"] == "Confirm your email for Gut Planner"


def test_sign_ups_are_limited_per_address(mail_app):
    visitor = mail_app.test_client()
    for n in range(5):
        assert visitor.post("/account/signup", data={**NEW, "email": f"n{n}@example.com"}).status_code == 302
    refused = visitor.post("/account/signup", data={**NEW, "email": "n5@example.com"})
    assert refused.status_code == 429 and 3590 <= int(refused.headers["Retry-After"]) <= 3600
    assert "Too many tries" in refused.get_data(as_text=True) and user("n5@example.com") is None
    elsewhere = mail_app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert elsewhere.post("/account/signup", data={**NEW, "email": "n5@example.com"}).status_code == 302


def test_two_sign_ups_racing_with_one_invitation_only_one_gets_in(mail_app):
    import threading

    for round_ in range(3):
        code = _invite_code(logged_in(mail_app, MEMBER))
        barrier = threading.Barrier(2)
        statuses: dict[str, int] = {}

        def sign_up(email: str, address: str) -> None:
            visitor = mail_app.test_client()
            visitor.environ_base["REMOTE_ADDR"] = address
            barrier.wait()
            statuses[email] = visitor.post("/account/signup", data={**NEW, "email": email, "invite": code}).status_code

        threads = [threading.Thread(target=sign_up, args=(f"racer{round_}{n}@example.com", f"192.0.2.{round_}{n}"))
                   for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses.values()) == [302, 400], statuses
        db.session.expire_all()
        joined = [e for e in statuses if user(e) is not None]
        assert len(joined) == 1 and user(joined[0]).household_id == user(MEMBER).household_id
