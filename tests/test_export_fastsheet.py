"""export.fastsheet writes every cell exactly as XlsxWriter's own worksheet does."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from chuangyou.export import fastsheet

TEXTS = ["城关镇", " leading", "trailing ", "a\nb", "&<>\"'", "_x0041_ literal", "bell\x07here", "tab\there",
         "<r><t>rich</t></r>", "=1+1", "@SUM(A1)", "", "城关镇"]
NUMBERS = [0, -0.0, 1, 92.5, 1e-20, 123456789012345678, 0.1 + 0.2, -3]


def _write(path: Path, fast: bool) -> bytes:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                          "strings_to_formulas": False, "strings_to_urls": False})
    ws = fastsheet.add_worksheet(book, "表") if fast else book.add_worksheet("表")
    assert isinstance(ws, fastsheet.FastWorksheet) is fast
    bold = book.add_format({"bold": True, "text_wrap": True})
    for row, text in enumerate(TEXTS):
        ws.write_string(row, 0, text, bold)
        ws.write_string(row, 1, text)  # no format: XlsxWriter's own path
        ws.write_number(row, 2, NUMBERS[row % len(NUMBERS)], bold)
        ws.write_number(row, 3, NUMBERS[row % len(NUMBERS)])
        ws.write_blank(row, 4, None, bold)
        ws.write_boolean(row, 5, True, bold)
        ws.write_url(row, 6, "external:a.xlsx#'表'!A1", bold, string=text or "x")
    book.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_fast_worksheet_writes_the_same_bytes(tmp_path: Path) -> None:
    assert fastsheet.FAST
    stock, fast = _write(tmp_path / "stock.xlsx", False), _write(tmp_path / "fast.xlsx", True)
    assert fast == stock
    assert b'<t xml:space="preserve"> leading</t>' in fast and b"_x005F_x0041_" in fast and b"_x0007_" in fast


@pytest.mark.parametrize("memo", [1, 2])
def test_the_memo_starting_again_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memo: int) -> None:
    stock = _write(tmp_path / "stock.xlsx", False)
    monkeypatch.setattr(fastsheet, "MEMO", memo)
    assert _write(tmp_path / "fast.xlsx", True) == stock


def test_without_constant_memory_the_stock_worksheet(tmp_path: Path) -> None:
    book = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    assert type(fastsheet.add_worksheet(book, "表")) is xlsxwriter.worksheet.Worksheet
    book.close()


def _rows(path: Path, fast: bool) -> bytes:
    """Rows of prepared cells (export.rows' codes) written whole or cell by cell, with
    heights, a link row and a row begun by XlsxWriter in between."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = fastsheet.add_worksheet(book, "表")
    formats = [book.add_format({"bold": True}), book.add_format({"num_format": "0.0"})]
    ws.write_string(0, 0, "标题", formats[0])
    rows = [[(1, text, 0), (2, NUMBERS[n % len(NUMBERS)], 1), (0, None, 0)] for n, text in enumerate(TEXTS) if text]
    rows.insert(3, [(1, "x" * 20000, 0), (2, float("inf"), 1), (0, None, 1)])  # too long, not finite: cell by cell
    for row, cells in enumerate(rows, 1):
        if row % 3 == 0:
            ws.set_row(row, 40)
        if row == 5:
            ws.write_url(row, 0, "external:a.xlsx#'表'!A1", formats[0], string="链接")
            continue
        if fast and ws.write_cells(row, cells, formats):
            continue
        for col, (code, value, index) in enumerate(cells):
            if code == 1:
                ws.write_string(row, col, value, formats[index])
            elif code == 2 and value == float("inf"):
                ws.write_string(row, col, "inf", formats[index])
            elif code == 2:
                ws.write_number(row, col, value, formats[index])
            else:
                ws.write_blank(row, col, None, formats[index])
    book.close()
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml") + z.read("xl/styles.xml")


def test_whole_rows_written_directly_are_the_same_bytes(tmp_path: Path) -> None:
    assert _rows(tmp_path / "fast.xlsx", True) == _rows(tmp_path / "stock.xlsx", False)
