"""Two people acting at once never lose each other's change and never get an error page.

Each test starts real threads together (a barrier), each with its own app context, database
session and logged-in test client, against one SQLite file or one PostgreSQL database
(TEST_DATABASE_URL). The assertions are about the outcome, so they hold whichever thread wins:
every request answered without a 500, and every change that was acknowledged is stored."""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from conftest import MEMBER, logged_in, user
from planner import catalog
from planner.extensions import db
from planner.models import PlanSlot, Profile as ProfileRow, ShoppingExtra, ShoppingMark
from planner.plans import service as plans, store as plan_store
from planner.shopping import service as shopping
from planner.shopping.settings import default_pantry

MONDAY = date(2026, 11, 23)
FAMILY = {"name": "Family", "members": [{"name": "Ana", "age": 36, "sex": "female"}, {"name": "Mia", "age": 4}]}
PHONES = 8

Action = Callable[[FlaskClient], Any]


def at_once(app: Flask, actions: list[Action]) -> list[Any]:
    """Run each action in a thread of its own, all released together; what each returned (or raised)."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(number: int) -> None:
        with app.app_context():
            try:
                client = logged_in(app, MEMBER)
                db.session.remove()  # start the race with no transaction open
                barrier.wait(timeout=30)
                results[number] = actions[number](client)
            except BaseException as exc:  # reported by the test, not lost in the thread
                results[number] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


def post(url: str, data: dict[str, Any] | None = None) -> Action:
    return lambda client: client.post(url, data=data or {}).status_code


def _profile() -> ProfileRow:
    return plan_store.save_profile(db.session, plans.parse_profile(db.session, FAMILY), None,
                                   user(MEMBER).household_id)


def _plan(profile: ProfileRow | None = None) -> int:
    profile = profile or _profile()
    row, _ = plans.create_plan(db.session, plan_store.profile_of(profile), MONDAY, profile.id, profile.household_id)
    return row.id


def _fresh() -> None:
    """See what the threads committed."""
    db.session.rollback()
    db.session.expire_all()


# -- 1. ticks ---------------------------------------------------------------------------------

def test_ticking_one_item_on_many_phones_at_once_is_one_tick(app):
    plan_id = _plan()
    food = next(shopping.shopping_list(db.session, shopping.plan_scope(db.session, plan_id)).items()).food
    url = f"/shopping/plans/{plan_id}/ticks"

    def checked() -> bool:
        _fresh()
        return bool(db.session.scalar(select(ShoppingMark.checked).where(ShoppingMark.plan_id == plan_id)))

    for _ in range(3):  # each round ticks an item nobody has ticked yet: every phone makes its mark
        db.session.execute(delete(ShoppingMark).where(ShoppingMark.plan_id == plan_id))
        db.session.commit()
        assert at_once(app, [post(url, {"key": f"food:{food}", "checked": "1"})] * PHONES) == [302] * PHONES
        assert checked()
    # ticking and unticking at once: each request lands, the last one wins
    db.session.execute(delete(ShoppingMark).where(ShoppingMark.plan_id == plan_id))
    db.session.commit()
    both = [post(url, {"key": f"food:{food}", "checked": value}) for value in ("1", "0") * (PHONES // 2)]
    assert at_once(app, both) == [302] * PHONES
    assert db.session.query(ShoppingMark).filter_by(plan_id=plan_id).count() == 1


# -- 2. locks ---------------------------------------------------------------------------------

def _locked(plan_id: int) -> set[tuple[int, str]]:
    _fresh()
    return {(s.day, s.meal) for s in db.session.scalars(select(PlanSlot).where(PlanSlot.plan_id == plan_id,
                                                                               PlanSlot.locked))}


def test_locking_meals_at_once_keeps_every_lock(app):
    plan_id = _plan()
    slots = [(day, meal) for day in range(4) for meal in ("breakfast", "dinner")][:PHONES]
    lock = [post(f"/plans/{plan_id}/lock/{day}/{meal}", {"locked": "1"}) for day, meal in slots]
    assert at_once(app, lock) == [302] * PHONES
    assert _locked(plan_id) == set(slots)
    unlock = [post(f"/plans/{plan_id}/lock/{day}/{meal}", {"locked": "0"}) for day, meal in slots]
    assert at_once(app, unlock) == [302] * PHONES
    assert _locked(plan_id) == set()
    # a lock sent twice (a double click) is one lock, not a lock and an unlock
    twice = [post(f"/plans/{plan_id}/lock/2/lunch", {"locked": "1"})] * 2
    assert at_once(app, twice) == [302, 302]
    assert _locked(plan_id) == {(2, "lunch")}


def test_a_lock_made_while_the_week_is_redone_is_kept(app):
    plan_id = _plan()
    for day in (1, 5):
        redo = post(f"/plans/{plan_id}/redo")
        lock = post(f"/plans/{plan_id}/lock/{day}/dinner", {"locked": "1"})
        assert at_once(app, [redo, lock]) == [302, 302]
        assert (day, "dinner") in _locked(plan_id)


# -- 3. the pantry and extras ----------------------------------------------------------------

def _foods_to_keep(count: int) -> list[dict[str, Any]]:
    """Foods that are not in the usual pantry, each named by a name that names it exactly."""
    library = catalog.load(db.session, user(MEMBER).household_id)
    usual = default_pantry(library.foods.values())
    found = [f for f in library.foods.values() if f["slug"] not in usual and library.index.exact(f["name"]) is f]
    return sorted(found, key=lambda f: f["slug"])[:count]


def test_adding_to_the_pantry_at_once_keeps_every_food(app):
    profile = _profile()
    url = f"/shopping/profiles/{profile.id}/settings/pantry"
    foods = _foods_to_keep(PHONES)
    assert at_once(app, [post(url, {"food": f["name"]}) for f in foods]) == [302] * PHONES
    _fresh()
    pantry = set(db.session.get(ProfileRow, profile.id).shopping["pantry"])
    assert {f["slug"] for f in foods} <= pantry
    # the same food added from every phone is in the pantry once; taking it out twice is taking it out
    assert at_once(app, [post(url, {"food": foods[0]["name"]})] * 4) == [302] * 4
    assert at_once(app, [post(url, {"remove": foods[1]["slug"]})] * 4) == [302] * 4
    _fresh()
    pantry_list = db.session.get(ProfileRow, profile.id).shopping["pantry"]
    assert pantry_list.count(foods[0]["slug"]) == 1 and foods[1]["slug"] not in pantry_list
    # other settings changed at the same time as the pantry do not undo it, nor it them
    settings = f"/shopping/profiles/{profile.id}/settings"
    mixed = [post(f"{settings}/units", {"units": "us"}), post(f"{settings}/aisles", {"move": "frozen:up"}),
             post(url, {"food": foods[1]["name"]}), post(url, {"remove": foods[2]["slug"]})]
    assert at_once(app, mixed) == [302] * 4
    _fresh()
    stored = db.session.get(ProfileRow, profile.id).shopping
    assert stored["units"] == "us" and stored["aisle_order"].index("frozen") < len(stored["aisle_order"]) - 1
    assert foods[1]["slug"] in stored["pantry"] and foods[2]["slug"] not in stored["pantry"]


def test_adding_extras_at_once_keeps_every_one_and_the_same_words_once(app):
    plan_id = _plan()
    url = f"/shopping/plans/{plan_id}/extras"
    words = [f"{n + 1} lemons" for n in range(PHONES)]
    assert at_once(app, [post(url, {"text": text}) for text in words]) == [302] * PHONES
    _fresh()
    stored = db.session.scalars(select(ShoppingExtra.text).where(ShoppingExtra.plan_id == plan_id))
    assert sorted(stored) == sorted(words)
    assert at_once(app, [post(url, {"text": "kitchen roll"})] * 4) == [302] * 4
    _fresh()
    assert db.session.query(ShoppingExtra).filter_by(plan_id=plan_id, text="kitchen roll").count() == 1


# -- 4. profiles -----------------------------------------------------------------------------

def _form_of(page: str) -> dict[str, Any]:
    """The fields a browser would send back from the profile page as it was shown."""
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name[1] == "csrf_token":
            continue
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind[1] == "checkbox":
            if " checked" in tag:
                data.setdefault(name[1], []).append(value[1] if value else "y")
        else:
            data[name[1]] = value[1] if value else ""
    for tag, name, body in re.findall(r'(<select[^>]*name="([^"]+)"[^>]*>)(.*?)</select>', page, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', body)
        if chosen is None and " multiple" in tag:
            continue  # a browser sends nothing for a list with nothing chosen
        data[name] = (chosen[1] or chosen[2]) if chosen else ""
    return data


def test_saving_a_profile_from_two_browsers_at_once_refuses_the_stale_one(app):
    profile = _profile()
    url = f"/plans/profiles/{profile.id}"
    form = _form_of(logged_in(app, MEMBER).get(url).get_data(as_text=True))  # both browsers open the form
    assert form["version"] == "1"
    sesame = {**form, "allergens": [*form.get("allergens", []), "sesame"]}
    renamed = {**form, "name": "Renamed"}
    answers = at_once(app, [post(url, sesame), post(url, renamed)])
    assert sorted(answers) == [302, 409]  # one saved; the other was told, not saved over it
    _fresh()
    row = db.session.get(ProfileRow, profile.id)
    assert row.version == 2
    assert ("sesame" in row.data["allergens"]) != (row.name == "Renamed")
