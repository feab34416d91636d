"""等级名单 (the published list) and 得分明细 (organization × item matrix) sheets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from decimal import Decimal

from chuangyou.export import styles
from chuangyou.export.common import (
    CardLoader,
    entry_notes,
    full_card,
    group_label,
    none_row,
    ordered,
    sheet_name,
    veto_text,
)
from chuangyou.export.table import Column, Part, Sheet, Styled, Table, Title, Value
from chuangyou.ranking.model import HELD_TIER, QuotaOutcome, RankedEntry, Ranking, RankingGroup
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import ItemScore, fmt

SHEET_TIERS = "等级名单"
SHEET_MATRIX = "得分明细"

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


def title(ranking: Ranking) -> str:
    years = Counter(e.year for e in ranking.entries() if e.year)
    year = f"{years.most_common(1)[0][0]}年度" if len(years) == 1 else ""
    return f"{year}基层党组织争先创优评定等级名单"


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
            parts.append(f"{tier}不超过{share}（{scope}最多 {limit} 个，调整 {moved} 个）")
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


def tierlist_sheet(ranking: Ranking) -> Sheet:
    columns = _columns(ranking)
    places = _places(ranking)
    rows: list = []
    for group in ranking.groups:
        for entry in ordered(group):
            rows.append(_row(len(rows) + 1, group, entry, ranking.with_previous, places))
    table = Table(columns, rows or [none_row(columns)], main=True)
    return Sheet(SHEET_TIERS, [*_summary(ranking), table], header=title(ranking))


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
    fixed = [C_INDEX, C_NAME, C_TOWNSHIP, C_SUBTYPE, C_RANK, C_TIER]
    columns = fixed + [Column(f"{i.category}-{i.name}（{fmt(i.points)}分）", 9, 12) for i in items]
    columns += [Column(f"{name_}小计（{fmt(points)}分）", 9, 12) for _, name_, points in categories]
    columns += [C_SELF, C_TOTAL]
    rows: list = []
    for entry in ordered(group):
        card = full_card(entry, cards)
        scores = {i.id: i.score for i in card.items} if card else {}
        subtotals = {c.id: c.score for c in card.categories} if card else {}
        row: list[Value] = [len(rows) + 1, entry.name, entry.township, entry.subtype_label or entry.subtype,
                            entry.rank, _tier_cell(group, entry.tier)]
        row += [scores[i.id] if i.id in scores else Styled(None, fill=styles.NA_FILL) for i in items]
        row += [subtotals.get(cid) for cid, _, _ in categories]
        rows.append(row + [entry.self_total, entry.total])
    header = f"{group.rubric_name} 得分明细"
    parts: list[Part] = [Title(header), Title("空白灰色单元格：该项目不适用于此类组织。", big=False),
             Table(columns, rows or [none_row(columns)], main=True)]
    # ~40 item columns cannot be read on one page width: print across pages at full size,
    # with 序号 and 组织名称 repeated on each, and keep them in view when scrolling right.
    return Sheet(name, parts, header=header, fit_width=False, repeat_cols="A:B", freeze_cols=2)


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
