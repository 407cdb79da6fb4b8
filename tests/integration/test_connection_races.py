"""Last connect wins also when connections of one station race: all but one are closed or refused."""

import asyncio

import websockets

from chalicelib.storage.models import StationItem


async def _open(url):
    try:
        ws = await websockets.connect(url, subprotocols=["ocpp1.6"], open_timeout=20)
    except websockets.exceptions.InvalidStatus as refused:
        return refused.response.status_code
    return ws


async def test_racing_connections_leave_exactly_one_open(stack):
    for racers in (2, 5, 10):
        # Given `racers` sockets of one station opened at the same moment
        url = f"{stack.ws_url}/EVI00000016"
        results = await asyncio.gather(*(_open(url) for _ in range(racers)))
        sockets = [r for r in results if not isinstance(r, int)]
        assert all(r == 409 for r in results if isinstance(r, int)), results
        # When the replaced ones have been closed
        open_ones = []
        for _ in range(100):
            open_ones = []
            for ws in sockets:
                try:
                    await asyncio.wait_for(ws.ping(), 0.5)
                    open_ones.append(ws)
                except Exception:  # closed by the gateway
                    pass
            if len(open_ones) == 1:
                break
            await asyncio.sleep(0.1)
        # Then exactly one answers, and it is the station's current connection
        assert len(open_ones) == 1, f"{len(open_ones)} of {racers} still open"
        await open_ones[0].send('[2,"r1","Heartbeat",{}]')
        assert (await asyncio.wait_for(open_ones[0].recv(), 5)).startswith('[3,"r1"')
        assert StationItem.get("ACME", "EVI00000016").connected
        for ws in sockets:
            await ws.close()
