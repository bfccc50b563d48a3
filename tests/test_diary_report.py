"""The diary report for a healthcare provider: a day per row as CSV, a chart, a table and the
suspects as a PDF, for one member of the asker's household and a period they choose."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from planner.diary.exchange import Row
from planner.diary.patterns import Patterns, Suspect
from planner.diary.report import DISCLAIMER, day_summaries, report_csv, report_pdf

from test_diary import HEADER
START = date(2026, 11, 1)
PERIOD = "member=Kim&start=2026-11-01&end=2026-11-10"


def _diary() -> str:
    """Ten days of Kim's: bloating twice a day (the worst is 2 + day % 5), pain on even days,
    sleep and a stool each day, oats for breakfast; and one row of Sam's and one outside the period."""
    lines = []
    for n in range(10):
        day = (START + timedelta(days=n)).isoformat()
        lines += [f"Kim,{day}T08:00Z,food,Porridge oats,60,g,",
                  f"Kim,{day}T10:00Z,symptom,bloating,1,,",
                  f"Kim,{day}T15:00Z,symptom,bloating,{2 + n % 5},,",
                  f"Kim,{day}T07:00Z,sleep,sleep,{6 + n % 3},hours,",
                  f"Kim,{day}T09:00Z,stool,stool,{1 + n % 7},,"]
        if n % 2 == 0:
            lines.append(f"Kim,{day}T20:00Z,symptom,pain,{n % 10},,")
    lines += ["Sam,2026-11-03T12:00Z,symptom,bloating,9,,", "Kim,2026-11-11T12:00Z,symptom,bloating,10,,"]
    return HEADER + "\n".join(lines) + "\n"


def _import(client, text: str) -> None:
    answer = client.post("/api/v1/diary/import", data=text, content_type="text/csv")
    assert answer.status_code == 201, answer.get_data(as_text=True)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_csv_has_a_row_per_day_with_the_worst_severities(kims):
    _import(kims, _diary())
    answer = kims.get(f"/diary/report.csv?{PERIOD}")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="diary-Kim-2026-11-01-to-2026-11-10.csv"'
    days, _blank, suspects = answer.get_data(as_text=True).partition("\n\n")
    rows = list(csv.DictReader(io.StringIO(days)))
    assert [r["date"] for r in rows] == [(START + timedelta(days=n)).isoformat() for n in range(10)]
    assert [float(r["bloating"]) for r in rows] == [2 + n % 5 for n in range(10)]  # Sam's 9 and the 11th left out
    assert [r["pain"] for r in rows] == [f"{n % 10}" if n % 2 == 0 else "" for n in range(10)]
    assert [r["stool"] for r in rows] == [str(1 + n % 7) for n in range(10)]
    assert [float(r["sleep"]) for r in rows] == [6 + n % 3 for n in range(10)]
    assert all(r["foods"] == "Porridge oats" and r["member"] == "Kim" for r in rows)
    assert suspects.startswith("item,kind,symptom,window,exposures,with_symptom,rate_with,rate_without,ratio,"
                               "low,high,flagged")


def test_the_pdf_names_the_member_a_day_and_the_disclaimer(kims):
    _import(kims, _diary())
    answer = kims.get(f"/diary/report.pdf?{PERIOD}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="diary-Kim-2026-11-01-to-2026-11-10.pdf"'
    pdf = answer.get_data()
    assert pdf.startswith(b"%PDF")
    text = _text(pdf)
    assert "Kim" in text and DISCLAIMER in text
    assert "05 Nov 2026" in text and "Porridge oats" in text and "Bloating" in text


def test_the_default_period_is_the_last_28_days(kims):
    answer = kims.get("/diary/report.csv?member=sam")  # the name as any case; no dates
    assert answer.status_code == 200
    today = date.today()
    first = today - timedelta(days=27)
    assert f"diary-Sam-{first.isoformat()}-to-{today.isoformat()}.csv" in answer.headers["Content-Disposition"]
    days = answer.get_data(as_text=True).partition("\n\n")[0]
    assert len(list(csv.DictReader(io.StringIO(days)))) == 28


def test_another_household_gets_400_for_a_member_it_lacks(kims, other_client):
    _import(kims, _diary())
    for kind in ("csv", "pdf"):
        answer = other_client.get(f"/diary/report.{kind}?{PERIOD}")
        assert answer.status_code == 400
        assert "No member of your household" in answer.get_data(as_text=True)
        assert "Porridge" not in answer.get_data(as_text=True)
    assert kims.get(f"/diary/report.pdf?{PERIOD.replace('Kim', 'Zed')}").status_code == 400


@pytest.mark.parametrize("query, message", [
    ("start=2026-11-10&end=2026-11-01", "before its start"),
    ("start=2025-01-01&end=2026-11-01", "at most 366 days"),
    ("start=soon&end=2026-11-01", "YYYY-MM-DD"),
    ("start=2026-11-01&end=2026-13-01", "YYYY-MM-DD"),
])
def test_a_bad_period_is_refused_with_a_message(kims, query, message):
    for kind in ("csv", "pdf"):
        answer = kims.get(f"/diary/report.{kind}?member=Kim&{query}", headers={"Accept": "application/json"})
        assert answer.status_code == 400
        assert message in answer.get_data(as_text=True)


def test_366_days_is_allowed(kims):
    assert kims.get("/diary/report.csv?member=Kim&start=2026-01-01&end=2027-01-01").status_code == 200


def test_an_empty_diary_still_makes_a_report(kims):
    pdf = kims.get(f"/diary/report.pdf?{PERIOD}")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")
    text = _text(pdf.get_data())
    assert "Kim" in text and DISCLAIMER in text and "Nothing stands out yet" in text
    rows = kims.get(f"/diary/report.csv?{PERIOD}").get_data(as_text=True).partition("\n\n")[0]
    assert [r["date"] for r in csv.DictReader(io.StringIO(rows))][-1] == "2026-11-10"


def test_the_patterns_page_offers_the_report_with_labelled_dates(kims):
    page = kims.get("/diary/patterns?member=Kim").get_data(as_text=True)
    assert "Report for your healthcare provider" in page
    for field in ("report-start", "report-end"):
        assert f'<label for="{field}">' in page and f'id="{field}"' in page
    assert "/diary/report.pdf" in page and "/diary/report.csv" in page


def test_day_summaries_take_names_worst_severities_and_habits():
    at = datetime(2026, 11, 2, 8, tzinfo=UTC)
    rows = [Row("Kim", at, "meal", "oat-porridge", 1), Row("Kim", at, "food", "banana", 100),
            Row("Kim", at + timedelta(hours=1), "food", "banana", 50), Row("Kim", at, "symptom", "pain", 3),
            Row("Kim", at + timedelta(hours=2), "symptom", "pain", 7), Row("Kim", at, "symptom", "pain", 5),
            Row("Kim", at, "sleep", "sleep", 5), Row("Kim", at, "sleep", "nap", 1.5),
            Row("Kim", at, "stress", "stress", 4), Row("Kim", at, "stress", "stress", 6),
            Row("Kim", at, "movement", "walk", 20), Row("Kim", at, "stool", "stool", 6),
            Row("Kim", at - timedelta(days=5), "symptom", "pain", 9)]
    found = day_summaries(rows, {"oat-porridge": "Oat porridge", "banana": "Banana"}, date(2026, 11, 1),
                          date(2026, 11, 3))
    assert [s.day.day for s in found] == [1, 2, 3]
    assert found[0].empty and found[2].empty and not found[1].empty
    day = found[1]
    assert day.symptoms == {"pain": 7} and day.sleep == 6.5 and day.stress == 6 and day.movement == 20
    assert day.foods == ("Oat porridge", "Banana") and day.stool == (6,)


def test_flagged_suspects_are_listed_with_their_numbers_and_spreadsheet_formulas_are_defused():
    suspect = Suspect("wheat", "food", "bloating", "4-24 h", 12, 9, 30, 6, 0.75, 0.2, 3.75, 1.9, 7.4, 0.001, 0.01,
                      True)
    patterns = Patterns(40, True, (suspect,), "A suspect is a lead to test.")
    summaries = day_summaries([Row("Kim", datetime(2026, 11, 1, 9, tzinfo=UTC), "food", "=cmd()", 5)],
                              {}, date(2026, 11, 1), date(2026, 11, 1))
    text = _text(report_pdf("Kim", date(2026, 11, 1), date(2026, 11, 1), summaries, patterns))
    assert "wheat (food)" in text and "9 of 12" in text and "3.8 times as often" in text
    assert "Nothing stands out" not in text
    table = report_csv("Kim", summaries, patterns)
    assert "'=cmd()" in table and "wheat,food,bloating,4-24 h,12,9,0.750,0.200,3.75,1.90,7.40,yes" in table
