"""The roster workbook (花名册.xlsx): blank for `roster new`, or with rows (the bundled example)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.errors import UsageError
from chuangyou.roster.model import (
    C_CODE,
    C_FORM,
    C_NAME,
    C_SUBTYPE,
    C_TOWNSHIP,
    HEADERS,
    SHEET,
    ListedOrganization,
    kinds,
)
from chuangyou.rubric.model import FORMS, Rubric
from chuangyou.template import cells
from chuangyou.template.cells import put
from chuangyou.template.validation import ListSource, Validations, list_check

SHEET_HELP = "填写说明"
BLANK_ROWS = 500  # rows with dropdowns in a blank roster
WIDTHS = (6, 30, 16, 12, 10, 16, 10, 14, 20)
HELP_WIDTH = 70  # LibreOffice printed a 90-wide column past the edges of an A4 page


class RosterRow(ListedOrganization):
    """A row written into a roster (the example; tests)."""

    contact: str = ""
    phone: str = ""
    note: str = ""


def build_roster(rubrics: Sequence[Rubric], rows: Iterable[RosterRow] = ()) -> Workbook:
    """The roster as an openpyxl Workbook (not saved): sheet 花名册 and 填写说明."""
    labels = list(dict.fromkeys(k.label for k in kinds(rubrics).values()))
    workbook = Workbook()
    workbook.properties.title = "争先创优参评党组织花名册"
    workbook.properties.creator = "chuangyou"
    lists = ListSource(workbook)
    ws = workbook.active
    ws.title = SHEET
    written = _rows(ws, list(rows))
    last = max(written + 1, BLANK_ROWS + 1)
    validations = Validations(ws)
    validations.add(list_check(lists, labels, "从下拉列表选择组织类别：决定使用哪一套评定标准"),
                    f"{_col(C_SUBTYPE)}2:{_col(C_SUBTYPE)}{last}")
    validations.add(list_check(lists, list(FORMS), "从下拉列表选择组织形式"), f"{_col(C_FORM)}2:{_col(C_FORM)}{last}")
    validations.apply()
    cells.style_header(ws, 1, len(HEADERS))
    cells.style_body(ws, 2, max(written + 1, 2), len(HEADERS))
    cells.set_widths(ws, WIDTHS)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{_col(HEADERS[-1])}{max(written + 1, 2)}"
    ws.print_area = f"A1:{_col(HEADERS[-1])}{max(written + 1, 2)}"
    cells.setup_print(ws, landscape=True, title_rows="1:1", header="争先创优参评党组织花名册")
    _help(workbook.create_sheet(SHEET_HELP), labels, rubrics)
    workbook.active = 0
    return workbook


def _col(header: str) -> str:
    return chr(65 + HEADERS.index(header))


def _rows(ws: Worksheet, rows: list[RosterRow]) -> int:
    for col, header in enumerate(HEADERS, 1):
        put(ws, f"{chr(64 + col)}1", header)
    for n, row in enumerate(rows, 1):
        values = (n, row.name, row.township, row.subtype_label, row.form, row.code or None, row.contact or None,
                  row.phone or None, row.note or None)
        for col, value in enumerate(values, 1):
            put(ws, f"{chr(64 + col)}{n + 1}", value)
    return len(rows)


def _help(ws: Worksheet, labels: list[str], rubrics: Sequence[Rubric]) -> None:
    by_rubric = "；".join(
        f"{'、'.join(r.subtypes.values())} → {r.name}（{r.id}）" for r in rubrics
    )
    lines = [
        "花名册填写说明",
        "",
        f"1. 在“{SHEET}”表中每个参评党组织填一行，表头不要改动，也不要在表头上方插入内容。",
        f"2. “{C_NAME}”“{C_TOWNSHIP}”“{C_SUBTYPE}”“{C_FORM}”必须填写；同一组织只列一次，"
        "同一名称不能列在两个乡镇（街道）下。",
        f"3. “{C_SUBTYPE}”从下拉列表选择（{'、'.join(labels)}），它决定使用哪一套评定标准：{by_rubric}。",
        f"4. “{C_FORM}”从下拉列表选择：{'、'.join(FORMS)}。",
        f"5. “{C_CODE}”选填：给每个组织一个固定不变的代码（如统一社会信用代码或县里自编的编号），"
        "组织更名后凭代码仍能与上年结果对应；填写时每个组织的代码不能重复。",
        "6. “联系人”“联系电话”“备注”选填，便于催收材料。",
        "7. 填好后运行“chuangyou roster check 花名册.xlsx”检查；"
        "“chuangyou template --roster 花名册.xlsx -o 证明材料/”为每个组织生成预填好的填报模板；"
        "收回材料后运行“chuangyou collect 证明材料/ --roster 花名册.xlsx”查看收集情况。",
    ]
    for r, line in enumerate(lines, 1):
        put(ws, f"A{r}", line or None)
        ws[f"A{r}"].font = cells.BODY_FONT
        ws[f"A{r}"].alignment = cells.WRAP
    ws["A1"].font = cells.TITLE_FONT
    cells.set_widths(ws, (HELP_WIDTH,))
    cells.fit_row_heights(ws, 2, (HELP_WIDTH,))
    ws.print_area = f"A1:A{len(lines)}"
    cells.setup_print(ws, landscape=False, title_rows=None, header="花名册填写说明")


def write_roster(path: Path, rubrics: Sequence[Rubric], rows: Iterable[RosterRow] = (), *,
                 force: bool = False) -> Path:
    """Write the roster atomically; never over an existing file unless ``force`` (a roster is
    filled in by people: safeio's ``kind=None``)."""
    from chuangyou.safeio import check_output, write_atomic

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"花名册 {path} 应以 .xlsx 结尾（Excel 工作簿），如 -o 花名册.xlsx")
    check_output(path, kind=None, force=force)
    workbook = build_roster(rubrics, rows)
    write_atomic(path, workbook.save, kind=None, force=force)
    return path
