"""Last year's tier list as a workbook, for ``chuangyou rank --previous 去年等级名单.xlsx``.

Reads the 等级名单 sheet this package exports, and also a list typed by hand: the header
row is found by its text (组织名称 and 等级 at least) among the first rows of the sheet, so
title rows above it and extra columns are fine.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from chuangyou.errors import Problem, UsageError
from chuangyou.export.tierlist import C_NAME, C_TIER, C_TOWNSHIP, C_YEAR, SHEET_RESULTS, SHEET_TIERS
from chuangyou.ranking.model import HELD_TIER, PreviousResult
from chuangyou.values import normalize_text

HEADER_SEARCH_ROWS = 30
# Accepted header texts (after folding full-width forms), ours first.
HEADERS = {
    "name": (C_NAME.header, "党组织名称", "单位名称", "名称"),
    "township": (C_TOWNSHIP.header, "所属乡镇(街道)", "所属乡镇", "乡镇(街道)", "乡镇", "街道"),
    "tier": (C_TIER.header, "评定等级", "定级结果"),
    "year": (C_YEAR.header, "年度"),
}
_YEAR = re.compile(r"(\d{4})")


def _key(text: Any) -> str:
    return normalize_text(str(text)).replace(" ", "") if text is not None else ""


def _columns(row: tuple[Any, ...]) -> dict[str, int]:
    found: dict[str, int] = {}
    texts = [_key(v) for v in row]
    for field, names in HEADERS.items():
        for name in names:
            if _key(name) in texts:
                found[field] = texts.index(_key(name))
                break
    return found


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _columns(row)
        if "name" in columns and "tier" in columns:
            return index, columns
    return None


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UsageError(f"无法打开上年等级名单：{path}（不是有效的 .xlsx 工作簿：{type(exc).__name__}）") from None


def _sheet_rows(book: Any, path: Path) -> tuple[str, int, dict[str, int], list[tuple[Any, ...]]]:
    """The sheet holding the list: 评定结果 (every organization, held ones too, with the year),
    else 等级名单 (a workbook of an earlier version, or typed by hand), else the first with the headers."""
    ours = [name for name in (SHEET_RESULTS, SHEET_TIERS) if name in book.sheetnames]
    names = ours or list(book.sheetnames)
    for name in names:
        rows = [tuple(r) for r in book[name].iter_rows(values_only=True)]
        found = _find_header(rows)
        if found is not None:
            return name, found[0], found[1], rows
    raise UsageError(
        f"上年等级名单 {path.name} 中找不到表头：应有“{C_NAME.header}”和“{C_TIER.header}”两列"
        f"（最好还有“{C_TOWNSHIP.header}”），请使用 chuangyou 导出的等级名单"
    )


def _year(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    match = _YEAR.search(str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _cell(row: tuple[Any, ...], columns: dict[str, int], field: str) -> Any:
    index = columns.get(field)
    return row[index] if index is not None and index < len(row) else None


def load_previous_workbook(path: Path) -> list[PreviousResult]:
    """(name, township, tier, year) of every organization in an exported 等级名单."""
    path = Path(path)
    book = _open(path)
    try:
        sheet, header, columns, rows = _sheet_rows(book, path)
    finally:
        book.close()
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
        results.append(
            PreviousResult(
                name=str(name).strip(),
                township=str(_cell(row, columns, "township") or "").strip(),
                tier=None if tier == HELD_TIER or tier.startswith("待定") else tier,
                year=_year(_cell(row, columns, "year")),
                source=where,
            )
        )
    if problems:
        raise UsageError("上年等级名单中有组织没有等级，无法比较升降", problems)
    return results


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
