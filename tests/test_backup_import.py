"""`planner import-data` with hostile files: every problem reported by its path at once, a clean
non-zero exit, and nothing written; values that would break pages later never get in."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from conftest import MEMBER
from planner.extensions import db
from planner.models import Food, Plan, Profile

PLAN = {"key": 1, "profile": None, "week_start": "2026-11-23", "profile_snapshot": {"name": "x"},
        "solver": {"status": "optimal", "seconds": 0.1, "objective": 1}, "marks": [], "extras": [],
        "slots": [{"day": 0, "meal": "dinner", "position": 0, "recipe": "chicken-leek-cannellini-bone-broth-stew",
                   "servings": 1}]}


def _backup(**parts) -> dict:
    return {"format": "gut-planner-household", "version": 1, "foods": [], "profiles": [], "plans": [], **parts}


def _counts() -> tuple[int, int, int]:
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (Plan, Profile, Food))  # type: ignore[return-value]


def _run(runner, tmp_path, document) -> tuple[int, str]:
    path = tmp_path / "backup.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    result = runner.invoke(args=["import-data", str(path), "--member", MEMBER])
    return result.exit_code, result.output


def _slot(**changes) -> dict:
    return {**PLAN, "slots": [{**PLAN["slots"][0], **changes}]}


@pytest.mark.parametrize("document, expected", [
    (_backup(plans=[_slot(day=99)]), "plans[1].slots[1]: day"),
    (_backup(plans=[_slot(meal="brunch")]), "plans[1].slots[1]: meal"),
    (_backup(plans=[_slot(servings=-2)]), "plans[1].slots[1]: servings"),
    (_backup(plans=[_slot(servings="lots")]), "plans[1].slots[1]: servings"),
    (_backup(plans=[{**PLAN, "week_start": "9999-12-27"}]), "plans[1]: week_start"),
    (_backup(plans=[{**PLAN, "profile": {"a": 1}}]), "plans[1]: profile"),
    (_backup(plans=[{**PLAN, "extras": ["milk"]}]), "plans[1].extras[1]"),
    (_backup(plans=[{**PLAN, "extras": [{"text": "milk", "grams": "x"}]}]), "plans[1].extras[1]: grams"),
    (_backup(plans=[{**PLAN, "marks": [{"food": ["x"]}]}]), "plans[1].marks[1]: food"),
    (_backup(plans=[{**PLAN, "solver": {"status": "x", "seconds": float("inf"), "objective": 1}}]),
     "plans[1].solver: seconds"),
    (_backup(plans=[{**PLAN, "slots": [PLAN["slots"][0], PLAN["slots"][0]]}]), "two meals in the same place"),
    (_backup(profiles=[{"key": [1], "name": "x", "data": {}}]), "profiles[1]: key"),
    (_backup(profiles=[{"name": "x", "data": {}, "shopping": "pantry"}]), "profiles[1].shopping"),
    (_backup(profiles=[{"name": "x", "data": {"members": [{"name": "A", "age": 300}]}}]),
     "profiles[1].data: members.1.age"),
    (_backup(foods=[{"slug": "x"}]), "foods[1]"),
    (_backup(foods=7), "the file: foods"),
    ("[" * 50_000, "nests deeper"),
])
def test_a_hostile_backup_is_refused_whole_with_the_problem_by_path(runner, tmp_path, document, expected):
    before = _counts()
    code, output = _run(runner, tmp_path, document)
    assert code == 2 and expected in output and "Traceback" not in output, output
    assert _counts() == before


def test_every_problem_of_a_file_is_reported_in_one_run(runner, tmp_path):
    document = _backup(plans=[_slot(day=99, meal="brunch", servings=-1)],
                       profiles=[{"name": "", "data": {"members": []}}])
    code, output = _run(runner, tmp_path, document)
    assert code == 2
    for where in ("plans[1].slots[1]: day", "plans[1].slots[1]: meal", "plans[1].slots[1]: servings",
                  "profiles[1]: name", "profiles[1].data: members"):
        assert where in output, output


def test_a_good_backup_still_restores(runner, tmp_path):
    before = _counts()
    code, output = _run(runner, tmp_path, _backup(plans=[PLAN], profiles=[{"key": 1, "name": "Ours", "data": {}}]))
    assert code == 0, output
    assert _counts()[:2] == (before[0] + 1, before[1] + 1)
