"""Where CLI output goes: a rich console on a terminal, plain text when piped."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from functools import lru_cache
from typing import TextIO

from rich.console import Console

from chuangyou.errors import UsageError


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


def stdout_target() -> str:
    """What standard output is, for a message: the file it is redirected to, if known."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        target = os.readlink(f"/proc/self/fd/{sys.stdout.fileno()}")  # Linux
        if target.startswith("/") and not target.startswith("/dev/pts/"):
            return f"标准输出（重定向到 {target}）"
    return "标准输出（屏幕或重定向的文件）"


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Writing the results to stdout: a full disk or a pulled USB stick under a ``> 结果.json``
    becomes a message saying what could not be written. A closed pipe (``| head``) is left to
    end quietly. Standard output is then pointed at the null device, so that Python's final
    flush at exit does not print an English traceback of the same error."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        from chuangyou.safeio import os_reason

        where = stdout_target()
        _silence_stdout()
        raise UsageError(f"无法把结果写入{where}：{os_reason(exc)}；结果不完整，请腾出空间后重新运行") from None


def _silence_stdout() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def write_stdout(text: str) -> None:
    """Machine-readable output (JSON, CSV): always UTF-8 when redirected to a file.

    On Chinese Windows the console encoding is GBK; a ``> 结果.json`` redirect must still
    produce the UTF-8 file that ``chuangyou export`` and ``--previous`` read back.
    """
    with guarded_stdout():
        _write_stdout(text)


def write_csv(text: str) -> None:
    """CSV on stdout: with a BOM when redirected, so that Excel opens the UTF-8 file with
    the right encoding (none on a terminal, where it would show)."""
    write_stdout(("\ufeff" if not sys.stdout.isatty() else "") + text)


def _write_stdout(text: str) -> None:
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
