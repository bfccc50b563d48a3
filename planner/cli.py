"""The `planner` command: Flask's CLI (run, db ...) bound to the app, plus our commands."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from planner.checker.restrictions import RestrictionsError, restrictions_from_json
from planner.checker.service import CheckRefused, run_check
from planner.cli_output import emit, fail
from planner.data import curated_food_records, curated_recipe_records, vocabulary
from planner.extensions import db
from planner.foods import exchange, present, store
from planner.foods.search import Filters
from planner.models import MAX_ID
from planner.plans import service as plans
from planner.plans.profile import ProfileError
from planner.plans.problem import PlanImpossible
from planner.recipes import store as recipe_store
from planner.shopping import service as shopping
from planner.shopping.exports import FORMATS as LIST_FORMATS
from planner.shopping.pdf import PAPERS


@click.command("seed")
def seed_command() -> None:
    """Load the curated foods and tags (safe to run again: unchanged rows stay as they are)."""
    try:
        report = store.upsert_records(db.session, curated_food_records(), vocabulary(), origin="curated")
    except store.RecordsRejected as rejected:
        for error in rejected.errors:
            click.echo(str(error), err=True)
        fail(f"curated data has {len(rejected.errors)} problem(s); nothing was seeded")
    try:
        recipes = recipe_store.seed_recipes(db.session, curated_recipe_records())
    except store.RecordsRejected as rejected:
        for error in rejected.errors:
            click.echo(str(error), err=True)
        fail(f"curated recipes have {len(rejected.errors)} problem(s); no recipe was seeded")
    click.echo(f"Seeded foods: {report}.")
    click.echo(f"Seeded recipes: {recipes}.")


foods = click.Group("foods", help="Search, show, import and export foods.")


@foods.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
def foods_search(query: str, as_json: bool, limit: int) -> None:
    """Find foods by name, synonym or a close spelling."""
    result = store.search_index(db.session).search(query, Filters())
    records = result.records[:limit]
    if as_json:
        click.echo(json.dumps({"query": query, "approximate": result.approximate, "total": result.total,
                               "items": records}, ensure_ascii=False, indent=2))
        return
    if not records:
        fail(f"no food matches '{query}'")
    if result.approximate:
        click.echo(f"No food matches every word of '{query}'; closest:")
    for record in records:
        click.echo(present.summary_line(record))


@foods.command("show")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON record.")
def foods_show(slug: str, as_json: bool) -> None:
    """Show one food by its slug."""
    food = store.get_food(db.session, slug)
    if food is None:
        hints = store.search_index(db.session).suggestions(slug.replace("-", " "), 3)
        hint = f" Did you mean: {', '.join(r['slug'] for r in hints)}?" if hints else ""
        fail(f"no food with slug '{slug}'.{hint}")
    record = store.food_record(food)
    click.echo(json.dumps(record, ensure_ascii=False, indent=2) if as_json else present.describe(record, vocabulary()))


@foods.command("export")
@click.option("--format", "fmt", type=click.Choice(exchange.FORMATS), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def foods_export(fmt: str, output: Path | None) -> None:
    """Export every food as JSON or CSV."""
    text = exchange.export(store.all_records(db.session), fmt)
    emit(text, output, f"Wrote {text.count(chr(10)) if fmt == 'csv' else len(json.loads(text))} foods to {output}.")


@foods.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(exchange.FORMATS), help="Default: from the file name.")
def foods_import(file: Path, fmt: str | None) -> None:
    """Create or update foods from a JSON or CSV export. A file with any bad row is refused whole."""
    try:
        fmt = exchange.format_of(file.name, fmt)
        text = file.read_text(encoding="utf-8")
        rows = exchange.parse(text, fmt)
        report = store.upsert_records(db.session, rows, vocabulary())
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text")
    except exchange.FileRejected as exc:
        fail(str(exc))
    except store.RecordsRejected as rejected:
        for error in rejected.errors:
            field = exchange.COLUMN_OF_PATH.get(error.field, error.field) if fmt == "csv" else error.field
            click.echo(f"{error.row}: {field}: {error.message}", err=True)
        fail(f"{len(rejected.errors)} problem(s) in {file}; nothing was imported")
    click.echo(f"Imported {file}: {report}.")


VERDICT_WORDS = {"recommended": "RECOMMENDED", "good": "GOOD", "limit": "LIMIT", "avoid": "AVOID",
                 "unknown": "NOT RECOGNISED"}


def _print_check(result: dict) -> None:
    subject = result["food"]["name"] if result["food"] else result["query"]
    personal = " for you" if result["personal"] else ""
    click.echo(f"{VERDICT_WORDS[result['verdict']]}{personal}: {subject}")
    if result["nova_group"]:
        click.echo(f"  NOVA group {result['nova_group']}: {present.NOVA_LABELS[result['nova_group']]}")
    for reason in result["reasons"]:
        click.echo(f"  - {reason['text']} {reason['why']} [{reason['source']}]")
    if result["kind"] == "trigger":
        click.echo("  Talk to your healthcare provider before changing any medicine or treatment.")
    for label, values in (("allergens", result["allergens"]), ("may contain", result["traces"]),
                          ("added sugars", result["added_sugars"]), ("sweeteners", result.get("sweeteners", []))):
        if values:
            click.echo(f"  {label}: {', '.join(values)}")
    for marker in result["markers"]:
        click.echo(f"  NOVA {marker['group']} marker '{marker['marker']}' in: {marker['text']}")
    if result["serving_note"]:
        click.echo(f"  {result['serving_note']}")
    if result["swaps"]:
        click.echo(f"  better swaps: {', '.join(s['name'] for s in result['swaps'])}")
    if result["verdict"] == "unknown":
        names = ", ".join(s["name"] for s in result["suggestions"])
        click.echo(f"  did you mean: {names}" if names else "  try another spelling, or check the label with --label")
    click.echo(f"  {result['disclaimer']}")


@click.command("check")
@click.argument("food", required=False)
@click.option("--label", "label_text", help="An ingredient list to check.")
@click.option("--label-file", type=click.Path(dir_okay=False, path_type=Path), help="A file holding an ingredient list.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON with allergens, excluded_foods and excluded_tags.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check_command(food: str | None, label_text: str | None, label_file: Path | None, profile_file: Path | None,
                  as_json: bool) -> None:
    """Is this food, drink or ingredient list OK for the gut? A verdict with reasons."""
    given = [v for v in (food, label_text, label_file) if v]
    if len(given) != 1:
        fail("give one of: a FOOD name, --label TEXT or --label-file FILE")
    try:
        profile = restrictions_from_json(profile_file.read_text(encoding="utf-8")) if profile_file else None
        if label_file:
            label_text = label_file.read_text(encoding="utf-8")
        text, mode = (food, "name") if food else (label_text, "label")
        result = run_check(text or "", store.search_index(db.session), profile, mode)
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    except UnicodeDecodeError:
        fail("the file is not UTF-8 text")
    except (RestrictionsError, CheckRefused) as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_check(result)


def _print_plan(data: dict) -> None:
    solver = data["solver"]
    gap = "" if solver["gap"] is None else f", gap {solver['gap']:.2%}"
    click.echo(f"Plan {data['id']} for the week of {data['week_start']} "
               f"({solver['status']} in {solver['seconds']:.2f} s{gap})")
    click.echo("Portions: " + ", ".join(f"{p['member']} {p['portion']:g}" for p in data["portions"])
               + f" = {data['servings_per_meal']:g} servings a meal")
    for day in data["days"]:
        per = day["per_adult_portion"]
        click.echo(f"\n{day['weekday']} {day['date']}  (adult portion: {per['energy_kcal']:.0f} kcal, "
                   f"fibre {per['fibre_g']:.1f} g, fermented {per['fermented_servings']:g})")
        for meal in day["meals"]:
            lock = " [locked]" if meal["locked"] else ""
            click.echo(f"  {meal['slot']:<10} {meal['recipe']['title']}{lock}")
    click.echo(f"\n{data['week']['distinct_plants']} different plants: {', '.join(data['week']['plants'])}")
    for target in data["week"]["targets"]:
        mark = "met" if target["met"] else "MISSED"
        click.echo(f"  [{mark}] {target['label']}: {target['actual']} of {target['target']} {target['unit']}"
                   + (f" - {target['why']}" if target.get("why") else ""))
    click.echo("Daily habits: " + "; ".join(h["text"] for h in data["habits"]))
    click.echo(data["disclaimer"])


@click.command("plan")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile profile JSON (members, allergens, diets, meals, targets ...).")
@click.option("--week-start", type=click.DateTime(formats=["%Y-%m-%d"]), help="First day, YYYY-MM-DD. Default: next Monday.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan_command(profile_file: Path | None, week_start: Any, as_json: bool) -> None:
    """Make and save a week of meals for a profile."""
    try:
        data = json.loads(profile_file.read_text(encoding="utf-8")) if profile_file else {}
        profile = plans.parse_profile(db.session, data)
        start = week_start.date() if week_start else plans.next_monday()
        row, plan = plans.create_plan(db.session, profile, start)
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        fail(f"{profile_file} is not valid UTF-8 JSON")
    except ProfileError as exc:
        fail("the profile has problems:\n" + "\n".join(f"  {k}: {v}" for k, v in exc.errors.items()))
    except PlanImpossible as exc:
        fail(str(exc))
    result = plans.payload(db.session, row, plan)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_plan(result)


def _list_scope(plan_id: int | None, profile_id: int | None, start: str | None,
                end: str | None) -> shopping.Scope:
    if (plan_id is None) == (profile_id is None):
        raise click.UsageError("Give a PLAN_ID, or --profile with --start and --end.")
    if plan_id is not None:
        return shopping.plan_scope(db.session, plan_id)
    first, last = shopping.parse_range(start, end)
    return shopping.range_scope(db.session, profile_id, first, last)


@click.command("shopping-list")
@click.argument("plan_id", type=click.IntRange(1, MAX_ID), required=False)
@click.option("--profile", "profile_id", type=click.IntRange(1, MAX_ID), help="A profile's plans between --start and --end.")
@click.option("--start", help="First day, YYYY-MM-DD (with --profile).")
@click.option("--end", help="Last day, YYYY-MM-DD (with --profile).")
@click.option("--format", "fmt", type=click.Choice(list(LIST_FORMATS)), default="txt", show_default=True)
@click.option("--paper", type=click.Choice(list(PAPERS)), help="PDF paper. Default: A4, or Letter for US units.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def shopping_list_command(plan_id: int | None, profile_id: int | None, start: str | None, end: str | None,
                          fmt: str, paper: str | None, output: Path | None) -> None:
    """The shopping list for a saved plan (or a profile's plans between two dates)."""
    try:
        scope = _list_scope(plan_id, profile_id, start, end)
    except (shopping.ListNotFound, shopping.RangeError) as exc:
        fail(str(exc))
    download = shopping.render(shopping.shopping_list(db.session, scope), fmt, paper)
    if output is None and fmt == "pdf" and sys.stdout.isatty():
        fail("a PDF is not for the terminal: add -o FILE")
    emit(download.content, output, f"Wrote the shopping list to {output}.")


def register_commands(app: Flask) -> None:
    from planner.accounts.commands import export_data, import_data, users

    app.cli.add_command(users)
    app.cli.add_command(export_data)
    app.cli.add_command(import_data)
    app.cli.add_command(seed_command)
    app.cli.add_command(foods)
    app.cli.add_command(check_command)
    app.cli.add_command(plan_command)
    app.cli.add_command(shopping_list_command)


def _create_app() -> Flask:
    from planner import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, help="Gut Planner: foods, checks, plans and shopping lists.")


def main() -> None:
    cli.main(prog_name="planner")
