"""DataTransfer: vendor-specific messages; UnknownVendorId unless a handler is registered."""

from collections.abc import Callable

# vendorId -> handler(ctx, messageId, data) -> response payload
VENDOR_HANDLERS: dict[str, Callable] = {}


def handle(ctx, request: dict) -> dict:
    vendor = VENDOR_HANDLERS.get(request["vendorId"])
    if vendor is None:
        return {"status": "UnknownVendorId"}
    return vendor(ctx, request.get("messageId"), request.get("data"))
