"""等级名单 (the list to print and post), 评定结果 (the analyst's list: ranks, scores, every
decision) and 得分明细 (organization × item matrix) sheets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

from chuangyou.export import styles
from chuangyou.export.common import (
    CardLoader,
    chinese_date,
    entry_notes,
    full_card,
    group_label,
    none_row,
    sheet_name,
    veto_text,
)
from chuangyou.export.heading import ListHeading as ListHeading
from chuangyou.export.table import Column, Part, Sheet, Styled, Table, Title, Value
from chuangyou.ranking.model import HELD_TIER, QuotaOutcome, RankedEntry, Ranking, RankingGroup
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import ItemScore, fmt

SHEET_TIERS = "等级名单"
SHEET_RESULTS = "评定结果"
SHEET_MATRIX = "得分明细"
LIST_FONT_SIZE = 12.0  # 小四: the posted list is read from a notice board

C_INDEX = Column("序号", 5, 6, center=True)
C_RUBRIC = Column("评定标准", 8, 16)
C_RANK = Column("排名", 5, 6, center=True)
C_TOWNSHIP_RANK = Column("乡镇内排名", 5, 6, center=True)
C_COUNTY = Column("县（市、区）", 10, 14)
C_NAME = Column("组织名称", 12, 30)
C_TOWNSHIP = Column("所属乡镇（街道）", 10, 16)
C_SUBTYPE = Column("组织类别", 8, 12, center=True)
C_FORM = Column("组织形式", 6, 8, center=True)
C_YEAR = Column("考评年度", 6, 8, center=True)
C_TOTAL = Column("总分", 6, 8)
C_SELF = Column("自评总分", 6, 8)
C_TIER = Column("等级", 10, 18, center=True)
C_THRESHOLD = Column("按分数等级", 10, 16, center=True)
C_PREVIOUS = Column("上年等级", 10, 16, center=True)
C_CHANGE = Column("变化", 6, 8, center=True)
C_VETOES = Column("否决情形", 12, 30)
C_NOTES = Column("说明", 20, 50)
C_MATRIX_NAME = Column("组织名称", 12, 20)  # wraps onto two lines: the matrix needs the width
C_MATRIX_TIER = Column("等级", 12, 12, center=True)


def year_of(ranking: Ranking) -> int | None:
    """The year every organization was rated for, or None when they differ."""
    years = Counter(e.year for e in ranking.entries() if e.year)
    return years.most_common(1)[0][0] if len(years) == 1 else None


def title(ranking: Ranking) -> str:
    year = year_of(ranking)
    return f"{year}年度基层党组织争先创优评定等级名单" if year else "基层党组织争先创优评定等级名单"




def _count_text(group: RankingGroup) -> list[str]:
    counts = "、".join(f"{tier} {n} 个" for tier, n in group.counts.items() if n or tier != HELD_TIER)
    return [
        f"{group.rubric_name}（{group.rubric_version} 版）：参评 {group.size + group.held} 个，参与排名 {group.size} 个",
        f"    {counts}",
    ]


def _quota_text(group: RankingGroup) -> str:
    parts = []
    # --quota-by township: one outcome per township; the line sums them per quota.
    quotas: dict[tuple[str, str, Decimal], list[QuotaOutcome]] = {}
    for q in group.quotas:
        quotas.setdefault((q.tier, q.kind, q.share), []).append(q)
    for (tier, kind, share_), outcomes in quotas.items():
        share = f"{fmt(share_ * 100)}%"
        limit, moved = sum(q.limit for q in outcomes), sum(q.moved for q in outcomes)
        scope = "各乡镇分别计算，合计" if any(q.township is not None for q in outcomes) else ""
        if kind == "max":
            notes = "；".join(q.note for q in outcomes if q.note)
            parts.append(f"{tier}不超过{share}（{scope}最多 {limit} 个，调整 {moved} 个）" + (f"，{notes}" if notes else ""))
        else:
            parts.append(f"{tier}不少于{share}（{scope}至少 {limit} 个，调入 {moved} 个）")
    return "名额比例：" + "；".join(parts) if parts else ""


def _summary(ranking: Ranking) -> list[Title]:
    lines = [Title(title(ranking))]
    for group in ranking.groups:
        lines += [Title(text, big=False) for text in _count_text(group)]
        quota = _quota_text(group)
        if quota:
            lines.append(Title(f"    {quota}", big=False))
        lines += [Title(f"    注意：{w}", big=False) for w in group.warnings]
    if ranking.with_previous:
        changes = Counter(e.change for e in ranking.entries() if e.change)
        text = "、".join(f"{c} {changes[c]} 个" for c in ("升级", "降级", "持平", "新参评"))
        rule = "；已按逐级晋升（每年最多升一级）限定等级" if ranking.step_promotion else ""
        lines.append(Title(f"与上年比较：{text}{rule}", big=False))
    return lines


def _places(ranking: Ranking) -> tuple[bool, bool]:
    """(several counties, several townships): 县（市、区） and 乡镇内排名 columns are shown then."""
    counties = {e.county for e in ranking.entries()}
    townships = {(e.county, e.township) for e in ranking.entries()}
    return len(counties) > 1, len(townships) > 1


def _columns(ranking: Ranking) -> list[Column]:
    counties, townships = _places(ranking)
    columns = [C_INDEX, C_RUBRIC, C_RANK, C_NAME, *([C_COUNTY] if counties else []), C_TOWNSHIP,
               *([C_TOWNSHIP_RANK] if townships else []), C_SUBTYPE, C_FORM, C_YEAR, C_TOTAL, C_SELF,
               C_TIER, C_THRESHOLD]
    if ranking.with_previous:
        columns += [C_PREVIOUS, C_CHANGE]
    return columns + [C_VETOES, C_NOTES]


def _tier_cell(group: RankingGroup, tier: str) -> Styled:
    return Styled(tier, fill=styles.tier_fill(group.tiers, tier))


def _row(index: int, group: RankingGroup, entry: RankedEntry, with_previous: bool,
         places: tuple[bool, bool] = (False, False)) -> list[Value]:
    vetoes = "\n".join(veto_text(v) for v in entry.card.vetoes) if entry.card else ""
    counties, townships = places
    row: list[Value] = [
        index, group_label(group), entry.rank, entry.name, *([entry.county or ""] if counties else []),
        entry.township, *([entry.rank_in_township] if townships else []), entry.subtype_label or entry.subtype, entry.form, entry.year, entry.total, entry.self_total,
        _tier_cell(group, entry.tier), entry.threshold_tier,
    ]
    if with_previous:
        row += [entry.previous_tier or "", entry.change or ""]
    return row + [vetoes, entry_notes(entry)]


def by_rank(group: RankingGroup) -> list[RankedEntry]:
    """Entries by rank (1, 2, 2, 4 …), held ones last; ties keep the ranking's stable order.
    Merged counties (each ranked on its own) come one after the other."""
    counties = _county_order(group.entries)
    indexed = list(enumerate(group.entries))
    indexed.sort(key=lambda p: (counties[p[1].county], p[1].rank is None, p[1].rank or 0, p[0]))
    return [entry for _, entry in indexed]


def _county_order(entries: list[RankedEntry]) -> dict[str | None, int]:
    return {county: n for n, county in enumerate(dict.fromkeys(e.county for e in entries))}


def results_sheet(ranking: Ranking) -> Sheet:
    """评定结果: every organization by group and rank, with each decision that set its tier."""
    columns = _columns(ranking)
    places = _places(ranking)
    rows: list = []
    for group in ranking.groups:
        for entry in by_rank(group):
            rows.append(_row(len(rows) + 1, group, entry, ranking.with_previous, places))
    table = Table(columns, rows or [none_row(columns)], main=True)
    return Sheet(SHEET_RESULTS, [*_summary(ranking), table], header=f"{title(ranking)}（评定结果）")


def list_tiers(ranking: Ranking) -> list[str]:
    """Every group's tiers, high to low (groups on one scheme of tiers share them)."""
    return list(dict.fromkeys(tier for group in ranking.groups for tier in group.tiers))


def by_tier(ranking: Ranking, tiers: list[str] | None = None) -> list[tuple[str, list[tuple[RankingGroup, RankedEntry]]]]:
    """The published list: tier by tier (high to low), within a tier by township, then
    group and rank. Held organizations are not published until decided."""
    listed = []
    counties = _county_order(list(ranking.entries()))
    for tier in list_tiers(ranking) if tiers is None else tiers:
        found = [(g, e, n, i) for n, g in enumerate(ranking.groups) for i, e in enumerate(g.entries)
                 if e.tier == tier and not e.held]
        found.sort(key=lambda p: (counties[p[1].county], p[1].township, p[2], p[1].rank or 0, p[3]))
        listed.append((tier, [(g, e) for g, e, _, _ in found]))
    return listed


LIST_COLUMNS = [C_INDEX, Column("组织名称", 16, 32), Column("所属乡镇（街道）", 15, 16),
                Column("组织类别", 8, 13, center=True), Column("等级", 10, 16, center=True)]


def tierlist_sheet(ranking: Ranking, heading: ListHeading | None = None) -> Sheet:
    """等级名单 to print and post: A4 portrait, 小四 text, no internal columns."""
    heading = heading or ListHeading()
    counties, _ = _places(ranking)
    columns = LIST_COLUMNS[:2] + ([C_COUNTY] if counties else []) + LIST_COLUMNS[2:]
    columns += [C_TOTAL] if heading.with_scores else []
    rows: list = []
    for _, entries in by_tier(ranking):
        for group, entry in entries:
            row: list[Value] = [len(rows) + 1, entry.name, *([entry.county or ""] if counties else []),
                                entry.township, entry.subtype_label or entry.subtype, _tier_cell(group, entry.tier)]
            rows.append(row + ([entry.total] if heading.with_scores else []))
    byline = "　　".join(t for t in (heading.issuer, heading.date or chinese_date(date.today())) if t)
    parts: list[Part] = [Title(heading.title or title(ranking), center=True), Title(byline, big=False, center=True),
                         Table(columns, rows or [none_row(columns)], main=True)]
    return Sheet(SHEET_TIERS, parts, header=heading.title or title(ranking), landscape=False,
                 font_size=LIST_FONT_SIZE, own_pages=True)


def _columns_of(group: RankingGroup, rubric: Rubric | None, cards: CardLoader | None
                ) -> tuple[list[ItemScore], list[tuple[str, str, Decimal]]]:
    """One column per item: the rubric's order, then any item only the cards know; and
    one per category."""
    seen: dict[str, ItemScore] = {}
    categories: dict[str, tuple[str, str, Decimal]] = {}
    for entry in group.entries:
        card = full_card(entry, cards)
        for item in card.items if card else ():
            seen.setdefault(item.id, item)
        for c in card.categories if card else ():
            categories.setdefault(c.id, (c.id, c.name, c.points))
    order = [f"{c.id}.{i.id}" for c, i in rubric.items()] if rubric is not None else []
    known = [seen[i] for i in order if i in seen]
    return known + [item for key, item in seen.items() if key not in order], list(categories.values())


def matrix_sheet(group: RankingGroup, rubric: Rubric | None, name: str, cards: CardLoader | None = None) -> Sheet:
    items, categories = _columns_of(group, rubric, cards)
    # 总分, 等级 and the category subtotals first: the first printed page is the summary,
    # the items follow category by category under short headers.
    fixed = [C_INDEX, C_MATRIX_NAME, C_RANK, C_TOTAL, C_MATRIX_TIER, C_SELF]
    columns = fixed + [Column(f"{name_}\n（{fmt(points)}分）", 6, 6) for _, name_, points in categories]
    columns += [Column(f"{i.name}\n（{fmt(i.points)}分）", 5, 5) for i in items]
    rows = _matrix_rows(group, items, categories, cards)  # streamed, as the sheet is written
    header = f"{group.rubric_name} 得分明细"
    parts: list[Part] = [Title(header), Title(_matrix_note(items, categories), big=False),
                         Table(columns, rows, main=True, when_empty=none_row(columns))]
    # 30-odd item columns: two pages wide at most, 序号 and 组织名称 repeated on each page
    # and kept in view when scrolling right.
    return Sheet(name, parts, header=header, pages_wide=2, repeat_cols="A:B", freeze_cols=2)


def _matrix_rows(group: RankingGroup, items: list[ItemScore], categories: list[tuple[str, str, Decimal]],
                 cards: CardLoader | None) -> Iterator[list[Value]]:
    for number, entry in enumerate(by_rank(group), 1):
        card = full_card(entry, cards)
        scores = {i.id: i.score for i in card.items} if card else {}
        subtotals = {c.id: c.score for c in card.categories} if card else {}
        row: list[Value] = [number, entry.name, entry.rank, entry.total, _tier_cell(group, entry.tier),
                            entry.self_total]
        row += [subtotals.get(cid) for cid, _, _ in categories]
        yield row + [scores[i.id] if i.id in scores else Styled(None, fill=styles.NA_FILL) for i in items]


def _matrix_note(items: list[ItemScore], categories: list[tuple[str, str, Decimal]]) -> str:
    """Which items each category's columns hold: the item headers leave the category out."""
    spans = []
    for _, name_, _ in categories:
        count = sum(1 for i in items if i.category == name_)
        spans.append(f"{name_} {count} 项")
    listed = "、".join(spans)
    return f"类别小计之后按类别顺序列出各项目得分（{listed}）；灰色空白：该项目不适用于此类组织。"


def matrix_sheets(
    ranking: Ranking, rubrics: Mapping[str, Rubric], taken: set[str], cards: CardLoader | None = None
) -> Iterator[Sheet]:
    """One 得分明细 sheet per rubric group: items differ between rubrics, and one clean
    rectangle per sheet is what filtering and sorting need."""
    if not ranking.groups:
        taken.add(SHEET_MATRIX)
        columns = [C_INDEX, C_NAME, C_TOWNSHIP, C_TOTAL]
        yield Sheet(SHEET_MATRIX, [Title(SHEET_MATRIX), Table(columns, [none_row(columns)], main=True)])
        return
    single = len(ranking.groups) == 1
    for group in ranking.groups:  # one at a time: only one sheet's rows are held
        name = sheet_name(SHEET_MATRIX, "" if single else group_label(group), taken)
        yield matrix_sheet(group, rubrics.get(group.rubric_id), name, cards)
