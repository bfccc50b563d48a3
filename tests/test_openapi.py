"""The API against its own OpenAPI document, by schemathesis: generated requests to every
operation, valid and not, never get a 5xx, and every error is JSON with a message.

Strategies are drawn per operation with Hypothesis directly, not through schemathesis' pytest
plugin, so the run does not depend on pytest's internals."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from conftest import MEMBER, make_app, user
from planner.accounts import service as accounts
from planner.extensions import db
from test_barcodes import off  # noqa: F401  (a fixture: recorded Open Food Facts answers on loopback)

EXAMPLES = 25  # per operation and mode: bounded, so the whole run takes about a minute


@pytest.fixture
def app(database, off):  # noqa: F811 (the fixture imported above)
    """The app with Open Food Facts served from loopback, so barcodes get real answers."""
    made = make_app(database, OFF_BASE_URL=off)
    with made.app_context():
        yield made


def test_the_document_names_every_api_route(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == set(document["paths"])


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_request_gets_a_server_error(app, mode):
    token = accounts.create_token(db.session, user(MEMBER), "schemathesis").secret
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def answers_cleanly(case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = None
                assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], \
                    (case.method, case.formatted_path, response.status_code)

        try:
            answers_cleanly()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE, operation.label  # nothing in it can be broken
