"""The CloudFront Function that maps /ocpp/<id> to the WebSocket stage, run with node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from infrastructure.build import FUNCTION_SOURCE, function_code

HARNESS = Path(__file__).with_name("run_cloudfront_function.js")

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _event(uri: str, querystring: dict | None = None, headers: dict | None = None) -> dict:
    return {
        "version": "1.0",
        "context": {"eventType": "viewer-request"},
        "viewer": {"ip": "192.0.2.1"},
        "request": {
            "method": "GET",
            "uri": uri,
            "querystring": querystring or {},
            "headers": {"host": {"value": "d111.cloudfront.net"}, **(headers or {})},
            "cookies": {},
        },
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Runs the code as the build inlines it (stage path substituted)."""
    source = tmp_path_factory.mktemp("cf") / "ocpp-rewrite.js"
    source.write_text(function_code("prodstage"))

    def _run(*events: dict) -> list[dict]:
        out = subprocess.run(
            ["node", str(HARNESS), str(source)],
            input=json.dumps(list(events)),
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        return json.loads(out.stdout)

    return _run


def test_id_in_path_goes_to_the_stage_with_the_id_in_the_query(run):
    # Given a charger configured with wss://host/ocpp and identity EVI00000013
    # When it opens wss://host/ocpp/EVI00000013
    [request] = run(_event("/ocpp/EVI00000013"))
    # Then the origin sees the stage path with the identity in the query string
    assert request["uri"] == "/prodstage"
    assert request["querystring"] == {"chargePointId": {"value": "EVI00000013"}}


def test_organization_and_id_in_path(run):
    [request] = run(_event("/ocpp/ACME/EVI00000013"))
    assert request["uri"] == "/prodstage"
    assert request["querystring"] == {
        "chargePointId": {"value": "EVI00000013"},
        "organization": {"value": "ACME"},
    }


def test_percent_encoded_id_is_decoded_and_trailing_slash_tolerated(run):
    [request] = run(_event("/ocpp/EVI%5F0001/"))
    assert request["querystring"]["chargePointId"] == {"value": "EVI_0001"}


def test_path_identity_replaces_what_the_query_claims(run):
    [request] = run(
        _event(
            "/ocpp/EVI00000013",
            querystring={
                "chargePointId": {"value": "OTHER"},
                "organization": {"value": "EVIL"},
                "keep": {"value": "1"},
            },
        )
    )
    assert request["querystring"] == {"chargePointId": {"value": "EVI00000013"}, "keep": {"value": "1"}}


def test_query_string_form_is_accepted_when_valid(run):
    [request] = run(_event("/ocpp", querystring={"chargePointId": {"value": "EVI00000013"}}))
    assert request["uri"] == "/prodstage"
    assert request["querystring"]["chargePointId"] == {"value": "EVI00000013"}


@pytest.mark.parametrize(
    "uri",
    [
        "/ocpp/EVI%2F0001",  # decodes to a slash
        "/ocpp/EVI.0001",
        "/ocpp/EVI%20001",
        "/ocpp/%E0%A4%A",  # malformed escape
        "/ocpp/ACME/EVI%00",
        "/ocpp/AC.ME/EVI00000013",
        "/ocpp//EVI00000013",
    ],
)
def test_bad_ids_are_refused_with_400(run, uri):
    [response] = run(_event(uri))
    assert response["statusCode"] == 400
    assert "uri" not in response


@pytest.mark.parametrize(
    "uri",
    ["/ocpp", "/ocpp/", "/ocpp/a/b/c", "/ocppx/EVI00000013", "/other/EVI00000013"],
)
def test_other_paths_are_refused_with_404(run, uri):
    [response] = run(_event(uri))
    assert response["statusCode"] == 404


def test_invalid_query_string_id_is_refused(run):
    [response] = run(_event("/ocpp", querystring={"chargePointId": {"value": "a b"}}))
    assert response["statusCode"] == 404


def test_authorization_is_copied_to_x_charger_authorization(run):
    basic = "Basic RVZJMDAwMDAwMTM6c2VjcmV0"
    [request] = run(_event("/ocpp/EVI00000013", headers={"authorization": {"value": basic}}))
    assert request["headers"]["x-charger-authorization"] == {"value": basic}
    assert request["headers"]["authorization"] == {"value": basic}


def test_x_charger_authorization_is_not_taken_from_the_client_without_authorization(run):
    [request] = run(_event("/ocpp/EVI00000013", headers={"x-charger-authorization": {"value": "Basic Zm9vOmJhcg=="}}))
    assert "x-charger-authorization" not in request["headers"]


def test_source_carries_the_default_stage_path_the_build_replaces():
    assert "var STAGE_PATH = '/api';" in FUNCTION_SOURCE.read_text()
    assert "var STAGE_PATH = '/prodstage';" in function_code("prodstage")
