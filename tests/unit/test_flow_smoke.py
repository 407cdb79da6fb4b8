from tests.support import LambdaCharger


def test_whole_session_through_the_lambda_hooks(demo):
    # Given a demo station
    charger = LambdaCharger("EVI00000013")
    # When it connects, boots, starts, meters and stops
    assert charger.connect()["statusCode"] == 200
    boot = charger.frame("boot_notification")
    assert boot[0] == 3 and boot[2]["status"] == "Accepted"
    start = charger.frame("start_transaction")
    tx = start[2]["transactionId"]
    assert start[2]["idTagInfo"]["status"] == "Accepted"
    assert charger.frame("meter_values", TXID=tx) == [3, "mv-1", {}]
    stop = charger.frame("stop_transaction", TXID=tx)
    # Then the answers are valid
    assert stop[2]["idTagInfo"]["status"] == "Accepted"
