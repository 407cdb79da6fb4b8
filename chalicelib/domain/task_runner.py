"""Running scheduled tasks (issue 11, docs/adr/0021): each due occurrence exactly once, its run recorded, a Sent
command followed to its answer, a failure retried with backoff, and only the latest missed occurrence after
downtime (a task sets a state: older occurrences would be overwritten at once).

A task is due (`tasks.due`) for one of three reasons, told apart by what is stored on it:
- its next occurrence came (`next_run_at` <= now): run the latest occurrence <= now, attempt 0;
- its retry time came after a failed run (`retry_at`, last run Failed): run that occurrence again;
- its follow-up time came after a Sent run (`retry_at`, last run Sent): read the command's state.
A newer occurrence that is due supersedes a pending retry or follow-up. Every execution first claims
(task, occurrence, attempt) with a conditional put, so overlapping or retried ticks never run one twice;
every move of the task (`advance`, `retry`) is conditioned on the due time the tick read.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from chalicelib.domain import scheduled_tasks, schedules, task_effects
from chalicelib.domain.task_effects import DEFERRED, Effect
from chalicelib.observability import logger
from chalicelib.ports import errors as storage
from chalicelib.ports.registry import store
from chalicelib.ports.tasks import (
    FAILED,
    MAX_CURRENT,
    SENT,
    USER_ACTIVATION,
    USER_GROUP_ACTIVATION,
    UTC_ZONE,
    Run,
    Task,
    new_run_id,
)

# A failed run is tried again after 1, 2, 4, 8 minutes: five attempts of an occurrence in all.
BACKOFF_MINUTES = (1, 2, 4, 8)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A Sent run's command is looked at again on the next tick (its own time-out closes it within 60 s).
FOLLOW_UP = timedelta(minutes=1)
# A command still open this long after the run (a station that never answers and is never timed out) fails.
FOLLOW_UP_LIMIT = timedelta(minutes=15)
INTERNAL_ERROR = "The task could not be run (internal error); it is tried again."
# A claimed occurrence with no run recorded this long after it fell due: the tick that claimed it died
# (the minute function times out after 60 s) between its claim and its record; the task moves on.
STALE_CLAIM = timedelta(minutes=5)
ABANDONED = "claimed occurrence never recorded: moved on"
SUPERSEDED = "Not applied: the charging station was offline, and {by} set a newer limit before it reconnected."
SUPERSEDE_LOOKBACK = 5  # runs of the waiting task searched for the Deferred one (retries come in between)


@dataclass(frozen=True)
class Step:
    """What one tick did with one due task (for the job's log and the tests)."""

    task_id: str
    action: str  # "ran" | "followed" | "skipped"
    outcome: str | None = None
    occurrence: datetime | None = None
    attempt: int = 0


def run_due(now: datetime, batch: int = 100, max_batches: int = 20, workers: int = 1) -> list[Step]:
    """Handle every task due at `now`, in batches from the due index (a backlog waits for the next tick).

    With `workers` > 1 the tasks of a batch run in threads (a run is a few DynamoDB round trips: 1,000
    due tasks one after the other would take most of a minute); tasks that act on the same thing stay in
    one thread, in order (see `_subject`)."""
    steps: list[Step] = []
    seen: set[tuple[str, str, datetime | None]] = set()
    zones: dict[str, tzinfo] = {}
    for _ in range(max_batches):
        due = [t for t in store().tasks.due(now, batch) if (t.org_id, t.task_id, t.due_at) not in seen]
        if not due:
            break
        seen.update((t.org_id, t.task_id, t.due_at) for t in due)
        # After downtime several tasks may set the same thing: the latest occurrence acts last.
        planned = sorted(((_plan(t, now, zones), t) for t in due), key=lambda p: (p[0][0], p[1].task_id))
        subjects: dict[tuple, list] = {}
        for (_, how), task in planned:
            subjects.setdefault(_subject(task), []).append((task, how))
        steps += _run_subjects(list(subjects.values()), now, zones, workers)
    return steps


def _subject(task: Task) -> tuple:
    """What a task acts on. A station's limits run in order, each station in its own thread; every user and
    user group task runs in one thread, in order: a user's and their group's changes both rewrite the same
    local-list entries, which must leave in the order the states were set."""
    if task.type == MAX_CURRENT:
        return MAX_CURRENT, task.org_id, task.key.get("station_id")
    return ("users",)


def _run_subjects(subjects: list[list], now: datetime, zones: dict[str, tzinfo], workers: int) -> list[Step]:
    def run(work: Iterable[tuple[Task, str]]) -> list[Step]:
        return [_handle(task, how, now, zones) for task, how in work]

    if workers <= 1 or len(subjects) <= 1:
        return [step for work in subjects for step in run(work)]
    with ThreadPoolExecutor(max_workers=min(workers, len(subjects)), thread_name_prefix="task") as pool:
        return [step for steps in pool.map(run, subjects) for step in steps]


def _plan(task: Task, now: datetime, zones: dict[str, tzinfo]) -> tuple[datetime, str]:
    """(the instant the work is for, "fresh" | "retry" | "follow_up")."""
    if task.retry_at is None or (task.next_run_at is not None and task.next_run_at <= now):
        return _latest(task, now, zones), "fresh"
    last = task.last_run
    how = "follow_up" if last is not None and last.outcome == SENT else "retry"
    return (last.occurrence if last is not None else task.retry_at), how


def _handle(task: Task, how: str, now: datetime, zones: dict[str, tzinfo]) -> Step:
    try:
        if how == "fresh":
            if task.last_run is not None and task.last_run.outcome == SENT:
                _settle(task, now)  # superseded: its run still shows how its command ended
            return _execute(task, _latest(task, now, zones), 0, now, zones)
        if how == "follow_up":
            return _follow_up(task, now, zones)
        return _execute(task, task.last_run.occurrence, task.attempts, now, zones)
    except Exception:  # noqa: BLE001 - one task's failure must not keep the others from running
        logger.exception("scheduled task not handled", extra={"org_id": task.org_id, "task_id": task.task_id})
        return Step(task.task_id, "skipped")


# --- one execution --------------------------------------------------------------------------------------
def _execute(task: Task, occurrence: datetime, attempt: int, now: datetime, zones: dict[str, tzinfo]) -> Step:
    # Attempt 0 moves the task to the occurrence after this one; a retry keeps the next run it has.
    following = _next(task, now, zones) if attempt == 0 else task.next_run_at
    if not store().tasks.claim(task.org_id, task.task_id, occurrence, attempt, now):
        _claimed_elsewhere(task, occurrence, attempt, following, now)
        return Step(task.task_id, "skipped", None, occurrence, attempt)
    effect = effect_of(task)
    run = Run(task.org_id, task.task_id, new_run_id(now), occurrence, attempt, now, effect.outcome, effect.detail,
              effect.command_id, None if effect.outcome == SENT else now)
    try:
        store().tasks.add_run(run)
    except storage.NotFound:
        return Step(task.task_id, "skipped", None, occurrence, attempt)  # deleted meanwhile
    _after(task, run, effect, following, now)
    if effect.replaced is not None and effect.replaced.task_id is not None:
        _superseded(task, run, effect.replaced.task_id, now)
    logger.info("scheduled task ran", extra={"org_id": task.org_id, "task_id": task.task_id, "outcome": effect.outcome,
                                             "attempt": attempt, "occurrence": occurrence.isoformat()})
    return Step(task.task_id, "ran", effect.outcome, occurrence, attempt)


def _claimed_elsewhere(task: Task, occurrence: datetime, attempt: int, following: datetime | None, now: datetime) -> None:
    """Another tick holds the claim. Moving the task on is conditioned on the due time both ticks read, so
    doing it here too is harmless when that tick does it, and needed when it died before it could."""
    run = _latest_run(task)
    if run is not None and (run.occurrence, run.attempt) == (occurrence, attempt):
        _after(task, run, Effect(run.outcome, run.detail, run.command_id), following, run.started_at)
    elif task.due_at is not None and now - task.due_at >= STALE_CLAIM:
        logger.warning(ABANDONED, extra={"org_id": task.org_id, "task_id": task.task_id, "attempt": attempt,
                                         "occurrence": occurrence.isoformat()})
        _reschedule(task, following)


def effect_of(task: Task) -> Effect:
    """Do what the task says; an unexpected error is a failed run (retried), never a lost tick."""
    try:
        if task.type == MAX_CURRENT:
            return task_effects.apply_max_current(task.org_id, task.key["station_id"], task.value["amperes"],
                                                  task_id=task.task_id)
        if task.type == USER_ACTIVATION:
            return task_effects.set_charging_user_active(task.org_id, task.key["charging_user_id"], bool(task.value["active"]))
        if task.type == USER_GROUP_ACTIVATION:
            return task_effects.set_user_group_active(task.org_id, task.key["user_group_id"], bool(task.value["active"]))
        return Effect(FAILED, f"Unknown task type {task.type!r}.")
    except Exception:  # noqa: BLE001
        logger.exception("scheduled task effect raised", extra={"org_id": task.org_id, "task_id": task.task_id})
        return Effect(FAILED, INTERNAL_ERROR)


def _after(task: Task, run: Run, effect: Effect, following: datetime | None, now: datetime) -> None:
    """Move the task on: next occurrence, a follow-up of its command, or a retry with backoff."""
    if effect.outcome == SENT:
        _reschedule(task, following, now + FOLLOW_UP, run.attempt)
    elif effect.outcome == FAILED and run.attempt + 1 < MAX_ATTEMPTS:
        _reschedule(task, following, now + timedelta(minutes=BACKOFF_MINUTES[run.attempt]), run.attempt + 1)
    else:
        _reschedule(task, following)  # Done, Deferred (the station's boot applies it), or out of attempts


def _reschedule(task: Task, next_run_at: datetime | None, retry_at: datetime | None = None, attempts: int = 0) -> None:
    """Conditioned on the due time this tick read: an operator's edit or another tick's move stands."""
    expected = task.due_at
    if retry_at is None or next_run_at != task.next_run_at:
        moved = store().tasks.advance(task.org_id, task.task_id, expected, next_run_at)
        if moved is None or retry_at is None:
            return
        expected = moved.due_at
    store().tasks.retry(task.org_id, task.task_id, expected, retry_at, attempts)


# --- a limit that waited for its station ---------------------------------------------------------------
def resume_deferred(org_id: str, task_id: str, effect: Effect, now: datetime) -> None:
    """The station of a Deferred run booted and got the limit: that run now shows the command, and the
    next tick follows it to the charger's answer (Done, or Failed and retried) like any Sent run."""
    task = store().tasks.get(org_id, task_id)
    run = _latest_run(task) if task is not None else None
    if run is None or run.outcome != DEFERRED:
        return  # the task was deleted, or a newer run replaced the waiting one
    resumed = replace(run, outcome=effect.outcome, detail=effect.detail, command_id=effect.command_id,
                      finished_at=None if effect.outcome == SENT else now)
    try:
        store().tasks.update_run(resumed)
    except storage.NotFound:
        return
    if task.due_at is not None:  # an active task: followed up or retried like a run of this tick
        _after(task, resumed, effect, task.next_run_at, now)


def _superseded(task: Task, run: Run, waiting_task_id: str, now: datetime) -> None:
    """A limit still waiting for its station was replaced by this run's: the run that waited for it (of
    another task, or an earlier one of this task) is closed as never applied, so none stays Deferred."""
    page = store().tasks.runs(task.org_id, waiting_task_id, SUPERSEDE_LOOKBACK)  # a deleted task has none
    old = next((r for r in page.items if r.outcome == DEFERRED and r.run_id != run.run_id), None)
    if old is None:
        return
    by = "a newer run of this task" if waiting_task_id == task.task_id else f"the task {task.name!r}"
    closed = replace(old, outcome=FAILED, detail=SUPERSEDED.format(by=by), finished_at=now)
    try:
        store().tasks.update_run(closed)
    except storage.NotFound:
        return


# --- following a Sent run ---------------------------------------------------------------------------------
def _follow_up(task: Task, now: datetime, zones: dict[str, tzinfo]) -> Step:
    run = _settle(task, now)
    if run is None:  # no Sent run to follow (gone from the history): move on
        _reschedule(task, task.next_run_at)
        return Step(task.task_id, "followed")
    if run.outcome == SENT:
        _reschedule(task, task.next_run_at, now + FOLLOW_UP, run.attempt)
    else:
        _after(task, run, Effect(run.outcome, run.detail, run.command_id), task.next_run_at, now)
    return Step(task.task_id, "followed", run.outcome, run.occurrence, run.attempt)


def _latest_run(task: Task) -> Run | None:
    page = store().tasks.runs(task.org_id, task.task_id, 1)
    return page.items[0] if page.items else None


def _settle(task: Task, now: datetime) -> Run | None:
    """The task's latest run, completed with its command's end when it has one (Done or Failed)."""
    run = _latest_run(task)
    if run is None or run.outcome != SENT or not run.command_id:
        return run
    effect = task_effects.command_effect(task.org_id, task.key.get("station_id", ""), run.command_id)
    if effect.outcome == SENT and now - run.started_at >= FOLLOW_UP_LIMIT:
        effect = Effect(FAILED, f"{effect.detail} No answer from the charging station.", run.command_id)
    if effect.outcome == SENT:
        return run
    done = replace(run, outcome=effect.outcome, detail=effect.detail, finished_at=now)
    try:
        store().tasks.update_run(done)
    except storage.NotFound:
        return None
    return done


# --- schedule -----------------------------------------------------------------------------------------------
def zone_of(task: Task, zones: dict[str, tzinfo]) -> tzinfo:
    """UTC (the manual's rule) or the organization's IANA zone, read once per organization and tick."""
    if task.schedule.time_zone == UTC_ZONE:
        return UTC  # no read of the organization
    if task.org_id not in zones:
        zones[task.org_id] = scheduled_tasks.zone_of(task.org_id)
    return scheduled_tasks.schedule_zone(task.schedule, zones[task.org_id])


def _latest(task: Task, now: datetime, zones: dict[str, tzinfo]) -> datetime:
    return schedules.latest_occurrence(task.schedule, now, zone_of(task, zones))


def _next(task: Task, now: datetime, zones: dict[str, tzinfo]) -> datetime:
    return schedules.next_occurrence(task.schedule, now, zone_of(task, zones))

