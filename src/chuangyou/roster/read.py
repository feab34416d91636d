"""read_roster: a roster workbook → Roster, or one RosterError listing every problem with its cell.

The roster is read with the evidence reader's hardened layer (size and zip limits, both
readers, formulas without a cached value), and checked in the same style: every problem
at once, each naming the file, sheet and cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from chuangyou.errors import ChuangyouError, EvidenceError, UsageError, path_text
from chuangyou.evidence.cells import HEADER_ROWS, Problems, brief, is_header, plain_text, unreadable
from chuangyou.evidence.package import open_package
from chuangyou.evidence.workbook import Grid, read_grids
from chuangyou.roster.model import (
    C_CODE,
    C_CONTACT,
    C_FORM,
    C_INDEX,
    C_NAME,
    C_NOTE,
    C_PHONE,
    C_SUBTYPE,
    C_TOWNSHIP,
    HEADERS,
    REQUIRED,
    SHEET,
    Kind,
    Roster,
    RosterEntry,
    code_key,
    kinds,
    name_key,
)
from chuangyou.rubric.model import FORMS, Rubric

MAX_NAME = 100  # as 基本信息 (evidence.info.MAX_NAME)
# Other header texts seen in hand-made rosters, after ours.
ALIASES = {
    C_NAME: ("党组织名称",),
    C_TOWNSHIP: ("所属乡镇", "乡镇（街道）", "乡镇", "街道"),
    C_SUBTYPE: ("类别",),
    C_FORM: ("形式",),
}


class RosterError(ChuangyouError):
    """A roster that cannot be used; ``problems`` carry file, sheet and cell."""

    exit_code = 2


def read_roster(path: str | Path, rubrics: Iterable[Rubric]) -> Roster:
    """Read and check the roster against the rubrics whose 组织类别 it may use."""
    path = Path(path)
    labels = kinds(rubrics)
    if not path.is_file():
        raise UsageError(f"找不到花名册：{path}" if not path.exists() else f"花名册 {path} 不是文件")
    try:
        raw = read_grids(open_package(path), [SHEET], "auto")
    except EvidenceError as exc:  # the evidence reader's words, but about the roster
        raise RosterError("花名册无法读取", exc.problems) from None
    problems = Problems(path_text(path.name))
    grid = raw.grids.get(SHEET)
    if grid is None:
        present = "、".join(raw.sheet_names) or "无"
        problems.in_file(f"缺少工作表“{SHEET}”（工作簿中的工作表：{present}）；请用 chuangyou roster new 生成花名册")
        raise _failure(problems)
    entries, columns = _entries(grid, labels, problems)
    _check_unique(entries, columns, problems)
    if problems.items:
        raise _failure(problems)
    return Roster(path_text(path), entries)


def _failure(problems: Problems) -> RosterError:
    return RosterError(f"花名册有 {len(problems.items)} 处问题", problems.items)


def _find_header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for row in range(min(HEADER_ROWS, len(grid.rows))):
        columns: dict[str, int] = {}
        for header in HEADERS:
            names = (header, *ALIASES.get(header, ()))
            col = next((c for c, v in enumerate(grid.rows[row]) if any(is_header(v, n) for n in names)), None)
            if col is not None:
                columns[header] = col
        if C_NAME in columns:
            return row, columns
    return None


def _entries(grid: Grid, labels: dict[str, Kind], problems: Problems) -> tuple[list[RosterEntry], dict[str, int]]:
    found = _find_header(grid)
    if found is None:
        problems.in_sheet(SHEET, f"前 {HEADER_ROWS} 行中找不到表头“{C_NAME}”（表头应为：{'、'.join(HEADERS)}）")
        return [], {}
    top, columns = found
    missing = [h for h in REQUIRED if h not in columns]
    if missing:
        names = "、".join(f"“{h}”" for h in missing)
        problems.in_sheet(SHEET, f"第 {top + 1} 行的表头缺少{names}列（表头应为：{'、'.join(HEADERS)}）")
        return [], columns
    entries = []
    for row in range(top + 1, len(grid.rows)):
        entry = _entry(grid, row, columns, labels, problems)
        if entry is not None:
            entries.append(entry)
    if not entries and not problems.items:
        problems.in_sheet(SHEET, f"花名册中没有组织：第 {top + 1} 行表头下方没有填写任何一行")
    return entries, columns


def _entry(grid: Grid, row: int, columns: dict[str, int], labels: dict[str, Kind],
           problems: Problems) -> RosterEntry | None:
    texts: dict[str, str] = {}
    before = len(problems.items)
    for header, col in columns.items():
        message = unreadable(grid, row, col, header)
        if message:
            problems.at(SHEET, row, col, message)
        texts[header] = plain_text(grid.value(row, col))
    if len(problems.items) == before and not any(texts[h] for h in columns if h != C_INDEX):
        return None  # a blank row (a 序号 alone does not make a row)
    readable = len(problems.items) == before
    for header in REQUIRED:
        if not texts[header] and readable:
            problems.at(SHEET, row, columns[header], f"“{header}”未填写{_expected(header, labels)}")
    for header in (C_NAME, C_TOWNSHIP):
        if len(texts[header]) > MAX_NAME:
            problems.at(SHEET, row, columns[header], f"“{header}”过长（{len(texts[header])} 个字符，最多 {MAX_NAME} 个）")
    kind = labels.get(name_key(texts[C_SUBTYPE])) if texts[C_SUBTYPE] else None
    if texts[C_SUBTYPE] and kind is None:
        problems.at(SHEET, row, columns[C_SUBTYPE],
                    f"“{C_SUBTYPE}”的值“{brief(texts[C_SUBTYPE])}”无法识别{_expected(C_SUBTYPE, labels)}")
    form = name_key(texts[C_FORM])
    if texts[C_FORM] and form not in FORMS:
        problems.at(SHEET, row, columns[C_FORM], f"“{C_FORM}”的值“{brief(texts[C_FORM])}”无法识别{_expected(C_FORM, labels)}")
    if len(problems.items) > before or kind is None:
        return None
    return RosterEntry(
        name=texts[C_NAME], township=texts[C_TOWNSHIP], subtype_label=kind.label, form=form,
        code=texts.get(C_CODE, ""), contact=texts.get(C_CONTACT, ""), phone=texts.get(C_PHONE, ""),
        note=texts.get(C_NOTE, ""), rubric_id=kind.rubric_id, subtype=kind.subtype, row=row + 1,
    )


def _expected(header: str, labels: dict[str, Kind]) -> str:
    if header == C_SUBTYPE:
        return "，应填写：" + "、".join(dict.fromkeys(k.label for k in labels.values()))
    if header == C_FORM:
        return "，应填写：" + "、".join(FORMS)
    return ""


def _check_unique(entries: list[RosterEntry], columns: dict[str, int], problems: Problems) -> None:
    """The same organization twice, the same code twice, a name under two townships."""
    by_org: dict[tuple[str, str], RosterEntry] = {}
    by_name: dict[str, RosterEntry] = {}
    by_code: dict[str, RosterEntry] = {}
    for entry in entries:
        org = (name_key(entry.township), name_key(entry.name))
        first = by_org.get(org)
        if first is not None:
            _at(problems, columns, entry, C_NAME, f"“{entry.name}”（{entry.township}）在第 {first.row} 行已经列出，同一组织只能列一次")
        elif org[1] in by_name:
            other = by_name[org[1]]
            _at(problems, columns, entry, C_TOWNSHIP, f"“{entry.name}”在第 {other.row} 行列在“{other.township}”下，"
                                             f"这里又列在“{entry.township}”下；同一组织只能属于一个乡镇（街道），"
                                             "名称相同的两个组织请写全称以便区分")
        by_org.setdefault(org, entry)
        by_name.setdefault(org[1], entry)
        if entry.code:
            same = by_code.get(code_key(entry.code))
            if same is not None:
                _at(problems, columns, entry, C_CODE, f"组织代码“{entry.code}”与第 {same.row} 行（{same.name}）重复，"
                                             "每个组织的代码应唯一")
            by_code.setdefault(code_key(entry.code), entry)


def _at(problems: Problems, columns: dict[str, int], entry: RosterEntry, header: str, message: str) -> None:
    problems.at(SHEET, entry.row - 1, columns[header], message)
