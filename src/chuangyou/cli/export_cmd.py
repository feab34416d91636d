"""`chuangyou export RESULTS.json… -o FILE.xlsx`: the tier-list workbook from saved results
(several files: the counties' results merged into the city's summary)."""

from __future__ import annotations

from pathlib import Path

import typer

from chuangyou.cli import documents_cmd as docs


def register(root: typer.Typer) -> None:
    root.command("export")(export)


def export(
    results: list[Path] = typer.Argument(
        ..., metavar="结果.json…",
        help="用“chuangyou rank 文件夹 --format json”保存的结果文件（.json）；给出多个时合并为一份（如各县结果合并为市级汇总）。",
    ),
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

    给出多个结果文件时（各县用 rank --county 评定的结果），合并为一份等级名单，增加“县（市、区）”一列和
    乡镇统计中的县级汇总；同一组织（组织代码相同，或县、乡镇和名称都相同）出现在两个文件中时拒绝合并。

    示例：chuangyou export 结果.json -o 等级名单.xlsx ；chuangyou export 甲县.json 乙县.json -o 市级汇总.xlsx
    """
    from chuangyou.cli.output import console
    from chuangyou.export import rubrics_for, write_tierlist
    from chuangyou.export.merge import load_merged
    from chuangyou.rubric import resolve
    from chuangyou.statistics import compute_statistics

    for ref in rubric:  # a misspelt --rubric is found before the results are read (cached for later)
        resolve(ref)
    heading = docs.list_heading(docs.DocOptions(doc_config), with_scores)
    loaded = load_merged(results)
    ranking, failures = loaded.ranking, loaded.failures
    rubrics, warnings = rubrics_for(ranking, rubric)
    errors = console(stderr=True)
    for warning in [*loaded.warnings, *warnings]:
        errors.print(f"警告：{warning}", markup=False, highlight=False, soft_wrap=True)
    sources = [Path(e.source) for e in ranking.entries()] + [Path(f.source) for f in failures]
    statistics = compute_statistics(ranking, loaded.failed, county_order=loaded.counties)
    inputs = [*results, *sources, *([doc_config] if doc_config is not None else [])]
    write_tierlist(output, ranking, failures, rubrics, inputs=inputs, statistics=statistics, heading=heading,
                   force=force)
    out = console()
    out.print(f"已导出等级名单：{output}", markup=False, highlight=False)
    if len(loaded.counties) > 1:
        out.print(f"合并了 {len(loaded.counties)} 个县（市、区）的结果：{'、'.join(loaded.counties)}", markup=False,
                  highlight=False)
    for group in ranking.groups:
        counts = "、".join(f"{tier} {n} 个" for tier, n in group.counts.items() if n)
        out.print(f"{group.rubric_name}：{counts or '无'}", markup=False, highlight=False)
    if failures:
        out.print(f"未能评分的文件 {len(failures)} 个，见“未能评分”工作表", markup=False, highlight=False)
