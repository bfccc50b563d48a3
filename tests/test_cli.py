"""The planner command: seed, foods search/show/export/import."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

import planner.data as data_module
from factories import food
from planner.extensions import db
from planner.foods import store
from planner.models import Food


def food_count() -> int:
    return db.session.scalar(select(func.count(Food.id)))


def test_seed_twice_changes_nothing(runner):
    before = food_count()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output
    assert food_count() == before


def test_seed_applies_an_edited_data_file_and_keeps_app_edits_otherwise(runner, tmp_path, monkeypatch):
    folder = tmp_path / "foods"
    folder.mkdir()
    for path in data_module.FOODS_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(data_module, "FOODS_DIR", folder)
    target = sorted(folder.glob("*.yaml"))[0]
    rows = yaml.safe_load(target.read_text(encoding="utf-8"))
    slug, other = rows[0]["slug"], rows[1]["slug"]
    # An edit made in the app to another curated food must survive a re-seed.
    edited = store.stored_record(store.get_food(db.session, other))
    edited["synonyms"] = [*edited["synonyms"], "kitchen nickname"]
    store.upsert_records(db.session, store.records_of([edited], "edit"), data_module.vocabulary())
    rows[0]["portion"]["measure"] = "a changed measure"
    target.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")

    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated" in result.output
    db.session.expire_all()
    assert store.get_food(db.session, slug).portion_measure == "a changed measure"
    assert "kitchen nickname" in store.get_food(db.session, other).synonyms


def test_seed_refuses_bad_curated_data_whole(runner, tmp_path, monkeypatch):
    folder = tmp_path / "foods"
    folder.mkdir()
    (folder / "bad.yaml").write_text(yaml.safe_dump([food(slug="new-one", name="New one"), food(nova_group=9)]))
    monkeypatch.setattr(data_module, "FOODS_DIR", folder)
    before = food_count()
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 2  # Invalid
    assert "bad.yaml #2: nova_group" in result.output
    assert food_count() == before


def test_search_text_and_json(runner):
    result = runner.invoke(args=["foods", "search", "garbanzo"])
    assert result.exit_code == 0 and "chickpea" in result.output.lower()
    result = runner.invoke(args=["foods", "search", "yogurt", "--json"])
    payload = json.loads(result.output)
    assert payload["items"] and all("nutrients" in item for item in payload["items"])


def test_search_without_match_exits_non_zero(runner):
    result = runner.invoke(args=["foods", "search", "qwxzv"])
    assert result.exit_code == 3 and "no food matches" in result.output  # NotFound


def test_show_text_json_and_unknown(runner):
    slug = db.session.scalar(select(Food.slug).order_by(Food.slug))
    text = runner.invoke(args=["foods", "show", slug])
    assert text.exit_code == 0 and "per portion" in text.output and "source:" in text.output
    as_json = json.loads(runner.invoke(args=["foods", "show", slug, "--json"]).output)
    assert as_json == store.food_record(store.get_food(db.session, slug))
    missing = runner.invoke(args=["foods", "show", "no-such-food"])
    assert missing.exit_code == 3 and "no food with slug" in missing.output


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_round_trips(runner, tmp_path: Path, fmt):
    out = tmp_path / f"foods.{fmt}"
    result = runner.invoke(args=["foods", "export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    before = store.all_records(db.session)
    result = runner.invoke(args=["foods", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert f"0 created, 0 updated, {len(before)} unchanged" in result.output
    assert store.all_records(db.session) == before


def test_export_to_stdout_matches_api_shape(runner, client):
    exported = json.loads(runner.invoke(args=["foods", "export"]).output)
    slug = exported[0]["slug"]
    assert client.get(f"/api/v1/foods/{slug}").get_json() == exported[0]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(args=["foods", "export", "--format", "csv"]).output)))
    assert len(rows) == len(exported) and rows[0]["slug"] == slug


def test_import_creates_and_updates(runner, tmp_path: Path):
    path = tmp_path / "new.json"
    path.write_text(json.dumps([food()]))
    assert "1 created" in runner.invoke(args=["foods", "import", str(path)]).output
    path.write_text(json.dumps([food(portion={"measure": "a ladle"})]))
    assert "1 updated" in runner.invoke(args=["foods", "import", str(path)]).output
    assert store.get_food(db.session, "test-lentil").portion_measure == "a ladle"


def test_bad_import_is_rejected_whole_with_every_error(runner, tmp_path: Path):
    good = food()
    bad_one = food(slug="bad-one", name="Bad one", nutrients={"fibre_g": -1})
    bad_two = food(slug="bad-two", name="Bad two", category="rocks", aisle="garden")
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([good, bad_one, bad_two]))
    before = food_count()
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code == 2
    assert "record 2: nutrients.fibre_g" in result.output
    assert "record 3: category" in result.output and "record 3: aisle" in result.output
    assert "nothing was imported" in result.output
    assert food_count() == before and store.get_food(db.session, "test-lentil") is None


def test_bad_csv_reports_rows_and_columns(runner, tmp_path: Path):
    out = tmp_path / "foods.csv"
    runner.invoke(args=["foods", "export", "--format", "csv", "-o", str(out)])
    lines = out.read_text().splitlines()
    row = next(csv.DictReader(io.StringIO("\n".join([lines[0], lines[3]]))))
    row["fibre_g"], row["nova_group"] = "lots", "7"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=lines[0].split(","))
    writer.writeheader()
    writer.writerow(row)
    out.write_text(buffer.getvalue())
    result = runner.invoke(args=["foods", "import", str(out)])
    assert result.exit_code == 2
    assert "row 2: fibre_g: Must be a number." in result.output
    assert "row 2: nova_group" in result.output


def test_import_name_clash_with_existing_food(runner, tmp_path: Path):
    existing = db.session.scalar(select(Food).order_by(Food.slug))
    path = tmp_path / "clash.json"
    path.write_text(json.dumps([food(name=existing.name)]))
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code == 2 and f"already a name of '{existing.slug}'" in result.output


@pytest.mark.parametrize("name, content, message", [
    ("broken.json", "[{", "Not valid JSON"),
    ("object.json", '{"a": 1}', "Expected a JSON list"),
    ("empty.json", "[]", "no food records"),
    ("cols.csv", "name,colour\nx,y\n", "missing columns"),
    ("foods.txt", "hello", "Cannot tell the format"),
])
def test_unreadable_files_get_a_clear_message(runner, tmp_path: Path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(args=["foods", "import", str(path)])
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output


def test_import_missing_and_binary_files(runner, tmp_path: Path):
    assert runner.invoke(args=["foods", "import", str(tmp_path / "nope.json")]).exit_code == 1  # not a refusal
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = runner.invoke(args=["foods", "import", str(binary)])
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_plan_json_is_json_alone_on_standard_output(database, tmp_path: Path):
    """The real command in a fresh process, where HiGHS has not yet printed its banner: the first
    solver a process makes prints one on standard output from inside its constructor."""
    script = Path(sys.executable).with_name("planner")
    command = [str(script)] if script.is_file() else [sys.executable, "-c", "from planner.commands import main; main()"]
    env = {**os.environ, "DATABASE_URL": database, "SECRET_KEY": "a test key", "PLANNER_INSTANCE": str(tmp_path)}
    done = subprocess.run([*command, "plan", "--json", "--week-start", "2026-11-23"], capture_output=True, text=True,
                          timeout=300, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout)
    assert data["week_start"] == "2026-11-23" and len(data["days"]) == 7
