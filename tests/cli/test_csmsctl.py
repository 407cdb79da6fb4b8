import io

from chalicelib.domain.passwords import verify_password
from chalicelib.storage.models import OperatorItem, StationItem
from csmsctl.__main__ import main


def test_import_stations_from_csv(demo, tmp_path):
    csv_file = tmp_path / "stations.csv"
    csv_file.write_text(
        "identifier,name,group_path,password\n"
        "acme-043211,Pine Mall entry,ACME Shopping Malls/ACME Pine Mall,\n"
        "NEW-2,Lot 2,ACME Shopping Malls/ACME Oak Mall,hunter2-Long\n"
        "bad/id,Broken,,\n"
        "EVI00000013,Duplicate,,\n"
    )
    assert main(["import-stations", str(csv_file), "--org", "ACME"]) == 1  # two rows failed
    pine = StationItem.get("ACME", "acme-043211")
    assert pine.name == "Pine Mall entry" and pine.group_path.count("/") == 3
    assert verify_password(StationItem.get("ACME", "NEW-2").password_hash, "hunter2-Long")
    assert StationItem.get("ACME", "EVI00000013").name == "EVI00000013"


def test_create_operator(demo, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-Good-passw0rd\n"))
    code = main(["create-operator", "--org", "ACME", "--username", "pine-op", "--email", "p@acme.example",
                 "--first-name", "Pine", "--last-name", "Op", "--role", "basic",
                 "--base-group", "ACME Shopping Malls/ACME Pine Mall", "--password-stdin"])
    assert code == 0
    operator = OperatorItem.get("pine-op")
    assert operator.role == "basic" and verify_password(operator.password_hash, "a-Good-passw0rd")
