"""Another organization creating the same identifier never locks a working charger out (ADR 0011)."""

from chalicelib.domain.provisioning import create_station, ensure_organization
from chalicelib.ports.estate import StationEdit


def test_the_short_url_stays_with_the_organization_that_claimed_it_first(world):
    current = world.store.connections.current
    # Given ACME's working charger EVI00000013 on the short URL
    world.connect()
    # When another organization creates a station with the same identifier
    ensure_organization("NEWCO", "New Co")
    create_station("NEWCO", "EVI00000013")
    # Then ACME's charger still connects on the short URL and reaches ACME's station
    acme = world.connect()
    assert current("ACME", "EVI00000013") == acme.connection_id
    # And NEWCO's charger connects with its organization in the URL
    newco = world.connect(org="NEWCO")
    assert current("NEWCO", "EVI00000013") == newco.connection_id
    assert current("ACME", "EVI00000013") == acme.connection_id


def test_a_released_short_url_goes_to_the_remaining_organization(world):
    estate = world.store.estate
    ensure_organization("NEWCO", "New Co")
    create_station("NEWCO", "EVI00000013")
    assert estate.claimed_by("EVI00000013") == "ACME"
    estate.release_identifier("NEWCO", "EVI00000013")  # not NEWCO's to give up
    assert estate.claimed_by("EVI00000013") == "ACME"
    # When ACME gives it up (its station purged), the only other holder gets it at its next connect
    estate.release_identifier("ACME", "EVI00000013")
    estate.edit_station("ACME", "EVI00000013", StationEdit(regroup=True, group=None))
    estate.purge_station("ACME", "EVI00000013")
    world.connect()
    assert estate.claimed_by("EVI00000013") == "NEWCO"
