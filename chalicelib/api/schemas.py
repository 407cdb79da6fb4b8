"""Models shared by every API module: base classes, errors, paging parameters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.commands import MAX_WAIT_S


class In(BaseModel):
    """Base of request bodies: unknown fields are refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    """Base of response bodies."""

    model_config = ConfigDict(from_attributes=True)


class ErrorOut(Out):
    message: str = Field(description="The manual's error text, or 'Error #NN encountered...'")
    request_id: str
    code: int | None = Field(default=None, description="NN of 'Error #NN' (system errors only)")
    errors: list[dict] | None = Field(default=None, description="Field errors of an invalid request")


class WaitQuery(BaseModel):
    """`?wait=N` of a route that sends a call to a charger: answer when it completes, or after N seconds."""

    model_config = ConfigDict(extra="ignore")

    wait: int = Field(default=0, ge=0, le=MAX_WAIT_S,
                      description="Answer when the command completes, or after this many seconds (at most 25)")


class PageQuery(BaseModel):
    """Query parameters of every list: page size chosen by the client, opaque cursor, text search."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    limit: int = Field(default=10, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
    q: str | None = Field(default=None, max_length=100, description="Case-insensitive text search")


class Version(In):
    """Every edit carries the version the operator saw (optimistic locking)."""

    version: int = Field(ge=0)
