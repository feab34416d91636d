"""`chuangyou score FILE`: score one organization's evidence workbook."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer


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
) -> None:
    """给一个党组织的证明材料工作簿计分：总分、等级、各类别得分和每一处扣分的依据。

    退出码：0 计分完成；1 工作簿有问题（逐条列出文件、工作表、单元格）；2 用法或评定标准错误。

    示例：chuangyou score 某村.xlsx --explain
    """
    from chuangyou.cli.output import console, write_stdout
    from chuangyou.engine import score as score_evidence
    from chuangyou.errors import UsageError
    from chuangyou.evidence import read_workbook
    from chuangyou.rubric import resolve

    if not file.exists():
        raise UsageError(f"找不到文件：{file}")
    if file.is_dir():
        raise UsageError(f"{file} 是文件夹；给整个文件夹评分请用：chuangyou rank {file}")
    forced = resolve(rubric) if rubric else None
    # Scored with the very rubric it was read with: never looked up again by its id.
    used, evidence = read_workbook(file, forced)
    card = score_evidence(used, evidence)
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
