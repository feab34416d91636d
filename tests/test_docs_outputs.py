"""Quoted outputs in the user docs are what the shipped examples really print.

docs/evidence.md and docs/ranking.md show command lines run on the files under examples/
together with their output. A block is checked when the line before its command block is
the marker below; the next fenced block after the command block is its output. The
command runs in-process at 100 columns from a folder where ``examples`` points at the
shipped examples (so files written with ``-o`` land in a temporary folder), and what it
writes to the screen (standard output, then standard error) must equal the quoted block,
apart from trailing spaces.

To refresh a block after a deliberate change, run the command from the repository root
with COLUMNS=100 and paste its output.
"""

from __future__ import annotations

import contextlib
import shlex
from pathlib import Path

import pytest

from chuangyou.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ("evidence.md", "ranking.md")
MARK = "<!-- 输出：由 tests/test_docs_outputs.py 核对 -->"
FENCE = "```"
WIDTH = 100


def _fenced_blocks(lines: list[str], start: int) -> tuple[list[str], int]:
    """The body of the first fenced block at or after line `start`, and the line after it."""
    index = start
    while not lines[index].strip().startswith(FENCE):
        index += 1
    body: list[str] = []
    index += 1
    while not lines[index].strip().startswith(FENCE):
        body.append(lines[index])
        index += 1
    return body, index + 1


def marked_blocks(text: str) -> list[tuple[str, str]]:
    """(command line, quoted output) for every marked command block of a document."""
    lines = text.splitlines()
    found: list[tuple[str, str]] = []
    for number, line in enumerate(lines):
        if line.strip() != MARK:
            continue
        command, after = _fenced_blocks(lines, number + 1)
        output, _ = _fenced_blocks(lines, after)
        assert len(command) == 1, f"line {number + 1}: a marked command block holds one command"
        found.append((command[0].strip(), "\n".join(output)))
    return found


CASES = [
    pytest.param(command, output, id=f"{name}: {command}")
    for name in DOCS
    for command, output in marked_blocks((ROOT / "docs" / name).read_text(encoding="utf-8"))
]


def normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def test_the_main_outputs_are_marked() -> None:
    commands = [case.values[0] for case in CASES]
    assert "chuangyou score examples/示例-东关村党支部.xlsx" in commands
    assert any(command.startswith("chuangyou rank examples/城关镇") for command in commands)
    assert len(commands) >= 3


@pytest.mark.parametrize(("command", "quoted"), CASES)
def test_quoted_output_matches_the_examples(
    command: str, quoted: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = shlex.split(command)
    assert tokens[0] == "chuangyou"
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    with contextlib.suppress(SystemExit):
        main(tokens[1:])
    out, err = capsys.readouterr()
    assert normalize(out + err) == normalize(quoted), f"refresh with: COLUMNS={WIDTH} {command}"
