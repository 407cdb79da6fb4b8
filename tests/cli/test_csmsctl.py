"""csmsctl as a person runs it: what it prints, what it refuses, what it writes."""

import io

import pytest

from chalicelib.domain.passwords import verify_password
from chalicelib.storage.models import ChargingGroupItem, OperatorItem, OrganizationItem, StationItem
from csmsctl.__main__ import main

GOOD = "a-Good-passw0rd"
OPERATOR = ["--username", "pine-op", "--email", "p@acme.example", "--first-name", "Pine", "--last-name", "Op"]
NEW_ORG = ["create-organization", "--org", "NEWCO", "--name", "New Co", "--time-zone", "Europe/Oslo",
           "--admin-username", "newco-admin", "--admin-email", "admin@newco.example",
           "--admin-first-name", "Ada", "--admin-last-name", "Admin", "--password-stdin"]


def _stdin(monkeypatch, text: str, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty
    monkeypatch.setattr("sys.stdin", stream)


def _operator(base_group: str, *extra: str) -> list[str]:
    return ["create-operator", "--org", "ACME", *OPERATOR, "--role", "basic", "--base-group", base_group, *extra]


def test_import_stations_prints_each_row_and_a_summary(demo, tmp_path, capsys):
    csv_file = tmp_path / "stations.csv"
    csv_file.write_text(
        "identifier,name,group_path,password\n"
        "acme-043211,Pine Mall entry,ACME Shopping Malls/ACME Pine Mall,\n"
        "NEW-2,Lot 2,ACME Shopping Malls/ACME Oak Mall,hunter2-Long\n"
        "bad/id,Broken,,\n"
        "EVI00000013,Duplicate,,\n"
    )
    assert main(["import-stations", str(csv_file), "--org", "ACME"]) == 1  # two rows failed
    printed = capsys.readouterr()
    assert printed.out.splitlines() == [
        "[1/4] acme-043211: created in 'ACME Pine Mall'",
        "[2/4] NEW-2: created in 'ACME Oak Mall'",
        f"2 created, 2 failed, 4 rows read from {csv_file}",
    ]
    errors = printed.err.splitlines()
    assert errors[0].startswith("error: [3/4] bad/id: ") and len(errors) == 2
    assert errors[1] == "error: [4/4] EVI00000013: Charging station already exists for that identifier."
    pine = StationItem.get("ACME", "acme-043211")
    assert pine.name == "Pine Mall entry" and pine.group_path.count("/") == 3
    assert verify_password(StationItem.get("ACME", "NEW-2").password_hash, "hunter2-Long")
    assert StationItem.get("ACME", "EVI00000013").name == "EVI00000013"


def test_import_prints_no_library_chatter(demo, tmp_path, capsys):
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("ONE-1,One,,\n")
    import logging

    logging.getLogger("botocore.credentials").info("Found credentials in environment variables.")
    assert main(["import-stations", str(csv_file), "--org", "ACME"]) == 0
    printed = capsys.readouterr()
    assert printed.out == f"[1/1] ONE-1: created (no group)\n1 created, 0 failed, 1 rows read from {csv_file}\n"
    assert printed.err == ""


def test_import_into_unknown_organization_is_refused(demo, tmp_path, capsys):
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("ONE-1,One,,\n")
    assert main(["import-stations", str(csv_file), "--org", "NOPE"]) == 1
    assert "organization NOPE does not exist" in capsys.readouterr().err
    assert list(StationItem.query("NOPE")) == []


def test_create_operator_from_stdin(demo, monkeypatch, capsys):
    _stdin(monkeypatch, GOOD + "\n")
    assert main(_operator("ACME Shopping Malls/ACME Pine Mall", "--password-stdin")) == 0
    assert capsys.readouterr().out == "operator pine-op created (basic, base group 'ACME Pine Mall')\n"
    operator = OperatorItem.get("pine-op")
    assert operator.role == "basic" and verify_password(operator.password_hash, GOOD)


def test_create_operator_prompts_on_a_terminal(demo, monkeypatch, capsys):
    _stdin(monkeypatch, "", tty=True)
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(_operator("ACME Shopping Malls")) == 0
    assert "operator pine-op created" in capsys.readouterr().out


def test_create_operator_without_terminal_says_how(demo, monkeypatch, capsys):
    _stdin(monkeypatch, "")
    assert main(_operator("ACME Shopping Malls")) == 1
    assert capsys.readouterr().err == "error: no terminal to ask for the password: pipe it in and add --password-stdin\n"
    with pytest.raises(OperatorItem.DoesNotExist):
        OperatorItem.get("pine-op")


def test_create_operator_applies_the_password_policy(demo, monkeypatch, capsys):
    _stdin(monkeypatch, "short\n")
    assert main(_operator("ACME Shopping Malls", "--password-stdin")) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Password does not conform to password policy. At least 10 characters")
    with pytest.raises(OperatorItem.DoesNotExist):
        OperatorItem.get("pine-op")


def test_create_operator_refuses_an_unknown_base_group(demo, monkeypatch, capsys):
    _stdin(monkeypatch, GOOD + "\n")
    groups_before = len(list(ChargingGroupItem.query("ACME")))
    assert main(_operator("ACME Shopping Malls/ACME Pine Mal", "--password-stdin")) == 1
    assert capsys.readouterr().err == (
        "error: no group 'ACME Shopping Malls/ACME Pine Mal' in organization ACME: give the path of an existing group\n"
    )
    assert len(list(ChargingGroupItem.query("ACME"))) == groups_before


def test_create_organization_with_first_admin(aws, monkeypatch, capsys):
    _stdin(monkeypatch, GOOD + "\n")
    assert main(NEW_ORG) == 0
    assert capsys.readouterr().out.splitlines() == [
        "organization NEWCO created (New Co, time zone Europe/Oslo)",
        "top-level group 'New Co' created",
        "operator newco-admin created (admin, base group 'New Co')",
    ]
    org = OrganizationItem.get("NEWCO")
    assert (org.name, org.timezone) == ("New Co", "Europe/Oslo")
    admin = OperatorItem.get("newco-admin")
    root = ChargingGroupItem.get("NEWCO", admin.base_group_id)
    assert admin.role == "admin" and admin.org_id == "NEWCO" and root.path.count("/") == 2


def test_new_organization_answers_the_api(aws, monkeypatch, capsys):
    import app
    from tests.api.client import ApiClient

    _stdin(monkeypatch, GOOD + "\n")
    assert main(NEW_ORG) == 0
    answer = ApiClient(app.app).login("newco-admin", GOOD).get("/api/v1/organization")
    assert answer.status == 200 and answer.body["timezone"] == "Europe/Oslo", answer


def test_create_organization_twice_or_with_a_bad_zone(aws, monkeypatch, capsys):
    _stdin(monkeypatch, GOOD + "\n")
    assert main(NEW_ORG) == 0
    capsys.readouterr()
    _stdin(monkeypatch, GOOD + "\n")
    assert main(NEW_ORG) == 1
    assert capsys.readouterr().err == "error: Organization NEWCO already exists.\n"
    _stdin(monkeypatch, GOOD + "\n")
    bad_zone = [{"NEWCO": "OTHER", "Europe/Oslo": "Mars/Olympus"}.get(word, word) for word in NEW_ORG]
    assert main(bad_zone) == 1
    assert capsys.readouterr().err == (
        "error: Unknown time zone 'Mars/Olympus': use an IANA name such as Europe/Helsinki.\n"
    )
    with pytest.raises(OrganizationItem.DoesNotExist):
        OrganizationItem.get("OTHER")
