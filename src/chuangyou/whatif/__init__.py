"""What-if: the organizations a new standard (or new quotas) would move, before adopting it.

- :func:`what_if` scores a folder as ``rank`` does, scores the same workbooks again under the
  new standard (:mod:`chuangyou.whatif.rescore`), ranks both and compares them.
- :func:`compare` is the comparison alone, on two rankings (:mod:`chuangyou.whatif.compare`).
- :func:`write_comparison` writes the workbook 变化汇总 / 等级变化 / 分项变化.
"""

from chuangyou.whatif.compare import (
    GroupSummary,
    ItemChange,
    MissingField,
    MissingFields,
    OrganizationChange,
    RuleChange,
    WhatIf,
    compare,
    item_changes,
)
from chuangyou.whatif.rescore import Rescored, adapt, rescore
from chuangyou.whatif.run import Outcome, what_if

__all__ = [
    "GroupSummary", "ItemChange", "MissingField", "MissingFields", "OrganizationChange", "Outcome", "Rescored",
    "RuleChange", "WhatIf", "adapt", "compare", "item_changes", "rescore", "what_if",
]
