"""`chuangyou collect DIR --roster 花名册.xlsx`: who handed in, whose file is wrong, who is missing."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from chuangyou.collection import Collection


class CollectFormat(str, Enum):
    table = "table"
    json = "json"


def register(root: typer.Typer) -> None:
    root.command("collect")(collect)


def collect(
    folder: Path = typer.Argument(..., metavar="文件夹", help="收到的证明材料工作簿所在的文件夹（含子文件夹）。"),
    roster: Path = typer.Option(..., "--roster", help="花名册（.xlsx），列出应交材料的全部组织。"),
    previous: Path | None = typer.Option(
        None, "--previous", "-p", help="上一年度的结果（JSON 或等级名单 .xlsx）：列出上年参评、今年既不在花名册也未提交的组织。"
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出收集情况工作簿（.xlsx）：收集情况、乡镇汇总、问题清单。"),
    year: int | None = typer.Option(None, "--year", help="本次收集的考评年度；不指定时取多数材料填写的年度。"),
    rubric: list[str] = typer.Option(
        [], "--rubric", "-r", help="花名册的组织类别取自这些评定标准（可多次使用）；只给一个时所有材料都按它读取。"
    ),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数，默认使用全部 CPU 核心。"),
    format: CollectFormat = typer.Option(CollectFormat.table, "--format", "-f", help="屏幕输出格式：table 或 json。"),
    force: bool = typer.Option(
        False, "--force", help="-o 给出的文件已存在且不是本工具生成的收集情况时也覆盖它（默认不覆盖；输入文件从不覆盖）。"
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="不使用结果缓存：每个工作簿都重新读取（默认只重新读取有改动的工作簿）。"
    ),
) -> None:
    """对照花名册统计材料收集情况：每个组织为“已交”“有问题”“未交”或“重复提交”，
    不在花名册中的材料列为“花名册外”，并按乡镇（街道）统计应交、已交、有问题、未交。

    材料按组织代码（花名册和工作簿都填写时）或组织名称与花名册对应；与评定（rank）使用同样的读取和检查，
    “有问题”列出读取时发现的每一处问题及所在单元格。
    退出码：0 花名册中的组织全部已交；1 有未交、有问题或重复提交的组织；2 用法或花名册错误。

    示例：chuangyou collect 证明材料/ --roster 花名册.xlsx -o 收集情况.xlsx
    """
    from chuangyou.batch import run_batch
    from chuangyou.cli.progress import previous_results as previous_results_of
    from chuangyou.cli.progress import with_progress
    from chuangyou.cli.roster_cmd import roster_rubrics
    from chuangyou.collection import collect as collect_status
    from chuangyou.collection import write_collection
    from chuangyou.roster import read_roster

    _check_args(folder, output)
    rubrics = roster_rubrics(rubric)
    loaded = read_roster(roster, rubrics)
    previous_results = previous_results_of(previous)
    if output is not None:  # refuse before the reading, not after
        from chuangyou.collection.workbook import COLLECTION
        from chuangyou.safeio import check_output

        check_output(output, [roster, *([previous] if previous else [])], kind=COLLECTION, force=force)
    paths = _scan(folder, [roster, *([previous] if previous else []), *([output] if output else [])])
    forced = rubrics[0] if len(rubric) == 1 else None
    from chuangyou.cli.cache_cmd import result_cache

    cache = result_cache(forced, no_cache)  # chasing files means many reruns over mostly unchanged ones
    result = with_progress("读取中", len(paths),
                           lambda update: run_batch(paths, forced.path if forced else None, jobs, progress=update,
                                                    cache=cache))
    if result.cache_notice:
        from chuangyou.cli.output import console

        console(stderr=True).print(result.cache_notice, markup=False, highlight=False)
    try:
        collection = collect_status(loaded, result, year=year, previous=previous_results)
    finally:
        result.store.close()
    if output is not None:
        inputs = [*paths, roster, *([previous] if previous else [])]
        write_collection(output, collection, loaded, inputs=inputs, folder=folder, force=force)
    _print(format, collection, output)
    if not collection.complete():
        raise typer.Exit(1)


def _check_args(folder: Path, output: Path | None) -> None:
    from chuangyou.errors import UsageError

    if not folder.is_dir():
        raise UsageError(f"找不到文件夹：{folder}" if not folder.exists() else f"{folder} 不是文件夹")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"收集情况应保存为 .xlsx 文件，而不是“{output.name}”")


def _scan(folder: Path, inputs: list[Path]) -> list[Path]:
    """The workbooks under the folder, as ``rank`` scans them, without the roster and outputs."""
    from chuangyou.batch import is_own_output, scan

    exclude = tuple(p for p in inputs if p.is_file())
    paths = scan(folder, exclude=exclude)
    return [p for p in paths if not (p.suffix.lower() == ".xlsx" and is_own_output(p))]


def _print(format: CollectFormat, collection: Collection, output: Path | None) -> None:
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.collection.workbook import summary
    from chuangyou.scorecard import model_json

    if format is CollectFormat.json:
        write_stdout(model_json(collection))
    else:
        out = console()
        for table in _tables(collection):
            out.print(table)
    line = summary(collection) + (f"。收集情况已写入 {output}" if output is not None else "")
    console(stderr=True).print(line, markup=False, highlight=False, soft_wrap=True)


def _tables(collection: Collection) -> list[Any]:
    from rich.table import Table

    from chuangyou.collection import MISSING, SUBMITTED

    tables = []
    chase = [o for o in collection.organizations if o.status != SUBMITTED]
    if chase:
        table = Table(title=f"未交齐的组织（{len(chase)} 个）", show_lines=True)
        for header in ("状态", "所属乡镇（街道）", "组织名称", "材料文件", "问题"):
            table.add_column(header, overflow="fold")
        for o in chase:
            problems = "未提交材料" if o.status == MISSING else "\n".join(o.problems)
            table.add_row(o.status, o.township, o.name, "\n".join(o.files), problems)
        tables.append(table)
    if collection.unlisted:
        table = Table(title=f"花名册外的材料（{len(collection.unlisted)} 份）")
        for header in ("材料文件", "填写的组织名称", "填写的所属乡镇（街道）"):
            table.add_column(header, overflow="fold")
        for u in collection.unlisted:
            table.add_row(u.file, u.name, u.township)
        tables.append(table)
    if collection.previous_missing:
        table = Table(title=f"上年参评、今年既不在花名册也未提交（{len(collection.previous_missing)} 个）")
        for header in ("所属乡镇（街道）", "组织名称", "上年等级"):
            table.add_column(header)
        for p in collection.previous_missing:
            table.add_row(p.township, p.name, p.tier or "待定")
        tables.append(table)
    counts = Table(title="各乡镇（街道）收集情况")
    for header in ("所属乡镇（街道）", "应交", "已交", "有问题", "未交"):
        counts.add_column(header, justify="left" if header.startswith("所属") else "right")
    for t in collection.townships:
        counts.add_row(t.township, str(t.expected), str(t.submitted), str(t.problem), str(t.missing))
    tables.append(counts)
    return tables
