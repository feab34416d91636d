"""The comparison workbook (对比.xlsx): 变化汇总, 等级变化, 分项变化.

Planned as sheets of data and rendered by the tier-list export's renderer
(:mod:`chuangyou.export.table`), so it looks and prints like 等级名单.xlsx: styled
headers, tier colours, frozen header, filters, A4 landscape with page numbers.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from chuangyou import __version__
from chuangyou.errors import UsageError
from chuangyou.export import styles
from chuangyou.export.common import none_row
from chuangyou.export.table import Column, Part, Sheet, Styled, Table, Title, render
from chuangyou.ranking.model import Ranking
from chuangyou.rubric.model import QuotaRule, Rubric
from chuangyou.safeio import OutputKind, check_output, write_atomic
from chuangyou.scorecard import fmt
from chuangyou.whatif.report import group_names, reasons_by_source, signed_int
from chuangyou.whatif.run import Outcome
from chuangyou.whatif.texts import delta, item_delta, rule_text

COMPARISON = OutputKind("试算对比")  # this kind of output, for the overwrite policy and `rank`
TITLE = "评定标准调整试算"
SHEET_SUMMARY, SHEET_TIERS, SHEET_ITEMS = "变化汇总", "等级变化", "分项变化"
SHEET_MISSING, SHEET_FAILED = "缺少数据", "未能评分"
_RUBRIC_SUFFIX = "党组织争先创优评定标准"

C_INDEX = Column("序号", 5, 6, center=True)
C_RUBRIC = Column("评定标准", 8, 16)
C_NAME = Column("组织名称", 12, 28)
C_TOWNSHIP = Column("所属乡镇（街道）", 10, 16)
C_TIER = Column("等级", 10, 16, center=True)
C_COUNT = Column("现行", 6, 8)
C_COUNT_AFTER = Column("试算", 6, 8)
C_COUNT_DELTA = Column("增减", 6, 8, center=True)
C_SCORE = Column("现行总分", 6, 8)
C_SCORE_AFTER = Column("试算总分", 6, 8)
C_DELTA = Column("总分增减", 6, 8)
C_TIER_BEFORE = Column("现行等级", 10, 16, center=True)
C_TIER_AFTER = Column("试算等级", 10, 16, center=True)
C_MOVE = Column("等级变化", 6, 8, center=True)
C_RANK = Column("现行排名", 5, 6, center=True)
C_RANK_AFTER = Column("试算排名", 5, 6, center=True)
C_NOTES = Column("说明", 16, 44)
C_ITEM_ID = Column("项目编号", 10, 22)
C_ITEM = Column("项目", 10, 20)
C_ITEM_BEFORE = Column("现行得分", 6, 8)
C_ITEM_AFTER = Column("试算得分", 6, 8)
C_ITEM_DELTA = Column("增减", 6, 8)
C_REASONS = Column("原因（规则：现行 → 试算）", 24, 60)
C_FILE = Column("文件", 16, 40)
C_FIELD = Column("缺少的数据（编号）", 12, 24)
C_LABEL = Column("指标", 12, 30)
C_WHY = Column("原因", 16, 44)


def _tiers(*rankings: Ranking) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for ranking in rankings:
        for group in ranking.groups:
            found.setdefault(group.rubric_id, group.tiers)
    return found


def _tier(tiers: list[str], tier: str) -> Styled:
    return Styled(tier, fill=styles.tier_fill(tiers, tier))


def _trial(new: Rubric | None, quotas: Mapping[str, QuotaRule] | None) -> list[str]:
    lines = []
    if new is not None:
        where = f"，文件 {new.path}" if new.path else ""
        lines.append(f"试算标准：{new.name}（{new.id}，{new.version} 版{where}）")
    if quotas:
        parts = []
        for tier, rule in quotas.items():
            if rule.max_share is not None:
                parts.append(f"{tier}不超过{fmt(rule.max_share * 100)}%")
            if rule.min_share is not None:
                parts.append(f"{tier}不少于{fmt(rule.min_share * 100)}%")
        lines.append("试算名额比例：" + "；".join(parts))
    return lines


def summary_sheet(outcome: Outcome, new: Rubric | None, quotas: Mapping[str, QuotaRule] | None) -> Sheet:
    from chuangyou.whatif.report import summary_line

    names = group_names(outcome)
    current = "、".join(f"{r.name}（{r.version} 版）" for r in outcome.rubrics_before.values())
    parts: list[Part] = [Title(f"{TITLE}：{SHEET_SUMMARY}"), Title(f"现行标准：{current}", big=False)]
    parts += [Title(line, big=False) for line in _trial(new, quotas)]
    parts.append(Title(summary_line(outcome) + "。", big=False))
    columns = [C_RUBRIC, C_TIER, C_COUNT, C_COUNT_AFTER, C_COUNT_DELTA]
    tiers = _tiers(outcome.after, outcome.before)
    rows: list = []
    for group in outcome.whatif.summary:
        for tier in [*group.counts_after, *(t for t in group.counts_before if t not in group.counts_after)]:
            a, b = group.counts_before.get(tier, 0), group.counts_after.get(tier, 0)
            if a or b:
                rows.append([short(names.get(group.group, group.group)), _tier(tiers.get(group.group, []), tier), a, b,
                             signed_int(b - a)])
    parts.append(Table(columns, rows or [none_row(columns)], main=True))
    return Sheet(SHEET_SUMMARY, parts, header=f"{TITLE}：{SHEET_SUMMARY}", landscape=False)


def missing_sheet(outcome: Outcome) -> Sheet:
    missing = outcome.whatif.missing_fields
    names = {e.source: e.name for e in outcome.before.entries()}
    columns = [C_INDEX, C_NAME, C_FILE, C_FIELD, C_LABEL, C_WHY]
    rows: list = []
    for n, m in enumerate(missing, 1):
        for f in m.fields:
            rows.append([n, names.get(m.source, ""), m.source, f.id, f.label, f.reason])
    title = f"{TITLE}：缺少新标准所需数据的组织（{len(missing)} 个）"
    note = "这些组织未按新标准评分，也不在试算排名中；补充所缺数据后再试算。"
    parts: list[Part] = [Title(title), Title(note, big=False), Table(columns, rows or [none_row(columns)], main=True)]
    return Sheet(SHEET_MISSING, parts, header=title)


def failures_sheet(outcome: Outcome) -> Sheet:
    columns = [C_INDEX, C_FILE, C_WHY]
    rows: list = [[n, f.source, "\n".join([f.reason, *f.problems])] for n, f in enumerate(outcome.failures, 1)]
    title = f"{TITLE}：未能评分的文件（{len(rows)} 个，不参与比较）"
    return Sheet(SHEET_FAILED, [Title(title), Table(columns, rows or [none_row(columns)], main=True)], header=title)


def short(name: str) -> str:
    """村(社区) for 村(社区)党组织争先创优评定标准, as the tier list labels its groups."""
    return name[: -len(_RUBRIC_SUFFIX)] if name.endswith(_RUBRIC_SUFFIX) and len(name) > len(_RUBRIC_SUFFIX) else name


def _move(tiers: list[str], before: str, after: str) -> str:
    if before == after or before not in tiers or after not in tiers:
        return "不变" if before == after else "—"
    return "上升" if tiers.index(after) < tiers.index(before) else "下降"


def tiers_sheet(outcome: Outcome) -> Sheet:
    names, tiers = group_names(outcome), _tiers(outcome.after, outcome.before)
    notes = reasons_by_source(outcome)
    columns = [C_INDEX, C_RUBRIC, C_NAME, C_TOWNSHIP, C_SCORE, C_SCORE_AFTER, C_DELTA, C_TIER_BEFORE,
               C_TIER_AFTER, C_MOVE, C_RANK, C_RANK_AFTER, C_NOTES]
    rows: list = []
    for c in outcome.whatif.changes:
        group = tiers.get(c.group, [])
        rows.append([
            len(rows) + 1, short(names.get(c.group, c.group)), c.name, c.township, c.total_before, c.total_after,
            delta(c), _tier(group, c.tier_before), _tier(group, c.tier_after), _move(group, c.tier_before, c.tier_after),
            c.rank_before, c.rank_after, "\n".join(notes.get(c.source, [])),
        ])
    title = f"{TITLE}：总分、等级或排名有变化的组织（{len(rows)} 个）"
    parts: list[Part] = [Title(title), Title("排名为空：存在需另行处理的情形，不参与排名。", big=False),
                         Table(columns, rows or [none_row(columns)], main=True)]
    return Sheet(SHEET_TIERS, parts, header=title)


def items_sheet(outcome: Outcome) -> Sheet:
    columns = [C_INDEX, C_NAME, C_TOWNSHIP, C_ITEM_ID, C_ITEM, C_ITEM_BEFORE, C_ITEM_AFTER, C_ITEM_DELTA, C_REASONS]
    rows: list = []
    for c in outcome.whatif.changes:
        for item in c.items:
            reasons = "\n".join(rule_text(r) for r in item.rules)
            rows.append([len(rows) + 1, c.name, c.township, item.id, item.name, item.before, item.after,
                         item_delta(item), reasons])
    title = f"{TITLE}：项目得分变化（{len(rows)} 项）"
    parts: list[Part] = [Title(title), Title("得分为空：该项目只在其中一个标准中。", big=False),
                         Table(columns, rows or [none_row(columns)], main=True)]
    return Sheet(SHEET_ITEMS, parts, header=title)


def plan(outcome: Outcome, new: Rubric | None, quotas: Mapping[str, QuotaRule] | None) -> Iterator[Sheet]:
    yield summary_sheet(outcome, new, quotas)
    yield tiers_sheet(outcome)
    yield items_sheet(outcome)
    yield missing_sheet(outcome)
    yield failures_sheet(outcome)


def build(path: Path, sheets: Iterable[Sheet]) -> None:
    import xlsxwriter

    with tempfile.TemporaryDirectory(prefix="chuangyou-xlsx-", ignore_cleanup_errors=True) as scratch, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # XlsxWriter's English warnings: every case is handled
        book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "tmpdir": scratch,
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        formats = styles.Formats(book)
        for sheet in sheets:
            render(book, formats, sheet)
        book.set_properties({
            "title": TITLE, "subject": f"{TITLE}：{SHEET_SUMMARY}、{SHEET_TIERS}、{SHEET_ITEMS}",
            # The marker lets `rank` and `whatif` over the same folder skip this file.
            "keywords": COMPARISON.keywords, "author": f"chuangyou {__version__}",
            "comments": "由 chuangyou whatif 根据评定标准自动试算生成。",
            "created": datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
        })
        book.close()


def check_comparison_output(path: Path, inputs: Iterable[Path], force: bool) -> None:
    """Never over an input; over an existing file only if it is an earlier comparison of
    ours, or with ``force`` (safeio's overwrite policy). Called before the scoring too."""
    check_output(path, inputs, kind=COMPARISON, force=force)


def write_comparison(path: Path, outcome: Outcome, new: Rubric | None, quotas: Mapping[str, QuotaRule] | None,
                     inputs: Iterable[Path] = (), *, force: bool = False) -> None:
    """Write the comparison workbook atomically (temp file + rename; never over an input)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件“{path.name}”应以 .xlsx 结尾（对比结果是 Excel 工作簿）")
    write_atomic(path, lambda tmp: build(tmp, plan(outcome, new, quotas)), inputs, kind=COMPARISON, force=force)
