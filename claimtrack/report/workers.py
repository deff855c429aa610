"""Worker processes for the report's slow, independent work: formatting references, rendering claims.

citeproc-py takes 1-2 ms an entry and a claim's sections about half a
millisecond, so a cold report of ten thousand claims citing five thousand
entries is mostly that. Both are lists of independent items, so a
:class:`Pool` cuts them into chunks that forked worker processes take from the
front while this process, once it has nothing else to do, takes chunks from
the back (those no worker has started yet), until they meet.

Workers are forked only where that is safe (Linux, a process with one thread)
and only for enough work; elsewhere, or when workers cannot be started or die,
the chunks are done here. Forked workers inherit everything the jobs need (the
loaded library, the citation style), so nothing is pickled but the chunks and
their results, which is why every job is added before :meth:`Pool.start`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any

from ..fileio import fork_is_safe

__all__ = ["Pool", "Job"]

#: Below this much work (in items of the largest job), starting workers costs more than it saves.
SPREAD_FROM = 400

Task = Callable[[list[Any]], list[Any]]

# The jobs' tasks, by number: set in this process before the workers are forked.
_tasks: list[Task] = []


def _run(index: int, items: list[Any]) -> list[Any]:
    return _tasks[index](items)


class Job:
    """A task over a list of items, in chunks; :meth:`results` gives every item's result, in order."""

    def __init__(self, task: Task, items: list[Any], chunk: int) -> None:
        self.task = task
        self.chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        self.size = len(items)
        self.futures: list[Future[list[Any]] | None] = []

    def results(self, progress: Callable[[int], None] | None = None) -> list[Any]:
        """Every item's result, in order (see :meth:`each`)."""
        done = dict(self.each(progress))
        return [result for index in range(len(self.chunks)) for result in done[index]]

    def each(self, progress: Callable[[int], None] | None = None) -> Iterator[tuple[int, list[Any]]]:
        """``(chunk number, its results)`` for every chunk, as each is done.

        Chunks no worker has started are done here, from the last one back; between two of them,
        the chunks workers have finished are given, so that their results are not all held at
        once; nor are they kept once given: call this once. ``progress`` is called with the number
        of items of each chunk as it is given.
        """
        given: set[int] = set()

        def finished(index: int, chunk: list[Any]) -> list[Any]:
            future = self.futures[index]
            assert future is not None
            self.futures[index] = None  # a future keeps its result: once given, let it go
            try:
                return future.result()
            except (OSError, BrokenProcessPool):
                return self.task(chunk)  # a worker died (a process limit, memory): do it here

        def ready() -> Iterator[tuple[int, list[Any]]]:
            for index, future in enumerate(self.futures):
                if index not in given and future is not None and future.done() and not future.cancelled():
                    given.add(index)
                    yield index, finished(index, self.chunks[index])

        for index in range(len(self.chunks) - 1, -1, -1):
            if index in given:
                continue
            future = self.futures[index] if index < len(self.futures) else None
            if future is None or future.cancel():
                given.add(index)
                results = self.task(self.chunks[index])
                if progress is not None:
                    progress(len(self.chunks[index]))
                yield index, results
                for other, results in ready():
                    if progress is not None:
                        progress(len(self.chunks[other]))
                    yield other, results
        for index, chunk in enumerate(self.chunks):
            if index not in given:
                given.add(index)
                results = finished(index, chunk)
                if progress is not None:
                    progress(len(chunk))
                yield index, results


class Pool:
    """Jobs shared between forked workers and this process; use as a context manager."""

    def __init__(self, workers: int | None = None) -> None:
        # This process works too, so one worker per other core.
        self.workers = workers if workers is not None else max((os.cpu_count() or 1) - 1, 0)
        self.jobs: list[Job] = []
        self._executor: ProcessPoolExecutor | None = None

    def add(self, task: Task, items: list[Any], *, chunk: int = 100) -> Job:
        job = Job(task, items, chunk)
        self.jobs.append(job)
        return job

    def start(self) -> None:
        """Fork the workers, if worth it and safe, and hand them every job's chunks, in the order the jobs were added."""
        if self._executor is not None or self.workers < 1 or not fork_is_safe():
            return
        if max((job.size for job in self.jobs), default=0) < SPREAD_FROM:
            return
        _tasks[:] = [job.task for job in self.jobs]
        try:
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("fork"))
            for index, job in enumerate(self.jobs):
                job.futures = [self._executor.submit(_run, index, chunk) for chunk in job.chunks]
        except (OSError, RuntimeError, BrokenProcessPool):
            self.close()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        for job in self.jobs:
            job.futures = []
        _tasks.clear()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
