"""整改通知书: one notice per weak organization — the items it lost points on, what the
standard requires, a table to fill in (整改措施, 责任人, 完成时限) and a 销号 line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from chuangyou.documents import word
from chuangyou.documents.config import DocConfig
from chuangyou.documents.feedback import clauses, evidence_text, flat
from chuangyou.documents.notice import chosen_tiers, signature
from chuangyou.export.common import CardLoader, full_card, veto_text
from chuangyou.export.details import reason_text, weak_tiers
from chuangyou.ranking.model import RankedEntry, Ranking, RankingGroup
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import ScoreCard, fmt

RECTIFY = word.Kind("整改通知书", "整改通知书")
# 序号, 存在问题, 标准要求, 整改措施, 责任人, 完成时限: 156 mm.
WIDTHS = [12.0, 38.0, 44.0, 27.0, 15.0, 20.0]
FILL_IN = ("整改措施", "责任人", "完成时限")


def to_rectify(ranking: Ranking, tiers: Iterable[str] | None) -> list[tuple[RankingGroup, RankedEntry]]:
    """The organizations at ``tiers`` (default: each group's two lowest), and every one at
    the lowest tier (软弱涣散) whatever its score; worst first within each group."""
    wanted = set(chosen_tiers(ranking, tiers)) if tiers is not None else None
    found = []
    for group in ranking.groups:
        scope = wanted if wanted is not None else set(weak_tiers(group))
        bottom = group.tiers[-1] if group.tiers else None
        chosen = [e for e in group.entries if not e.held and (e.tier in scope or e.tier == bottom)]
        chosen.sort(key=lambda e: (-group.tiers.index(e.tier), e.total))
        found += [(group, e) for e in chosen]
    return found


def _rows(card: ScoreCard, rubric: Rubric | None) -> list[list[str]]:
    known = clauses(rubric)
    rows = [["序号", "存在问题", "标准要求", *FILL_IN]]
    for item in card.items:
        if item.score >= item.points:
            continue
        problems = "\n".join(f"{reason_text(d)}（扣 {fmt(d.points)} 分）" for d in item.deductions)
        clause = known.get(item.id)
        rows.append([str(len(rows)), f"{item.category}-{item.name}（失 {fmt(item.points - item.score)} 分）：{problems}",
                     flat(clause[0]) if clause else "", "", "", ""])
    for hit in card.vetoes:
        cells = f"（依据：{evidence_text(hit.evidence)}）" if hit.evidence else ""
        rows.append([str(len(rows)), f"否决情形：{veto_text(hit)}{cells}", "", "", "", ""])
    if len(rows) == 1:
        rows.append(["—", "无失分项目", "", "", "", ""])
    return rows


def organization_notice(doc: Any, group: RankingGroup, entry: RankedEntry, card: ScoreCard,
                        rubric: Rubric | None, config: DocConfig, today: dt.date) -> None:
    year = card.organization.year
    word.title(doc, "整改通知书")
    word.paragraph(doc, f"{entry.name}：")
    when = f"{year}年度" if year else ""
    reported = config.issuer or "上级党组织"
    word.paragraph(doc, (
        f"经{when}基层党组织争先创优考评，你单位得分{fmt(entry.total)}分，评定为{entry.tier}。"
        f"现将考评中发现的问题通知如下，请对照评定标准逐项制定整改措施，明确责任人和完成时限，"
        f"整改完成一项、销号一项，并将整改情况书面报送{reported}。"), indent=True)
    word.paragraph(doc, "", size=word.SIZE_5, line=None)
    word.table(doc, _rows(card, rubric), WIDTHS, size=word.SIZE_5)
    word.paragraph(doc, "", line=None)
    word.paragraph(doc, "整改销号：□ 已全部整改，同意销号　□ 部分整改，继续整改", size=word.SIZE_S4, line=24)
    word.paragraph(doc, "销号确认人（签字）：" + "\u3000" * 10 + "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",
                   size=word.SIZE_S4, line=24)
    signature(doc, config.issuer, config.date or today)


def rectify_document(ranking: Ranking, rubrics: Mapping[str, Rubric], config: DocConfig,
                     tiers: Iterable[str] | None = None, today: dt.date | None = None,
                     cards: CardLoader | None = None) -> tuple[Any, int]:
    today = today or dt.date.today()
    doc = word.new_document(RECTIFY)
    chosen = to_rectify(ranking, tiers)
    for n, (group, entry) in enumerate(chosen):
        if n:
            word.new_page_section(doc)
        card = full_card(entry, cards)
        if card is not None:
            organization_notice(doc, group, entry, card, rubrics.get(group.rubric_id), config, today)
    if not chosen:
        word.title(doc, "整改通知书")
        word.paragraph(doc, "本次评定没有需要整改的组织。", indent=True)
    return doc, len(chosen)


def write_rectify(path: Path, ranking: Ranking, rubrics: Mapping[str, Rubric], config: DocConfig,
                  tiers: Iterable[str] | None = None, *, inputs: Iterable[Path] = (), force: bool = False,
                  today: dt.date | None = None, cards: CardLoader | None = None) -> int:
    """Write the notices; the number of organizations notified."""
    doc, count = rectify_document(ranking, rubrics, config, tiers, today, cards)
    word.save(doc, path, RECTIFY, inputs, force=force)
    return count
