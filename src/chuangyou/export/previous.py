"""Last year's tier list as a workbook, for ``chuangyou rank --previous 去年等级名单.xlsx``.

Reads the 评定结果 sheet this package exports (等级名单 of earlier versions), and also a list typed by hand: the header
row is found by its text (组织名称 and 等级 at least) among the first rows of the sheet, so
title rows above it and extra columns are fine.

The file comes from last year's hands as evidence does, so it is opened through the same
checks and limits as an evidence workbook (:func:`chuangyou.evidence.package.open_package`,
:func:`chuangyou.evidence.workbook.read_grids`): zip bombs, DOCTYPEs, broken XML and
oversized sheets are refused with a Chinese message before a reader parses them.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chuangyou.errors import EvidenceError, Problem, UsageError, path_text
from chuangyou.export.tierlist import C_NAME, C_TIER, C_TOWNSHIP, C_YEAR, SHEET_RESULTS, SHEET_TIERS
from chuangyou.ranking.model import HELD_TIER, PreviousResult
from chuangyou.values import normalize_text

HEADER_SEARCH_ROWS = 30
#: A list typed by hand is on one of its first sheets; a crafted workbook may name thousands.
SHEET_SEARCH = 10
#: A year outside this range is not a 考评年度 (a crafted 1e999, NaN, or a number typed into the column).
YEARS = (1000, 9999)
# Accepted header texts (after folding full-width forms), ours first.
HEADERS = {
    "name": (C_NAME.header, "党组织名称", "单位名称", "名称"),
    "township": (C_TOWNSHIP.header, "所属乡镇(街道)", "所属乡镇", "乡镇(街道)", "乡镇", "街道"),
    "tier": (C_TIER.header, "评定等级", "定级结果"),
    "year": (C_YEAR.header, "年度"),
    "code": ("组织代码",),
}
_YEAR = re.compile(r"(\d{4})")


def _key(text: Any) -> str:
    return normalize_text(str(text)).replace(" ", "") if text is not None else ""


def _columns(row: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    texts = [_key(v) for v in row]
    for field, names in HEADERS.items():
        for name in names:
            if _key(name) in texts:
                found[field] = texts.index(_key(name))
                break
    return found


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _columns(row)
        if "name" in columns and "tier" in columns:
            return index, columns
    return None


WANTED = "请给出 chuangyou 导出的等级名单（.xlsx）或 rank --format json 保存的结果（.json）"


def _unreadable(path: Path, exc: EvidenceError) -> UsageError:
    """The evidence reader's reason, without its advice about evidence templates."""
    reasons = "；".join(p.message for p in exc.problems) or exc.message
    if "chuangyou template" in reasons:
        reasons = reasons.split("；")[0] + "；" + WANTED
    return UsageError(f"无法读取上年等级名单 {path_text(path)}：{reasons}")


def _sheet_rows(path: Path) -> tuple[str, int, dict[str, int], list[list[Any]]]:
    """The sheet holding the list: 评定结果 (every organization, held ones too, with the year),
    else 等级名单 (a workbook of an earlier version, or typed by hand), else the first with the headers."""
    from chuangyou.evidence.package import open_package
    from chuangyou.evidence.workbook import read_grids

    try:
        package = open_package(path)
        ours = [name for name in (SHEET_RESULTS, SHEET_TIERS) if name in package.sheet_parts]
        names = ours or list(package.sheet_parts)[:SHEET_SEARCH]
        for name in names:
            grid = read_grids(package, [name], "auto").grids.get(name)
            rows = grid.rows if grid is not None else []
            found = _find_header(rows)
            if found is not None:
                return name, found[0], found[1], rows
    except EvidenceError as exc:
        raise _unreadable(path, exc) from None
    raise UsageError(
        f"上年等级名单 {path.name} 中找不到表头：应有“{C_NAME.header}”和“{C_TIER.header}”两列"
        f"（最好还有“{C_TOWNSHIP.header}”），请使用 chuangyou 导出的等级名单"
    )


def _year(value: Any) -> int | None:
    """The year of a 考评年度 cell; None when blank or text without a year; ValueError when
    the cell holds something that cannot be a year (1e999, NaN, 1.5, 30000)."""
    if value is None or isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, _dt.datetime | _dt.date):
        year = value.year
    elif isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    elif isinstance(value, int | float):
        year = int(value)
    else:
        match = _YEAR.search(str(value))
        if match is None:
            return None
        year = int(match.group(1))
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(value)
    return year


def _cell(row: Sequence[Any], columns: dict[str, int], field: str) -> Any:
    index = columns.get(field)
    return row[index] if index is not None and index < len(row) else None


def _shown(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "无法识别的数字"  # 1e999 and NaN in the file: a reader gives inf or nan
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
        return f"{value:.6g}"  # a whole double read back as int: 1e30, not its 31 digits
    text = str(value)
    return text if len(text) <= 40 else f"{text[:40]}…（共 {len(text)} 个字符）"


def load_previous_workbook(path: Path) -> list[PreviousResult]:
    """(name, township, tier, year) of every organization in an exported 等级名单."""
    path = Path(path)
    sheet, header, columns, rows = _sheet_rows(path)
    results: list[PreviousResult] = []
    problems: list[Problem] = []
    for offset, row in enumerate(rows[header + 1 :], header + 2):
        name = _cell(row, columns, "name")
        if name is None or not str(name).strip():
            continue  # blank rows, and the “无” row of an empty list
        tier = str(_cell(row, columns, "tier") or "").strip()
        where = f"{path.name} {sheet}!{_letter(columns['tier'])}{offset}"
        if not tier:
            problems.append(Problem(where, f"“{str(name).strip()}”没有等级"))
            continue
        try:
            year = _year(_cell(row, columns, "year"))
        except ValueError:
            value = _cell(row, columns, "year")
            problems.append(Problem(f"{path.name} {sheet}!{_letter(columns['year'])}{offset}",
                                    f"“{str(name).strip()}”的考评年度“{_shown(value)}”不是年份（应为如 2025 的四位数）"))
            continue
        results.append(
            PreviousResult(
                name=str(name).strip(),
                township=str(_cell(row, columns, "township") or "").strip(),
                tier=None if tier == HELD_TIER or tier.startswith("待定") else tier,
                year=year,
                source=where,
                code=str(_cell(row, columns, "code") or "").strip(),
            )
        )
    if problems:
        raise UsageError(f"上年等级名单 {path_text(path)} 中有 {len(problems)} 处问题，无法比较升降", problems)
    return results


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
