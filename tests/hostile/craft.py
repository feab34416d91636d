"""Byte-level builders for hostile files: raw zips, huge deflate streams, OLE compound files.

zipfile cannot write a member whose directory entry lies, nor a gigabyte without spending
the time to compress it; these builders can, in milliseconds.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GB = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Member:
    """A zip member as raw deflate bytes, with the CRC and size of what they inflate to."""

    name: str
    data: bytes
    crc: int
    size: int
    declared: int | None = None  # the uncompressed size written in the zip (default: size)


def deflated(name: str, content: bytes) -> Member:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, packer.compress(content) + packer.flush(), zlib.crc32(content), len(content))


@cache
def repeated(head: bytes, body: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of ``head + body * count + tail`` compressing ``body`` only once.

    A full flush after each part makes its compressed block independent of what precedes
    it, so the block can be repeated. Returns (deflate bytes, crc32, inflated size).
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(body) + packer.flush(zlib.Z_FULL_FLUSH)
    last = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(body, crc)
    crc = zlib.crc32(tail, crc)
    return first + block * count + last, crc, len(head) + len(body) * count + len(tail)


def write_zip(path: Path, members: list[Member]) -> Path:
    """A zip with exactly these members (deflate, no ZIP64: each under 4 GB as declared)."""
    out = bytearray()
    directory = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        declared = m.size if m.declared is None else m.declared
        offset = len(out)
        # local header: version, flags (bit 11: UTF-8 names), method 8, time, date
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, m.crc, len(m.data), declared,
                           len(name), 0)
        out += name + m.data
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21, m.crc,
                                 len(m.data), declared, len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += directory
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0)
    path.write_bytes(bytes(out))
    return path


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rezip(path: Path, source: Path, replace: dict[str, Member | bytes], *, drop: tuple[str, ...] = ()) -> Path:
    """``source``'s members, some replaced (raw Members or new content), written to ``path``."""
    members = []
    for name, content in read_members(source).items():
        if name in drop:
            continue
        new = replace.get(name, content)
        members.append(new if isinstance(new, Member) else deflated(name, new))
    members += [m if isinstance(m, Member) else deflated(n, m) for n, m in replace.items()
                if n not in read_members(source)]
    return write_zip(path, members)


# -- OLE compound files (CFB): legacy .xls / WPS .et, and password-protected workbooks -------

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NONE = 0xFFFFFFFF
SECTOR = 512


def _entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NONE, right, child) + bytes(16) + bytes(4) + bytes(16)
            + struct.pack("<IQ", start, size))


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A version 3 compound file holding ``streams`` (each padded to 4096 bytes so that it
    lives in regular sectors: no mini stream to build). Sector 0 is the FAT, sector 1 the
    directory (root + up to three streams, siblings chained to the right)."""
    names = list(streams)[:3]
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    fat = [_FAT, _END]
    starts = []
    for data in datas:
        count = -(-len(data) // SECTOR)
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
    assert len(fat) <= SECTOR // 4, "streams too large for one FAT sector"
    fat += [_FREE] * (SECTOR // 4 - len(fat))
    entries = [_entry("Root Entry", 5, 1 if names else _NONE, _NONE, _END, 0)]
    for i, (name, data) in enumerate(zip(names, datas, strict=True), 1):
        entries.append(_entry(name, 2, _NONE, i + 1 if i < len(names) else _NONE, starts[i - 1], len(data)))
    directory = b"".join(entries).ljust(SECTOR, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    assert len(header) == SECTOR
    body = b"".join(d.ljust(-(-len(d) // SECTOR) * SECTOR, b"\0") for d in datas)
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + body


def encrypted_workbook() -> bytes:
    """What Excel and WPS save when a workbook has an open password (ECMA-376 agile)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    return compound_file({"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 8) + bytes(8)})


def legacy_xls() -> bytes:
    """A BIFF8 workbook stream's BOF record is enough to make it an .xls."""
    return compound_file({"Workbook": struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005) + bytes(12)})
