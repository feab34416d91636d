"""乡镇统计 and 乡镇问题分析: the tier list per township (and county), rendered from
:class:`chuangyou.statistics.Statistics`.

乡镇统计 holds one block for all groups together, then one per rubric group (none when
there is one group: it would repeat the first): a row per township with, per tier, the
count and its share of the ranked organizations, then 参与排名, 待定, 未能评分, 未提交, 平均分, 最低分 and a 合计 row;
under each block, a stacked bar chart of the tier shares per township. 乡镇问题分析 lists
each township's costliest items. Both sheets are written only when the run holds more than
one township (or county): for one township 问题分析 says it all.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name

from chuangyou.export.common import CardLoader, full_card, none_row, short_name
from chuangyou.export.table import (
    Chart,
    Column,
    Gap,
    Part,
    Series,
    Sheet,
    Styled,
    Table,
    Title,
    Value,
)
from chuangyou.ranking.model import HELD_TIER, RankedEntry, Ranking
from chuangyou.report_statistics import Section, sections
from chuangyou.scorecard import ScoreCard
from chuangyou.statistics import Row, Statistics, township_weaknesses

SHEET_TOWNSHIPS = "乡镇统计"
SHEET_WEAKNESSES = "乡镇问题分析"
PERCENT = "0.0%"
ROW_CM = 0.53  # a 15 pt row
# Strong colours for bars (the tier cells' pastel fills would fade on paper), high to low;
# as with the cells, the two lowest tiers always get the warm ones.
BAR_COLOURS = ("#70AD47", "#5B9BD5", "#FFC000", "#E0403A")
NOTE = ("占比为占参与排名组织的比例；平均分、最低分按已评分的组织（含待定）计算；"
        "未能评分的文件读不出评定标准，按其所在文件夹归入乡镇，只计入“全部组织”。")

C_GROUP = Column("评定标准", 8, 16)
C_PLACE = Column("名次", 5, 6, center=True)
WEAK_COLUMNS = [Column("类别", 8, 14), Column("项目", 10, 20), Column("分值", 5, 6), Column("适用组织数", 6, 8),
                Column("扣分组织数", 6, 8), Column("扣分组织占比", 7, 9), Column("合计扣分", 6, 9),
                Column("平均每个组织扣分", 7, 10)]


def wanted(stats: Statistics) -> bool:
    """More than one township (or county) in the run; a failed file whose folder names no
    township does not count as one."""
    return stats.by_county or sum(1 for row in stats.overall.townships if row.township) > 1


def bar_colour(tiers: list[str], tier: str) -> str:
    from_bottom = len(tiers) - 1 - tiers.index(tier)
    return BAR_COLOURS[max(len(BAR_COLOURS) - 1 - from_bottom, 0)]


def _columns(section: Section) -> list[Column]:
    columns = [Column(header, 10, 16) for header in section.keys]
    for tier in section.tiers:
        columns += [Column(tier, 8, 10), Column("占比", 6, 8)]
    columns += [Column("参与排名", 6, 8), Column(HELD_TIER, 13, 14)]
    if section.with_failed:
        columns.append(Column("未能评分", 6, 8))
    return columns + [Column("未提交", 6, 8), Column("平均分", 6, 8), Column("最低分", 6, 8)]


def _row(section: Section, keys: list[str], row: Row) -> list[Value]:
    cells: list[Value] = list(keys)
    for tier in section.tiers:
        cells += [row.counts.get(tier, 0), Styled(row.shares.get(tier, Decimal(0)), number_format=PERCENT)]
    cells += [row.ranked, row.held]
    if section.with_failed:
        cells.append(row.failed)
    return cells + [row.missing, row.average, row.lowest]


def _table(section: Section) -> Table:
    rows: list = [_row(section, keys, row) for keys, row in section.rows if isinstance(row, Row)]
    return Table(_columns(section), rows)


def _chart_height(section: Section) -> float:
    """Title, axis and legend take ~4.5 cm; each township's bar and its name ~0.9 cm."""
    return 4.5 + 0.9 * max(len(section.rows) - 1, 1)  # without 合计


def _chart_rows(section: Section) -> int:
    return int(_chart_height(section) / ROW_CM) + 2


def _chart(section: Section, title: str, header_row: int) -> Chart:
    first, last = header_row + 1, header_row + len(section.rows) - 1  # township rows, without 合计
    keys = len(section.keys)
    categories = f"'{SHEET_TOWNSHIPS}'!$A${first}:${xl_col_to_name(keys - 1)}${last}"
    series = []
    for n, tier in enumerate(section.tiers):
        col = xl_col_to_name(keys + 2 * n)  # the tier's count column: percent_stacked makes it a share
        series.append(Series(f"'{SHEET_TOWNSHIPS}'!${col}${first}:${col}${last}", categories,
                             name_cell=f"'{SHEET_TOWNSHIPS}'!${col}${header_row}",
                             color=bar_colour(section.tiers, tier)))
    height = _chart_height(section)
    return Chart("bar", title, series, 24.0, height, legend_bottom=True,
                 value_title="占参与排名组织的比例（条内数字为组织数）", reverse_categories=True,
                 every_category=True, subtype="percent_stacked")


def _blocks(stats: Statistics) -> list[tuple[Section, str]]:
    """Per group and all groups (only the latter for one group), with each chart's title;
    merged counties: the counties' blocks first, then the townships'."""
    levels = ["county", "township"] if stats.by_county else ["township"]
    found = []
    for level in levels:
        places = "各县（市、区）" if level == "county" else "各乡镇（街道）"
        blocks = sections(stats, level)
        # All groups first (the leaders' first question), then each group (one group: all is it).
        for section in blocks[-1:] if len(stats.groups) == 1 else [blocks[-1], *blocks[:-1]]:
            section.title = short_name(section.title)
            chart = f"{section.title}：{places}等级占比"
            if stats.by_county:
                section.title += f"（{places}）"
            found.append((section, chart))
    return found


def townships_sheet(stats: Statistics) -> Sheet:
    parts: list[Part] = [Title(SHEET_TOWNSHIPS), Title(NOTE, big=False)]
    blocks = []
    for number, (section, chart) in enumerate(_blocks(stats)):
        title = Title(f"{'一二三四五六七八九十'[number % 10]}、{section.title}", big=False)
        parts += [title, _table(section)]
        blocks.append((section, chart, len(parts) - 1))
        parts.append(Gap(_chart_rows(section)))
    sheet = Sheet(SHEET_TOWNSHIPS, parts, header=SHEET_TOWNSHIPS, freeze=False, repeat=False)
    starts = sheet.starts()
    for n, (section, chart, index) in enumerate(blocks):
        if n:
            sheet.breaks.append(starts[index - 1] - 1)  # each block on its own page
        sheet.charts.append((_chart(section, chart, starts[index]), f"A{starts[index + 1]}"))
    return sheet


def weaknesses_sheet(ranking: Ranking, stats: Statistics, cards: CardLoader | None = None) -> Sheet:
    keys = [Column("县（市、区）", 10, 16)] if stats.by_county else []
    columns = [C_GROUP, *keys, Column("乡镇（街道）", 10, 16), C_PLACE, *WEAK_COLUMNS]
    labels = {g.rubric_id: short_name(g.rubric_name, g.rubric_id) for g in ranking.groups}
    load: Callable[[RankedEntry], ScoreCard | None] = lambda entry: full_card(entry, cards)  # noqa: E731
    rows: list = []
    for w in township_weaknesses(ranking, stats, load):
        county = [w.county or ""] if stats.by_county else []
        rows.append([labels.get(w.group, w.group), *county, w.township, w.place, w.category, w.item, w.points,
                     w.applies, w.hit, Styled(w.share, number_format=PERCENT), w.lost, w.per_organization])
    note = "每个乡镇（街道）失分最多的项目（各取前 5 项）：平均每个组织扣分 = 合计扣分 ÷ 适用组织数。"
    parts: list[Part] = [Title(SHEET_WEAKNESSES), Title(note, big=False),
                         Table(columns, rows or [none_row(columns)], main=True)]
    return Sheet(SHEET_WEAKNESSES, parts, header=SHEET_WEAKNESSES)
