"""Exports: the tier-list workbook (等级名单.xlsx) and the JSON of a ranked batch.

- :func:`write_tierlist` writes 等级名单, 得分明细, 扣分明细, 问题分析, 整改清单, 未能评分.
- :func:`dump_results` / :func:`load_results`: what ``chuangyou rank --format json``
  prints, and reading it back for ``chuangyou export``.
- :func:`load_previous_workbook`: last year's exported 等级名单 for ``rank --previous``
  (registered with :data:`chuangyou.ranking.PREVIOUS_LOADERS` for ``.xlsx``).
"""

from chuangyou.export.json_io import dump_results, load_results, rubrics_for
from chuangyou.export.previous import load_previous_workbook
from chuangyou.export.workbook import WORKBOOK_TITLE, write_tierlist

__all__ = [
    "WORKBOOK_TITLE", "dump_results", "load_previous_workbook", "load_results", "rubrics_for", "write_tierlist",
]
