"""Process pools that keep memory bounded (used by every build stage), results in order or as they finish.

``ordered_map`` runs a function over items in forked worker processes (a
``concurrent.futures.ProcessPoolExecutor``: a worker that dies, out of memory or killed, makes the
pool raise ``BrokenProcessPool`` instead of hanging as ``multiprocessing.Pool`` would), hands the
results back in input order and keeps at most ``max_in_flight`` items submitted and not yet
consumed, so memory stays bounded whatever the size of the collection.  Workers are forked, so
they inherit what the caller prepared (a tagger, a schema) copy-on-write instead of unpickling it.
``unordered_map`` does the same but hands results back as they finish.  With one worker
everything runs in the calling process.
"""
from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Callable, Iterable, Iterator


def _run_batch(fn: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [fn(x) for x in batch]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], *, workers: int, chunk: int = 4,
                max_in_flight: int = 32) -> Iterator[Any]:
    """``fn`` over ``items`` in ``workers`` forked processes, results in input order, at most
    ``max_in_flight`` items submitted and not yet consumed."""
    if workers <= 1:
        yield from (fn(x) for x in items)
        return
    in_flight = max(1, max_in_flight // max(1, chunk))
    with _fork_pool(workers) as pool:
        pending: deque[Future] = deque()
        try:
            for batch in _batches(items, chunk):
                pending.append(pool.submit(_run_batch, fn, batch))
                if len(pending) >= in_flight:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BaseException:
            for f in pending:
                f.cancel()
            raise


def unordered_map(fn: Callable[[Any], Any], items: Iterable[Any], *, workers: int, chunk: int = 4,
                  max_in_flight: int = 32) -> Iterator[Any]:
    """``fn`` over ``items`` in ``workers`` forked processes, results as they finish (not in input order),
    at most ``max_in_flight`` items submitted and not yet consumed: for work whose items differ a
    thousandfold in cost, where one large item in front would hold up the other cores."""
    if workers <= 1:
        yield from (fn(x) for x in items)
        return
    in_flight = max(workers, max_in_flight // max(1, chunk))
    with _fork_pool(workers) as pool:
        pending: set[Future] = set()
        try:
            for batch in _batches(items, chunk):
                pending.add(pool.submit(_run_batch, fn, batch))
                while len(pending) >= in_flight:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for f in done:
                        yield from f.result()
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    yield from f.result()
        except BaseException:
            for f in pending:
                f.cancel()
            raise


def _fork_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
