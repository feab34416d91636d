"""`chuangyou export RESULTS.json -o FILE.xlsx`: the tier-list workbook from a saved result."""

from __future__ import annotations

from pathlib import Path

import typer

from chuangyou.cli import documents_cmd as docs


def register(root: typer.Typer) -> None:
    root.command("export")(export)


def export(
    results: Path = typer.Argument(..., metavar="结果.json", help="用“chuangyou rank 文件夹 --format json”保存的结果文件（.json）。"),
    output: Path = typer.Option(..., "--output", "-o", help="要生成的等级名单工作簿（.xlsx）。"),
    rubric: list[str] = typer.Option(
        [], "--rubric", "-r",
        help="评定标准编号或 YAML 文件，可多次给出；默认按结果中记录的编号使用内置标准（用于整改清单中的条款原文）。",
    ),
    with_scores: bool = typer.Option(False, "--with-scores", help=docs.SCORES_HELP),
    doc_config: Path | None = typer.Option(
        None, "--doc-config", help="公示配置文件（YAML）：其中的 list_title、issuer、date 用作等级名单的标题行。"
    ),
    force: bool = typer.Option(
        False, "--force", help="输出文件已存在且不是本工具生成的等级名单时也覆盖它（默认不覆盖；输入文件从不覆盖）。"
    ),
) -> None:
    """把保存的整批评定结果导出为等级名单工作簿：等级名单、得分明细、扣分明细（可点击定位到证明材料单元格）、问题分析（含图表）、整改清单和未能评分。

    分数、等级和排名以结果文件为准，不重新计算；评定标准只用于列出条款原文，评分后标准有改动时会给出提示。
    证明材料的链接按结果中记录的路径（相对于当前文件夹）生成。

    示例：chuangyou export 结果.json -o 等级名单.xlsx
    """
    from chuangyou.cli.output import console
    from chuangyou.export import load_results, rubrics_for, write_tierlist

    heading = docs.list_heading(docs.DocOptions(doc_config), with_scores)
    ranking, failures = load_results(results)
    rubrics, warnings = rubrics_for(ranking, rubric)
    errors = console(stderr=True)
    for warning in warnings:
        errors.print(f"警告：{warning}", markup=False, highlight=False)
    sources = [Path(e.source) for e in ranking.entries()] + [Path(f.source) for f in failures]
    inputs = [results, *sources, *([doc_config] if doc_config is not None else [])]
    write_tierlist(output, ranking, failures, rubrics, inputs=inputs, heading=heading, force=force)
    out = console()
    out.print(f"已导出等级名单：{output}", markup=False, highlight=False)
    for group in ranking.groups:
        counts = "、".join(f"{tier} {n} 个" for tier, n in group.counts.items() if n)
        out.print(f"{group.rubric_name}：{counts or '无'}", markup=False, highlight=False)
    if failures:
        out.print(f"未能评分的文件 {len(failures)} 个，见“未能评分”工作表", markup=False, highlight=False)
