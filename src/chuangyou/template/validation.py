"""Data validation (dropdowns and number ranges) for the template's value cells.

Cells with the same rule share one DataValidation object (one ``<dataValidation>``
element with several ranges), which keeps the file small and Excel fast.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.rubric.model import FieldSpec
from chuangyou.template.cells import clean_text, put
from chuangyou.values import expected

LIST_SHEET = "下拉选项"
_INLINE_LIMIT = 255  # Excel's limit on a literal list in a validation formula
_PROMPT_LIMIT = 255  # Excel's limits on the input/error message and their titles
_TITLE_LIMIT = 32
# "No limit" for unbounded numbers, inside what Excel accepts in a validation formula.
_BIG = Decimal(999_999_999)


@dataclass(frozen=True)
class Check:
    """One validation rule, hashable so cells with the same rule can share it."""

    type: str  # list | whole | decimal
    operator: str | None
    formula1: str
    formula2: str | None
    prompt: str
    error: str


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ListSource:
    """Where list options come from: inline when Excel allows, else a hidden sheet.

    A literal list cannot hold a comma or a quote and is limited to 255 characters,
    so such option lists are written to a hidden sheet and referenced by range.
    """

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.sheet: Worksheet | None = None
        self.ranges: dict[tuple[str, ...], str] = {}

    def formula(self, options: list[str]) -> str:
        options = [clean_text(o) for o in options]
        literal = ",".join(options)
        if len(literal) + 2 <= _INLINE_LIMIT and not any("," in o or '"' in o for o in options):
            return f'"{literal}"'
        key = tuple(options)
        if key not in self.ranges:
            self.ranges[key] = self._store(options)
        return self.ranges[key]

    def _store(self, options: list[str]) -> str:
        if self.sheet is None:
            self.sheet = self.workbook.create_sheet(LIST_SHEET)
            self.sheet.sheet_state = "hidden"
        column = get_column_letter(len(self.ranges) + 1)
        for row, option in enumerate(options, 1):
            put(self.sheet, f"{column}{row}", option)
        return f"'{LIST_SHEET}'!${column}$1:${column}${len(options)}"


def list_check(source: ListSource, options: list[str], prompt: str) -> Check:
    shown = "、".join(options)
    return Check("list", None, source.formula(options), None, prompt, f"请从下拉列表中选择：{shown}")


def _bounds(spec: FieldSpec) -> tuple[Decimal | None, Decimal | None]:
    low = Decimal(0) if spec.type == "score" and spec.min is None else spec.min
    return low, spec.max


def number_check(spec: FieldSpec) -> Check:
    low, high = _bounds(spec)
    whole = spec.type == "int"
    if whole:  # a whole-number rule needs whole-number limits
        low = None if low is None else Decimal(math.ceil(low))
        high = None if high is None else Decimal(math.floor(high))
    if low is not None and high is not None:
        operator, f1, f2 = "between", _plain(low), _plain(high)
    elif low is not None:
        operator, f1, f2 = "greaterThanOrEqual", _plain(low), None
    elif high is not None:
        operator, f1, f2 = "lessThanOrEqual", _plain(high), None
    else:
        operator, f1, f2 = "between", _plain(-_BIG), _plain(_BIG)
    prompt = expected(spec)
    if spec.unit == "%":
        # Typing 95% makes Excel store 0.95; the reader catches that, but say it up front.
        prompt += "。请直接填写数值，如 95，不要输入 % 号"
    return Check("whole" if whole else "decimal", operator, f1, f2, prompt, f"输入的值不符合要求：{expected(spec)}。")


def field_check(spec: FieldSpec, source: ListSource) -> Check | None:
    """The validation for a field's value cells; None for free text."""
    if spec.type == "bool":
        return list_check(source, ["是", "否"], expected(spec))
    if spec.type == "choice":
        return list_check(source, list(spec.options or []), expected(spec))
    if spec.type in ("int", "number", "score"):
        return number_check(spec)
    return None


class Validations:
    """Collects cells per rule for one worksheet, then adds them all at once."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.cells: dict[Check, list[str]] = {}

    def add(self, check: Check | None, *refs: str) -> None:
        if check is not None:
            self.cells.setdefault(check, []).extend(refs)

    def apply(self) -> None:
        for check, refs in self.cells.items():
            dv = DataValidation(
                type=check.type,
                operator=check.operator,
                formula1=check.formula1,
                formula2=check.formula2,
                allow_blank=True,
                showInputMessage=True,
                showErrorMessage=True,
                errorStyle="stop",
                promptTitle=_clip("填写提示", _TITLE_LIMIT),
                prompt=_clip(check.prompt, _PROMPT_LIMIT),
                errorTitle=_clip("输入有误", _TITLE_LIMIT),
                error=_clip(check.error, _PROMPT_LIMIT),
            )
            for ref in refs:
                dv.add(ref)
            self.ws.add_data_validation(dv)
