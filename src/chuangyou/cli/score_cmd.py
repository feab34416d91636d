"""`chuangyou score FILE`: score one organization's evidence workbook."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from chuangyou.cache import ResultCache
    from chuangyou.rubric import Rubric
    from chuangyou.scorecard import ScoreCard


class ScoreFormat(str, Enum):
    table = "table"
    json = "json"


def register(root: typer.Typer) -> None:
    root.command("score")(score)


def score(
    file: Path = typer.Argument(..., metavar="工作簿", help="填好的证明材料工作簿（.xlsx）。"),
    rubric: str | None = typer.Option(
        None, "--rubric", "-r", help="评定标准编号或 YAML 文件；不指定时按工作簿“基本信息”中的评定标准。"
    ),
    format: ScoreFormat = typer.Option(ScoreFormat.table, "--format", "-f", help="输出格式：table（表格）或 json。"),
    explain: bool = typer.Option(False, "--explain", "-e", help="逐项列出考核评价标准、考评方式和计分过程。"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不使用结果缓存：重新读取、计分（默认工作簿未改动时直接取用上次的结果）。"),
) -> None:
    """给一个党组织的证明材料工作簿计分：总分、等级、各类别得分和每一处扣分的依据。

    退出码：0 计分完成；1 工作簿有问题（逐条列出文件、工作表、单元格）；2 用法或评定标准错误。

    示例：chuangyou score 某村.xlsx --explain
    """
    from chuangyou.cli.cache_cmd import result_cache
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.errors import UsageError
    from chuangyou.rubric import resolve

    if not file.exists():
        raise UsageError(f"找不到文件：{file}")
    if file.is_dir():
        raise UsageError(f"{file} 是文件夹；给整个文件夹评分请用：chuangyou rank {file}")
    forced = resolve(rubric) if rubric else None
    cache = result_cache(forced, no_cache)
    card, used = _score(file, forced, cache)
    if format is ScoreFormat.json:
        write_stdout(card.model_dump_json(indent=2))
        return
    from chuangyou.cli.output import guarded_stdout
    from chuangyou.report import explanation, summary

    with guarded_stdout():
        console().print(explanation(card, used) if explain else summary(card))
    if not explain:
        console(stderr=True).print(f"{EXPLAIN_HINT}chuangyou score {file} --explain", markup=False, highlight=False)


EXPLAIN_HINT = "提示：逐项查看考核评价标准、考评方式和计分过程，请运行 "


def _score(file: Path, forced: Rubric | None, cache: ResultCache | None) -> tuple[ScoreCard, Rubric]:
    """The file's card and its rubric: from the cache when its bytes were scored before, else
    scored (and cached). Scored with the very rubric it was read with; a cached card's is the
    forced one or the bundled one it names (a workbook never names a file)."""
    from chuangyou.cache.results import file_digest, read_card
    from chuangyou.rubric.registry import find_bundled

    stamped = file_digest(file) if cache is not None else None
    card = read_card(cache, file) if cache is not None else None
    if card is not None:
        used = forced or find_bundled(card.rubric.id)
        if used is not None and used.sha256 == card.rubric.sha256:
            return card, used
    from chuangyou.engine import score as score_evidence
    from chuangyou.evidence import read_workbook

    used, evidence = read_workbook(file, forced)
    card = score_evidence(used, evidence)
    if cache is not None and stamped is not None:
        from chuangyou.batch import compact

        notice = cache.write_scored(file, *stamped, compact(card))
        if notice is not None:
            from chuangyou.cli.output import console

            console(stderr=True).print(notice, markup=False, highlight=False)
    return card, used

