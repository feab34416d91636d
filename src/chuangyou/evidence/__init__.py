"""Reading evidence workbooks (证明材料工作簿) into :class:`~chuangyou.scorecard.Evidence`.

``read_evidence(path, rubric=None, reader="auto")`` — the layout is the contract in
DESIGN.md ("Evidence workbook"); every problem in a workbook is reported at once in one
:class:`~chuangyou.errors.EvidenceError`. ``reader`` picks python-calamine (fast, native)
or openpyxl (pure Python); both give identical results.
"""

from chuangyou.evidence.reader import read_evidence, read_workbook
from chuangyou.evidence.workbook import READERS

__all__ = ["READERS", "read_evidence", "read_workbook"]
