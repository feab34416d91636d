"""Ranking: groups, competition ranks, tiers, quotas and year-over-year changes.

Pure library code (no files except :func:`load_previous`, no CLI, no workbooks); the
batch runner and the export build on :func:`rank` and the :class:`Ranking` model.
"""

from chuangyou.ranking.model import (
    HELD_TIER,
    Change,
    PreviousResult,
    QuotaOutcome,
    RankedEntry,
    Ranking,
    RankingGroup,
)
from chuangyou.ranking.previous import PREVIOUS_LOADERS, PreviousLoader, load_previous, org_key
from chuangyou.ranking.quota import parse_quota, parse_quotas
from chuangyou.ranking.rank import (
    DuplicateOrganizationError,
    check_duplicates,
    rank,
    same_organization,
)

__all__ = [
    "HELD_TIER",
    "PREVIOUS_LOADERS",
    "Change",
    "DuplicateOrganizationError",
    "PreviousLoader",
    "PreviousResult",
    "QuotaOutcome",
    "RankedEntry",
    "Ranking",
    "RankingGroup",
    "check_duplicates",
    "load_previous",
    "org_key",
    "parse_quota",
    "parse_quotas",
    "rank",
    "same_organization",
]
