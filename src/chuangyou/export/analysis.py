"""问题分析: the tier distribution and the items that cost the most points, with native charts.

Layout (top to bottom, so that charts never sit over rows a filter hides): the tier
distribution table, its chart, one bar chart per group of its ten costliest items, then
the item table for every group (the sheet's filterable table, one 评定标准 column).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from xlsxwriter.utility import xl_col_to_name

from chuangyou.export.common import CardLoader, full_card, group_label, none_row
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
from chuangyou.ranking.model import HELD_TIER, Ranking, RankingGroup

SHEET_ANALYSIS = "问题分析"
TOP_ITEMS = 10  # items per group shown in its chart
# One item chart a landscape A4 page, tall enough that every item name shows (LibreOffice
# skips category labels that do not fit): 11 cm drawn, 23 rows of 15 pt reserved.
CHART_ROWS = 23
CHART_WIDTH = 24.0  # cm: about the printed width of the item table
CHART_HEIGHT = 11.0
DISTRIBUTION_ROWS = 17
DISTRIBUTION_HEIGHT = 8.0

C_ITEM = Column("项目", 10, 20)
C_LOST = Column("合计扣分", 6, 9)
ITEM_COLUMNS = [
    Column("评定标准", 8, 16), Column("名次", 5, 6, center=True), Column("类别", 8, 14), C_ITEM,
    Column("分值", 5, 6), Column("适用组织数", 6, 8), Column("扣分组织数", 6, 8), Column("扣分组织占比", 7, 9),
    C_LOST, Column("平均扣分", 6, 8), Column("最常见原因", 20, 44),
]
PERCENT = "0.0%"


@dataclass
class ItemStat:
    category: str
    name: str
    points: Decimal
    applies: int = 0  # organizations the item applies to
    hit: int = 0  # organizations that lost points on it
    lost: Decimal = Decimal(0)
    reasons: Counter[str] = field(default_factory=Counter)  # reason → organizations

    @property
    def average(self) -> Decimal:
        return (self.lost / self.applies).quantize(Decimal("0.01"), ROUND_HALF_UP) if self.applies else Decimal(0)

    @property
    def share(self) -> Decimal:
        return Decimal(self.hit) / self.applies if self.applies else Decimal(0)

    def common_reason(self) -> str:
        if not self.reasons:
            return ""
        # Most organizations first; equal counts in the order the reasons first appeared.
        reason, count = max(self.reasons.items(), key=lambda p: p[1])
        return f"{reason}（{count} 个组织）"


def item_stats(group: RankingGroup, cards: CardLoader | None = None) -> list[ItemStat]:
    """Items that cost points in this group, costliest first (then most organizations hit)."""
    stats: dict[str, ItemStat] = {}
    for entry in group.entries:
        card = full_card(entry, cards)
        for item in card.items if card else ():
            stat = stats.get(item.id)
            if stat is None:  # (setdefault would build an ItemStat and its Counter for every item)
                stat = stats[item.id] = ItemStat(item.category, item.name, item.points)
            stat.applies += 1
            lost = item.points - item.score
            if lost > 0:
                stat.hit += 1
                stat.lost += lost
                stat.reasons.update(dict.fromkeys((d.reason for d in item.deductions if d.points > 0), 1))
    costly = [s for s in stats.values() if s.lost > 0]
    order = {id(s): n for n, s in enumerate(costly)}
    return sorted(costly, key=lambda s: (-s.lost, -s.hit, order[id(s)]))


def _places(stats: list[ItemStat]) -> list[int]:
    """Competition places by total lost (1, 2, 2, 4)."""
    places: list[int] = []
    for n, stat in enumerate(stats, 1):
        places.append(places[-1] if places and stats[n - 2].lost == stat.lost else n)
    return places


def _tiers(ranking: Ranking) -> list[str]:
    names: list[str] = []
    for group in ranking.groups:
        names += [t for t in group.tiers if t not in names]
    if any(g.held for g in ranking.groups):
        names.append(HELD_TIER)
    return names


def _distribution(ranking: Ranking) -> Table:
    """Tiers down, groups across (one chart series per group), with a 合计 column."""
    labels = [group_label(g) for g in ranking.groups]
    columns = [Column("等级", 12, 18, center=True)]
    columns += [Column(label, 8, 14) for label in labels] + [Column("合计", 6, 8), Column("占比", 6, 8)]
    everyone = sum(g.size + g.held for g in ranking.groups)
    rows: list = []
    for tier in _tiers(ranking):
        counts = [g.counts.get(tier) if tier in g.counts else None for g in ranking.groups]
        total = sum(c or 0 for c in counts)
        share = Styled(Decimal(total) / everyone, number_format=PERCENT) if everyone else None
        rows.append([tier, *counts, total, share])
    whole = Styled(Decimal(1), number_format=PERCENT) if everyone else None
    rows.append(["合计", *[g.size + g.held for g in ranking.groups], everyone, whole])
    return Table(columns, rows)


def _items(ranking: Ranking, cards: CardLoader | None) -> tuple[Table, list[tuple[RankingGroup, int, int]]]:
    """The item table and, per group, the offsets of its rows (for the charts)."""
    rows: list = []
    spans = []
    for group in ranking.groups:
        stats = item_stats(group, cards)
        first = len(rows)
        for place, s in zip(_places(stats), stats, strict=True):
            row: list[Value] = [group_label(group), place, s.category, s.name, s.points, s.applies, s.hit,
                                Styled(s.share, number_format=PERCENT), s.lost,
                                s.average, s.common_reason()]
            rows.append(row)
        if stats:
            spans.append((group, first, len(rows)))
    return Table(ITEM_COLUMNS, rows or [none_row(ITEM_COLUMNS)], main=True), spans


def _letter(column: Column) -> str:
    return xl_col_to_name(ITEM_COLUMNS.index(column))


def _range(sheet: str, col: str, first: int, last: int) -> str:
    return f"'{sheet}'!${col}${first}:${col}${last}"


def _distribution_chart(table: Table, header_row: int, groups: int) -> Chart:
    rows = list(table.rows)
    last = header_row + len(rows) - 1  # without the 合计 row
    categories = _range(SHEET_ANALYSIS, "A", header_row + 1, last)
    series = [  # a series per group, named by its column header
        Series(_range(SHEET_ANALYSIS, xl_col_to_name(1 + n), header_row + 1, last), categories,
               name_cell=f"'{SHEET_ANALYSIS}'!${xl_col_to_name(1 + n)}${header_row}")
        for n in range(groups)
    ]
    counts = [v for row in rows[:-1] if isinstance(row, list) for v in row[1 : 1 + groups]]
    most = max((v for v in counts if isinstance(v, int)), default=0)
    return Chart("column", "各等级组织数", series, 16.0, DISTRIBUTION_HEIGHT, legend_bottom=groups > 1,
                 value_title="组织数", value_unit=1 if most <= 10 else None)  # whole organizations


def _items_chart(group: RankingGroup, header_row: int, first: int, last: int) -> Chart:
    rows = (header_row + 1 + first, header_row + min(last, first + TOP_ITEMS))
    series = Series(_range(SHEET_ANALYSIS, _letter(C_LOST), *rows), _range(SHEET_ANALYSIS, _letter(C_ITEM), *rows),
                    C_LOST.header)
    # Horizontal bars: long Chinese item names read along them; the costliest item on top,
    # and every item's name shown, not every other one.
    return Chart("bar", f"{group_label(group)}：失分最多的项目（合计扣分）", [series], CHART_WIDTH, CHART_HEIGHT,
                 reverse_categories=True, every_category=True)


def analysis_sheet(ranking: Ranking, cards: CardLoader | None = None) -> Sheet:
    distribution = _distribution(ranking)
    items, spans = _items(ranking, cards)
    parts: list[Part] = [
        Title(SHEET_ANALYSIS),
        Title("一、等级分布", big=False), distribution, Gap(DISTRIBUTION_ROWS if ranking.groups else 1),
        Title(f"二、失分较多的项目（各组前 {TOP_ITEMS} 项见图；表中为全部失分项目，可筛选）", big=False),
        Gap(CHART_ROWS * len(spans) or 1),
        items,
    ]
    sheet = Sheet(SHEET_ANALYSIS, parts, header=SHEET_ANALYSIS, freeze=False, repeat=False)
    starts = sheet.starts()
    if ranking.groups:
        chart = _distribution_chart(distribution, starts[2], len(ranking.groups))
        sheet.charts.append((chart, f"A{starts[3]}"))
    # Page breaks keep every chart whole: section two on a new page, a page per chart,
    # and the item table after the charts.
    sheet.breaks.append(starts[4] - 1)
    for n, (group, first, last) in enumerate(spans):
        top = starts[5] + n * CHART_ROWS
        if n:
            sheet.breaks.append(top - 1)
        sheet.charts.append((_items_chart(group, starts[6], first, last), f"A{top}"))
    if spans:
        sheet.breaks.append(starts[6] - 1)
    return sheet
