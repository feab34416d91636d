"""The Word layer: 公文 page setup (GB/T 9704-2012), fonts, paragraphs, page numbers, saving.

python-docx writes the documents. It sets a run's Latin font only (``font.name`` fills
``w:ascii``/``w:hAnsi``), so every run and style gets its East Asian font through
:func:`set_font`, the one place that writes ``w:eastAsia``. The page number field and the
fallback font names (``w:altName``) are the only other elements python-docx has no API for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from chuangyou import __version__
from chuangyou.errors import UsageError
from chuangyou.safeio import OutputKind, write_atomic
from chuangyou.textsafe import xml_text as clean

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"  # 一级标题
PAGE_FONT = "宋体"
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", "楷体_GB2312": "楷体"}  # names on systems without the GB2312 fonts

SIZE_2 = 22.0  # 二号: the title
SIZE_3 = 16.0  # 三号: the body
SIZE_4 = 14.0  # 四号: page numbers
SIZE_S4 = 12.0  # 小四: tables
SIZE_5 = 10.5  # 五号: clause texts in tables
LINE = 28.95  # fixed line spacing of the body: 22 lines in the 225 mm text block
TABLE_LINE = 1.0  # tables: single spacing

# GB/T 9704-2012 7.1: A4, 天头 37 mm, 订口 28 mm; the text block 156 × 225 mm.
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
# Forms (反馈表) print more on a page: a table, not a 公文 text block (165 × 255 mm).
FORM_MARGINS_MM = {"top": 22, "bottom": 20, "left": 25, "right": 20}


@dataclass(frozen=True)
class Kind:
    """What a document is, for its properties and for the overwrite rule."""

    title: str
    keyword: str  # "公示", "反馈表", "整改通知书"

    @property
    def output(self) -> OutputKind:
        """The kind in safeio's overwrite policy (the marker in the document's keywords)."""
        return OutputKind(self.keyword)


def set_font(target: Any, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Font of a run or a style, East Asian name included (python-docx sets only the Latin one)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    element = target.element if hasattr(target, "type") else target._r  # a style, else a run
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def new_document(kind: Kind, margins: dict[str, int] | None = None) -> Any:
    margins = margins or MARGINS_MM
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    # The page number sits about 7 mm under the text block (GB/T 9704 7.5).
    section.header_distance, section.footer_distance = Mm(15), Mm(max(margins["bottom"] - 12, 8))
    for style in doc.styles:
        if getattr(style, "type", None) is not None and hasattr(style, "font"):
            set_font(style, BODY_FONT)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_3)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE)
    _fallbacks(doc)
    page_numbers(doc, section)
    props = doc.core_properties
    props.title, props.author = kind.title, f"chuangyou {__version__}"
    # The marker: `rank` skips the file, and a later run may replace it (an own output).
    props.keywords = kind.output.keywords
    props.comments = "由 chuangyou 根据评定结果自动生成。"
    return doc


def _fallbacks(doc: Any) -> None:
    """``w:altName`` in the font table: Word and WPS use 宋体/仿宋 where the GB2312 fonts are missing."""
    from lxml import etree

    part = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    table = parse_xml(part.blob)  # python-docx keeps the font table as plain bytes
    for name, alternative in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        font.append(alt)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(paragraph: Any) -> None:
    """“— N —”: a PAGE field between two dashes, 4号宋体."""
    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        set_font(r, PAGE_FONT, SIZE_4)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text
    run(" —")


def page_numbers(doc: Any, section: Any) -> None:
    """Page numbers at the outer corner (GB/T 9704 7.5): odd pages right, even pages left,
    one character in from the edge of the text block."""
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(SIZE_4)
        else:
            fmt.left_indent = Pt(SIZE_4)
        _page_field(paragraph)


def paragraph(container: Any, text: str = "", *, font: str = BODY_FONT, size: float = SIZE_3,
              bold: bool = False, align: str = "justify", indent: bool = False, line: float | None = LINE,
              right_chars: float = 0, keep_next: bool = False) -> Any:
    """One paragraph of one run; ``indent``: the first line two characters in."""
    p = container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if keep_next:
        fmt.keep_with_next = True
    if text:
        run = p.add_run(clean(text))
        set_font(run, font, size, bold)
    return p


def add_run(p: Any, text: str, *, font: str = BODY_FONT, size: float = SIZE_3, bold: bool = False) -> Any:
    run = p.add_run(clean(text))
    set_font(run, font, size, bold)
    return run


TEXT_WIDTH_PT = (210 - MARGINS_MM["left"] - MARGINS_MM["right"]) * 72 / 25.4
# Where a title may break (GB/T 9704 7.3.3: 词意完整，排列对称): after these words, or before the second list.
_AFTER = ("关于", "年度", "党组织", "争先创优", "评定结果")
_BEFORE = ("的公示", "的通知", "的决定", "评定结果")


def width(text: str) -> float:
    """Printed width in characters: digits and Latin letters are half wide."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def title_lines(text: str, size: float = SIZE_2) -> list[str]:
    """A title too long for one line in two balanced lines, broken between words; line
    breaks written in the title (公示.yaml) are kept as they are."""
    if "\n" in text:
        return [line.strip() for line in text.split("\n") if line.strip()]
    per_line = TEXT_WIDTH_PT / size
    if width(text) <= per_line:
        return [text]
    cuts = {text.find(w) + len(w) for w in _AFTER if w in text} | {text.find(w) for w in _BEFORE if w in text}
    fitting = [c for c in cuts if 0 < c < len(text) and max(width(text[:c]), width(text[c:])) <= per_line]
    if not fitting:  # no known word: the middle
        return [text[: len(text) // 2], text[len(text) // 2 :]]
    cut = min(fitting, key=lambda c: abs(width(text[:c]) - width(text[c:])))
    return [text[:cut], text[cut:]]


def title(doc: Any, text: str, size: float = SIZE_2) -> None:
    """The title: 2号小标宋, centred, in balanced lines, one empty line below (GB/T 9704 7.3.3)."""
    p = paragraph(doc, font=TITLE_FONT, size=size, align="center", line=max(LINE, size * 1.3))
    lines = title_lines(clean(text), size)
    for n, line in enumerate(lines):
        run = add_run(p, line, font=TITLE_FONT, size=size)
        if n < len(lines) - 1:
            run.add_break()  # WD_BREAK.LINE, in the same run: every run keeps its fonts
    paragraph(doc, "")


def table(doc: Any, rows: Iterable[list[str]], widths_mm: list[float], *, header: bool = True,
          size: float = SIZE_S4, bold_first_col: bool = False) -> Any:
    """A bordered table, single-spaced; the first row is the header (bold, repeated on each page)."""
    rows = list(rows)
    t = doc.add_table(rows=len(rows), cols=len(widths_mm))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid: LibreOffice lays out by it, Word by the cells
    for r, values in enumerate(rows):
        row = t.rows[r]
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Mm(widths_mm[c])
            first = cell.paragraphs[0]
            bold = (header and r == 0) or (bold_first_col and c == 0)
            lines = clean(value).split("\n")
            for n, text in enumerate(lines):
                p = first if n == 0 else cell.add_paragraph()
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
                if header and r == 0:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if text:
                    add_run(p, text, size=size, bold=bold)
        if header and r == 0:
            mark = OxmlElement("w:tblHeader")
            row._tr.get_or_add_trPr().append(mark)
    return t


def shrink(cell: Any, size: float) -> None:
    """Every run of a table cell in a smaller size (a clause under its item)."""
    for p in cell.paragraphs:
        for run in p.runs:
            run.font.size = Pt(size)


def page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def new_page_section(doc: Any) -> Any:
    """A new section starting on a new page, page numbers restarting from 1 (one per organization)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    number = section._sectPr.find(qn("w:pgNumType"))
    if number is None:
        number = OxmlElement("w:pgNumType")
        section._sectPr.append(number)
    number.set(qn("w:start"), "1")
    return section


def check_replace(path: Path, kind: Kind, force: bool) -> None:
    """safeio's overwrite policy, for a file that is not written yet (the 反馈表 of a whole
    batch are checked before the first is written): an existing file is replaced only if
    it is our own earlier output of the same kind, or with --force."""
    from chuangyou.safeio import is_own_output, refuse_overwrite

    if force or not os.path.lexists(path) or path.is_dir():
        return
    if not is_own_output(path, kind.output):
        raise refuse_overwrite(path, kind.output)


def save(doc: Any, path: Path, kind: Kind, inputs: Iterable[Path] = (), *, force: bool = False) -> None:
    """Write atomically, never over an input, replacing only what the overwrite rule allows."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise UsageError(f"输出文件“{path.name}”应以 .docx 结尾（Word 文档）")
    write_atomic(path, lambda tmp: doc.save(str(tmp)), inputs, kind=kind.output, force=force)
