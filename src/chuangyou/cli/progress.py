"""A progress bar on a terminal (stderr), none when output is piped; the scoring of a batch
under it, as rank, collect and whatif run it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from chuangyou.batch import BatchResult
    from chuangyou.ranking import PreviousResult

T = TypeVar("T")


def with_progress(label: str, total: int, work: Callable[[Callable[[int], None] | None], T]) -> T:
    """``work(update)``, with ``update(done)`` moving a bar when stderr is a terminal.

    The bar starts on the first update, as ``rank``'s does: a batch forks its worker
    processes before that, and forking while the bar's refresh thread runs could deadlock.
    """
    if not sys.stderr.isatty():
        return work(None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from chuangyou.cli.output import console

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn())
    bar = Progress(*columns, transient=True, console=console(stderr=True))
    task = bar.add_task(label, total=total)

    def update(done: int) -> None:
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done)

    try:
        return work(update)
    finally:
        bar.stop()


def score_batch(paths: list[Path], rubric_ref: str | None, jobs: int | None, run_batch: Any,
                cache: Any = None) -> BatchResult:
    """``run_batch`` over ``paths`` with a progress bar on a terminal (none when stderr is piped)."""
    return with_progress("评分中", len(paths),
                         lambda update: run_batch(paths, rubric_ref, jobs, progress=update, cache=cache))


def previous_results(path: Path | None) -> list[PreviousResult] | None:
    """Last year's results (--previous), read before any scoring: a bad file stops the run early."""
    if path is None:
        return None
    from chuangyou.ranking import load_previous

    return list(load_previous(path))
