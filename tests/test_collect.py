"""`collect`: each roster organization's status, per-township counts, the workbook read back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chuangyou.roster import RosterRow, write_roster
from chuangyou.rubric.registry import bundled_rubrics
from cli_helpers import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOWN = EXAMPLES / "城关镇"
ROSTER = EXAMPLES / "城关镇-花名册.xlsx"
PREVIOUS = EXAMPLES / "城关镇-2025年结果.json"
FAILED_PROBLEM = "北岗村党支部.xlsx 考评数据!F9: “村(居)务监督委员会健全并正常开展监督”的值“良好”无法识别，应填写 是 或 否"


def test_example_township(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "收集情况.xlsx"
    code, stdout, stderr = run(["collect", str(TOWN), "--roster", str(ROSTER), "--format", "json", "-o", str(out)],
                               capsys)
    assert code == 1
    assert stderr == f"应交 31 个：已交 29 个，有问题 1 个，重复提交 0 个，未交 1 个。收集情况已写入 {out}\n"
    data = json.loads(stdout)
    assert list(data) == ["organizations", "unlisted", "previous_missing", "townships"]
    statuses = {o["name"]: o["status"] for o in data["organizations"]}
    assert len(statuses) == 31 and sum(s == "已交" for s in statuses.values()) == 29
    by_name = {o["name"]: o for o in data["organizations"]}
    assert by_name["北岗村党支部"] == {
        "name": "北岗村党支部", "township": "城关镇", "subtype_label": "村", "form": "党支部", "code": "",
        "status": "有问题", "files": [str(TOWN / "村" / "北岗村党支部.xlsx")], "problems": [FAILED_PROBLEM]}
    assert by_name["东风村党支部"] == {
        "name": "东风村党支部", "township": "城关镇", "subtype_label": "村", "form": "党支部", "code": "",
        "status": "未交", "files": [], "problems": []}
    assert by_name["石门村党支部"]["files"] == [str(TOWN / "村" / "石门村党支部.xlsx")]
    assert data["unlisted"] == [] and data["previous_missing"] == []
    assert data["townships"] == [{"township": "城关镇", "expected": 31, "submitted": 29, "problem": 1, "missing": 1}]

    book = load_workbook(out)
    assert book.sheetnames == ["收集情况", "乡镇汇总", "问题清单"]
    status = book["收集情况"]
    assert status["A2"].value == "应交 31 个：已交 29 个，有问题 1 个，重复提交 0 个，未交 1 个"
    header = [c.value for c in status[3]]
    assert header == ["序号", "所属乡镇（街道）", "组织名称", "组织类别", "组织形式", "组织代码", "状态", "材料文件", "问题",
                      "联系人", "联系电话"]
    rows = {r[2]: r for r in status.iter_rows(min_row=4, values_only=True)}
    assert {name: r[6] for name, r in rows.items()} == statuses
    assert rows["北岗村党支部"][7:10] == ("村/北岗村党支部.xlsx", FAILED_PROBLEM, "白雪梅")  # under the folder
    assert rows["东风村党支部"][6:9] == ("未交", None, "未提交材料")
    assert status.auto_filter.ref == "A3:K34" and status.freeze_panes == "A4"
    assert status.print_title_rows == "$3:$3" and status.page_setup.paperSize == 9
    townships = [r for r in book["乡镇汇总"].iter_rows(min_row=4, values_only=True)]
    assert townships == [("城关镇", 31, 29, 1, 1, "93%"), ("合计", 31, 29, 1, 1, "93%")]
    problems = [r for r in book["问题清单"].iter_rows(min_row=4, values_only=True)]
    assert problems == [
        (1, "城关镇", "北岗村党支部", "有问题", "村/北岗村党支部.xlsx", FAILED_PROBLEM),
        (2, "城关镇", "东风村党支部", "未交", None, "未提交材料"),
    ]
    assert book.properties.keywords.startswith("chuangyou-export")


def _copy(source: str, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TOWN / source, target)
    return target


def _edit(path: Path, **labels: Any) -> None:
    book = load_workbook(path)
    ws = book["基本信息"]
    for row in ws.iter_rows(min_row=2, max_col=2):
        if row[0].value in labels:
            row[1].value = labels[row[0].value]
    book.save(path)


def test_collection_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "证明材料"
    ok = _copy("村/刘庄村党支部.xlsx", folder / "城关镇" / "刘庄村党支部.xlsx")
    first = _copy("村/城关村党总支.xlsx", folder / "城关镇" / "城关村党总支.xlsx")
    second = _copy("村/城关村党总支.xlsx", folder / "城关镇" / "城关村党总支（修改后）.xlsx")
    renamed = _copy("村/北关村党支部.xlsx", folder / "城关镇" / "新建 Microsoft Excel 工作表.xlsx")
    township = _copy("村/张庄村党支部.xlsx", folder / "东城镇" / "张庄村党支部.xlsx")
    _edit(township, **{"所属乡镇（街道）": "东城镇"})
    year = _copy("村/桥头村党支部.xlsx", folder / "城关镇" / "桥头村党支部.xlsx")
    _edit(year, 考评年度=2025)
    version = _copy("村/石门村党支部.xlsx", folder / "城关镇" / "石门村党支部.xlsx")
    _edit(version, 标准版本="2025.1")
    unlisted = _copy("社区/南街社区党支部.xlsx", folder / "城关镇" / "南街社区党支部.xlsx")
    bracket = _copy("机关事业单位/城关镇卫生院党支部.xlsx", folder / "城关镇" / "卫生院.xlsx")
    _edit(bracket, 组织名称="城关镇卫生院党支部（本部）")
    names = ["刘庄村党支部", "城关村党总支", "北关村党支部", "张庄村党支部", "桥头村党支部", "石门村党支部",
             "城关镇卫生院党支部 (本部)", "东风村党支部"]
    rows = [RosterRow(name=n, township="城关镇", subtype_label="事业单位" if "卫生院" in n else "村",
                      form="党总支" if n == "城关村党总支" else "党支部") for n in names]
    roster = tmp_path / "花名册.xlsx"
    write_roster(roster, bundled_rubrics(), rows)
    code, stdout, stderr = run(["collect", str(folder), "--roster", str(roster), "--previous", str(PREVIOUS),
                                "--format", "json"], capsys)
    assert code == 1
    data = json.loads(stdout)
    got = {o["name"]: (o["status"], o["files"], o["problems"]) for o in data["organizations"]}
    assert got == {
        "刘庄村党支部": ("已交", [str(ok)], []),
        "城关村党总支": ("重复提交", [str(first), str(second)],
                         [f"同一组织提交了 2 份材料：{first}、{second}；请核对后只保留一份"]),
        "北关村党支部": ("已交", [str(renamed)], []),
        "张庄村党支部": ("有问题", [str(township)],
                         ["张庄村党支部.xlsx 基本信息: “所属乡镇（街道）”填写为“东城镇”，花名册中为“城关镇”；请核对后改正"]),
        "桥头村党支部": ("有问题", [str(year)],
                         ["桥头村党支部.xlsx 基本信息: “考评年度”为 2025，本次收集的是 2026 年度的材料；"
                          "请用 2026 年度的模板重新填写"]),
        "石门村党支部": ("有问题", [str(version)],
                         ["石门村党支部.xlsx 基本信息!B10: 工作簿的标准版本为“2025.1”，与评定标准“village”的版本“2026.1”"
                          "不符；请用 chuangyou template --rubric village 生成新版模板重新填写"]),
        "城关镇卫生院党支部 (本部)": ("已交", [str(bracket)], []),
        "东风村党支部": ("未交", [], []),
    }
    assert data["unlisted"] == [{"file": str(unlisted), "name": "南街社区党支部", "township": "城关镇"}]
    missing = [p["name"] for p in data["previous_missing"]]
    # 29 rated last year; 6 are on the roster, 南街社区 handed in; 卫生院 was renamed (no 组织代码 to tell)
    assert len(missing) == 22 and "北岗村党支部" in missing and "城关镇卫生院党支部" in missing
    assert data["previous_missing"][0] == {"name": "城关镇中心小学党总支", "township": "城关镇",
                                           "tier": "优秀党支部", "year": 2025, "code": ""}
    assert data["townships"] == [{"township": "城关镇", "expected": 8, "submitted": 3, "problem": 4, "missing": 1}]
    assert stderr == ("应交 8 个：已交 3 个，有问题 3 个，重复提交 1 个，未交 1 个；花名册外的材料 1 份；"
                      "上年参评、今年未列入花名册也未提交 22 个\n")


def test_all_handed_in_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    _copy("村/刘庄村党支部.xlsx", folder / "刘庄村党支部.xlsx")
    roster = folder / "花名册.xlsx"  # inside the folder: not taken for a workbook
    write_roster(roster, bundled_rubrics(), [RosterRow(name="刘庄村党支部", township="城关镇", subtype_label="村",
                                                       form="党支部", code="GC-01")])
    code, stdout, stderr = run(["collect", str(folder), "--roster", str(roster)], capsys)
    assert code == 0, stderr
    assert "未交齐的组织" not in stdout and "│ 城关镇           │    1 │    1 │      0 │    0 │" in stdout
    assert stderr == "应交 1 个：已交 1 个，有问题 0 个，重复提交 0 个，未交 0 个\n"


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(["collect", str(tmp_path / "无"), "--roster", str(ROSTER)], capsys)
    assert (code, stderr) == (2, f"错误：找不到文件夹：{tmp_path / '无'}\n")
    taken = tmp_path / "别的.xlsx"
    taken.write_bytes(b"x")
    code, _, stderr = run(["collect", str(TOWN), "--roster", str(ROSTER), "-o", str(taken)], capsys)
    assert (code, stderr) == (2, f"错误：文件 {taken} 已存在，且不是本工具生成的收集情况，未写入：为避免覆盖其中的内容，"
                                 "请换一个文件名，或加 --force 覆盖\n")
    code, _, stderr = run(["collect", str(TOWN), "--roster", str(TOWN / "村" / "北关村党支部.xlsx")], capsys)
    assert code == 2 and stderr == ("错误：花名册有 1 处问题\n  北关村党支部.xlsx: 缺少工作表“花名册”（工作簿中的工作表："
                                    "基本信息、考评数据、填写说明）；请用 chuangyou roster new 生成花名册\n")


def test_rerun_replaces_own_workbook_inside_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    _copy("村/刘庄村党支部.xlsx", folder / "刘庄村党支部.xlsx")
    roster = tmp_path / "花名册.xlsx"
    write_roster(roster, bundled_rubrics(), [RosterRow(name="刘庄村党支部", township="城关镇", subtype_label="村",
                                                       form="党支部"),
                                             RosterRow(name="东风村党支部", township="城关镇", subtype_label="村",
                                                       form="党支部")])
    out = folder / "收集情况.xlsx"  # saved among the materials, then the command is run again
    for _ in range(2):
        code, stdout, stderr = run(["collect", str(folder), "--roster", str(roster), "-o", str(out),
                                    "--format", "json"], capsys)
        assert code == 1
        assert json.loads(stdout)["unlisted"] == []  # our own output is not taken for a workbook
    problems = list(load_workbook(out)["问题清单"].iter_rows(min_row=4, values_only=True))
    assert problems == [(1, "城关镇", "东风村党支部", "未交", None, "未提交材料")]
    empty = tmp_path / "空"
    empty.mkdir()
    code, stdout, stderr = run(["collect", str(empty), "--roster", str(roster), "--format", "json"], capsys)
    assert code == 1 and [o["status"] for o in json.loads(stdout)["organizations"]] == ["未交", "未交"]
    assert stderr == "应交 2 个：已交 0 个，有问题 0 个，重复提交 0 个，未交 2 个\n"


def test_a_rerun_reads_from_the_cache_and_says_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        isolated_cache: Path) -> None:
    """Chasing files means many reruns over mostly unchanged workbooks: they come from the cache."""
    argv = ["collect", str(TOWN), "--roster", str(ROSTER), "--format", "json"]
    cold = run([*argv, "--no-cache"], capsys)
    assert not (isolated_cache / "results").exists()  # --no-cache writes nothing
    first = run(argv, capsys)
    stored = [p for p in (isolated_cache / "results").rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert len(stored) == 30  # one entry per workbook, the failed 北岗村 too
    warm = run([*argv, "--jobs", "1"], capsys)
    assert cold == first == warm
    assert json.loads(warm[1])["townships"] == [
        {"township": "城关镇", "expected": 31, "submitted": 29, "problem": 1, "missing": 1}]
