"""The chargers port in AWS: chalicelib.gateway's @connections sender, its Gone mapped to the port's."""

from __future__ import annotations

from datetime import datetime

from chalicelib import gateway
from chalicelib.ports.chargers import ChargerGone


class GatewayChargers:
    def send(self, connection_id: str, text: str) -> None:
        try:
            gateway.sender().send(connection_id, text)
        except gateway.ChargerGone:
            raise ChargerGone(connection_id) from None

    def close(self, connection_id: str) -> None:
        try:
            gateway.sender().close(connection_id)
        except gateway.ChargerGone:
            raise ChargerGone(connection_id) from None


    def last_active(self, connection_id: str) -> datetime | None:
        try:
            return gateway.sender().connection_info(connection_id).last_active_at
        except gateway.ChargerGone:
            return None


def build() -> GatewayChargers:
    return GatewayChargers()
