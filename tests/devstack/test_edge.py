from devstack.edge import query_parameters


def test_path_with_id_becomes_query_string():
    assert query_parameters("/ocpp/CP-1") == {"chargePointId": ["CP-1"]}


def test_path_with_organization_and_id_becomes_query_string():
    assert query_parameters("/ocpp/acme/CP%201") == {"organization": ["acme"], "chargePointId": ["CP 1"]}


def test_query_form_is_kept():
    assert query_parameters("/ocpp?chargePointId=CP1&organization=acme") == {
        "chargePointId": ["CP1"],
        "organization": ["acme"],
    }


def test_path_id_wins_over_query_id():
    assert query_parameters("/ocpp/CP1?chargePointId=other&x=1") == {"chargePointId": ["CP1"], "x": ["1"]}


def test_other_paths_are_refused():
    for path in ("/", "/ocppx/CP1", "/ocpp//CP1", "/ocpp/a/b/c", "/api/ocpp/CP1", "/ocpp/CP1/"):
        assert query_parameters(path) is None, path
