"""Readable renderings of rubrics: rich tables for the terminal and Markdown."""

from __future__ import annotations

from decimal import Decimal

from rich.table import Table

from chuangyou.rubric.model import Item, Rubric
from chuangyou.scorecard import fmt


def list_table(rubrics: list[Rubric]) -> Table:
    table = Table(title="内置评定标准", show_lines=False)
    for header in ("编号", "名称", "版本", "总分", "项目数", "组织类别", "别名"):
        table.add_column(header, overflow="fold")
    for r in rubrics:
        items = sum(len(c.items) for c in r.categories)
        table.add_row(
            r.id, r.name, r.version, fmt(r.total), str(items), "、".join(r.subtypes.values()), "、".join(r.aliases)
        )
    return table


def _source_label(item: Item) -> str:
    parts = item.authored_parts
    if not parts:
        return "原文"
    if len(parts) == 2:
        return "补充"
    return "标准原文，考评方式补充" if parts == ["method"] else "考评方式原文，标准补充"


def _scope(rubric: Rubric, applies: list[str] | None) -> str:
    if applies is None:
        return ""
    return "（仅" + "、".join(rubric.subtypes.get(s, s) for s in applies) + "）"


def rubric_tables(rubric: Rubric) -> list[Table]:
    title = f"{rubric.name}（{rubric.id}，版本 {rubric.version}，总分 {fmt(rubric.total)}）"
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("类别", ratio=1, overflow="fold")
    table.add_column("项目", ratio=1, overflow="fold")
    table.add_column("分值", justify="right", overflow="fold")
    table.add_column("考核评价标准", ratio=3, overflow="fold")
    table.add_column("考评方式", ratio=3, overflow="fold")
    table.add_column("来源", overflow="fold")
    for category in rubric.categories:
        first = True
        for item in category.items:
            table.add_row(
                f"{category.name}\n{fmt(category.points)}分{_scope(rubric, category.applies_to)}" if first else "",
                item.name + _scope(rubric, item.applies_to),
                fmt(item.points),
                item.standard,
                item.method,
                _source_label(item),
            )
            first = False
    tiers = Table(title="等级与否决条件", show_lines=False)
    tiers.add_column("等级 / 条件", overflow="fold")
    tiers.add_column("说明", overflow="fold")
    for tier in rubric.tiers:
        tiers.add_row(tier.name, f"总分 ≥ {fmt(tier.min)}")
    for reason, effect in veto_rows(rubric):
        tiers.add_row(reason, effect)
    return [table, tiers]


def item_rows(rubric: Rubric) -> list[tuple[str, str, Decimal, str, str, str]]:
    """(类别, 项目, 分值, 考核评价标准, 考评方式, 来源) of every item, the category on each row."""
    return [
        (f"{category.name}（{fmt(category.points)}分）{_scope(rubric, category.applies_to)}",
         item.name + _scope(rubric, item.applies_to), item.points, item.standard, item.method, _source_label(item))
        for category in rubric.categories for item in category.items
    ]


def veto_rows(rubric: Rubric) -> list[tuple[str, str]]:
    return [(veto.reason, f"{f'最高评为{veto.cap}' if veto.cap else veto.flag}（条件：{veto.when}）")
            for veto in rubric.vetoes]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def rubric_markdown(rubric: Rubric) -> str:
    lines = [f"# {rubric.name}", "", f"编号 `{rubric.id}`，版本 {rubric.version}，总分 {fmt(rubric.total)}。", ""]
    if rubric.description:
        lines += [rubric.description.strip(), ""]
    lines += ["| 类别 | 项目 | 分值 | 考核评价标准 | 考评方式 | 来源 |", "|---|---|---|---|---|---|"]
    for category in rubric.categories:
        for item in category.items:
            lines.append(
                f"| {_cell(category.name)}（{fmt(category.points)}分） | {_cell(item.name + _scope(rubric, item.applies_to))} "
                f"| {fmt(item.points)} | {_cell(item.standard)} | {_cell(item.method)} | {_source_label(item)} |"
            )
    lines += ["", "## 等级", ""]
    lines += [f"- {t.name}：总分 ≥ {fmt(t.min)}" for t in rubric.tiers]
    if rubric.vetoes:
        lines += ["", "## 否决条件", ""]
        for veto in rubric.vetoes:
            effect = f"最高评为{veto.cap}" if veto.cap else veto.flag
            lines.append(f"- {veto.reason}：{effect}（`{veto.when}`）")
    return "\n".join(lines) + "\n"
