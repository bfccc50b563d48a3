"""Every kind of refusal gets its HTTP status in planner.errors and its exit status in planner.commands."""
from __future__ import annotations

import click
import pytest
from flask import Flask

from conftest import make_app
from planner.commands import EXIT_CODES
from planner.errors import STATUS_OF
from planner.foods.store import RecordsRejected, RowError
from planner.refused import Conflict, Impossible, Invalid, NotFound, Refused, Throttled, TooLarge, Unavailable

KINDS = [(Invalid, 400, 2), (NotFound, 404, 3), (Conflict, 409, 4), (Impossible, 422, 5), (TooLarge, 413, 2),
         (Throttled, 429, 6), (Unavailable, 503, 7)]


def test_every_kind_has_a_status_and_an_exit_code():
    assert set(STATUS_OF) == set(EXIT_CODES) == {kind for kind, _, _ in KINDS}


@pytest.fixture
def refusing_app(database: str) -> Flask:
    """An app with a page, an API route and a command that raise the kind they are asked for."""
    app = make_app(database)
    kinds = {kind.__name__: kind for kind, _, _ in KINDS}

    def refuse(name: str) -> None:
        if name == "Throttled":
            raise Throttled("Wait a little.", retry_after=90)
        raise kinds[name](f"{name} says no.", {"field": "this one"} if name == "Invalid" else None)

    app.add_url_rule("/refuse/<name>", "refuse_page", refuse)
    app.add_url_rule("/api/v1/refuse/<name>", "refuse_api", refuse)
    app.cli.add_command(click.Command("refuse", callback=refuse, params=[click.Argument(["name"])]))
    return app


@pytest.mark.parametrize("kind, status, code", KINDS)
def test_a_refusal_answers_by_its_kind(refusing_app, kind, status, code):
    name = kind.__name__
    with refusing_app.app_context():
        client = refusing_app.test_client()
        api = client.get(f"/api/v1/refuse/{name}")
        assert api.status_code == status and api.get_json()["error"] in (f"{name} says no.", "Wait a little.")
        assert ("fields" in api.get_json()) == (kind is Invalid)
        page = client.get(f"/refuse/{name}")
        assert page.status_code == status and "<html" in page.get_data(as_text=True).lower()
        assert (api.headers.get("Retry-After"), page.headers.get("Retry-After")) == (("90", "90") if kind is Throttled
                                                                                 else (None, None))
        result = refusing_app.test_cli_runner().invoke(args=["refuse", name])
        assert result.exit_code == code and "Traceback" not in result.output
        assert result.output.startswith("error: ") and result.stdout == ""


def test_the_invalid_fields_are_listed(refusing_app):
    with refusing_app.app_context():
        assert refusing_app.test_client().get("/api/v1/refuse/Invalid").get_json()["fields"] == {"field": "this one"}
        assert "field: this one" in refusing_app.test_client().get("/refuse/Invalid").get_data(as_text=True)
        assert "  field: this one" in refusing_app.test_cli_runner().invoke(args=["refuse", "Invalid"]).stderr


def test_a_batch_of_rows_is_refused_with_a_field_per_row_and_field():
    rejected = RecordsRejected([RowError("record 2", "name", "Missing."), RowError("record 2", "name", "Too short."),
                                RowError("record 3", "aisle", "Unknown.")])
    assert isinstance(rejected, Invalid) and isinstance(rejected, Refused)
    assert rejected.fields == {"record 2: name": "Missing.; Too short.", "record 3: aisle": "Unknown."}
