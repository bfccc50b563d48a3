"""The API against its own OpenAPI document, by schemathesis: generated requests to every
operation, valid and not, never get a 5xx, and every error is JSON with a message."""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, settings

from conftest import MEMBER, make_app, user
from test_barcodes import off  # noqa: F401  (a fixture: recorded Open Food Facts answers on loopback)
from planner.accounts import service as accounts
from planner.extensions import db

EXAMPLES = 25  # per operation: bounded, so the whole run takes about a minute


@pytest.fixture
def app(database, off):
    """The app with Open Food Facts served from loopback, so barcodes get real answers."""
    made = make_app(database, OFF_BASE_URL=off)
    with made.app_context():
        yield made


@pytest.fixture
def api_schema(app):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    loaded.config.generation.update(modes=list(GenerationMode))  # valid requests and broken ones
    return loaded


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def token(app) -> str:
    return accounts.create_token(db.session, user(MEMBER), "schemathesis").secret


def test_the_document_names_every_api_route(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:", "{").replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == set(document["paths"])


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
def test_no_request_gets_a_server_error(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
    if response.status_code >= 400:
        try:
            body = response.json()
        except ValueError:
            body = None
        assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], response.status_code
