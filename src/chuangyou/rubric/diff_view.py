"""Renderings of a rubric diff: a rich table for the terminal, Markdown and JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.table import Table
from rich.text import Text

from chuangyou.rubric.diff import ACTIONS, Change, marked_parts, marked_text
from chuangyou.rubric.model import Rubric

DELETED, INSERTED = ("[-", "-]"), ("{+", "+}")
LEGEND = "文字修改中 [-…-] 为删去的文字，{+…+} 为新增的文字。"


def rubric_label(ref: str, rubric: Rubric) -> str:
    return f"{ref}（{rubric.name} {rubric.version} 版）"


def heading(old: str, new: str) -> str:
    return f"评定标准差异：{old} → {new}"


def closing(changes: list[Change]) -> str:
    return f"共 {len(changes)} 处差异" if changes else "两个评定标准含义相同，没有差异"


def content_text(change: Change) -> str:
    """What changed, as plain text: ``分数线：90 → 92`` or a clause with its marks."""
    if change.action != "changed":
        return (change.after if change.action == "added" else change.before) or ""
    if change.text:
        return f"{change.attribute}：{marked_text(change.before or '', change.after or '', DELETED, INSERTED)}"
    return f"{change.attribute}：{change.before} → {change.after}"


def _content(change: Change) -> Text:
    if not (change.action == "changed" and change.text):
        return Text(content_text(change))
    text = Text(f"{change.attribute}：")
    for op, part in marked_parts(change.before or "", change.after or ""):
        if op == "=":
            text.append(part)
        elif op == "-":
            text.append(f"{DELETED[0]}{part}{DELETED[1]}", style="red strike")
        else:
            text.append(f"{INSERTED[0]}{part}{INSERTED[1]}", style="green bold")
    return text


def diff_table(changes: list[Change]) -> Table:
    table = Table(show_lines=True, expand=False)
    table.add_column("序号", justify="right")
    table.add_column("变化")
    table.add_column("位置", max_width=50, overflow="fold")
    table.add_column("内容", max_width=90, overflow="fold")
    for n, change in enumerate(changes, 1):
        table.add_row(str(n), ACTIONS[change.action], change.where, _content(change))
    return table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def diff_markdown(changes: list[Change], old: str, new: str) -> str:
    lines = ["# 评定标准差异", "", f"- 旧：{old}", f"- 新：{new}", ""]
    if not changes:
        return "\n".join([*lines, closing(changes)]) + "\n"
    lines += ["| 序号 | 变化 | 位置 | 内容 |", "|---|---|---|---|"]
    for n, change in enumerate(changes, 1):
        if change.action == "changed" and change.text:
            content = f"{change.attribute}：" + marked_text(
                change.before or "", change.after or "", ("~~", "~~"), ("**", "**"))
        else:
            content = content_text(change)
        lines.append(f"| {n} | {ACTIONS[change.action]} | {_cell(change.where)} | {_cell(content)} |")
    lines += ["", f"{closing(changes)}。文字修改中 ~~删除线~~ 为删去的文字，**粗体** 为新增的文字。"]
    return "\n".join(lines) + "\n"


def _ref(ref: str, rubric: Rubric) -> dict[str, Any]:
    return {"ref": ref, "id": rubric.id, "name": rubric.name, "version": rubric.version, "sha256": rubric.sha256}


def diff_json(changes: list[Change], old: tuple[str, Rubric], new: tuple[str, Rubric]) -> str:
    data = {
        "old": _ref(*old),
        "new": _ref(*new),
        "identical": not changes,
        "changes": [
            {
                "change": c.action, "where": c.where, "path": c.path, "attribute": c.attribute, "key": c.key,
                "before": c.before, "after": c.after,
                "marked": marked_text(c.before or "", c.after or "", DELETED, INSERTED) if c.text else None,
            }
            for c in changes
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
