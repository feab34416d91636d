"""Generate docs/cli.md (the Chinese CLI reference) from the commands' own --help.

Usage:
    python scripts/gen_cli_docs.py           # rewrite docs/cli.md
    python scripts/gen_cli_docs.py --check   # exit 1 if docs/cli.md is out of date

The commands are discovered from the Typer app, so a new command appears in the reference
as soon as it is registered. tests/test_cli_help.py fails when the committed file differs
from this output; regenerate after changing any command or its help text.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "cli.md"
WIDTH = 100
PROG = "chuangyou"

_NO_DETECTION = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")

HEADER = """\
# 命令行参考

<!-- 本文件由 scripts/gen_cli_docs.py 自动生成，请勿手工修改。 -->

> 本文件由 `python scripts/gen_cli_docs.py` 根据各命令的 `--help` 自动生成（宽度 {width} 列），
> 请勿手工修改。增加或修改命令、选项或帮助文字后，在项目根目录运行
> `python scripts/gen_cli_docs.py` 重新生成；`python scripts/gen_cli_docs.py --check` 只检查是否最新。
> 测试 `tests/test_cli_help.py` 会比对本文件与生成结果，不一致时测试失败。

在任何命令后加 `--help`（或 `-h`）都可以在终端里看到同样的说明。

## 目录

"""


def iter_commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every visible command and group, depth first, in registration order."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        if not getattr(sub, "hidden", False):
            yield from iter_commands(sub, (*path, name))


def root_command() -> Any:
    import typer.main

    from chuangyou.cli.app import app

    return typer.main.get_command(app)


def help_text(path: tuple[str, ...], width: int = WIDTH) -> str:
    """The --help of one command exactly as a terminal of ``width`` columns shows it, without colour."""
    import typer.rich_utils as rich_utils
    from typer.testing import CliRunner

    from chuangyou.cli.app import app

    saved_width = rich_utils.MAX_WIDTH
    rich_utils.MAX_WIDTH = width
    # Typer reads this when it builds the command (before CliRunner's env applies); it
    # changes the completion options' help, so document the normal one.
    saved_detection = os.environ.pop(_NO_DETECTION, None)
    try:
        result = CliRunner().invoke(app, [*path, "--help"], prog_name=PROG, env={"NO_COLOR": "1"})
    finally:
        rich_utils.MAX_WIDTH = saved_width
        if saved_detection is not None:
            os.environ[_NO_DETECTION] = saved_detection
    if result.exit_code != 0:
        raise RuntimeError(f"{PROG} {' '.join(path)} --help 退出码为 {result.exit_code}：{result.output}")
    text = _ANSI.sub("", result.output)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _anchor(title: str) -> str:
    """GitHub-style heading anchor: lower case, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def render(width: int = WIDTH) -> str:
    commands = list(iter_commands(root_command()))
    titles = [" ".join((PROG, *path)) for path, _ in commands]
    parts = [HEADER.format(width=width)]
    for (path, command), title in zip(commands, titles, strict=True):
        indent = "  " * len(path)
        summary = (command.help or "").strip().split("\n", 1)[0]
        parts.append(f"{indent}- [{title}](#{_anchor(title)})：{summary}\n")
    for (path, _), title in zip(commands, titles, strict=True):
        parts.append(f"\n## {title}\n\n```text\n{help_text(path, width)}\n```\n")
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} 不是最新的，请运行 python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} 是最新的")
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"已写入 {OUTPUT.relative_to(ROOT)}（{len(text.splitlines())} 行）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
