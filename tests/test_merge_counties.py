"""The city's summary: ``rank --county``, ``export 甲县.json 乙县.json``, ``stats``.

Both counties are tests/county_helpers.COUNTY (the same names and townships: different
organizations, because the county differs). 乙县 ranks with ``--quota-by township`` and
``优秀党支部<=20%``: 城关镇 keeps 1 优秀 (东村; 西村 → 良好), 白马乡 none (上村 → 良好).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from county_helpers import write_county, write_rubric
from test_statistics import TIERS, run_cli

A, B, C, D = TIERS


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("city")
    rubric = write_rubric(root)
    files = {}
    for county, extra in (("甲县", ()), ("乙县", ("--quota-by", "township", "--quota", "优秀党支部<=20%"))):
        write_county(root / county)
        code, out, err = run_cli("rank", str(root / county), "--rubric", str(rubric), "--county", county,
                                 "--format", "json", *extra)
        assert code == 1, err
        files[county] = root / f"{county}.json"
        files[county].write_text(out, encoding="utf-8")
    book = root / "市级汇总.xlsx"
    code, out, err = run_cli("export", str(files["甲县"]), str(files["乙县"]), "-o", str(book), "--rubric", str(rubric))
    assert code == 0, err
    return {"root": root, "files": files, "out": out, "book": openpyxl.load_workbook(book), "rubric": rubric}


def test_rank_records_the_county(city: dict[str, Any]) -> None:
    data = json.loads(city["files"]["乙县"].read_text(encoding="utf-8"))
    assert data["ranking"]["county"] == "乙县"
    assert {e["county"] for g in data["ranking"]["groups"] for e in g["entries"]} == {"乙县"}


def test_export_merges_the_counties(city: dict[str, Any]) -> None:
    assert city["out"].splitlines()[:2] == ["已导出等级名单：" + str(city["root"] / "市级汇总.xlsx"),
                                            "合并了 2 个县（市、区）的结果：甲县、乙县"]
    printed = list(city["book"]["等级名单"].iter_rows(values_only=True))
    assert next(r for r in printed if r[0] == "序号") == ("序号", "组织名称", "县（市、区）", "所属乡镇（街道）", "组织类别", "等级")
    rows = list(city["book"]["评定结果"].iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "序号")
    listed = [dict(zip(header, r, strict=True)) for r in rows[rows.index(header) + 1:]]
    assert len(listed) == 18
    # Within a tier, one county after the other, each in its own rank order.
    top = [(r["县（市、区）"], r["组织名称"], r["排名"]) for r in listed if r["等级"] == A]
    assert top == [("甲县", "东村党支部", 1), ("甲县", "上村党支部", 1), ("甲县", "西村党支部", 4),
                   ("乙县", "东村党支部", 1)]
    moved = next(r for r in listed if r["县（市、区）"] == "乙县" and r["组织名称"] == "上村党支部")
    assert (moved["等级"], moved["乡镇内排名"], moved["说明"]) == (
        B, 1, "白马乡优秀党支部名额上限20%（共4个组织，最多0个），按排名调整为良好党支部")


def _block(ws: Any, first: str, title: str) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    start = next(n for n, r in enumerate(rows) if r[0] == title) + 1
    header = rows[start]
    assert header[0] == first
    found = []
    for row in rows[start + 1:]:
        if row[0] is None:
            break
        found.append(dict(zip([h for h in header if h], row, strict=False)))
    return found


def test_township_sheet_adds_the_county_level(city: dict[str, Any]) -> None:
    code, out, _ = run_cli("stats", *map(str, city["files"].values()), "--format", "json")
    assert code == 0
    stats = json.loads(out)
    assert stats["levels"] == ["county", "township"]
    ws = city["book"]["乡镇统计"]
    counties = _block(ws, "县（市、区）", "一、全部组织（各县（市、区））")
    townships = _block(ws, "县（市、区）", "二、全部组织（各乡镇（街道））")
    overall = stats["overall"]
    for got, want in zip(counties, [*overall["counties"], overall["total"]], strict=True):
        assert (got["县（市、区）"], got["参与排名"], got["未能评分"]) == (want["county"] or "合计", want["ranked"],
                                                                         want["failed"])
    for got, want in zip(townships, [*overall["townships"], overall["total"]], strict=True):
        assert got["县（市、区）"] == (want["county"] or "合计")
        assert [got[t] for t in TIERS] == [want["counts"][t] for t in TIERS]
    # 乙县: 白马乡 0 优秀, 3 良好, 1 一般; 城关镇 1, 2, 1, 1 (中村 capped).
    assert [(r["county"], r["township"], list(r["counts"].values())) for r in overall["townships"]] == [
        ("甲县", "白马乡", [1, 2, 1, 0]), ("甲县", "城关镇", [2, 1, 1, 1]),
        ("乙县", "白马乡", [0, 3, 1, 0]), ("乙县", "城关镇", [1, 2, 1, 1])]
    assert [(r["county"], r["failed"]) for r in overall["counties"]] == [("甲县", 1), ("乙县", 1)]
    assert len(ws._charts) == 2  # counties, then townships


def test_a_duplicate_organization_is_refused_naming_both_files(city: dict[str, Any], tmp_path: Path) -> None:
    copy = tmp_path / "甲县-重报.json"
    shutil.copy(city["files"]["甲县"], copy)
    first = city["files"]["甲县"]
    code, _, err = run_cli("export", str(first), str(copy), "-o", str(tmp_path / "x.xlsx"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "错误：多个结果文件中有同一组织，不能合并；请核对后只保留一份"
    assert lines[1] == f"  甲县 城关镇 东村党支部: 同时出现在 {first} 和 {copy} 中（县（市、区）、乡镇和组织名称都相同）"
    assert len(lines) == 10  # all nine organizations
    assert not (tmp_path / "x.xlsx").exists()


def test_the_same_file_twice_is_a_usage_error(city: dict[str, Any], tmp_path: Path) -> None:
    first = city["files"]["甲县"]
    code, _, err = run_cli("stats", str(first), str(first))
    assert (code, err) == (2, f"错误：结果文件 {first} 给出了不止一次，每个结果文件只需给出一次\n")


def test_a_file_without_county_is_named_after_the_file(city: dict[str, Any], tmp_path: Path) -> None:
    data = json.loads(city["files"]["甲县"].read_text(encoding="utf-8"))
    data["ranking"]["county"] = None
    unnamed = tmp_path / "丙县结果.json"
    unnamed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("stats", str(unnamed), str(city["files"]["乙县"]), "--by", "county", "--format", "csv")
    assert code == 0
    assert err == f"警告：结果文件 {unnamed} 没有记录县（市、区）（评定时未用 --county），按文件名作为县名“丙县结果”\n"
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0] == ("分组,县（市、区）,优秀党支部,优秀党支部占比,良好党支部,良好党支部占比,一般党支部,一般党支部占比,"
                        "软弱涣散党支部,软弱涣散党支部占比,参与排名,待定,未能评分,未提交,平均分,最低分")
    # 丙县 as 甲县: 3 优秀 of 9; 乙县 1 优秀, 5 良好 (3 of them moved or in 白马乡), average 76 / 9.
    assert lines[4:] == ["全部组织,丙县结果,3,0.3333,3,0.3333,2,0.2222,1,0.1111,9,0,1,0,8.44,6",
                         "全部组织,乙县,1,0.1111,5,0.5556,2,0.2222,1,0.1111,9,0,1,0,8.44,6",
                         "全部组织,合计,4,0.2222,8,0.4444,4,0.2222,2,0.1111,18,0,2,0,8.44,6"]


def test_stats_table_by_form(city: dict[str, Any]) -> None:
    code, out, _ = run_cli("stats", str(city["files"]["甲县"]), "--by", "form")
    assert code == 0
    assert "组织形式" in out and "党支部" in out and "3（33.3%）" in out


def test_the_same_organization_code_in_two_files_is_refused() -> None:
    """组织代码 (which the roster work adds to 基本信息) decides even when names differ."""
    from types import SimpleNamespace

    from chuangyou.errors import ChuangyouError
    from chuangyou.export.merge import merge
    from chuangyou.ranking import rank
    from test_statistics import RUBRIC, card

    parts = []
    for county, name in (("甲县", "东村党支部"), ("乙县", "东风村党支部")):
        ranking = rank([card(name, "城关镇", 95)], {"village": RUBRIC}, county=county)
        for entry in ranking.entries():
            entry.card = SimpleNamespace(organization=SimpleNamespace(code=" a-01"))  # type: ignore[assignment]
        parts.append((Path(f"{county}.json"), ranking, []))
    with pytest.raises(ChuangyouError) as refused:
        merge(parts)
    assert str(refused.value) == (
        "多个结果文件中有同一组织，不能合并；请核对后只保留一份\n"
        "  乙县 城关镇 东风村党支部: 同时出现在 甲县.json 和 乙县.json 中（组织代码“A-01”相同，另一文件中为“东村党支部”）")
