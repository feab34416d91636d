"""Sheet 考评数据 of the template: one row per field, then a sign-off block.

Columns are in DATA_HEADERS order: what a person reads first, 编号 (the reader's key)
narrow, grey and last. The reader finds columns by header text and rows by 编号, so the
points shown once per item and the sign-off lines (no 编号) are read by people only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.template import cells
from chuangyou.template.cells import put
from chuangyou.template.layout import DATA_HEADERS, GENERAL_HEADING, GENERAL_PREFIX, FieldRow
from chuangyou.template.validation import ListSource, Validations, field_check
from chuangyou.values import NOT_APPLICABLE

COLUMN = {header: get_column_letter(index) for index, header in enumerate(DATA_HEADERS, 1)}
SELF, VERIFIED, PROOF, NUMBER = (COLUMN[h] for h in ("自评值", "核定值", "佐证材料", "编号"))
LAST = COLUMN[DATA_HEADERS[-1]]

NUMBER_SIZE = 8  # 编号 is for the reader, not for people: small and grey
NUMBER_WIDTH = 16
NUMBER_FONT = Font(name=cells.FONT_NAME, size=NUMBER_SIZE, color="808080")
NUMBER_HEADER_FILL = PatternFill("solid", fgColor="808080")
NUMBER_LINE = 10.5  # points per wrapped line at NUMBER_SIZE

SIGN_OFF = (
    "填报人：＿＿＿＿＿＿＿＿　　党组织书记（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
    "乡镇（街道）审核人（签字）：＿＿＿＿＿＿＿＿　　审核日期：＿＿＿＿年＿＿月＿＿日",
)
SIGN_OFF_HEIGHT = 36  # room for a handwritten signature
HEADING_FILL = PatternFill("solid", fgColor="FCE4D6")


def write_data(ws: Worksheet, rows: Sequence[FieldRow], lists: ListSource, header: str,
               organization: str | None = None) -> None:
    for header_text, letter in COLUMN.items():
        put(ws, f"{letter}1", header_text)
    places = _places(rows)
    shown_points = _points_rows(rows, places)
    validations = Validations(ws)
    for r, row in zip(places, rows, strict=True):
        values = {
            "类别": row.category, "项目": row.item, "分值": row.points if r in shown_points else None,
            "指标": row.indicator, "填写说明": row.guidance, "编号": row.code,
        }
        for name, value in values.items():
            put(ws, f"{COLUMN[name]}{r}", value)
        if row.applicable:
            validations.add(field_check(row.spec, lists), f"{SELF}{r}", f"{VERIFIED}{r}")
        else:
            put(ws, f"{SELF}{r}", NOT_APPLICABLE)
            put(ws, f"{VERIFIED}{r}", NOT_APPLICABLE)
    last = places[-1] if places else 1
    widths = _widths(rows)
    cells.style_header(ws, 1, len(DATA_HEADERS))
    cells.style_body(ws, 2, last, len(DATA_HEADERS))
    cells.set_widths(ws, widths)
    cells.fit_row_heights(ws, 2, widths[:-1])  # 编号 is sized apart, in its small font
    _style_rows(ws, rows, places)
    _heading(ws, set(range(2, last + 1)) - set(places))
    validations.apply()
    signed = _sign_off(ws, last)
    ws.print_area = f"A1:{LAST}{signed}"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{LAST}{last}"
    cells.setup_print(ws, landscape=True, title_rows="1:1", header=header, organization=organization)


def _places(rows: Sequence[FieldRow]) -> list[int]:
    """The sheet row of each field: from row 2 on, one row left for the heading above the
    rubric-level (否决及综合事项) block."""
    places, r = [], 2
    for index, row in enumerate(rows):
        general = row.code.startswith(f"{GENERAL_PREFIX}.")
        if general and (index == 0 or not rows[index - 1].code.startswith(f"{GENERAL_PREFIX}.")):
            r += 1
        places.append(r)
        r += 1
    return places


def _heading(ws: Worksheet, heading_rows: set[int]) -> None:
    """The heading row of the 否决及综合事项 block: one line across the table (no 编号)."""
    for r in heading_rows:
        cell = put(ws, f"A{r}", GENERAL_HEADING)
        cell.font = cells.BOLD_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=False)  # runs on across the row
        for cell in ws[r][: len(DATA_HEADERS)]:
            cell.fill = HEADING_FILL
            cell.border = cells.HEADING_BORDER
        ws.row_dimensions[r].height = 24


def _points_rows(rows: Sequence[FieldRow], places: Sequence[int]) -> set[int]:
    """The sheet row showing each item's points: its first applicable row (else its first).

    Printed on every row, “2” four times read as if each indicator were worth 2 points.
    """
    chosen: dict[tuple[str, str], int] = {}
    applicable = dict(zip(places, (row.applicable for row in rows), strict=True))
    for r, row in zip(places, rows, strict=True):
        if row.points is None:
            continue
        key = (row.category, row.item)
        first = chosen.get(key)
        if first is None or (row.applicable and not applicable[first]):
            chosen[key] = r
    return set(chosen.values())


def _widths(rows: Sequence[FieldRow]) -> tuple[float, ...]:
    fit = cells.fit_width
    widths = {
        "类别": fit([r.category for r in rows], 8, 14),
        "项目": fit([r.item for r in rows], 10, 18),
        "分值": 6,
        "指标": fit([r.indicator for r in rows], 16, 34),
        "填写说明": fit([r.guidance for r in rows], 20, 44),
        "自评值": 10,
        "核定值": 10,
        "佐证材料": 24,
        "编号": NUMBER_WIDTH,
    }
    return tuple(float(widths[h]) for h in DATA_HEADERS)


def _style_rows(ws: Worksheet, rows: Sequence[FieldRow], places: Sequence[int]) -> None:
    header = ws[f"{NUMBER}1"]
    header.fill = NUMBER_HEADER_FILL
    header.font = Font(name=cells.FONT_NAME, size=NUMBER_SIZE, bold=True, color="FFFFFF")
    for r, row in zip(places, rows, strict=True):
        for name in ("分值", "自评值", "核定值"):
            ws[f"{COLUMN[name]}{r}"].alignment = cells.CENTER
        if row.applicable:
            ws[f"{SELF}{r}"].fill = ws[f"{PROOF}{r}"].fill = cells.SELF_FILL
            ws[f"{VERIFIED}{r}"].fill = cells.VERIFIED_FILL
        else:
            for cell in ws[r][: len(DATA_HEADERS)]:
                cell.fill = cells.NA_FILL
                cell.font = cells.NA_FONT
        number = ws[f"{NUMBER}{r}"]
        number.font = NUMBER_FONT
        number.alignment = Alignment(vertical="center", wrap_text=True)
        lines = _number_lines(row.code)
        height = ws.row_dimensions[r].height or 0
        ws.row_dimensions[r].height = max(height, round(lines * NUMBER_LINE + 3, 1))


def _number_lines(code: str) -> int:
    scaled = cells.text_width(code) * NUMBER_SIZE / cells.FONT_SIZE
    return max(1, math.ceil(scaled / (NUMBER_WIDTH - 2)))


def _sign_off(ws: Worksheet, last: int) -> int:
    """Signature lines under the table (no 编号: the reader skips them); its last row."""
    # Right under the table: an empty row would read differently in the two readers
    # (no cells, or blank cells); the taller first row leaves the space instead.
    first = last + 1
    for r, line in enumerate(SIGN_OFF, first):
        put(ws, f"A{r}", line)
        for cell in ws[r][: len(DATA_HEADERS)]:  # every cell of the row exists, as in the table
            cell.font = cells.BODY_FONT
            cell.alignment = Alignment(vertical="bottom", wrap_text=False)  # runs on across the empty cells
        ws.row_dimensions[r].height = SIGN_OFF_HEIGHT + (12 if r == first else 0)
    return first + len(SIGN_OFF) - 1
