"""The guided food test: a suspect left out of a member's meals, then served back at three sizes
on their own days; what the diary logged after each serve suggests the result, and the result
becomes the member's exclusion or limit in the weeks after. Children need a provider's
agreement, allergies are never tested, and a warning sign pauses the test."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from conftest import MEMBER, OTHER, logged_in, user
from planner import catalog
from planner.diary import food_tests
from planner.diary.entries import Entry
from planner.diary.food_tests import FoodTest, Serve, WeekChanges, read_serves, schedule, week_changes
from planner.extensions import db
from planner.plans import service as plans, store as plan_store
from planner.shopping import service as shopping
from test_races import at_once

TODAY = date.today()
MONDAY = TODAY + timedelta(days=7 - TODAY.weekday())  # next Monday
HEADER = "member,time,kind,item,amount,unit,note\n"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _test(**changes) -> FoodTest:
    serves = schedule(date(2026, 1, 5), 2, 2, "garlic", {"low": 1, "moderate": 3, "high": 6})
    return FoodTest(**{"id": 1, "member": "Sam", "item": "garlic", "kind": "food", "start": date(2026, 1, 5),
                       "elimination_weeks": 2, "washout_days": 2, "left_out": ("garlic",), "serves": serves,
                       **changes})


# -- the schedule and the reading, in plain Python ------------------------------------------

def test_the_serves_come_after_the_elimination_each_with_its_washout():
    serves = schedule(date(2026, 1, 5), 4, 2, "garlic", food_tests.serve_grams("garlic", 3))
    assert [(s.level, s.day, s.grams) for s in serves] == [
        ("low", date(2026, 2, 2), 1), ("moderate", date(2026, 2, 5), 3), ("high", date(2026, 2, 8), 6)]
    test = _test(serves=serves, elimination_weeks=4)
    assert test.elimination_ends == date(2026, 2, 1) and test.ends == date(2026, 2, 10)
    # a food without serves of its own: shares of its usual portion, to 5 g
    assert food_tests.serve_grams("kale", 67) == {"low": 15, "moderate": 35, "high": 65}


@pytest.mark.parametrize("today, changes, expected", [
    (date(2026, 1, 10), {}, "elimination"), (date(2026, 1, 19), {}, "reintroduction"),
    (date(2026, 1, 27), {}, "reintroduction"), (date(2026, 1, 28), {}, "result due"),
    (date(2026, 1, 10), {"paused": "Blood in poo"}, "paused"), (date(2026, 1, 28), {"result": "low"}, "done"),
    (date(2026, 1, 10), {"stopped": True}, "stopped"),
])
def test_the_phase_follows_the_calendar_and_what_happened(today, changes, expected):
    assert food_tests.phase(_test(**changes), today) == expected


def test_the_first_serve_followed_by_a_symptom_is_where_the_member_reacts_from():
    test = _test()  # serves on 19, 22 and 25 January
    entries = [Entry(_at(date(2026, 1, 19), 9), "food", "garlic", 1),
               Entry(_at(date(2026, 1, 20), 9), "symptom", "bloating", 2),  # under the threshold
               Entry(_at(date(2026, 1, 22), 9), "food", "garlic", 3),
               Entry(_at(date(2026, 1, 22), 21), "symptom", "pain", 5)]
    reading = read_serves(test, entries, date(2026, 1, 23))
    assert not reading.reacted("low") and reading.reactions["moderate"] == ("pain",)
    assert reading.eaten["moderate"] == _at(date(2026, 1, 22), 9) and reading.suggested == "moderate"
    calm = read_serves(test, entries[:3], date(2026, 1, 28))
    assert calm.suggested == "tolerated"
    assert read_serves(test, entries[:3], date(2026, 1, 24)).suggested == ""  # serves still to come


def test_a_severe_symptom_pauses_the_test_until_it_is_resumed():
    severe = Entry(_at(date(2026, 1, 8), 10), "symptom", "pain", 9)
    assert food_tests.severe_after(_test(), [severe]) == severe
    resumed = _test(resumed_at=_at(date(2026, 1, 9), 8))
    assert food_tests.severe_after(resumed, [severe]) is None


def test_a_week_leaves_the_suspect_out_then_serves_it_and_then_follows_the_result():
    test = _test(left_out=("garlic", "garlic-powder"))
    eliminating = week_changes([test], date(2026, 1, 5), frozenset({"garlic"}))
    assert eliminating.left_out == {"Sam": {"garlic", "garlic-powder"}} and not eliminating.serves
    assert eliminating.relax_prebiotic
    serving = week_changes([test], date(2026, 1, 19), frozenset())
    assert [w.serve.level for w in serving.serves] == ["low", "moderate", "high"]
    assert week_changes([test], date(2026, 1, 19), frozenset(), paused=frozenset({1})).serves == ()
    reacts = _test(result="low", result_day=date(2026, 1, 28))
    assert week_changes([reacts], date(2026, 2, 2), frozenset()).left_out == {"Sam": {"garlic"}}
    limited = week_changes([_test(result="high", result_day=date(2026, 1, 28))], date(2026, 2, 2), frozenset())
    assert limited.limits == {"Sam": {"garlic": 3}} and not limited.left_out
    assert not week_changes([_test(result="tolerated", result_day=date(2026, 1, 28))], date(2026, 2, 2),
                            frozenset())
    assert not week_changes([_test(stopped=True)], date(2026, 1, 5), frozenset())
    assert isinstance(eliminating, WeekChanges)


# -- through the app -----------------------------------------------------------------------

def _start(client, member="Sam", item="garlic", **body):
    return client.post("/api/v1/diary/tests", json={"member": member, "item": item, **body})


def _week(start: date) -> dict:
    household = user(MEMBER).household_id
    row = plan_store.list_profiles(db.session, household)[0]
    plan_row, _ = plans.create_plan(db.session, plan_store.profile_of(row), start, row.id, household)
    return plans.payload(db.session, plan_row) | {"id": plan_row.id}


def _foods_eaten(week: dict) -> set[str]:
    dishes = catalog.load(db.session, user(MEMBER).household_id).dish_map
    return {food for day in week["days"] for meal in day["meals"]
            for slug in (meal["recipe"]["slug"], *(s["slug"] for s in meal.get("sides") or []))
            for food in dishes[slug].facts.foods}


def test_a_test_leaves_the_suspect_out_of_the_week_and_puts_its_serves_in_a_later_one(kims):
    answer = _start(kims, start=MONDAY.isoformat(), elimination_weeks=2, washout_days=2)
    assert answer.status_code == 201, answer.get_json()
    test = answer.get_json()
    assert test["phase"] == "elimination" and "garlic" in test["left_out"]
    assert [s["day"] for s in test["serves"]] == [(MONDAY + timedelta(days=d)).isoformat() for d in (14, 17, 20)]
    assert [s["grams"] for s in test["serves"]] == [1, 3, 6]
    first = _week(MONDAY)
    assert not _foods_eaten(first) & set(test["left_out"])
    assert first["food_tests"]["serves"] == [] and any("garlic" in n for n in first["food_tests"]["notes"])
    saved = plan_store.get_plan_row(db.session, first["id"]).profile_data
    assert saved["targets"]["prebiotic_per_day"] == 0  # garlic is a prebiotic food: the target gives way
    serving = _week(MONDAY + timedelta(days=14))
    assert [(s["level"], s["grams"]) for s in serving["food_tests"]["serves"]] == [
        ("low", 1), ("moderate", 3), ("high", 6)]
    assert not _foods_eaten(serving) & set(test["left_out"])
    page = kims.get(f"/plans/{serving['id']}").get_data(as_text=True)
    assert "Food tests this week" in page and "Test serve: Sam, 3 g garlic" in page
    items = {i.food: i for a in shopping.shopping_list(db.session, shopping.plan_scope(db.session, serving["id"])).aisles
             for i in a.items}
    assert "garlic" in items and sum(n.grams for n in items["garlic"].needs if "test serve" in n.meal) == 10


def test_a_child_is_tested_only_when_a_provider_agrees(kims):
    refused = _start(kims, member="Kim", item="apple")
    assert refused.status_code == 400 and "provider_agrees" in refused.get_json()["fields"]
    assert _start(kims, member="Kim", item="apple", provider_agrees=True).status_code == 201


def test_a_baby_is_never_given_a_home_test(client):
    household = user(MEMBER).household_id
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [
        {"name": "Ada", "age": 0.75}, {"name": "Sam", "age": 36}]})
    plan_store.save_profile(db.session, profile, None, household)
    answer = _start(client, member="Ada", item="apple", provider_agrees=True)
    assert answer.status_code == 400 and "one at a time" in answer.get_json()["error"]


def test_one_test_at_a_time_per_member_and_bad_input_is_refused(kims):
    assert _start(kims).status_code == 201
    assert _start(kims, item="onion").status_code == 409
    for body, field in [({"item": "moonrock"}, "item"), ({"elimination_weeks": 9}, "weeks"),
                        ({"washout_days": 1}, "washout"), ({"member": "Zed"}, "member"),
                        ({"start": "soon"}, "start"), ({"start": 5}, "start")]:
        answer = kims.post("/api/v1/diary/tests", json={"member": "Kim", "item": "apple", "provider_agrees": True,
                                                          **body})
        assert answer.status_code == 400 and field in answer.get_json().get("fields", {}), (body, answer.get_json())
    assert kims.post("/api/v1/diary/tests", data="nope", content_type="text/plain").status_code == 400


def test_an_allergy_is_never_tested_at_home(client):
    household = user(MEMBER).household_id
    profile = plans.parse_profile(db.session, {"name": "Us", "members": [
        {"name": "Sam", "age": 36, "allergens": ["milk"]}]})
    plan_store.save_profile(db.session, profile, None, household)
    for item in ("milk", "whole milk"):
        answer = _start(client, item=item)
        assert answer.status_code == 400 and "allergy specialist" in answer.get_json()["error"]


def test_the_result_becomes_the_members_exclusion_or_limit(kims):
    test = _start(kims, item="onion", start=(TODAY - timedelta(days=30)).isoformat(), elimination_weeks=2).get_json()
    assert test["phase"] == "result due" and test["suggested_result"] == "tolerated"
    moderate = next(s for s in test["serves"] if s["level"] == "moderate")
    kims.post("/api/v1/diary/import", data=HEADER + f"Sam,{moderate['day']}T08:00Z,food,onion,25,g,\n"
              f"Sam,{moderate['day']}T20:00Z,symptom,wind,6,,\n", content_type="text/csv")
    shown = kims.get(f"/api/v1/diary/tests/{test['id']}").get_json()
    assert shown["suggested_result"] == "moderate" and shown["serves"][1]["followed_by"] == ["wind"]
    stale = kims.post(f"/api/v1/diary/tests/{test['id']}/result", json={"result": "moderate", "version": 0})
    assert stale.status_code == 409
    done = kims.post(f"/api/v1/diary/tests/{test['id']}/result", json={"result": "moderate", "version": 1})
    assert done.status_code == 200 and done.get_json()["phase"] == "done"
    week = _week(MONDAY)
    saved = plan_store.get_plan_row(db.session, week["id"]).profile_data
    sam = next(m for m in saved["members"] if m["name"] == "Sam")
    assert ["onion", 10] in [list(pair) for pair in sam["limits"]]
    dishes = catalog.load(db.session, user(MEMBER).household_id).dish_map
    for day in week["days"]:
        for meal in day["meals"]:
            onion = sum(p.grams for p in dishes[meal["recipe"]["slug"]].facts.parts if p.food == "onion")
            assert onion <= 10, meal["recipe"]["slug"]
    # reacting from the small serve keeps it out altogether
    kims.post(f"/api/v1/diary/tests/{test['id']}/result", json={"result": "low"})
    assert "onion" not in _foods_eaten(_week(MONDAY + timedelta(days=7)))


def test_a_warning_sign_pauses_the_test_and_no_serves_are_planned(kims):
    test = _start(kims, start=MONDAY.isoformat(), elimination_weeks=2).get_json()
    paused = kims.post(f"/api/v1/diary/tests/{test['id']}/pause", json={"why": "Blood in poo"}).get_json()
    assert paused["phase"] == "paused" and paused["paused"] == "Blood in poo"
    assert _week(MONDAY + timedelta(days=14))["food_tests"]["serves"] == []
    assert kims.post(f"/api/v1/diary/tests/{test['id']}/resume", json={}).status_code == 400
    resumed = kims.post(f"/api/v1/diary/tests/{test['id']}/resume", json={"provider_agrees": True}).get_json()
    assert resumed["phase"] == "elimination"
    # a symptom logged at 8 out of 10 or worse pauses it too
    kims.post("/api/v1/diary/import", data=HEADER + f"Sam,{(MONDAY + timedelta(days=2)).isoformat()}T10:00Z,"
              "symptom,pain,9,,\n", content_type="text/csv")
    again = kims.get(f"/api/v1/diary/tests/{test['id']}").get_json()
    assert again["phase"] == "paused" and "pain at 9/10" in again["paused"]
    page = kims.get(f"/diary/tests/{test['id']}").get_data(as_text=True)
    assert "please see a doctor first" in page
    stopped = kims.delete(f"/api/v1/diary/tests/{test['id']}").get_json()
    assert stopped["phase"] == "stopped" and _week(MONDAY)["food_tests"]["notes"] == []


def test_the_pages_start_and_follow_a_test(kims):
    assert kims.get("/diary/tests").status_code == 200
    answer = kims.post("/diary/tests", data={"member": "Sam", "item": "Garlic", "start": MONDAY.isoformat(),
                                              "weeks": "2", "washout": "3"})
    assert answer.status_code == 302
    page = kims.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sam's test: Garlic" in page and "Low serve: 1 g garlic" in page and "¼ clove" in page
    serve_day = MONDAY + timedelta(days=14)
    day = kims.get(f"/diary/?member=Sam&day={serve_day.isoformat()}").get_data(as_text=True)
    assert "Today is the low serve" in day and "Sam had the low serve" in day
    assert "more days without garlic" in kims.get(f"/diary/?member=Sam&day={MONDAY.isoformat()}").get_data(as_text=True)
    bad = kims.post("/diary/tests", data={"member": "Sam", "item": "garlic", "weeks": "two"})
    assert bad.status_code == 400


def test_another_household_never_sees_a_test(app, kims):
    test = _start(kims).get_json()
    other = logged_in(app, OTHER)
    assert other.get(f"/api/v1/diary/tests/{test['id']}").status_code == 404
    assert other.get(f"/diary/tests/{test['id']}").status_code == 404
    assert other.post(f"/api/v1/diary/tests/{test['id']}/pause", json={"why": "x"}).status_code == 404
    assert other.get("/api/v1/diary/tests").get_json() == {"tests": []}


def test_two_people_starting_a_test_at_once_start_one(app, kims):
    body = {"member": "Sam", "item": "garlic"}
    statuses = at_once(app, [lambda c: c.post("/api/v1/diary/tests", json=body).status_code] * 2)
    assert sorted(statuses) == [201, 409], statuses
    assert len(kims.get("/api/v1/diary/tests?member=Sam").get_json()["tests"]) == 1


def test_a_serve_logged_from_the_day_page_counts_as_eaten(kims):
    test = _start(kims, start=(TODAY - timedelta(days=14)).isoformat(), elimination_weeks=2).get_json()
    assert test["serves"][0]["day"] == TODAY.isoformat()
    kims.post("/diary/", data={"member": "Sam", "day": TODAY.isoformat(), "kind": "food", "item": "garlic",
                               "amount": "1", "unit": "g", "note": "low test serve", "time": "08:00"})
    shown = kims.get(f"/api/v1/diary/tests/{test['id']}").get_json()
    assert shown["serves"][0]["eaten"].startswith(f"{TODAY.isoformat()}T08:00")
    assert Serve("low", TODAY, "garlic", 1.0).grams == 1.0


def test_the_report_for_the_provider_lists_the_tests_and_their_results(kims):
    import io

    from pypdf import PdfReader
    test = _start(kims, item="onion", start=(TODAY - timedelta(days=30)).isoformat(), elimination_weeks=2).get_json()
    kims.post(f"/api/v1/diary/tests/{test['id']}/result", json={"result": "high"})
    text = kims.get("/diary/report.csv?member=Sam").get_data(as_text=True)
    assert "onion (food): 2 weeks without it" in text and "reacts from the high serve only" in text
    pdf = PdfReader(io.BytesIO(kims.get("/diary/report.pdf?member=Sam").get_data()))
    words = " ".join(page.extract_text() for page in pdf.pages)
    assert "Food tests" in words and "reacts from the high serve only" in words


def test_the_weeks_habit_ticks_save_to_the_diary_once(kims):
    week = _week(MONDAY)
    page = kims.get(f"/plans/{week['id']}").get_data(as_text=True)
    assert "Save ticks to the diary" in page and f'value="{MONDAY.isoformat()}:move-daily"' in page
    ticks = [f"{MONDAY.isoformat()}:move-daily", f"{MONDAY.isoformat()}:sleep-well",
             f"{(MONDAY + timedelta(days=1)).isoformat()}:move-daily"]
    for _ in range(2):  # saved twice, kept once
        answer = kims.post("/diary/habits", data={"member": "Kim", "plan": str(week["id"]), "tick": ticks})
        assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/plans/{week['id']}#habits")
    entries = kims.get("/api/v1/diary?member=Kim").get_json()["entries"]
    assert sorted((e["kind"], e["amount"]) for e in entries) == [("movement", 30), ("movement", 30), ("sleep", 8)]
    assert kims.post("/diary/habits", data={"member": "Kim", "tick": ["someday:move-daily"]}).status_code == 400
    assert kims.post("/diary/habits", data={"member": "Zed", "tick": ticks}).status_code == 400
    assert kims.post("/diary/habits", data={"member": "Kim", "tick": [f"{MONDAY}:manage-stress"]}).status_code == 400
