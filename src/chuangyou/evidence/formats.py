"""Number formats: what a numeric cell shows, when that is not the number stored.

Typing ``100%`` in Excel, WPS or LibreOffice stores the number 1 with a percent format;
``94.5%`` stores 0.945. Neither reader tells us a cell's number format (calamine does not
expose it, openpyxl only per cell in a slow mode), so both get it from the workbook itself,
here, in the same way: the style index ``s`` of each cell in the sheet XML, the cell format
(``cellXfs``) it points to in the styles part, and that format's code.

Only what changes the meaning of a number is kept: whether it is shown as a percentage and
how many decimals it shows. Dates are converted by both readers already. Most workbooks
(the template) use the General format only: a byte search of the styles part finds that
and the sheet is never parsed for styles.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError, fromstring
from xml.parsers import expat

from chuangyou.evidence.limits import chunks

if TYPE_CHECKING:
    from chuangyou.evidence.package import Package

# Built-in number formats (ECMA-376 Part 1, 18.8.30) that show a number otherwise than as
# General: their codes; the date and time ones are handled by the readers.
BUILTIN = {
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 48: "##0.0E+0",
}
# Quoted text, an escaped character, [colour]/[condition], spacing (_x) and fill (*x): none
# of it is a digit placeholder or a percent sign.
_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_ANY_FORMAT = re.compile(rb'numFmtId="(?!0")')
_SCIENTIFIC = re.compile(r"[eE][+-]")
_ADDRESS = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


@dataclass(frozen=True)
class NumberFormat:
    """How a number format shows a number: as a percentage, with how many decimals
    (None: as many as needed, as General does)."""

    code: str
    percent: bool
    decimals: int | None


def parse_code(code: str, value: float = 1.0) -> NumberFormat | None:
    """The format a code applies to ``value`` (its section), None when it shows it as General."""
    sections = _LITERAL.sub("", code).split(";")
    if value < 0 and len(sections) > 1:
        section = sections[1]
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    else:
        section = sections[0]
    if section.strip().lower() in ("", "general", "@") or _SCIENTIFIC.search(section):
        return None  # General, text, or scientific (shows its own precision)
    percent = "%" in section
    _, dot, tail = section.partition(".")
    decimals = sum(1 for ch in tail if ch in "0#?") if dot else 0
    if not percent and not any(ch in "0#?" for ch in section):
        return None  # no digit placeholder: not a number format we can describe
    return NumberFormat(code, percent, decimals)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


@functools.lru_cache(maxsize=64)  # the workbooks of a batch share a few styles parts (one per template)
def cell_formats(styles: bytes) -> dict[int, str]:
    """Cell format index (a cell's ``s``) → format code, for the non-General ones (not
    to be changed: the dict is shared)."""
    if not _ANY_FORMAT.search(styles):
        return {}  # every cell format is General (the template, most workbooks)
    try:
        root = fromstring(styles)  # checked for a DOCTYPE and its size with the package
    except ParseError:
        return {}  # the readers decide whether the workbook is readable
    codes: dict[int, str] = dict(BUILTIN)
    xfs: list[int] = []
    for element in root:
        name = _local(element.tag)
        if name == "numFmts":
            for fmt in element:
                number = _int(fmt.get("numFmtId"))
                if number is not None:
                    codes[number] = fmt.get("formatCode", "")
        elif name == "cellXfs":
            xfs = [_int(xf.get("numFmtId")) or 0 for xf in element if _local(xf.tag) == "xf"]
    return {index: codes[number] for index, number in enumerate(xfs)
            if number in codes and _shows_otherwise(codes[number])}


def _shows_otherwise(code: str) -> bool:
    return any(parse_code(code, value) is not None for value in (1.0, -1.0, 0.0))


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() and len(text) < 10 else None


def sheet_formats(package: Package, member: str) -> dict[tuple[int, int], str]:
    """(row, col), 0-based → format code, for each cell of a sheet with a format that
    shows a number otherwise than General does. Cells without an address are placed as the
    readers and the limits scan place them (the next column of the row; a row without r
    follows the previous one).

    Cost: nothing when no cell format of the workbook is such a format (the template, a
    workbook saved by LibreOffice, which names General 164); for a sheet kept in memory,
    one regular-expression search for the attributes naming those formats; else (a big
    sheet, or a cell without an address) one pass of expat over the sheet."""
    styles = cell_formats(package.styles)
    if not styles or not member:
        return {}
    data = package.xml.get(member)
    if data is not None:
        found = _quick(data, styles)
        if found is not None:
            return found
    scan = _CellStyles(styles)
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    with package.archive() as archive:
        for piece in chunks(archive, member):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    return scan.found


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_R_ATTR = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,7})[\"']")


def _quick(data: bytes, styles: dict[int, str]) -> dict[tuple[int, int], str] | None:
    """The cells using one of ``styles``, found from the attributes naming them (a sheet
    of the template size: 0.05 ms), or None when a cell has no address to read (expat
    then places it). An attribute value cannot hold "<", so the last "<" before ``s="2"``
    opens the element it belongs to; one of text (inline strings) is not a cell's."""
    numbers = b"|".join(str(index).encode("ascii") for index in sorted(styles))
    found: dict[tuple[int, int], str] = {}
    # As every writer puts it (Excel, WPS, LibreOffice, openpyxl): one space, no spaces
    # around "=" (a pattern starting with a literal is searched at memchr speed; \s first
    # took 0.7 ms). A crafted spacing only makes that cell read as General.
    for match in re.finditer(rb" s=[\"'](" + numbers + rb")[\"']", data):
        start = data.rfind(b"<", 0, match.start())
        tag = _TAG.match(data, start)
        if tag is None or tag.group(1) != b"c":
            continue  # a row's default style, or text
        end = data.find(b">", match.end())
        ref = _R_ATTR.search(data, start, end if end >= 0 else len(data))
        if ref is None:
            return None
        row, col = _place(ref.group(0).decode("ascii").partition("=")[2].strip().strip("\"'"), 1, 0)
        found[(row - 1, col - 1)] = styles[int(match.group(1))]
    return found


class _CellStyles:
    def __init__(self, styles: dict[int, str]) -> None:
        self.styles = styles
        self.found: dict[tuple[int, int], str] = {}
        self.row = 0
        self.col = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            at, self.col = _place(attrs.get("r"), max(self.row, 1), self.col)
            style = attrs.get("s")
            code = self.styles.get(_int(style) or 0) if style is not None else None
            if code is not None:
                self.found[(at - 1, self.col - 1)] = code
        elif name == "row":
            number = _int(attrs.get("r"))
            self.row, self.col = (self.row + 1 if number is None else number), 0


def _place(ref: str | None, row: int, col: int) -> tuple[int, int]:
    """1-based (row, column) of a cell from its address, else the next column."""
    found = _ADDRESS.fullmatch(ref) if ref else None
    if found is None:
        return row, col + 1
    number = 0
    for letter in found.group(1).upper():
        number = number * 26 + ord(letter) - 64
    return int(found.group(2)), number


def percent_text(number: Decimal) -> str:
    """A percentage as the user reads it: 94.5%, 100%."""
    text = format(number.normalize(), "f")
    return f"{text}%"
