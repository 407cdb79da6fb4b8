"""The reports port's contract: sessions by organization and start time, jobs, multipart report files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.paging import InvalidCursor
from chalicelib.ports.records import NewSession, SessionClosed
from chalicelib.ports.reports import DONE, FAILED, MIN_PART_BYTES, RUNNING, ReportJob

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def add_session(store, transaction_id: int, org_id: str, started_at: datetime, energy_wh: float | None = 1000.0,
                station_id: str = "CP1", id_tag: str = "TAG", user_id: str | None = "u@x.fi") -> None:
    session = NewSession(transaction_id, org_id, station_id, 1, id_tag, user_id, "Accepted", started_at, 0.0, 22000.0, 0.0)
    store.records.create_session(session, started_at)
    if energy_wh is not None:
        store.records.close(org_id, station_id, SessionClosed(transaction_id, started_at + timedelta(hours=1), energy_wh, energy_wh))


def test_sessions_of_one_organization_in_a_half_open_range_oldest_first(store):
    add_session(store, 1, "ACME", T0 + timedelta(hours=2))
    add_session(store, 2, "ACME", T0)
    add_session(store, 3, "ACME", T0 + timedelta(days=1))  # = end: outside
    add_session(store, 4, "OTHER", T0 + timedelta(hours=1))
    add_session(store, 5, "ACME", T0 + timedelta(hours=3), energy_wh=None, station_id="CP2", id_tag="X", user_id=None)
    page = store.reports.sessions("ACME", T0, T0 + timedelta(days=1), 100, None)
    assert [s.transaction_id for s in page.items] == [2, 1, 5]
    assert page.cursor is None
    first = page.items[0]
    assert (first.station_id, first.connector_id, first.id_tag, first.user_id, first.state) == ("CP1", 1, "TAG", "u@x.fi", "Completed")
    assert first.started_at == T0 and first.stopped_at == T0 + timedelta(hours=1) and first.energy_wh == 1000.0
    active = page.items[2]
    assert (active.state, active.stopped_at, active.user_id, active.energy_wh) == ("Active", None, None, 0.0)


def test_sessions_page_through_a_cursor_of_their_own(store):
    for n in range(1, 8):
        add_session(store, n, "ACME", T0 + timedelta(minutes=n))
    seen, cursor = [], None
    while True:
        page = store.reports.sessions("ACME", T0, T0 + timedelta(days=1), 3, cursor)
        seen.extend(s.transaction_id for s in page.items)
        cursor = page.cursor
        if cursor is None:
            break
    assert seen == list(range(1, 8))
    first = store.reports.sessions("ACME", T0, T0 + timedelta(days=1), 3, None)
    with pytest.raises(InvalidCursor):
        store.reports.sessions("OTHER", T0, T0 + timedelta(days=1), 3, first.cursor)
    with pytest.raises(InvalidCursor):
        store.reports.sessions("ACME", T0, T0 + timedelta(days=1), 3, "not-a-cursor!")


def job(report_id: str, key: str = "sel") -> ReportJob:
    return ReportJob("ACME", report_id, key, {"from": "2026-03-01"}, "acme-admin", T0)


def test_a_running_selection_is_returned_instead_of_a_second_job(store):
    reports = store.reports
    first = reports.create_job(job("r1"))
    assert first.report_id == "r1"
    assert reports.create_job(job("r2")).report_id == "r1"
    assert reports.job("ACME", "r2") is None
    assert reports.create_job(job("r3", key="other")).report_id == "r3"
    first.state, first.rows_done, first.total_wh = DONE, 3, 1500.5
    reports.save_job(first)
    assert reports.job("ACME", "r1").total_wh == 1500.5 and reports.job("ACME", "r1").state == DONE
    assert reports.job("OTHER", "r1") is None
    again = reports.create_job(job("r4"))  # the first is over: a new job takes the selection
    assert again.report_id == "r4" and again.state == RUNNING


def test_a_failed_job_releases_its_selection(store):
    failed = store.reports.create_job(job("r1"))
    failed.state, failed.error = FAILED, "boom"
    store.reports.save_job(failed)
    assert store.reports.job("ACME", "r1").error == "boom"
    assert store.reports.create_job(job("r2")).report_id == "r2"


@pytest.fixture
def bucket(store):
    return store.reports  # moto_tables creates the reports bucket as the local stack does


def test_a_multipart_upload_becomes_one_object(bucket):
    upload = bucket.start_upload("ACME/r1.csv", "report.csv")
    big = b"a" * MIN_PART_BYTES
    parts = [[1, bucket.upload_part("ACME/r1.csv", upload, 1, big)], [2, bucket.upload_part("ACME/r1.csv", upload, 2, b"tail\n")]]
    assert bucket.read_object("ACME/r1.csv") is None
    bucket.complete_upload("ACME/r1.csv", upload, parts)
    assert bucket.read_object("ACME/r1.csv") == big + b"tail\n"
    assert "ACME/r1.csv" in bucket.download_url("ACME/r1.csv", 60)


def test_an_aborted_upload_leaves_no_object(bucket):
    upload = bucket.start_upload("ACME/r2.csv", "report.csv")
    bucket.upload_part("ACME/r2.csv", upload, 1, b"half")
    bucket.abort_upload("ACME/r2.csv", upload)
    assert bucket.read_object("ACME/r2.csv") is None


def test_a_table_made_before_the_index_gets_it_with_the_sessions_it_already_holds():
    from chalicelib.ports.registry import using
    from chalicelib.storage.models import TransactionItem
    from chalicelib.storage.store import dynamo_store
    from chalicelib.storage.tables import create_all_tables
    from tests.support import moto_tables

    with moto_tables(), using(dynamo_store()) as store:
        add_session(store, 1, "ACME", T0)
        client = TransactionItem._get_connection().connection.client
        client.update_table(TableName=TransactionItem.Meta.table_name,
                            GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-org-time"}}])
        create_all_tables()
        page = store.reports.sessions("ACME", T0, T0 + timedelta(days=1), 10, None)
        assert [s.transaction_id for s in page.items] == [1]
