"""Terminal and CSV renderings of :mod:`chuangyou.statistics` (the sheet is in chuangyou.export)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.table import Table

from chuangyou.scorecard import fmt
from chuangyou.statistics import ALL_GROUPS, Breakdown, BreakdownRow, Row, Statistics

NO_TOWNSHIP = "（未填或无法确定乡镇）"
NO_COUNTY = "（未注明县）"
KEY_HEADERS = {"county": "县（市、区）", "township": "乡镇（街道）", "subtype": "组织类别", "form": "组织形式"}


@dataclass
class Section:
    """One block of rows: a rubric group, or all groups together."""

    title: str
    keys: list[str]  # the key columns' headers
    tiers: list[str]
    rows: Sequence[tuple[list[str], Row | BreakdownRow]]  # (key cells, figures); the last one is 合计
    with_failed: bool


def township_label(row: Row) -> str:
    return row.township or NO_TOWNSHIP


def county_label(row: Row) -> str:
    return row.county or NO_COUNTY


def sections(stats: Statistics, by: str = "township") -> list[Section]:
    """``by`` township (county and township when counties are merged) or county."""
    keys = ["county"] if by == "county" else (["county", "township"] if stats.by_county else ["township"])
    headers = [KEY_HEADERS[k] for k in keys]

    def cells(row: Row) -> list[str]:
        return [county_label(row) if k == "county" else township_label(row) for k in keys]

    def block(title: str, tiers: list[str], rows: list[Row], total: Row, with_failed: bool) -> Section:
        lines = [(cells(r), r) for r in rows] + [(["合计", *[""] * (len(keys) - 1)], total)]
        return Section(title, headers, tiers, lines, with_failed)

    found = []
    for total in stats.groups:
        listed = stats.counties if by == "county" else stats.townships
        rows = [r for r in listed if r.group == total.group]
        found.append(block(total.group_name, list(total.counts), rows, total, False))
    overall = stats.overall
    found.append(block(ALL_GROUPS, stats.tiers, overall.counties if by == "county" else overall.townships,
                       overall.total, True))
    return found


def breakdown_sections(breakdown: Breakdown) -> list[Section]:
    header = KEY_HEADERS[breakdown.by]
    titles = list(dict.fromkeys((r.group, r.group_name) for r in breakdown.rows))
    found = []
    for group, name in titles:
        rows: list[tuple[list[str], Row | BreakdownRow]] = [([r.value or "（未填）"], r) for r in breakdown.rows
                                                           if r.group == group]
        tiers = list(rows[0][1].counts) if rows else breakdown.tiers
        found.append(Section(name, [header], tiers, rows, False))
    return found


def _share(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.1'))}%"


def _figures(section: Section, row: Row | BreakdownRow) -> list[str]:
    cells = [f"{row.counts.get(t, 0)}（{_share(row.shares.get(t, Decimal(0)))}）" for t in section.tiers]
    cells += [str(row.ranked), str(row.held)]
    if section.with_failed:
        failed = row.failed if isinstance(row, Row) else None
        cells.append("" if failed is None else str(failed))
    cells += [str(row.missing), fmt(row.average) if row.average is not None else "—",
              fmt(row.lowest) if row.lowest is not None else "—"]
    return cells


def _figure_headers(section: Section) -> list[str]:
    return [*section.tiers, "参与排名", "待定", *(["未能评分"] if section.with_failed else []), "未提交",
            "平均分", "最低分"]


def statistics_tables(found: Sequence[Section]) -> list[Table]:
    tables = []
    for section in found:
        table = Table(title=section.title, header_style="bold")
        for header in section.keys:
            table.add_column(header)
        for header in _figure_headers(section):
            table.add_column(header, justify="right")
        for keys, row in section.rows:
            table.add_row(*keys, *_figures(section, row))
        tables.append(table)
    return tables


def statistics_csv(found: Sequence[Section]) -> str:
    """One CSV of every section: 分组 first, each tier as a count and a share column."""
    keys = list(dict.fromkeys(k for s in found for k in s.keys))
    tiers = list(dict.fromkeys(t for s in found for t in s.tiers))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["分组", *keys, *[h for t in tiers for h in (t, f"{t}占比")], "参与排名", "待定", "未能评分",
                     "未提交", "平均分", "最低分"])
    for section in found:
        for cells, row in section.rows:
            by_key = dict(zip(section.keys, cells, strict=True))
            failed = row.failed if isinstance(row, Row) and section.with_failed else None
            writer.writerow([
                section.title, *[by_key.get(k, "") for k in keys],
                *[v for t in tiers for v in ((str(row.counts[t]), fmt(row.shares[t])) if t in row.counts else ("", ""))],
                row.ranked, row.held, "" if failed is None else failed, row.missing,
                fmt(row.average) if row.average is not None else "", fmt(row.lowest) if row.lowest is not None else "",
            ])
    return buffer.getvalue()


def township_line(row: Row, tiers: Sequence[str]) -> str:
    parts = [f"{tier} {row.counts.get(tier, 0)} 个" for tier in tiers]
    extra = [f"待定 {row.held} 个" if row.held else "", f"未能评分 {row.failed} 个" if row.failed else "",
             f"未提交 {row.missing} 个" if row.missing else ""]
    place = f"{county_label(row)} {township_label(row)}" if row.county else township_label(row)
    text = f"{place}：参与排名 {row.ranked} 个（{'、'.join(parts)}）"
    text += "".join(f"，{e}" for e in extra if e)
    if row.average is not None and row.lowest is not None:
        text += f"，平均分 {fmt(row.average)}，最低分 {fmt(row.lowest)}"
    return text


def township_lines(stats: Statistics) -> list[str]:
    """One line per township (all groups together), when there is more than one."""
    rows = stats.overall.townships
    if len({(r.county, r.township) for r in rows if r.township}) < 2:
        return []
    return ["各乡镇（街道）汇总：", *(f"  {township_line(r, stats.tiers)}" for r in rows)]
