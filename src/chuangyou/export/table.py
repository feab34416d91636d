"""A sheet as plain data (titles, gaps, tables) and the one renderer that streams it out.

Sheets are planned first and written second: a write-only worksheet takes column widths
and frozen panes only before its first row, and charts need the row numbers of tables
that come after them. Planning also keeps what a sheet contains (``tierlist``, ``details``,
``analysis``) apart from how it looks (here and in ``styles``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

from chuangyou.export import styles
from chuangyou.scorecard import fmt


@dataclass(frozen=True)
class Link:
    """A hyperlink into another workbook: ``target`` the file, ``location`` the cell."""

    target: str
    location: str


@dataclass(frozen=True)
class Styled:
    value: str | Decimal | int | None
    fill: PatternFill | None = None
    font: Font | None = None
    link: Link | None = None
    number_format: str | None = None


Value = str | Decimal | int | None | Styled


@dataclass(frozen=True)
class Column:
    header: str
    min_width: float = 8
    max_width: float = 30
    center: bool = False


@dataclass
class Band:
    """A heading row inside a table (bold, shaded): one organization's block in 整改清单."""

    cells: list[Value]


Row = list[Value] | Band


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]
    main: bool = False  # the sheet's data table: autofilter (and frozen, printed header: Sheet)

    @property
    def height(self) -> int:
        return 1 + len(self.rows)


@dataclass(frozen=True)
class Title:
    text: str
    big: bool = True

    height = 1


@dataclass(frozen=True)
class Gap:
    height: int = 1


Part = Title | Gap | Table


@dataclass
class Sheet:
    name: str
    parts: list[Part]
    header: str = ""  # printed at the top of each page
    landscape: bool = True
    freeze: bool = True  # freeze the panes under the main table's header
    freeze_cols: int = 0  # …and this many columns on the left
    repeat: bool = True  # print the main table's header on every page
    repeat_cols: str | None = None  # columns printed on every page ("A:B"), for wide sheets
    fit_width: bool = True  # shrink to one page wide; wide sheets print across pages instead
    breaks: list[int] = field(default_factory=list)  # page breaks after these rows
    charts: list[tuple[Any, str]] = field(default_factory=list)  # (chart, anchor cell)

    def starts(self) -> list[int]:
        """The first row of each part (1-based)."""
        rows, row = [], 1
        for part in self.parts:
            rows.append(row)
            row += part.height
        return rows


TITLE_LOOK = styles.Look(font=styles.TITLE_FONT, align=styles.TITLE_ALIGN, border=styles.NO_BORDER)
NOTE_LOOK = styles.Look(font=styles.NOTE_FONT, align=styles.TITLE_ALIGN, border=styles.NO_BORDER)


def shown(value: Value) -> str:
    """The text a value displays, for widths and row heights."""
    if isinstance(value, Styled):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return fmt(value.quantize(Decimal("0.01"))) if isinstance(exponent, int) and exponent < -2 else fmt(value)
    return str(value)


def _widths(sheet: Sheet) -> list[float]:
    widths: list[float] = []
    for part in sheet.parts:
        if not isinstance(part, Table):
            continue
        for index, column in enumerate(part.columns):
            longest = max(
                (styles.text_width(line) for row in part.rows for line in shown(_cells(row)[index]).split("\n")),
                default=0,
            )
            # A header may wrap onto two lines, so it needs only half its width.
            longest = max(longest, styles.text_width(column.header) / 2 + 1)
            width = min(max(longest + 2, column.min_width), column.max_width)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return [round(w, 1) for w in widths]


def _cells(row: Row) -> list[Value]:
    return row.cells if isinstance(row, Band) else row


def render(ws: Any, sheet: Sheet) -> None:
    """Write ``sheet`` into an empty worksheet (normal or write-only)."""
    # Sheet properties (fit to page), widths and panes go out with the first row in
    # write-only mode, so they are all set before it.
    setup_print(ws, landscape=sheet.landscape, header=sheet.header, fit_width=sheet.fit_width)
    # A fixed default height: LibreOffice otherwise sizes rows by font, and charts anchored
    # below reserved rows would slide across the page breaks planned for 15 pt rows.
    ws.sheet_format.defaultRowHeight = styles.ROW_HEIGHT
    ws.sheet_format.customHeight = True
    widths = _widths(sheet)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    starts = sheet.starts()
    main = next(((p, s) for p, s in zip(sheet.parts, starts, strict=True) if isinstance(p, Table) and p.main), None)
    if main is not None and sheet.freeze:
        # must precede the first row in write-only mode
        ws.freeze_panes = f"{get_column_letter(sheet.freeze_cols + 1)}{main[1] + 1}"
    maker = styles.CellMaker(ws)
    for part, start in zip(sheet.parts, starts, strict=True):
        if isinstance(part, Title):
            if part.big:
                ws.row_dimensions[start].height = 24
            ws.append([maker.text(part.text, TITLE_LOOK if part.big else NOTE_LOOK)])
        elif isinstance(part, Gap):
            for _ in range(part.height):
                ws.append([])
        else:
            _table(ws, maker, part, start, widths)
    if main is not None:
        table, start = main
        last = max(start + len(table.rows), start + 1)
        ws.auto_filter.ref = f"A{start}:{get_column_letter(len(table.columns))}{last}"
        if sheet.repeat:
            ws.print_title_rows = f"{start}:{start}"
    if sheet.repeat_cols:
        ws.print_title_cols = sheet.repeat_cols
    for row in sheet.breaks:
        ws.row_breaks.append(Break(id=row))
    for chart, anchor in sheet.charts:
        ws.add_chart(chart, anchor)


def _table(ws: Any, maker: styles.CellMaker, table: Table, start: int, widths: Sequence[float]) -> None:
    headers = [c.header for c in table.columns]
    ws.row_dimensions[start].height = max(styles.row_height(headers, widths) or 0, 27)
    ws.append([maker.text(h, styles.HEADER_LOOK) for h in headers])
    looks = _Looks()
    for row_number, row in enumerate(table.rows, start + 1):
        values = _cells(row)
        height = styles.row_height([shown(v) for v in values], widths)
        if height is not None:
            ws.row_dimensions[row_number].height = height
        band = isinstance(row, Band)
        ws.append([
            _cell(maker, looks, value, column, row_number, col, band)
            for col, (value, column) in enumerate(zip(values, table.columns, strict=True), 1)
        ])


class _Looks:
    """The look of each kind of cell of one sheet, built once (hundreds of thousands of cells).

    Keyed by the identity of the style objects in ``Styled``: they are the shared constants
    of :mod:`styles`, alive for the whole render.
    """

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], styles.Look] = {}

    def get(self, raw: Any, style: Styled | None, column: Column, band: bool) -> styles.Look:
        kind = "s" if isinstance(raw, str) else "" if raw is None else "n"
        key = (kind, column.center, band) if style is None else (
            kind, column.center, band, id(style.fill), id(style.font), style.link is not None, style.number_format
        )
        look = self._cache.get(key)
        if look is None:
            look = self._cache[key] = self._build(kind, style, column, band)
        return look

    @staticmethod
    def _build(kind: str, style: Styled | None, column: Column, band: bool) -> styles.Look:
        if kind == "s":
            align = styles.CENTER if column.center else styles.WRAP
        else:
            align = styles.RIGHT if kind == "n" else styles.WRAP
        font = styles.BOLD_FONT if band else styles.BODY_FONT
        fill = styles.BAND_FILL if band else None
        number_format = "General"
        if style is not None:
            font = styles.LINK_FONT if style.link is not None else style.font or font
            fill = style.fill or fill
            number_format = style.number_format or number_format
        return styles.Look(font=font, align=align, fill=fill, number_format=number_format)


def _cell(maker: styles.CellMaker, looks: _Looks, value: Value, column: Column, row: int, col: int, band: bool) -> Any:
    style, raw = (value, value.value) if isinstance(value, Styled) else (None, value)
    look = looks.get(raw, style, column, band)
    if isinstance(raw, str):
        cell = maker.text(raw, look)
    elif raw is None:
        cell = maker.blank(look)
    else:
        cell = maker.number(raw, look)
    if style is not None and style.link is not None:
        # Target (the file) and location (the cell) apart, as Excel writes them itself:
        # Excel cannot open a relationship target with a '#' fragment in it.
        ref = f"{get_column_letter(col)}{row}"
        cell._hyperlink = Hyperlink(ref=ref, target=style.link.target, location=style.link.location)
    return cell


def setup_print(ws: Any, *, landscape: bool, header: str, fit_width: bool = True) -> None:
    """A4, all columns on the page width (unless too wide to read), page numbers in the footer."""
    ws.page_setup.paperSize = 9  # A4 (write-only worksheets lack the PAPERSIZE_A4 constant)
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    if header:
        ws.oddHeader.center.text = styles.clean_text(header).replace("&", "&&")
        ws.oddHeader.center.size = 9
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
