"""The tasks port: operators' scheduled tasks, the due index the minute job reads, occurrence claims, run history.

A task is due at `due_at`: its pending retry when one is set, else its next occurrence; an inactive task (or one
without a next run) is never due. The minute job (helper "runner") uses `due`, `claim`, `advance` / `retry`,
`add_run` / `update_run` and `runs`; the REST API uses the rest. Storage layout: docs/adr/0020-scheduled-tasks.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from chalicelib.ports.calls import Command
from chalicelib.ports.paging import Page
from chalicelib.ports.station_settings import Deferral

MAX_CURRENT = "max_current"
USER_ACTIVATION = "user_activation"
USER_GROUP_ACTIVATION = "user_group_activation"
TYPES = (MAX_CURRENT, USER_ACTIVATION, USER_GROUP_ACTIVATION)

DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
KINDS = (DAILY, WEEKLY, MONTHLY)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # index = datetime.weekday()
UTC_ZONE = "UTC"  # the schedule's hour and minute are UTC (the manual's rule)
ORGANIZATION_ZONE = "organization"  # ... are the organization's local time (its IANA time zone)
TIME_ZONES = (UTC_ZONE, ORGANIZATION_ZONE)

# Run outcomes (the runner's effects): Sent = a command is out and its answer decides; Deferred = the station is
# offline, applied when it reconnects.
DONE, SENT, DEFERRED, FAILED = "Done", "Sent", "Deferred", "Failed"


@dataclass(frozen=True)
class Schedule:
    kind: str  # daily | weekly | monthly
    hour: int
    minute: int
    weekdays: tuple[str, ...] = ()  # weekly: a non-empty subset of WEEKDAYS, in week order
    day_of_month: int | None = None  # monthly: 1..31 (a day the month lacks runs on its last day)
    time_zone: str = UTC_ZONE  # UTC_ZONE | ORGANIZATION_ZONE


@dataclass(frozen=True)
class LastRun:
    """The summary of a task's latest run, kept on the task so the list shows it without reading the history."""

    run_id: str
    occurrence: datetime
    at: datetime  # when the run finished (or started, while it is Sent)
    outcome: str
    detail: str | None = None

    @classmethod
    def of(cls, run: Run) -> LastRun:
        return cls(run.run_id, run.occurrence, run.finished_at or run.started_at, run.outcome, run.detail)


@dataclass(frozen=True)
class Task:
    org_id: str
    task_id: str
    name: str
    type: str  # one of TYPES
    key: dict[str, str]  # {"station_id"} | {"charging_user_id"} | {"user_group_id"}
    value: dict[str, Any]  # {"amperes": N} | {"active": bool}
    schedule: Schedule
    active: bool
    created_at: datetime
    updated_at: datetime
    next_run_at: datetime | None = None  # the next occurrence (UTC); None when inactive
    retry_at: datetime | None = None  # a failed occurrence's next attempt (UTC), set by the runner
    attempts: int = 0  # failed attempts of the occurrence being retried
    last_run: LastRun | None = None
    rev: int = 1  # the store's optimistic lock: every write (the runner's too) adds one
    version: int = 1  # the operators' edit counter (their optimistic lock): only their saves change it

    @property
    def due_at(self) -> datetime | None:
        """When the minute job must look at the task; None keeps it out of the due index."""
        if not self.active:
            return None
        return self.retry_at or self.next_run_at

    @property
    def failing(self) -> bool:
        """The latest run failed (shown in the list: the manual's tasks had no fallback, ours say so)."""
        return self.last_run is not None and self.last_run.outcome == FAILED


@dataclass(frozen=True)
class Run:
    """One execution of one occurrence of a task (an attempt); `run_id` sorts by start time."""

    org_id: str
    task_id: str
    run_id: str
    occurrence: datetime  # the scheduled instant this run is for (UTC)
    attempt: int  # 0 for the first, 1.. for retries
    started_at: datetime
    outcome: str  # DONE | SENT | DEFERRED | FAILED
    detail: str | None = None  # what was done, the charger's answer, or the error an operator reads
    command_id: str | None = None
    finished_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # anything else the runner wants to keep


@dataclass(frozen=True)
class Claim:
    """What a tick takes before it runs an occurrence: (task, occurrence, attempt) for itself, and the task
    moved on to `next_run_at` with no retry, both only if the task is still due at `expected_due`."""

    org_id: str
    task_id: str
    occurrence: datetime
    attempt: int
    at: datetime
    expected_due: datetime
    next_run_at: datetime | None


@dataclass(frozen=True)
class Retry:
    """A task put back in the due index at `retry_at` with `attempts`, if it is still due at `expected_due`."""

    org_id: str
    task_id: str
    expected_due: datetime
    retry_at: datetime
    attempts: int


@dataclass(frozen=True)
class Settled:
    """An execution whose effect is known before it is claimed (a limit for a station read as away, or one
    that cannot be applied): its claim, its run, the task's move (on to `claim.next_run_at`, with `retry`
    = (retry_at, attempts) when set) and the effect's writes (the Offline call record, the deferred limit,
    conditioned on the one read), made all together or not at all."""

    claim: Claim
    run: Run
    retry: tuple[datetime, int] | None = None
    command: Command | None = None
    deferral: Deferral | None = None


def new_run_id(started_at: datetime) -> str:
    """A run id that sorts by start time (the history's order) and never collides."""
    return started_at.strftime("%Y%m%d%H%M%S%f") + "-" + uuid.uuid4().hex[:8]


class Tasks(Protocol):
    # --- the record (REST) -------------------------------------------------------------------------------------
    def add(self, task: Task) -> None:
        """Save a new task (rev 1); AlreadyExists when its id is taken. Active with a next run: in the due index."""

    def get(self, org_id: str, task_id: str) -> Task | None:
        """The task, read strongly consistent; None when missing (or of another organization)."""

    def list(self, org_id: str, limit: int, cursor: str | None = None, *, type: str | None = None,
             name: str | None = None, keep: Callable[[Task], bool] | None = None) -> Page[Task]:
        """The organization's tasks in task id order; `type` exact, `name` a case-insensitive substring, `keep`
        any other test (the operator's domain); pages are filled from further tasks."""

    def save(self, task: Task) -> Task:
        """Replace a task if its stored rev is `task.rev`; returns it with rev + 1. ConditionFailed when another
        write came first (or it is gone). The due index follows `task.due_at`. The last run is the runner's:
        `save` keeps the stored one whatever `task.last_run` says."""

    def delete(self, org_id: str, task_id: str) -> None:
        """Remove the task, its due index entry, its claims and its run history; NotFound when missing."""

    # --- the minute job --------------------------------------------------------------------------------------
    def due(self, now: datetime, limit: int = 100) -> list[Task]:
        """Active tasks of every organization whose `due_at` <= `now`, earliest first, at most `limit`, from the
        sparse due index (no Scan). Eventually consistent: a task just changed may show its previous state, so
        the runner claims before acting and passes the `due_at` it saw to `advance` / `retry`."""

    def claim(self, org_id: str, task_id: str, occurrence: datetime, attempt: int, at: datetime) -> bool:
        """Take (task, occurrence, attempt) for this caller: True exactly once, False to every later caller
        (an overlapping or retried tick). A conditional put; claims expire after weeks, long after a retry."""

    def advance(self, org_id: str, task_id: str, expected_due: datetime, next_run_at: datetime | None) -> Task | None:
        """Move the task on to `next_run_at` and clear its retry (attempts = 0), if its `due_at` is still
        `expected_due` (what `due` returned). None when the task changed meanwhile (edited, deactivated,
        deleted or advanced by another tick): the newer state stands."""

    def retry(self, org_id: str, task_id: str, expected_due: datetime, retry_at: datetime, attempts: int) -> Task | None:
        """Put the task back in the due index at `retry_at` with `attempts` (its next occurrence unchanged), under
        the same condition as `advance`; None when the task changed meanwhile."""

    def claim_all(self, claims: list[Claim]) -> list[bool]:
        """Each claim (see `Claim`) atomically, True for those this caller took: the claim item and the move
        together, or neither (another tick holds the occurrence, or the task changed). Many per request."""

    def run_settled(self, settled: list[Settled]) -> list[bool]:
        """Each `Settled` atomically, many per request; False for one of which nothing was written (its claim
        was taken, its task changed, or its station's deferred limit is no longer the one read)."""

    def retry_all(self, retries: list[Retry]) -> list[bool]:
        """`retry` for many tasks (many per request); False for a task that changed meanwhile."""

    def add_runs(self, runs: list[Run]) -> list[bool]:
        """`add_run` for many runs (of distinct tasks), many per request; False for a run whose task is gone
        (nothing of it written)."""

    def add_run(self, run: Run) -> None:
        """Append a run to the task's history and make it the task's last run, together; NotFound (nothing
        written) when the task is gone. AlreadyExists when the run id is taken. The task's rev is unchanged
        (an operator's edit and a run summary never conflict)."""

    def update_run(self, run: Run) -> None:
        """Replace a recorded run (a Sent run whose answer came: Done or Failed); the task's last run follows
        when it is this run. NotFound when the run (or the task) is gone."""

    def runs(self, org_id: str, task_id: str, limit: int, cursor: str | None = None) -> Page[Run]:
        """The task's runs, newest first (by run id), paged."""
