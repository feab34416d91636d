"""The example township's results (``rank examples/城关镇 --format json``) and readers for
the Word documents written from them (python-docx reads them back)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from docx.oxml.ns import qn

from chuangyou.cli import output as cli_output
from chuangyou.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run(argv: list[str], cwd: Path = ROOT) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    cli_output._console.cache_clear()  # bind the console to this run's streams
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.chdir(cwd)
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
    cli_output._console.cache_clear()
    return code, out.getvalue(), err.getvalue()


def township_results(folder: Path) -> Path:
    """The README's township ranked to JSON, with sources relative to the repository root."""
    code, out, err = run(["rank", "examples/城关镇", "--format", "json"])
    assert code == 1, err  # 北岗村 cannot be scored
    path = folder / "结果.json"
    path.write_text(out, encoding="utf-8")
    return path


def east_asian(run_: Any) -> str | None:
    fonts = run_._r.rPr.rFonts if run_._r.rPr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def cell_texts(doc: Any) -> Iterator[str]:
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield cell.text


def mm(length: Any) -> float:
    return round(length / 36000, 1)  # EMU per millimetre
