"""Sheet 考评数据: one row per rubric field, found by 编号; columns found by header text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chuangyou.evidence.cells import HEADER_ROWS, Problems, brief, is_header, key, shown, unreadable
from chuangyou.evidence.workbook import Grid, cell_name
from chuangyou.rubric.model import FieldSpec, Rubric
from chuangyou.scorecard import CellRef
from chuangyou.values import (
    NOT_APPLICABLE,
    ValueProblem,
    expected,
    is_blank,
    normalize_text,
    parse_value,
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
class Values:
    values: dict[str, Any] = field(default_factory=dict)
    self_values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, CellRef] = field(default_factory=dict)
    self_cells: dict[str, CellRef] = field(default_factory=dict)


def read_values(grid: Grid, rubric: Rubric, subtype: str | None, problems: Problems) -> Values:
    """Parse every applicable field; report each problem (structure, rows, values)."""
    result = Values()
    columns = _find_columns(grid, problems)
    if columns is None:
        return result
    top, number_col, self_col, verified_col = columns
    fields = field_rows(rubric)
    found = _scan_rows(grid, rubric, fields, subtype, top, number_col, problems)
    for row in fields:
        if not row.applies(subtype):
            continue  # rows for fields that do not apply are ignored whatever they hold
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
    grid: Grid, rubric: Rubric, fields: list[FieldRow], subtype: str | None,
    top: int, number_col: int, problems: Problems,
) -> dict[str, list[int]]:
    """编号 → the rows holding it. Unknown ids are reported; other text (notes) is ignored."""
    known = {row.number: row for row in fields}
    by_field = {row.field_id: row.number for row in fields}
    found: dict[str, list[int]] = {}
    for index in range(top + 1, len(grid.rows)):
        raw = grid.value(index, number_col)
        number = key(raw).lower()
        if not number:
            continue
        row = known.get(number)
        if row is None:
            if _ID_LIKE.match(number):
                problems.at(SHEET, index, number_col, _unknown_number(brief(shown(raw)), number, rubric, by_field))
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
    label = row.spec.label
    broken = False
    for col in (self_col, verified_col):
        message = unreadable(grid, index, col, label)
        if message:
            problems.at(SHEET, index, col, message)
            broken = True
    if broken:
        return
    self_raw, verified_raw = grid.value(index, self_col), grid.value(index, verified_col)
    if is_blank(self_raw) and is_blank(verified_raw) and not row.spec.optional:
        problems.at(SHEET, index, self_col, f"“{label}”未填写（自评值、核定值均为空），{expected(row.spec)}")
        return
    ok = True
    parsed: dict[int, Any] = {}
    filled = [(c, r) for c, r in ((self_col, self_raw), (verified_col, verified_raw)) if not is_blank(r)]
    for col, raw in filled or [(self_col, self_raw)]:  # both blank: an optional field's default
        try:
            parsed[col] = parse_value(row.spec, raw)
        except ValueProblem as exc:
            problems.at(SHEET, index, col, _value_message(row.spec, raw, exc))
            ok = False
    if not ok:
        return
    # 核定值 wins where filled; a blank 自评值 takes the verified value as the self value.
    used = verified_col if verified_col in parsed else self_col
    self_used = self_col if self_col in parsed else verified_col
    result.values[row.field_id] = parsed[used]
    result.self_values[row.field_id] = parsed[self_used]
    result.cells[row.field_id] = _ref(grid, row, index, used)
    result.self_cells[row.field_id] = _ref(grid, row, index, self_used)


def _value_message(spec: FieldSpec, raw: Any, exc: ValueProblem) -> str:
    if isinstance(raw, str) and normalize_text(raw) == NOT_APPLICABLE:
        return f"“{spec.label}”对本组织适用，不能填写“{NOT_APPLICABLE}”，{expected(spec)}"
    return exc.message


def _ref(grid: Grid, row: FieldRow, index: int, col: int) -> CellRef:
    return CellRef(field=row.field_id, label=row.spec.label, sheet=SHEET, cell=cell_name(index, col),
                   value=shown(grid.value(index, col)))
