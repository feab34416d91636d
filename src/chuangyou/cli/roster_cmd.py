"""`chuangyou roster …`: write a blank roster (花名册) and check a filled one."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from chuangyou.rubric import Rubric

app = typer.Typer(
    help="花名册：列出全部参评党组织，据此生成填报模板、统计收集情况。\n\n示例：chuangyou roster new -o 花名册.xlsx",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)

RUBRIC_HELP = "组织类别取自这些评定标准（编号或 YAML 文件，可多次使用）；默认为全部内置评定标准。"


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="roster")


def roster_rubrics(refs: list[str]) -> list[Rubric]:
    """The rubrics whose subtype labels a roster may use: those given, else the bundled ones."""
    from chuangyou.rubric import resolve
    from chuangyou.rubric.registry import bundled_rubrics

    return [resolve(ref) for ref in refs] if refs else list(bundled_rubrics())


@app.command("new")
def new(
    output: Path = typer.Option(..., "--output", "-o", help="要生成的花名册文件（.xlsx）。"),
    rubric: list[str] = typer.Option([], "--rubric", "-r", help=RUBRIC_HELP),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖它（默认不覆盖）。"),
) -> None:
    """生成空白花名册：序号、组织名称、所属乡镇（街道）、组织类别、组织形式、组织代码、联系人、联系电话、备注。

    组织类别和组织形式带下拉列表；组织类别决定使用哪一套评定标准。

    示例：chuangyou roster new -o 花名册.xlsx
    """
    from chuangyou.cli.output import console
    from chuangyou.roster import write_roster

    rubrics = roster_rubrics(rubric)
    path = write_roster(output, rubrics, force=force)
    out = console()
    out.print(f"已生成花名册：{path}", markup=False, highlight=False)
    for r in rubrics:
        out.print(f"组织类别 {'、'.join(r.subtypes.values())} → {r.name}（{r.id}）", markup=False, highlight=False)


@app.command("check")
def check(
    roster: Path = typer.Argument(..., metavar="花名册", help="要检查的花名册（.xlsx）。"),
    rubric: list[str] = typer.Option([], "--rubric", "-r", help=RUBRIC_HELP),
) -> None:
    """检查花名册，一次列出全部问题及所在单元格：未填的名称、无法识别的类别或形式、重复的组织、
    重复的组织代码、同一名称列在两个乡镇（街道）下。

    退出码：0 没有问题；1 有问题。

    示例：chuangyou roster check 花名册.xlsx
    """
    from chuangyou.cli.main import print_error
    from chuangyou.cli.output import console
    from chuangyou.roster import RosterError, read_roster

    try:
        loaded = read_roster(roster, roster_rubrics(rubric))
    except RosterError as exc:
        print_error(exc)
        raise typer.Exit(1) from None
    townships = Counter(e.township for e in loaded.entries)
    out = console()
    out.print(f"花名册 {roster} 没有问题：共 {len(loaded.entries)} 个组织，{len(townships)} 个乡镇（街道）",
              markup=False, highlight=False)
    for township, count in townships.items():
        out.print(f"  {township}：{count} 个", markup=False, highlight=False)
