"""Schemathesis against /openapi.json: no 5xx, no answer that breaks the schema.

100 examples per operation run in CI, with Hypothesis health checks on; set
SCHEMATHESIS_EXAMPLES (e.g. 500) for a longer run — see docs/server.md.
The event stream is left out: it never ends by design (test_sse covers it).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app.domain.permissions import Role
from server.app import create_app
from server.settings import Settings

PUBLIC = {"/health", "/v1/auth/login"}

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "100"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def fuzz_target(module_server):
    desk = module_server.desk("Fuzzed desk")
    tokens = {"desk": desk.token, "admin": module_server.tokens[Role.ADMIN]}
    return module_server, tokens


def operations():
    # Only to name the tests: building the app connects to nothing.
    app = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1/none"))
    return [
        (method.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        for method in ops
        if path != "/v1/sync/events"
    ]


@pytest.mark.parametrize(("method", "path"), operations())
def test_no_operation_answers_with_a_server_error_or_off_schema(fuzz_target, method, path):
    server, tokens = fuzz_target
    operation = schemathesis.openapi.from_asgi("/openapi.json", server.app)[path][method]
    who = "desk" if path.startswith(("/v1/sync", "/v1/holds", "/v1/conflicts")) else "admin"
    headers = {} if path in PUBLIC else {"Authorization": f"Bearer {tokens[who]}"}

    @given(case=operation.as_strategy())
    # Health checks stay on: a strategy that filters too much or data too large would
    # quietly test less than EXAMPLES cases.
    @settings(max_examples=EXAMPLES, deadline=None, database=None)
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
