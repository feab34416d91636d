"""The command line run in-process, as a user runs it: (exit code, stdout, stderr)."""

from __future__ import annotations

import pytest

from chuangyou.cli import output
from chuangyou.cli.main import main


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    output._console.cache_clear()  # a console bound to an earlier test's closed stream
    code = 0
    try:
        main(argv)  # returns normally when a command ends without an error
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
