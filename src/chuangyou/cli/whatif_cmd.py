"""`chuangyou whatif DIR --rubric NEW.yaml`: who a new standard (or new quotas) would move."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from chuangyou.rubric.model import QuotaRule, Rubric
    from chuangyou.whatif import Outcome


class WhatIfFormat(str, Enum):
    table = "table"
    json = "json"


def register(root: typer.Typer) -> None:
    from chuangyou.cli.app import ADVANCED_COMMANDS

    root.command("whatif", rich_help_panel=ADVANCED_COMMANDS)(whatif)


def whatif(
    folder: Path = typer.Argument(..., metavar="文件夹", help="上一轮评定的证明材料工作簿所在文件夹（含子文件夹）。"),
    rubric: str | None = typer.Option(
        None, "--rubric", "-r", help="拟采用的新评定标准（YAML 文件或编号），编号应与现行标准相同。"
    ),
    quota: list[str] = typer.Option(
        [], "--quota", "-q", help="试算用的名额比例，可多次使用：“优秀党支部<=20%”、“软弱涣散党支部>=5%”。"
    ),
    old: str | None = typer.Option(
        None, "--old", help="现行评定标准（编号或 YAML 文件），与 rank --rubric 一样用于所有工作簿；不指定时按各工作簿“基本信息”中的评定标准。"
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出对比工作簿（.xlsx）：变化汇总、等级变化、分项变化。"),
    force: bool = typer.Option(False, "--force", help="-o 给出的文件已存在且不是本工具生成的试算对比时也覆盖它（默认不覆盖；输入文件从不覆盖）。"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数，默认使用全部 CPU 核心。"),
    format: WhatIfFormat = typer.Option(WhatIfFormat.table, "--format", "-f", help="屏幕输出格式：table 或 json。"),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="不使用结果缓存：按现行标准评分时每个工作簿都重新读取、计分（默认未改动的工作簿直接取用上次的结果）。"
    ),
) -> None:
    """试算：按新评定标准（或新的名额比例）重新评分、排名，列出总分、等级或排名会变化的组织。

    每个工作簿先按现行标准评分排名（与 rank 相同），再把编号与新标准相同的工作簿按新标准评分排名，
    逐个组织比较，并列出造成变化的项目和规则。工作簿缺少新标准所需数据的组织单独列出，不作推测。
    只给 --quota 时，用同样的分数按新的名额比例重新定级。
    退出码：0 全部比较；1 有文件未能评分或缺少新标准所需的数据；2 用法或评定标准错误。

    示例：chuangyou whatif 2025年材料/ --rubric 新标准.yaml -o 对比.xlsx
    """
    from chuangyou.errors import UsageError
    from chuangyou.ranking import parse_quotas
    from chuangyou.rubric import resolve

    if not folder.is_dir():
        raise UsageError(f"找不到文件夹：{folder}" if not folder.exists() else f"{folder} 不是文件夹")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"对比结果应保存为 .xlsx 文件，而不是“{output.name}”")
    if rubric is None and not quota:
        raise UsageError("请用 --rubric 给出新的评定标准，或用 --quota 给出新的名额比例")
    new = resolve(rubric) if rubric is not None else None
    base = resolve(old) if old is not None else None
    quotas = parse_quotas(quota) if quota else None
    paths = _paths(folder, output, force)
    outcome = _compare(paths, new, quotas, base, jobs, no_cache)
    if output is not None:
        from chuangyou.whatif.workbook import write_comparison

        write_comparison(output, outcome, new, quotas, inputs=paths, force=force)
    _print(format, outcome, output)
    if outcome.failures or outcome.whatif.missing_fields:
        raise typer.Exit(1)


def _paths(folder: Path, output: Path | None, force: bool) -> list[Path]:
    from chuangyou.batch import is_own_output, scan
    from chuangyou.errors import UsageError
    from chuangyou.whatif.workbook import check_comparison_output

    own = output is not None and output.is_file() and is_own_output(output)
    paths = scan(folder, exclude=(output,) if own and output is not None else ())
    if not paths:
        raise UsageError(f"文件夹 {folder} 中没有找到证明材料工作簿（.xlsx）")
    if output is not None:
        check_comparison_output(output, paths, force)  # refuse before the scoring, not after
    return paths


def _compare(paths: list[Path], new: Rubric | None, quotas: dict[str, QuotaRule] | None, base: Rubric | None,
             jobs: int | None, no_cache: bool) -> Outcome:
    from chuangyou.batch import run_batch
    from chuangyou.cli.cache_cmd import result_cache
    from chuangyou.cli.progress import score_batch
    from chuangyou.whatif import what_if

    # The first pass is rank's (the cache's entries are the same); the second, under the new
    # standard, reads again the workbooks it rescores.
    cache = result_cache(base, no_cache)
    return what_if(paths, new, quotas, old=base, jobs=jobs,
                   batch=lambda p, ref, j: score_batch(p, ref, j, run_batch, cache))


def _print(format: WhatIfFormat, outcome: Outcome, output: Path | None) -> None:
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.scorecard import model_json

    if format is WhatIfFormat.json:
        write_stdout(model_json(outcome.whatif))
    else:
        from chuangyou.report_ranking import failures_table
        from chuangyou.whatif.report import changes_table, missing_table, summary_table

        out = console()
        out.print(summary_table(outcome))
        if outcome.whatif.changes:
            out.print(changes_table(outcome))
        else:
            out.print("没有组织的总分、等级或排名发生变化。", highlight=False, markup=False)
        if outcome.whatif.missing_fields:
            out.print(missing_table(outcome))
        if outcome.failures:
            out.print(failures_table(outcome.failures))
    from chuangyou.whatif.report import summary_line

    line = summary_line(outcome) + (f"。对比结果已写入 {output}" if output is not None else "")
    console(stderr=True).print(line, highlight=False, markup=False, soft_wrap=True)
