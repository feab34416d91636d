"""A sheet as plain data (titles, gaps, tables, charts) and the one renderer that streams it out.

Sheets are planned first and written second: rows go out in order (the workbook is written
in constant memory, a row at a time), and charts need the row numbers of tables that come
after them. Planning also keeps what a sheet contains (``tierlist``, ``details``,
``analysis``) apart from how it looks (here and in ``styles``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from chuangyou.export import pages, rows, styles
from chuangyou.export.rows import Link as Link  # the sheets' cell values, defined with their writer
from chuangyou.export.rows import Styled as Styled
from chuangyou.export.rows import shown as shown

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
    """``rows`` a list, or any iterable (a generator: the rows are never all held) when the
    table is its sheet's last part (the parts below a table need its height); ``when_empty``
    the row shown when there are none."""

    columns: list[Column]
    rows: Iterable[Row]
    main: bool = False  # the sheet's data table: autofilter (and frozen, printed header: Sheet)
    when_empty: Row | None = None

    @property
    def height(self) -> int:
        if not isinstance(self.rows, list):
            raise TypeError("a streamed table's height is known once it is written")
        return 1 + (len(self.rows) or self.when_empty is not None)


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

    def starts(self, heights: Sequence[int] | None = None) -> list[int]:
        """The first row of each part (1-based); ``heights`` of the parts when known."""
        rows, row = [], 1
        for n, part in enumerate(self.parts):
            rows.append(row)
            if n + 1 < len(self.parts):
                row += heights[n] if heights is not None else part.height
        return rows


FOOTER = "&C&9 第 &P 页 共 &N 页"
TITLE_LOOK = styles.Look(font=styles.TITLE_FONT, align=styles.TITLE_ALIGN, border=False)
NOTE_LOOK = styles.Look(font=styles.NOTE_FONT, align=styles.TITLE_ALIGN, border=False)


def _widths(sheet: Sheet, longest: Sequence[Sequence[float] | None]) -> list[float]:
    """Each column's width: its longest line (``longest`` per part, from the first pass)."""
    scale = sheet.font_size / styles.FONT_SIZE  # a bigger font needs wider columns
    widths: list[float] = []
    for part, lines in zip(sheet.parts, longest, strict=True):
        if not isinstance(part, Table) or lines is None:
            continue
        for index, column in enumerate(part.columns):
            # A header may wrap onto two lines, so it needs only half its width.
            needed = max(lines[index], styles.text_width(column.header) / 2 + 1)
            width = min(max(needed * scale + 2, column.min_width * scale), column.max_width * scale)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    return [round(w, 1) for w in widths]


def _cells(row: Row) -> list[Value]:
    return row.cells if isinstance(row, Band) else row


def _prepare(table: Table, cells: rows.Cells) -> tuple[rows.Spool, list[float]]:
    """First pass: every row prepared (spooled) and the longest line of each column."""
    spool = rows.Spool()
    longest = [0.0] * len(table.columns)

    def add(line: Row) -> None:
        record = cells.row(_cells(line), table.columns, isinstance(line, Band))
        for col, widths in enumerate(record[1]):
            if widths is not None:
                for width in widths:
                    if width > longest[col]:
                        longest[col] = width
        spool.add(record)

    for line in table.rows:
        add(line)
    if not spool.count and table.when_empty is not None:
        add(table.when_empty)
    return spool, longest


def render(book: Any, formats: styles.Formats, sheet: Sheet) -> None:
    """Write ``sheet`` as a new worksheet of the XlsxWriter workbook ``book``."""
    from chuangyou.export import fastsheet  # imports XlsxWriter: only when a workbook is written

    ws = fastsheet.add_worksheet(book, styles.clean_text(sheet.name))
    setup_print(ws, landscape=sheet.landscape, header=sheet.header,
                pages_wide=sheet.pages_wide if sheet.fit_width else 0)
    scale = sheet.font_size / styles.FONT_SIZE
    # A fixed default height: LibreOffice otherwise sizes rows by font, and charts anchored
    # below reserved rows would slide across the page breaks planned for 15 pt rows.
    default = round(styles.ROW_HEIGHT * scale, 1)
    ws.set_default_row(default)
    cells = rows.Cells(formats, _Looks(scale))
    prepared = [_prepare(part, cells) if isinstance(part, Table) else None for part in sheet.parts]
    widths = _widths(sheet, [p[1] if p is not None else None for p in prepared])
    for index, width in enumerate(widths):
        ws.set_column(index, index, width)
    starts = sheet.starts([1 + p[0].count if p is not None else part.height
                           for part, p in zip(sheet.parts, prepared, strict=True)])
    main = next(((p, s, n) for n, (p, s) in enumerate(zip(sheet.parts, starts, strict=True))
                 if isinstance(p, Table) and p.main), None)
    if main is not None and sheet.freeze:
        ws.freeze_panes(main[1], sheet.freeze_cols)  # below the header row (1-based start = 0-based next row)
    span = len(main[0].columns) if main is not None else 1
    usable = rows.usable_widths(widths, scale)
    heights: list[float] | None = [] if sheet.own_pages and main is not None else None
    for part, start, ready in zip(sheet.parts, starts, prepared, strict=True):
        row = start - 1  # 0-based
        if isinstance(part, Title):
            tall = _title(ws, formats, part, row, span, scale)
            if heights is not None:
                heights.append(tall or default)
        elif isinstance(part, Gap):
            if heights is not None:
                heights += [default] * part.height
        elif isinstance(part, Table) and ready is not None:
            tall = _header(ws, formats, part, row, widths, scale)
            if heights is not None:
                heights.append(tall)
            rows.write(ws, cells.by_index, row + 1, ready[0], usable, scale, heights)
    if isinstance(ws, fastsheet.FastWorksheet):
        ws.forget()
    if main is not None:
        table, start, n = main
        count = prepared[n][0].count if prepared[n] is not None else 0  # type: ignore[index]
        last = max(start + count, start + 1)
        ws.autofilter(start - 1, 0, last - 1, len(table.columns) - 1)
        if sheet.repeat:
            ws.repeat_rows(start - 1)
    if sheet.repeat_cols:
        first, _, last_col = sheet.repeat_cols.partition(":")
        ws.repeat_columns(f"{first}:{last_col or first}")
    if heights is not None and main is not None:
        breaks, total = pages.plan_pages(heights, main[1] - 1, sheet.landscape)
        ws.set_h_pagebreaks(breaks)
        ws.set_footer(FOOTER.replace("&N", str(total)), {"margin": 0.3})
    elif sheet.breaks:
        ws.set_h_pagebreaks(sheet.breaks)
    for chart, anchor in sheet.charts:
        ws.insert_chart(anchor, _chart(book, chart))


def _title(ws: Any, formats: styles.Formats, part: Title, row: int, span: int, scale: float) -> float | None:
    """Write a title; its height when it is not the default one."""
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
    return round(24 * scale, 1) if part.big else None


def _header(ws: Any, formats: styles.Formats, table: Table, row: int, widths: Sequence[float],
            scale: float = 1) -> float:
    """Write a table's header row; its height."""
    headers = [c.header for c in table.columns]
    tall = max(styles.row_height(headers, widths, scale) or 0, round(27 * scale, 1))
    ws.set_row(row, tall)
    header_look = styles.HEADER_LOOK
    if scale != 1:
        header_look = replace(header_look, font=replace(header_look.font, size=round(styles.FONT_SIZE * scale, 1)))
    header = formats.get(header_look)
    for col, text in enumerate(headers):
        ws.write_string(row, col, styles.clean_text(text), header)
    return tall


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
