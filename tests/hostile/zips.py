"""Zip-level hostile workbooks: edits of a clean workbook's parts, bombs, liars, junk.

Each builder returns the members to replace (``_members`` writes them into a copy of the
clean workbook) or writes the file itself.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from chuangyou.evidence import limits
from chuangyou.rubric import Rubric, resolve
from evidence_helpers import write_workbook
from hostile.craft import Member, deflated, read_members, repeated, rezip, write_zip

SHEET = "xl/worksheets/sheet2.xml"  # 考评数据 as evidence_helpers writes it


@cache
def village() -> Rubric:
    return resolve("village")


def good(path: Path, *, name: str = "城关村党支部", edit: Callable[[Workbook], None] | None = None,
          **values: Any) -> Path:
    info = {"组织名称": name}
    return write_workbook(path, village(), info=info, edit=edit, **values)


@cache
def base() -> bytes:
    """A clean workbook's bytes (built once; the zip-level cases edit its members)."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    path = good(folder / "base.xlsx")
    data = path.read_bytes()
    path.unlink()
    folder.rmdir()
    return data


def _from_base(path: Path, replace: dict[str, Member | bytes], drop: tuple[str, ...] = ()) -> None:
    source = path.with_name(".base-" + path.name)
    source.write_bytes(base())
    rezip(path, source, replace, drop=drop)
    source.unlink()


def sheet_with(rows_xml: bytes) -> bytes:
    """考评数据 of the clean workbook with ``rows_xml`` appended to its sheetData."""
    text = base_members()[SHEET]
    return text.replace(b"</sheetData>", rows_xml + b"</sheetData>", 1)


@cache
def base_members() -> dict[str, bytes]:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    path = folder / "base.xlsx"
    path.write_bytes(base())
    members = read_members(path)
    path.unlink()
    folder.rmdir()
    return members


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content) and None


def members(replace: Callable[[], dict[str, Member | bytes]], drop: tuple[str, ...] = ()) -> Callable[[Path], None]:
    return lambda path: _from_base(path, replace(), drop)


# -- zip-level builders ----------------------------------------------------------------------

def truncated(path: Path) -> None:
    data = base()
    path.write_bytes(data[: len(data) // 2])


def bomb_sheet() -> dict[str, Member | bytes]:
    """1 GiB of sheet XML (rows of one cell, repeated) in about 1 MB of deflate."""
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    body = b" " * (1024 * 1024)  # whitespace between rows: inflates ~1000:1
    data, crc, size = repeated(head, body, 1024, b"</sheetData>" + tail)
    return {SHEET: Member(SHEET, data, crc, size)}


def lying_sheet() -> dict[str, Member | bytes]:
    """The zip directory says 40 KB, the deflate stream inflates to 1 GiB."""
    member = bomb_sheet()[SHEET]
    assert isinstance(member, Member)
    return {SHEET: Member(SHEET, member.data, member.crc, member.size, declared=40_000)}


def zero_sized_sheet() -> dict[str, Member | bytes]:
    """The zip directory says 0 bytes (zlib reads a limit of 0 as "no limit"), the deflate
    stream inflates to 1 GiB."""
    member = bomb_sheet()[SHEET]
    assert isinstance(member, Member)
    return {SHEET: Member(SHEET, member.data, member.crc, member.size, declared=0)}


def shared_strings_bomb() -> dict[str, Member | bytes]:
    rels = base_members()["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" /></Relationships>')
    data, crc, size = repeated(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                               b"<si><t>x</t></si>" * 4096, 1600, b"</sst>")
    return {"xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": Member("xl/sharedStrings.xml", data, crc, size)}


def million_rows() -> dict[str, Member | bytes]:
    """1,000,000 more rows of one number each (34 MB of XML, 130 KB zipped): under the size
    limit, so only the row limit stops it."""
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    rows = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (n, n) for n in range(100, 1100))
    body = b'<row><c t="n"><v>1</v></c></row>' * 1000
    data, crc, size = repeated(head + rows, body, 999, b"</sheetData>" + tail)
    return {SHEET: Member(SHEET, data, crc, size)}


def million_rows_narrow() -> dict[str, Member | bytes]:
    """考评数据 replaced by a million rows of one cell: one column wide, it meets the row limit."""
    data, crc, size = repeated(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                               b"<sheetData>", b'<row><c t="n"><v>1</v></c></row>' * 1000, 1000,
                               b"</sheetData></worksheet>")
    return {SHEET: Member(SHEET, data, crc, size)}


def comment_padding() -> dict[str, Member | bytes]:
    """A bomb that stays under every limit: 45 MB of XML comment inside the sheet. Read."""
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    body = b"<!--" + b"x" * (1024 * 1024 - 8) + b"-->" + b" "
    data, crc, size = repeated(head, body, 45, b"</sheetData>" + tail)
    return {SHEET: Member(SHEET, data, crc, size)}


def many_parts() -> dict[str, Member | bytes]:
    """Another bomb under every limit: 45 custom XML parts of 4 MB each (180 MB in all, a
    200 KB file) that no reader needs. Read, without holding them all in memory."""
    body = b"<!--" + b"x" * (1024 * 1024 - 8) + b"-->"
    data, crc, size = repeated(b'<?xml version="1.0"?><root>', body, 4, b"</root>")
    return {f"customXml/item{n}.xml": Member(f"customXml/item{n}.xml", data, crc, size) for n in range(1, 46)}


def laughs(root: bytes) -> bytes:
    lines = [b'<!DOCTYPE lolz [<!ENTITY lol "lol">']
    previous = b"lol"
    for n in range(1, 10):
        name = b"lol%d" % n
        lines.append(b'<!ENTITY %s "%s">' % (name, (b"&" + previous + b";") * 10))
        previous = name
    return b"<?xml version=\"1.0\"?>" + b"".join(lines) + b"]>" + root.replace(b"LAUGH", b"&lol9;")


def laughs_in_sheet() -> dict[str, Member | bytes]:
    sheet = sheet_with(b'<row r="200"><c r="A200" t="inlineStr"><is><t>LAUGH</t></is></c></row>')
    return {SHEET: laughs(sheet)}


def laughs_in_shared_strings() -> dict[str, Member | bytes]:
    parts = shared_strings_bomb()
    parts["xl/sharedStrings.xml"] = laughs(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>LAUGH</t></si></sst>')
    return parts


def far_cell() -> dict[str, Member | bytes]:
    """The last cell of a sheet, XFD1048576, in 6 KB: calamine allocated 550 GB for it and
    aborted the process (a regression case: the sheet scan must refuse it first)."""
    return {SHEET: sheet_with(b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>')}


def wide_cell() -> dict[str, Member | bytes]:
    return {SHEET: sheet_with(b'<row r="5000"><c r="XFD5000" t="n"><v>1</v></c></row>')}


def duplicate_address() -> dict[str, Member | bytes]:
    """Two r attributes: calamine takes the last (and aborted on this one)."""
    return {SHEET: sheet_with(b'<row r="200"><c r="A200" r="XFD1048576" t="n"><v>1</v></c></row>')}


def glued_address() -> dict[str, Member | bytes]:
    """A second r with no space before it: not XML, but calamine took it (and aborted)."""
    return {SHEET: sheet_with(b'<row r="200"><c r="A200"r="XFD1048576" t="n"><v>1</v></c></row>')}


def entity_address() -> dict[str, Member | bytes]:
    """An address spelled with a character reference (&#88; is X) must be seen as XFD…."""
    return {SHEET: sheet_with(b'<row r="200"><c r="&#88;FD200000" t="n"><v>1</v></c></row>')}


def bad_address() -> dict[str, Member | bytes]:
    return {SHEET: sheet_with(b'<row r="200"><c r="7G" t="n"><v>1</v></c></row>')}


def broken_xml() -> dict[str, Member | bytes]:
    return {SHEET: base_members()[SHEET].replace(b"</sheetData>", b"<row>", 1)}


def escaping_target() -> dict[str, Member | bytes]:
    rels = base_members()["xl/_rels/workbook.xml.rels"]
    return {"xl/_rels/workbook.xml.rels": rels.replace(b"/xl/worksheets/sheet2.xml", b"../../../etc/passwd")}


def bloated_workbook_xml() -> dict[str, Member | bytes]:
    workbook = base_members()["xl/workbook.xml"]
    names = b"".join(b'<definedName name="n%d">\xe8\x80\x83\xe8\xaf\x84\xe6\x95\xb0\xe6\x8d\xae!$A$1</definedName>'
                     % n for n in range(200_000))
    empty = b"<definedNames />" if b"<definedNames />" in workbook else b"<definedNames/>"  # ElementTree or lxml
    assert empty in workbook
    return {"xl/workbook.xml": workbook.replace(empty, b"<definedNames>" + names + b"</definedNames>")}


def doctype_in_workbook() -> dict[str, Member | bytes]:
    workbook = base_members()["xl/workbook.xml"]
    return {"xl/workbook.xml": b'<!DOCTYPE workbook SYSTEM "http://example.invalid/x.dtd">' + workbook}


def crc_flip(path: Path) -> None:
    """One byte of the compressed sheet changed: the CRC check catches it."""
    members = base_members()
    parts = [deflated(n, c) for n, c in members.items()]
    for i, m in enumerate(parts):
        if m.name == SHEET:
            data = bytearray(m.data)
            data[len(data) // 2] ^= 0x01
            parts[i] = Member(m.name, bytes(data), m.crc, m.size)
    write_zip(path, parts)


def many_members(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, content in base_members().items():
            archive.writestr(name, content)
        for n in range(limits.MAX_MEMBERS + 1):
            archive.writestr(f"x/{n}", b"")


def huge_file(path: Path) -> None:
    """51 MB on disk (sparse: nothing is written but the zip signature)."""
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * 1024 * 1024)


def ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")


def xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace text inside the sheets of the workbook at ``path`` (openpyxl cuts cell text
    at Excel's 32,767 characters; a crafted file need not)."""
    parts = read_members(path)
    found = False
    for name in ("xl/worksheets/sheet1.xml", SHEET):
        if old.encode() in parts[name]:
            parts[name] = parts[name].replace(old.encode(), new.encode())
            found = True
    assert found, f"{old!r} not in the sheets"
    write_zip(path, [deflated(n, c) for n, c in parts.items()])


def text_cell(sheet: str, ref: str, value: str) -> Callable[[Workbook], None]:
    """An edit putting text in a cell as typed, even "=1+1" (openpyxl would make it a formula)."""

    def edit(workbook: Workbook) -> None:
        cell = workbook[sheet][ref]
        cell.value = value
        cell.data_type = "s"

    return edit


def crafted_name(path: Path, name: str) -> Path:
    """A clean workbook whose 组织名称 (基本信息!B2) is ``name``, stored as text."""
    return good(path, edit=text_cell("基本信息", "B2", name))


def largest_sheet() -> dict[str, Member | bytes]:
    """The biggest 考评数据 the limits let through: nine numbers a row (A:I, as the template)
    down to the row where the used range reaches MAX_CELLS (55,555 rows, 22 MB of XML).
    Read, within 300 MB and 10 s by both readers."""
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    columns = [bytes([c]) for c in b"ABCDEFGHI"]
    last = limits.MAX_CELLS // len(columns)
    rows = b"".join(b'<row r="%d">' % r + b"".join(b'<c r="%b%d" t="n"><v>%d</v></c>' % (c, r, r) for c in columns)
                    + b"</row>" for r in range(91, last + 1))
    return {SHEET: head + rows + b"</sheetData>" + tail}


def _after_sheet_data(element: bytes, count: int, block: bytes, close: bytes) -> dict[str, Member | bytes]:
    """考评数据 with ``count`` × 1000 copies of ``block`` in ``element`` after sheetData
    (where Excel writes merges, validations and links), deflated without building them."""
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    data, crc, size = repeated(head + b"</sheetData>" + element, block * 1000, count, close + tail)
    return {SHEET: Member(SHEET, data, crc, size)}


def merge_bomb() -> dict[str, Member | bytes]:
    """1.5 million merged ranges in about 125 KB (took 20 s and 241 MB to read)."""
    return _after_sheet_data(b'<mergeCells count="1500000">', 1500, b'<mergeCell ref="K1:L1"/>', b"</mergeCells>")


def hyperlink_bomb() -> dict[str, Member | bytes]:
    """A million hyperlinks (to a cell of the sheet: no relationship needed)."""
    return _after_sheet_data(b"<hyperlinks>", 1000, b'<hyperlink ref="K1" location="A1"/>', b"</hyperlinks>")


def validation_bomb() -> dict[str, Member | bytes]:
    """600,000 data validations."""
    return _after_sheet_data(b'<dataValidations count="600000">', 600,
                             b'<dataValidation type="whole" sqref="K1"><formula1>0</formula1></dataValidation>',
                             b"</dataValidations>")


def _merges(count: int) -> dict[str, Member | bytes]:
    head, _, tail = base_members()[SHEET].partition(b"</sheetData>")
    merges = b"".join(b'<mergeCell ref="K%d:L%d"/>' % (n, n) for n in range(1, count + 1))
    return {SHEET: head + b'</sheetData><mergeCells count="%d">' % count + merges + b"</mergeCells>" + tail}


def merges_over_limit() -> dict[str, Member | bytes]:
    """10,001 merged ranges (260 KB of XML: the sheet is scanned without expat)."""
    return _merges(limits.MAX_LISTED + 1)


def merges_at_limit() -> dict[str, Member | bytes]:
    """10,000 merged ranges, beside the data: read."""
    return _merges(limits.MAX_LISTED)
