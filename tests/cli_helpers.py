"""The command line run in-process, as a user runs it: (exit code, stdout, stderr); rubric files
varied from a bundled one for the commands that compare standards."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

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


BUNDLED_VILLAGE = Path(__file__).resolve().parent.parent / "rubrics" / "village.yaml"


def variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """The bundled village rubric with each ``old`` (found exactly once) replaced by ``new``."""
    text = BUNDLED_VILLAGE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_script(name: str, path: Path) -> Any:
    """A script of the repository (scripts/, bench/) imported as module ``name``; registered
    in sys.modules first, where dataclasses look their module up while it loads."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
