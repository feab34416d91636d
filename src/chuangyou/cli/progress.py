"""A progress bar on a terminal (stderr), none when output is piped."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

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
