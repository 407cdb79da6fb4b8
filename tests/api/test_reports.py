"""Charging reports over REST: totals against hand-computed fixtures, every filter, domains, time zones, CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.ports.records import NewSession, SessionClosed

V1 = "/api/v1/reports"
SCROOGE, DONALD = "scrooge@duckburg.com", "dduck@duckburg.com"
# ACME is in Europe/Helsinki: summer time starts 2026-03-29 at 03:00 local (01:00 UTC), +02:00 -> +03:00.
SESSIONS = [
    # id, start (UTC), station, connector, idTag, user, Wh
    (1, datetime(2026, 3, 28, 21, 30, tzinfo=UTC), "EVI00000013", 1, "12345678", SCROOGE, 6090),  # 28th 23:30 +02
    (2, datetime(2026, 3, 28, 22, 30, tzinfo=UTC), "EVI00000014", 2, "DD01", DONALD, 150),  # 29th 00:30 +02
    (3, datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "EVI00000015", 1, "FREE", None, 3340),  # 29th 04:30 +03: free charging
    (4, datetime(2026, 3, 29, 20, 59, tzinfo=UTC), "EVI00000017", 1, "12345678", SCROOGE, 3800),  # 29th 23:59 +03
    (5, datetime(2026, 3, 29, 21, 0, tzinfo=UTC), "EVI00000013", 1, "12345678", SCROOGE, 1000),  # 30th 00:00 +03
]
ALL_DAYS = {"from": "2026-03-28", "to": "2026-03-29"}


def _session(org_id, transaction_id, start, station_id, connector, tag, user, wh, minutes=45, close=True):
    from chalicelib.ports.registry import store

    records = store().records
    records.create_session(NewSession(transaction_id, org_id, station_id, connector, tag, user, "Accepted", start, 0.0, 22000.0, 0.0), start)
    if close:
        records.close(org_id, station_id, SessionClosed(transaction_id, start + timedelta(minutes=minutes), wh, wh))


@pytest.fixture
def charged(world):
    token = {"token_id": "DD01", "name": "=HYPERLINK(\"http://evil\")"}  # a formula a spreadsheet would run
    assert world.admin.post(f"/api/v1/charging-users/{DONALD}/tokens", token).status == 201
    for row in SESSIONS:
        _session("ACME", *row)
    _session("ACME", 6, datetime(2026, 3, 29, 10, tzinfo=UTC), "EVI00000016", 1, "12345678", SCROOGE, 999, close=False)
    _session("GLOBEX", 7, datetime(2026, 3, 29, 10, tzinfo=UTC), "GLX-1", 1, "12345678", None, 5000)
    return world


def _report(client, **body):
    started = client.post(V1, {**ALL_DAYS, **body})
    assert started.status == 202, started
    report = client.get(f"{V1}/{started.body['report_id']}")
    assert report.status == 200, report
    return report.body


def _rows(client, report_id, limit=50):
    rows, cursor = [], None
    while True:
        reply = client.get(f"{V1}/{report_id}/rows?limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert reply.status == 200, reply
        rows.extend(reply.body["rows"])
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return rows


def _csv(report):
    from chalicelib.ports.registry import store

    job = store().reports.job("ACME", report["report_id"])
    assert job.object_key in report["download_url"]
    data = store().reports.read_object(job.object_key)
    assert data is not None
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if text.splitlines()[0].count(";") > 3 else ","))


def test_a_small_report_is_done_at_once_with_hand_computed_totals(charged):
    report = _report(charged.admin)
    assert (report["state"], report["session_count"], report["total_kwh"]) == ("Done", 4, 13.38)  # 6.09+0.15+3.34+3.80
    assert (report["rows_done"], report["estimate"], report["error"]) == (4, 4, None)
    assert report["timezone"] == "Europe/Helsinki"
    assert report["file_name"] == "charging-report_ACME_2026-03-28_2026-03-29_Europe-Helsinki.csv"
    assert report["download_url"].startswith("https://") and "X-Amz-Signature=" in report["download_url"]
    one_day = _report(charged.admin, **{"from": "2026-03-29", "to": "2026-03-29"})
    assert (one_day["session_count"], one_day["total_kwh"]) == (3, 7.29)  # sessions 2, 3, 4: local days, not UTC ones


def test_show_data_rows_carry_the_manuals_columns_and_the_offset_of_their_moment(charged):
    report = _report(charged.admin)
    rows = _rows(charged.admin, report["report_id"], limit=3)
    assert [r["station_id"] for r in rows] == ["EVI00000013", "EVI00000014", "EVI00000015", "EVI00000017"]
    first, second, free = rows[0], rows[1], rows[2]
    assert first == {
        "charging_user": "Scrooge McDuck", "token_name": "Scrooge's home charger", "charging_station": "EVI00000013",
        "charging_point": 1, "kwh": 6.09, "start": "2026-03-28T23:30:00+02:00", "end": "2026-03-29T00:15:00+02:00",
        "token_id": "12345678", "station_id": "EVI00000013", "duration_s": 2700,
    }
    assert (second["start"], second["end"]) == ("2026-03-29T00:30:00+02:00", "2026-03-29T01:15:00+02:00")
    assert (free["charging_user"], free["token_name"], free["start"]) == ("", "", "2026-03-29T04:30:00+03:00")


def test_the_csv_has_offsets_dots_the_chosen_delimiter_and_no_formula(charged):
    lines = _csv(_report(charged.admin, delimiter=";"))
    assert lines[0][:7] == ["Charging user", "Token name", "Charging station", "Charging point", "Charging volume (kWh)",
                            "Start date & time", "End date & time"]
    assert lines[0][7:] == ["Token id", "Station identifier", "Duration (h:mm:ss)"]
    donald = lines[2]
    assert donald == ["Donald Duck", "'=HYPERLINK(\"http://evil\")", "EVI00000014", "2", "0.150",
                      "2026-03-29T00:30:00+02:00", "2026-03-29T01:15:00+02:00", "DD01", "EVI00000014", "0:45:00"]
    assert [line[4] for line in lines[1:]] == ["6.090", "0.150", "3.340", "3.800"]
    assert [line[5][-6:] for line in lines[1:]] == ["+02:00", "+02:00", "+03:00", "+03:00"]
    assert _csv(_report(charged.admin))[1][4] == "6.090"  # comma-separated by default


@pytest.mark.parametrize(("body", "expected", "kwh"), [
    ({"token_ids": ["12345678"]}, [1, 4], 9.89),
    ({"charging_user_ids": [DONALD]}, [2], 0.15),
    ({"user_group_ids": ["<duckburg>"]}, [1, 2, 4], 10.04),  # members only: no free charging
    ({"group_ids": ["<pine>"]}, [1, 2], 6.24),
    ({"group_ids": ["<root>"]}, [1, 2, 3, 4], 13.38),  # a group's subtree
    ({"station_ids": ["EVI00000015"]}, [3], 3.34),
    ({"points": [{"station_id": "EVI00000014", "point": 2}]}, [2], 0.15),
    ({"points": [{"station_id": "EVI00000014", "point": 1}]}, [], 0.0),
    ({"group_ids": ["<pine>"], "token_ids": ["12345678"]}, [1], 6.09),
    ({"station_ids": ["EVI00000015"], "group_ids": ["<pine>"], "charging_user_ids": [SCROOGE], "token_ids": ["DD01"]}, [1, 2], 6.24),
])
def test_each_filter_alone_and_combined(charged, body, expected, kwh):
    from chalicelib.ports.registry import store

    names = {"<pine>": charged.groups["ACME Pine Mall"].group_id, "<root>": charged.groups["ACME Shopping Malls"].group_id}
    duckburg = store().users.user_groups_page("ACME", 10, None, None).items[0]
    names["<duckburg>"] = duckburg.user_group_id
    body = {k: [names.get(v, v) if isinstance(v, str) else v for v in values] for k, values in body.items()}
    report = _report(charged.admin, **body)
    starts = {row[1].isoformat(): row[0] for row in [(s[0], s[1]) for s in SESSIONS]}
    rows = _rows(charged.admin, report["report_id"])
    ids = [starts[datetime.fromisoformat(r["start"]).astimezone(UTC).isoformat()] for r in rows]
    assert (ids, report["session_count"], report["total_kwh"]) == (expected, len(expected), kwh)


def test_a_basic_operator_runs_reports_and_a_sibling_sees_only_its_subtree(charged):
    assert _report(charged.basic)["total_kwh"] == 13.38
    birch = _report(charged.sibling)
    assert (birch["session_count"], birch["total_kwh"]) == (1, 3.34)  # EVI00000015 only (the free session)
    refused = charged.sibling.post(V1, {**ALL_DAYS, "station_ids": ["EVI00000013"]})
    assert (refused.status, refused.message) == (404, "Charging station does not exist.")
    admins = _report(charged.admin)
    assert charged.sibling.get(f"{V1}/{admins['report_id']}").message == "Report not found."
    assert charged.other_org.get(f"{V1}/{admins['report_id']}/rows").status == 404
    assert charged.admin.get(f"{V1}/{birch['report_id']}").status == 200  # the parent domain covers the sibling's
    globex = _report(charged.other_org)
    assert (globex["session_count"], globex["total_kwh"], globex["timezone"]) == (1, 5.0, "America/New_York")


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"from": "2026-03-29", "to": "2026-03-28"}, 400, "The end date of a report cannot be before its start date."),
    ({"from": "2025-01-01", "to": "2026-01-02"}, 400, "A report can cover at most 366 days."),
    ({**ALL_DAYS, "token_ids": ["NOPE"]}, 404, "Token not found."),
    ({**ALL_DAYS, "charging_user_ids": ["nobody@x.test"]}, 404, "Charging user not found."),
    ({**ALL_DAYS, "user_group_ids": ["nope"]}, 404, "Charging user group not found."),
    ({**ALL_DAYS, "group_ids": ["nope"]}, 404, "Charging group does not exist."),
    ({**ALL_DAYS, "station_ids": ["GLX-1"]}, 404, "Charging station does not exist."),
    ({**ALL_DAYS, "delimiter": "|"}, 400, "Invalid request."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_generated(charged, body, status, message):
    from chalicelib import aws
    from chalicelib.settings import get_settings

    reply = charged.admin.post(V1, body)
    assert (reply.status, reply.message) == (status, message)
    listed = aws.s3().list_objects_v2(Bucket=get_settings().reports_bucket)
    assert listed.get("KeyCount", 0) == 0


def test_an_unknown_report_or_cursor_is_refused(charged):
    assert charged.admin.get(f"{V1}/nope").message == "Report not found."
    report = _report(charged.admin)
    assert charged.admin.get(f"{V1}/{report['report_id']}/rows?cursor=garbage").status == 400
