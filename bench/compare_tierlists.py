"""Compare two tier-list workbooks sheet by sheet: what a reader sees must be identical.

    python bench/compare_tierlists.py reference.xlsx candidate.xlsx

Checks, per sheet: the name and order, every cell's value, number format, font, fill,
alignment, border and hyperlink, row heights, column widths, merged ranges, frozen panes,
autofilter, print titles, page setup, header and footer, page breaks, charts (their XML
parts byte for byte). Document properties are compared but for the creation time. Prints
each difference (at most 20 per sheet) and exits 1 if there is any.
"""

from __future__ import annotations

import re
import sys
import zipfile
from typing import Any

from openpyxl import load_workbook

LIMIT = 20


def _font(f: Any) -> tuple[Any, ...]:
    return (f.name, f.sz, f.b, f.i, f.u, f.strike, f.color.rgb if f.color is not None else None,
            f.color.theme if f.color is not None else None, f.vertAlign)


def _fill(f: Any) -> tuple[Any, ...]:
    return (f.fill_type, getattr(f.fgColor, "rgb", None), getattr(f.bgColor, "rgb", None))


def _side(s: Any) -> tuple[Any, ...]:
    return (s.style, s.color.rgb if s.color is not None else None) if s is not None else (None,)


def _border(b: Any) -> tuple[Any, ...]:
    return tuple(_side(getattr(b, side)) for side in ("left", "right", "top", "bottom", "diagonal"))


def _align(a: Any) -> tuple[Any, ...]:
    return (a.horizontal, a.vertical, a.wrap_text, a.shrink_to_fit, a.indent, a.text_rotation)


def _cell(c: Any) -> tuple[Any, ...]:
    link = c.hyperlink
    target = (link.target, link.location, link.display) if link is not None else None
    return (c.value, type(c.value).__name__, c.data_type, c.number_format, _font(c.font), _fill(c.fill),
            _align(c.alignment), _border(c.border), c.protection.locked, target)


def _sheet_setup(ws: Any) -> dict[str, Any]:
    ps, pm, hf = ws.page_setup, ws.page_margins, ws.oddHeader
    return {
        "dimensions": ws.dimensions,
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "print_titles": (ws.print_title_rows, ws.print_title_cols),
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "paper": (ps.paperSize, ps.orientation, ps.fitToWidth, ps.fitToHeight, ps.firstPageNumber,
                  ps.useFirstPageNumber, ws.sheet_properties.pageSetUpPr.fitToPage
                  if ws.sheet_properties.pageSetUpPr is not None else None),
        "margins": (pm.left, pm.right, pm.top, pm.bottom, pm.header, pm.footer),
        "center": ws.print_options.horizontalCentered,
        "header": (hf.left.text, hf.center.text, hf.right.text),
        "footer": (ws.oddFooter.left.text, ws.oddFooter.center.text, ws.oddFooter.right.text),
        "row_breaks": [b.id for b in ws.row_breaks.brk],
        "col_breaks": [b.id for b in ws.col_breaks.brk],
        "default_row": ws.sheet_format.defaultRowHeight,
        "custom_height": ws.sheet_format.customHeight,
        "charts": len(ws._charts),
    }


def _rows(ws: Any) -> dict[int, Any]:
    return {n: (d.height, d.customHeight) for n, d in ws.row_dimensions.items() if d.height is not None}


def _cols(ws: Any) -> dict[str, Any]:
    return {k: (d.min, d.max, d.width, d.customWidth) for k, d in ws.column_dimensions.items() if d.width}


def _report(where: str, found: list[str], text: str) -> None:
    if len(found) < LIMIT:
        found.append(f"{where}: {text}")
    elif len(found) == LIMIT:
        found.append(f"{where}: …")


def compare_sheet(a: Any, b: Any) -> list[str]:
    found: list[str] = []
    for key, value in _sheet_setup(a).items():
        other = _sheet_setup(b)[key]
        if value != other:
            _report(a.title, found, f"{key} {value!r} != {other!r}")
    ra, rb = _rows(a), _rows(b)
    for n in sorted(set(ra) | set(rb)):
        if ra.get(n) != rb.get(n):
            _report(a.title, found, f"row {n} height {ra.get(n)} != {rb.get(n)}")
    if _cols(a) != _cols(b):
        _report(a.title, found, f"columns {_cols(a)} != {_cols(b)}")
    rows = max(a.max_row, b.max_row)
    cols = max(a.max_column, b.max_column)
    cells = 0
    for r in range(1, rows + 1):
        for c in range(1, cols + 1):
            ca, cb = _cell(a.cell(r, c)), _cell(b.cell(r, c))
            cells += 1
            if ca != cb:
                _report(a.title, found, f"{a.cell(r, c).coordinate} {ca!r} != {cb!r}")
    return found


_CREATED = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:(created|modified)>")


def compare_parts(ref: str, new: str) -> list[str]:
    """Charts and document properties byte for byte (but the creation time)."""
    found = []
    with zipfile.ZipFile(ref) as za, zipfile.ZipFile(new) as zb:
        names_a = sorted(n for n in za.namelist() if n.startswith(("xl/charts/", "xl/drawings/", "docProps/")))
        names_b = sorted(n for n in zb.namelist() if n.startswith(("xl/charts/", "xl/drawings/", "docProps/")))
        if names_a != names_b:
            found.append(f"parts {names_a} != {names_b}")
        for name in set(names_a) & set(names_b):
            pa, pb = za.read(name), zb.read(name)
            if name == "docProps/core.xml":
                pa, pb = _CREATED.sub(b"", pa), _CREATED.sub(b"", pb)
            if pa != pb:
                found.append(f"part {name} differs")
    return found


def same_xml(ref: str, new: str) -> list[str]:
    """The worksheet parts that are not byte for byte the same (information only: a change in
    the order formats are made renumbers the style indices without changing any look)."""
    with zipfile.ZipFile(ref) as za, zipfile.ZipFile(new) as zb:
        return [n for n in za.namelist() if n.startswith("xl/") and n.endswith(".xml")
                and n in zb.namelist() and za.read(n) != zb.read(n)]


def main(ref: str, new: str) -> int:
    wa, wb = load_workbook(ref), load_workbook(new)
    problems = []
    if wa.sheetnames != wb.sheetnames:
        problems.append(f"sheets {wa.sheetnames} != {wb.sheetnames}")
    cells = 0
    for name in wa.sheetnames:
        if name in wb.sheetnames:
            problems += compare_sheet(wa[name], wb[name])
            cells += wa[name].max_row * wa[name].max_column
    if wa.defined_names.keys() != wb.defined_names.keys():
        problems.append("defined names differ")
    problems += compare_parts(ref, new)
    for name in same_xml(ref, new):
        print(f"(info) {name} not byte-identical")
    for line in problems:
        print(line)
    print(f"{'IDENTICAL' if not problems else 'DIFFERENT'}: {len(wa.sheetnames)} sheets, {cells} cells compared")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
