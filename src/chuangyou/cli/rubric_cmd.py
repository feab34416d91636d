"""`chuangyou rubric …`: list, show, check, test the rubrics and print their JSON Schema."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path

import typer

app = typer.Typer(
    help="评定标准：列出、查看内置标准，检查修改过的标准，运行标准中的样例，比较两个版本。\n\n"
    "评定标准是 YAML 文件，格式见 docs/rubric-format.md；rubric schema 导出其 JSON Schema。\n\n"
    "示例：chuangyou rubric check 我的标准.yaml",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def register(root: typer.Typer) -> None:
    from chuangyou.cli.app import ADVANCED_COMMANDS

    root.add_typer(app, name="rubric", rich_help_panel=ADVANCED_COMMANDS)


class ShowFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    xlsx = "xlsx"


@app.command("list")
def list_() -> None:
    """列出内置的评定标准。

    示例：chuangyou rubric list
    """
    from chuangyou.cli.output import console
    from chuangyou.rubric import bundled_paths
    from chuangyou.rubric.registry import load_cached
    from chuangyou.rubric.view import list_table

    rubrics = [load_cached(str(p)) for p in bundled_paths()]
    console().print(list_table(rubrics))


@app.command("show")
def show(
    rubric: str = typer.Argument(..., metavar="评定标准", help="评定标准编号（如 village）或 YAML 文件路径。"),
    format: ShowFormat = typer.Option(ShowFormat.table, "--format", "-f", help="输出格式：table（表格）、markdown、json 或 xlsx（Excel 工作簿，需要 -o）。"),
    output: Path | None = typer.Option(None, "--output", "-o", help="xlsx 格式时写出的工作簿，如 标准.xlsx。"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在且不是本工具生成的评定标准表时也覆盖它（默认不覆盖）。"),
) -> None:
    """以表格显示一个评定标准的全部类别、项目、分值、考核评价标准和考评方式。

    --format xlsx -o 标准.xlsx 写出 Excel 工作簿，供业务科室在 Excel 或 WPS 中审阅全文。

    示例：chuangyou rubric show village --format xlsx -o 村级标准.xlsx
    """
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.errors import UsageError
    from chuangyou.rubric import resolve
    from chuangyou.rubric.view import rubric_markdown, rubric_tables

    if (format is ShowFormat.xlsx) != (output is not None):
        raise UsageError("写出 Excel 工作簿请同时给出 --format xlsx 和 -o 文件名，如：chuangyou rubric show village --format xlsx -o 标准.xlsx")
    loaded = resolve(rubric)
    if output is not None:
        from chuangyou.rubric.workbook import RUBRIC_TABLE, write_rubric_workbook
        from chuangyou.safeio import write_atomic

        if output.suffix.lower() != ".xlsx":
            raise UsageError(f"输出文件必须以 .xlsx 结尾：{output}")
        write_atomic(output, lambda tmp: write_rubric_workbook(loaded, tmp), kind=RUBRIC_TABLE, force=force)
        typer.echo(f"已写入 {output}")
    elif format is ShowFormat.json:
        write_stdout(json.dumps(loaded.model_dump(mode="json", by_alias=True, exclude_none=True), ensure_ascii=False, indent=2))
    elif format is ShowFormat.markdown:
        write_stdout(rubric_markdown(loaded))
    else:
        out = console()
        for renderable in rubric_tables(loaded):
            out.print(renderable)


@app.command("check")
def check(
    files: list[Path] = typer.Argument(..., metavar="标准文件", help="要检查的评定标准 YAML 文件（可多个）。"),
) -> None:
    """检查评定标准文件，一次列出全部问题（文件:行号 说明）。有问题时退出码为 2。

    示例：chuangyou rubric check rubrics/village.yaml
    """
    from rich.markup import escape

    from chuangyou.cli.output import console
    from chuangyou.errors import RubricError
    from chuangyou.rubric import load_rubric

    out = console()
    failed = 0
    for path in files:
        try:
            rubric = load_rubric(path)
        except RubricError as exc:
            failed += 1
            # soft_wrap: a "file:line: message" line is never split, whatever the width.
            out.print(f"[red]✗[/red] {escape(str(path))}：{escape(exc.message)}", highlight=False, soft_wrap=True)
            for problem in exc.problems:
                out.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
            continue
        items = sum(len(c.items) for c in rubric.categories)
        rules = sum(len(i.rules) for _, i in rubric.items())
        out.print(
            f"[green]✓[/green] {escape(str(path))}：通过（{escape(rubric.name)} {escape(rubric.version)}，"
            f"{len(rubric.categories)} 个类别，{items} 个项目，{rules} 条规则，{len(rubric.examples)} 个样例）",
            highlight=False,
            soft_wrap=True,
        )
        for warning in rubric.warnings:
            out.print(f"  警告：{warning}", highlight=False, markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(2)


@app.command("test")
def test(
    rubric: str = typer.Argument(..., metavar="评定标准", help="评定标准编号或 YAML 文件路径。"),
) -> None:
    """运行评定标准中的样例（examples），逐个比对期望的总分、等级和项目得分。有失败时退出码为 1。

    示例：chuangyou rubric test village
    """
    from chuangyou.cli.output import console
    from chuangyou.rubric import resolve
    from chuangyou.rubric.examples import run_examples
    from chuangyou.scorecard import fmt

    loaded = resolve(rubric)
    out = console()
    results = run_examples(loaded)
    if not results:
        out.print(f"{loaded.id}：没有样例（examples）可运行")
        raise typer.Exit(1)
    for result in results:
        if result.ok and result.card is not None:
            out.print(
                f"[green]通过[/green] {result.name}：{fmt(result.card.total)} 分，{result.card.tier}",
                highlight=False,
            )
        else:
            out.print(f"[red]失败[/red] {result.name}", highlight=False)
            for failure in result.failures:
                out.print(f"    {failure}", highlight=False, markup=False)
    failed = sum(1 for r in results if not r.ok)
    out.print(f"{loaded.id}：{len(results) - failed} 个通过，{failed} 个失败", highlight=False)
    if failed:
        raise typer.Exit(1)


@app.command("diff")
def diff(
    old: str = typer.Argument(..., metavar="旧标准", help="旧的评定标准：编号（如 village）或 YAML 文件路径。"),
    new: str = typer.Argument(..., metavar="新标准", help="新的评定标准：编号或 YAML 文件路径。"),
    format: ShowFormat = typer.Option(ShowFormat.table, "--format", "-f", help="输出格式：table（表格）、markdown、json。"),
) -> None:
    """比较两个版本的评定标准：按标准中的顺序列出新增、删除、修改的组织类别、等级、名额、否决条件、
    类别、项目、字段和规则；分值写作“旧 → 新”，条款文字标出改动的字。

    注释、格式、键的顺序、数字写法（90 与 90.0）、note、source 标注和 examples 样例不算差异。
    退出码：0 含义相同；1 有差异；2 文件或用法错误。

    示例：chuangyou rubric diff village 某县村社区标准.yaml --format markdown > 差异.md
    """
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.rubric import resolve
    from chuangyou.rubric.diff import diff_rubrics
    from chuangyou.rubric.diff_view import (
        LEGEND,
        closing,
        diff_json,
        diff_markdown,
        diff_table,
        heading,
        rubric_label,
    )

    before, after = resolve(old), resolve(new)
    changes = diff_rubrics(before, after)
    old_label, new_label = rubric_label(old, before), rubric_label(new, after)
    if format is ShowFormat.json:
        write_stdout(diff_json(changes, (old, before), (new, after)))
    elif format is ShowFormat.markdown:
        write_stdout(diff_markdown(changes, old_label, new_label))
    else:
        out = console()
        out.print(heading(old_label, new_label), highlight=False, markup=False, soft_wrap=True)
        if changes:
            out.print(diff_table(changes))
            out.print(LEGEND, highlight=False, markup=False)
        out.print(closing(changes), highlight=False, markup=False)
    if changes:
        raise typer.Exit(1)


@app.command("schema")
def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="写入文件；不指定则输出到屏幕。"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在且不是本工具生成的 JSON Schema 时也覆盖它（默认不覆盖）。"),
) -> None:
    """输出评定标准文件的 JSON Schema，供编辑器（如 VS Code）补全和校验。

    示例：chuangyou rubric schema -o rubric.schema.json
    """
    from chuangyou.cli.output import write_stdout
    from chuangyou.rubric.schema import rubric_schema
    from chuangyou.safeio import RUBRIC_SCHEMA, write_text_atomic

    text = json.dumps(rubric_schema(), ensure_ascii=False, indent=2)
    if output is None:
        write_stdout(text)
    else:
        write_text_atomic(output, text + "\n", kind=RUBRIC_SCHEMA, force=force)
        typer.echo(f"已写入 {output}")


@app.command("copy")
def copy(
    rubric: str = typer.Argument(..., metavar="评定标准", help="要复制的内置评定标准编号，如 village。"),
    output: Path = typer.Option(..., "--output", "-o", help="复制到的 YAML 文件，如 本县村级标准.yaml。"),
    new_id: str | None = typer.Option(None, "--id", help="复制件的新编号（默认在原编号后加 _local，如 village_local）。"),
    version: str | None = typer.Option(None, "--version", help="复制件的新版本号（默认在原版本号后加 -local）。"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时也覆盖它（默认不覆盖）。"),
) -> None:
    """复制一个内置评定标准供修改：换上新编号和版本号，不会与内置标准混淆。

    复制件保留原文件的全部内容和注释；修改后用 chuangyou rubric check 检查，
    用 chuangyou rubric test 运行其中的样例，评分时用 --rubric 指定该文件。

    示例：chuangyou rubric copy village -o 本县村级标准.yaml --id county_village --version 2026.1-县
    """
    from chuangyou.rubric.copying import bundled_source, copy_text, default_id, default_version
    from chuangyou.safeio import write_text_atomic

    source_rubric, source = bundled_source(rubric)
    chosen_id = new_id or default_id(source_rubric)
    chosen_version = version or default_version(source_rubric)
    text = copy_text(source_rubric, source, chosen_id, chosen_version)
    write_text_atomic(output, text, inputs=[source], force=force)
    typer.echo(f"已复制 {source_rubric.id}（{source_rubric.version}）到 {output}：编号 {chosen_id}，版本 {chosen_version}")
    typer.echo(f"修改后检查：chuangyou rubric check {output}")
