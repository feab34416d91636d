"""Pages of a printed sheet planned here, so that its footer can say “共 M 页” of the sheet itself.

Office suites count ``&N`` (the page total) over everything they print: LibreOffice over
the whole workbook, whatever each sheet's first page number. A sheet meant to be printed
and posted (等级名单) is laid out here instead: every row has an explicit height, so the
rows that fit on a page are known; manual breaks put them there, and the total is written
into the footer as a number.
"""

from __future__ import annotations

from collections.abc import Sequence

from chuangyou.export import styles

A4_POINTS = (595.3, 841.9)  # width, height
MARGINS = 2 * 0.6 * 72  # top and bottom margins of setup_print (the header and footer sit in them)
SAFETY = 0.94  # never plan a page full to the point: a break a row early costs nothing


def page_height(landscape: bool) -> float:
    return ((A4_POINTS[0] if landscape else A4_POINTS[1]) - MARGINS) * SAFETY


def plan_pages(heights: Sequence[float], header_row: int, landscape: bool) -> tuple[list[int], int]:
    """Manual breaks (0-based first row of each page after the first) and the page count,
    for rows of ``heights`` whose row ``header_row`` (0-based) repeats on every page."""
    room = page_height(landscape)
    repeated = heights[header_row]
    breaks: list[int] = []
    used = 0.0
    for row, height in enumerate(heights):
        if used + height > room and row > header_row + 1:
            breaks.append(row)
            used = repeated
        used += height
    return breaks, len(breaks) + 1


def default_height(scale: float) -> float:
    return round(styles.ROW_HEIGHT * scale, 1)
