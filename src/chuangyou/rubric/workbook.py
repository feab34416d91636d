"""A rubric as an Excel workbook, for the 业务科室 who review a standard in Excel or WPS.

Sheet 评定标准: one row per item — 类别, 项目, 分值, 考核评价标准, 考评方式, 来源 — every cell
whole (wrapped, never cut), printed landscape on A4, one page wide, the header repeated.
Sheet 等级与否决条件: the tiers and the vetoes. Text from the rubric is written as text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from chuangyou import __version__
from chuangyou.export.styles import clean_text
from chuangyou.rubric.model import Rubric
from chuangyou.rubric.view import item_rows, veto_rows
from chuangyou.safeio import OutputKind
from chuangyou.scorecard import fmt

RUBRIC_TABLE = OutputKind("评定标准表")
HEADERS = ("类别", "项目", "分值", "考核评价标准", "考评方式", "来源")
WIDTHS = (16, 16, 6, 60, 60, 10)


def write_rubric_workbook(rubric: Rubric, path: Path) -> None:
    """Write the workbook to ``path`` (the caller makes it atomic)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
    })
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True,
                            "valign": "vcenter", "align": "center"})
    text = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    number = book.add_format({"valign": "top", "border": 1, "align": "center"})
    title = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet("评定标准")
    sheet.write_string(0, 0, clean_text(f"{rubric.name}（{rubric.id}，版本 {rubric.version}）"), title)
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(1, col, header, head)
    for row, values in enumerate(item_rows(rubric), start=2):
        sheet.set_row(row, _height(values, WIDTHS))
        for col, value in enumerate(values):
            if isinstance(value, Decimal):
                sheet.write_number(row, col, _number(value), number)
            else:
                sheet.write_string(row, col, clean_text(str(value)), text)
    sheet.freeze_panes(2, 0)
    sheet.repeat_rows(1)
    _print_setup(sheet, rubric)

    tiers = book.add_worksheet("等级与否决条件")
    tiers.set_column(0, 0, 40)
    tiers.set_column(1, 1, 60)
    for col, header in enumerate(("等级 / 否决条件", "说明")):
        tiers.write_string(0, col, header, head)
    rows = [(t.name, f"总分 ≥ {fmt(t.min)}") for t in rubric.tiers] + veto_rows(rubric)
    for row, (name, note) in enumerate(rows, start=1):
        tiers.set_row(row, _height((name, note), (40, 60)))
        tiers.write_string(row, 0, clean_text(name), text)
        tiers.write_string(row, 1, clean_text(note), text)
    _print_setup(tiers, rubric)

    book.set_properties({
        "title": rubric.name, "subject": f"{rubric.id} {rubric.version}",
        "keywords": RUBRIC_TABLE.keywords, "author": f"chuangyou {__version__}",
        "created": datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
    })
    book.close()


LINE_POINTS = 15  # one line of 11-point text


def _height(values: tuple[object, ...], widths: tuple[int, ...]) -> float:
    """The row height that shows every wrapped cell whole (neither Excel nor xlsxwriter
    fits wrapped rows by itself). A column of width w holds about w cells of text."""
    from rich.cells import cell_len

    lines = 1
    for value, width in zip(values, widths, strict=False):
        if isinstance(value, str):
            usable = max(width - 1, 1)
            lines = max(lines, sum(-(-max(cell_len(part), 1) // usable) for part in value.split("\n")))
    return lines * LINE_POINTS


def _number(value: Decimal) -> int | float:
    """Points as Excel numbers: whole ones as int, others (0.5 steps) as float, exact in binary."""
    return int(value) if value == value.to_integral_value() else float(value)


def _print_setup(sheet: object, rubric: Rubric) -> None:
    sheet.set_landscape()  # type: ignore[attr-defined]
    sheet.set_paper(9)  # type: ignore[attr-defined]  # A4
    sheet.fit_to_pages(1, 0)  # type: ignore[attr-defined]  # one page wide, as many long as needed
    name = f"{rubric.name} {rubric.version}".replace("&", "&&")  # "&" starts a header code
    sheet.set_header(f"&C{name}")  # type: ignore[attr-defined]
    sheet.set_footer("&C第 &P 页，共 &N 页")  # type: ignore[attr-defined]
