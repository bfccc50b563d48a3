"""`planner users ...`, `planner export-data` and `planner import-data`: accounts and backups
from the command line, run by whoever runs the server."""
from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from planner.accounts import backup, service
from planner.cli_output import emit, fail
from planner.data import vocabulary
from planner.extensions import db
from planner.models import Household, User
from planner.json_input import read_json
from planner.refused import Invalid, NotFound


users = click.Group("users", help="Accounts: make an admin, list accounts.")


@users.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="Admin", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="PLANNER_ADMIN_PASSWORD", help="Asked for when not given (or set PLANNER_ADMIN_PASSWORD).")
def create_admin(email: str, name: str, password: str) -> None:
    """Make an admin account (or make an existing account admin): admins edit the shared foods."""
    user = service.create_admin(db.session, email, name, password)
    click.echo(f"{user.email} is an admin, in {user.household.name}.")


@users.command("list")
def list_users() -> None:
    """Every account with its household."""
    for user in db.session.scalars(select(User).order_by(User.household_id, User.id)):
        role = " (admin)" if user.is_admin else ""
        click.echo(f"{user.email}\t{user.name}{role}\thousehold {user.household_id}: {user.household.name}")


def _household_of(member: str) -> Household:
    user = db.session.scalar(select(User).where(User.email == service.normal_email(member)))
    if user is None:
        raise NotFound(f"no account has the email {member}")
    return user.household


@click.command("export-data")
@click.option("--member", required=True, help="The email of any member of the household to back up.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
def export_data(member: str, output: Path | None) -> None:
    """Back up a household's profiles, plans, shopping lists and private foods as JSON."""
    document = backup.export_household(db.session, _household_of(member))
    emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", output,
         f"Wrote {len(document['plans'])} plans, {len(document['profiles'])} profiles and "
         f"{len(document['foods'])} private foods to {output}.")


@click.command("import-data")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--member", required=True, help="The email of a member of the household to restore into.")
def import_data(file: Path, member: str) -> None:
    """Restore a household backup into a member's household. A file with any problem is refused whole."""
    household = _household_of(member)
    try:
        document = read_json(file.read_text(encoding="utf-8"))
        counts = backup.import_household(db.session, document, household, vocabulary())
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Invalid(f"{file} is not valid UTF-8 JSON") from None
    except backup.BackupError as exc:
        raise backup.BackupError(f"{exc} Nothing was imported.") from None
    click.echo(f"Imported into {household.name}: {counts['plans']} plans, {counts['profiles']} profiles, "
               f"{counts['foods']} private foods, {counts.get('recipes', 0)} recipes of its own.")
