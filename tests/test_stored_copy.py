"""The readers get the checked parts stored uncompressed (evidence/limits.stored_copy):
the same members, in the same order, with the same bytes, read to the same values."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from chuangyou.evidence import limits
from chuangyou.evidence.package import Package, open_package
from chuangyou.evidence.workbook import read_grids
from hostile.craft import deflated, read_members, write_zip

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
WORKBOOKS = sorted(p for p in EXAMPLES.rglob("*.xlsx") if not p.name.endswith("花名册.xlsx"))  # evidence only
SHEETS = ("基本信息", "考评数据")


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC matches
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_there_are_examples_to_check() -> None:
    assert len(WORKBOOKS) == 35


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_every_example_is_copied_member_for_member_and_reads_the_same(path: Path) -> None:
    package = open_package(path)
    assert package.data == path.read_bytes()  # the file itself is kept as it was read
    assert package.readable != package.data
    assert members(package.readable) == members(package.data)
    with zipfile.ZipFile(io.BytesIO(package.readable)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    original = Package(package.path, package.sheet_parts, package.data, package.xml, package.members)
    copied, first = read_grids(package, SHEETS, "calamine"), read_grids(original, SHEETS, "calamine")
    assert {n: g.rows for n, g in copied.grids.items()} == {n: g.rows for n, g in first.grids.items()}
    assert read_grids(package, SHEETS, "openpyxl").grids["考评数据"].rows == first.grids["考评数据"].rows


def test_members_not_inflated_are_copied_as_they_are(tmp_path: Path) -> None:
    """A picture and printer settings (never parsed) keep their compression; every name
    keeps its UTF-8 flag."""
    source = WORKBOOKS[0]
    path = tmp_path / "带图片.xlsx"
    extra = [deflated("xl/printerSettings/printerSettings1.bin", bytes(range(256)) * 40),
             deflated("xl/media/图片1.png", b"\x89PNG" + bytes(5000))]
    write_zip(path, [deflated(name, content) for name, content in read_members(source).items()] + extra)
    package = open_package(path)
    copied = members(package.readable)
    assert copied == members(package.data)
    def kinds(data: bytes) -> dict[str, tuple[int, int]]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: (info.compress_type, info.flag_bits & 0x800) for info in archive.infolist()}

    before, after = kinds(package.data), kinds(package.readable)
    assert before["xl/media/图片1.png"] == (zipfile.ZIP_DEFLATED, 0x800)  # write_zip flags every name UTF-8
    assert after == {name: (zipfile.ZIP_DEFLATED if name.endswith((".bin", ".png")) else zipfile.ZIP_STORED, flag)
                     for name, (_, flag) in before.items()}


def test_a_big_workbook_is_read_from_the_file_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "STORED_COPY_BYTES", 1000)  # every example is bigger
    package = open_package(WORKBOOKS[0])
    assert package.readable is package.data


def test_a_member_that_cannot_be_copied_leaves_the_file_as_it_is(tmp_path: Path) -> None:
    """A directory entry pointing where no member starts: the readers get the original and
    meet the damage themselves (it is a member no reader needs here)."""
    path = tmp_path / "坏.xlsx"
    write_zip(path, [deflated(name, content) for name, content in read_members(WORKBOOKS[0]).items()]
              + [deflated("xl/media/image1.png", bytes(100))])
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x01\x02")  # the last directory entry: the picture
    data[at + 42:at + 46] = (1).to_bytes(4, "little")  # its local header offset: one byte in
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        inflated: dict[int, bytes] = {}
        assert limits.stored_copy(archive, bytes(data), inflated) is None


def test_past_the_room_for_inflated_parts_the_rest_stay_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file may hold far more XML than it is worth keeping (a bomb under the limits):
    only STORED_PARTS_BYTES of it are kept and stored, the other parts are copied packed."""
    monkeypatch.setattr(limits, "STORED_PARTS_BYTES", 20_000)
    package = open_package(WORKBOOKS[0])
    assert members(package.readable) == members(package.data)
    with zipfile.ZipFile(io.BytesIO(package.readable)) as archive:
        stored = [i.file_size for i in archive.infolist() if i.compress_type == zipfile.ZIP_STORED]
        packed = [i for i in archive.infolist() if i.compress_type == zipfile.ZIP_DEFLATED]
    assert stored and packed and sum(stored) <= 20_000
    original = Package(package.path, package.sheet_parts, package.data, package.xml, package.members)
    assert read_grids(package, SHEETS, "calamine").grids["考评数据"].rows == \
        read_grids(original, SHEETS, "calamine").grids["考评数据"].rows
