"""Statistics of a ranking per township, county, 组织类别 or 组织形式 (pure library code).

:func:`compute_statistics` gives the ``statistics`` of ``rank --format json`` (the contract
in :mod:`chuangyou.statistics.model`); the 乡镇统计 sheet and ``chuangyou stats`` render it.
:func:`township_weaknesses` gives the items that cost each township the most points.
"""

from chuangyou.statistics.compute import (
    compute_breakdown,
    compute_statistics,
    locate_failures,
    missing_groups,
    name_order,
    text_key,
    union_tiers,
)
from chuangyou.statistics.model import (
    ALL_GROUPS,
    Breakdown,
    BreakdownRow,
    FailedFile,
    Listed,
    Overall,
    Row,
    Statistics,
)
from chuangyou.statistics.weakness import Weakness, township_weaknesses

__all__ = [
    "ALL_GROUPS",
    "Breakdown",
    "BreakdownRow",
    "FailedFile",
    "Listed",
    "Overall",
    "Row",
    "Statistics",
    "Weakness",
    "compute_breakdown",
    "compute_statistics",
    "locate_failures",
    "missing_groups",
    "name_order",
    "text_key",
    "township_weaknesses",
    "union_tiers",
]
