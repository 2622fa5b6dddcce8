"""Property-based run of the served OpenAPI document (Schemathesis): generated requests for every
operation, valid and invalid, with the API token; no answer may be a server error (5xx), and answers
must match the documented status codes, content types and schemas. Bounded: a few dozen examples per
operation against a loopback server.

(Schemathesis' own pytest plugin does not load under pytest 9 here, so each operation is driven with
its Hypothesis strategy directly.)"""
from __future__ import annotations

import pytest

import schemathesis
from schemathesis import checks  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from serve_helpers import TOKEN, running_server  # noqa: E402

from ecvet_credentials.serve.openapi import document  # noqa: E402

# Not positive_data_acceptance: a schema-valid body (e.g. an empty credential object) is rightly refused
# when it is not a verifiable credential; JSON Schema cannot say "signed and genuine".
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]
OPERATIONS = [(path, method) for path, item in document()["paths"].items() for method in item]
EXAMPLES = 40


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    # generic enabled: generated credentials then reach the VC 2.0 structure and JSON-LD checks
    with running_server(tmp_path_factory.mktemp("schemathesis-home"), request_timeout=20.0,
                        profiles=("ecvet", "generic")) as srv:
        yield schemathesis.openapi.from_url(srv.url + "/openapi.json")


# A string path parameter has no invalid form: negative generation only where there is a body.
RUNS = [(p, m, mode) for p, m in OPERATIONS for mode in ("positive", "negative")
        if mode == "positive" or "requestBody" in document()["paths"][p][m]]


@pytest.mark.parametrize("path,method,mode", RUNS, ids=[f"{m.upper()} {p} {mode}" for p, m, mode in RUNS])
def test_no_server_errors(api_schema, path, method, mode):
    operation = api_schema[path][method.upper()]
    seen = []

    @given(case=operation.as_strategy(schemathesis.GenerationMode(mode)))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
        seen.append(response.status_code)
        assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
        case.validate_response(response, checks=CHECKS)

    run()
    assert seen and all(s < 500 for s in seen)
