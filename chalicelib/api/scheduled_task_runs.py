"""A scheduled task's run history (issue 11): when each occurrence ran, its outcome, the charger's answer or the error."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.api.routing import ADMIN, route
from chalicelib.api.schemas import Out, PageQuery
from chalicelib.domain import task_runs

TAG = "scheduled tasks"
PATH = "/api/v1/scheduled-tasks/{task_id}/runs"


class RunOut(Out):
    run_id: str
    occurrence: datetime = Field(description="The scheduled instant this run is for (UTC)")
    attempt: int = Field(description="0 for the first run of the occurrence, 1.. for its retries")
    started_at: datetime
    finished_at: datetime | None = Field(description="null while a command sent to the charger waits for its answer")
    outcome: str = Field(description="Done, Sent (the charger's answer decides), Deferred (the station is offline: "
                                     "applied when it reconnects) or Failed (retried after 1, 2, 4, 8 minutes)")
    detail: str | None = Field(description="What was done, the charger's answer, or the error")
    command_id: str | None = Field(description="The command sent to the charging station, if any")


class RunPageOut(Out):
    items: list[RunOut]
    cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


@route("GET", PATH, summary="A scheduled task's runs, newest first", tag=TAG, access=ADMIN, query=PageQuery,
       response=RunPageOut, errors=(400, 403, 404))
def list_runs(ctx, task_id: str, query: PageQuery) -> RunPageOut:
    page = task_runs.runs(ctx.operator, task_id, query.limit, query.cursor)
    return RunPageOut(items=[_out(r) for r in page.items], cursor=page.cursor)


def _out(run) -> RunOut:
    return RunOut(run_id=run.run_id, occurrence=run.occurrence, attempt=run.attempt, started_at=run.started_at,
                  finished_at=run.finished_at, outcome=run.outcome, detail=run.detail, command_id=run.command_id)
