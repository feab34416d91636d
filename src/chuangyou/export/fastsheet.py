"""XlsxWriter's worksheet with a faster inner loop for the cells the exports write.

XlsxWriter spends most of an export in ``Worksheet._write_cell``: for every cell it builds
an attribute list, runs a regular expression over each attribute and over the text (four
searches and two substitutions for a text cell). The cells written here are numbers, texts
and blanks, always with a format; this subclass writes those exactly as XlsxWriter does,
byte for byte (tests/test_export.py compares the two), escaping each distinct text once,
and hands every other cell to XlsxWriter. If a future XlsxWriter names its cell records
differently, :data:`FAST` is False and the stock worksheet is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import isfinite
from typing import Any

from xlsxwriter.utility import _preserve_whitespace, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

try:
    from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple

    FAST = True
except ImportError:  # pragma: no cover - another XlsxWriter
    FAST = False

#: Distinct texts whose XML is remembered, per worksheet, before the memo starts again.
MEMO = 20_000


class FastWorksheet(Worksheet):
    """Numbers, texts (in-line, constant memory) and blanks with a format, written directly."""

    def __init__(self) -> None:
        super().__init__()
        self._inline: dict[str, str] = {}

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = type(cell)
        cell_format = cell.format if kind in _KINDS else None
        if cell_format is None:
            super()._write_cell(row, col, cell)
            return
        ref = xl_rowcol_to_cell_fast(row, col)
        xf = cell_format._get_xf_index()
        if kind is CellNumberTuple:
            self.fh.write(f'<c r="{ref}" s="{xf}"><v>{cell.number:.16G}</v></c>')
        elif kind is CellBlankTuple:
            self.fh.write(f'<c r="{ref}" s="{xf}"/>')
        else:
            inner = self._inline.get(cell.string)
            if inner is None:
                inner = self._text(cell.string)
                if inner is None:  # what XlsxWriter writes as rich text: as it does
                    super()._write_cell(row, col, cell)
                    return
            self.fh.write(f'<c r="{ref}" s="{xf}" t="inlineStr"><is>{inner}</is></c>')

    previous_row: int  # XlsxWriter's: the row being filled in constant-memory mode

    def write_cells(self, row: int, cells: Sequence[tuple[Any, ...]], formats: Sequence[Any]) -> bool:
        """Write a whole row of prepared cells (export.rows: text, number, blank) straight into
        the sheet's XML, as XlsxWriter would write them one by one; False, with nothing
        written, when the row needs XlsxWriter's own path (a link, a text that may be too
        long, a number that is not finite, a row already begun or passed)."""
        if not self.constant_memory or row < self.previous_row or self.table.get(row):
            return False
        texts: list[str] = []
        for cell in cells:
            code, value = cell[0], cell[1]
            if code == _TEXT:
                inner = self._inline.get(value) or self._text(value) if len(value) <= self.xls_strmax // 2 else None
                if inner is None:
                    return False
                texts.append(inner)
            elif code == _NUMBER:
                if not isfinite(value):
                    return False
            elif code != _BLANK:
                return False
        if not cells or self._check_dimensions(row, 0) or self._check_dimensions(row, len(cells) - 1):
            return False
        if row > self.previous_row:
            self._write_single_row(row)  # the row before, as XlsxWriter writes it
        self._write_row(row, None, self.row_info.get(row))
        # Format indices are given out as cells are written: after the row before, in order.
        parts: list[str] = []
        escaped = iter(texts)
        for col, cell in enumerate(cells):
            code, value = cell[0], cell[1]
            ref = xl_rowcol_to_cell_fast(row, col)
            xf = formats[cell[2]]._get_xf_index()
            if code == _NUMBER:
                parts.append(f'<c r="{ref}" s="{xf}"><v>{value:.16G}</v></c>')
            elif code == _BLANK:
                parts.append(f'<c r="{ref}" s="{xf}"/>')
            else:
                parts.append(f'<c r="{ref}" s="{xf}" t="inlineStr"><is>{next(escaped)}</is></c>')
        self.fh.write("".join(parts))
        self._xml_end_tag("row")
        self.previous_row = row + 1  # nothing of this row is left to write
        return True

    def forget(self) -> None:
        """Drop the memo once the sheet's rows are written (the worksheet lives until the
        workbook is closed)."""
        self._inline = {}

    def _text(self, string: str) -> str | None:
        """The ``<t>`` element of an in-line text, as Worksheet._write_cell makes it."""
        escaped = self._escape_control_characters(string)
        if escaped.startswith("<r>") and escaped.endswith("</r>"):
            return None
        preserve = ' xml:space="preserve"' if _preserve_whitespace(escaped) else ""
        inner = f"<t{preserve}>{self._escape_data(escaped)}</t>"
        if len(self._inline) >= MEMO:
            self._inline.clear()
        self._inline[string] = inner
        return inner


_BLANK, _TEXT, _NUMBER = 0, 1, 2  # export.rows' cell codes
_KINDS = (CellNumberTuple, CellStringTuple, CellBlankTuple) if FAST else ()


def add_worksheet(book: Any, name: str) -> Any:
    """A new worksheet of ``book``: the fast one when the workbook streams (constant memory)."""
    if FAST and book.constant_memory:
        return book.add_worksheet(name, worksheet_class=FastWorksheet)
    return book.add_worksheet(name)
