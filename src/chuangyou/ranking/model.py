"""Ranking results: what the batch runner prints and the export writes.

All models forbid unknown keys and serialize deterministically: lists keep the order
:func:`chuangyou.ranking.rank` builds (groups by rubric id, entries by rank), dicts keep
tier order, Decimals are strings (:data:`chuangyou.scorecard.Score`).

An entry's full :class:`ScoreCard` rides along in ``card`` but is left out of JSON: the
batch output already carries every card under ``results``, so the ranking refers to them
by ``source`` and :meth:`Ranking.link` joins them again after loading.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from chuangyou.errors import Problem, UsageError
from chuangyou.scorecard import HELD_TIER as HELD_TIER  # beside ScoreCard.tier: one meaning
from chuangyou.scorecard import Score, ScoreCard

Change = Literal["升级", "降级", "持平", "新参评"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreviousResult(_Model):
    """One organization's published result of an earlier run (for 升级/降级)."""

    name: str
    township: str = ""
    tier: str | None  # None: the result was 待定（另行处理）
    year: int | None = Field(default=None, ge=0, le=9999)  # four digits, as the reader reads them
    source: str = ""
    code: str = ""  # 组织代码: where both years carry one, it matches instead of the name


class QuotaOutcome(_Model):
    """One quota as applied to one group: the figures behind every note it wrote."""

    tier: str
    kind: Literal["max", "min"]  # max: 最多（名额上限）; min: 最少（倒排）
    share: Score  # 0.3 for 30%
    origin: Literal["rubric", "run"]  # the rubric's `quota` or a run's --quota
    base: int  # organizations the share is taken of (the group without held ones)
    limit: int  # max: floor(share × base) allowed; min: ceil(share × base) required
    before: int  # organizations in the tier before this quota
    moved: int  # organizations this quota moved
    unused: int = 0  # max: places left empty because a tie at the cut moved down as a whole
    note: str = ""  # what the unused places mean, in the words of the tier list (研究决定)
    township: str | None = None  # --quota-by township: the township it was applied in


class RankedEntry(_Model):
    """One organization in its group, with every tier decision and why."""

    rank: int | None  # competition rank (1, 2, 2, 4); None for held organizations
    name: str
    township: str
    subtype: str
    subtype_label: str
    form: str
    year: int | None
    source: str
    code: str = ""  # 组织代码 (optional)
    total: Score
    self_total: Score
    threshold_tier: str  # by score alone
    capped_tier: str  # after vetoes (ScoreCard.tier)
    tier: str  # final: after promotion limit and quotas, or HELD_TIER
    held: bool
    notes: list[str] = Field(default_factory=list)
    previous_tier: str | None = None  # None: no match, or held last year
    previous_year: int | None = None
    change: Change | None = None  # None: no --previous, held now, or not comparable
    rank_in_township: int | None = None  # competition rank among its township's ranked ones
    county: str | None = None  # 县（市、区）: the run's --county, kept when counties are merged
    card: ScoreCard | None = Field(default=None, exclude=True)


class RankingGroup(_Model):
    """All organizations scored with one rubric (scores on different rubrics don't compare)."""

    rubric_id: str
    rubric_name: str
    rubric_version: str
    tiers: list[str]  # the rubric's tiers, high to low
    size: int  # ranked organizations (held ones excluded): the quota base
    held: int
    counts: dict[str, int]  # final tier → organizations, in tier order, HELD_TIER last
    quotas: list[QuotaOutcome] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    entries: list[RankedEntry] = Field(default_factory=list)


QuotaScope = Literal["group", "township"]


class Ranking(_Model):
    groups: list[RankingGroup] = Field(default_factory=list)
    step_promotion: bool = False  # 逐级晋升 applied
    with_previous: bool = False  # 升级/降级 compared against an earlier result
    quota_by: QuotaScope = "group"  # township: every quota applied inside each township
    county: str | None = None  # rank --county; None when not given or for merged counties

    def entries(self) -> Iterator[RankedEntry]:
        for group in self.groups:
            yield from group.entries

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per final tier for each group, keyed by rubric id."""
        return {group.rubric_id: dict(group.counts) for group in self.groups}

    def link(self, cards: Iterable[ScoreCard]) -> Ranking:
        """Attach each entry's ScoreCard again (after loading a ranking from JSON)."""
        by_source = {card.source: card for card in cards}
        missing = [e.source for e in self.entries() if e.source not in by_source]
        if missing:
            raise UsageError(
                "排名结果与评分结果对不上：以下文件在 results 中没有评分结果",
                [Problem(source, "缺少评分结果") for source in missing],
            )
        for entry in self.entries():
            entry.card = by_source[entry.source]
        return self
