"""What kind of file we were handed, before any spreadsheet library touches it.

A branch secretary may send a legacy .xls, a WPS .et, an .ods, a CSV, a password-protected
workbook or a half-downloaded file. Each gets one Chinese message saying how to fix it.
The zip is also checked here so that both readers (calamine and openpyxl) refuse the same
files: a DOCTYPE (never written by Excel/WPS; the vector for entity expansion attacks) or
sizes over the limits of :mod:`chuangyou.evidence.limits` (zip bombs).
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError, fromstring

from chuangyou.errors import EvidenceError, Problem, path_text
from chuangyou.evidence import limits
from chuangyou.evidence.limits import DAMAGED, DAMAGED_ZIP, DOCTYPE, SAVE_AS, LimitError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")

__all__ = ["DAMAGED", "DAMAGED_ZIP", "SAVE_AS", "Package", "file_error", "open_package"]


def file_error(path: Path, message: str) -> EvidenceError:
    return EvidenceError("证明材料工作簿无法读取", [Problem(path_text(path.name), message)])


@dataclass(frozen=True)
class Package:
    """An .xlsx zip that passed the checks: read once, kept in memory while it is read.

    ``xml`` holds the inflated XML of each worksheet of ordinary size (every part was
    inflated once to be checked; the sheets are kept for the scan of their used range
    and for the formula check, instead of being inflated again from the file).
    ``readable`` is what the readers get: for a workbook of ordinary size the same zip with
    the checked parts stored uncompressed (:func:`limits.stored_copy`), else the file.
    """

    path: Path
    sheet_parts: dict[str, str]  # sheet name as written in the workbook → zip member
    data: bytes = b""  # the whole file, as it was checked
    xml: dict[str, bytes] = field(default_factory=dict, repr=False)
    members: frozenset[str] = frozenset()  # every member's name
    readable: bytes = field(default=b"", repr=False)
    styles: bytes = field(default=b"", repr=False)  # the styles part (number formats), b"" if none

    def archive(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.readable or self.data))

    def stream(self) -> io.BytesIO:
        """The file's bytes for a reader: what was checked is what is read."""
        return io.BytesIO(self.readable or self.data)


def open_package(path: Path) -> Package:
    """Check that ``path`` is a readable .xlsx workbook or raise a one-problem EvidenceError."""
    if not path.exists():
        raise file_error(path, f"找不到文件：{path_text(path)}")
    if path.is_dir():
        raise file_error(path, "这是一个文件夹，不是 Excel 工作簿")
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            # A file over the limit is refused unread. read(MAX + 1) would allocate 50 MB for
            # every 20 KB workbook: ask for the size it has (and one byte more, to see it
            # grow), then for the rest up to the limit.
            data = b"" if size > limits.MAX_FILE_BYTES else handle.read(size + 1)
            if len(data) > size:
                data += handle.read(max(limits.MAX_FILE_BYTES + 1 - len(data), 0))
    except OSError as exc:
        raise file_error(path, f"无法打开文件（{os_reason(exc)}）") from None
    try:
        limits.check_file_size(path, max(size, len(data)))
    except LimitError as exc:
        raise file_error(path, exc.message) from None
    if not data:
        raise file_error(path, "文件是空的（0 字节），不是 Excel 工作簿；请重新保存或重新发送该文件")
    head = data[:8]
    try:
        if head == OLE2_MAGIC:
            raise file_error(path, _ole2_message(data))
        if not head.startswith(b"PK"):
            raise file_error(path, _other_message(data))
        limits.check_member_count(data)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated: dict[int, bytes] = {}
            parts, xml, styles = _check_zip(path, archive, data, inflated)
            members = frozenset(archive.namelist())
            readable = limits.stored_copy(archive, data, inflated) if len(data) <= limits.STORED_COPY_BYTES else None
        return Package(path, parts, data, xml, members, readable or data, styles)
    except LimitError as exc:
        raise file_error(path, exc.message) from None
    except limits.ZIP_ERRORS:
        raise file_error(path, DAMAGED_ZIP) from None
    except ParseError:
        raise file_error(path, DAMAGED) from None


def os_reason(exc: OSError) -> str:
    """A Chinese reason for the common OS errors (strerror is English on most systems)."""
    import errno

    reasons = {
        errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件不存在",
        errno.EISDIR: "这是一个文件夹", errno.ENAMETOOLONG: "文件名或路径过长", errno.EIO: "磁盘读取出错",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def _ole2_message(data: bytes) -> str:
    # Office and WPS store password-protected .xlsx files as OLE2 containers holding an
    # EncryptionInfo stream; any other OLE2 file here is a legacy .xls or a WPS .et.
    if _ENCRYPTED_MARK in data or _ENCRYPTED_PACKAGE in data:
        return "工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消打开密码并保存为 .xlsx 后再试"
    return f"这是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法读取；{SAVE_AS}"


def _other_message(data: bytes) -> str:
    if b"\x00" not in data[:4096]:
        return (
            "这是文本文件（如 .csv），不是 Excel 工作簿；"
            "请用 chuangyou template 生成的 .xlsx 模板填写"
        )
    return "无法识别的文件格式，应为 Excel 工作簿（.xlsx）"


def _check_zip(
    path: Path, archive: zipfile.ZipFile, data: bytes, inflated: dict[int, bytes]
) -> tuple[dict[str, str], dict[str, bytes], bytes]:
    """The sheets' members, the XML of the ordinary-sized worksheets and the styles part
    (number formats, :mod:`chuangyou.evidence.formats`); ``inflated``
    receives the parts inflated here (id of its ZipInfo → bytes), up to STORED_PARTS_BYTES.

    Every part a reader parses is inflated once here and refused if it declares a DOCTYPE.
    Once none does, no part can declare an entity, so the plain expat parser (what the
    readers themselves use) is safe for workbook.xml and its relationships.
    """
    names = set(archive.namelist())
    limits.check_sizes(archive)
    if "xl/workbook.xml" not in names:
        raise file_error(path, _foreign_zip_message(archive, names))
    kept: dict[str, bytes] = {}
    budget = 2 * limits.QUICK_BYTES  # sheets kept beyond this are inflated again when read
    room = limits.STORED_PARTS_BYTES
    for info in limits.parsed_parts(archive):
        name = info.filename
        if info.file_size > limits.QUICK_BYTES and name.startswith("xl/worksheets/"):
            if limits.has_doctype(archive, name):  # streamed: up to MAX_SHEET_BYTES
                raise file_error(path, DOCTYPE)
            continue
        text = limits.read_member(archive, data, info)  # at most MAX_PART_BYTES (check_sizes)
        if limits.DOCTYPE_PATTERN.search(text):
            raise file_error(path, DOCTYPE)
        if len(text) <= room:  # a 200 KB file may hold 200 MB of parts: never keep them all
            inflated[id(info)] = text
            room -= len(text)
        if name in _WORKBOOK_PARTS or (name.startswith("xl/worksheets/") and budget >= len(text)):
            kept[name] = text
            budget -= len(text)
    parts, styles_member = _sheet_parts(kept)
    sheets = set(parts.values())
    styles = b""
    if styles_member in names:
        # At most MAX_PART_BYTES, and checked for a DOCTYPE above; inflated again (a few KB)
        # rather than kept from the loop, where its name is not yet known.
        styles = limits.read_member(archive, data, archive.getinfo(styles_member))
    return parts, {name: text for name, text in kept.items() if name in sheets}, styles


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _foreign_zip_message(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.bin" in names:
        return f"这是 Excel 二进制工作簿（.xlsb）格式，无法读取；{SAVE_AS}"
    if "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:200]:
        return (
            "这是 OpenDocument 表格（.ods）格式；请在 WPS、Excel 或 LibreOffice 中打开，"
            "另存为“Excel 工作簿（*.xlsx）”后再试"
        )
    if "word/document.xml" in names:
        return "这是 Word 文档，不是 Excel 工作簿；请使用 chuangyou template 生成的 .xlsx 模板填写"
    return "这是一个压缩包，但不是 Excel 工作簿（.xlsx）"


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _sheet_parts(xml: dict[str, bytes]) -> tuple[dict[str, str], str]:
    """Map each sheet name to its worksheet XML member (workbook.xml + its relationships);
    also the styles member ("" when the workbook names none)."""
    targets: dict[str, str] = {}
    styles = ""
    rels = xml.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        for rel in fromstring(rels):
            target = limits.resolve_target(rel.get("Target", ""))
            targets[rel.get("Id", "")] = target
            if rel.get("Type", "").endswith("/styles"):
                styles = target
    parts: dict[str, str] = {}
    for element in fromstring(xml["xl/workbook.xml"]).iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        parts[element.get("name", "")] = targets.get(rel_id, "")
    return parts, styles
