"""评定结果反馈表: what each organization is told about its own result — total, tier,
category scores, every deduction with its clause and evidence cell, vetoes and decisions —
with a signature block. One file per organization in township folders, and all of them
in 全部反馈表.docx (one section each, pages numbered from 1) for one print job."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from chuangyou.documents import word
from chuangyou.errors import UsageError
from chuangyou.export.common import CardLoader, cell_label, entry_notes, full_card, veto_text
from chuangyou.export.details import reason_text
from chuangyou.ranking.model import RankedEntry, Ranking, RankingGroup
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import CellRef, ItemScore, ScoreCard, award_text, fmt
from chuangyou.textsafe import file_name

FEEDBACK = word.Kind("评定结果反馈表", "反馈表")
ALL_NAME = "全部反馈表.docx"
FORM_TITLE = 18.0  # 小二: a form, not a 公文
HEADING = 14.0  # 四号黑体
TEXT = word.SIZE_S4
SMALL = word.SIZE_5
# The 156 mm text block: 序号, 项目, 扣分, 原因及依据; the clause row spans the last three.
DEDUCTION_WIDTHS = [12.0, 30.0, 13.0, 110.0]
CLAUSE = 9.0  # 小五: the clause texts, under each item
INFO_WIDTHS = [38.0, 44.5, 38.0, 44.5]


def clauses(rubric: Rubric | None) -> dict[str, tuple[str, str]]:
    """Item id → (考核评价标准, 考评方式) as the rubric states them."""
    if rubric is None:
        return {}
    return {f"{c.id}.{i.id}": (i.standard.strip(), (i.method or "").strip()) for c, i in rubric.items()}


def evidence_text(refs: Iterable[CellRef]) -> str:
    return "；".join(f"{cell_label(r)}（{r.label or r.field}：{r.value}）" for r in refs)


def flat(text: str) -> str:
    """A clause on one line: the rubric's line breaks would cost a printed line each."""
    return "".join(line.strip() for line in text.splitlines())


def clause_text(clause: tuple[str, str] | None) -> str:
    if clause is None:
        return "（评定标准中未找到此项目的条款原文）"
    standard, method = (flat(t) for t in clause)
    return "\n".join(t for t in (f"标准：{standard}" if standard else "", f"考评方式：{method}" if method else "") if t)


def deduction_lines(item: ItemScore) -> list[str]:
    """Each deduction (and award that counted) of the item, with the cells it came from."""
    lines = []
    for d in item.deductions:
        cells = f"依据：{evidence_text(d.evidence)}" if d.evidence else "依据：考评组核定"
        lines.append(f"{reason_text(d)}（扣 {fmt(d.points)} 分）。{cells}")
    for a in item.awards:
        if a.points:
            cells = f"依据：{evidence_text(a.evidence)}" if a.evidence else ""
            lines.append(f"【加分】{award_text(item, a)}（加 {fmt(a.points)} 分）。{cells}")
    return lines


def deductions_table(doc: Any, card: ScoreCard, rubric: Rubric | None) -> None:
    """One row per item that lost points (each deduction with its cells), and under it a row
    across the table with the item's clause: as wide as the page, so long clauses stay short."""
    known = clauses(rubric)
    lost = [i for i in card.items if i.deductions or any(a.points for a in i.awards)]
    rows = [["序号", "项目（分值）", "扣分", "扣分原因及依据"]]
    for n, item in enumerate(lost, 1):
        rows.append([str(n), f"{item.category}-{item.name}（{fmt(item.points)}分）", fmt(item.points - item.score),
                     "\n".join(deduction_lines(item))])
        rows.append(["", clause_text(known.get(item.id) if rubric else None), "", ""])
    if not lost:
        rows.append(["—", "无扣分项目", "0", ""])
    t = word.table(doc, rows, DEDUCTION_WIDTHS, size=SMALL)
    for r in range(2, len(rows), 2) if lost else ():
        row = t.rows[r]
        merged = row.cells[1].merge(row.cells[3])
        word.shrink(merged, CLAUSE)
        t.rows[r - 1].cells[0].merge(row.cells[0])  # 序号 spans both rows


def _rank_text(group: RankingGroup, entry: RankedEntry) -> str:
    if entry.rank is None:
        return "暂不排名（另行处理）"
    return f"第 {entry.rank} 名（共 {group.size} 个）"


def _info(doc: Any, group: RankingGroup, entry: RankedEntry, card: ScoreCard) -> None:
    org = card.organization
    rows = [
        ["组织名称", org.name, "所属乡镇（街道）", org.township or "—"],
        ["组织类别", org.subtype_label or org.subtype, "组织形式", org.form],
        ["评定标准", card.rubric.name or group.rubric_name, "标准版本", card.rubric.version],
        ["考评年度", str(org.year or "—"), "排名", _rank_text(group, entry)],
        ["总分", f"{fmt(card.total)} 分", "评定等级", entry.tier],
        ["自评总分", f"{fmt(card.self_total)} 分", "核定总分", f"{fmt(card.verified_total)} 分"],
    ]
    word.table(doc, rows, INFO_WIDTHS, header=False, size=TEXT, bold_first_col=False)


def _heading(doc: Any, text: str) -> None:
    word.paragraph(doc, "", size=SMALL, line=None)
    word.paragraph(doc, text, font=word.HEADING_FONT, size=HEADING, line=None, keep_next=True)


def organization_pages(doc: Any, group: RankingGroup, entry: RankedEntry, card: ScoreCard,
                       rubric: Rubric | None) -> None:
    """One organization's 反馈表, appended to ``doc``."""
    year = card.organization.year
    word.title(doc, f"{year}年度基层党组织争先创优评定结果反馈表" if year else "基层党组织争先创优评定结果反馈表",
               size=FORM_TITLE)
    _info(doc, group, entry, card)
    _heading(doc, "一、各类别得分（得分／分值）")
    cells = [[c.name, f"{fmt(c.score)}／{fmt(c.points)}"] for c in card.categories]
    cells.append(["合计", f"{fmt(card.verified_total)}／{fmt(sum((c.points for c in card.categories), Decimal(0)))}"])
    half = (len(cells) + 1) // 2
    rows = [[*cells[n], *(cells[n + half] if n + half < len(cells) else ["", ""])] for n in range(half)]
    word.table(doc, rows, [54.5, 28.0, 54.5, 28.0], header=False, size=TEXT)
    _heading(doc, "二、扣分明细（每一处扣分的条款和证明材料单元格）")
    deductions_table(doc, card, rubric)
    _heading(doc, "三、否决情形及说明")
    notes = [veto_text(v) + (f"（依据：{evidence_text(v.evidence)}）" if v.evidence else "") for v in card.vetoes]
    notes += [n for n in entry_notes(entry).split("\n") if n]
    for text in notes or ["无"]:
        word.paragraph(doc, text, size=TEXT, line=None, indent=True)
    _signatures(doc)


def _signatures(doc: Any) -> None:
    word.paragraph(doc, "", size=TEXT, line=None)
    for who in ("考评组成员签字", "党组织书记签收"):
        p = word.paragraph(doc, f"{who}：", size=TEXT, line=24)
        word.add_run(p, "\u3000" * 12 + "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日", size=TEXT)
        word.paragraph(doc, "", size=TEXT, line=None)


def _entries(ranking: Ranking) -> list[tuple[RankingGroup, RankedEntry]]:
    found = []
    for group in ranking.groups:
        for entry in group.entries:
            if entry.card is None:
                raise UsageError(f"结果中没有“{entry.name}”的评分明细，无法生成反馈表")
            found.append((group, entry))
    return found


def feedback_paths(folder: Path, ranking: Ranking) -> list[Path]:
    """反馈表/<乡镇>/<组织名称>.docx, unique even if two names read the same after cleaning."""
    paths: list[Path] = []
    taken: set[str] = set()
    for group in ranking.groups:
        for entry in group.entries:
            town = file_name(entry.township, "未填乡镇")
            base = file_name(entry.name)
            name, n = base, 2
            while f"{town}/{name}".lower() in taken:
                name, n = f"{base}({n})", n + 1
            taken.add(f"{town}/{name}".lower())
            paths.append(folder / town / f"{name}.docx")
    return paths


def write_feedback(folder: Path, ranking: Ranking, rubrics: Mapping[str, Rubric], *,
                   inputs: Iterable[Path] = (), force: bool = False, cards: CardLoader | None = None) -> list[Path]:
    """Write every organization's 反馈表 and 全部反馈表.docx; the paths written, the combined one last.

    ``cards`` gives an entry's whole card when the ranking holds summaries (``rank``: one
    card in memory at a time)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"反馈表的输出位置 {folder} 是一个文件，应给出文件夹")
    if folder.suffix.lower() == ".docx":
        raise UsageError(f"反馈表会按组织各写一个文件，-o 应给出文件夹，而不是“{folder.name}”")
    inputs = list(inputs)
    entries = _entries(ranking)
    paths = feedback_paths(folder, ranking)
    for path in [*paths, folder / ALL_NAME]:  # refuse before writing anything
        word.check_replace(path, FEEDBACK, force)
    combined = word.new_document(FEEDBACK, word.FORM_MARGINS_MM)
    for n, ((group, entry), path) in enumerate(zip(entries, paths, strict=True)):
        rubric = rubrics.get(group.rubric_id)
        card = full_card(entry, cards)
        assert card is not None  # checked by _entries
        single = word.new_document(FEEDBACK, word.FORM_MARGINS_MM)
        organization_pages(single, group, entry, card, rubric)
        _mkdir(path.parent)
        word.save(single, path, FEEDBACK, inputs, force=True)  # checked above
        if n:
            word.new_page_section(combined)
        organization_pages(combined, group, entry, card, rubric)
    _mkdir(folder)
    word.save(combined, folder / ALL_NAME, FEEDBACK, inputs, force=True)
    return [*paths, folder / ALL_NAME]


def _mkdir(folder: Path) -> None:
    from chuangyou.safeio import os_reason

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建文件夹 {folder}：{os_reason(exc)}") from None


