"""Where CLI output goes: a rich console on a terminal, plain text when piped."""

from __future__ import annotations

import sys
from functools import lru_cache

from rich.console import Console


@lru_cache(maxsize=2)
def console(stderr: bool = False) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    # Piped output (saved to a file, read in an editor) gets a wide page instead of 80 columns.
    return Console(file=stream, highlight=False, width=None if tty else 160)


def write_stdout(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
