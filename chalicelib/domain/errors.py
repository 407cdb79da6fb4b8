"""Typed domain errors: the api layer turns each into an HTTP status and the manual's text."""

from __future__ import annotations


class DomainError(Exception):
    """A request the system refuses with a message meant for the operator."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    status = 400


class Unauthenticated(DomainError):
    status = 401


class Denied(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """Duplicates and concurrent modifications (optimistic locking)."""

    status = 409


class TooManyAttempts(DomainError):
    status = 429


class Unavailable(DomainError):
    """A dependency (DynamoDB, SES) still failing after retries; answered as "Error #NN"."""

    status = 503

    def __init__(self, code: int, detail: str = "") -> None:
        super().__init__(detail or f"dependency failure #{code}")
        self.code = code


# The manual's texts used by more than one module.
ACCESS_DENIED = "Access denied."
ACCESS_FORBIDDEN = "Operator access forbidden."
STATION_MISSING = "Charging station does not exist."
GROUP_MISSING = "Charging group does not exist."
USER_MISSING = "Charging user not found."
OPERATOR_MISSING = "Operator not found."
