"""`planner shopping-list`: a saved plan's list (or a profile's plans between two dates) as a file."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from planner.cli_output import emit
from planner.extensions import db
from planner.models import MAX_ID
from planner.shopping import service as shopping
from planner.shopping.exports import FORMATS as LIST_FORMATS
from planner.shopping.pdf import PAPERS


def _list_scope(plan_id: int | None, profile_id: int | None, start: str | None,
                end: str | None) -> shopping.Scope:
    if plan_id is not None and profile_id is None:
        return shopping.plan_scope(db.session, plan_id)
    if profile_id is not None and plan_id is None:
        first, last = shopping.parse_range(start, end)
        return shopping.range_scope(db.session, profile_id, first, last)
    raise click.UsageError("Give a PLAN_ID, or --profile with --start and --end.")


@click.command("shopping-list")
@click.argument("plan_id", type=click.IntRange(1, MAX_ID), required=False)
@click.option("--profile", "profile_id", type=click.IntRange(1, MAX_ID),
              help="A profile's plans between --start and --end.")
@click.option("--start", help="First day, YYYY-MM-DD (with --profile).")
@click.option("--end", help="Last day, YYYY-MM-DD (with --profile).")
@click.option("--format", "fmt", type=click.Choice(list(LIST_FORMATS)), default="txt", show_default=True)
@click.option("--paper", type=click.Choice(list(PAPERS)), help="PDF paper. Default: A4, or Letter for US units.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def shopping_list_command(plan_id: int | None, profile_id: int | None, start: str | None, end: str | None,
                          fmt: str, paper: str | None, output: Path | None) -> None:
    """The shopping list for a saved plan (or a profile's plans between two dates)."""
    scope = _list_scope(plan_id, profile_id, start, end)
    download = shopping.render(shopping.shopping_list(db.session, scope), fmt, paper)
    if output is None and fmt == "pdf" and sys.stdout.isatty():
        raise click.UsageError("a PDF is not for the terminal: add -o FILE")
    emit(download.content, output, f"Wrote the shopping list to {output}.")
