"""OCPP-J framing, validation and routing: one invocation per frame, no session state."""
