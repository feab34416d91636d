"""Statistics per township (and county): the ``statistics`` key of ``rank --format json``.

A contract (docs/ranking.md): the 乡镇统计 sheet and ``chuangyou stats`` render these
models and nothing else. Shape::

    {"levels": ["township"],                 # ["county", "township"] for merged counties
     "tiers": [...],                          # every tier in play, high to low
     "townships": [Row…],                     # per rubric group: one row per township
     "counties": [Row…],                      # per rubric group: one row per county ([] without)
     "groups": [Row…],                        # per rubric group: its totals row
     "overall": {"townships": [Row…], "counties": [Row…], "total": Row}}   # all groups together

A row: ``{"county", "township", "group", "group_name", "counts": {tier: n}, "shares": {tier:
share}, "ranked", "held", "failed", "missing", "average", "lowest"}``; ``null`` in county,
township or group means "all of them". ``ranked`` have a tier (their counts add up to it),
``held`` are 待定（另行处理）, ``failed`` files could not be scored (their rubric is unknown,
so ``null`` in a group's rows: they count in ``overall`` only), ``missing`` are on the
roster but sent nothing. Shares are of ``ranked``; ``average`` and ``lowest`` are over
every scored organization (ranked and held), ``null`` when there is none.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from chuangyou.scorecard import Score

Level = Literal["county", "township"]
Dimension = Literal["township", "county", "subtype", "form"]
ALL_GROUPS = "全部组织"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Row(_Model):
    """The organizations of one township (or county, or all) in one group (or all groups)."""

    county: str | None = None
    township: str | None = None
    group: str | None = None  # rubric id; None: all groups
    group_name: str = ALL_GROUPS
    counts: dict[str, int] = Field(default_factory=dict)  # tier → ranked organizations, high to low
    shares: dict[str, Score] = Field(default_factory=dict)  # tier → count / ranked (4 decimals)
    ranked: int = 0
    held: int = 0
    failed: int | None = 0  # None in a group's rows: a failed file's rubric is unknown
    missing: int = 0
    average: Score | None = None
    lowest: Score | None = None

    @property
    def scored(self) -> int:
        return self.ranked + self.held


class Overall(_Model):
    """The same rows over all rubric groups together."""

    townships: list[Row] = Field(default_factory=list)
    counties: list[Row] = Field(default_factory=list)
    total: Row = Field(default_factory=Row)


def _township_level() -> list[Level]:
    return ["township"]


class Statistics(_Model):
    levels: list[Level] = Field(default_factory=_township_level)
    tiers: list[str] = Field(default_factory=list)
    townships: list[Row] = Field(default_factory=list)
    counties: list[Row] = Field(default_factory=list)
    groups: list[Row] = Field(default_factory=list)
    overall: Overall = Field(default_factory=Overall)

    @property
    def by_county(self) -> bool:
        return "county" in self.levels


class BreakdownRow(_Model):
    """One value of 组织类别 or 组织形式 (``chuangyou stats --by subtype|form``)."""

    value: str
    group: str | None = None
    group_name: str = ALL_GROUPS
    counts: dict[str, int] = Field(default_factory=dict)
    shares: dict[str, Score] = Field(default_factory=dict)
    ranked: int = 0
    held: int = 0
    missing: int = 0
    average: Score | None = None
    lowest: Score | None = None


class Breakdown(_Model):
    by: Literal["subtype", "form"]
    tiers: list[str] = Field(default_factory=list)
    rows: list[BreakdownRow] = Field(default_factory=list)  # per group, then all groups together


class Listed(Protocol):
    """An organization on the roster that sent no workbook (roster.ListedOrganization)."""

    name: str
    township: str
    subtype_label: str
    form: str
    code: str


class FailedFile(BaseModel):
    """A file that could not be scored, placed in a township where its path tells."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    county: str | None = None
    township: str | None = None  # None: no folder of its path names a known township
