"""The chargers port in AWS: chalicelib.gateway's @connections sender, its Gone mapped to the port's."""

from __future__ import annotations

from chalicelib import gateway
from chalicelib.ports.chargers import ChargerGone


class GatewayChargers:
    def close(self, connection_id: str) -> None:
        try:
            gateway.sender().close(connection_id)
        except gateway.ChargerGone:
            raise ChargerGone(connection_id) from None


def build() -> GatewayChargers:
    return GatewayChargers()
