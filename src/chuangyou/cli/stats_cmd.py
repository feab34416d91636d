"""`chuangyou stats RESULTS.json…`: tier counts per township, county, 组织类别 or 组织形式."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer


class StatsBy(str, Enum):
    township = "township"
    county = "county"
    subtype = "subtype"
    form = "form"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def register(root: typer.Typer) -> None:
    root.command("stats")(stats)


def stats(
    results: list[Path] = typer.Argument(
        ..., metavar="结果.json…",
        help="用“chuangyou rank 文件夹 --format json”保存的结果文件；给出多个时合并统计（如各县结果）。",
    ),
    by: StatsBy = typer.Option(
        StatsBy.township, "--by", "-b",
        help="统计口径：township（乡镇（街道），默认）、county（县（市、区））、subtype（组织类别）或 form（组织形式）。",
    ),
    format: StatsFormat = typer.Option(StatsFormat.table, "--format", "-f", help="输出格式：table、json 或 csv。"),
) -> None:
    """按乡镇（街道）、县（市、区）、组织类别或组织形式统计各等级的组织数和占比。

    每个评定标准分组和全部组织各列一张表：各等级的组织数（括号内为占参与排名组织的比例）、参与排名、
    待定（另行处理）、未能评分、未提交、平均分和最低分，最后一行为合计。与等级名单工作簿中“乡镇统计”
    工作表的数字相同；--format json 输出与 rank --format json 中的 statistics 相同。

    示例：chuangyou stats 结果.json ；chuangyou stats 甲县.json 乙县.json --by county --format csv > 统计.csv
    """
    from chuangyou.cli.output import console, write_csv, write_stdout
    from chuangyou.export.merge import load_merged
    from chuangyou.report_statistics import (
        breakdown_sections,
        sections,
        statistics_csv,
        statistics_tables,
    )
    from chuangyou.scorecard import model_json
    from chuangyou.statistics import compute_breakdown, compute_statistics

    loaded = load_merged(results)
    errors = console(stderr=True)
    for warning in loaded.warnings:
        errors.print(f"警告：{warning}", markup=False, highlight=False, soft_wrap=True)
    if by in (StatsBy.subtype, StatsBy.form):
        breakdown = compute_breakdown(loaded.ranking, by.value)
        data, found = model_json(breakdown), breakdown_sections(breakdown)
    else:
        statistics = compute_statistics(loaded.ranking, loaded.failed, county_order=loaded.counties)
        data, found = model_json(statistics), sections(statistics, by.value)
    if format is StatsFormat.json:
        write_stdout(data)
    elif format is StatsFormat.csv:
        write_csv(statistics_csv(found))
    else:
        out = console()
        for table in statistics_tables(found):
            out.print(table)
