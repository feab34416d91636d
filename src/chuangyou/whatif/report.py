"""Terminal tables of a what-if run (the workbook is in :mod:`chuangyou.whatif.workbook`)."""

from __future__ import annotations

from rich.table import Table

from chuangyou.scorecard import fmt
from chuangyou.whatif.run import Outcome
from chuangyou.whatif.texts import item_text, moved, rank_text, signed, tier_reasons


def group_names(outcome: Outcome) -> dict[str, str]:
    names = {rid: r.name for rid, r in outcome.rubrics_before.items()}
    names.update({rid: r.name for rid, r in outcome.rubrics_after.items()})
    return names


def _table(title: str, *columns: tuple[str, str]) -> Table:
    table = Table(title=title, header_style="bold", show_lines=True)
    for header, justify in columns:
        table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]
    return table


def summary_table(outcome: Outcome) -> Table:
    names = group_names(outcome)
    table = _table("各等级数量：现行 → 试算", ("评定标准", "left"), ("等级", "left"), ("现行", "right"),
                   ("试算", "right"), ("增减", "right"))
    for group in outcome.whatif.summary:
        first = True
        for tier in [*group.counts_after, *(t for t in group.counts_before if t not in group.counts_after)]:
            a, b = group.counts_before.get(tier, 0), group.counts_after.get(tier, 0)
            if not (a or b):
                continue
            table.add_row(names.get(group.group, group.group) if first else "", tier, str(a), str(b),
                          signed_int(b - a))
            first = False
    return table


def signed_int(value: int) -> str:
    return f"+{value}" if value > 0 else str(value) if value else "0"


def changes_table(outcome: Outcome) -> Table:
    notes = reasons_by_source(outcome)
    table = _table(f"总分、等级或排名有变化的组织（{len(outcome.whatif.changes)} 个）",
                   ("组织名称", "left"), ("所属乡镇（街道）", "left"), ("总分", "right"), ("等级", "left"),
                   ("排名", "right"), ("变化原因", "left"))
    for c in outcome.whatif.changes:
        reasons = [item_text(i) for i in c.items] + notes.get(c.source, [])
        total = moved(fmt(c.total_before), fmt(c.total_after))
        if c.total_after != c.total_before:
            total += f"（{signed(c.total_after - c.total_before)}）"
        table.add_row(c.name, c.township, total, moved(c.tier_before, c.tier_after),
                      moved(rank_text(c.rank_before), rank_text(c.rank_after)), "\n".join(reasons))
    return table


def missing_table(outcome: Outcome) -> Table:
    names = {e.source: e.name for e in outcome.before.entries()}
    table = _table(f"缺少新标准所需数据、未按新标准评分的组织（{len(outcome.whatif.missing_fields)} 个）",
                   ("组织名称", "left"), ("文件", "left"), ("缺少的数据", "left"))
    for m in outcome.whatif.missing_fields:
        fields = "\n".join(f"{f.id}（{f.label}）：{f.reason}" for f in m.fields)
        table.add_row(names.get(m.source, ""), m.source, fields)
    return table


def reasons_by_source(outcome: Outcome) -> dict[str, list[str]]:
    """Why each organization's final tier moved (:func:`tier_reasons`)."""
    after = {e.source: e for e in outcome.after.entries()}
    return {e.source: tier_reasons(e, after[e.source]) for e in outcome.before.entries() if e.source in after}


def summary_line(outcome: Outcome) -> str:
    w = outcome.whatif
    text = (f"共 {outcome.files} 个文件，比较 {outcome.scored} 个组织：{len(w.changes)} 个总分、等级或排名有变化")
    if w.missing_fields:
        text += f"，{len(w.missing_fields)} 个缺少新标准所需的数据（未按新标准评分，试算排名中不含）"
    if outcome.failures:
        text += f"，{len(outcome.failures)} 个文件未能评分"
    return text
