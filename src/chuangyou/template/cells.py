"""Cell-level helpers for the template: safe text, styles, widths, row heights, print setup.

Everything here is about how the workbook looks and prints; what goes into it lives in
:mod:`chuangyou.template.sheets`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.textsafe import xml_text

FONT_NAME = "宋体"  # present on every Chinese Windows/WPS; LibreOffice substitutes a CJK font
FONT_SIZE = 11
LINE_HEIGHT = 14.5  # points per wrapped line at FONT_SIZE, with room for CJK fallback fonts

HEADER_FILL = PatternFill("solid", fgColor="C00000")
SELF_FILL = PatternFill("solid", fgColor="FFF2CC")  # cells the branch fills
VERIFIED_FILL = PatternFill("solid", fgColor="DDEBF7")  # cells the assessor fills
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")  # pre-filled, do not edit
NA_FILL = PatternFill("solid", fgColor="D9D9D9")

BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
NA_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="808080")
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
BOLD_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADING_BORDER = Border(top=_THIN, bottom=_THIN)  # a heading row across a table: no inner lines

WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def clean_text(value: str) -> str:
    """What XML cannot hold makes openpyxl raise and Excel refuse the file (textsafe)."""
    return xml_text(value)


def put(ws: Worksheet, ref: str, value: Any) -> Cell:
    """Write a value; text always stays text.

    openpyxl turns a string starting with ``=`` into a formula and one equal to an
    error code (``#N/A``) into an error cell. Text from a rubric or the command line
    must never execute in Excel, so such cells are forced back to plain strings.
    """
    cell: Cell = ws[ref]
    if isinstance(value, str):
        value = clean_text(value)
        cell.value = value
        if cell.data_type != "s":
            cell.data_type = "s"
    elif isinstance(value, Decimal):
        cell.value = int(value) if value == value.to_integral_value() else value
    else:
        cell.value = value
    return cell


def text_width(text: str) -> float:
    """Display width in column units: CJK, full-width and ambiguous (“”…) characters count two.

    A column unit is the width of a digit in Calibri 11 (Excel's default); a CJK glyph
    of 宋体 11 is about two of them.
    """
    # Latin letters of a CJK font are a little wider than Calibri digits; over-estimate
    # slightly so that row heights never cut text off.
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WFA" else 1.2 for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column of ``width`` units."""
    usable = max(width - 2, 1)  # cell padding
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in str(text).split("\n"))


def fit_width(texts: Sequence[str], low: float, high: float) -> float:
    """A column width that shows the longest text, kept between ``low`` and ``high``."""
    longest = max((max(text_width(p) for p in t.split("\n")) for t in texts if t), default=0)
    return float(min(max(longest + 2, low), high))


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def fit_row_heights(ws: Worksheet, first_row: int, widths: Sequence[float]) -> None:
    """Set each row's height from its wrapped text.

    Excel does not grow rows for wrapped text in a file it did not lay out itself,
    so without explicit heights long clauses would print cut off.
    """
    for row in ws.iter_rows(min_row=first_row, max_col=len(widths)):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            if cell.value is not None:
                lines = max(lines, wrapped_lines(str(cell.value), width))
        ws.row_dimensions[row[0].row].height = round(lines * LINE_HEIGHT + 3, 1)


def style_header(ws: Worksheet, row: int, columns: int) -> None:
    for col in range(1, columns + 1):
        cell = ws.cell(row, col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
    ws.row_dimensions[row].height = 24


def style_body(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Body font, wrapping and borders (so the sheet prints as a ruled table)."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, max_col=columns):
        for cell in row:
            cell.font = BODY_FONT
            cell.alignment = WRAP
            cell.border = BORDER


def setup_print(
    ws: Worksheet, *, landscape: bool, title_rows: str | None, header: str, organization: str | None = None
) -> None:
    """A4, fit all columns on the page width, repeat the header row, page numbers.

    With ``organization`` its name leads the page header, so that a township's
    hundreds of printouts can be told apart.
    """
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if organization:
        header = f"{organization}　{header}"
    ws.oddHeader.center.text = clean_text(header).replace("&", "&&")
    ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
