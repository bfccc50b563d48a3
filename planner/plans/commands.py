"""`planner plan`: make and save a week of meals for a profile."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from planner import catalog
from planner.cli_output import fail
from planner.models import Household
from planner.plans.ratings import RATINGS, rate
from planner.plans.words import meanings
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
            left = meal.get("leftovers_of")
            made = f" (leftovers of {left['weekday']}'s {left['meal']})" if left else ""
            sides = "".join(f" + {side['title']}" for side in meal.get("sides", []))
            click.echo(f"  {meal['slot']:<10} {meal['recipe']['title']}{made}{sides}{lock}")
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


@click.command("rate")
@click.argument("recipe")
@click.option("--household", "household_id", type=int, required=True, help="The household's number (planner users).")
@click.option("--member", required=True, help="The member's name, as in the household's profiles.")
@click.option("--rating", type=click.Choice(["love", "fine", "never", ""]), required=True,
              help="love (comes back more), fine, never (never planned for their meals), or '' to clear it.")
def rate_command(recipe: str, household_id: int, member: str, rating: str) -> None:
    """Rate a dish for one member of a household."""
    if db.session.get(Household, household_id) is None:
        fail(f"there is no household {household_id}")
    if recipe not in catalog.load(db.session, household_id).dish_map:
        fail(f"there is no recipe '{recipe}'")
    name, given = rate(db.session, household_id, member, recipe, rating)
    click.echo(f"{name}: {recipe} is now {RATINGS.get(given, 'not rated')}.")


@click.command("words")
@click.argument("words", nargs=-1, required=True)
def words_command(words: tuple[str, ...]) -> None:
    """What words for foods mean when excluded or disliked ("mushrooms", "fish", "spicy")."""
    library = catalog.load(db.session, None)
    for found in meanings(words, library.foods, library.names):
        if found.kind == "unknown":
            hint = f" Did you mean: {', '.join(found.suggestions)}?" if found.suggestions else ""
            click.echo(f"{found.word}: not known.{hint}")
        else:
            names = ", ".join(library.foods[slug]["name"] for slug in found.foods)
            click.echo(f"{found.word}: {found.label} - {names}")
