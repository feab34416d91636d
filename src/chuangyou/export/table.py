"""A sheet as plain data (titles, gaps, tables, charts) and the one renderer that streams it out.

Sheets are planned first and written second: rows go out in order (the workbook is written
in constant memory, a row at a time), and charts need the row numbers of tables that come
after them. Planning also keeps what a sheet contains (``tierlist``, ``details``,
``analysis``) apart from how it looks (here and in ``styles``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from chuangyou.export import pages, styles
from chuangyou.export.styles import Fill, Font
from chuangyou.scorecard import fmt


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
    center: bool = False  # centred over the main table's width (a printed list's heading)

    height = 1


@dataclass(frozen=True)
class Gap:
    height: int = 1


Part = Title | Gap | Table


@dataclass(frozen=True)
class Series:
    values: str  # "'问题分析'!$I$52:$I$54"
    categories: str
    name: str | None = None  # the series' name as text …
    name_cell: str | None = None  # … or the cell holding it ("'问题分析'!$B$3")
    color: str | None = None  # the bars' fill ("#70AD47"); None: the application's palette


@dataclass
class Chart:
    """A native bar chart: ``bar`` (horizontal) or ``column``."""

    kind: str
    title: str
    series: list[Series]
    width_cm: float
    height_cm: float
    legend_bottom: bool = False  # else no legend
    value_title: str | None = None
    value_unit: int | None = None  # major unit of the value axis
    reverse_categories: bool = False  # the first category on top (horizontal bars)
    every_category: bool = False  # a label for every category, not every other one
    subtype: str | None = None  # "percent_stacked": each bar split by series, as shares of 100 %


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
    fit_width: bool = True  # shrink to ``pages_wide`` pages wide; else print across pages at full size
    pages_wide: int = 1
    font_size: float = styles.FONT_SIZE  # of every cell; widths and heights follow it
    own_pages: bool = False  # plan the pages here: the footer's total counts this sheet only (pages.py)
    breaks: list[int] = field(default_factory=list)  # page breaks after these rows
    charts: list[tuple[Chart, str]] = field(default_factory=list)  # (chart, anchor cell)

    def starts(self) -> list[int]:
        """The first row of each part (1-based)."""
        rows, row = [], 1
        for part in self.parts:
            rows.append(row)
            row += part.height
        return rows


FOOTER = "&C&9 第 &P 页 共 &N 页"
TITLE_LOOK = styles.Look(font=styles.TITLE_FONT, align=styles.TITLE_ALIGN, border=False)
NOTE_LOOK = styles.Look(font=styles.NOTE_FONT, align=styles.TITLE_ALIGN, border=False)


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
    scale = sheet.font_size / styles.FONT_SIZE  # a bigger font needs wider columns
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
            width = min(max(longest * scale + 2, column.min_width * scale), column.max_width * scale)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return [round(w, 1) for w in widths]


def _cells(row: Row) -> list[Value]:
    return row.cells if isinstance(row, Band) else row


def render(book: Any, formats: styles.Formats, sheet: Sheet) -> None:
    """Write ``sheet`` as a new worksheet of the XlsxWriter workbook ``book``."""
    ws = book.add_worksheet(styles.clean_text(sheet.name))
    setup_print(ws, landscape=sheet.landscape, header=sheet.header,
                pages_wide=sheet.pages_wide if sheet.fit_width else 0)
    scale = sheet.font_size / styles.FONT_SIZE
    # A fixed default height: LibreOffice otherwise sizes rows by font, and charts anchored
    # below reserved rows would slide across the page breaks planned for 15 pt rows.
    ws.set_default_row(round(styles.ROW_HEIGHT * scale, 1))
    widths = _widths(sheet)
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    starts = sheet.starts()
    main = next(((p, s) for p, s in zip(sheet.parts, starts, strict=True) if isinstance(p, Table) and p.main), None)
    if main is not None and sheet.freeze:
        ws.freeze_panes(main[1], sheet.freeze_cols)  # below the header row (1-based start = 0-based next row)
    span = len(main[0].columns) if main is not None else 1
    for part, start in zip(sheet.parts, starts, strict=True):
        row = start - 1  # 0-based
        if isinstance(part, Title):
            _title(ws, formats, part, row, span, scale)
        elif isinstance(part, Table):
            _table(ws, formats, part, row, widths, scale)
    if main is not None:
        table, start = main
        last = max(start + len(table.rows), start + 1)
        ws.autofilter(start - 1, 0, last - 1, len(table.columns) - 1)
        if sheet.repeat:
            ws.repeat_rows(start - 1)
    if sheet.repeat_cols:
        first, _, last_col = sheet.repeat_cols.partition(":")
        ws.repeat_columns(f"{first}:{last_col or first}")
    if sheet.own_pages and main is not None:
        breaks, total = pages.plan_pages(_heights(sheet, widths, scale), main[1] - 1, sheet.landscape)
        ws.set_h_pagebreaks(breaks)
        ws.set_footer(FOOTER.replace("&N", str(total)), {"margin": 0.3})
    elif sheet.breaks:
        ws.set_h_pagebreaks(sheet.breaks)
    for chart, anchor in sheet.charts:
        ws.insert_chart(anchor, _chart(book, chart))


def _heights(sheet: Sheet, widths: Sequence[float], scale: float) -> list[float]:
    """The printed height of every row, as render sets it."""
    default = pages.default_height(scale)
    heights: list[float] = []
    for part in sheet.parts:
        if isinstance(part, Title):
            heights.append(round(24 * scale, 1) if part.big else default)
        elif isinstance(part, Gap):
            heights += [default] * part.height
        else:
            headers = [c.header for c in part.columns]
            heights.append(max(styles.row_height(headers, widths, scale) or 0, round(27 * scale, 1)))
            heights += [styles.row_height([shown(v) for v in _cells(r)], widths, scale) or default for r in part.rows]
    return heights


def _title(ws: Any, formats: styles.Formats, part: Title, row: int, span: int, scale: float) -> None:
    look = TITLE_LOOK if part.big else NOTE_LOOK
    if scale != 1:
        look = replace(look, font=replace(look.font, size=round(look.font.size * scale, 1)))
    if part.big:
        ws.set_row(row, round(24 * scale, 1))
    text = styles.clean_text(part.text)
    if part.center and span > 1:
        centered = replace(look, align=styles.Align("center"))
        ws.merge_range(row, 0, row, span - 1, "", formats.get(centered))
        ws.write_string(row, 0, text, formats.get(centered))  # merge_range would guess numbers and formulas
    else:
        ws.write_string(row, 0, text, formats.get(look))


def _table(ws: Any, formats: styles.Formats, table: Table, row: int, widths: Sequence[float],
           scale: float = 1) -> None:
    headers = [c.header for c in table.columns]
    ws.set_row(row, max(styles.row_height(headers, widths, scale) or 0, round(27 * scale, 1)))
    header_look = styles.HEADER_LOOK
    if scale != 1:
        header_look = replace(header_look, font=replace(header_look.font, size=round(styles.FONT_SIZE * scale, 1)))
    header = formats.get(header_look)
    for col, text in enumerate(headers):
        ws.write_string(row, col, styles.clean_text(text), header)
    looks = _Looks(scale)
    for row_number, line in enumerate(table.rows, row + 1):
        values = _cells(line)
        height = styles.row_height([shown(v) for v in values], widths, scale)
        if height is not None:
            ws.set_row(row_number, height)
        band = isinstance(line, Band)
        for col, (value, column) in enumerate(zip(values, table.columns, strict=True)):
            _cell(ws, formats, looks, value, column, row_number, col, band)


class _Looks:
    """The look of each kind of cell of one sheet, built once (hundreds of thousands of cells)."""

    def __init__(self, scale: float = 1) -> None:
        self._cache: dict[tuple[Any, ...], styles.Look] = {}
        self.scale = scale

    def get(self, raw: Any, style: Styled | None, column: Column, band: bool) -> styles.Look:
        kind = "s" if isinstance(raw, str) else "" if raw is None else "n"
        # The fills and fonts are the shared constants of styles: keyed by identity.
        key = (kind, column.center, band) if style is None else (
            kind, column.center, band, id(style.fill), id(style.font), style.link is not None, style.number_format
        )
        look = self._cache.get(key)
        if look is None:
            look = self._cache[key] = self._build(kind, style, column, band)
            if self.scale != 1:
                look = self._cache[key] = replace(look, font=replace(look.font, size=round(look.font.size * self.scale, 1)))
        return look

    def scored(self, look: styles.Look, number_format: str) -> styles.Look:
        """The look showing a score with exactly its decimals (``look`` is one of this cache's)."""
        key = (id(look), number_format)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = replace(look, number_format=number_format)
        return found

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


def _cell(ws: Any, formats: styles.Formats, looks: _Looks, value: Value, column: Column,
          row: int, col: int, band: bool) -> None:
    style, raw = (value, value.value) if isinstance(value, Styled) else (None, value)
    look = looks.get(raw, style, column, band)
    if isinstance(raw, str) and raw:
        text = styles.clean_text(raw)
        if style is not None and style.link is not None:
            if _link(ws, formats.get(look), row, col, text, style.link):
                return
            look = looks.get(raw, replace(style, link=None), column, band)  # no link: no link colours
        # Always a text cell: names, reasons and values come from users' files, and
        # "=1+1", "#N/A" or "@SUM(A1)" must stay the text they are.
        ws.write_string(row, col, text, formats.get(look))
    elif raw is None or raw == "":
        ws.write_blank(row, col, None, formats.get(look))  # an empty text is a blank cell, as Excel keeps it
    else:
        number: float | int | Decimal = raw
        if isinstance(raw, Decimal):
            if look.number_format == "General":
                look = looks.scored(look, styles.score_format(raw))
            number = styles.excel_number(raw)
        ws.write_number(row, col, number, formats.get(look))


def _link(ws: Any, cell_format: Any, row: int, col: int, text: str, link: Link) -> bool:
    """A hyperlink to a cell of another workbook; False when Excel's limits forbid one (too
    long, or over 65,530 links in a sheet): the caller then writes the text alone."""
    target = link.target if link.target.startswith("file:") else f"external:{link.target}"
    return bool(ws.write_url(row, col, f"{target}#{link.location}", cell_format, string=text) == 0)


def _chart(book: Any, spec: Chart) -> Any:
    chart = book.add_chart({"type": spec.kind, **({"subtype": spec.subtype} if spec.subtype else {})})
    for series in spec.series:
        options: dict[str, Any] = {"values": f"={series.values}", "categories": f"={series.categories}",
                                   "data_labels": {"value": True}}
        if series.color is not None:
            options["fill"] = {"color": series.color}
            options["border"] = {"color": series.color}
        if spec.subtype:  # stacked: a label for each segment but the empty ones, and wide bars
            options["data_labels"] = {"value": True, "num_format": "0;-0;;@"}
            options["gap"] = 60
        if series.name_cell is not None:
            options["name"] = f"={series.name_cell}"
        elif series.name is not None:
            options["name"] = styles.clean_text(series.name)
        chart.add_series(options)
    chart.set_title({"name": styles.clean_text(spec.title), "name_font": {"size": 12, "bold": True}})
    chart.set_legend({"position": "bottom"} if spec.legend_bottom else {"none": True})
    values: dict[str, Any] = {}
    if spec.value_title:
        values["name"] = styles.clean_text(spec.value_title)
    if spec.value_unit:
        values["major_unit"] = spec.value_unit
    categories: dict[str, Any] = {}
    if spec.reverse_categories:
        categories["reverse"] = True
        if spec.subtype:  # the value axis (0 %–100 %) under the bars, where it is read
            categories["crossing"] = "max"
    if spec.every_category:
        categories["interval_unit"] = 1
    # For horizontal bars XlsxWriter's y axis is the category axis.
    if spec.kind == "bar":
        chart.set_y_axis(categories)
        chart.set_x_axis(values)
    else:
        chart.set_x_axis(categories)
        chart.set_y_axis(values)
    pixels_per_cm = 96 / 2.54
    chart.set_size({"width": round(spec.width_cm * pixels_per_cm), "height": round(spec.height_cm * pixels_per_cm)})
    return chart


def setup_print(ws: Any, *, landscape: bool, header: str, pages_wide: int = 1) -> None:
    """A4, all columns on ``pages_wide`` page widths (0: at full size, across as many pages
    as needed), page numbers of the sheet itself in the footer."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if pages_wide:
        ws.fit_to_pages(pages_wide, 0)  # as many pages down as needed
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header:
        # "&9 " sets the size; the space keeps a title starting with digits from reading as one.
        ws.set_header("&C&9 " + styles.clean_text(header).replace("&", "&&")[:200], {"margin": 0.3})
    # Each sheet numbers its own pages from 1 (printing the whole workbook otherwise counts on).
    ws.set_start_page(1)
    ws.set_footer(FOOTER, {"margin": 0.3})
