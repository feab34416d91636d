"""Tampered tier-list workbooks for ``rank --previous``: each case with its exact message.

The base is a real export (``export 城关镇-2025年结果.json``, written by XlsxWriter): its
评定结果 sheet, the one ``--previous`` reads, is ``xl/worksheets/sheet2.xml`` (sheet1 is the
printed 等级名单), with inline strings and numeric years. The
review found that broken sheet XML, a control character in the rels, a year of 1e999 or NaN
ended in internal errors, and that an XML comment of 16 MB (21 KB on disk) took 10 s and
one of 1 GB (1 MB on disk) many minutes.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hostile.craft import Member, read_members, repeated, rezip
from hostile.craft import legacy_xls as _legacy_xls

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"
SHEET = "xl/worksheets/sheet2.xml"
RELS = "xl/_rels/workbook.xml.rels"
DAMAGED = "工作簿内容已损坏，无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"
DAMAGED_ZIP = "文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试"
WANTED = "请给出 chuangyou 导出的等级名单（.xlsx）或 rank --format json 保存的结果（.json）"
SAVE_AS = "请在 Excel 或 WPS 中打开，选择“另存为”→“Excel 工作簿（*.xlsx）”后再试"
NAME = "去年.xlsx"
UNREADABLE = f"无法读取上年等级名单 {NAME}："


@cache
def base() -> bytes:
    """A real tier list exported from the bundled example results (2025, 29 organizations)."""
    from chuangyou.export import load_results, write_tierlist

    ranking, failures = load_results(EXAMPLES / "城关镇-2025年结果.json")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "等级名单.xlsx"
        write_tierlist(path, ranking, failures, {})
        return path.read_bytes()


@cache
def base_members() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xlsx"
        path.write_bytes(base())
        return read_members(path)


def _source(folder: Path) -> Path:
    path = folder / ".base.xlsx"
    if not path.exists():
        path.write_bytes(base())
    return path


def members(replace: Callable[[], dict[str, Member | bytes]]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        rezip(path, _source(path.parent), replace())
        (path.parent / ".base.xlsx").unlink()
    return make


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content) and None


def first_year(value: bytes) -> Callable[[], dict[str, Member | bytes]]:
    """The first organization's 考评年度 cell (a number, 2025) holding ``value`` instead."""
    def replace() -> dict[str, Member | bytes]:
        sheet = base_members()[SHEET]
        edited, count = re.subn(rb'(<c r="H9"[^>]*><v>)2025(</v>)', rb"\g<1>" + value + rb"\g<2>", sheet)
        assert count == 1
        return {SHEET: edited}
    return replace


def comment(size: int) -> Callable[[], dict[str, Member | bytes]]:
    """An XML comment of ``size`` bytes inside the sheet (compresses ~1000:1)."""
    def replace() -> dict[str, Member | bytes]:
        head, _, tail = base_members()[SHEET].partition(b"<sheetData>")
        block = 1024 * 1024
        data, crc, total = repeated(head + b"<!--", b"x" * block, size // block, b"-->" + b"<sheetData>" + tail)
        return {SHEET: Member(SHEET, data, crc, total)}
    return replace


def _truncated(path: Path) -> None:
    data = base()
    path.write_bytes(data[: len(data) // 2])


@dataclass(frozen=True)
class TierCase:
    id: str
    make: Callable[[Path], None]
    message: str | None  # the exact UsageError message; None: read normally
    problems: tuple[str, ...] = ()
    seconds: float = 5.0  # what it may take on a loaded 2-core machine (measured: well under 1 s)


H9 = f"{NAME} 评定结果!H9"
FIRST = "城关镇中心小学党总支"  # the first organization of the list, in row 9


TIER_CASES = [
    TierCase("clean", members(dict), None),
    TierCase("broken-sheet-xml", members(lambda: {SHEET: base_members()[SHEET][:-400]}), UNREADABLE + DAMAGED),
    TierCase("control-char-in-rels",
             members(lambda: {RELS: base_members()[RELS].replace(b"worksheets/sheet2.xml", b"worksheets/sheet2\x01.xml")}),
             UNREADABLE + DAMAGED),
    TierCase("rels-point-nowhere",
             members(lambda: {RELS: base_members()[RELS].replace(b"worksheets/sheet2.xml", b"worksheets/none.xml")}),
             UNREADABLE + DAMAGED),
    TierCase("doctype", members(lambda: {"xl/workbook.xml": b'<!DOCTYPE x [<!ENTITY a "b">]>' + base_members()["xl/workbook.xml"]}),
             UNREADABLE + f"工作簿含有 Excel/WPS 不会写入的 XML 声明（DOCTYPE），已拒绝读取；{SAVE_AS}"),
    TierCase("year-1e999", members(first_year(b"1e999")), f"上年等级名单 {NAME} 中有 1 处问题，无法比较升降",
             (f"{H9}: “{FIRST}”的考评年度“无法识别的数字”不是年份（应为如 2025 的四位数）",)),
    # No spreadsheet writes NaN and openpyxl cannot read it: damaged for both readers alike.
    TierCase("year-nan", members(first_year(b"NaN")), UNREADABLE + DAMAGED),
    TierCase("year-1e30", members(first_year(b"1e30")), f"上年等级名单 {NAME} 中有 1 处问题，无法比较升降",
             (f"{H9}: “{FIRST}”的考评年度“1e+30”不是年份（应为如 2025 的四位数）",)),
    TierCase("year-fraction", members(first_year(b"2025.5")), f"上年等级名单 {NAME} 中有 1 处问题，无法比较升降",
             (f"{H9}: “{FIRST}”的考评年度“2025.5”不是年份（应为如 2025 的四位数）",)),
    TierCase("comment-16mb", members(comment(16 * 1024 * 1024)), None),
    TierCase("comment-1gb", members(comment(1024 * 1024 * 1024)),
             UNREADABLE + f"工作簿中的 {SHEET} 解压后有 1024 MB，超过 50 MB 的上限，已拒绝读取（文件可能被恶意构造，即“压缩炸弹”）"),
    TierCase("truncated", _truncated, UNREADABLE + DAMAGED_ZIP),
    TierCase("empty", raw(b""), UNREADABLE + "文件是空的（0 字节），不是 Excel 工作簿；请重新保存或重新发送该文件"),
    TierCase("text", raw("序号,组织名称\n".encode()), UNREADABLE + "这是文本文件（如 .csv），不是 Excel 工作簿；" + WANTED),
    TierCase("legacy-xls", lambda path: path.write_bytes(_legacy_xls()),
             UNREADABLE + f"这是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法读取；{SAVE_AS}"),
    TierCase("folder", lambda path: path.mkdir(),
             f"上年结果“{NAME}”是一个文件夹，不是文件；" + WANTED),
]
TIER_BY_ID = {case.id: case for case in TIER_CASES}
