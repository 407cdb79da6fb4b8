"""Models shared by every API module: base classes, errors, paging parameters."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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


class PageQuery(BaseModel):
    """Query parameters of every list: page size chosen by the client, opaque cursor, text search."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    limit: int = Field(default=10, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
    q: str | None = Field(default=None, max_length=100, description="Case-insensitive text search")


class Version(In):
    """Every edit carries the version the operator saw (optimistic locking)."""

    version: int = Field(ge=0)
