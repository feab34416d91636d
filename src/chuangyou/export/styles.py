"""Cell values and looks for the tier-list workbook: safe text, exact scores, widths, heights.

Every cell is built here as a detached openpyxl ``Cell`` (what write-only worksheets append),
so one code path serves both the streaming and the normal worksheet.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray

FONT_NAME = "宋体"  # on every Chinese Windows/WPS; LibreOffice substitutes a CJK font
FONT_SIZE = 10
LINE_HEIGHT = 13.5  # points per wrapped line at FONT_SIZE (room for CJK fallback fonts)
NARROW = 1.1  # width of a Latin letter or digit of a CJK font, in column units
ROW_HEIGHT = 15.0  # points: every single-line row
MAX_TEXT = 32767  # Excel refuses longer cell text

HEADER_FILL = PatternFill("solid", fgColor="C00000")
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE)
MUTED_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="808080")
BOLD_FONT = Font(name=FONT_NAME, size=FONT_SIZE, bold=True)
LINK_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="0563C1", underline="single")
TITLE_FONT = Font(name=FONT_NAME, size=14, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=FONT_SIZE, color="404040")

BAND_FILL = PatternFill("solid", fgColor="F2F2F2")  # heading rows of a block (整改清单)
NA_FILL = PatternFill("solid", fgColor="EDEDED")  # an item that does not apply
# Tier cells, high → low; the held tier is grey. Light enough to print in black and white.
TIER_FILLS = tuple(PatternFill("solid", fgColor=c) for c in ("C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE"))
HELD_FILL = PatternFill("solid", fgColor="D9D9D9")

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
TITLE_ALIGN = Alignment(vertical="center")  # no wrap: a title runs on over the empty cells
NO_BORDER = Border()


def clean_text(value: str) -> str:
    """Control characters make openpyxl raise and Excel refuse the file: drop them."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


@dataclass(frozen=True)
class Look:
    """Everything about a cell's appearance; the module's style objects are shared."""

    font: Font = BODY_FONT
    align: Alignment = WRAP
    fill: PatternFill | None = None
    number_format: str = "General"
    border: Border = BORDER

    def key(self) -> tuple[int, int, int, str, int]:
        # Identity of the shared style objects: hashing openpyxl styles is what makes
        # assigning them slow (a third of the run for 10,000 organizations).
        return (id(self.font), id(self.align), id(self.fill), self.number_format, id(self.border))


class CellMaker:
    """Detached cells for one worksheet, each style combination resolved once per worksheet."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._styles: dict[tuple[int, int, int, str, int], StyleArray] = {}
        self._variants: dict[tuple[Any, str], Look] = {}

    def _make(self, value: Any, look: Look) -> Cell:
        cell = WriteOnlyCell(self.ws, value)
        key = look.key()
        style = self._styles.get(key)
        if style is None:
            cell.font, cell.alignment, cell.border = look.font, look.align, look.border
            if look.fill is not None:
                cell.fill = look.fill
            cell.number_format = look.number_format
            self._styles[key] = StyleArray(cell._style)
        else:
            cell._style = StyleArray(style)
        return cell

    def text(self, value: str, look: Look = Look()) -> Cell:
        """A cell that always holds text.

        openpyxl turns a string starting with ``=`` into a formula and ``#N/A`` into an
        error; names, reasons and values come from users' files, so the type is forced back
        to text (``+1``, ``-1`` and ``@x`` are plain strings already, and stay so).
        """
        cell = self._make(clean_text(value), look)
        cell.data_type = "s"
        return cell

    def number(self, value: Decimal | int, look: Look = Look(align=RIGHT)) -> Cell:
        if isinstance(value, Decimal):
            if look.number_format == "General":
                look = self._scored(look, score_format(value))
            return self._make(excel_number(value), look)
        return self._make(value, look)

    def _scored(self, look: Look, number_format: str) -> Look:
        key = (look.key(), number_format)
        found = self._variants.get(key)
        if found is None:
            found = self._variants[key] = replace(look, number_format=number_format)
        return found

    def blank(self, look: Look = Look()) -> Cell:
        return self._make(None, look)


HEADER_LOOK = Look(font=HEADER_FONT, align=CENTER, fill=HEADER_FILL)


def score_format(value: Decimal) -> str:
    """Show exactly the decimals a score has (no “90.” for 90, no 92.50 for 92.5); at most 2.

    The stored number keeps full precision; only the display rounds beyond 2 places.
    """
    if value == value.to_integral_value():
        return "0"
    places = -int(value.normalize().as_tuple().exponent)
    return "0.0" if places == 1 else "0.00"


def excel_number(value: Decimal) -> int | float:
    """Integral scores as int; others as the nearest float, which reads back as the same
    decimal text for every score of up to 15 significant digits (repr round trip)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def tier_fill(tiers: Sequence[str], tier: str) -> PatternFill:
    """The fill of a tier cell: the two lowest tiers always get the warm colours."""
    if tier not in tiers:
        return HELD_FILL
    from_bottom = len(tiers) - 1 - tiers.index(tier)
    return TIER_FILLS[max(len(TIER_FILLS) - 1 - from_bottom, 0)]


@lru_cache(maxsize=65536)  # names, tiers, labels and reasons repeat over thousands of rows
def text_width(text: str) -> float:
    """Display width in column units: CJK, full-width and ambiguous (“”…) characters count two."""
    if text.isascii():
        return len(text) * NARROW
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WFA" else NARROW for ch in text)


def wrapped_lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 1)  # cell padding
    if len(text) * 2 <= usable and "\n" not in text:
        return 1  # cannot wrap whatever its characters: skip measuring
    return sum(_lines(text_width(part), usable) for part in text.split("\n"))


def _lines(needed: float, usable: float) -> int:
    if needed <= usable:
        return 1
    # A wrapped line holds about a tenth less than the full width: no line may start with
    # “。，）” (kinsoku), so lines break early (seen in LibreOffice's PDF).
    return math.ceil(needed / (usable * 0.9))


def row_height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    """The height a row of wrapped text needs; None for a single line (the default height).

    Excel does not grow rows for wrapped text in a file it did not lay out itself, so
    without explicit heights long reasons would print cut off.
    """
    lines = max((wrapped_lines(t, w) for t, w in zip(texts, widths, strict=False) if t), default=1)
    return None if lines <= 1 else round(lines * LINE_HEIGHT + 3, 1)
