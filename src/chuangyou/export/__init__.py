"""Exports: the tier-list workbook (等级名单.xlsx) and the JSON of a ranked batch.

- :func:`write_tierlist` writes 等级名单, 得分明细, 扣分明细, 问题分析, 整改清单, 未能评分.
- :func:`dump_results` / :func:`load_results`: what ``chuangyou rank --format json``
  prints, and reading it back for ``chuangyou export``.
- :func:`load_previous_workbook`: last year's exported 等级名单 for ``rank --previous``
  (found through :data:`chuangyou.ranking.PREVIOUS_LOADERS` for ``.xlsx``).
"""

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use: `rank --format json` needs dump_results, not openpyxl (0.1 s).
_WHERE = {
    "dump_results": "json_io", "load_results": "json_io", "rubrics_for": "json_io",
    "load_previous_workbook": "previous", "WORKBOOK_TITLE": "workbook", "write_tierlist": "workbook",
}

__all__ = [
    "WORKBOOK_TITLE", "dump_results", "load_previous_workbook", "load_results", "rubrics_for", "write_tierlist",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chuangyou.export' has no attribute {name!r}")
    return getattr(importlib.import_module(f"chuangyou.export.{module}"), name)
