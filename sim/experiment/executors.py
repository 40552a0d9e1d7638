"""Who runs the batches: this process, local worker processes, or a Dask cluster.

The sweep does not care. It hands an executor a function and a stream of
batches and takes results back *as they finish*, in whatever order; rows are
keyed by (point, replication), so order never matters. An analyst who
outgrows one machine changes ``--workers 8`` into
``--scheduler tcp://head-node:8786`` and nothing else.

Only a bounded number of batches is in flight at a time (a few per worker),
so a sweep of a million replications holds a few batches in memory, not a
million futures.

- ``LocalExecutor(1)`` runs batches in this process (no pickling at all).
- ``LocalExecutor(n)`` runs them in ``n`` worker processes. The workers
  ignore Ctrl-C: the main process catches it, stops handing out work and
  keeps what is already stored. They exit by themselves when the main
  process is killed.
- ``DaskExecutor`` submits them to a Dask scheduler, or to a LocalCluster it
  starts. Dask is the optional extra ``hotline-sim[dask]``.

``start`` hands out a few tasks and lets the caller work meanwhile: when a
sweep's replications are done, two local workers draw its figures while the
main process works out the statistics, instead of one process doing both.
"""

from __future__ import annotations

import gc
import logging
import os
import signal
import threading
import time
from abc import ABC, abstractmethod
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

BATCHES_PER_WORKER_IN_FLIGHT = 3
PARENT_POLL_S = 0.5


class ExecutorUnavailable(Exception):
    """The executor asked for cannot be had here (Dask missing, scheduler unreachable)."""


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Executor(ABC):
    """Runs ``fn(task)`` for every task; yields the results as they finish."""

    workers: int

    @abstractmethod
    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]: ...

    def start(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Callable[[], list[Any]]:
        """Begin ``fn(task)`` for every task and return a function that waits for the results, so
        this process can do other work meanwhile. Here they run in this process, when waited for:
        tasks that read local files must not go to a cluster that may not see them."""
        return lambda: [fn(task) for task in tasks]

    def describe(self) -> str:
        return f"{type(self).__name__}({self.workers})"

    def close(self) -> None:
        """Release workers and connections."""

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _init_worker(parent: int) -> None:
    """Leave Ctrl-C to the main process, and die with it: after a ``kill -9`` of
    the main process nobody would ever read a worker's results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


class LocalExecutor(Executor):
    def __init__(self, workers: Optional[int] = None) -> None:
        if workers is not None and workers < 1:
            raise ExecutorUnavailable(f"--workers must be at least 1, got {workers}")
        self.workers = workers or available_cores()
        self._pool: Optional[ProcessPoolExecutor] = None

    def describe(self) -> str:
        return f"{self.workers} local worker{'s' * (self.workers > 1)}"

    def cap(self, workers: int) -> bool:
        """Start no more than ``workers`` processes; False once the pool has started."""
        if self._pool is not None or workers >= self.workers:
            return False
        self.workers = max(workers, 1)
        return True

    def start(self, fn: Callable[[Any], Any], tasks: Sequence[Any]) -> Callable[[], list[Any]]:
        """On worker processes when there are several (they see this machine's files)."""
        if self.workers == 1:
            return super().start(fn, tasks)
        futures = [self._started().submit(fn, task) for task in tasks]
        return lambda: [future.result() for future in futures]

    def _started(self) -> ProcessPoolExecutor:
        """The pool, its workers forked now with this process's objects frozen out of the garbage
        collector's sight: otherwise each worker's first full collection walks the whole inherited
        heap, copying its pages (about 0.1 s of a worker's first batch, measured)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(os.getpid(),))
            gc.freeze()
            try:
                self._pool.submit(int)  # where fork is the start method, the first task forks every worker
            finally:
                gc.unfreeze()
        return self._pool

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        if self.workers == 1:
            yield from map(fn, tasks)
            return
        pool = self._started()
        pending: set[Future] = set()
        queue = iter(tasks)
        limit = self.workers * BATCHES_PER_WORKER_IN_FLIGHT
        try:
            while True:
                for task in queue:
                    pending.add(pool.submit(fn, task))
                    if len(pending) >= limit:
                        break
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """A Dask scheduler at ``address``, or a LocalCluster of ``workers`` processes."""

    def __init__(self, address: Optional[str] = None, workers: Optional[int] = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorUnavailable("Dask is not installed: pip install 'hotline-sim[dask]'") from None
        self._cluster = None
        self.address = address
        try:
            if address is None:
                self._cluster = LocalCluster(n_workers=workers or available_cores(), threads_per_worker=1,
                                             processes=True, dashboard_address=None,
                                             silence_logs=logging.ERROR)
                self.client = Client(self._cluster)
            else:
                self.client = Client(address, timeout="10s")
        except ValueError as error:  # distributed's own parser of addresses
            self.close()
            raise ExecutorUnavailable(f"--scheduler: expected an address such as tcp://head-node:8786, "
                                      f"got {address} ({error})") from None
        except (OSError, TimeoutError) as error:
            self.close()
            raise ExecutorUnavailable(f"cannot reach the Dask scheduler {address}: {error}") from None
        self.workers = max(sum(self.client.nthreads().values()), 1)

    def describe(self) -> str:
        where = self.address or "a local Dask cluster"
        return f"{where} ({self.workers} worker thread{'s' * (self.workers > 1)})"

    def map_unordered(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        from distributed import as_completed

        queue = iter(tasks)
        running = as_completed()
        for task in queue:
            running.add(self.client.submit(fn, task, pure=False))
            if running.count() >= self.workers * BATCHES_PER_WORKER_IN_FLIGHT:
                break
        try:
            for future in running:
                result = future.result()
                future.release()
                yield result
                task = next(queue, None)
                if task is not None:
                    running.add(self.client.submit(fn, task, pure=False))
        finally:
            running.clear()

    def close(self) -> None:
        client, cluster = getattr(self, "client", None), self._cluster
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
