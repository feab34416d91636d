"""`rank --roster` and `rank --previous`: who is missing from a run.

With a roster: its organizations without a workbook (未提交: the table, JSON key
``missing``, sheet 未提交) and files whose organization is not on it (warnings). Without
one, ``--previous``: organizations rated last year without a workbook this year
(上年参评、今年未提交: the table and JSON key ``previous_missing``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chuangyou.batch import BatchResult
    from chuangyou.collection import PreviousMissing
    from chuangyou.ranking.model import PreviousResult
    from chuangyou.roster import ListedOrganization, Roster
    from chuangyou.rubric import Rubric


@dataclass
class Absent:
    missing: list[ListedOrganization] | None = None  # None: no roster
    previous_missing: list[PreviousMissing] | None = None  # None: no --previous, or a roster
    warnings: list[str] = field(default_factory=list)

    def json_keys(self) -> str:
        """The extra keys of ``rank --format json``, as text to put before its closing brace."""
        from chuangyou.scorecard import model_json

        text = ""
        for key, models in (("missing", self.missing), ("previous_missing", self.previous_missing)):
            if models is not None:
                items = [model_json(m).replace("\n", "\n    ") for m in models]
                listing = "[\n    " + ",\n    ".join(items) + "\n  ]" if items else "[]"
                text += f',\n  "{key}": {listing}'
        return text

    def tables(self) -> list[Any]:
        from rich.table import Table

        tables = []
        for title, rows in (("未提交（花名册中有、本次没有证明材料）", self.missing),
                            ("上年参评、今年未提交", self.previous_missing)):
            if not rows:
                continue
            table = Table(title=f"{title}：{len(rows)} 个", header_style="bold yellow")
            for header in ("所属乡镇（街道）", "组织名称", "组织类别", "组织形式"):
                table.add_column(header)
            for row in rows:
                table.add_row(row.township, row.name, getattr(row, "subtype_label", ""), getattr(row, "form", ""))
            tables.append(table)
        return tables


def load_roster(path: Path | None, forced: Rubric | None) -> Roster | None:
    if path is None:
        return None
    from chuangyou.cli.roster_cmd import roster_rubrics
    from chuangyou.roster import read_roster

    return read_roster(path, [forced] if forced is not None else roster_rubrics([]))


def absent(roster: Roster | None, result: BatchResult, previous: list[PreviousResult] | None) -> Absent:
    if roster is None and previous is None:
        return Absent()
    from chuangyou.collection import previous_missing
    from chuangyou.roster import match_submissions, submissions

    found = submissions(result)
    if roster is None:
        return Absent(previous_missing=previous_missing(None, found, previous or []))
    matched, unlisted = match_submissions(roster, found)
    missing = [roster.entries[n].listed() for n, subs in matched.items() if not subs]
    warnings = [f"“{s.source}”中的组织“{s.name}”（{s.township or '未填乡镇'}）不在花名册中；"
                "请核对组织名称，或将其补入花名册" for s in unlisted]
    return Absent(missing=missing, warnings=warnings)
