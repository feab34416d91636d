"""Chinese texts of a comparison, shared by the terminal tables and the workbook."""

from __future__ import annotations

from decimal import Decimal

from chuangyou.ranking.model import RankedEntry
from chuangyou.scorecard import fmt
from chuangyou.whatif.compare import ItemChange, OrganizationChange, RuleChange

NONE = "—"


def signed(value: Decimal) -> str:
    return f"+{fmt(value)}" if value > 0 else fmt(value)


def _effect(kind: str, value: Decimal | None) -> str:
    if value is None or value == 0:
        return "不加分" if kind == "award" else "不扣分"
    if kind == "award":
        return f"加 {fmt(value)} 分"
    if kind == "zero_if":
        return f"不得分（扣 {fmt(-value)} 分）"
    return f"扣 {fmt(-value)} 分"


def rule_text(change: RuleChange) -> str:
    """``未进行摸底排查：扣 1 分 → 扣 2 分``; ``项目分值：2 → 3 分``."""
    if change.kind == "points":
        return f"项目分值：{score_text(change.before)} → {score_text(change.after)} 分"
    return f"{change.rule}：{_effect(change.kind, change.before)} → {_effect(change.kind, change.after)}"


def score_text(value: Decimal | None) -> str:
    return NONE if value is None else fmt(value)


def rank_text(value: int | None) -> str:
    return NONE if value is None else str(value)


def moved(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def item_text(item: ItemChange) -> str:
    """``设置合理 2 → 1（未进行摸底排查：扣 1 分 → 扣 2 分）``."""
    if item.before is None:
        head = f"{item.name}（新标准新增）{score_text(item.after)} 分"
    elif item.after is None:
        head = f"{item.name}（新标准删除）原 {score_text(item.before)} 分"
    else:
        head = f"{item.name} {fmt(item.before)} → {fmt(item.after)}"
    rules = "；".join(rule_text(r) for r in item.rules)
    return f"{head}（{rules}）" if rules else head


def delta(change: OrganizationChange) -> Decimal:
    return change.total_after - change.total_before


def item_delta(item: ItemChange) -> Decimal:
    return (item.after or Decimal(0)) - (item.before or Decimal(0))


def tier_reasons(before: RankedEntry, after: RankedEntry) -> list[str]:
    """Why the final tier or the rank moved beyond the items: the new threshold, the ranking's
    own notes (vetoes, quotas, held cases), or other organizations' scores."""
    lines = []
    if before.tier != after.tier:
        if before.threshold_tier != after.threshold_tier:
            lines.append(f"按分数：{fmt(after.total)} 分由{before.threshold_tier}变为{after.threshold_tier}")
        lines += after.notes
    if before.total == after.total and before.rank != after.rank:
        lines.append("总分未变，排名随其他组织的分数变化")
    return lines
