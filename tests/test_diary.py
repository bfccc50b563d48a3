"""The food and symptom diary: rows in and out as CSV and JSON, one household's alone, entered
from the day page, and the suspects worth testing from a diary with a planted trigger."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta, UTC

import pytest
from sqlalchemy import func, select

from conftest import MEMBER, user
from planner.extensions import db
from planner.models import DiaryEntry
from planner.plans import service as plans, store as plan_store

START = datetime(2026, 9, 1, tzinfo=UTC)
HEADER = "member,time,kind,item,amount,unit,note\n"


def _count() -> int:
    return db.session.scalar(select(func.count(DiaryEntry.id))) or 0


def test_csv_rows_go_in_and_come_back_out(kims):
    text = HEADER + ("Kim,2026-11-30T08:00:00+00:00,food,Porridge oats,60,g,\n"
                     "kim,2026-11-30T14:00:00Z,symptom,bloating,4,,after lunch\n"
                     "Kim,2026-11-30T22:00,sleep,sleep,7.5,hours,\n")
    answer = kims.post("/api/v1/diary/import", data=text, content_type="text/csv")
    assert answer.status_code == 201 and answer.get_json() == {"imported": 3}
    entries = kims.get("/api/v1/diary?member=Kim").get_json()["entries"]
    assert [e["kind"] for e in entries] == ["food", "symptom", "sleep"]
    assert entries[1]["member"] == "Kim" and entries[1]["amount"] == 4 and entries[1]["note"] == "after lunch"
    csv_text = kims.get("/api/v1/diary?member=Kim&format=csv").get_data(as_text=True)
    assert csv_text.startswith(HEADER) and "bloating,4,,after lunch" in csv_text
    again = kims.post("/api/v1/diary/import", data=csv_text, content_type="text/csv")  # round trip
    assert again.get_json() == {"imported": 3}
    day = kims.get("/api/v1/diary?member=Kim&start=2026-11-30T12:00Z&end=2026-11-30T23:00Z").get_json()
    assert len(day["entries"]) == 4


@pytest.mark.parametrize("row, problem", [
    ("Kim,yesterday,food,oats,,,", "time"), ("Kim,2026-11-30T08:00Z,snack,oats,,,", "kind"),
    ("Zed,2026-11-30T08:00Z,food,oats,,,", "member"), ("Kim,2026-11-30T08:00Z,symptom,pain,,,", "amount"),
    ("Kim,2026-11-30T08:00Z,symptom,pain,12,,", "amount"), ("Kim,2026-11-30T08:00Z,stool,stool,9,,", "amount"),
    ("Kim,2026-11-30T08:00Z,food,,,,", "item"), ("Kim,2026-11-30T08:00Z,sleep,sleep,NaN,,", "amount"),
])
def test_a_file_with_a_bad_row_is_refused_whole(kims, row, problem):
    text = HEADER + "Kim,2026-11-30T08:00Z,food,oats,40,g,\n" + row + "\n"
    answer = kims.post("/api/v1/diary/import", data=text, content_type="text/csv")
    assert answer.status_code == 400
    body = answer.get_json()
    assert "row 2" in body["fields"] and body["fields"]["row 2"].startswith(problem)
    assert _count() == 0


def test_json_rows_and_wrong_bodies(kims):
    rows = [{"member": "Sam", "time": "2026-11-30T09:00:00+01:00", "kind": "stool", "item": "stool", "amount": 4}]
    assert kims.post("/api/v1/diary/import", json=rows).status_code == 201
    assert kims.post("/api/v1/diary/import", json={"entries": rows}).status_code == 201
    assert kims.post("/api/v1/diary/import", data="{", content_type="application/json").status_code == 400
    assert kims.post("/api/v1/diary/import", data="x", content_type="image/png").status_code == 400
    assert kims.post("/api/v1/diary/import", data="a,b\n1,2\n", content_type="text/csv").status_code == 400
    assert kims.get("/api/v1/diary?member=Nobody").status_code == 400
    assert kims.get("/api/v1/diary?start=soon").status_code == 400


def test_the_diary_is_the_households_alone(kims, other_client, anon):
    kims.post("/api/v1/diary/import", data=HEADER + "Kim,2026-11-30T08:00Z,symptom,pain,5,,\n",
                   content_type="text/csv")
    assert other_client.get("/api/v1/diary").get_json()["entries"] == []
    assert other_client.get("/api/v1/diary?member=Kim").status_code == 400  # no Kim in that household
    assert anon.get("/api/v1/diary").status_code == 401
    assert anon.get("/diary/").status_code in (302, 401)
    entry = db.session.scalar(select(DiaryEntry.id))
    assert other_client.post(f"/diary/{entry}/delete").status_code == 404
    assert _count() == 1


def _planted_diary(weeks: int, seed: int) -> list[dict[str, object]]:
    """Meals from a pool of foods; pain follows milk 6-20 h later on most exposures, against a
    10 % background a day."""
    rng = random.Random(seed)
    foods = ["Whole milk", "Porridge oats", "Apple", "Brown rice", "Chicken breast", "Broccoli", "Lentils",
             "Banana", "Carrot", "Salmon fillet", "Spinach", "Wholemeal bread"]
    rows: list[dict[str, object]] = []
    for day in range(weeks * 7):
        for hour in (8, 13, 19):
            when = START + timedelta(days=day, hours=hour)
            for food in rng.sample(foods, 2):
                rows.append({"member": "Kim", "time": when.isoformat(), "kind": "food", "item": food, "amount": 100})
                if food == "Whole milk" and rng.random() < 0.75:
                    onset = when + timedelta(hours=rng.uniform(6, 20))
                    rows.append({"member": "Kim", "time": onset.isoformat(), "kind": "symptom", "item": "pain",
                                 "amount": rng.randint(4, 8)})
        if rng.random() < 0.1:
            rows.append({"member": "Kim", "time": (START + timedelta(days=day, hours=rng.uniform(0, 24))).isoformat(),
                         "kind": "symptom", "item": "pain", "amount": 4})
        rows.append({"member": "Kim", "time": (START + timedelta(days=day, hours=7)).isoformat(), "kind": "sleep",
                     "item": "sleep", "amount": round(rng.uniform(6.5, 9), 1)})
    return rows


def test_patterns_flag_a_planted_trigger_with_its_window(kims):
    rows = _planted_diary(8, seed=3)
    assert kims.post("/api/v1/diary/import", data=json.dumps(rows),
                          content_type="application/json").status_code == 201
    found = kims.get("/api/v1/diary/patterns?member=Kim").get_json()
    assert found["enough_data"] and found["days"] >= 50
    top = found["suspects"][0]
    assert top["flagged"] and top["symptom"] == "pain" and top["window"] == "4-24 h"
    assert top["item"] in ("whole-milk", "Whole milk") or top["kind"] == "tag", top
    assert top["exposures"] >= 5 and top["low"] > 1
    page = kims.get("/diary/patterns?member=Kim").get_data(as_text=True)
    assert "Suspects worth testing" in page and "intolerant" not in page.lower()


def test_too_little_diary_says_so(kims):
    rows = _planted_diary(1, seed=4)
    kims.post("/api/v1/diary/import", json=rows)
    found = kims.get("/api/v1/diary/patterns?member=Kim").get_json()
    assert not found["enough_data"] and not any(s["flagged"] for s in found["suspects"]) and found["note"]


def test_the_day_page_adds_meals_symptoms_and_habits(kims):
    household_id = user(MEMBER).household_id
    profile = plan_store.list_profiles(db.session, household_id)[0]
    today = date.today()
    monday = today - timedelta(days=today.weekday())
    kims.post("/plans/new", data={"profile": profile.id, "week_start": monday.isoformat()})
    page = kims.get("/diary/?member=Kim").get_data(as_text=True)
    assert "as planned" in page
    planned = plans.store.list_plans(db.session, household_id)[0].slots[0].recipe.slug
    day = today.isoformat()
    assert kims.post("/diary/", data={"member": "Kim", "day": day, "kind": "meal", "item": planned,
                                           "amount": "1", "unit": "serving"}).status_code == 302
    assert kims.post("/diary/", data={"member": "Kim", "day": day, "kind": "symptom", "item": "bloating",
                                           "amount": "5", "time": "15:30"}).status_code == 302
    assert kims.post("/diary/", data={"member": "Kim", "day": day, "kind": "habits", "sleep": "8",
                                           "stress": "3", "movement": ""}).status_code == 302
    assert kims.post("/diary/", data={"member": "Kim", "day": day, "kind": "symptom", "item": "bloating",
                                           "amount": "11"}).status_code == 400
    kinds = sorted(db.session.scalars(select(DiaryEntry.kind)))
    assert kinds == ["meal", "sleep", "stress", "symptom"]
    shown = kims.get(f"/diary/?member=Kim&day={day}").get_data(as_text=True)
    assert "15:30" in shown and "Remove" in shown
    entry = db.session.scalar(select(DiaryEntry.id).where(DiaryEntry.kind == "stress"))
    assert kims.post(f"/diary/{entry}/delete", data={"member": "Kim", "day": day}).status_code == 302
    assert _count() == 3


def test_the_diary_is_in_the_households_export_and_restores(kims):
    kims.post("/api/v1/diary/import", data=HEADER + "Kim,2026-11-30T08:00Z,symptom,pain,5,,after school\n",
                   content_type="text/csv")
    from planner.accounts import backup
    mine = json.loads(kims.get("/account/data").get_data(as_text=True))
    assert "pain" in json.dumps(mine)  # the person's download of their data holds the diary
    document = backup.export_household(db.session, user(MEMBER).household)
    assert document["diary"] == [{"member": "Kim", "time": "2026-11-30T08:00:00+00:00", "kind": "symptom",
                                  "item": "pain", "amount": 5.0, "unit": "", "note": "after school"}]
    from planner.data import vocabulary
    from conftest import OTHER
    target = user(OTHER).household
    counts = backup.import_household(db.session, document, target, vocabulary())
    assert counts["diary"] == 1
    bad = {**document, "diary": [{"member": "Kim", "time": "soon", "kind": "symptom", "item": "pain", "amount": 5}]}
    with pytest.raises(backup.BackupRejected):
        backup.import_household(db.session, bad, target, vocabulary())
    assert db.session.scalar(select(func.count(DiaryEntry.id)).where(DiaryEntry.household_id == target.id)) == 1
