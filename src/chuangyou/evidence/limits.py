"""Bounds on what a workbook can make the readers do, checked before either reader runs.

A 6 KB workbook whose only cell is XFD1048576 made calamine try to allocate 550 GB and
abort the whole process (no exception to catch); a 1 MB zip can hold 1 GB of sheet XML;
a million rows take calamine 460 MB and openpyxl 9 s. So, before any reader touches a file:

- the file itself, the number of zip members and their declared uncompressed sizes are
  bounded (the zip directory is read, nothing is inflated);
- every XML part is streamed once in small chunks, through Python's zipfile, which never
  inflates past the declared size and fails on a CRC mismatch: a member lying about its
  size is "damaged", never a bomb. The same pass refuses a DOCTYPE (entity expansion);
- each worksheet that will be read is scanned for its last row and column (the used range
  calamine allocates densely) and for merged cells (used in messages).

The limits are generous for the template (about 100 rows × 9 columns, a few hundred KB)
and documented in docs/reliability.md.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # on disk; photos belong in the 佐证材料 sent separately
MAX_MEMBERS = 10_000  # an .xlsx has tens of parts, a few hundred with many pictures
MAX_SHEET_BYTES = 50 * MB  # each worksheet's XML, uncompressed (streamed by both readers)
# Every other XML part (workbook, styles, shared strings …) is parsed whole, into memory, by
# one reader or both: 47 MB of styles took openpyxl 15 s and 735 MB, 50 MB of workbook.xml
# took calamine 5 s and 518 MB. Real ones are a few KB, a bloated one a few MB.
MAX_PART_BYTES = 5 * MB
MAX_TOTAL_BYTES = 200 * MB  # all parts together, uncompressed
MAX_ROWS = 100_000  # per sheet read (the template has about 100)
MAX_CELLS = 500_000  # rows × columns of the used range of a sheet read (0.5 s calamine, 3 s openpyxl)
# Lists of per-element settings a sheet can hold after its cells, each element an object in a
# reader or in our scan: 1.5 million merged ranges in a 125 KB file took 20 s and 241 MB
# (openpyxl: 1 GB, 150 s). The template has none of them beyond a few dozen validations.
MAX_LISTED = 10_000
LISTED = {"mergeCell": "合并单元格", "hyperlink": "超链接", "dataValidation": "数据有效性设置", "cfRule": "条件格式规则"}
EXCEL_COLUMNS = 16_384  # XFD
CHUNK = 1 * MB

DOCTYPE_PATTERN = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_DIGITS = "0123456789"
_COLUMNS = {chr(65 + i): i + 1 for i in range(26)}  # the usual single letters, without arithmetic
# The quick scan: rows and cells whose first attribute is their address (as Excel, WPS and
# openpyxl write them).
_ROW_R = re.compile(rb'<row r="([0-9]{1,7})"')
_CELL_R = re.compile(rb'<c r="([A-Za-z]{1,3})([0-9]{1,7})"')
_MERGE_REF = re.compile(rb'<mergeCell ref="([^"]*)"')
_LISTED_WORDS = tuple(name.encode("ascii") for name in LISTED)
_LISTED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(mergeCell|hyperlink|dataValidation|cfRule)[\s/>]")
# A row or cell start tag whose first attribute is not its address (one search, no list).
_ROW_OTHER = re.compile(rb'<row(?! r="[0-9]{1,7}")[\s/>]')
_CELL_OTHER = re.compile(rb'<c(?! r=")[\s/>]')
# A cell address that is not one capital and at most N digits (N = 1 … 3), closed by '"'.
_CELL_BEYOND = {n: re.compile(rb'<c r="(?![A-Z][0-9]{1,%d}")' % n) for n in range(1, 4)}
# Namespace prefixes, and an attribute r after a tab, a line break or straight after a quote
# (plain substring tests: a regular expression starting with a class scans ten times slower).
# calamine reads <c r="A1"r="XFD1048576"> as XFD1048576 and aborted on it.
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")  # <x:c …>, <x:row …>: a prefixed cell or row
# Rarer bytes are looked for first (one memchr each) before the pair that matters.
_ODD_AFTER = ((b"\t", b"\tr"), (b"\n", b"\nr"), (b"\r", b"\rr"), (b"'", b"'r="))
_SPACED_R = re.compile(rb" r[\t\n\r ]")

QUICK_BYTES = 4 * MB
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


# What zipfile and zlib raise on a damaged archive: a bad directory or CRC, a corrupt deflate
# stream (zlib.error, found by fuzzing), an encrypted member (RuntimeError), an unknown
# compression method (NotImplementedError), a malformed entry (ValueError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, KeyError,
              NotImplementedError, RuntimeError, ValueError)


class LimitError(Exception):
    """A workbook over a limit, or damaged in a way the limits detect; ``message`` is Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


DAMAGED_ZIP = "文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试"
DAMAGED = "工作簿内容已损坏，无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"
SAVE_AS = "请在 Excel 或 WPS 中打开，选择“另存为”→“Excel 工作簿（*.xlsx）”后再试"
DOCTYPE = f"工作簿含有 Excel/WPS 不会写入的 XML 声明（DOCTYPE），已拒绝读取；{SAVE_AS}"
BAD_REF = "工作簿内容已损坏（单元格地址无法识别），无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"


def _mb(size: int) -> str:
    return f"{size / MB:.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def check_file_size(path: Path, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise LimitError(
            f"文件过大（{_mb(size)} MB，上限 {MAX_FILE_BYTES // MB} MB），不像证明材料工作簿；"
            "如在工作簿中插入了照片等图片，请删除后另存，佐证材料另行提交"
        )


def check_member_count(data: bytes) -> None:
    """Read the member count from the end-of-central-directory record, before zipfile
    builds an object per member (a crafted directory of a million entries costs ~500 MB)."""
    tail = data[-65_557:]  # the record (22 bytes) + the longest comment
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return  # zipfile will report the damage in its own way
    count = struct.unpack_from("<H", tail, at + 10)[0]
    if count == 0xFFFF or count > MAX_MEMBERS:  # 0xFFFF: ZIP64, never needed by a workbook
        raise LimitError(f"压缩包内的文件过多（超过 {MAX_MEMBERS} 个），不像证明材料工作簿，已拒绝读取")


def parsed_parts(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members a reader parses as XML (pictures and other media are never parsed)."""
    return [i for i in archive.infolist() if i.filename.lower().endswith((".xml", ".rels"))]


def check_sizes(archive: zipfile.ZipFile) -> None:
    """Declared sizes only: nothing is inflated, so a zip bomb costs nothing to refuse."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise LimitError(f"压缩包内的文件过多（超过 {MAX_MEMBERS} 个），不像证明材料工作簿，已拒绝读取")
    for info in parsed_parts(archive):
        limit = MAX_SHEET_BYTES if info.filename.startswith("xl/worksheets/") else MAX_PART_BYTES
        if info.file_size > limit:
            raise LimitError(
                f"工作簿中的 {info.filename} 解压后有 {_mb(info.file_size)} MB，超过 {limit // MB} MB "
                "的上限，已拒绝读取（文件可能被恶意构造，即“压缩炸弹”）"
            )
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise LimitError(f"文件解压后超过 {MAX_TOTAL_BYTES // MB} MB，不像证明材料工作簿，已拒绝读取")


def read_member(archive: zipfile.ZipFile, data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One member's bytes, as ``archive.read(info)`` returns them, for an archive held in
    memory as ``data``: a stored or deflated member is inflated straight from ``data``
    (zipfile's file object costs ~20 µs per member, as much as inflating it), bounded by
    its declared size and checked against its CRC. Anything unusual goes to zipfile."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x61:
        return archive.read(info)  # other methods, encrypted or patched: zipfile's own answer
    try:
        packed = _packed(data, info)
    except zipfile.BadZipFile:
        # A damaged header or size: zipfile decides (it may still read the member: a
        # deflated one ends with its stream, whatever the directory says its size is).
        return archive.read(info)
    if info.file_size == 0:
        text = b""  # zlib reads a limit of 0 as "no limit": never inflate for it
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        text = zlib.decompressobj(-15).decompress(packed, info.file_size)
    else:
        text = packed[:info.file_size]
    if zlib.crc32(text) != info.CRC:  # zipfile's test too: the size only bounds the work
        raise zipfile.BadZipFile("member damaged")
    return text


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """The member's name as the zip stores it."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "surrogateescape")


def _packed(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes as stored in ``data`` (compressed or not), after the checks
    zipfile makes of its local header; BadZipFile otherwise."""
    start = info.header_offset
    if data[start:start + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("bad local header")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    if data[start + 30:start + 30 + name_length] != raw_name(info):
        raise zipfile.BadZipFile("member name differs from the directory")
    begin = start + 30 + name_length + extra_length
    end = getattr(info, "_end_offset", None)  # where the next member starts (zipfile ≥ 3.11.4)
    if end is not None and begin + info.compress_size > end:
        raise zipfile.BadZipFile("overlapped entries")  # as zipfile: a possible zip bomb
    packed = data[begin:begin + info.compress_size]
    if len(packed) != info.compress_size:
        raise zipfile.BadZipFile("member truncated")
    return packed


STORED_COPY_BYTES = 4 * MB  # files up to this size are handed to the readers uncompressed
STORED_PARTS_BYTES = 16 * MB  # at most this much of their inflated XML is kept for it (the rest stays packed)


def stored_copy(archive: zipfile.ZipFile, data: bytes, inflated: dict[int, bytes]) -> bytes | None:
    """The zip ``data`` again, with each member whose bytes were inflated and checked
    (``inflated``: id of its ZipInfo → bytes) stored uncompressed, every other member copied
    as it is, in the same order under the same names; None when a member cannot be copied
    faithfully (the caller then hands the readers the original).

    calamine reads a stored member about 0.12 ms faster per workbook than inflating it
    again, and reads exactly the bytes that were checked. Written by hand because zipfile
    would compute every CRC again and costs more per member than the saving.
    """
    body: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for info in archive.infolist():
        name = raw_name(info)
        flags = info.flag_bits & 0x800
        text = inflated.get(id(info))
        if text is not None:
            method, packed, size = zipfile.ZIP_STORED, text, len(text)
        else:
            try:
                packed = _packed(data, info)
            except zipfile.BadZipFile:
                return None
            method, size, flags = info.compress_type, info.file_size, info.flag_bits & ~0x08  # sizes below
        # Version 20, no extra fields, DOS date 1980-01-01: nothing a reader looks at.
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 33, info.CRC,
                             len(packed), size, len(name), 0)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 33, info.CRC,
                                   len(packed), size, len(name), 0, 0, 0, 0, 0, offset) + name)
        body += (header, name, packed)
        offset += len(header) + len(name) + len(packed)
    directory = b"".join(central)
    body += (directory, struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central),
                                    len(directory), offset, 0))
    return b"".join(body)


def chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The member's bytes in bounded pieces; zipfile stops at the declared size and raises
    BadZipFile when the content does not match it (CRC)."""
    with archive.open(name) as member:
        while True:
            piece = member.read(CHUNK)
            if not piece:
                return
            yield piece


def has_doctype(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether a part declares a DOCTYPE (streamed; the needle may straddle two chunks)."""
    keep = len(b"<!DOCTYPE") - 1
    tail = b""
    for piece in chunks(archive, name):
        window = tail + piece
        if DOCTYPE_PATTERN.search(window):
            return True
        tail = window[-keep:]
    return False


def resolve_target(target: str) -> str:
    """A relationship target of xl/workbook.xml as a zip member name ("" when outside)."""
    if target.startswith("/"):
        member = posixpath.normpath(target.lstrip("/"))
    else:
        member = posixpath.normpath(posixpath.join("xl", target))
    return "" if member.startswith("../") or member == ".." else member


@dataclass
class SheetShape:
    """What the scan of one worksheet found: its used range and its merged cells."""

    rows: int = 0  # last row that has a <row> or <c> element (1-based)
    columns: int = 0  # last column likewise (1-based)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r1, c1, r2, c2

    _by_column: dict[int, list[tuple[int, int, int, int]]] = field(default_factory=dict, repr=False)

    def merged_range(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        # Only the value columns are asked about: the ranges crossing each are sorted out
        # once (up to MAX_LISTED ranges, asked about for every blank value cell).
        areas = self._by_column.get(col)
        if areas is None:
            areas = self._by_column[col] = [a for a in self.merged if a[1] <= col <= a[3]]
        for area in areas:
            if area[0] <= row <= area[2]:
                return area
        return None


def _column(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _cell(ref: str) -> tuple[int, int] | None:
    """``"G7"`` → (7, 7): 1-based row and column, or None when not a cell address."""
    found = _REF.fullmatch(ref.strip())
    if not found:
        return None
    return int(found.group(2)), _column(found.group(1))


class _Scan:
    """expat handlers: cells are counted inside <sheetData> only, as the readers do."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.shape = SheetShape()
        self.in_data = False
        self.row = 0
        self.col = 0
        self.counts: dict[str, int] = {}

    def listed(self, name: str) -> None:
        count = self.counts[name] = self.counts.get(name, 0) + 1
        if count > MAX_LISTED:
            what = LISTED[name]
            raise LimitError(f"工作表“{self.sheet}”中的{what}过多（超过 {MAX_LISTED} 个），不像证明材料工作簿；"
                             f"请删除多余的{what}后另存再试")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        # Called for every element of the sheet: the common names are tested first.
        if ":" in name:
            name = name.rpartition(":")[2]
        if name == "c":
            if self.in_data:
                self._cell(attrs.get("r"))
        elif name == "row":
            if self.in_data:
                ref = attrs.get("r")
                self.row = self.row + 1 if ref is None else self._number(ref)
                self.col = 0
                if self.row > self.shape.rows:
                    self.grow(self.row, 0)
        elif name == "sheetData":
            self.in_data = True
        elif name in LISTED:
            self.listed(name)
            if name == "mergeCell":
                self.merge(attrs.get("ref"))

    def _cell(self, ref: str | None) -> None:
        if ref is None:
            self.col += 1
            row = max(self.row, 1)
        else:
            letters = ref.rstrip(_DIGITS)
            digits = ref[len(letters):]
            if not (0 < len(letters) <= 3 and letters.isalpha() and letters.isascii() and digits.isdigit()):
                raise LimitError(BAD_REF)
            row = int(digits)
            self.col = _COLUMNS.get(letters) or _column(letters)
        if row > self.shape.rows or self.col > self.shape.columns:
            self.grow(row, self.col)

    def end(self, name: str) -> None:
        if name.rpartition(":")[2] == "sheetData":
            self.in_data = False

    @staticmethod
    def doctype(*_: object) -> None:
        raise LimitError(DOCTYPE)

    def _number(self, text: str) -> int:
        if not text.strip().isdigit():
            raise LimitError(BAD_REF)
        return int(text)

    def merge(self, ref: str | None) -> None:
        first, _, last = (ref or "").partition(":")
        start, end = _cell(first), _cell(last or first)
        if start is None or end is None:
            return  # a merged range we cannot read only costs a better message
        self.shape.merged.append((start[0] - 1, start[1] - 1, end[0] - 1, end[1] - 1))

    def grow(self, row: int, col: int) -> None:
        shape = self.shape
        if row > shape.rows:
            if row > MAX_ROWS:
                raise LimitError(
                    f"工作表“{self.sheet}”超过 {MAX_ROWS} 行（第 {row} 行仍有内容或格式），不像证明材料工作簿；"
                    "如有大量空行，请选中多余的行删除后另存再试"
                )
            shape.rows = row
        if col > shape.columns:
            if col > EXCEL_COLUMNS:
                raise LimitError(BAD_REF)
            shape.columns = col
        if shape.rows * shape.columns > MAX_CELLS:
            raise LimitError(
                f"工作表“{self.sheet}”的使用范围过大（{shape.rows} 行 × {shape.columns} 列，"
                f"超过 {MAX_CELLS} 个单元格的上限）；请删除多余的行和列（包括只设置了格式的空白单元格）后另存再试"
            )


def scan_sheet(archive: Callable[[], zipfile.ZipFile], member: str, sheet: str,
               data: bytes | None = None, *, checked: bool = False) -> SheetShape:
    """One worksheet's used range (refused over the limits) and merged cells.

    ``data`` is the member's XML when the caller already inflated it (``checked``: and
    refused a DOCTYPE in it, as :mod:`chuangyou.evidence.package` does); ``archive`` opens
    the zip, only when the member must be read from it. A sheet of ordinary size is first
    read with a few C-level regular expressions (0.1 ms for the template); when every
    <row> and <c> tag did not yield its address that way (cells without addresses, quotes
    or entities inside tags, a crafted file), and for big sheets, it is parsed with
    expat, which sees a well-formed sheet exactly as the readers do and refuses a
    malformed one instead of half-understanding it.
    """
    if data is None:
        with archive() as opened:
            if opened.getinfo(member).file_size <= QUICK_BYTES:
                data = b"".join(chunks(opened, member))
            else:
                return _parse(opened, member, sheet)
    if not checked and DOCTYPE_PATTERN.search(data):
        raise LimitError(DOCTYPE)
    shape = _quick(data, sheet)
    if shape is not None:
        return shape
    with archive() as opened:
        return _parse(opened, member, sheet)


def _quick(data: bytes, sheet: str) -> SheetShape | None:
    """The used range from a few C-level searches and counts, or None.

    Sound because every start tag of a row or a cell is looked at (after an element name
    XML allows only whitespace, "/" or ">") and every attribute named r is counted, however
    quoted; only when each tag has its address as first attribute and no tag has a second
    r (calamine takes the last of two: a crafted sheet crashed it that way) is the result
    used. An address spelled with an entity does not match, so it too makes the counts
    differ. A namespace prefix sends the sheet to expat.
    """
    if _odd(data) or _SPACED_R.search(data):
        return None
    if _ROW_OTHER.search(data) or _CELL_OTHER.search(data):
        return None
    rows = _ROW_R.findall(data)
    cells = data.count(b'<c r="')
    single = data.count(b" r='") if b"'" in data else 0  # memchr first: quotes are rare
    if len(rows) + cells != data.count(b' r="') + single:
        return None
    last_row = max(map(int, rows), default=0)
    # Every cell's address is now known to follow `<c r="`. When each is one capital and
    # no more digits than the last row number has (the template: A–I, rows under 100),
    # the used range is within that many rows and 26 columns: an upper bound, found
    # without running any Python code per cell. Otherwise each address is read.
    # (999 × 26 is far within the limits, so a bound never refuses a sheet.)
    digits = len(str(last_row))
    if cells and (digits > 3 or _CELL_BEYOND[digits].search(data)):
        return _quick_exact(data, sheet, rows)
    scan = _Scan(sheet)
    scan.grow(10**digits - 1 if cells else last_row, 26 if cells else 0)
    _merges(scan, data)
    return scan.shape


def _quick_exact(data: bytes, sheet: str, rows: list[bytes]) -> SheetShape | None:
    cells = _CELL_R.findall(data)
    if len(cells) != data.count(b'<c r="'):
        return None
    letters, digits = zip(*cells, strict=True)
    last_row = max(map(int, {*rows, *digits}))
    widest = max((x.upper() for x in set(letters)), key=lambda x: (len(x), x))
    scan = _Scan(sheet)
    scan.grow(last_row, _column(widest.decode("ascii")))
    _merges(scan, data)
    return scan.shape


def _merges(scan: _Scan, data: bytes) -> None:
    """Counts the listed elements (refused past MAX_LISTED, stopping there) and reads the
    merged ranges."""
    # An upper bound first, from C-level counts (the template holds a few dozen
    # validations): only a sheet that may be over the limit is counted exactly.
    if any(data.count(b"<" + word) + data.count(b":" + word) > MAX_LISTED for word in _LISTED_WORDS):
        for found in _LISTED_TAG.finditer(data):
            scan.listed(found.group(1).decode("ascii"))
    if b"mergeCell" in data:
        for ref in _MERGE_REF.findall(data):
            scan.merge(ref.decode("ascii", "replace"))


def _odd(data: bytes) -> bool:
    if b'"r=' in data or _PREFIXED.search(data):
        return True
    return any(byte in data and odd in data for byte, odd in _ODD_AFTER)


def _parse(archive: zipfile.ZipFile, member: str, sheet: str) -> SheetShape:
    scan = _Scan(sheet)
    parser = expat.ParserCreate()
    parser.StartElementHandler = scan.start
    parser.EndElementHandler = scan.end
    parser.StartDoctypeDeclHandler = scan.doctype
    parser.EntityDeclHandler = scan.doctype
    try:
        for piece in chunks(archive, member):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise LimitError(DAMAGED) from None
    return scan.shape
