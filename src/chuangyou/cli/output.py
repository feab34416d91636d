"""Where CLI output goes: a rich console on a terminal, plain text when piped."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import TextIO

from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console for the current stdout/stderr (tests swap the streams between runs)."""
    return _console(sys.stderr if stderr else sys.stdout)


@lru_cache(maxsize=8)
def _console(stream: TextIO) -> Console:
    tty = stream.isatty()
    # Piped output (saved to a file, read in an editor) gets a wide page instead of 80 columns.
    # COLUMNS, when set, is the width asked for (as rich does on a terminal).
    wide = tty or bool(os.environ.get("COLUMNS"))
    return Console(file=stream, highlight=False, width=None if wide else 160)


def write_stdout(text: str) -> None:
    """Machine-readable output (JSON, CSV): always UTF-8 when redirected to a file.

    On Chinese Windows the console encoding is GBK; a ``> 结果.json`` redirect must still
    produce the UTF-8 file that ``chuangyou export`` and ``--previous`` read back.
    """
    text = text if text.endswith("\n") else text + "\n"
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None and not sys.stdout.isatty():
        sys.stdout.flush()
        # backslashreplace: a lone surrogate (no file can hold one) is written as \udcff, not a crash.
        buffer.write(text.encode("utf-8", "backslashreplace"))
        buffer.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()
