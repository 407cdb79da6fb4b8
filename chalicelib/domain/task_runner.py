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

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from chalicelib.domain import scheduled_tasks, schedules, task_batch, task_effects
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
    Retry,
    Run,
    Settled,
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
# Batches read from the due index at once: it is read shard by shard, each shard up to the whole read, so
# reading one batch at a time would read and drop up to three batches' worth (ADR 0026).
READ_BATCHES = 4
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

    The executions of a batch are claimed, read for and recorded together (`task_batch`: a few requests for
    the batch, not a few per task). With `workers` > 1 what runs task by task (follow-ups, limits sent to
    connected stations, users) runs in threads; tasks that act on the same thing stay in one thread, in
    order (see `_subject`)."""
    steps: list[Step] = []
    seen: set[tuple[str, str, datetime | None]] = set()
    zones: dict[str, tzinfo] = {}
    batches = 0
    while batches < max_batches:
        found = [t for t in store().tasks.due(now, batch * READ_BATCHES) if (t.org_id, t.task_id, t.due_at) not in seen]
        if not found:
            break
        seen.update((t.org_id, t.task_id, t.due_at) for t in found)
        for start in range(0, len(found), batch):
            if batches == max_batches:
                break  # the rest waits for the next tick
            steps += _run_batch(found[start : start + batch], now, zones, workers)
            batches += 1
    return steps


def _run_batch(due: list[Task], now: datetime, zones: dict[str, tzinfo], workers: int) -> list[Step]:
    steps: list[Step] = []
    # After downtime several tasks may set the same thing: the latest occurrence acts last.
    planned = sorted(((_plan(t, now, zones), t) for t in due), key=lambda p: (p[0][0], p[1].task_id))
    follow_ups = [(task, how) for (_, how), task in planned if how == "follow_up"]
    steps += _in_threads(_by_subject(follow_ups), lambda task, _: _followed(task, now, zones), workers)
    executions: list[task_batch.Execution] = []
    for (_, how), task in planned:
        if how != "follow_up":
            prepared = _execution(task, how, now, zones)
            steps += [prepared] if isinstance(prepared, Step) else []
            executions += [prepared] if isinstance(prepared, task_batch.Execution) else []
    steps += _execute_all(executions, now, workers)
    return steps


def _subject(task: Task) -> tuple:
    """What a task acts on. A station's limits run in order, each station in its own thread; every user and
    user group task runs in one thread, in order: a user's and their group's changes both rewrite the same
    local-list entries, which must leave in the order the states were set."""
    if task.type == MAX_CURRENT:
        return MAX_CURRENT, task.org_id, task.key.get("station_id")
    return ("users",)


def _by_subject(work: list[tuple]) -> list[list[tuple]]:
    """`work` (items whose first element is a task, or holds one as `.task`) by subject, in order."""
    subjects: dict[tuple, list] = {}
    for item in work:
        subjects.setdefault(_subject(getattr(item[0], "task", item[0])), []).append(item)
    return list(subjects.values())


def _in_threads(groups: list[list[tuple]], call: Callable, workers: int) -> list:
    """`call(*item)` for every item: a group's items one after the other, groups in up to `workers` threads."""
    def run(group: Iterable[tuple]) -> list:
        return [call(*item) for item in group]

    if workers <= 1 or len(groups) <= 1:
        return [result for group in groups for result in run(group)]
    with ThreadPoolExecutor(max_workers=min(workers, len(groups)), thread_name_prefix="task") as pool:
        return [result for results in pool.map(run, groups) for result in results]


def _plan(task: Task, now: datetime, zones: dict[str, tzinfo]) -> tuple[datetime, str]:
    """(the instant the work is for, "fresh" | "retry" | "follow_up")."""
    if task.retry_at is None or (task.next_run_at is not None and task.next_run_at <= now):
        return _latest(task, now, zones), "fresh"
    last = task.last_run
    how = "follow_up" if last is not None and last.outcome == SENT else "retry"
    return (last.occurrence if last is not None else task.retry_at), how


def _followed(task: Task, now: datetime, zones: dict[str, tzinfo]) -> Step:
    try:
        return _follow_up(task, now, zones)
    except Exception:  # noqa: BLE001 - one task's failure must not keep the others from running
        logger.exception("scheduled task not handled", extra={"org_id": task.org_id, "task_id": task.task_id})
        return Step(task.task_id, "skipped")


def _execution(task: Task, how: str, now: datetime, zones: dict[str, tzinfo]) -> task_batch.Execution | Step:
    """What to run: the latest occurrence (attempt 0, then the occurrence after it), or the failed one again
    (its next run unchanged). A skipped Step when that cannot even be worked out."""
    try:
        if how == "fresh":
            if task.last_run is not None and task.last_run.outcome == SENT:
                _settle(task, now)  # superseded: its run still shows how its command ended
            return task_batch.Execution(task, _latest(task, now, zones), 0, _next(task, now, zones))
        return task_batch.Execution(task, task.last_run.occurrence, task.attempts, task.next_run_at)
    except Exception:  # noqa: BLE001
        logger.exception("scheduled task not handled", extra={"org_id": task.org_id, "task_id": task.task_id})
        return Step(task.task_id, "skipped")


# --- the executions of one batch --------------------------------------------------------------------------
def _execute_all(executions: list[task_batch.Execution], now: datetime, workers: int) -> list[Step]:
    """The executions whose effect is known beforehand in one transaction each (20 to a request); the
    others, and any of those whose transaction found something changed, claimed, run and recorded."""
    if not executions:
        return []
    steps, done = _settled(executions, now)
    rest = [execution for i, execution in enumerate(executions) if i not in done]
    return steps + _claim_and_run(rest, now, workers)


def _settled(executions: list[task_batch.Execution], now: datetime) -> tuple[list[Step], set[int]]:
    """Claim, run record, move and effect of each limit for a station that is away, atomically: an occurrence
    is never claimed without its run, nor its run recorded twice. (steps, indexes of the executions done)."""
    prepared = task_batch.prepared(executions)
    units = {i: _settled_unit(executions[i], effect, limit, now) for i, (effect, limit) in prepared.items()}
    try:
        written = store().tasks.run_settled(list(units.values()))
    except Exception:  # noqa: BLE001 - the single path tries them again: one that was written finds its claim
        # taken and is skipped, its run standing
        logger.exception("scheduled tasks not recorded together", extra={"count": len(units)})
        return [], set()
    done = {i for i, ok in zip(units, written, strict=True) if ok}
    if done:
        logger.info("scheduled limits kept for stations offline", extra={"count": len(done)})
    return [_ran(executions[i], units[i].run, prepared[i][0], now) for i in sorted(done)], done


def _settled_unit(execution: task_batch.Execution, effect: Effect, limit, now: datetime) -> Settled:
    run = _run_of(execution, effect, now)
    again = _again(run.attempt, run.outcome, now) if execution.following is not None else None
    command, deferral = (limit.command, limit.deferral) if limit is not None else (None, None)
    return Settled(task_batch.claim_of(execution, now), run, again, command, deferral)


def _claim_and_run(executions: list[task_batch.Execution], now: datetime, workers: int) -> list[Step]:
    """Claim (and move on) every execution; run the effects of those taken; record their runs; set the
    retries and follow-ups. Each stage a few requests for the whole batch."""
    if not executions:
        return []
    steps: list[Step] = []
    taken: list[task_batch.Execution] = []
    for execution, claimed in zip(executions, task_batch.claim(executions, now), strict=True):
        if claimed:
            taken.append(execution)
        else:
            steps.append(_lost(execution, now))
    groups = _by_subject([(execution, i) for i, execution in enumerate(taken)])
    found = dict(_in_threads(groups, lambda execution, i: (i, effect_of(execution.task)), workers))
    effects = [found[i] for i in range(len(taken))]
    runs = [_run_of(execution, effect, now) for execution, effect in zip(taken, effects, strict=True)]
    added = store().tasks.add_runs(runs) if runs else []
    retries = [_retry(e, r, now) for e, r, ok in zip(taken, runs, added, strict=True) if ok]
    store().tasks.retry_all([r for r in retries if r is not None])
    for execution, run, effect, ok in zip(taken, runs, effects, added, strict=True):
        steps.append(_ran(execution, run, effect, now) if ok else _skipped(execution))  # not ok: deleted meanwhile
    return steps


def _lost(execution: task_batch.Execution, now: datetime) -> Step:
    task = execution.task
    try:
        _claimed_elsewhere(task, execution.occurrence, execution.attempt, execution.following, now)
    except Exception:  # noqa: BLE001
        logger.exception("scheduled task not handled", extra={"org_id": task.org_id, "task_id": task.task_id})
    return _skipped(execution)


def _skipped(execution: task_batch.Execution) -> Step:
    return Step(execution.task.task_id, "skipped", None, execution.occurrence, execution.attempt)


def _run_of(execution: task_batch.Execution, effect: Effect, now: datetime) -> Run:
    task = execution.task
    return Run(task.org_id, task.task_id, new_run_id(now), execution.occurrence, execution.attempt, now, effect.outcome,
               effect.detail, effect.command_id, None if effect.outcome == SENT else now)


def _retry(execution: task_batch.Execution, run: Run, now: datetime) -> Retry | None:
    """The follow-up of a Sent run or the retry of a Failed one; the claim moved the task to `following`."""
    again = _again(run.attempt, run.outcome, now)
    if again is None or execution.following is None:
        return None
    return Retry(run.org_id, run.task_id, execution.following, *again)


def _ran(execution: task_batch.Execution, run: Run, effect: Effect, now: datetime) -> Step:
    task = execution.task
    if effect.replaced is not None and effect.replaced.task_id is not None:
        try:
            _superseded(task, run, effect.replaced.task_id, now)
        except Exception:  # noqa: BLE001 - the run stands; the waiting one is closed by a later replacement
            logger.exception("superseded run not closed", extra={"org_id": task.org_id, "task_id": task.task_id})
    logger.info("scheduled task ran", extra={"org_id": task.org_id, "task_id": task.task_id, "outcome": effect.outcome,
                                             "attempt": run.attempt, "occurrence": run.occurrence.isoformat()})
    return Step(task.task_id, "ran", effect.outcome, run.occurrence, run.attempt)


def _claimed_elsewhere(task: Task, occurrence: datetime, attempt: int, following: datetime | None, now: datetime) -> None:
    """Another tick holds the claim (or the task changed since the due index showed it). Moving the task on
    is conditioned on the due time both ticks read, so doing it here too is harmless when that tick does it,
    and needed when it died before it could (a claim taken before claims moved the task themselves)."""
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
    again = _again(run.attempt, effect.outcome, now)
    if again is None:
        _reschedule(task, following)  # Done, Deferred (the station's boot applies it), or out of attempts
    else:
        _reschedule(task, following, *again)


def _again(attempt: int, outcome: str, now: datetime) -> tuple[datetime, int] | None:
    """(when, attempts) of a Sent run's follow-up or a Failed run's retry with backoff; None: move on."""
    if outcome == SENT:
        return now + FOLLOW_UP, attempt
    if outcome == FAILED and attempt + 1 < MAX_ATTEMPTS:
        return now + timedelta(minutes=BACKOFF_MINUTES[attempt]), attempt + 1
    return None


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

