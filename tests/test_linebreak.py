"""Tables and help wrap Chinese text and never cut it, at terminals 80 and 100 columns wide."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from chuangyou.cli import linebreak
from chuangyou.rubric import bundled_rubrics, resolve
from cli_helpers import load_script, run_cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
WIDTHS = (80, 100)
BOX = "│┃║"
CLOSING = "）)】》”，。、；：！？"
OPENING = "（(【《“"


def run(argv: list[str], width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run_cli(argv, capsys)
    return code, out + err


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chinese(text: str) -> str:
    """The text without ASCII, spaces and box drawing: the Chinese in reading order."""
    return re.sub(r"[\x00-\x7f\s│┃║╭╮╰╯─]+", "", text)


def cells_by_row(text: str) -> list[list[str]]:
    """The text of each cell of a rich table with row lines, column by column, wraps joined."""
    rows: list[list[str]] = []
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith(("├", "┡", "└")):
            if current is not None:
                rows.append(current)
            current = None
            continue
        if not line.startswith("│"):
            continue
        parts = line.strip("│").split("│")
        if current is None:
            current = ["" for _ in parts]
        for i, part in enumerate(parts):
            current[i] += part.strip()
    return rows


#: rich's mark of a cut cell: "…" as the last thing in a cell or a line ("结果.json…", a
#: metavar for several files, is text, not a cut).
CUT = re.compile(r"…\s*(?:[│┃]|$)", re.M)


def assert_fits_and_uncut(text: str, width: int) -> None:
    assert not CUT.findall(text), [line for line in text.splitlines() if CUT.search(line)][:3]
    too_wide = [line for line in text.splitlines() if cell_len(line) > width]
    assert not too_wide, too_wide[:3]


# -- the rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "units"), [
    ("生成模板（Excel 工作簿）：基本信息", ["生", "成", "模", "板", "（Excel 工作簿）：", "基", "本", "信", "息"]),
    ("超过3名、不足50名", ["超", "过", "3名、", "不", "足", "50名"]),
    ("写出 --previous 文件", ["写", "出 ", "--previous ", "文", "件"]),
    ("“互联网+”“智慧党建”", ["“互联网+”", "“智慧党建”"]),
    ("village）；给出", ["village）；", "给", "出"]),
])
def test_break_units(text: str, units: list[str]) -> None:
    assert [w for _s, _e, w in linebreak.words(text)] == units


def test_a_long_bracket_breaks_inside_but_never_next_to_a_bracket() -> None:
    text = "上一年度的结果（rank 输出的 JSON 或导出的等级名单 .xlsx），用于标注"
    units = [w for _s, _e, w in linebreak.words(text)]
    assert "".join(units) == text
    assert not any(u[0] in CLOSING for u in units)
    assert not any(u.rstrip()[-1] in OPENING for u in units)


# -- tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("rubric_id", ["village", "two_new", "agency"])
def test_rubric_show_holds_every_name_and_text_whole(
    rubric_id: str, width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run(["rubric", "show", rubric_id], width, capsys, monkeypatch)
    assert code == 0
    assert_fits_and_uncut(out, width)
    rubric = resolve(rubric_id)
    rows = cells_by_row(out.split("等级与否决条件")[0])
    items = [(c, i) for c in rubric.categories for i in c.items]
    assert len(rows) == len(items)
    for row, (category, item) in zip(rows, items, strict=True):
        if row[0]:
            assert row[0].startswith(squeeze(category.name))
        assert row[1].startswith(squeeze(item.name))
        assert row[3] == squeeze(item.standard)
        assert row[4] == squeeze(item.method)


@pytest.mark.parametrize("width", WIDTHS)
def test_rubric_list_wraps(width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(["rubric", "list"], width, capsys, monkeypatch)
    assert code == 0
    assert_fits_and_uncut(out, width)
    for rubric in bundled_rubrics():
        assert squeeze(rubric.name) in squeeze(re.sub(f"[{BOX}]", "", out)) or rubric.id in out


@pytest.mark.parametrize("width", WIDTHS)
def test_rank_table_and_failures_wrap(width: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(["rank", str(EXAMPLES / "城关镇"), "--jobs", "1"], width, capsys, monkeypatch)
    assert code == 1
    assert_fits_and_uncut(out, width)
    flat = squeeze(re.sub(f"[{BOX}]", "", out))
    assert "“村(居)务监督委员会健全并正常开展监督”的值“良好”无法识别" in flat
    assert "北岗村党支部.xlsx考评数据!F9" in flat


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("explain", [False, True])
def test_score_tables_wrap(width: int, explain: bool, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["score", str(EXAMPLES / "示例-东关村党支部.xlsx"), *(["--explain"] if explain else [])]
    code, out = run(argv, width, capsys, monkeypatch)
    assert code == 0
    assert_fits_and_uncut(out, width)


# -- help -----------------------------------------------------------------------------------


def _gen_cli_docs() -> Any:
    return load_script("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")


DOCS = _gen_cli_docs()
COMMANDS = [(path, command) for path, command in DOCS.iter_commands(DOCS.root_command())]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(("chuangyou", *p)) for p, _ in COMMANDS])
def test_help_is_never_cut(path: tuple[str, ...], command: Any, width: int) -> None:
    text = DOCS.help_text(path, width)
    assert_fits_and_uncut(text, width)
    # Compared without ASCII: a long metavar that typer folds in the next column (<a|b|…|for
    # m>) interleaves with the help's lines; the Chinese text must still be there whole.
    flat = chinese(text)
    for param in command.params:
        if getattr(param, "help", None):
            assert chinese(param.help) in flat, param.name
    for sub in getattr(command, "commands", {}).values():
        if not sub.hidden:
            assert chinese((sub.help or "").split("\n\n")[0]) in flat, sub.name


@pytest.mark.parametrize("width", WIDTHS)
def test_help_keeps_brackets_with_their_content(width: int) -> None:
    for path, _command in COMMANDS:
        for line in DOCS.help_text(path, width).splitlines():
            body = line.strip(" " + BOX + "╭╮╰╯─")
            parts = [p.strip() for p in re.split(f"[{BOX}]", body) if p.strip()]
            for part in parts:
                assert part[0] not in CLOSING, line
                assert part[-1] not in OPENING, line


def test_generated_reference_is_whole() -> None:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert not CUT.findall(text)


@pytest.mark.parametrize("width", WIDTHS)
def test_top_level_help_speaks_plainly_and_lists_advanced_commands_last(width: int) -> None:
    text = DOCS.help_text((), width)
    first_screen = "\n".join(text.splitlines()[:24])
    for word in ("shell", "YAML", "JSON Schema"):
        assert word not in first_screen
    panels = re.findall(r"╭─ (.+?) ─", text)
    assert panels == ["选项", "高级选项", "命令", "高级命令（评定标准维护、技术支持）"]
    advanced = text.split("高级命令（评定标准维护、技术支持）")[1]
    assert re.findall(r"│ (\w+) ", advanced)[:3] == ["whatif", "doctor", "rubric"]
