"""Sheet 基本信息: who is being rated, with which rubric (rows found by the 项目 label)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from chuangyou.evidence.cells import (
    HEADER_ROWS,
    Problems,
    brief,
    is_header,
    key,
    plain_text,
    shown,
    unreadable,
)
from chuangyou.evidence.workbook import Grid, cell_name
from chuangyou.rubric.model import FORMS, Rubric
from chuangyou.rubric.registry import bundled_paths, find_bundled
from chuangyou.scorecard import CellRef
from chuangyou.values import is_blank, normalize_text

SHEET = "基本信息"
NAME, TOWNSHIP, SUBTYPE, FORM = "组织名称", "所属乡镇（街道）", "组织类别", "组织形式"
YEAR, PERIOD, FILLED_BY, RUBRIC, VERSION = "考评年度", "考评周期", "填报人", "评定标准", "标准版本"
CODE = "组织代码"  # optional: a stable code that keeps an organization's history across renames
LABELS = (NAME, TOWNSHIP, SUBTYPE, FORM, YEAR, PERIOD, FILLED_BY, RUBRIC, VERSION, CODE)
REQUIRED = (NAME, SUBTYPE, FORM, RUBRIC)
NAMES = (NAME, TOWNSHIP, FILLED_BY, CODE)  # free text carried into every result and export
MAX_NAME = 100  # characters; real names are under 40, and an Excel cell holds 32,767
PERIODS = ("上半年", "全年")
_YEAR = re.compile(r"^(\d{4})年?$")


@dataclass
class Entry:
    row: int
    col: int
    raw: Any


@dataclass
class Info:
    """The 内容 cell of each known label that the sheet has (blank or not)."""

    grid: Grid | None
    entries: dict[str, Entry] = field(default_factory=dict)
    bad: set[str] = field(default_factory=set)  # labels already reported (formula, duplicate)

    def text(self, label: str) -> str:
        entry = self.entries.get(label)
        if entry is None or label in self.bad or is_blank(entry.raw):
            return ""
        if isinstance(entry.raw, float):
            return repr(entry.raw)  # 2026.1 typed as a number
        return normalize_text(entry.raw)

    def plain(self, label: str) -> str:
        entry = self.entries.get(label)
        return "" if entry is None or label in self.bad else plain_text(entry.raw)

    def cell_ref(self, field_id: str, label: str) -> CellRef:
        entry = self.entries[label]
        return CellRef(field=field_id, label=label, sheet=SHEET, cell=_cell(entry), value=shown(entry.raw))

    def report(self, problems: Problems, label: str, message: str) -> None:
        entry = self.entries[label]
        problems.at(SHEET, entry.row, entry.col, message)


def _cell(entry: Entry) -> str:
    return cell_name(entry.row, entry.col)


def read_info(grid: Grid | None, problems: Problems) -> Info:
    """Find the header and the known labels; report structure problems and missing rows."""
    info = Info(grid)
    if grid is None:
        return info
    header = _find_header(grid)
    if isinstance(header, list):
        names = "".join(f"“{h}”" for h in header)
        problems.in_sheet(SHEET, f"前 {HEADER_ROWS} 行中找不到表头{names}（应为第 1 行：A 列“项目”、B 列“内容”）")
        return info
    top, label_col, value_col = header
    wanted = {key(label): label for label in LABELS}
    for row in range(top + 1, len(grid.rows)):
        label = wanted.get(key(grid.value(row, label_col)))
        if label is None:
            continue
        if label in info.entries:
            first = info.entries[label].row + 1
            problems.at(SHEET, row, label_col,
                        f"“{label}”出现了两次（第 {first} 行和第 {row + 1} 行），请删除多余的一行")
            info.bad.add(label)
            continue
        info.entries[label] = Entry(row, value_col, grid.value(row, value_col))
    for label in LABELS:
        entry = info.entries.get(label)
        if entry is None:
            if label in REQUIRED:
                problems.in_sheet(SHEET, f"缺少“{label}”一行，请在“项目”列填写“{label}”、在“内容”列填写相应内容")
            continue
        message = unreadable(grid, entry.row, entry.col, label)
        if message and label not in info.bad:
            info.report(problems, label, message)
            info.bad.add(label)
        elif label in NAMES and label not in info.bad and len(info.plain(label)) > MAX_NAME:
            info.report(problems, label, f"“{label}”过长（{len(info.plain(label))} 个字符，最多 {MAX_NAME} 个）")
            info.bad.add(label)
    return info


def _find_header(grid: Grid) -> tuple[int, int, int] | list[str]:
    """(header row, 项目 column, 内容 column), or the header names that could not be found."""
    best: list[str] = ["项目", "内容"]
    for row in range(min(HEADER_ROWS, len(grid.rows))):
        cells = grid.rows[row]
        label_col = next((c for c, v in enumerate(cells) if is_header(v, "项目")), None)
        value_col = next((c for c, v in enumerate(cells) if is_header(v, "内容")), None)
        if label_col is not None and value_col is not None:
            return row, label_col, value_col
        if label_col is not None or value_col is not None:
            missing = ["内容"] if label_col is not None else ["项目"]
            best = missing if len(missing) < len(best) else best
    return best


def check_required(info: Info, problems: Problems, label: str, expected: str = "") -> bool:
    """Report a blank required row; True when the row has a value to interpret."""
    if label not in info.entries or label in info.bad:
        return False
    if info.text(label):
        return True
    info.report(problems, label, f"“{label}”未填写{('，' + expected) if expected else ''}")
    return False


def choose_rubric(info: Info, forced: Rubric | None, problems: Problems) -> Rubric | None:
    """The rubric to read with, or None when the workbook cannot be read against one."""
    if info.grid is None:
        return forced
    if not check_required(info, problems, RUBRIC, "应为模板中预填的标准编号（如 village）"):
        return forced  # with a forced rubric we can still check everything else
    ref = info.text(RUBRIC)
    if forced is not None:
        names = {key(n) for n in (forced.id, forced.name, *forced.aliases)}
        if key(ref) not in names:
            info.report(problems, RUBRIC, f"工作簿是按评定标准“{brief(ref)}”填写的，与指定的评定标准“{forced.id}”"
                                          f"（{forced.name}）不符；请使用按该标准生成的模板")
            return None
        return forced
    if "/" in ref or "\\" in ref or ref.lower().endswith((".yaml", ".yml")):
        info.report(problems, RUBRIC, f"“评定标准”的值“{brief(ref)}”应为标准编号而不是文件路径；"
                                      "使用自定义标准时请用 --rubric 指定其 YAML 文件")
        return None
    found = _bundled(ref)
    if found is None:
        known = "、".join(p.stem for p in bundled_paths())
        info.report(problems, RUBRIC, f"“评定标准”的值“{brief(ref)}”不是内置的评定标准（内置：{known}）；"
                                      "使用自定义标准时请用 --rubric 指定其 YAML 文件")
    return found


def _bundled(ref: str) -> Rubric | None:
    """A bundled rubric by id, alias or name, never a file: registry.resolve would open a
    file of that name in the working folder (a workbook must not choose what we read), and
    a name over 255 bytes made it raise OSError."""
    return find_bundled(ref)


def check_version(info: Info, rubric: Rubric, problems: Problems, warnings: list[str]) -> None:
    version = info.text(VERSION)
    if not version:
        if info.grid is not None and VERSION not in info.bad:
            warnings.append(f"工作簿未填写“标准版本”，按评定标准“{rubric.id}” {rubric.version} 版读取")
        return
    if version != normalize_text(rubric.version):
        info.report(problems, VERSION, f"工作簿的标准版本为“{brief(version)}”，与评定标准“{rubric.id}”的版本"
                                       f"“{rubric.version}”不符；请用 chuangyou template --rubric {rubric.id} "
                                       "生成新版模板重新填写")


def subtype_of(info: Info, rubric: Rubric, problems: Problems) -> str | None:
    labels = "、".join(rubric.subtypes.values())
    if not check_required(info, problems, SUBTYPE, f"应填写：{labels}"):
        return None
    text = key(info.text(SUBTYPE))
    for subtype_id, label in rubric.subtypes.items():
        if text in (key(label), subtype_id):
            return subtype_id
    info.report(problems, SUBTYPE, f"“组织类别”的值“{brief(info.plain(SUBTYPE))}”不是《{rubric.name}》的组织类别，"
                                   f"应填写：{labels}")
    return None


def form_of(info: Info, problems: Problems) -> str | None:
    options = "、".join(FORMS)
    if not check_required(info, problems, FORM, f"应填写：{options}"):
        return None
    text = key(info.text(FORM))
    if text in FORMS:
        return text
    info.report(problems, FORM, f"“组织形式”的值“{brief(info.plain(FORM))}”无法识别，应填写：{options}")
    return None


def year_of(info: Info, problems: Problems) -> int | None:
    text = key(info.text(YEAR))
    if not text:
        return None
    match = _YEAR.match(text)
    if match and 2000 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    info.report(problems, YEAR, f"“考评年度”的值“{brief(info.plain(YEAR))}”不是年份，应填写四位数字年份，如 2026")
    return None


def period_of(info: Info, problems: Problems) -> str:
    text = key(info.text(PERIOD))
    if not text or text in PERIODS:
        return text
    info.report(problems, PERIOD, f"“考评周期”的值“{brief(info.plain(PERIOD))}”无法识别，应填写：{'、'.join(PERIODS)}")
    return ""
