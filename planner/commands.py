"""The `planner` command: Flask's CLI (run, db ...) bound to the app, plus each feature's commands,
registered here. Here too a refusal (planner.refused) becomes its exit status, in one place:
a command raises the kind and never picks a number."""
from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

from planner.cli_output import complain
from planner.home_network import home_network
from planner.refused import Conflict, Impossible, Invalid, NotFound, Refused, Throttled, TooLarge, Unavailable, by_kind

# 1 is left to failures that are no refusal (a file that cannot be read or written); 2 is also
# click's own status for a usage error.
EXIT_CODES: dict[type[Refused], int] = {Invalid: 2, NotFound: 3, Conflict: 4, Impossible: 5, TooLarge: 2, Throttled: 6,
                                        Unavailable: 7}


def exit_code(refused: Refused) -> int:
    """The status of the nearest kind the exception is (a bare Refused is an Invalid)."""
    return by_kind(refused, EXIT_CODES, EXIT_CODES[Invalid])


class ExitsByKind(click.Group):
    """A group whose commands, nested or not, end a refusal with its message and its kind's status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Refused as refused:
            complain(refused.message, refused.fields)
            ctx.exit(exit_code(refused))


class AppCommands(ExitsByKind, AppGroup):
    """The app's own command group (app.cli), which Flask's test runner invokes directly."""


class PlannerCommand(ExitsByKind, FlaskGroup):
    """`planner`: it finds the commands in app.cli but runs them itself, so it maps refusals too."""


def register_commands(app: Flask) -> None:
    from planner.accounts.commands import export_data, import_data, users
    from planner.checker.commands import check_command
    from planner.data.commands import seed_command
    from planner.foods.commands import foods
    from planner.plans.commands import plan_command, rate_command, words_command
    from planner.recipes.commands import recipes
    from planner.shopping.commands import shopping_list_command

    group = AppCommands(app.cli.name)
    group.commands.update(app.cli.commands)  # what extensions (flask db) added before
    app.cli = group
    for command in (users, export_data, import_data, seed_command, foods, check_command, plan_command,
                    rate_command, words_command, shopping_list_command, recipes):
        group.add_command(command)


def _create_app() -> Flask:
    from planner import create_app

    return create_app()


cli = PlannerCommand(create_app=_create_app, help="Gut Planner: foods, checks, plans and shopping lists.")
cli.add_command(home_network)  # on the group itself, not app.cli: it runs without loading the app


def main() -> None:
    cli.main(prog_name="planner")
