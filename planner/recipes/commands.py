"""`planner recipes import URL|FILE`: read a recipe page, text file or export into a household's own recipes."""
from __future__ import annotations

from pathlib import Path

import click

from planner.cli_output import fail
from planner.extensions import db
from planner.models import Household
from planner.recipes import service
from planner.recipes.importing import FetchRules
from planner.recipes.own import IngredientLine

MAX_FILE_BYTES = 20 * 1024 * 1024


@click.group("recipes")
def recipes() -> None:
    """A household's own recipes."""


@recipes.command("import")
@click.argument("source")
@click.option("--household", "household_id", type=int, required=True, help="The household's number (planner users).")
@click.option("--allow-private", is_flag=True, help="Allow addresses on this machine or the local network.")
def import_command(source: str, household_id: int, allow_private: bool) -> None:
    """Import a recipe from a web address, a text file, a schema.org JSON file or a Mealie/Tandoor export."""
    if db.session.get(Household, household_id) is None:
        fail(f"there is no household {household_id}")
    if source.startswith(("http://", "https://")):
        found = service.imported(url=source, rules=FetchRules(allow_private=allow_private))
    else:
        path = Path(source)
        if not path.is_file():
            fail(f"{source}: no such file (give a web address starting with http:// or https://, or a file)")
        if path.stat().st_size > MAX_FILE_BYTES:
            fail(f"{source}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
        if path.suffix.lower() in (".txt", ".md", ".text"):
            found = service.imported(text=data.decode("utf-8", errors="replace"))
        else:
            found = service.imported(file=(path.name, data))
    saved = service.create_many(db.session, household_id, found)
    for recipe in saved.created:
        lines = recipe.lines or []
        unsure = sum(1 for line in lines if IngredientLine.from_dict(line).needs_choice)
        click.echo(f"{recipe.slug}: {recipe.title} ({len(lines)} lines"
                   + (f", {unsure} to check on its page)" if unsure else ")"))
    for why in saved.refused:
        click.echo(f"not imported: {why}", err=True)
    if not saved.created:
        fail("nothing was imported")
