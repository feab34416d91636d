"""Cell values and looks for the tier-list workbook: safe text, exact scores, widths, heights.

A look is plain data (font, alignment, fill, number format, border); :class:`Formats` turns
each distinct look into one XlsxWriter format per workbook.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from chuangyou.textsafe import xml_text

FONT_NAME = "宋体"  # on every Chinese Windows/WPS; LibreOffice substitutes a CJK font
FONT_SIZE = 10
LINE_HEIGHT = 13.5  # points per wrapped line at FONT_SIZE (room for CJK fallback fonts)
NARROW = 1.1  # width of a Latin letter or digit of a CJK font, in column units
ROW_HEIGHT = 15.0  # points: every single-line row
MAX_TEXT = 32767  # Excel refuses longer cell text
BORDER_COLOR = "#808080"


@dataclass(frozen=True)
class Font:
    size: float = FONT_SIZE
    bold: bool = False
    color: str | None = None  # "#RRGGBB"
    underline: bool = False


@dataclass(frozen=True)
class Fill:
    color: str  # "#RRGGBB", solid


@dataclass(frozen=True)
class Align:
    horizontal: str | None = None  # "center", "right" or the default
    wrap: bool = False


HEADER_FILL = Fill("#C00000")
HEADER_FONT = Font(bold=True, color="#FFFFFF")
BODY_FONT = Font()
MUTED_FONT = Font(color="#808080")
BOLD_FONT = Font(bold=True)
LINK_FONT = Font(color="#0563C1", underline=True)
TITLE_FONT = Font(size=14, bold=True)
NOTE_FONT = Font(color="#404040")

BAND_FILL = Fill("#F2F2F2")  # heading rows of a block (整改清单)
NA_FILL = Fill("#EDEDED")  # an item that does not apply
# Tier cells, high → low; the held tier is grey. Light enough to print in black and white.
TIER_FILLS = tuple(Fill(c) for c in ("#C6EFCE", "#DDEBF7", "#FFEB9C", "#FFC7CE"))
HELD_FILL = Fill("#D9D9D9")

WRAP = Align(wrap=True)
CENTER = Align("center", wrap=True)
RIGHT = Align("right")
TITLE_ALIGN = Align()  # no wrap: a title runs on over the empty cells

# What Excel refuses in a cell: control characters other than tab, line feed, return.
def clean_text(value: str) -> str:
    """Text as a cell can hold it (:func:`chuangyou.textsafe.xml_text`: what XML cannot hold
    makes Excel refuse the file); cut what a cell cannot hold.

    XlsxWriter writes a text that starts with ``<r>`` and ends with ``</r>`` into the XML as
    it stands (its rich-text form): "<r>&</r>" typed as a name would make the workbook
    unreadable. Such a text gets an invisible zero-width space at its end and stays text
    (read back, chuangyou.values.normalize_text drops it)."""
    text = xml_text(value)
    if text.startswith("<r>") and text.endswith("</r>"):
        text += RICH_TEXT_GUARD
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


RICH_TEXT_GUARD = "\u200b"


@dataclass(frozen=True)
class Look:
    """Everything about a cell's appearance."""

    font: Font = BODY_FONT
    align: Align = WRAP
    fill: Fill | None = None
    number_format: str = "General"
    border: bool = True

    def properties(self) -> dict[str, Any]:
        font, align = self.font, self.align
        props: dict[str, Any] = {"font_name": FONT_NAME, "font_size": font.size, "valign": "vcenter"}
        if font.bold:
            props["bold"] = True
        if font.color:
            props["font_color"] = font.color
        if font.underline:
            props["underline"] = 1
        if align.horizontal:
            props["align"] = align.horizontal
        if align.wrap:
            props["text_wrap"] = True
        if self.fill is not None:
            props.update(pattern=1, bg_color=self.fill.color)
        if self.number_format != "General":
            props["num_format"] = self.number_format
        if self.border:
            props.update(border=1, border_color=BORDER_COLOR)
        return props


class Formats:
    """One XlsxWriter format per distinct look in a workbook (hundreds of thousands of cells)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._formats: dict[Look, Any] = {}
        # By identity first: the looks passed in are shared objects, and hashing a nested
        # frozen dataclass for each of 100,000 cells is what the writer would spend its time on.
        self._by_id: dict[int, tuple[Look, Any]] = {}

    def get(self, look: Look) -> Any:
        known = self._by_id.get(id(look))
        if known is not None and known[0] is look:
            return known[1]
        found = self._formats.get(look)
        if found is None:
            found = self._formats[look] = self.book.add_format(look.properties())
        self._by_id[id(look)] = (look, found)  # the look is kept: its id is not reused
        return found


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


def tier_fill(tiers: Sequence[str], tier: str) -> Fill:
    """The fill of a tier cell: the two lowest tiers always get the warm colours."""
    if tier not in tiers:
        return HELD_FILL
    from_bottom = len(tiers) - 1 - tiers.index(tier)
    return TIER_FILLS[max(len(TIER_FILLS) - 1 - from_bottom, 0)]


@lru_cache(maxsize=4096)  # headers and the shared texts (export.rows measures each distinct cell text once)
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


def row_height(texts: Sequence[str], widths: Sequence[float], scale: float = 1) -> float | None:
    """The height a row of wrapped text needs; None for a single line (the default height).

    Excel does not grow rows for wrapped text in a file it did not lay out itself, so
    without explicit heights long reasons would print cut off.
    """
    lines = max((wrapped_lines(t, w / scale) for t, w in zip(texts, widths, strict=False) if t), default=1)
    return None if lines <= 1 else round((lines * LINE_HEIGHT + 3) * scale, 1)
