"""OCPP 1.6 calls the CSMS sends to chargers: one module per action, each building the request payload
with the ocpp library's dataclasses and schemas, and reading the charger's answer into a typed value.

A module names its `ACTION`, offers `request(...) -> dict` (a valid CALL payload, or InvalidRequest)
and `answer(payload) -> <typed value>` (or InvalidAnswer). Sending, the pending-call record and the
time-out are not here: protocol/replies.py receives every answer, chalicelib.gateway sends.
"""
