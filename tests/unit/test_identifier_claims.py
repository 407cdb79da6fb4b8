"""Another organization creating the same identifier never locks a working charger out (ADR 0011)."""

from chalicelib.domain.provisioning import create_station, ensure_organization
from chalicelib.storage import stations
from tests.support import LambdaCharger


def test_the_short_url_stays_with_the_organization_that_claimed_it_first(demo):
    # Given ACME's working charger EVI00000013 on the short URL
    assert LambdaCharger("EVI00000013").connect()["statusCode"] == 200
    # When another organization creates a station with the same identifier
    ensure_organization("NEWCO", "New Co")
    create_station("NEWCO", "EVI00000013")
    # Then ACME's charger still connects on the short URL and reaches ACME's station
    acme = LambdaCharger("EVI00000013")
    assert acme.connect()["statusCode"] == 200
    assert stations.get_station("ACME", "EVI00000013").connection_id == acme.connection_id
    # And NEWCO's charger connects with its organization in the URL
    newco = LambdaCharger("EVI00000013", org="NEWCO")
    assert newco.connect()["statusCode"] == 200
    assert stations.get_station("NEWCO", "EVI00000013").connection_id == newco.connection_id
    assert stations.get_station("ACME", "EVI00000013").connection_id == acme.connection_id


def test_a_released_short_url_goes_to_the_remaining_organization(demo):
    ensure_organization("NEWCO", "New Co")
    create_station("NEWCO", "EVI00000013")
    assert stations.claimed_by("EVI00000013") == "ACME"
    stations.release_identifier("NEWCO", "EVI00000013")  # not NEWCO's to give up
    assert stations.claimed_by("EVI00000013") == "ACME"
    # When ACME gives it up (its station purged), the only other holder gets it at its next connect
    stations.release_identifier("ACME", "EVI00000013")
    from chalicelib.storage.models import StationItem

    StationItem("ACME", "EVI00000013").delete()
    newco = LambdaCharger("EVI00000013")
    assert newco.connect()["statusCode"] == 200
    assert stations.claimed_by("EVI00000013") == "NEWCO"
