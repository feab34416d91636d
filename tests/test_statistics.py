"""Statistics per township: the JSON ``statistics`` of ``rank``, the 乡镇统计 and 乡镇问题分析
sheets read back, the terminal summary, and the library's options (roster order, missing).

The county is tests/county_helpers.COUNTY (totals worked out there): 城关镇 10 10 9 8 6
(东村 10 优秀, 中村 10 capped to 软弱涣散) and a file that cannot be scored; 白马乡 10 8 8 7.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chuangyou.batch import Failure
from chuangyou.cli import output as cli_output
from chuangyou.cli.main import main
from chuangyou.ranking import rank
from chuangyou.rubric.model import Category, Item, Rubric, Tier
from chuangyou.scorecard import Organization, RubricRef, ScoreCard
from chuangyou.statistics import compute_breakdown, compute_statistics, locate_failures
from county_helpers import write_county, write_rubric

A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
TIERS = [A, B, C, D]


def run_cli(*argv: str) -> tuple[int, str, str]:
    cli_output._console.cache_clear()
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as exited:  # main returns on success
            code = int(exited.code or 0)
    cli_output._console.cache_clear()
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("county")
    write_county(root / "甲县")
    rubric = write_rubric(root)
    book = root / "等级名单.xlsx"
    code, out, err = run_cli("rank", str(root / "甲县"), "--rubric", str(rubric), "-o", str(book), "--format", "json")
    assert code == 1, err  # 坏村 cannot be scored
    return {"root": root, "rubric": rubric, "data": json.loads(out), "book": openpyxl.load_workbook(book)}


def _row(township: str | None, counts: list[int], shares: list[str], ranked: int, failed: int | None,
         average: str | None, lowest: str | None, group: str | None = "mini") -> dict[str, Any]:
    return {
        "county": None, "township": township, "group": group, "group_name": "测试评定标准" if group else "全部组织",
        "counts": dict(zip(TIERS, counts, strict=True)), "shares": dict(zip(TIERS, shares, strict=True)),
        "ranked": ranked, "held": 0, "failed": failed, "missing": 0, "average": average, "lowest": lowest,
    }


# 白马乡 (白 B0D7 before 城 B3C7 in GB18030, i.e. pinyin order): 10 8 8 7 → 1 优秀, 2 良好, 1 一般;
# average 33 / 4 = 8.25. 城关镇: 10 10 9 8 6 → 2 优秀 (东村, 西村), 1 良好, 1 一般, 1 软弱涣散
# (中村, capped); average 43 / 5 = 8.6. All: 76 / 9 = 8.444… → 8.44; shares 3/9 = 0.3333 …
BAIMA = ([1, 2, 1, 0], ["0.25", "0.5", "0.25", "0"], 4, "8.25", "7")
CHENGGUAN = ([2, 1, 1, 1], ["0.4", "0.2", "0.2", "0.2"], 5, "8.6", "6")
ALL = ([3, 3, 2, 1], ["0.3333", "0.3333", "0.2222", "0.1111"], 9, "8.44", "6")


def test_statistics_in_the_json(county: dict[str, Any]) -> None:
    stats = county["data"]["statistics"]
    assert list(county["data"]) == ["results", "failures", "ranking", "statistics"]
    assert (stats["levels"], stats["tiers"], stats["counties"]) == (["township"], TIERS, [])
    counts, shares, ranked, average, lowest = BAIMA
    baima = _row("白马乡", counts, shares, ranked, None, average, lowest)
    counts, shares, ranked, average, lowest = CHENGGUAN
    chengguan = _row("城关镇", counts, shares, ranked, None, average, lowest)
    assert stats["townships"] == [baima, chengguan]  # a failed file's rubric is unknown: failed null
    counts, shares, ranked, average, lowest = ALL
    assert stats["groups"] == [_row(None, counts, shares, ranked, None, average, lowest)]
    overall = stats["overall"]
    # All groups together: the failed file counts in 城关镇, the folder its path names.
    assert overall["townships"] == [{**baima, "group": None, "group_name": "全部组织", "failed": 0},
                                    {**chengguan, "group": None, "group_name": "全部组织", "failed": 1}]
    assert overall["total"] == _row(None, counts, shares, ranked, 1, average, lowest, group=None)
    # Counts add up to the group's size.
    (group,) = county["data"]["ranking"]["groups"]
    assert sum(sum(r["counts"].values()) for r in stats["townships"]) == group["size"] == 9


def _sheet_rows(ws: Any, first: str) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == first)
    header = rows[start]
    found = []
    for row in rows[start + 1:]:
        if row[0] is None:
            break
        found.append(dict(zip(header, row, strict=True)))
    return found


def test_township_sheet_equals_the_json(county: dict[str, Any]) -> None:
    book = county["book"]
    assert book.sheetnames == ["等级名单", "评定结果", "得分明细", "扣分明细", "问题分析", "乡镇统计", "乡镇问题分析", "整改清单",
                               "未能评分"]
    ws = book["乡镇统计"]
    header = next(row for row in ws.iter_rows(values_only=True) if row[0] == "乡镇（街道）")
    assert header == ("乡镇（街道）", A, "占比", B, "占比", C, "占比", D, "占比", "参与排名", "待定（另行处理）",
                      "未能评分", "未提交", "平均分", "最低分")
    rows = [list(r) for r in ws.iter_rows(min_row=5, max_row=7, values_only=True)]
    overall = county["data"]["statistics"]["overall"]
    for got, want in zip(rows, [*overall["townships"], overall["total"]], strict=True):
        assert got[0] == (want["township"] or "合计")
        assert got[1:9:2] == [want["counts"][t] for t in TIERS]
        assert [Decimal(str(v)).quantize(Decimal("0.0001")) for v in got[2:10:2]] == \
            [Decimal(want["shares"][t]) for t in TIERS]
        assert got[9:13] == [want["ranked"], want["held"], want["failed"], want["missing"]]
        assert [Decimal(str(v)) for v in got[13:]] == [Decimal(want["average"]), Decimal(want["lowest"])]
    assert [sum(r[1:9:2]) for r in rows] == [4, 5, 9]  # each township's tiers add up to its ranked ones
    assert ws.cell(6, 3).number_format == "0.0%"


def test_township_sheet_has_a_stacked_bar_chart(county: dict[str, Any]) -> None:
    (chart,) = county["book"]["乡镇统计"]._charts
    assert chart.tagname == "barChart" and chart.grouping == "percentStacked" and chart.barDir == "bar"
    assert chart.title.tx.rich.p[0].r[0].t == "全部组织：各乡镇（街道）等级占比"
    # One series per tier over the township rows (5 and 6; not the 合计 row 7), named by its header.
    assert [s.val.numRef.f for s in chart.series] == [f"'乡镇统计'!${c}$5:${c}$6" for c in "BDFH"]
    assert [s.tx.strRef.f for s in chart.series] == [f"'乡镇统计'!${c}$4" for c in "BDFH"]
    assert {s.cat.numRef.f for s in chart.series} == {"'乡镇统计'!$A$5:$A$6"}  # as openpyxl reads it back


def test_township_weaknesses_sheet(county: dict[str, Any]) -> None:
    rows = _sheet_rows(county["book"]["乡镇问题分析"], "评定标准")
    got = [(r["乡镇（街道）"], r["名次"], r["项目"], r["适用组织数"], r["扣分组织数"], r["扣分组织占比"], r["合计扣分"],
            r["平均每个组织扣分"]) for r in rows]
    # 白马乡: 左村 loses 设置合理's 3; 下村 学习教育 2; 右村 乡村振兴 2 (a tie: place 2, 2).
    # 城关镇: 乡村振兴 西村 1 + 南村 2 + 北村 4 = 7 over 5 (1.4 each), 3 of the 5 organizations.
    assert got == [
        ("白马乡", 1, "设置合理", 4, 1, 0.25, 3, 0.75),
        ("白马乡", 2, "学习教育", 4, 1, 0.25, 2, 0.5),
        ("白马乡", 2, "乡村振兴", 4, 1, 0.25, 2, 0.5),
        ("城关镇", 1, "乡村振兴", 5, 3, 0.6, 7, 1.4),
    ]


def test_rank_prints_one_line_per_township(county: dict[str, Any]) -> None:
    code, out, _ = run_cli("rank", str(county["root"] / "甲县"), "--rubric", str(county["rubric"]))
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith(("各乡镇", "  白马乡", "  城关镇"))]
    assert lines == [
        "各乡镇（街道）汇总：",
        "  白马乡：参与排名 4 个（优秀党支部 1 个、良好党支部 2 个、一般党支部 1 个、软弱涣散党支部 0 个），平均分 8.25，最低分 7",
        "  城关镇：参与排名 5 个（优秀党支部 2 个、良好党支部 1 个、一般党支部 1 个、软弱涣散党支部 1 个），未能评分 1 个，"
        "平均分 8.6，最低分 6",
    ]


def test_one_township_has_no_summary_and_no_township_sheets(county: dict[str, Any], tmp_path: Path) -> None:
    book = tmp_path / "白马乡.xlsx"
    code, out, _ = run_cli("rank", str(county["root"] / "甲县" / "白马乡"), "--rubric", str(county["rubric"]),
                           "-o", str(book))
    assert code == 0
    assert "各乡镇" not in out
    assert "乡镇统计" not in openpyxl.load_workbook(book).sheetnames


def test_a_failed_file_outside_township_folders_makes_no_second_township(
        county: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(county["root"] / "甲县" / "城关镇")  # sources are "坏村党支部.xlsx", no folder
    book = tmp_path / "城关镇.xlsx"
    code, out, _ = run_cli("rank", ".", "--rubric", str(county["rubric"]), "--format", "json", "-o", str(book))
    assert code == 1
    rows = json.loads(out)["statistics"]["overall"]["townships"]
    assert [(r["township"], r["ranked"], r["failed"]) for r in rows] == [("城关镇", 5, 0), ("", 0, 1)]
    assert "乡镇统计" not in openpyxl.load_workbook(book).sheetnames


# -- the library ------------------------------------------------------------------------------

RUBRIC = Rubric(
    id="village", name="村(社区)党组织争先创优评定标准", version="1", total=Decimal(100),
    subtypes={"village": "村", "community": "社区"},
    tiers=[Tier(name=A, min=Decimal(90)), Tier(name=B, min=Decimal(80)), Tier(name=C, min=Decimal(60)),
           Tier(name=D, min=Decimal(0))],
    categories=[Category(id="all", name="全部", points=Decimal(100),
                         items=[Item(id="all", name="全部", points=Decimal(100))])],
)


def card(name: str, township: str, total: int, label: str = "村", form: str = "党支部") -> ScoreCard:
    tier = next(t.name for t in RUBRIC.tiers if total >= t.min)
    return ScoreCard(
        organization=Organization(name=name, township=township, subtype="village", subtype_label=label, form=form),
        rubric=RubricRef(id="village", version="1", sha256="0" * 64, name=RUBRIC.name),
        source=f"{township}/{name}.xlsx", total=Decimal(total), self_total=Decimal(total),
        verified_total=Decimal(total), tier=tier, threshold_tier=tier, categories=[], items=[],
    )


class Missing:
    """What roster.ListedOrganization gives: name, township, subtype label, form, code."""

    def __init__(self, name: str, township: str, label: str = "村") -> None:
        self.name, self.township, self.subtype_label, self.form, self.code = name, township, label, "党支部", ""


CARDS = [card("甲村", "城关镇", 95), card("乙村", "白马乡", 85), card("丙社区", "河口乡", 70, "社区", "党总支"),
         card("丁村", "城 关 镇", 65)]  # the same township typed with spaces


def test_roster_order_missing_organizations_and_spelling() -> None:
    ranking = rank(CARDS, {"village": RUBRIC})
    stats = compute_statistics(ranking, missing=[Missing("戊村", "河口乡"), Missing("己村", "新乡")],
                               township_order=["河口乡", "城关镇"])
    rows = stats.overall.townships
    # Roster order first, the others by name; 城 关 镇 is 城关镇 (shown as first met: rank order).
    assert [(r.township, r.ranked, r.missing) for r in rows] == [
        ("河口乡", 1, 1), ("城关镇", 2, 0), ("白马乡", 1, 0), ("新乡", 0, 1)]
    assert (rows[3].average, rows[3].lowest, rows[3].counts) == (None, None, {A: 0, B: 0, C: 0, D: 0})
    # A missing organization counts in the group its 组织类别 belongs to.
    assert [(r.township, r.missing) for r in stats.townships] == [
        ("河口乡", 1), ("城关镇", 0), ("白马乡", 0), ("新乡", 1)]
    assert (stats.overall.total.missing, stats.overall.total.ranked, str(stats.overall.total.average)) == (2, 4, "78.75")


def test_failed_files_are_placed_by_their_folders() -> None:
    ranking = rank(CARDS[:2], {"village": RUBRIC})
    failures = [Failure(source="材料/白马乡/村/坏.xlsx", reason="x"), Failure(source=r"D:\材料\城关镇\坏.xlsx", reason="x"),
                Failure(source="其他/坏.xlsx", reason="x")]
    assert [f.township for f in locate_failures(ranking, failures)] == ["白马乡", "城关镇", None]
    stats = compute_statistics(ranking, locate_failures(ranking, failures))
    assert [(r.township, r.failed) for r in stats.overall.townships] == [("白马乡", 1), ("城关镇", 1), ("", 1)]


def test_breakdown_by_subtype_and_form() -> None:
    ranking = rank(CARDS, {"village": RUBRIC})
    by_form = compute_breakdown(ranking, "form")
    assert [(r.value, r.group, r.ranked) for r in by_form.rows] == [
        ("党支部", "village", 3), ("党总支", "village", 1), ("党支部", None, 3), ("党总支", None, 1)]
    by_subtype = compute_breakdown(ranking, "subtype", missing=[Missing("戊村", "河口乡")])
    assert [(r.value, r.ranked, r.missing, r.counts[C]) for r in by_subtype.rows if r.group is None] == [
        ("村", 3, 1, 1), ("社区", 0 + 1, 0, 1)]


def test_township_sheet_blocks_all_groups_first_then_each_group() -> None:
    from chuangyou.export.table import Title
    from chuangyou.export.township import townships_sheet

    agency = RUBRIC.model_copy(update={"id": "agency", "name": "机关单位党组织争先创优评定标准"})
    office = card("镇机关", "城关镇", 91).model_copy(update={"rubric": RubricRef(
        id="agency", version="1", sha256="0" * 64, name=agency.name)})
    sheet = townships_sheet(compute_statistics(rank([*CARDS, office], {"village": RUBRIC, "agency": agency})))
    titles = [p.text for p in sheet.parts if isinstance(p, Title)][2:]
    assert titles == ["一、全部组织", "二、机关单位", "三、村(社区)"]
    assert [c.title for c, _ in sheet.charts] == [f"{t}：各乡镇（街道）等级占比" for t in ("全部组织", "机关单位", "村(社区)")]
    assert len(sheet.breaks) == 2  # each block on its own page
