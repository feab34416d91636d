"""The tier-list workbook, the JSON of a ranked batch, last year's list, and `chuangyou export`.

Organizations are scored with the real engine against the small rubric below (10 points:
设置合理 3 = 3 − 1 if not surveyed − missing; 班子健全 3 = 0 if not team_ok; 服务群众 4 =
4 − 0.5 × (4 − services); tiers 9 / 8 / 6 / 0) and ranked with chuangyou.ranking.rank.
Expected totals, worked by hand:

    甲、乙、=HYPERLINK…  all good                     10   优秀 (rank 1, tie of four with 辛)
    辛                 satisfaction 50 → veto cap    10   软弱涣散 (rank 1)
    丙                 services 3: −0.5              9.5  优秀 (rank 5)
    丁 / -1 / #N/A     not surveyed / missing 1 / services 2   9  优秀 (rank 6)
    戊                 missing 2: −2                 8    良好 (rank 9)
    己                 team_ok false: −3             7    一般 (rank 10)
    庚                 team_ok false, services 0     5    软弱涣散 (rank 11)
    壬                 financial_issue → held        10   待定（另行处理）, no rank
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook

from chuangyou.batch import Failure, is_own_output
from chuangyou.cli.main import main
from chuangyou.engine import score
from chuangyou.errors import UsageError
from chuangyou.export import dump_results, load_previous_workbook, load_results, write_tierlist
from chuangyou.export import workbook as workbook_module
from chuangyou.export.common import Links
from chuangyou.export.pages import plan_pages
from chuangyou.export.styles import excel_number, score_format, text_width
from chuangyou.export.tierlist import ListHeading
from chuangyou.ranking import HELD_TIER, Ranking, load_previous, rank
from chuangyou.rubric import Rubric, load_rubric_text
from chuangyou.rubric.model import QuotaRule
from chuangyou.scorecard import CellRef, Evidence, Organization, ScoreCard

A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
SHEETS = ["等级名单", "评定结果", "得分明细", "扣分明细", "问题分析", "乡镇统计", "乡镇问题分析", "整改清单", "未能评分"]  # two townships
INJECTED = '=HYPERLINK("http://evil.example","点我")'
RUBRIC_YAML = """
id: testvil
name: 测试村党组织争先创优评定标准
version: "1.0"
total: 10
subtypes: {village: 村, community: 社区}
tiers:
  - {name: 优秀党支部, min: 9}
  - {name: 良好党支部, min: 8}
  - {name: 一般党支部, min: 6}
  - {name: 软弱涣散党支部, min: 0}
fields:
  satisfaction: {label: 群众满意率, type: number, min: 0, max: 100, unit: "%"}
  financial_issue: {label: 存在重大财务纰漏, type: bool}
vetoes:
  - when: satisfaction < 60
    cap: 软弱涣散党支部
    reason: 群众满意率低于60%
  - when: financial_issue
    flag: 另行处理
    reason: 存在重大财务纰漏
categories:
  - id: org
    name: 组织建设
    points: 6
    items:
      - id: setup
        name: 设置合理
        points: 3
        standard: 组织设置合理，每年摸底排查1次。
        fields:
          surveyed: {label: 开展摸底排查, type: bool}
          missing: {label: 缺少台账数, type: int, min: 0, unit: 本}
        rules:
          - deduct: 1
            when: not surveyed
            reason: 未进行摸底排查
          - deduct: missing
            reason: 每缺1本台账扣1分
      - id: team
        name: 班子健全
        points: 3
        standard: 班子成员配备齐全。
        fields:
          team_ok: {label: 班子配备齐全, type: bool}
        rules:
          - zero_if: not team_ok
            reason: 班子配备不齐
  - id: work
    name: 工作成效
    points: 4
    items:
      - id: service
        name: 服务群众
        points: 4
        standard: 常态化开展服务群众活动，每年不少于4次。
        fields:
          services: {label: 开展服务次数, type: int, min: 0, unit: 次}
        rules:
          - deduct: 0.5 * (4 - services)
            when: services < 4
            reason: 服务次数不足4次
"""
ROWS = {"surveyed": 3, "missing": 4, "team_ok": 5, "services": 6, "satisfaction": 7, "financial_issue": 8}
GOOD: dict[str, Any] = {"surveyed": True, "missing": Decimal(0), "team_ok": True, "services": Decimal(4),
                        "satisfaction": Decimal(95), "financial_issue": False}
ORGS: list[tuple[str, str, dict[str, Any]]] = [
    ("甲村党支部", "城关镇", {}), ("乙村党支部", "城关镇", {}), (INJECTED, "+1", {}),
    ("辛村党支部", "城关镇", {"satisfaction": Decimal(50)}), ("丙村党支部", "城关镇", {"services": Decimal(3)}),
    ("丁村党支部", "城关镇", {"surveyed": False}), ("-1", "@SUM(A1)", {"missing": Decimal(1)}),
    ("#N/A", "=1+1", {"services": Decimal(2)}), ("戊村党支部", "城关镇", {"missing": Decimal(2)}),
    ("己村党支部", "城关镇", {"team_ok": False}), ("庚村党支部", "城关镇", {"team_ok": False, "services": Decimal(0)}),
    ("壬村党支部", "城关镇", {"financial_issue": True}),
]


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_text(RUBRIC_YAML, "测试.yaml")


def make_card(rubric: Rubric, folder: Path, n: int, name: str, township: str, changes: dict[str, Any]) -> ScoreCard:
    values = {**GOOD, **changes}
    cells = {
        f: CellRef(field=f, label=f, sheet="考评数据", cell=f"H{ROWS[f]}",
                   value=("是" if v else "否") if isinstance(v, bool) else str(v))
        for f, v in values.items()
    }
    org = Organization(name=name, township=township, subtype="village", year=2026)
    evidence = Evidence(source=str(folder / f"材料{n:02d}.xlsx"), organization=org, values=values,
                        self_values=values, cells=cells)
    return score(rubric, evidence)


@pytest.fixture
def batch(rubric: Rubric, tmp_path: Path) -> tuple[list[ScoreCard], Ranking]:
    folder = tmp_path / "证明材料"
    cards = [make_card(rubric, folder, n, name, town, ch) for n, (name, town, ch) in enumerate(ORGS)]
    return cards, rank(cards, {rubric.id: rubric})


FAILURES = [Failure(source="证明材料/坏.xlsx", reason="无法读取", problems=["坏.xlsx 考评数据!G7: 值“abc”不是数字"])]


def export(tmp_path: Path, ranking: Ranking, rubric: Rubric, failures: list[Failure] = FAILURES, **kw: Any) -> Path:
    out = tmp_path / "输出" / "等级名单.xlsx"
    out.parent.mkdir(exist_ok=True)
    write_tierlist(out, ranking, failures, {rubric.id: rubric}, **kw)
    return out


def table(ws: Any, first_header: str = "序号") -> tuple[int, list[str], list[list[Any]]]:
    """(header row, headers, data rows) of the sheet's table found by its first header."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    return at + 1, [h for h in rows[at] if h is not None], rows[at + 1 :]


def by_name(rows: list[list[Any]], headers: list[str]) -> dict[str, dict[str, Any]]:
    return {r[headers.index("组织名称")]: dict(zip(headers, r, strict=False)) for r in rows}


# --- the workbook ---------------------------------------------------------------------------

def test_sheets_headers_and_tier_list(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    book = load_workbook(export(tmp_path, ranking, rubric))
    assert book.sheetnames == SHEETS
    header_row, headers, rows = table(book["评定结果"])
    assert headers == ["序号", "评定标准", "排名", "组织名称", "所属乡镇（街道）", "乡镇内排名", "组织类别", "组织形式",
                       "考评年度", "总分", "自评总分", "等级", "按分数等级", "否决情形", "说明"]
    got = by_name(rows, headers)
    # Several townships: the rank within its own. 城关镇 10 10 10 9.5 9 …; "-1" is alone in "@SUM(A1)".
    assert [got[n]["乡镇内排名"] for n in ("甲村党支部", "辛村党支部", "丙村党支部", "丁村党支部", "-1")] == [1, 1, 4, 5, 1]
    expected = {"甲村党支部": (1, A, 10), INJECTED: (1, A, 10), "辛村党支部": (1, D, 10), "丙村党支部": (5, A, 9.5),
                "丁村党支部": (6, A, 9), "-1": (6, A, 9), "#N/A": (6, A, 9), "戊村党支部": (9, B, 8),
                "己村党支部": (10, C, 7), "庚村党支部": (11, D, 5), "壬村党支部": (None, HELD_TIER, 10)}
    for name, (rank_, tier, total) in expected.items():
        assert (got[name]["排名"], got[name]["等级"], got[name]["总分"]) == (rank_, tier, total), name
    # by rank, so that ranks read in order down the sheet (held last), numbered down the sheet
    assert [r[headers.index("排名")] for r in rows] == [1, 1, 1, 1, 5, 6, 6, 6, 9, 10, 11, None]
    assert [r[0] for r in rows] == list(range(1, 13))
    assert [got[n]["排名"] for n in ("辛村党支部", "庚村党支部")] == [1, 11]
    assert got["辛村党支部"]["按分数等级"] == A
    assert got["辛村党支部"]["否决情形"] == "群众满意率低于60%（最高评为软弱涣散党支部）"
    assert got["辛村党支部"]["说明"] == f"否决条件：群众满意率低于60%，等级由{A}调整为{D}"
    assert got["壬村党支部"]["否决情形"] == "存在重大财务纰漏（另行处理）"
    assert got["壬村党支部"]["说明"].startswith("存在需另行处理的情形（存在重大财务纰漏），暂不定级")
    assert got["甲村党支部"]["评定标准"] == "测试村" and got["甲村党支部"]["组织类别"] == "村"
    assert book["评定结果"]["A1"].value == "2026年度基层党组织争先创优评定等级名单"
    assert book["评定结果"]["A2"].value == "测试村党组织争先创优评定标准（1.0 版）：参评 12 个，参与排名 11 个"


def test_printed_list_by_tier_without_internal_columns(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    ws = load_workbook(export(tmp_path, ranking, rubric))["等级名单"]
    _, headers, rows = table(ws)
    assert headers == ["序号", "组织名称", "所属乡镇（街道）", "组织类别", "等级"]
    # Tier by tier, within a tier by township (as text sorts: "+1" < "=1+1" < "@SUM(A1)" < 城关镇),
    # then rank (ties in the ranking's order); 壬 (held) is not published.
    assert [(r[1], r[4]) for r in rows] == [
        (INJECTED, A), ("#N/A", A), ("-1", A), ("乙村党支部", A), ("甲村党支部", A), ("丙村党支部", A),
        ("丁村党支部", A), ("戊村党支部", B), ("己村党支部", C), ("辛村党支部", D), ("庚村党支部", D)]
    assert [r[0] for r in rows] == list(range(1, 12))
    assert ws["A1"].value == "2026年度基层党组织争先创优评定等级名单"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ws["A2"].value)  # today, without a 公示.yaml


def test_printed_list_heading_and_scores(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    heading = ListHeading(title="城关镇2026年度先进基层党组织名单", issuer="中共城关镇委员会", date="2026年12月20日",
                          with_scores=True)
    ws = load_workbook(export(tmp_path, ranking, rubric, heading=heading))["等级名单"]
    _, headers, rows = table(ws)
    assert headers[-2:] == ["等级", "总分"] and rows[0][-1] == 10 and rows[-1][-1] == 5
    assert (ws["A1"].value, ws["A2"].value) == ("城关镇2026年度先进基层党组织名单", "中共城关镇委员会　　2026年12月20日")
    assert ws.oddHeader.center.text.endswith("城关镇2026年度先进基层党组织名单")


def test_quota_and_previous_show_in_notes_and_columns(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    cards, _ = batch
    previous = load_previous_workbook(export(tmp_path, rank(cards, {rubric.id: rubric}), rubric))
    ranking = rank(cards, {rubric.id: rubric}, quotas={A: QuotaRule(max_share=Decimal("0.3"))}, previous=previous)
    _, headers, rows = table(load_workbook(export(tmp_path, ranking, rubric))["评定结果"])
    assert headers[headers.index("按分数等级"):][:3] == ["按分数等级", "上年等级", "变化"]
    got = by_name(rows, headers)
    # 11 ranked, 30% → at most 3 优秀: the three 10s stay, 丙 (9.5) and the 9s move down.
    assert got["丙村党支部"]["等级"] == B and got["丙村党支部"]["变化"] == "降级"
    assert got["丙村党支部"]["说明"] == "优秀党支部名额上限30%（共11个组织，最多3个），按排名调整为良好党支部"
    assert (got["甲村党支部"]["上年等级"], got["甲村党支部"]["变化"]) == (A, "持平")


def test_score_matrix_per_item(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    ws = load_workbook(export(tmp_path, ranking, rubric))["得分明细"]
    _, headers, rows = table(ws)
    # 总分 and 等级 first, then category subtotals, then the items under short headers.
    assert headers == ["序号", "组织名称", "排名", "总分", "等级", "自评总分", "组织建设\n（6分）", "工作成效\n（4分）",
                       "设置合理\n（3分）", "班子健全\n（3分）", "服务群众\n（4分）"]
    got = by_name(rows, headers)
    assert [got["庚村党支部"][h] for h in headers[2:]] == [11, 5, D, 5, 3, 2, 3, 0, 2]
    assert [got["丙村党支部"][h] for h in headers[2:]] == [5, 9.5, A, 9.5, 6, 3.5, 3, 3, 3.5]
    assert [r[2] for r in rows] == [1, 1, 1, 1, 5, 6, 6, 6, 9, 10, 11, None]  # by rank
    assert ws["A2"].value == "类别小计之后按类别顺序列出各项目得分（组织建设 2 项、工作成效 1 项）；灰色空白：该项目不适用于此类组织。"
    assert ws.freeze_panes == "C4" and ws.print_title_cols == "$A:$B"
    # Two pages wide at most, as many down as needed.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)


def test_deductions_with_links_to_the_evidence_cells(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    ws = load_workbook(export(tmp_path, ranking, rubric))["扣分明细"]
    header_row, headers, rows = table(ws)
    assert headers == ["序号", "评定标准", "组织名称", "所属乡镇（街道）", "等级", "类别", "项目", "扣分", "原因",
                       "依据单元格", "指标", "填报值", "材料文件"]
    assert sum(r[headers.index("扣分")] for r in rows) == 13.5  # every point lost: 0.5+1+1+1+2+3+5
    wu = next(n for n, r in enumerate(rows) if r[2] == "戊村党支部")
    assert rows[wu][5:12] == ["组织建设", "设置合理", 2, "每缺1本台账扣1分", "考评数据!H4", "missing（H4）", "2"]
    link = ws.cell(header_row + 1 + wu, headers.index("依据单元格") + 1).hyperlink
    # Relative targets are written with backslashes, as Excel writes them (LibreOffice reads them too).
    assert (link.target, link.location) == ("..\\证明材料\\材料08.xlsx", "'考评数据'!H4")


def test_link_targets_are_relative_and_quoted(tmp_path: Path) -> None:
    links = Links(tmp_path / "out" / "名单.xlsx")
    ref = CellRef(field="x", sheet="考评 数据", cell="G7", value="1")
    link = links.link(str(tmp_path / "材料" / "东 村#1 100%.xlsx"), ref)
    assert link.target == "../材料/东%20村%231%20100%25.xlsx"
    assert link.location == "'考评 数据'!G7"
    assert links.link(str(tmp_path / "out" / "甲.xlsx"), ref).target == "甲.xlsx"


def test_text_from_inputs_is_never_a_formula(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    out = export(tmp_path, ranking, rubric)
    _, headers, rows = table(load_workbook(out)["等级名单"])
    names = {r[headers.index("组织名称")]: r[headers.index("所属乡镇（街道）")] for r in rows}
    assert names[INJECTED] == "+1" and names["-1"] == "@SUM(A1)" and names["#N/A"] == "=1+1"
    with zipfile.ZipFile(out) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(archive.read(n).decode() for n in sheets)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    assert 't="e"' not in xml  # and no error cell (#N/A stays text)


def test_text_that_reads_like_rich_text_stays_text(rubric: Rubric, tmp_path: Path) -> None:
    """XlsxWriter writes a text between <r> and </r> into the XML as it is (rich text):
    "<r>&</r>" as a name would make Excel refuse the whole workbook."""
    folder = tmp_path / "证明材料"
    names = ["<r>&</r>", "<r><t>x</t></r>", "甲村党支部"]
    cards = [make_card(rubric, folder, n, name, "<r>城关镇</r>", {}) for n, name in enumerate(names)]
    out = export(tmp_path, rank(cards, {rubric.id: rubric}), rubric)
    book = load_workbook(out)  # well-formed XML (openpyxl, like Excel, refuses a broken sheet)
    _, headers, rows = table(book["等级名单"])
    shown = sorted(r[headers.index("组织名称")].rstrip("\u200b") for r in rows)
    assert shown == sorted(names)
    assert {r[headers.index("所属乡镇（街道）")] for r in rows} == {"<r>城关镇</r>\u200b"}  # an invisible mark at the end


def test_analysis_rectification_and_failures(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    out = export(tmp_path, ranking, rubric)
    book = load_workbook(out)
    _, headers, rows = table(book["问题分析"], "评定标准")
    top = dict(zip(headers, rows[0], strict=False))
    # 班子健全: 己 and 庚 lose 3 each (6 over 12 organizations = 0.5); then 设置合理 1+1+2 = 4,
    # then 服务群众 0.5+1+2 = 3.5.
    assert (top["项目"], top["扣分组织数"], top["合计扣分"], top["平均扣分"], top["最常见原因"]) == (
        "班子健全", 2, 6, 0.5, "班子配备不齐（2 个组织）")
    assert [r[headers.index("项目")] for r in rows] == ["班子健全", "设置合理", "服务群众"]
    with zipfile.ZipFile(out) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        # the tier distribution and the group's costliest items; 乡镇统计's tier shares
        assert len(charts) == 3
        items_chart = archive.read(charts[1]).decode()
    assert re.search(r"<(c:)?barChart>", items_chart)
    assert re.search(r"<(c:)?f>'问题分析'!\$I\$52:\$I\$54</(c:)?f>", items_chart)

    _, headers, rows = table(book["整改清单"], "组织名称")
    assert headers[-3:] == ["整改措施", "责任人", "完成时限"]  # to fill in, as in the 整改通知书
    assert all(r[-3:] == [None, None, None] for r in rows)
    assert [(r[0], r[3]) for r in rows] == [
        ("庚村党支部", "合计"), ("庚村党支部", "组织建设-班子健全"), ("庚村党支部", "工作成效-服务群众"),
        ("辛村党支部", "合计"), ("辛村党支部", "否决情形"), ("己村党支部", "合计"), ("己村党支部", "组织建设-班子健全"),
        ("壬村党支部", "合计"), ("壬村党支部", "否决情形")]
    assert rows[1][4:7] == [3, "班子配备不齐", "班子成员配备齐全。"]
    assert rows[0][5] == f"总分 5 分（按分数为{D}），2 个项目失分"
    assert rows[4][5] == "群众满意率低于60%（最高评为软弱涣散党支部）" and rows[4][8] == "satisfaction（H7）：50"

    _, headers, rows = table(book["未能评分"])
    assert rows == [[1, "证明材料/坏.xlsx", "无法读取", "坏.xlsx 考评数据!G7: 值“abc”不是数字"]]


def test_every_sheet_is_set_up_for_screen_and_print(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    out = export(tmp_path, ranking, rubric)
    book = load_workbook(out)
    for name in SHEETS:
        ws = book[name]
        orientation = "portrait" if name == "等级名单" else "landscape"
        assert ws.page_setup.orientation == orientation and ws.page_setup.paperSize == 9
        # Each sheet numbers its own pages from 1; the printed list plans its pages and states its total.
        total = "1" if name == "等级名单" else "&N"
        assert ws.oddFooter.center.text == f"第 &P 页 共 {total} 页" and ws.page_setup.useFirstPageNumber
        if name == "问题分析":
            assert ws.freeze_panes is None and ws.auto_filter.ref  # a report: filter on its item table
            continue
        if name == "乡镇统计":
            assert ws.freeze_panes is None and not ws.auto_filter.ref  # a report of several blocks
            continue
        first = {"整改清单": "组织名称", "乡镇问题分析": "评定标准"}.get(name, "序号")
        header_row, _, _ = table(ws, first)
        assert ws.freeze_panes.endswith(str(header_row + 1))
        assert ws.auto_filter.ref.startswith(f"A{header_row}:")
        assert ws.print_title_rows == f"${header_row}:${header_row}"
        assert ws.cell(header_row, 1).font.b and ws.cell(header_row, 1).fill.fgColor.rgb[-6:] == "C00000"
    setup = book["评定结果"].page_setup  # one page wide (1 is the file format's default), any number of pages down
    assert book["评定结果"].sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0
    widths = book["评定结果"].column_dimensions
    # Stored as Excel stores a width it shows as 30: with the cell padding (0.7109375) added.
    shown = {col: round(widths[col].width - 0.7109375, 2) for col in "DE"}
    assert shown["D"] == 30  # 组织名称: the injected name is longer than the cap
    assert shown["E"] == 11  # 所属乡镇（街道）: 8 CJK characters = 16, on two lines: 16 / 2 + 1, + 2
    assert "chuangyou-export" in book.properties.keywords and book.properties.title == "等级名单"
    assert is_own_output(out)


def test_pages_of_a_long_printed_list() -> None:
    # Portrait A4: (841.9 − 86.4) × 0.94 = 710.2 pt. Page 1: title 28.8 + date 18 + header 32.4,
    # then 35 rows of 18 pt (709.2); later pages: the repeated header and 37 rows (698.4).
    heights = [28.8, 18, 32.4] + [18.0] * 100
    assert plan_pages(heights, 2, landscape=False) == ([38, 75], 3)
    assert plan_pages(heights[:20], 2, landscape=False) == ([], 1)


def test_streaming_and_normal_worksheets_write_the_same_cells(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    streamed = load_workbook(export(tmp_path, ranking, rubric))
    normal = load_workbook(export(tmp_path, ranking, rubric, write_only=False))
    for name in SHEETS:
        assert list(streamed[name].values) == list(normal[name].values), name


def test_empty_batch_still_has_every_sheet(rubric: Rubric, tmp_path: Path) -> None:
    book = load_workbook(export(tmp_path, Ranking(), rubric, failures=[]))
    assert book.sheetnames == [s for s in SHEETS if not s.startswith("乡镇")]  # no township at all
    for name, first in (("等级名单", "序号"), ("评定结果", "序号"), ("扣分明细", "序号"), ("整改清单", "组织名称"),
                        ("未能评分", "序号")):
        assert table(book[name], first)[2][0][0] == "无", name


def test_one_score_sheet_per_rubric(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    cards, _ = batch
    other = load_rubric_text(RUBRIC_YAML.replace("id: testvil", "id: testorg").replace("测试村", "测试[机关]"))
    second = make_card(other, tmp_path, 99, "机关党支部", "城关镇", {})
    ranking = rank([*cards, second], {rubric.id: rubric, other.id: other})
    book = load_workbook(export(tmp_path, ranking, rubric))
    assert book.sheetnames[2:4] == ["得分明细-测试_机关_", "得分明细-测试村"]  # groups by rubric id; []→_


@pytest.mark.parametrize("text", ["90.15", "87.25", "0.1", "99.99", "33.333", "72.5", "100"])
def test_scores_read_back_as_the_same_decimal(text: str) -> None:
    value = excel_number(Decimal(text))
    assert Decimal(repr(value)) == Decimal(text)


@pytest.mark.parametrize(("text", "number_format"), [("90", "0"), ("92.5", "0.0"), ("92.50", "0.0"),
                                                     ("87.25", "0.00"), ("1E+1", "0"), ("0.3333", "0.00")])
def test_score_format_shows_the_decimals_a_score_has(text: str, number_format: str) -> None:
    assert score_format(Decimal(text)) == number_format


def test_cjk_characters_count_double() -> None:
    assert text_width("村（社区）") == 10 and text_width("ab") == pytest.approx(2.2)


def test_failed_write_leaves_no_file(batch: Any, rubric: Rubric, tmp_path: Path, monkeypatch: Any) -> None:
    _, ranking = batch
    calls = []

    def broken(book: Any, formats: Any, sheet: Any) -> None:
        calls.append(sheet.name)
        if len(calls) == 3:
            raise RuntimeError("disk full")

    monkeypatch.setattr(workbook_module, "render", broken)
    (tmp_path / "输出").mkdir()
    with pytest.raises(RuntimeError):
        export(tmp_path, ranking, rubric)
    assert list((tmp_path / "输出").iterdir()) == []  # neither the file nor a temporary one


def test_output_over_an_input_is_refused(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    source = tmp_path / "材料.xlsx"
    source.write_bytes(b"evidence")
    with pytest.raises(UsageError, match="与输入文件相同"):
        write_tierlist(source, ranking, [], {rubric.id: rubric}, inputs=[source])
    assert source.read_bytes() == b"evidence"
    with pytest.raises(UsageError, match=r"应以 \.xlsx 结尾"):
        write_tierlist(tmp_path / "名单.xls", ranking, [], {})


# --- JSON ------------------------------------------------------------------------------------

def test_json_round_trip_is_exact_and_deterministic(batch: Any, tmp_path: Path) -> None:
    cards, ranking = batch
    text = dump_results(ranking, cards, FAILURES)
    assert text == dump_results(ranking, cards, FAILURES) and list(json.loads(text)) == ["results", "failures", "ranking"]
    path = tmp_path / "结果.json"
    path.write_text(text, encoding="utf-8")
    loaded, failures = load_results(path)
    assert loaded == ranking and failures == FAILURES
    assert [e.card for e in loaded.entries()] == [e.card for e in ranking.entries()]
    assert dump_results(loaded, cards, failures) == text


def _json_error(tmp_path: Path, content: str | bytes) -> UsageError:
    path = tmp_path / "结果.json"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(UsageError) as caught:
        load_results(path)
    return caught.value


def test_json_errors_are_clear(batch: Any, tmp_path: Path) -> None:
    cards, ranking = batch
    assert "不是有效的 JSON（第 2 行第 1 列出错）" in _json_error(tmp_path, '{"results": [\n').message
    assert "不是 UTF-8 编码" in _json_error(tmp_path, b"\xff\xfe{").message
    assert "不是 chuangyou rank 的结果文件" in _json_error(tmp_path, "[]").message
    assert "是单个组织的评分结果" in _json_error(tmp_path, cards[0].model_dump_json()).message
    assert "中没有排名结果（ranking）" in _json_error(tmp_path, '{"results": []}').message
    data = json.loads(dump_results(ranking, cards, []))
    data["results"][3]["total"] = "abc"
    del data["results"][4]["tier"]
    error = _json_error(tmp_path, json.dumps(data))
    assert [str(p) for p in error.problems] == ['results[3].total: 不是数字（现为 "abc"）', "results[4].tier: 缺少此项"]
    data = json.loads(dump_results(ranking, cards[1:], []))
    assert "排名结果与评分结果对不上" in _json_error(tmp_path, json.dumps(data)).message
    with pytest.raises(UsageError, match="找不到结果文件"):
        load_results(tmp_path / "没有.json")


# --- last year's list ------------------------------------------------------------------------

def test_previous_results_from_an_exported_list(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    out = export(tmp_path, ranking, rubric)
    previous = load_previous_workbook(out)
    assert {(p.name, p.township, p.tier, p.year) for p in previous} == {
        (e.name, e.township, None if e.held else e.tier, 2026) for e in ranking.entries()}
    assert load_previous(out) == previous  # `rank --previous X.xlsx` goes through the registry
    assert previous[0].source == "等级名单.xlsx 评定结果!L5"  # title, two summary lines, header; 等级 after 乡镇内排名


def test_previous_results_from_a_list_typed_by_hand(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["2025年城关镇等级名单"])
    ws.append(["序号", "党组织名称", "乡镇", "评定等级", "年度"])
    ws.append([1, "东关村党支部", "城关镇", "优秀党支部", "2025年"])
    ws.append([None, None, None, None, None])
    ws.append([2, "西关村党支部", "城关镇", "待定（另行处理）", 2025])
    path = tmp_path / "去年.xlsx"
    book.save(path)
    assert [(p.name, p.township, p.tier, p.year) for p in load_previous_workbook(path)] == [
        ("东关村党支部", "城关镇", "优秀党支部", 2025), ("西关村党支部", "城关镇", None, 2025)]
    ws.append([3, "南关村党支部", "城关镇", None, 2025])
    book.save(path)
    with pytest.raises(UsageError) as caught:
        load_previous_workbook(path)
    assert [str(p) for p in caught.value.problems] == ["去年.xlsx Sheet!D6: “南关村党支部”没有等级"]


def test_previous_workbook_errors(tmp_path: Path) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(UsageError) as caught:
        load_previous_workbook(bad)
    assert caught.value.message == (
        f"无法读取上年等级名单 {bad}：这是文本文件（如 .csv），不是 Excel 工作簿；"
        "请给出 chuangyou 导出的等级名单（.xlsx）或 rank --format json 保存的结果（.json）")
    Workbook().save(bad)
    with pytest.raises(UsageError, match="找不到表头"):
        load_previous_workbook(bad)


# --- the command -----------------------------------------------------------------------------

def run(args: list[str], capsys: Any) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_command(batch: Any, rubric: Rubric, tmp_path: Path, capsys: Any, monkeypatch: Any) -> None:
    cards, ranking = batch
    monkeypatch.chdir(tmp_path)
    Path("结果.json").write_text(dump_results(ranking, cards, FAILURES), encoding="utf-8")
    code, out, err = run(["export", "结果.json", "-o", "名单.xlsx"], capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "已导出等级名单：名单.xlsx",
        f"测试村党组织争先创优评定标准：{A} 7 个、{B} 1 个、{C} 1 个、{D} 2 个、{HELD_TIER} 1 个",
        "未能评分的文件 1 个，见“未能评分”工作表",
    ]
    assert "找不到评定标准“testvil”" in err  # not bundled: the list lacks clause texts only
    assert load_workbook("名单.xlsx")["整改清单"]["G5"].value in ("", None)

    Path("测试.yaml").write_text(RUBRIC_YAML.replace("班子成员配备齐全。", "班子成员配备齐全（修订）。"), encoding="utf-8")
    code, out, err = run(["export", "结果.json", "-o", "名单.xlsx", "--rubric", "测试.yaml"], capsys)
    assert code == 0 and "评定标准“testvil”（测试村党组织争先创优评定标准）的内容与评分时不同" in err
    assert load_workbook("名单.xlsx")["整改清单"]["G5"].value == "班子成员配备齐全（修订）。"

    code, _, err = run(["export", "结果.json", "-o", "证明材料/材料00.xlsx"], capsys)
    assert code == 2 and "与输入文件相同" in err  # an evidence workbook is never overwritten


# --- LibreOffice -------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_export(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    _, ranking = batch
    out = export(tmp_path, ranking, rubric)
    profile = f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}"
    for target in ("pdf", "html"):
        subprocess.run(["soffice", "--headless", "--norestore", profile, "--convert-to", target,
                        "--outdir", str(tmp_path / "lo"), str(out)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "lo" / "等级名单.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "等级名单" in text and "甲村党支部" in text and "=HYPERLINK(" in text  # shown, not run
        assert re.search(r"第\s*1 页\s*共\s*\d+ 页", text)
    html = (tmp_path / "lo" / "等级名单.html").read_text(encoding="utf-8", errors="replace")
    # LibreOffice joins the link's file and location into one address that opens the cell.
    href = f"file://{tmp_path}/证明材料/材料08.xlsx#'考评数据'!H4"
    assert f'href="{href}"' in unquote(html)


def test_a_link_excel_cannot_hold_is_written_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 65,530 links in a sheet (or a target over 2,079 characters) XlsxWriter refuses the
    link: the cell keeps its text, without a link, and the workbook stays valid."""
    import xlsxwriter.worksheet

    from chuangyou.export.styles import Formats
    from chuangyou.export.table import Column, Link, Sheet, Styled, Table, Title, render

    refused = []

    def full(self: Any, row: int, col: int, url: str, *args: Any, **kwargs: Any) -> int:
        refused.append(url)
        return -2  # what XlsxWriter returns past the limit

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_url", full)
    out = tmp_path / "链接.xlsx"
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    cell = Styled("考评数据!G7", link=Link("材料/甲村.xlsx", "'考评数据'!G7"))
    render(book, Formats(book), Sheet("扣分明细", [Title("扣分明细"), Table([Column("依据单元格")], [[cell]], main=True)]))
    book.close()
    ws = load_workbook(out)["扣分明细"]
    assert refused == ["external:材料/甲村.xlsx#'考评数据'!G7"]
    assert ws["A3"].value == "考评数据!G7" and ws["A3"].hyperlink is None
    assert not ws["A3"].font.u  # not shown as a link either


def _everything(path: Path) -> dict[str, Any]:
    """Every cell's value, look and link, every row height and column width, per sheet."""
    book = load_workbook(path)
    found: dict[str, Any] = {}
    for ws in book.worksheets:
        cells = [(c.coordinate, c.value, c.number_format, c.font.b, c.font.u, c.font.color and c.font.color.rgb,
                  c.fill.fgColor.rgb, c.alignment.horizontal, c.alignment.wrap_text,
                  c.hyperlink and (c.hyperlink.target, c.hyperlink.location)) for row in ws.iter_rows() for c in row]
        heights = {n: d.height for n, d in ws.row_dimensions.items() if d.height}
        widths = {k: d.width for k, d in ws.column_dimensions.items()}
        found[ws.title] = (cells, heights, widths, ws.auto_filter.ref, ws.freeze_panes)
    return found


def test_rows_past_the_spool_limit_come_back_the_same(
    batch: Any, rubric: Rubric, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows beyond export.rows.KEPT_ROWS go through a temporary file: the workbook is the same."""
    from chuangyou.export import rows

    _, ranking = batch
    (tmp_path / "kept").mkdir()
    (tmp_path / "spooled").mkdir()
    kept = _everything(export(tmp_path / "kept", ranking, rubric))
    monkeypatch.setattr(rows, "KEPT_ROWS", 1)
    monkeypatch.setattr(rows, "CHUNK_ROWS", 2)  # chunks in the file, and an odd one left to flush
    spooled = _everything(export(tmp_path / "spooled", ranking, rubric))
    assert spooled == kept
    assert len(kept["扣分明细"][0]) == 13 * (3 + 8)  # title, note, header, 7 deductions and an award


def test_a_streamed_table_without_rows_shows_none(batch: Any, rubric: Rubric, tmp_path: Path) -> None:
    """扣分明细 is streamed: with no deduction at all it shows its “无” row under the header."""
    _, ranking = batch
    for entry in ranking.entries():
        entry.card = entry.card.model_copy(update={"items": []}) if entry.card else None
    ws = load_workbook(export(tmp_path, ranking, rubric))["扣分明细"]
    header_row, headers, rows = table(ws)
    assert rows == [["无", *([None] * 12)]]
    assert ws.auto_filter.ref == f"A{header_row}:M{header_row + 1}"
