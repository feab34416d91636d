"""Terminal renderings of a ScoreCard (rich): summary, deductions and the clause-by-clause explanation."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import CellRef, ScoreCard, award_text, fmt, veto_text

BAR_WIDTH = 20


def _bar(score: Decimal, points: Decimal) -> Text:
    filled = int((score / points) * BAR_WIDTH) if points else 0
    style = "green" if score == points else ("yellow" if score * 2 >= points else "red")
    return Text("█" * filled + "░" * (BAR_WIDTH - filled), style=style)


def _fold(table: Table) -> Table:
    """Wrap long cell text instead of cutting it (output is often piped or narrow)."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def _cells(refs: list[CellRef]) -> str:
    return "；".join(f"{r.sheet}!{r.cell}（{r.label or r.field}）={r.value}" for r in refs)


def _heading(card: ScoreCard) -> Text:
    org = card.organization
    parts = [p for p in (org.township, org.subtype_label or org.subtype, org.form,
                         f"{org.year}年" if org.year else "", org.period) if p]
    text = Text()
    text.append(org.name, style="bold")
    if parts:
        text.append("（" + " · ".join(parts) + "）")
    text.append(f"\n评定标准：{card.rubric.name or card.rubric.id} {card.rubric.version}    材料：{card.source}")
    total = f"\n总分 {fmt(card.total)}"
    if card.self_total != card.verified_total or card.total != card.verified_total:
        total += f"（核定 {fmt(card.verified_total)}，自评 {fmt(card.self_total)}）"
    text.append(total, style="bold")
    text.append("    等级：")
    text.append(card.tier, style="bold magenta")
    if card.held:
        text.append(f"（按分数为{card.threshold_tier}；存在需另行处理的情形，暂不定级）")
    elif card.tier != card.threshold_tier:
        text.append(f"（按分数为{card.threshold_tier}，因否决条件限定）")
    return text


def summary(card: ScoreCard) -> RenderableType:
    """Total, tier, per-category bars, deductions, vetoes, flags and warnings."""
    parts: list[RenderableType] = [_heading(card)]
    categories = Table(title="各类别得分", show_header=True, header_style="bold")
    categories.add_column("类别", overflow="fold")
    categories.add_column("得分", justify="right", overflow="fold")
    categories.add_column("分值", justify="right", overflow="fold")
    categories.add_column("", overflow="fold")
    for c in card.categories:
        categories.add_row(c.name, fmt(c.score), fmt(c.points), _bar(c.score, c.points))
    parts.append(_fold(categories))
    deductions = Table(title="扣分明细", show_lines=True, header_style="bold")
    for header in ("项目", "扣分", "原因", "依据"):
        deductions.add_column(header, overflow="fold")
    count = 0
    for item in card.items:
        for d in item.deductions:
            lost = fmt(d.points) + (f"（规则扣 {fmt(d.nominal)}，扣完为止）" if d.nominal is not None else "")
            deductions.add_row(item.name, lost, d.reason, _cells(d.evidence))
            count += 1
        for a in item.awards:  # shown beside the deductions so that the points add up
            deductions.add_row(item.name, f"加 {fmt(a.points)}", award_text(item, a), _cells(a.evidence))
            count += 1
    parts.append(_fold(deductions) if count else Text("没有扣分。", style="green"))
    parts.extend(_notes(card))
    return Group(*parts)


def _notes(card: ScoreCard) -> list[RenderableType]:
    notes: list[RenderableType] = []
    for v in card.vetoes:
        notes.append(Text(f"否决条件：{veto_text(v)}。依据：{_cells(v.evidence)}", style="red"))
    for f in card.flags:
        if f.kind != "另行处理":  # its veto line above says it
            notes.append(Text(f"标记【{f.kind}】：{f.reason}", style="yellow"))
    for w in card.warnings:
        notes.append(Text(f"提示：{w}", style="yellow"))
    return notes


def explanation(card: ScoreCard, rubric: Rubric) -> RenderableType:
    """The summary first (total, tier, categories, deductions, vetoes), then every item with
    its clauses and what happened to it."""
    clauses = {f"{c.id}.{i.id}": i for c, i in rubric.items()}
    table = Table(title="逐项说明", show_lines=True, header_style="bold", expand=True)
    table.add_column("项目", ratio=1, overflow="fold")
    table.add_column("得分", justify="right", overflow="fold")
    table.add_column("考核评价标准 / 考评方式", ratio=3, overflow="fold")
    table.add_column("计分过程", ratio=2, overflow="fold")
    for item in card.items:
        spec = clauses.get(item.id)
        clause = f"{spec.standard}\n【考评方式】{spec.method}" if spec else ""
        steps = [f"-{fmt(d.points)} {d.reason}" + (f"（{_cells(d.evidence)}）" if d.evidence else "")
                 for d in item.deductions]
        steps += [f"+{fmt(a.points)} {award_text(item, a)}" + (f"（{_cells(a.evidence)}）" if a.evidence else "")
                  for a in item.awards]
        table.add_row(f"{item.category}\n{item.name}", f"{fmt(item.score)}/{fmt(item.points)}",
                      clause, "\n".join(steps) or "满分")
    return Group(summary(card), _fold(table))
