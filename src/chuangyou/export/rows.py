"""A table's rows written in two passes, each cell converted once (100,000s of cells).

Column widths depend on every row and row heights on the widths, so a table is read
twice. The first pass turns each cell into what XlsxWriter writes (safe text, a number,
the index of its format, a link) and the widths of its lines, and keeps the longest line
per column; the second sets the rows' heights from the final widths and writes. Texts
repeat over thousands of rows (names, tiers, reasons, clause texts), so each distinct one
is cleaned and measured once. Prepared rows beyond :data:`KEPT_ROWS` go to a temporary
file (marshal): a sheet of 50,000 deductions is never held as Python objects, and the
sheet builders may hand over their rows as a generator.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from math import ceil
from typing import IO, Any

from chuangyou.export import styles
from chuangyou.export.styles import Fill, Font
from chuangyou.scorecard import fmt

#: Prepared rows kept in memory before the rest go to a temporary file.
KEPT_ROWS = 2000
CHUNK_ROWS = 500
#: Distinct texts remembered (cleaned and measured) before the memo starts again.
MEMO_TEXTS = 50_000

BLANK, TEXT, NUMBER, LINK = 0, 1, 2, 3
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Link:
    """A hyperlink into another workbook: ``target`` the file, ``location`` the cell."""

    target: str
    location: str


@dataclass(frozen=True)
class Styled:
    value: str | Decimal | int | None
    fill: Fill | None = None
    font: Font | None = None
    link: Link | None = None
    number_format: str | None = None


def shown(value: Any) -> str:
    """The text a value displays, for widths and row heights."""
    if isinstance(value, Styled):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return fmt(value.quantize(_HUNDREDTH)) if isinstance(exponent, int) and exponent < -2 else fmt(value)
    return str(value)


def measure(text: str) -> tuple[float, ...]:
    """The display width of each line of ``text`` (column units)."""
    return tuple(styles.text_width(line) for line in text.split("\n"))


class Spool:
    """Prepared rows in order: the first :data:`KEPT_ROWS` in memory, the rest in a file,
    :data:`CHUNK_ROWS` to a record (marshal reads a file object a few bytes at a time:
    one bytes object per chunk is read whole instead)."""

    def __init__(self) -> None:
        self.kept: list[Any] = []
        self.pending: list[Any] = []
        self.file: IO[bytes] | None = None
        self.count = 0

    def add(self, record: Any) -> None:
        self.count += 1
        if len(self.kept) < KEPT_ROWS:
            self.kept.append(record)
            return
        self.pending.append(record)
        if len(self.pending) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="chuangyou-rows-")  # noqa: SIM115 - closed in __iter__
        blob = marshal.dumps(self.pending)
        self.file.write(len(blob).to_bytes(8, "little") + blob)
        self.pending = []

    def __iter__(self) -> Iterator[Any]:
        yield from self.kept
        self.kept = []
        if self.file is None:
            yield from self.pending
            return
        if self.pending:
            self._flush()
        spilled, self.file = self.file, None
        with spilled:
            end = spilled.tell()
            spilled.seek(0)
            while spilled.tell() < end:
                size = int.from_bytes(spilled.read(8), "little")
                yield from marshal.loads(spilled.read(size))


class Cells:
    """Turns one sheet's cells into prepared cells; ``formats`` is filled with the XlsxWriter
    formats they name by index (marshal cannot carry the format objects)."""

    def __init__(self, formats: styles.Formats, looks: Any) -> None:
        self._formats = formats
        self.looks = looks
        self.by_index: list[Any] = []
        self._index: dict[int, int] = {}
        self._keys: dict[tuple[Any, ...], int] = {}
        self._texts: dict[str, tuple[str, tuple[float, ...]]] = {}
        # Apart: Decimal(1) == 1, and only a Decimal gets a score's number format.
        self._decimals: dict[Decimal, tuple[tuple[float, ...], int | float, str]] = {}
        self._ints: dict[int, tuple[tuple[float, ...], int | float, str]] = {}

    def _format(self, look: styles.Look) -> int:
        found = self._formats.get(look)
        index = self._index.get(id(found))
        if index is None:
            index = self._index[id(found)] = len(self.by_index)
            self.by_index.append(found)
        return index

    def _look(self, key: tuple[Any, ...], raw: Any, style: Any, column: Any, band: bool, score: str | None) -> int:
        look = self.looks.get(raw, style, column, band)
        if score is not None and look.number_format == "General":
            look = self.looks.scored(look, score)
        index = self._keys[key] = self._format(look)
        return index

    def _text(self, raw: str) -> tuple[str, tuple[float, ...]]:
        found = self._texts.get(raw)
        if found is None:
            if len(self._texts) >= MEMO_TEXTS:
                self._texts.clear()
            found = self._texts[raw] = (styles.clean_text(raw), measure(raw))
        return found

    def _number(self, raw: Decimal | int) -> tuple[tuple[float, ...], int | float, str]:
        memo: dict[Any, tuple[tuple[float, ...], int | float, str]] = (
            self._decimals if isinstance(raw, Decimal) else self._ints)
        found = memo.get(raw)
        if found is None:
            if isinstance(raw, Decimal):
                found = (measure(shown(raw)), styles.excel_number(raw), styles.score_format(raw))
                if not raw:  # -0 and 0 are equal but show differently
                    return found
            else:
                found = (measure(str(raw)), raw, "")
            if len(memo) >= MEMO_TEXTS:
                memo.clear()
            memo[raw] = found
        return found

    def row(self, values: Sequence[Any], columns: Sequence[Any], band: bool
            ) -> tuple[tuple[tuple[Any, ...], ...], tuple[tuple[float, ...] | None, ...]]:
        """The prepared cells of a row and the widths of each cell's lines (None: empty)."""
        if len(values) != len(columns):
            raise ValueError(f"a row of {len(values)} cells in a table of {len(columns)} columns")
        cells: list[tuple[Any, ...]] = []
        measures: list[tuple[float, ...] | None] = []
        keys = self._keys
        for col, value in enumerate(values):
            # A look depends on the column only by its centring (table._Looks).
            center = columns[col].center
            kind = type(value)
            if kind is str and value:
                text, widths = self._text(value)
                key: tuple[Any, ...] = (center, "s", band)
                index = keys.get(key)
                cells.append((TEXT, text, index if index is not None else self._look(key, value, None, columns[col],
                                                                                    band, None)))
                measures.append(widths)
            elif kind is Decimal or kind is int:
                widths, number, score = self._number(value)
                key = (center, "n", score, band)
                index = keys.get(key)
                if index is None:
                    index = self._look(key, value, None, columns[col], band, score or None)
                cells.append((NUMBER, number, index))
                measures.append(widths)
            elif value is None or value == "":
                key = (center, "" if value is None else "s", band)
                index = keys.get(key)
                if index is None:
                    index = self._look(key, value, None, columns[col], band, None)
                cells.append((BLANK, None, index))
                measures.append(None)
            elif isinstance(value, Styled):
                cells.append(self._styled(value, columns[col], band))
                measures.append(self._measure_styled(value))
            else:  # a subclass of str or int: the slow path, as it always was
                cells.append(self._styled(Styled(value), columns[col], band))
                measures.append(self._measure_styled(value))
        return tuple(cells), tuple(measures)

    def _measure_styled(self, value: Any) -> tuple[float, ...] | None:
        text = shown(value)
        return measure(text) if text else None

    def _styled(self, value: Any, column: Any, band: bool) -> tuple[Any, ...]:
        raw = value.value
        kind = "s" if isinstance(raw, str) else "" if raw is None else "n"
        score = styles.score_format(raw) if isinstance(raw, Decimal) else None
        key = (column.center, band, kind, id(value.fill), id(value.font), value.link is not None, value.number_format, score)
        index = self._keys.get(key)
        if index is None:
            index = self._look(key, raw, value, column, band, score)
        if isinstance(raw, str) and raw:
            text = self._text(raw)[0]
            if value.link is None:
                return (TEXT, text, index)
            plain = (column.center, band, kind, id(value.fill), id(value.font), False, value.number_format, None)
            fallback = self._keys.get(plain)
            if fallback is None:
                fallback = self._look(plain, raw, replace(value, link=None), column, band, None)
            link = value.link
            target = link.target if link.target.startswith("file:") else f"external:{link.target}"
            return (LINK, text, f"{target}#{link.location}", index, fallback)
        if raw is None or raw == "":
            return (BLANK, None, index)
        return (NUMBER, styles.excel_number(raw) if isinstance(raw, Decimal) else raw, index)


def usable_widths(widths: Sequence[float], scale: float) -> list[float]:
    """The room for text in each column at the sheet's font size (as styles.wrapped_lines)."""
    return [max(w / scale - 1.5, 1) for w in widths]


def height(measures: Iterable[tuple[float, ...] | None], usable: Sequence[float], scale: float) -> float | None:
    """styles.row_height for a prepared row: None for a single line."""
    lines = 1
    for widths, room in zip(measures, usable, strict=False):
        if widths is None:
            continue
        needed = 0
        for width in widths:
            # A wrapped line holds about a tenth less than the full width (styles._lines).
            needed += 1 if width <= room else ceil(width / (room * 0.9))
        if needed > lines:
            lines = needed
    return None if lines <= 1 else round((lines * styles.LINE_HEIGHT + 3) * scale, 1)


def write(ws: Any, formats: Sequence[Any], first: int, spool: Spool, usable: Sequence[float], scale: float,
          heights: list[float] | None) -> None:
    """Write the prepared rows from row ``first`` (0-based); their heights go to ``heights``."""
    default = round(styles.ROW_HEIGHT * scale, 1)
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    direct = getattr(ws, "write_cells", None)  # export.fastsheet: a whole row at once
    for row, (cells, measures) in enumerate(spool, first):
        tall = height(measures, usable, scale)
        if tall is not None:
            ws.set_row(row, tall)
        if heights is not None:
            heights.append(tall or default)
        if direct is not None and direct(row, cells, formats):
            continue
        for col, cell in enumerate(cells):
            code = cell[0]
            if code == TEXT:
                # Always a text cell: names, reasons and values come from users' files, and
                # "=1+1", "#N/A" or "@SUM(A1)" must stay the text they are.
                write_string(row, col, cell[1], formats[cell[2]])
            elif code == NUMBER:
                write_number(row, col, cell[1], formats[cell[2]])
            elif code == BLANK:
                write_blank(row, col, None, formats[cell[2]])  # an empty text is a blank cell, as Excel keeps it
            elif ws.write_url(row, col, cell[2], formats[cell[3]], string=cell[1]) != 0:
                # Excel's limits forbid a link (too long, or over 65,530 in a sheet): the text alone.
                write_string(row, col, cell[1], formats[cell[4]])
