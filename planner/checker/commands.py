"""`planner check`: is this food, drink or ingredient list OK for the gut?"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from planner import catalog
from planner.checker.restrictions import Restrictions, restrictions_from_json
from planner.checker.service import run_check
from planner.cli_output import fail
from planner.extensions import db
from planner.foods import present
from planner.refused import Invalid

VERDICT_WORDS = {"recommended": "RECOMMENDED", "good": "GOOD", "limit": "LIMIT", "avoid": "AVOID",
                 "ask": "ASK YOUR HEALTHCARE PROVIDER", "unknown": "NOT RECOGNISED", "depends": "IT DEPENDS"}


def _print_check(result: dict) -> None:
    subject = result["food"]["name"] if result["food"] else result["query"]
    personal = " for you" if result["personal"] else " in pregnancy" if result.get("in_pregnancy") else ""
    click.echo(f"{VERDICT_WORDS[result['verdict']]}{personal}: {subject}")
    for variant in result.get("variants", []):
        click.echo(f"  {VERDICT_WORDS[variant['verdict']]}: {variant['food']['name']}"
                   + (f" ({variant['why']})" if variant["why"] else ""))
    if result["nova_group"]:
        click.echo(f"  NOVA group {result['nova_group']}: {present.NOVA_LABELS[result['nova_group']]}")
    for reason in result["reasons"]:  # + counts for the food, - against it
        sign = {"for": "+", "against": "-"}.get(reason.get("counts", ""), "*")
        click.echo(f"  {sign} {reason['text']} {reason['why']} [{reason['source']}]")
    if result["kind"] == "medicine":
        click.echo(f"  {result['medicine_note']}")
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
@click.option("--label-file", type=click.Path(dir_okay=False, path_type=Path),
              help="A file holding an ingredient list.")
@click.option("--profile", "profile_file", type=click.Path(dir_okay=False, path_type=Path),
              help="JSON with allergens, excluded_foods, excluded_tags and pregnant (or a plan profile).")
@click.option("--pregnant", is_flag=True, help="Check for someone pregnant (the NHS and FDA lists apply).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check_command(food: str | None, label_text: str | None, label_file: Path | None, profile_file: Path | None,
                  pregnant: bool, as_json: bool) -> None:
    """Is this food, drink or ingredient list OK for the gut? A verdict with reasons."""
    given = [v for v in (food, label_text, label_file) if v]
    if len(given) != 1:
        raise click.UsageError("give one of: a FOOD name, --label TEXT or --label-file FILE")
    try:
        profile = restrictions_from_json(profile_file.read_text(encoding="utf-8")) if profile_file else None
        if pregnant:
            profile = replace(profile or Restrictions(), pregnant=True)
        if label_file:
            label_text = label_file.read_text(encoding="utf-8")
        text, mode = (food, "name") if food else (label_text, "label")
        result = run_check(text or "", catalog.load(db.session).index, profile, mode)
    except OSError as exc:
        fail(f"cannot read {exc.filename}: {exc.strerror}")
    except UnicodeDecodeError:
        raise Invalid("the file is not UTF-8 text") from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_check(result)
