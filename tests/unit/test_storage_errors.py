"""Storage failures leave storage as chalicelib.ports.errors types; the REST pipeline maps them to the same codes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from pynamodb.exceptions import DoesNotExist, GetError, PutError

from chalicelib.api import routing
from chalicelib.ports.errors import ConditionFailed, NotFound, StorageUnavailable
from chalicelib.storage.errors import translate, translated


def _client_error(code: str, operation: str = "PutItem") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, operation)


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (DoesNotExist(), NotFound),
        (PutError("Failed to put item", _client_error("ConditionalCheckFailedException")), ConditionFailed),
        (
            GetError("Failed to get item", _client_error("ProvisionedThroughputExceededException", "GetItem")),
            StorageUnavailable,
        ),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), StorageUnavailable),
        (_client_error("TransactionCanceledException", "TransactWriteItems"), ConditionFailed),
    ],
)
def test_translate_gives_the_ports_error(raised, expected):
    assert type(translate(raised)) is expected
    with pytest.raises(expected):
        with translated():
            raise raised


def test_every_dynamodb_call_turns_failures_into_storage_unavailable_but_keeps_conditions(aws):
    from chalicelib.storage.models import CounterItem, OrganizationItem

    # Given a conditional write that loses: still PynamoDB's PutError for the storage code inspecting it
    OrganizationItem("ACME", name="Acme").save()
    with pytest.raises(PutError) as lost:
        OrganizationItem("ACME", name="Other").save(condition=OrganizationItem.org_id.does_not_exist())
    assert lost.value.cause_response_code == "ConditionalCheckFailedException"
    # And a missing item: still the model's DoesNotExist
    with pytest.raises(DoesNotExist):
        OrganizationItem.get("NOBODY")
    # When the table is gone (DynamoDB answers an error every retry)
    CounterItem.delete_table()
    # Then the call leaves storage as StorageUnavailable, its cause kept
    with pytest.raises(StorageUnavailable, match="ResourceNotFoundException") as failed:
        CounterItem.get("tx")
    assert isinstance(failed.value.__cause__, GetError)


def _request():
    return SimpleNamespace(context={"requestId": "req-1"}, headers={}, query_params=None, raw_body=b"")


@pytest.mark.parametrize(
    ("raised", "status", "code"),
    [
        (StorageUnavailable("throttled"), 503, routing.CODE_STORAGE),
        (DoesNotExist(), 503, routing.CODE_STORAGE),  # untranslated PynamoDB errors keep their code
        (_client_error("MessageRejected", "SendEmail"), 503, routing.CODE_AWS),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), 503, routing.CODE_AWS),
        (RuntimeError("bug"), 500, routing.CODE_UNEXPECTED),
    ],
)
def test_the_pipeline_maps_failures_to_error_nn(raised, status, code):
    def handler(ctx):
        raise raised

    route = routing.Route("GET", "/api/v1/test-failure", handler, "test", "test", access=routing.PUBLIC)
    answer = routing.dispatch(route, _request(), {})
    assert answer == (status, {"message": routing.ERROR_TEXT.format(code=code), "request_id": "req-1", "code": code})


def test_the_installed_store_recognises_its_own_exceptions_for_the_edges():
    from chalicelib.memstore import memory_store
    from chalicelib.storage.store import dynamo_store

    dynamodb, memory = dynamo_store(), memory_store()
    assert type(dynamodb.storage_error(DoesNotExist())) is NotFound
    assert dynamodb.storage_error(RuntimeError("bug")) is None
    assert dynamodb.storage_error(_client_error("Throttling", "SendEmail")) is None  # AWS, not storage: Error #11
    unavailable = StorageUnavailable("down")
    assert memory.storage_error(unavailable) is unavailable and memory.storage_error(DoesNotExist()) is None
