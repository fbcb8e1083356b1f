"""Collections: each one declared once, and the one runner that records how each ended.

A collection is one kind of data read for one scope: its dotted name (what checks list in
`requires`), the inventory fields it fills (checked against the inventory model when the table
is built), what it needs (the provider's own vocabulary: IAM actions, Graph permissions, OAuth
scopes and roles, GCP permissions and APIs, evidence files), its fetch, its scope kind and the
collections whose values it reads. The provider turns its declarations into jobs (one per
scope); `run_jobs` (threads; `JobRun` when the provider plans between starts) and
`run_jobs_async` (asyncio) run them, a `Recorder` turns every ending into a
`CollectionOutcome`, and a `Deadline` makes what did not finish in time an error.
Transport (SDK clients, retries, request slots) stays with each provider.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from scanner.models.enums import Outcome
from scanner.models.inventory import CollectionOutcome, Inventory
from scanner.progress import NullProgress, ProgressSink

log = logging.getLogger(__name__)

NeedT = TypeVar("NeedT")


class Scope(StrEnum):
    """How often a collection is read, and for what."""

    ACCOUNT = "account"
    """Once per inventory: the AWS account, the tenant, the Okta org, the evidence directory."""
    REGION = "region"
    """Once per region; the regions' tuples are concatenated into the field."""
    PROJECT = "project"
    """Once per GCP project (each project is its own inventory)."""
    ORG = "org"
    """Once per organization or Workspace customer, into an inventory of its own."""
    ANCESTOR = "ancestor"
    """Once per folder or organization above the projects, handed down to each project."""


@dataclass(frozen=True, eq=False)
class Collection(Generic[NeedT]):
    name: str
    inventory: type[Inventory]
    fields: tuple[str, ...]
    """The inventory fields the value goes to; with several, the fetch returns a mapping."""
    needs: NeedT
    """What the collection needs, in the provider's vocabulary (named when it is missing)."""
    fetch: Callable[..., Any]
    scope: Scope = Scope.ACCOUNT
    after: tuple[str, ...] = ()
    """Collections whose values the fetch reads: they are settled before it starts."""
    derived: tuple[str, ...] = ()
    """Inventory fields the adapter derives from this collection's value after the run."""
    always: bool = False
    """Read on every scan of the provider, whatever the checks (it names the account)."""

    def __post_init__(self) -> None:
        known = self.inventory.model_fields
        for name in (*self.fields, *self.derived):
            if name not in known:
                raise TypeError(
                    f"collection {self.name}: {self.inventory.__name__} has no field {name!r}"
                )
        if not self.fields:
            raise TypeError(f"collection {self.name} fills no inventory field")

    @property
    def provider(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def fills(self) -> tuple[str, ...]:
        """Every inventory field whose content comes from this collection."""
        return (*self.fields, *self.derived)

    def fold(self, value: Any) -> dict[str, Any]:
        """The value as inventory fields."""
        if len(self.fields) == 1:
            return {self.fields[0]: value}
        if not isinstance(value, Mapping) or set(value) != set(self.fields):
            raise TypeError(f"collection {self.name} must return {', '.join(self.fields)}")
        return dict(value)


AnyCollection = Collection[Any]


def by_name(collections: Iterable[AnyCollection]) -> dict[str, AnyCollection]:
    """The table keyed by name; a name declared twice is a programming error."""
    table: dict[str, AnyCollection] = {}
    for c in collections:
        if c.name in table:
            raise TypeError(f"collection {c.name} is declared twice")
        table[c.name] = c
    for c in table.values():
        unknown = [a for a in c.after if a not in table]
        if unknown:
            raise TypeError(f"collection {c.name} runs after undeclared {', '.join(unknown)}")
    return table


class CollectionFailedError(Exception):
    """Raised by a fetch that knows how it failed (say, what it depends on was not read)."""

    def __init__(self, outcome: Outcome, message: str, missing: str | None = None) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.missing = missing


class NotRun:
    """Returned by a fetch with nothing to read for its scope: no outcome is recorded."""


NOT_RUN = NotRun()


@dataclass
class JobStats:
    """What one collection for one scope cost: API calls (retries included) and throttled
    answers. The providers' transports count into the running job's stats (`count_call`)."""

    calls: int = 0
    throttled: int = 0


_RUNNING: ContextVar[JobStats | None] = ContextVar("posture_running_job", default=None)


def count_call() -> None:
    """One API request (a retry is one more) of the job running in this thread or task;
    outside a job it is not counted."""
    stats = _RUNNING.get()
    if stats is not None:
        stats.calls += 1


def count_throttled() -> None:
    """One throttled answer (429, a throttling error code) to the running job."""
    stats = _RUNNING.get()
    if stats is not None:
        stats.throttled += 1


@contextmanager
def measured(label: str) -> Iterator[JobStats]:
    """Times one job and counts its calls; at -v it logs `label: 0.42 s, 12 calls`."""
    stats = JobStats()
    token = _RUNNING.set(stats)
    started = time.monotonic()
    outcome = "failed after"
    try:
        yield stats
        outcome = "done in"
    finally:
        _RUNNING.reset(token)
        calls = f"{stats.calls} call{'' if stats.calls == 1 else 's'}"
        throttles = f", {stats.throttled} throttled" if stats.throttled else ""
        elapsed = time.monotonic() - started
        log.info("%s: %s %.2f s, %s%s", label, outcome, elapsed, calls, throttles)


@dataclass
class Deadline:
    """One scan's deadline: what has not finished by then is an error, not awaited."""

    seconds: float
    ends_at: float = field(default=0.0)

    def __post_init__(self) -> None:
        if not self.ends_at:
            self.ends_at = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self.ends_at - time.monotonic())

    @property
    def message(self) -> str:
        return f"not finished within the scan deadline of {self.seconds:g} s"

    def outcome(
        self, collection: str, scope: str | None = None, missing: str | None = None
    ) -> CollectionOutcome:
        return CollectionOutcome(
            collection=collection,
            scope=scope,
            outcome=Outcome.ERROR,
            missing=missing,
            message=self.message,
        )


Classify = Callable[[AnyCollection, str | None, Exception], CollectionOutcome]
"""The provider's reading of a failed fetch (access denied, API disabled, …)."""

Key = tuple[str, str | None]


@dataclass
class Collected:
    """Values and outcomes of one run, keyed by (collection name, scope)."""

    values: dict[Key, Any] = field(default_factory=dict)
    outcomes: list[CollectionOutcome] = field(default_factory=list)
    collections: dict[str, AnyCollection] = field(default_factory=dict)

    def ok(self, name: str, scope: str | None = None) -> bool:
        return (name, scope) in self.values

    def value(self, name: str, scope: str | None = None, default: Any = None) -> Any:
        return self.values.get((name, scope), default)

    def snapshot(self) -> Collected:
        """A copy that later recording does not change (for a job on another thread)."""
        return Collected(dict(self.values), list(self.outcomes), dict(self.collections))

    def has_outcome(self, name: str, scope: str | None = None) -> bool:
        return any(o.collection == name and o.scope == scope for o in self.outcomes)

    def fields(self) -> dict[str, Any]:
        """Inventory fields: one scope's value as it is, regional tuples concatenated."""
        out: dict[str, Any] = {}
        for (name, _scope), value in self.values.items():
            collection = self.collections[name]
            for key, item in collection.fold(value).items():
                if collection.scope is Scope.REGION:
                    out[key] = (*out.get(key, ()), *item)
                else:
                    out[key] = item
        return out


class Recorder:
    """Turns each fetch's ending into an outcome, and its value into the run's values."""

    def __init__(
        self,
        classify: Classify,
        progress: ProgressSink | None = None,
        reraise: tuple[type[BaseException], ...] = (),
    ) -> None:
        self.classify = classify
        self.progress = progress or NullProgress()
        self.reraise = reraise
        """Exceptions that end the whole scan (rejected credentials), not one collection."""
        self.result = Collected()

    def declare(self, collections: Iterable[AnyCollection]) -> None:
        for c in collections:
            self.result.collections[c.name] = c

    def ok(self, collection: AnyCollection, scope: str | None, value: Any) -> None:
        self.result.collections[collection.name] = collection
        if isinstance(value, NotRun):
            return
        self.result.values[(collection.name, scope)] = value
        self.result.outcomes.append(CollectionOutcome(collection=collection.name, scope=scope))

    def failed(self, collection: AnyCollection, scope: str | None, exc: Exception) -> None:
        if isinstance(exc, CollectionFailedError):
            outcome = CollectionOutcome(
                collection=collection.name,
                scope=scope,
                outcome=exc.outcome,
                missing=exc.missing,
                message=str(exc),
            )
        else:
            outcome = self.classify(collection, scope, exc)
        self.add(outcome)

    def succeeded(self, collection: AnyCollection, scope: str | None = None) -> None:
        """Records an ok outcome for a collection whose data another one carried."""
        self.result.outcomes.append(CollectionOutcome(collection=collection.name, scope=scope))

    def add(self, outcome: CollectionOutcome) -> None:
        # The scan warns once per cause when the provider is done (scanner.scan); here each
        # failure is logged as it happens for -v.
        log.info("%s", outcome.describe())
        self.result.outcomes.append(outcome)

    def forget(self, name: str, scope: str | None = None) -> None:
        """Drops a value and its ok outcome (a later step showed it incomplete)."""
        self.result.values.pop((name, scope), None)
        self.result.outcomes = [
            o
            for o in self.result.outcomes
            if not (o.collection == name and o.scope == scope and o.ok)
        ]

    def attempt(
        self, collection: AnyCollection, scope: str | None, fetch: Callable[[], Any], label: str
    ) -> Any:
        """Runs one fetch (in the caller's thread) and records how it ended; never raises for
        a collection's failure. Returns the value, or None when it failed."""
        self.progress.started(label)
        try:
            with measured(label):
                value = fetch()
        except self.reraise:
            raise
        except Exception as exc:
            self.failed(collection, scope, exc)
            return None
        finally:
            self.progress.finished(label)
        self.ok(collection, scope, value)
        return value

    async def attempt_async(
        self,
        collection: AnyCollection,
        scope: str | None,
        fetch: Callable[[], Awaitable[Any]],
        label: str,
    ) -> Any:
        """`attempt` for a coroutine."""
        self.progress.started(label)
        try:
            with measured(label):
                value = await fetch()
        except self.reraise:
            raise
        except Exception as exc:
            self.failed(collection, scope, exc)
            return None
        finally:
            self.progress.finished(label)
        self.ok(collection, scope, value)
        return value

    def past_deadline(
        self,
        deadline: Deadline,
        expected: Iterable[tuple[AnyCollection, str | None]],
        missing: Callable[[AnyCollection], str | None] = lambda c: None,
    ) -> None:
        """Every expected (collection, scope) without an outcome yet becomes an error."""
        for collection, scope in expected:
            if not self.result.has_outcome(collection.name, scope):
                self.add(deadline.outcome(collection.name, scope, missing(collection)))


@dataclass(frozen=True)
class Job:
    """One collection for one scope. `run` gets what was collected so far (for `after`)."""

    collection: AnyCollection
    scope: str | None
    run: Callable[[Collected], Any]
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or f"{self.collection.name} {self.scope or ''}".strip()


def stages(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs grouped so that each collection's `after` are in an earlier group."""
    pending = list(jobs)
    wanted = {j.collection.name for j in jobs}
    placed: set[str] = set()
    out: list[list[Job]] = []
    while pending:
        ready = [
            j for j in pending if all(a in placed or a not in wanted for a in j.collection.after)
        ]
        if not ready:
            cycle = ", ".join(sorted({j.collection.name for j in pending}))
            raise TypeError(f"collections depend on each other: {cycle}")
        out.append(ready)
        placed.update(j.collection.name for j in ready)
        pending = [j for j in pending if j not in ready]
    return out


Submit = Callable[[Job, Callable[[], Any]], "Future[Any]"]
"""Puts a job's work on the provider's executor (or its lane) and returns the future."""


def run_jobs(
    jobs: Sequence[Job],
    submit: Submit,
    recorder: Recorder,
    deadline: Deadline | None = None,
    missing: Callable[[AnyCollection], str | None] = lambda c: None,
) -> Collected:
    """Runs every job on the provider's threads and settles each in submission order.

    Everything independent is in flight before anything is awaited, so one hung call costs
    only what depends on it. A job's `after` are settled before it is submitted. Past the
    deadline what is still running is recorded as an error and left behind (each call has its
    own timeout).
    """
    run = JobRun(submit, recorder, deadline, missing)
    run.start(jobs)
    return run.finish()


class JobRun:
    """`run_jobs` in steps, for jobs known only after a planning step of the provider's own
    (which projects to read): what is started first runs while the provider plans."""

    def __init__(
        self,
        submit: Submit,
        recorder: Recorder,
        deadline: Deadline | None = None,
        missing: Callable[[AnyCollection], str | None] = lambda c: None,
    ) -> None:
        self.submit = submit
        self.recorder = recorder
        self.deadline = deadline
        self.missing = missing
        self._futures: dict[int, tuple[Job, Future[Any]]] = {}
        self._settled: set[int] = set()

    def start(self, jobs: Sequence[Job]) -> None:
        """Submits the jobs; a job's `after` (of these or earlier jobs) are settled first."""
        self.recorder.declare(j.collection for j in jobs)
        self.recorder.progress.planned(len(jobs))
        for group in stages(jobs):
            needed = {a for j in group for a in j.collection.after}
            if needed:
                futures = self._futures.items()
                self._settle([k for k, (j, _) in futures if j.collection.name in needed])
            # A job reads what was collected when it started, not the dict being filled.
            seen = self.recorder.result.snapshot()
            for job in group:

                def work(job: Job = job, seen: Collected = seen) -> Any:
                    return _timed(self.recorder.progress, job.name, lambda: job.run(seen))

                self._futures[id(job)] = (job, self.submit(job, work))

    def finish(self) -> Collected:
        """Settles every job started, in submission order."""
        self._settle(list(self._futures))
        return self.recorder.result

    def _settle(self, which: Iterable[int]) -> None:
        recorder, deadline = self.recorder, self.deadline
        for key in which:
            if key in self._settled:
                continue
            self._settled.add(key)
            job, future = self._futures[key]
            remaining = None if deadline is None else deadline.remaining()
            try:
                value = future.result(timeout=remaining)
            except FuturesTimeout:
                future.cancel()
                assert deadline is not None
                name, scope = job.collection.name, job.scope
                recorder.add(deadline.outcome(name, scope, self.missing(job.collection)))
            except recorder.reraise:
                raise
            except Exception as exc:
                recorder.failed(job.collection, job.scope, exc)
            else:
                recorder.ok(job.collection, job.scope, value)


def _timed(progress: ProgressSink, label: str, fetch: Callable[[], Any]) -> Any:
    progress.started(label)
    try:
        with measured(label):
            return fetch()
    finally:
        progress.finished(label)


async def run_jobs_async(jobs: Sequence[Job], recorder: Recorder) -> Collected:
    """Runs every job as a task; a job starts once the collections in its `after` are done.

    The caller bounds the whole run (asyncio.timeout) and then calls `past_deadline`.
    """
    recorder.declare(j.collection for j in jobs)
    recorder.progress.planned(len(jobs))
    done: dict[str, asyncio.Event] = {j.collection.name: asyncio.Event() for j in jobs}
    remaining = {name: sum(1 for j in jobs if j.collection.name == name) for name in done}

    async def one(job: Job) -> None:
        try:
            for name in job.collection.after:
                if name in done:
                    await done[name].wait()

            async def fetch() -> Any:
                value = job.run(recorder.result)
                return await value if asyncio.iscoroutine(value) else value

            await recorder.attempt_async(job.collection, job.scope, fetch, job.name)
        finally:
            remaining[job.collection.name] -= 1
            if not remaining[job.collection.name]:
                done[job.collection.name].set()

    async with asyncio.TaskGroup() as group:
        for job in jobs:
            group.create_task(one(job))
    return recorder.result
