"""`rank --roster` (未提交: table, JSON `missing`, sheet 未提交), `rank --previous` (previous_missing),
and year over year by 组织代码."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli_helpers import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOWN = EXAMPLES / "城关镇"
ROSTER = EXAMPLES / "城关镇-花名册.xlsx"
PREVIOUS = EXAMPLES / "城关镇-2025年结果.json"
EASTWIND = {"name": "东风村党支部", "township": "城关镇", "subtype_label": "村", "form": "党支部", "code": ""}


def test_rank_with_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "等级名单.xlsx"
    code, stdout, _ = run(["rank", str(TOWN), "--roster", str(ROSTER), "--format", "json", "-o", str(out)], capsys)
    assert code == 1  # 北岗村 cannot be scored
    data = json.loads(stdout)
    assert list(data) == ["results", "failures", "ranking", "statistics", "missing"]
    assert data["missing"] == [EASTWIND]
    book = load_workbook(out)
    assert book.sheetnames[-2:] == ["未能评分", "未提交"]
    rows = list(book["未提交"].iter_rows(values_only=True))
    assert rows[1][0] == "花名册中的以下 1 个组织没有提交证明材料，未参加本次评定。"
    assert rows[2:] == [("序号", "所属乡镇（街道）", "组织名称", "组织类别", "组织形式", "组织代码"),
                        (1, "城关镇", "东风村党支部", "村", "党支部", None)]
    code, stdout, stderr = run(["rank", str(TOWN), "--roster", str(ROSTER)], capsys)
    assert code == 1 and "未提交（花名册中有、本次没有证明材料）：1 个" in stdout
    assert "│ 城关镇           │ 东风村党支部 │ 村       │ 党支部   │" in stdout
    assert "不在花名册中" not in stderr


def test_files_not_on_the_roster_are_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "城关镇"
    shutil.copytree(TOWN / "社区", folder)
    extra = folder / "东风村.xlsx"
    shutil.copyfile(TOWN / "村" / "刘庄村党支部.xlsx", extra)
    book = load_workbook(extra)
    book["基本信息"]["B2"] = "东方红村党支部"
    book.save(extra)
    code, stdout, stderr = run(["rank", str(folder), "--roster", str(ROSTER), "--format", "json"], capsys)
    assert code == 0
    missing = [m["name"] for m in json.loads(stdout)["missing"]]
    assert len(missing) == 31 - 5 and "刘庄村党支部" in missing and "南街社区党支部" not in missing
    assert stderr.splitlines()[0] == (f"提示：“{extra}”中的组织“东方红村党支部”（城关镇）不在花名册中；"
                                      "请核对组织名称，或将其补入花名册")


def test_previous_without_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "城关镇"
    shutil.copytree(TOWN, folder)
    (folder / "村" / "刘庄村党支部.xlsx").unlink()
    (folder / "村" / "北岗村党支部.xlsx").unlink()  # failed this year's reading; now not handed in at all
    code, stdout, _ = run(["rank", str(folder), "--previous", str(PREVIOUS), "--format", "json"], capsys)
    assert code == 0
    data = json.loads(stdout)
    assert list(data) == ["results", "failures", "ranking", "statistics", "previous_missing"]
    assert data["previous_missing"] == [
        {"name": "北岗村党支部", "township": "城关镇", "tier": "优秀党支部", "year": 2025, "code": ""},
        {"name": "刘庄村党支部", "township": "城关镇", "tier": "优秀党支部", "year": 2025, "code": ""},
    ]
    code, stdout, _ = run(["rank", str(folder), "--previous", str(PREVIOUS)], capsys)
    assert "上年参评、今年未提交：2 个" in stdout and "│ 城关镇           │ 刘庄村党支部 │" in stdout
    code, stdout, _ = run(["rank", str(TOWN), "--previous", str(PREVIOUS), "--format", "json"], capsys)
    assert json.loads(stdout)["previous_missing"] == []  # 北岗村 handed in a file, even if it cannot be scored
    code, stdout, _ = run(["rank", str(TOWN), "--format", "json"], capsys)
    assert list(json.loads(stdout)) == ["results", "failures", "ranking", "statistics"]


def test_previous_matches_by_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "城关镇"
    folder.mkdir()
    for name, new_name, org_code in (("石门村党支部", "石门社区党支部", "GC-7"), ("桥头村党支部", None, "GC-8"),
                                     ("刘庄村党支部", None, "GC-9")):
        path = folder / f"{name}.xlsx"
        shutil.copyfile(TOWN / "村" / f"{name}.xlsx", path)
        book = load_workbook(path)
        basic = book["基本信息"]
        assert basic["A11"].value == "组织代码"
        basic["B11"] = org_code
        if new_name:
            basic["B2"] = new_name  # renamed since last year: the code still finds its result
        book.save(path)
    last_year = json.loads(PREVIOUS.read_text(encoding="utf-8"))
    codes = {"石门村党支部": "GC-7", "桥头村党支部": "OTHER"}  # 桥头村's code differs: another organization
    for group in last_year["ranking"]["groups"]:
        for entry in group["entries"]:
            entry["code"] = codes.get(entry["name"], "")
    previous = tmp_path / "2025.json"
    previous.write_text(json.dumps(last_year, ensure_ascii=False), encoding="utf-8")
    code, stdout, _ = run(["rank", str(folder), "--previous", str(previous), "--format", "json"], capsys)
    assert code == 0
    entries = {e["name"]: e for g in json.loads(stdout)["ranking"]["groups"] for e in g["entries"]}
    assert {n: (e["code"], e["previous_tier"], e["change"]) for n, e in entries.items()} == {
        "石门社区党支部": ("GC-7", "良好党支部", "降级"),
        "桥头村党支部": ("GC-8", None, "新参评"),
        "刘庄村党支部": ("GC-9", "优秀党支部", "持平"),  # no code last year: matched by name
    }
    result = {c["organization"]["name"]: c["organization"]["code"] for c in json.loads(stdout)["results"]}
    assert result == {"石门社区党支部": "GC-7", "桥头村党支部": "GC-8", "刘庄村党支部": "GC-9"}
