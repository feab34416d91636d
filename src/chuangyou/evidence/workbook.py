"""The raw-reading layer: each needed sheet as a grid of plain Python values.

Everything above this module (parsing, validation, messages) is shared by both readers, so
this layer is kept tiny and its output normalised until calamine and openpyxl agree cell for
cell: blanks are ``None`` (calamine gives ``""``), whole floats are ``int`` (calamine gives
``5.0`` where openpyxl gives ``5``), dates are ``datetime`` (calamine gives ``date``), and
error values are blanks that :mod:`chuangyou.evidence.formulas` explains.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chuangyou.errors import UsageError
from chuangyou.evidence.formulas import unreadable_cells
from chuangyou.evidence.package import DAMAGED, Package, file_error
from chuangyou.values import normalize_text

READERS = ("auto", "calamine", "openpyxl")
_EXACT_FLOAT = 2**53


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) → ``"G7"``."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


@dataclass
class Grid:
    """One worksheet: ``rows[r][c]`` (0-based, ragged) and why blank cells are blank."""

    name: str
    rows: list[list[Any]]
    package: Package
    _unreadable: dict[str, str] | None = field(default=None, repr=False)

    def value(self, row: int, col: int) -> Any:
        cells = self.rows[row] if row < len(self.rows) else ()
        return cells[col] if col < len(cells) else None

    def blank_reason(self, row: int, col: int) -> str | None:
        """For a blank cell: a formula without cached value or an error literal, else None."""
        if self._unreadable is None:
            member = self.package.sheet_parts.get(self.name, "")
            self._unreadable = unreadable_cells(self.package.path, member) if member else {}
        return self._unreadable.get(cell_name(row, col))


@dataclass
class RawWorkbook:
    sheet_names: list[str]  # every sheet, as written
    grids: dict[str, Grid]  # wanted (canonical) name → grid, for the wanted sheets present


def choose_reader(reader: str) -> str:
    if reader not in READERS:
        raise UsageError(f"未知的读取方式“{reader}”，可选：{'、'.join(READERS)}")
    if reader == "openpyxl":
        return reader
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        if reader == "calamine":
            raise UsageError("未安装 python-calamine，请改用 --reader openpyxl 或安装该依赖") from None
        return "openpyxl"
    return "calamine"


def read_grids(package: Package, wanted: Iterable[str], reader: str) -> RawWorkbook:
    """Read the wanted sheets (matched ignoring width and spaces) with the chosen reader."""
    names = list(package.sheet_parts)
    by_key = {_sheet_key(n): n for n in reversed(names)}  # first of equal keys wins
    chosen = {w: by_key[_sheet_key(w)] for w in wanted if _sheet_key(w) in by_key}
    read = _read_calamine if choose_reader(reader) == "calamine" else _read_openpyxl
    try:
        raw = read(package.path, list(chosen.values()))
    except UsageError:
        raise
    except Exception:  # noqa: BLE001 - third-party parsers raise anything on a broken file
        raise file_error(package.path, DAMAGED) from None
    grids = {w: Grid(actual, raw[actual], package) for w, actual in chosen.items()}
    return RawWorkbook(names, grids)


def _sheet_key(name: str) -> str:
    return normalize_text(name).replace(" ", "")


def _read_calamine(path: Path, sheets: list[str]) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    # A file object, not the path: calamine picks the format from the extension of a path,
    # and a real .xlsx saved as 村.xls must read the same as with openpyxl.
    with path.open("rb") as handle, CalamineWorkbook.from_filelike(handle) as workbook:
        return {
            name: [[_calamine_value(v) for v in row] for row in
                   workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for name in sheets
        }


def _read_openpyxl(path: Path, sheets: list[str]) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    with path.open("rb") as handle:  # a file object: openpyxl then ignores the extension
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            grids = {}
            for name in sheets:
                sheet = workbook[name]
                # A wrong <dimension> (some writers put A1) would truncate every row.
                sheet.reset_dimensions()
                grids[name] = [
                    [None if c.data_type == "e" else _common(c.value) for c in row]
                    for row in sheet.iter_rows()
                ]
            return grids
        finally:
            workbook.close()


def _calamine_value(value: Any) -> Any:
    if value == "":
        return None
    if type(value) is _dt.date:
        return _dt.datetime.combine(value, _dt.time())
    return _common(value)


def _common(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    if value == "":
        return None
    return value
