"""Terminal and CSV renderings of a Ranking (the xlsx lives in chuangyou.export)."""

from __future__ import annotations

import csv
import io

from rich.table import Table

from chuangyou.batch import Failure
from chuangyou.ranking import Ranking
from chuangyou.scorecard import fmt
from chuangyou.textsafe import csv_text

CSV_HEADERS = (
    "评定标准", "排名", "组织名称", "所属乡镇（街道）", "组织类别", "组织形式",
    "总分", "自评总分", "等级", "按分数等级", "上年等级", "变化", "说明", "文件",
)


def ranking_tables(ranking: Ranking) -> list[Table]:
    tables = []
    for group in ranking.groups:
        counts = "，".join(f"{tier} {n}" for tier, n in group.counts.items() if n)
        table = Table(title=f"{group.rubric_name}（{group.rubric_version}）：{counts}", header_style="bold")
        for header, justify in (("排名", "right"), ("组织名称", "left"), ("所属乡镇（街道）", "left"),
                                ("类别", "left"), ("总分", "right"), ("等级", "left")):
            table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
        if ranking.with_previous:
            table.add_column("变化", overflow="fold")
        table.add_column("说明", overflow="fold")
        for entry in group.entries:
            row = [str(entry.rank) if entry.rank is not None else "—", entry.name, entry.township,
                   entry.subtype_label, fmt(entry.total), entry.tier]
            if ranking.with_previous:
                row.append(entry.change or "")
            flags = [f"{f.kind}：{f.reason}" for f in (entry.card.flags if entry.card else []) if f.kind != "另行处理"]
            row.append("；".join([*entry.notes, *flags]))
            table.add_row(*row)
        notes = [q.note for q in group.quotas if q.note] + list(group.warnings)
        if notes:
            table.caption = "\n".join(notes)
        for column in table.columns:
            column.overflow = "fold"  # notes explain tier moves: never cut them
        tables.append(table)
    return tables


def failures_table(failures: list[Failure]) -> Table:
    table = Table(title=f"未能评分（{len(failures)} 个文件）", header_style="bold red", show_lines=True)
    table.add_column("文件", overflow="fold")
    table.add_column("原因", overflow="fold")
    for column in table.columns:
        column.overflow = "fold"
    for failure in failures:
        detail = "\n".join([failure.reason, *failure.problems])
        table.add_row(failure.source, detail)
    return table


def ranking_csv(ranking: Ranking) -> str:
    """The ranking as CSV; every text cell through :func:`chuangyou.textsafe.csv_text`, so
    that a name such as ``=1+1`` opens in Excel as text (the file is BOM-marked for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for group in ranking.groups:
        for e in group.entries:
            text = [csv_text(t) for t in (group.rubric_name, e.name, e.township, e.subtype_label, e.form)]
            more = [csv_text(t) for t in (e.tier, e.threshold_tier, e.previous_tier or "", e.change or "",
                                          "；".join(e.notes), e.source)]
            writer.writerow([text[0], e.rank if e.rank is not None else "", *text[1:],
                             fmt(e.total), fmt(e.self_total), *more])
    return buffer.getvalue()
