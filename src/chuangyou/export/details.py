"""扣分明细 (every deduction, linked to its evidence), 整改清单 (what the weak must fix)
and 未能评分 (files that could not be scored)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from chuangyou.batch import Failure
from chuangyou.export import styles
from chuangyou.export.common import (
    CardLoader,
    Links,
    filled,
    full_card,
    group_label,
    labels,
    none_row,
    ordered,
    values,
    veto_text,
)
from chuangyou.export.table import Band, Column, Sheet, Styled, Table, Title, Value
from chuangyou.export.tierlist import C_INDEX, C_NAME, C_RUBRIC, C_TIER, C_TOWNSHIP
from chuangyou.ranking.model import HELD_TIER, RankedEntry, Ranking, RankingGroup
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import CellRef, Deduction, ItemScore, ScoreCard, award_text, fmt

SHEET_DEDUCTIONS = "扣分明细"
AWARD_MARK = "【加分】"
SHEET_RECTIFY = "整改清单"
SHEET_FAILURES = "未能评分"

C_CATEGORY = Column("类别", 8, 14)
C_ITEM = Column("项目", 10, 18)
C_LOST = Column("扣分", 5, 6)
C_REASON = Column("原因", 16, 36)
C_CELLS = Column("依据单元格", 10, 20)  # a linked cell shows on one line: never wrapped
C_LABELS = Column("指标", 12, 24)
C_VALUES = Column("填报值", 8, 16)
C_SOURCE = Column("材料文件", 14, 40)

DEDUCTION_COLUMNS = [C_INDEX, C_RUBRIC, C_NAME, C_TOWNSHIP, C_TIER, C_CATEGORY, C_ITEM, C_LOST, C_REASON,
                     C_CELLS, C_LABELS, C_VALUES, C_SOURCE]


def reason_text(d: Deduction) -> str:
    if d.nominal is None:
        return d.reason
    if d.points == 0:
        return f"{d.reason}（规则扣 {fmt(d.nominal)} 分，该项已扣完）"
    return f"{d.reason}（规则扣 {fmt(d.nominal)} 分，扣完为止）"


def deductions_sheet(ranking: Ranking, links: Links, cards: CardLoader | None = None) -> Sheet:
    note = ("点击“依据单元格”可打开证明材料并定位到该单元格（需保持本文件与证明材料的相对位置不变）。"
            "加分项以负数列出，每个组织各行之和即其失分。")
    # Streamed: the rows (~5 per organization) are made as the sheet is written, never all held.
    table = Table(DEDUCTION_COLUMNS, _deduction_rows(ranking, links, cards), main=True,
                  when_empty=none_row(DEDUCTION_COLUMNS))
    return Sheet(SHEET_DEDUCTIONS, [Title(SHEET_DEDUCTIONS), Title(note, big=False), table], header=SHEET_DEDUCTIONS)


def _deduction_rows(ranking: Ranking, links: Links, cards: CardLoader | None) -> Iterator[list[Value]]:
    number = 0
    for group in ranking.groups:
        label = group_label(group)
        for entry in ordered(group):
            card = full_card(entry, cards)
            for item in card.items if card else ():
                # An award is a negative 扣分, so that an organization's rows add up to what it lost.
                lines = [(d.points, reason_text(d), d.evidence) for d in item.deductions]
                lines += [(-a.points, f"{AWARD_MARK}{award_text(item, a)}", a.evidence) for a in item.awards if a.points]
                for points, reason, evidence in lines:
                    number += 1
                    yield [
                        number, label, entry.name, entry.township, entry.tier, item.category, item.name,
                        points, reason, links.cells(entry.source, evidence), labels(evidence), values(evidence),
                        entry.source,
                    ]


# --- 整改清单 -----------------------------------------------------------------------------

C_PROBLEM = Column("存在问题", 16, 34)
C_STANDARD = Column("考核评价标准", 24, 48)
C_FILLED = Column("填报情况", 12, 26)
# Filled in by the township or the branch: the same three columns as the 整改通知书's table.
FILL_IN = [Column("整改措施", 20, 30), Column("责任人", 8, 10), Column("完成时限", 10, 12)]
RECTIFY_COLUMNS = [C_NAME, C_TOWNSHIP, C_TIER, C_ITEM, C_LOST, C_PROBLEM, C_STANDARD, C_CELLS, C_FILLED, *FILL_IN]
BLANK: list[Value] = [None] * len(FILL_IN)
VETO_ITEM = "否决情形"


def weak_tiers(group: RankingGroup) -> list[str]:
    """The tiers that get a rectification list: the two lowest (一般, 软弱涣散)."""
    return group.tiers[-2:] if len(group.tiers) >= 3 else group.tiers[-1:]


def needs_rectification(group: RankingGroup, entry: RankedEntry) -> bool:
    """Weak organizations, and held ones: the case held for decision is itself to follow up."""
    return entry.held or entry.tier in weak_tiers(group)


def _rectify_order(group: RankingGroup, entries: list[RankedEntry]) -> list[RankedEntry]:
    """Worst first: lowest tier, lowest total; held cases last."""
    tiers = [*group.tiers, HELD_TIER]
    return sorted(entries, key=lambda e: (e.held, -tiers.index(e.tier), e.total))


def _standards(rubric: Rubric | None) -> dict[str, str]:
    if rubric is None:
        return {}
    return {f"{c.id}.{i.id}": i.standard.strip() for c, i in rubric.items()}


def _item_row(entry: RankedEntry, item: ItemScore, standard: str, links: Links) -> list[Value]:
    refs: list[CellRef] = []
    awards = [a for a in item.awards if a.points]
    for evidence in [*(d.evidence for d in item.deductions), *(a.evidence for a in awards)]:
        refs += [r for r in evidence if r not in refs]
    muted = styles.MUTED_FONT  # repeated on every row so that a filter by name keeps them
    return [
        Styled(entry.name, font=muted), Styled(entry.township, font=muted), Styled(entry.tier, font=muted),
        f"{item.category}-{item.name}", item.points - item.score,
        "\n".join([*(reason_text(d) for d in item.deductions),
                   *(f"{AWARD_MARK}{award_text(item, a)}（加 {fmt(a.points)} 分）" for a in awards)]), standard,
        links.cells(entry.source, refs), filled(refs), *BLANK,
    ]


def _band(entry: RankedEntry, card: ScoreCard | None, lost: Decimal, items: int) -> Band:
    parts = [f"总分 {fmt(entry.total)} 分（按分数为{entry.threshold_tier}），{items} 个项目失分"]
    if card and card.vetoes:
        parts.append(f"否决情形 {len(card.vetoes)} 项")
    return Band([entry.name, entry.township, entry.tier, "合计", lost, "；".join(parts), None, None, None, *BLANK])


def _block(entry: RankedEntry, standards: Mapping[str, str], links: Links, cards: CardLoader | None) -> list:
    card = full_card(entry, cards)
    items = [i for i in card.items if i.score < i.points] if card else []
    rows: list = [_band(entry, card, sum((i.points - i.score for i in items), Decimal(0)), len(items))]
    rows += [_item_row(entry, item, standards.get(item.id, ""), links) for item in items]
    muted = styles.MUTED_FONT
    for hit in card.vetoes if card else ():
        rows.append([
            Styled(entry.name, font=muted), Styled(entry.township, font=muted), Styled(entry.tier, font=muted),
            VETO_ITEM, None, veto_text(hit), "", links.cells(entry.source, hit.evidence), filled(hit.evidence),
            *BLANK,
        ])
    return rows


def rectify_sheet(
    ranking: Ranking, rubrics: Mapping[str, Rubric], links: Links, cards: CardLoader | None = None
) -> Sheet:
    scope = "、".join(dict.fromkeys(t for g in ranking.groups for t in weak_tiers(g)))
    note = f"列入范围：{scope or '最低两个等级'}的组织，以及{HELD_TIER}的组织；每个组织先列合计，再逐项列出失分项目和否决情形。"
    table = Table(RECTIFY_COLUMNS, _rectify_rows(ranking, rubrics, links, cards), main=True,
                  when_empty=none_row(RECTIFY_COLUMNS))
    return Sheet(SHEET_RECTIFY, [Title(SHEET_RECTIFY), Title(note, big=False), table], header=SHEET_RECTIFY)


def _rectify_rows(ranking: Ranking, rubrics: Mapping[str, Rubric], links: Links, cards: CardLoader | None
                  ) -> Iterator[list[Value] | Band]:
    for group in ranking.groups:
        standards = _standards(rubrics.get(group.rubric_id))
        weak = [e for e in group.entries if needs_rectification(group, e)]
        for entry in _rectify_order(group, weak):
            yield from _block(entry, standards, links, cards)


# --- 未能评分 -----------------------------------------------------------------------------

FAILURE_COLUMNS = [C_INDEX, Column("文件", 16, 40), Column("原因", 16, 40), Column("问题明细", 30, 70)]


def failures_sheet(failures: list[Failure]) -> Sheet:
    rows: list = [[n, f.source, f.reason, "\n".join(f.problems)] for n, f in enumerate(failures, 1)]
    note = "以下文件未能评分，未列入等级名单；请按问题明细修改后重新评定。" if failures else "所有文件均已评分。"
    table = Table(FAILURE_COLUMNS, rows or [none_row(FAILURE_COLUMNS)], main=True)
    return Sheet(SHEET_FAILURES, [Title(SHEET_FAILURES), Title(note, big=False), table], header=SHEET_FAILURES)
