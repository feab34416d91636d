"""The collection workbook (收集情况.xlsx): 收集情况, 乡镇汇总, 问题清单.

What the county sends a township to chase its missing and faulty files: every sheet has
a filter on its table, a frozen and printed header, A4 pages. Written with the tier
list's renderer (:mod:`chuangyou.export.table`), atomically, and marked as our output so
that ``rank`` and ``collect`` skip it when it is saved into the materials folder.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from pathlib import Path

from chuangyou import __version__
from chuangyou.collection.model import (
    DUPLICATE,
    MISSING,
    PROBLEM,
    SUBMITTED,
    UNLISTED,
    Collection,
)
from chuangyou.errors import UsageError
from chuangyou.export import styles
from chuangyou.export.table import Column, Row, Sheet, Styled, Table, Title, render
from chuangyou.roster.model import Roster, name_key
from chuangyou.safeio import OutputKind

COLLECTION = OutputKind("收集情况")  # safeio's overwrite policy: our own earlier 收集情况 is replaced

SHEET_STATUS, SHEET_TOWNSHIPS, SHEET_PROBLEMS = "收集情况", "乡镇汇总", "问题清单"
PREVIOUS = "上年参评"
FILLS = {SUBMITTED: styles.TIER_FILLS[0], PROBLEM: styles.TIER_FILLS[2], DUPLICATE: styles.TIER_FILLS[2],
         MISSING: styles.TIER_FILLS[3], UNLISTED: styles.HELD_FILL, PREVIOUS: styles.HELD_FILL}

C_INDEX = Column("序号", 5, 6, center=True)
C_TOWNSHIP = Column("所属乡镇（街道）", 12, 16)
C_NAME = Column("组织名称", 14, 30)
C_STATUS = Column("状态", 8, 10, center=True)
C_FILES = Column("材料文件", 14, 36)
C_PROBLEM = Column("问题", 20, 60)
STATUS_COLUMNS = [C_INDEX, C_TOWNSHIP, C_NAME, Column("组织类别", 8, 12), Column("组织形式", 8, 10, center=True),
                  Column("组织代码", 8, 16), C_STATUS, C_FILES, C_PROBLEM, Column("联系人", 8, 10),
                  Column("联系电话", 10, 14)]
TOWNSHIP_COLUMNS = [C_TOWNSHIP, *(Column(h, 6, 8, center=True) for h in ("应交", "已交", "有问题", "未交")),
                    Column("完成率", 8, 8, center=True)]
PROBLEM_COLUMNS = [C_INDEX, C_TOWNSHIP, C_NAME, C_STATUS, C_FILES, C_PROBLEM]
NOT_LISTED = "花名册中没有该组织：请核对组织名称、所属乡镇（街道）是否与花名册一致，或将其补入花名册"


def _status(text: str) -> Styled:
    return Styled(text, fill=FILLS[text])


def summary(collection: Collection) -> str:
    total = len(collection.organizations)
    parts = [f"{status} {collection.count(status)} 个" for status in (SUBMITTED, PROBLEM, DUPLICATE, MISSING)]
    text = f"应交 {total} 个：" + "，".join(parts)
    if collection.unlisted:
        text += f"；花名册外的材料 {len(collection.unlisted)} 份"
    if collection.previous_missing:
        text += f"；上年参评、今年未列入花名册也未提交 {len(collection.previous_missing)} 个"
    return text


def _relative(folder: Path | None) -> Callable[[str], str]:
    """A file as the township sees it: under the collected folder (``村/北岗村党支部.xlsx``)."""
    root = str(folder).rstrip("/\\") if folder is not None else ""

    def shown(source: str) -> str:
        if root and source.startswith(root) and source[len(root):len(root) + 1] in ("/", "\\"):
            return source[len(root) + 1:]
        return source

    return shown


def status_sheet(collection: Collection, roster: Roster, folder: Path | None = None) -> Sheet:
    file = _relative(folder)
    contacts = {(name_key(e.township), name_key(e.name)): e for e in roster.entries}
    rows: list[Row] = []
    for n, org in enumerate(collection.organizations, 1):
        entry = contacts.get((name_key(org.township), name_key(org.name)))
        rows.append([n, org.township, org.name, org.subtype_label, org.form, org.code, _status(org.status),
                     "\n".join(map(file, org.files)), "\n".join(org.problems) if org.status != MISSING else "未提交材料",
                     entry.contact if entry else "", entry.phone if entry else ""])
    for n, item in enumerate(collection.unlisted, len(rows) + 1):
        rows.append([n, item.township, item.name, None, None, None, _status(UNLISTED), file(item.file), NOT_LISTED,
                     None, None])
    table = Table(STATUS_COLUMNS, rows, main=True)
    return Sheet(SHEET_STATUS, [Title("材料收集情况"), Title(summary(collection), big=False), table],
                 header=SHEET_STATUS)


def townships_sheet(collection: Collection) -> Sheet:
    rows: list[Row] = []
    for t in collection.townships:
        rows.append([t.township, t.expected, t.submitted, t.problem, t.missing, _rate(t.submitted, t.expected)])
    total = [sum(getattr(t, f) for t in collection.townships) for f in ("expected", "submitted", "problem", "missing")]
    rows.append([Styled("合计", font=styles.BOLD_FONT), *total, _rate(total[1], total[0])])
    note = "“有问题”含重复提交；完成率 = 已交 ÷ 应交。"
    return Sheet(SHEET_TOWNSHIPS, [Title("各乡镇（街道）材料收集情况"), Title(note, big=False),
                                   Table(TOWNSHIP_COLUMNS, rows, main=True)], header=SHEET_TOWNSHIPS, landscape=False)


def _rate(done: int, expected: int) -> str:
    return f"{done * 100 // expected}%" if expected else "—"


def problems_sheet(collection: Collection, folder: Path | None = None) -> Sheet:
    file = _relative(folder)
    rows: list[Row] = []
    for org in collection.organizations:
        if org.status == MISSING:
            rows.append([org.township, org.name, _status(MISSING), None, "未提交材料"])
        for problem in org.problems:
            rows.append([org.township, org.name, _status(org.status), "\n".join(map(file, org.files)), problem])
    for item in collection.unlisted:
        rows.append([item.township, item.name, _status(UNLISTED), file(item.file), NOT_LISTED])
    for p in collection.previous_missing:
        tier = f"（等级：{p.tier}）" if p.tier else ""
        rows.append([p.township, p.name, _status(PREVIOUS), None,
                     f"上年参评{tier}，今年既不在花名册中也未提交材料；请核实是否撤并、更名或漏报"])
    numbered: list[Row] = [[n, *row] for n, row in enumerate(rows, 1) if isinstance(row, list)]
    note = "每行一个问题，按乡镇（街道）筛选后发给各乡镇（街道）催交、改正。" if rows else "没有问题：全部组织均已交齐。"
    empty: list[Row] = [["无", None, None, None, None, None]]
    table = Table(PROBLEM_COLUMNS, numbered or empty, main=True)
    return Sheet(SHEET_PROBLEMS, [Title("收集问题清单"), Title(note, big=False), table], header=SHEET_PROBLEMS)


def _build(path: Path, sheets: Iterable[Sheet]) -> None:
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="chuangyou-xlsx-", ignore_cleanup_errors=True) as scratch:
        book = xlsxwriter.Workbook(str(path), {
            "tmpdir": scratch, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        formats = styles.Formats(book)
        for sheet in sheets:
            render(book, formats, sheet)
        book.set_properties({
            "title": "材料收集情况", "keywords": COLLECTION.keywords,
            "author": f"chuangyou {__version__}", "comments": "由 chuangyou 根据花名册和收到的证明材料自动生成。",
            "created": datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
        })
        book.close()


def write_collection(path: Path, collection: Collection, roster: Roster, inputs: Iterable[Path] = (),
                     folder: Path | None = None, *, force: bool = False) -> None:
    """Write the collection workbook atomically; never over an input (the roster, a workbook).
    Files are shown relative to ``folder``, the collected one."""
    from chuangyou.safeio import write_atomic

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件“{path.name}”应以 .xlsx 结尾（收集情况是 Excel 工作簿）")
    sheets = [status_sheet(collection, roster, folder), townships_sheet(collection), problems_sheet(collection, folder)]
    write_atomic(path, lambda tmp: _build(tmp, sheets), inputs, kind=COLLECTION, force=force)
