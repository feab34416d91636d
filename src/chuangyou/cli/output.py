"""Where CLI output goes: a rich console on a terminal, plain text when piped."""

from __future__ import annotations

import sys
from functools import lru_cache

from rich.console import Console


@lru_cache(maxsize=2)
def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=not stream.isatty())


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
