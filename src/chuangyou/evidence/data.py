"""Sheet 考评数据: one row per rubric field, found by 编号; columns found by header text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chuangyou.evidence.cells import HEADER_ROWS, Problems, brief, is_header, key, shown, unreadable
from chuangyou.evidence.formats import NumberFormat
from chuangyou.evidence.workbook import Grid, cell_name
from chuangyou.rubric.model import FieldSpec, Rubric
from chuangyou.scorecard import CellRef
from chuangyou.values import (
    NOT_APPLICABLE,
    ValueProblem,
    expected,
    is_blank,
    memorable,
    normalize_text,
    parse_cell,
    shown_number,
)

SHEET = "考评数据"
NUMBER, SELF, VERIFIED = "编号", "自评值", "核定值"
NEEDED = (NUMBER, SELF, VERIFIED)  # the other template columns (类别, 项目, 指标 …) are for people
_ID_LIKE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class FieldRow:
    """A rubric field as the template lays it out."""

    field_id: str
    spec: FieldSpec
    number: str  # 编号: "<item id>.<field id>" or "general.<field id>"
    scopes: tuple[list[str] | None, ...]

    def applies(self, subtype: str | None) -> bool:
        """With an unknown subtype only the fields every subtype has are checked."""
        return all(scope is None or (subtype is not None and subtype in scope) for scope in self.scopes)


def field_rows(rubric: Rubric) -> list[FieldRow]:
    rows = [
        FieldRow(fid, spec, f"{item.id}.{fid}", (category.applies_to, item.applies_to, spec.applies_to))
        for category, item in rubric.items()
        for fid, spec in item.fields.items()
    ]
    rows += [FieldRow(fid, spec, f"general.{fid}", (spec.applies_to,)) for fid, spec in rubric.fields.items()]
    return rows


@dataclass
class Layout:
    """A rubric's rows, worked out once per process (a batch reads thousands of workbooks
    against the same few rubrics)."""

    rows: list[FieldRow]
    known: dict[str, FieldRow]  # 编号 → row
    by_field: dict[str, str]  # field id → 编号
    applicable: dict[str | None, list[FieldRow]] = field(default_factory=dict)

    def for_subtype(self, subtype: str | None) -> list[FieldRow]:
        rows = self.applicable.get(subtype)
        if rows is None:
            rows = self.applicable[subtype] = [row for row in self.rows if row.applies(subtype)]
        return rows


_LAYOUTS: dict[int, tuple[Rubric, Layout]] = {}


def layout(rubric: Rubric) -> Layout:
    cached = _LAYOUTS.get(id(rubric))
    if cached is not None and cached[0] is rubric:  # the rubric is kept: its id is not reused
        return cached[1]
    if len(_LAYOUTS) >= 16:
        _LAYOUTS.clear()
    rows = field_rows(rubric)
    found = Layout(rows, {row.number: row for row in rows}, {row.field_id: row.number for row in rows})
    _LAYOUTS[id(rubric)] = (rubric, found)
    return found


@dataclass
class Values:
    values: dict[str, Any] = field(default_factory=dict)
    self_values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    self_cells: dict[str, CellRef] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # values shown otherwise than scored


def read_values(grid: Grid, rubric: Rubric, subtype: str | None, problems: Problems) -> Values:
    """Parse every applicable field; report each problem (structure, rows, values)."""
    result = Values()
    columns = _find_columns(grid, problems)
    if columns is None:
        return result
    top, number_col, self_col, verified_col = columns
    rows = layout(rubric)
    found = _scan_rows(grid, rubric, rows, subtype, top, number_col, problems)
    for row in rows.for_subtype(subtype):  # rows for fields that do not apply are ignored whatever they hold
        places = found.get(row.number, [])
        if not places:
            problems.in_sheet(SHEET, f"缺少编号为“{row.number}”的行（{row.spec.label}）")
        elif len(places) == 1:
            _read_field(grid, row, places[0], self_col, verified_col, problems, result)
    return result


def _find_columns(grid: Grid, problems: Problems) -> tuple[int, int, int, int] | None:
    for top in range(min(HEADER_ROWS, len(grid.rows))):
        cells = grid.rows[top]
        if not any(is_header(v, NUMBER) for v in cells):
            continue
        columns: dict[str, int] = {}
        ok = True
        for col, raw in enumerate(cells):
            for name in NEEDED:
                if not is_header(raw, name):
                    continue
                if name in columns:
                    first, second = cell_name(top, columns[name]), cell_name(top, col)
                    problems.at(SHEET, top, col, f"表头“{name}”出现了两次（{first} 和 {second}），请删除多余的一列")
                    ok = False
                else:
                    columns[name] = col
        missing = [name for name in NEEDED if name not in columns]
        if missing:
            names = "、".join(f"“{name}”列" for name in missing)
            problems.in_sheet(SHEET, f"表头（第 {top + 1} 行）缺少{names}")
            return None
        return (top, columns[NUMBER], columns[SELF], columns[VERIFIED]) if ok else None
    problems.in_sheet(SHEET, f"前 {HEADER_ROWS} 行中找不到表头（应有“编号”“自评值”“核定值”等列）")
    return None


def _scan_rows(
    grid: Grid, rubric: Rubric, rows: Layout, subtype: str | None,
    top: int, number_col: int, problems: Problems,
) -> dict[str, list[int]]:
    """编号 → the rows holding it. Unknown ids are reported; other text (notes) is ignored."""
    known = rows.known
    found: dict[str, list[int]] = {}
    for index in range(top + 1, len(grid.rows)):
        cells = grid.rows[index]
        raw = cells[number_col] if number_col < len(cells) else None
        if raw is None:
            continue
        # The template's own text is already a known 编号 (its own key): no normalizing.
        row = known.get(raw) if type(raw) is str else None
        number = raw if row is not None else key(raw).lower()
        if not number:
            continue
        if row is None:
            row = known.get(number)
        if row is None:
            if _ID_LIKE.match(number):
                problems.at(SHEET, index, number_col, _unknown_number(brief(shown(raw)), number, rubric, rows.by_field))
            continue
        places = found.setdefault(number, [])
        if places and row.applies(subtype):
            problems.at(SHEET, index, number_col, f"编号“{number}”重复出现（第 {places[0] + 1} 行和第 {index + 1} 行），"
                                                  "请删除多余的一行")
        places.append(index)
    return found


def _unknown_number(text: str, number: str, rubric: Rubric, by_field: dict[str, str]) -> str:
    right = by_field.get(number.partition(".")[2])
    if right:
        return f"编号“{text}”不在《{rubric.name}》中，该字段的编号应为“{right}”"
    return f"编号“{text}”不在《{rubric.name}》中，请勿修改模板中的编号"


def _read_field(
    grid: Grid, row: FieldRow, index: int, self_col: int, verified_col: int,
    problems: Problems, result: Values,
) -> None:
    spec = row.spec
    label = spec.label
    cells = grid.rows[index]
    self_raw = cells[self_col] if self_col < len(cells) else None
    verified_raw = cells[verified_col] if verified_col < len(cells) else None
    self_blank, verified_blank = is_blank(self_raw), is_blank(verified_raw)
    if (self_blank or verified_blank) and grid.hides_values():  # a formula without result, or merged
        broken = False
        for col, blank in ((self_col, self_blank), (verified_col, verified_blank)):
            message = unreadable(grid, index, col, label) if blank else None
            if message:
                problems.at(SHEET, index, col, message)
                broken = True
        if broken:
            return
    if self_blank and verified_blank and not spec.optional:
        problems.at(SHEET, index, self_col, f"“{label}”未填写（自评值、核定值均为空），{expected(spec)}")
        return
    # 核定值 wins where filled; a blank 自评值 takes the verified value as the self value.
    # Both blank (an optional field): the default, read as the 自评值.
    self_format, verified_format = _format(grid, index, self_col, self_raw), _format(grid, index, verified_col, verified_raw)
    self_percent = self_format is not None and self_format.percent
    verified_percent = verified_format is not None and verified_format.percent
    self_value = (_parsed(spec, self_raw, self_format, index, self_col, problems, result)
                  if not self_blank or verified_blank else _UNSET)
    verified_value = (_parsed(spec, verified_raw, verified_format, index, verified_col, problems, result)
                      if not verified_blank else _UNSET)
    if self_value is _FAILED or verified_value is _FAILED:
        return
    field_id = row.field_id
    if verified_value is _UNSET:
        cell = _ref(row, index, self_col, self_raw, self_percent)
        result.values[field_id] = result.self_values[field_id] = self_value
        result.cells[field_id] = result.self_cells[field_id] = cell
        return
    cell = _ref(row, index, verified_col, verified_raw, verified_percent)
    result.values[field_id] = verified_value
    result.cells[field_id] = cell
    if self_value is _UNSET:
        result.self_values[field_id] = verified_value
        result.self_cells[field_id] = cell
    else:
        result.self_values[field_id] = self_value
        result.self_cells[field_id] = _ref(row, index, self_col, self_raw, self_percent)


_UNSET: Any = object()  # a cell not read (blank beside a filled one)
_FAILED: Any = object()  # a cell whose value is wrong (reported)


def _format(grid: Grid, index: int, col: int, raw: Any) -> NumberFormat | None:
    """How a number is shown when not as General: a percentage (100% typed in Excel, WPS,
    LibreOffice stores 1), or with fewer decimals than it has."""
    if type(raw) is not int and type(raw) is not float:
        return None
    return grid.number_format(index, col, raw)


def _parsed(spec: FieldSpec, raw: Any, shown_as: NumberFormat | None, index: int, col: int,
            problems: Problems, result: Values) -> Any:
    percent = shown_as is not None and shown_as.percent
    try:
        value = parse_cell(spec, raw, percent=percent)
    except ValueProblem as exc:
        problems.at(SHEET, index, col, _value_message(spec, raw, exc))
        return _FAILED
    if shown_as is not None and shown_as.decimals is not None and isinstance(value, Decimal):
        # The cell shows fewer decimals than it holds (89.95 in a "0" format shows 90):
        # scored as held, and said so in the words of what the user sees.
        places = max(-value.normalize().as_tuple().exponent, 0)  # type: ignore[operator]
        if places > shown_as.decimals:
            seen = value.quantize(Decimal(1).scaleb(-shown_as.decimals), ROUND_HALF_UP)
            unit = "%" if percent else ""
            result.warnings.append(
                f"{SHEET}!{cell_name(index, col)}“{spec.label}”显示为 {seen}{unit}，单元格中的数值是 "
                f"{shown_number(raw, percent=percent)}，按 {format(value.normalize(), 'f')} 计分"
            )
    return value


def _value_message(spec: FieldSpec, raw: Any, exc: ValueProblem) -> str:
    if isinstance(raw, str) and normalize_text(raw) == NOT_APPLICABLE:
        return f"“{spec.label}”对本组织适用，不能填写“{NOT_APPLICABLE}”，{expected(spec)}"
    return exc.message


# The same field in the same cell with the same short value recurs across a batch (是/否,
# small counts): each CellRef is built once per process and shared, as they are never changed.
# Keyed by the raw value and its type (1, 1.0 and True show differently; values.memorable),
# so that a hit needs no formatting.
_REFS: dict[tuple[str, str, int, int, type, Any, bool], CellRef] = {}
_REFS_MAX = 50_000


def _ref(row: FieldRow, index: int, col: int, raw: Any, percent: bool = False) -> CellRef:
    key = (row.field_id, row.spec.label, index, col, type(raw), raw, percent) if memorable(raw) else None
    ref = _REFS.get(key) if key is not None else None
    if ref is None:
        value = shown_number(raw, percent=True) if percent else shown(raw)
        ref = CellRef(field=row.field_id, label=row.spec.label, sheet=SHEET, cell=cell_name(index, col), value=value)
        if key is not None:
            if len(_REFS) >= _REFS_MAX:
                _REFS.clear()
            _REFS[key] = ref
    return ref
