"""`planner plan`: make and save a week of meals for a profile."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from planner.cli_output import fail
from planner.extensions import db
from planner.plans import service as plans
from planner.json_input import read_json
from planner.refused import Invalid


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
              help="Profile JSON (members, allergens, diets, meals, targets ...).")
@click.option("--week-start", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day, YYYY-MM-DD. Default: next Monday.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def plan_command(profile_file: Path | None, week_start: Any, as_json: bool) -> None:
    """Make and save a week of meals for a profile."""
    try:
        data = read_json(profile_file.read_text(encoding="utf-8")) if profile_file else {}
        profile = plans.parse_profile(db.session, data)
        start = week_start.date() if week_start else plans.next_monday()
        row, plan = plans.create_plan(db.session, profile, start)
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid(f"{profile_file} is not valid UTF-8 JSON") from None
    result = plans.payload(db.session, row, plan)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_plan(result)
