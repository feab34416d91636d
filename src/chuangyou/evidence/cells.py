"""Shared helpers for the sheet parsers: problem collection, header matching, cell text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chuangyou.errors import Problem
from chuangyou.evidence.formulas import FORMULA
from chuangyou.evidence.workbook import Grid, cell_name
from chuangyou.values import display, is_blank, normalize_text

HEADER_ROWS = 20  # the header row is searched for in the first rows (instructions may precede it)


@dataclass
class Problems:
    """Every problem found in one workbook, located as ``村.xlsx 考评数据!G7``."""

    file: str
    items: list[Problem] = field(default_factory=list)

    def in_file(self, message: str) -> None:
        self.items.append(Problem(self.file, message))

    def in_sheet(self, sheet: str, message: str) -> None:
        self.items.append(Problem(f"{self.file} {sheet}", message))

    def at(self, sheet: str, row: int, col: int, message: str) -> None:
        self.items.append(Problem(f"{self.file} {sheet}!{cell_name(row, col)}", message))


def key(raw: Any) -> str:
    """Text for matching labels and headers: NFKC, no spaces, no required-marks or colons."""
    if raw is None:
        return ""
    return normalize_text(raw).replace(" ", "").strip("*:").strip()


def is_header(raw: Any, name: str) -> bool:
    """``自评值`` also matches ``自评值（必填）``: a remark in brackets does not change the column."""
    text = key(raw)
    return text == name or text.startswith(name + "(")


def shown(raw: Any) -> str:
    """What the cell shows, for CellRef.value and messages (no truncation)."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    return display(raw)


def brief(text: str, limit: int = 40) -> str:
    """A value quoted in a message: a 100,000-character cell must not become the message."""
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 个字符）"


def plain_text(raw: Any) -> str:
    """A free-text value (names, people): kept as typed apart from surrounding spaces."""
    return "" if is_blank(raw) else shown(raw)


def unreadable(grid: Grid, row: int, col: int, label: str) -> str | None:
    """The message for a blank cell that is really an uncalculated formula or an error value."""
    if not is_blank(grid.value(row, col)):
        return None
    reason = grid.blank_reason(row, col)
    if reason is None:
        merged = grid.merged_from(row, col)
        if merged is None:
            return None
        area, first = merged
        return (f"“{label}”的单元格 {cell_name(row, col)} 与上方单元格合并（{area}），内容只保存在 {first} 中；"
                "请取消合并单元格，在本行单独填写")
    if reason == FORMULA:
        return f"“{label}”是公式，但文件中没有保存计算结果；请用 Excel 或 WPS 打开该文件并保存后再试"
    return f"“{label}”的公式计算出错（{reason}），请改正公式或直接填写数值"
