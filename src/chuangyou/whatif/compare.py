"""The comparison: two rankings of the same organizations → who moves, and why.

This is the only new logic of ``whatif``: the scores and ranks come from the engine and
the ranking as they are. An organization is listed when its total, its final tier or its
rank differs; its items whose score differs are listed with the rules that account for the
difference, so that the item deltas add up to the total's change (the engine's item score
is points − Σ deductions + Σ awards, exactly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from chuangyou.ranking.model import RankedEntry, Ranking, RankingGroup
from chuangyou.scorecard import ItemScore, Score, ScoreCard

#: Gives an entry's whole card (items, deductions) for its summary card.
CardLoader = Callable[[ScoreCard], ScoreCard]
RULE_KINDS = {"deduct": "扣分", "zero_if": "不得分", "score": "酌情得分", "award": "加分", "points": "分值"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleChange(_Model):
    """One rule's effect on an item before and after: points lost (negative) or gained
    (positive); None where the rule did not apply. ``kind`` ``points`` is the item's own
    points (分值) when the new standard changes them."""

    rule: str  # the rule's reason, as the standard words it
    kind: str  # deduct | zero_if | score | award | points
    before: Score | None
    after: Score | None


class ItemChange(_Model):
    id: str  # "<category id>.<item id>"
    name: str
    before: Score | None  # None: the item is not in the old standard (or not for this subtype)
    after: Score | None
    rules: list[RuleChange] = Field(default_factory=list)


class OrganizationChange(_Model):
    name: str
    township: str
    group: str  # the ranking group: the rubric id
    source: str
    total_before: Score
    total_after: Score
    tier_before: str
    tier_after: str
    rank_before: int | None  # None: held (另行处理)
    rank_after: int | None
    items: list[ItemChange] = Field(default_factory=list)


class MissingField(_Model):
    id: str  # 编号 in 考评数据: "<item id>.<field id>" or "general.<field id>"
    label: str
    reason: str


class MissingFields(_Model):
    """A workbook that lacks data the new standard needs: not scored under it, never guessed."""

    source: str
    fields: list[MissingField]


class GroupSummary(_Model):
    group: str
    counts_before: dict[str, int]
    counts_after: dict[str, int]


class WhatIf(_Model):
    """``whatif --format json``: the contract of issue 16."""

    changes: list[OrganizationChange] = Field(default_factory=list)
    missing_fields: list[MissingFields] = Field(default_factory=list)
    summary: list[GroupSummary] = Field(default_factory=list)


def _effects(item: ItemScore) -> dict[tuple[str, str], Decimal]:
    """Each rule's signed effect on the item's score, by (kind, reason)."""
    effects: dict[tuple[str, str], Decimal] = {}
    for d in item.deductions:
        key = (d.kind, d.reason)
        effects[key] = effects.get(key, Decimal(0)) - d.points
    for a in item.awards:
        key = ("award", a.reason)
        effects[key] = effects.get(key, Decimal(0)) + a.points
    return effects


def _rule_changes(before: ItemScore | None, after: ItemScore | None) -> list[RuleChange]:
    changes: list[RuleChange] = []
    if before is not None and after is not None and before.points != after.points:
        changes.append(RuleChange(rule="项目分值", kind="points", before=before.points, after=after.points))
    old = _effects(before) if before is not None else {}
    new = _effects(after) if after is not None else {}
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key), new.get(key)
        if a != b and (a or b):  # a rule that took 0 points (扣完为止) either way explains nothing
            changes.append(RuleChange(rule=key[1], kind=key[0], before=a, after=b))
    return changes


def item_changes(before: ScoreCard, after: ScoreCard) -> list[ItemChange]:
    """Items whose score differs, or that only one standard has, in the new card's order."""
    old = {i.id: i for i in before.items}
    new = {i.id: i for i in after.items}
    found = []
    for key in [*new, *(k for k in old if k not in new)]:
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a.score == b.score and a.points == b.points:
            continue
        item = b or a
        assert item is not None
        found.append(ItemChange(
            id=key, name=item.name, before=a.score if a else None, after=b.score if b else None,
            rules=_rule_changes(a, b),
        ))
    return found


def _moved(a: RankedEntry, b: RankedEntry) -> bool:
    return a.total != b.total or a.tier != b.tier or a.rank != b.rank


def _counts(group: RankingGroup | None, like: RankingGroup) -> dict[str, int]:
    if group is not None:
        return dict(group.counts)
    return {tier: 0 for tier in like.counts}


def compare(
    before: Ranking,
    after: Ranking,
    before_card: CardLoader,
    after_card: CardLoader,
    missing: Iterable[MissingFields] = (),
) -> WhatIf:
    """Every organization ranked both times whose total, tier or rank moved; tier counts per group."""
    placed = {e.source: e for e in after.entries()}
    changes: list[OrganizationChange] = []
    for group in before.groups:
        for entry in group.entries:
            new = placed.get(entry.source)
            if new is None or not _moved(entry, new):
                continue
            items: list[ItemChange] = []
            if entry.card is not None and new.card is not None:
                items = item_changes(before_card(entry.card), after_card(new.card))
            changes.append(OrganizationChange(
                name=entry.name, township=entry.township, group=group.rubric_id, source=entry.source,
                total_before=entry.total, total_after=new.total, tier_before=entry.tier, tier_after=new.tier,
                rank_before=entry.rank, rank_after=new.rank, items=items,
            ))
    later = {g.rubric_id: g for g in after.groups}
    summary = [
        GroupSummary(group=g.rubric_id, counts_before=dict(g.counts), counts_after=_counts(later.get(g.rubric_id), g))
        for g in before.groups
    ]
    return WhatIf(changes=changes, missing_fields=list(missing), summary=summary)
