"""Schemathesis against the API's own OpenAPI document, in-process (WSGI): no 500 and every
response matches its declared schema, status and content type, for a visitor and for a
token with the write scope. Bounded and derandomised, like the route fuzz."""

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from forum.services import tokens
from tests.conftest import _settle_test_session
from tests.factories import make_answer, make_expert, make_project, make_thread, make_topic

MAX_EXAMPLES = 8
# Left out: "a schema-valid request is accepted". A schema cannot say which cursors the
# server signed, which slugs and ids exist, or whether the rulebook lets this person answer;
# those are 400/404/422 problem details by design. Every other check runs (no 500, status
# codes, content types, headers and bodies as declared).


def _isolated(app: Flask):
    """Each call in an app context of its own (as IsolatedClient does), so g and the
    database session do not carry over from one request to the next."""
    def wsgi(environ, start_response):
        _settle_test_session()
        with app.app_context():
            return list(app(environ, start_response))
    return wsgi


@pytest.fixture
def api_schema(app):
    topic = make_topic(slug="arbeitszeit")
    project = make_project(topics=[topic], slug="agilkom")
    expert = make_expert(topics=[topic], profile_public=True)
    thread = make_thread(project.board, make_expert())
    make_answer(thread, expert)
    app.extensions["api_test_token"] = tokens.create(expert, "Schemathesis",
                                                     [tokens.READ, tokens.WRITE]).secret
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _isolated(app))


SETTINGS = settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
                    database=None, suppress_health_check=list(HealthCheck))


def _run_every_operation(schema, headers: dict) -> list[str]:
    """Each operation of the document with generated cases (schemathesis' pytest plugin,
    `from_fixture`, does not run on pytest 9: it reads a private attribute of the node)."""
    done = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @SETTINGS
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()
        done.append(operation.label)
    return done


def test_api_as_visitor_matches_its_document(api_schema):
    done = _run_every_operation(api_schema, {})
    assert "GET /api/v1/threads" in done and "POST /api/v1/threads" in done


def test_api_with_token_matches_its_document(api_schema, app):
    _run_every_operation(api_schema, {
        "Authorization": f"Bearer {app.extensions['api_test_token']}"})
