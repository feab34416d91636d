"""Every `chuangyou …` command line quoted in the user docs runs against the real CLI.

docs/evidence.md, docs/ranking.md and docs/rubric-format.md are read by people who copy command lines into a
terminal, so a renamed command or option must fail here rather than in their hands. Each
quoted line is parsed by the Typer app itself (click's ``make_context``: it resolves the
command, checks every option name, option value and argument count, and never runs the
command), so nothing is read or written and the whole check takes milliseconds.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from chuangyou.cli.app import app

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"
DOCS = ("evidence.md", "ranking.md", "rubric-format.md", "collection.md", "documents.md")
# Inline code such as `chuangyou score 东关村.xlsx --explain`; fenced blocks are read line by line.
INLINE = re.compile(r"`(chuangyou(?:\s[^`]*)?)`")
# Inline code naming an option on its own, such as `--step-promotion` or `--rubric 标准文件.yaml`.
INLINE_OPTION = re.compile(r"`(--?[A-Za-z][A-Za-z-]*)(?:\s[^`]*)?`")
FENCE = "```"
# Shell syntax that ends the part of a line chuangyou itself sees (redirects, pipes).
SHELL_OPERATORS = {">", ">>", "<", "|", "2>", "2>&1", "&&", ";"}
ROOT = typer.main.get_command(app)


def command_lines(text: str) -> list[str]:
    """`chuangyou …` lines: whole lines inside fenced blocks, and inline code spans elsewhere."""
    found: list[str] = []
    in_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(FENCE):
            in_fence = not in_fence
            continue
        if in_fence:
            if stripped == "chuangyou" or stripped.startswith("chuangyou "):
                found.append(stripped)
        else:
            found.extend(match.strip() for match in INLINE.findall(line))
    return found


def _doc_lines() -> list[tuple[str, str]]:
    cases: list[tuple[str, str]] = []
    for name in DOCS:
        text = (DOCS_DIR / name).read_text(encoding="utf-8")
        cases.extend((name, line) for line in dict.fromkeys(command_lines(text)))
    return cases


CASES = _doc_lines()


def resolve(line: str) -> tuple[list[str], Any, list[str]]:
    """(command path, click command, the arguments left for it) for a documented line.

    Raises AssertionError naming the unknown command.
    """
    tokens = shlex.split(line)
    assert tokens[0] == "chuangyou", line
    for index, token in enumerate(tokens):
        if token in SHELL_OPERATORS:
            tokens = tokens[:index]
            break
    path: list[str] = []
    command: Any = ROOT
    rest = tokens[1:]
    while hasattr(command, "commands") and rest and not rest[0].startswith("-"):
        sub = command.commands.get(rest[0])
        known = "、".join(sorted(command.commands))
        assert sub is not None, f"`{line}`: no command “{rest[0]}” (known: {known})"
        path.append(rest[0])
        command, rest = sub, rest[1:]
    assert path, f"`{line}`: names no command"
    return path, command, rest


def parse(line: str) -> dict[str, Any]:
    """Parse a documented line with the real command; its parameters, or an AssertionError."""
    path, command, rest = resolve(line)
    if not rest:
        return {}  # a mention of the command alone, e.g. `chuangyou rank` in running text
    try:
        with command.make_context(" ".join(["chuangyou", *path]), list(rest)) as ctx:
            return dict(ctx.params)
    except Exception as exc:  # click's UsageError family: unknown option, bad value, missing argument
        raise AssertionError(f"`{line}` does not parse: {exc}") from None


@pytest.mark.parametrize(("doc", "line"), CASES, ids=[f"{d}: {line}" for d, line in CASES])
def test_documented_command_line_parses(doc: str, line: str) -> None:
    parse(line)


@pytest.mark.parametrize(
    ("doc", "commands", "at_least"),
    [("evidence.md", {"template", "score"}, 8), ("ranking.md", {"rank", "export"}, 10)],
)
def test_docs_quote_their_commands(doc: str, commands: set[str], at_least: int) -> None:
    """Guards the extractor: each doc really quotes its commands, with options, many times."""
    lines = [line for name, line in CASES if name == doc]
    assert len(lines) >= at_least
    quoted = {resolve(line)[0][0] for line in lines}
    assert commands <= quoted
    assert any("--" in line for line in lines)


def option_mentions(text: str) -> list[str]:
    """Option names quoted on their own in running text (outside fenced blocks)."""
    found: list[str] = []
    in_fence = False
    for line in text.splitlines():
        if line.strip().startswith(FENCE):
            in_fence = not in_fence
        elif not in_fence:
            found.extend(INLINE_OPTION.findall(line))
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_options_named_in_text_exist(doc: str) -> None:
    """`--previous` in a sentence must be an option of one of the commands the doc quotes."""
    commands = {id(c): c for c in (resolve(line)[1] for name, line in CASES if name == doc)}
    known = {"--help", "-h"}
    for command in commands.values():
        for param in command.params:
            known.update(param.opts, param.secondary_opts)
    mentioned = option_mentions((DOCS_DIR / doc).read_text(encoding="utf-8"))
    assert mentioned
    assert sorted(set(mentioned) - known) == []


def test_checks_can_fail() -> None:
    """The check rejects what a stale doc would contain (so the parametrized test means something)."""
    assert parse('chuangyou rank 河西镇 --quota "优秀党支部<=30%" -o 名单.xlsx --format json > x.json')["quota"] == [
        "优秀党支部<=30%"
    ]
    for bad in (
        "chuangyou rank 河西镇 --quotas 优秀党支部<=30%",  # unknown option
        "chuangyou score 东关村.xlsx --format xml",  # value outside the choices
        "chuangyou rank 河西镇 --jobs 0",  # below the minimum
        "chuangyou scores 东关村.xlsx",  # unknown command
        "chuangyou score 甲.xlsx 乙.xlsx",  # one argument too many
    ):
        with pytest.raises(AssertionError):
            parse(bad)


def test_extractor_reads_fences_and_inline_code() -> None:
    text = "\n".join([
        "运行 `chuangyou score 东关村.xlsx`，或者 `chuangyou rank`。",
        "```",
        "chuangyou template --rubric village -o 村.xlsx",
        "已生成模板：村.xlsx",
        "```",
        "正文中的 chuangyou rank 不在代码里，不算。",
    ])
    assert command_lines(text) == [
        "chuangyou score 东关村.xlsx", "chuangyou rank", "chuangyou template --rubric village -o 村.xlsx",
    ]
