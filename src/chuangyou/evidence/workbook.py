"""The raw-reading layer: each needed sheet as a grid of plain Python values.

Everything above this module (parsing, validation, messages) is shared by both readers, so
this layer is kept tiny and its output normalised until calamine and openpyxl agree cell for
cell: blanks are ``None`` (calamine gives ``""``), whole floats are ``int`` (calamine gives
``5.0`` where openpyxl gives ``5``), dates are ``datetime`` (calamine gives ``date``), and
error values are blanks that :mod:`chuangyou.evidence.formulas` explains.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException

from chuangyou.errors import UsageError
from chuangyou.evidence.formats import NumberFormat, parse_code, sheet_formats
from chuangyou.evidence.formulas import plain_numbers, unreadable_cells
from chuangyou.evidence.limits import ZIP_ERRORS, LimitError, SheetShape, scan_sheet
from chuangyou.evidence.package import DAMAGED, DAMAGED_ZIP, Package, file_error
from chuangyou.values import is_blank, normalize_text

READERS = ("auto", "calamine", "openpyxl")
_EXACT_FLOAT = 2**53


@functools.lru_cache(maxsize=8192)  # the same few hundred cells in every workbook of a batch
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
    shape: SheetShape = field(default_factory=SheetShape, repr=False)
    _unreadable: dict[str, str] | None = field(default=None, repr=False)
    _formats: dict[tuple[int, int], str] | None = field(default=None, repr=False)

    def value(self, row: int, col: int) -> Any:
        cells = self.rows[row] if row < len(self.rows) else ()
        return cells[col] if col < len(cells) else None

    def blank_reason(self, row: int, col: int) -> str | None:
        """For a blank cell: a formula without cached value or an error literal, else None."""
        return self._reasons().get(cell_name(row, col))

    def _reasons(self) -> dict[str, str]:
        if self._unreadable is None:
            member = self.package.sheet_parts.get(self.name, "")
            try:
                self._unreadable = unreadable_cells(self.package, member) if member else {}
            except (*ZIP_ERRORS, ParseError, DefusedXmlException):
                # XML a reader tolerated but the formula check cannot parse.
                raise file_error(self.package.path, DAMAGED) from None
        return self._unreadable

    def number_format(self, row: int, col: int, value: float) -> NumberFormat | None:
        """How the cell shows the number ``value``: None when as General (or unknown)."""
        if self._formats is None:
            member = self.package.sheet_parts.get(self.name, "")
            try:
                self._formats = sheet_formats(self.package, member)
            except (*ZIP_ERRORS, ParseError, DefusedXmlException):
                raise file_error(self.package.path, DAMAGED) from None
        code = self._formats.get((row, col))
        return None if code is None else parse_code(code, value)

    def hides_values(self) -> bool:
        """Whether any blank cell of the sheet can have a reason (a formula without result,
        an error value, a merge): the common sheet has none, and each blank is then blank."""
        return bool(self.shape.merged) or bool(self._reasons())

    def merged_from(self, row: int, col: int) -> tuple[str, str] | None:
        """For a cell merged with cells of the rows above: (range, its top-left cell).

        A value typed into merged cells is stored in the top-left cell only, so a field
        row covered by a vertical merge reads blank; a merge across columns of one row
        (自评值 with 核定值) keeps the row's value and is left alone.
        """
        area = self.shape.merged_range(row, col)
        if area is None or area[0] == row or is_blank(self.value(area[0], area[1])):
            return None  # a blank merged block carries no value for any row
        first = cell_name(area[0], area[1])
        return f"{first}:{cell_name(area[2], area[3])}", first


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
    reading = list(chosen.values())
    shapes = _shapes(package, reading)
    try:
        raw = _guarded(read, package, reading)
    except _Panic:
        if read is not _read_calamine:
            raise file_error(package.path, DAMAGED) from None
        # calamine panicked (a large negative number in a date-formatted cell: chrono's
        # "TimeDelta::milliseconds out of bounds", found by fuzzing). openpyxl reads the
        # workbook as calamine would have: the two readers are kept identical.
        try:
            raw = _guarded(_read_openpyxl, package, reading)
        except _Panic:
            raise file_error(package.path, DAMAGED) from None
    grids = {w: Grid(actual, raw[actual], package, shapes[actual]) for w, actual in chosen.items()}
    return RawWorkbook(names, grids)


class _Panic(Exception):
    """A Rust panic inside calamine: pyo3 raises PanicException, which derives from
    BaseException, so it would pass through every ``except Exception`` up to the top of a
    batch and end the run."""


def _guarded(read: Any, package: Package, names: list[str]) -> dict[str, list[list[Any]]]:
    try:
        return read(package, names)
    except UsageError:
        raise
    except Exception:  # noqa: BLE001 - third-party parsers raise anything on a broken file
        raise file_error(package.path, DAMAGED) from None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            raise _Panic(str(exc)) from None
        raise  # KeyboardInterrupt, SystemExit


def _shapes(package: Package, sheets: list[str]) -> dict[str, SheetShape]:
    """Scan each sheet to be read, refusing one over the limits before a reader sees it."""
    shapes: dict[str, SheetShape] = {}
    try:
        for name in sheets:
            member = package.sheet_parts.get(name, "")
            if member not in package.members:
                # The readers would look elsewhere or fail; neither is safe unscanned.
                raise LimitError(DAMAGED)
            kept = package.xml.get(member)  # checked for a DOCTYPE when the package was opened
            shapes[name] = scan_sheet(package.archive, member, name, kept, checked=kept is not None)
    except LimitError as exc:
        raise file_error(package.path, exc.message) from None
    except ZIP_ERRORS:
        raise file_error(package.path, DAMAGED_ZIP) from None
    return shapes


def _sheet_key(name: str) -> str:
    return normalize_text(name).replace(" ", "")


def _read_calamine(package: Package, sheets: list[str]) -> dict[str, list[list[Any]]]:
    from python_calamine import CalamineWorkbook

    # The bytes that were checked, not the path: calamine picks the format from the
    # extension of a path (a real .xlsx saved as 村.xls must read as with openpyxl), and
    # the file may have changed since.
    with CalamineWorkbook.from_filelike(package.stream()) as workbook:
        return {
            # Most cells are text: kept as they are without a call.
            name: [[v if type(v) is str and v else _calamine_value(v) for v in row] for row in
                   workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)]
            for name in sheets
        }


def _openpyxl_rows(sheet: Any, member: str, package: Package) -> list[list[Any]]:
    rows: list[list[Any]] = []
    redo: list[tuple[int, int]] = []
    for r, cells in enumerate(sheet.iter_rows()):
        row: list[Any] = []
        for c, cell in enumerate(cells):
            kind = cell.data_type
            if kind == "e":
                redo.append((r, c))
                row.append(None)
            else:
                if kind == "d":
                    redo.append((r, c))
                row.append(_common(cell.value))
        rows.append(row)
    if redo and member:
        # Dates are converted from the number in the file as calamine converts them
        # (found by fuzzing: the readers disagreed on rounding to the millisecond, and
        # on 0.9999999999); openpyxl also turns a number it cannot show as a date
        # (10000000 in a date-formatted cell) into the error #VALUE!, where calamine
        # keeps the number. A real error value (t="e") stays blank, and a date written
        # as text (t="d") keeps openpyxl's reading.
        numbers = plain_numbers(package, member)
        for r, c in redo:
            number = numbers.get(cell_name(r, c))
            if number is not None:
                rows[r][c] = _as_calamine_date(number)
    return rows


_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_DAY_MS = 86_400_000


def _half_away(number: float) -> int:
    """Rounding as Rust's f64::round: halves away from zero (Python's round goes to even)."""
    return math.floor(number + 0.5) if number >= 0 else -math.floor(-number + 0.5)


def _as_calamine_date(serial: float) -> Any:
    """A number in a date-formatted cell as calamine reads it (checked against calamine on
    thousands of serials, tests/test_fuzz_reader.py): to the millisecond, halves away from
    zero; 0 ≤ serial < 1 is a time of day (wrapping at midnight); below 60 the day Excel's
    1900-02-29 does not exist; a negative serial down to -96,439,724 is its time of day;
    past 9999-12-31, or further back, the number itself."""
    if -96_439_724 <= serial < 0:
        # calamine's own arithmetic here is not reproduced exactly: about 1 in 10 random
        # serials differ by 1 ms. No real workbook holds a date before 1899.
        millis = round((serial - math.floor(serial)) * _DAY_MS) % _DAY_MS
        return (_dt.datetime.min + _dt.timedelta(milliseconds=millis)).time()
    if 0 <= serial < 1:
        millis = _half_away(serial * _DAY_MS) % _DAY_MS
        return (_dt.datetime.min + _dt.timedelta(milliseconds=millis)).time()
    if 1 <= serial < 2_958_466:
        try:
            return _EXCEL_EPOCH + _dt.timedelta(milliseconds=_half_away(serial * _DAY_MS) + (_DAY_MS if serial < 60 else 0))
        except OverflowError:
            pass  # rounds past 9999-12-31 23:59:59.999
    return _common(serial)


def _read_openpyxl(package: Package, sheets: list[str]) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    # openpyxl warns in English on stderr about what it cannot show (a date out of range,
    # an unsupported extension); whatever matters is reported by us, in Chinese.
    with package.stream() as handle, warnings.catch_warnings():  # a file object: the extension is ignored
        warnings.simplefilter("ignore")
        workbook = load_workbook(handle, read_only=True, data_only=True)
        try:
            grids = {}
            for name in sheets:
                sheet = workbook[name]
                # A wrong <dimension> (some writers put A1) would truncate every row.
                sheet.reset_dimensions()
                grids[name] = _openpyxl_rows(sheet, package.sheet_parts.get(name, ""), package)
            return grids
        finally:
            workbook.close()


def _calamine_value(value: Any) -> Any:
    if value == "":
        return None
    if value != value:
        # <v>NaN</v>: no spreadsheet writes it; openpyxl cannot read it (int("NaN")) and the
        # file is damaged for both readers alike.
        raise ValueError("NaN in a numeric cell")
    if type(value) is _dt.date:
        return _dt.datetime.combine(value, _dt.time())
    return _common(value)


def _common(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if type(value) is int and not -_EXACT_FLOAT < value < _EXACT_FLOAT:
        # openpyxl reads digits without a point as an int; calamine reads every number as
        # a double. Beyond 2**53 a double is not exact: keep what calamine keeps.
        try:
            return int(float(value))
        except OverflowError:
            return math.copysign(math.inf, value)
    if isinstance(value, _dt.datetime) and value.year < 1900:
        # A negative serial in a date-formatted cell: openpyxl counts back from 1899-12-30,
        # calamine keeps only the time of day. Keep the time, as calamine does.
        return value.time()
    if value == "":
        return None
    return value
