"""The roster (花名册): `roster new` writes it, read_roster / `roster check` find every problem with its cell."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from chuangyou.errors import UsageError
from chuangyou.roster import RosterError, RosterRow, read_roster, write_roster
from chuangyou.rubric.registry import bundled_rubrics
from cli_helpers import run_cli as _cli

F = "花名册.xlsx"
S = f"{F} 花名册"
ROWS = [
    RosterRow(name="东关村党支部", township="城关镇", subtype_label="村", form="党支部", code="GC001"),
    RosterRow(name="滨河社区党委", township="城关镇", subtype_label="城市社区", form="党委"),
    RosterRow(name="华星电子有限公司党支部", township="东城街道", subtype_label="非公企业", form="党支部", code="DC001"),
]


def roster(tmp_path: Path, edit: Callable[[Any], None] | None = None, rows: list[RosterRow] = ROWS) -> Path:
    path = tmp_path / F
    write_roster(path, bundled_rubrics(), rows)
    if edit is not None:
        book = load_workbook(path)
        edit(book["花名册"])
        book.save(path)
    return path


def test_blank_roster_shape(tmp_path: Path) -> None:
    path = tmp_path / F
    write_roster(path, bundled_rubrics())
    book = load_workbook(path)
    assert book.sheetnames[:2] == ["花名册", "填写说明"]
    ws = book["花名册"]
    assert [c.value for c in ws[1]] == ["序号", "组织名称", "所属乡镇（街道）", "组织类别", "组织形式", "组织代码",
                                        "联系人", "联系电话", "备注"]
    assert ws.freeze_panes == "A2"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    checks = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert checks == {"D2:D501": '"机关,事业单位,非公企业,社会组织,村,城市社区,村改居社区"',
                      "E2:E501": '"党委,党总支,党支部"'}
    assert "组织代码" in book["填写说明"]["A7"].value
    with pytest.raises(RosterError) as caught:
        read_roster(path, bundled_rubrics())
    assert [str(p) for p in caught.value.problems] == [f"{S}: 花名册中没有组织：第 1 行表头下方没有填写任何一行"]


def test_filled_roster_reads(tmp_path: Path) -> None:
    loaded = read_roster(roster(tmp_path), bundled_rubrics())
    assert [(e.name, e.township, e.subtype_label, e.form, e.code, e.rubric_id, e.subtype, e.row)
            for e in loaded.entries] == [
        ("东关村党支部", "城关镇", "村", "党支部", "GC001", "village", "village", 2),
        ("滨河社区党委", "城关镇", "城市社区", "党委", "", "village", "urban_community", 3),
        ("华星电子有限公司党支部", "东城街道", "非公企业", "党支部", "DC001", "two_new", "enterprise", 4),
    ]
    assert loaded.townships() == ["城关镇", "东城街道"]


def _set(**cells: Any) -> Callable[[Any], None]:
    def edit(ws: Any) -> None:
        for ref, value in cells.items():
            ws[ref] = value
    return edit


SUBTYPES = "机关、事业单位、非公企业、社会组织、村、城市社区、村改居社区"
BROKEN = {
    "blank name": (_set(B3=None), [f"{S}!B3: “组织名称”未填写"]),
    "blank township": (_set(C2=None), [f"{S}!C2: “所属乡镇（街道）”未填写"]),
    "two blanks in a row": (_set(B3=None, C3=None), [f"{S}!B3: “组织名称”未填写", f"{S}!C3: “所属乡镇（街道）”未填写"]),
    "blank subtype": (_set(D4=None), [f"{S}!D4: “组织类别”未填写，应填写：{SUBTYPES}"]),
    "unknown subtype": (_set(D2="行政村"), [f"{S}!D2: “组织类别”的值“行政村”无法识别，应填写：{SUBTYPES}"]),
    "blank form": (_set(E3=None), [f"{S}!E3: “组织形式”未填写，应填写：党委、党总支、党支部"]),
    "unknown form": (_set(E2="支部"), [f"{S}!E2: “组织形式”的值“支部”无法识别，应填写：党委、党总支、党支部"]),
    "same organization twice": (
        _set(B5="东关村党支部 ", C5="城关镇", D5="村", E5="党支部"),
        [f"{S}!B5: “东关村党支部”（城关镇）在第 2 行已经列出，同一组织只能列一次"]),
    "same code twice": (
        _set(F3="gc001"), [f"{S}!F3: 组织代码“gc001”与第 2 行（东关村党支部）重复，每个组织的代码应唯一"]),
    "name under two townships": (
        _set(B5="东关村党支部", C5="东城街道", D5="村", E5="党支部"),
        [f"{S}!C5: “东关村党支部”在第 2 行列在“城关镇”下，这里又列在“东城街道”下；同一组织只能属于一个乡镇（街道），"
         "名称相同的两个组织请写全称以便区分"]),
    "name too long": (_set(B2="村" * 101), [f"{S}!B2: “组织名称”过长（101 个字符，最多 100 个）"]),
    "formula without cached value": (
        _set(C3="=A1"), [f"{S}!C3: “所属乡镇（街道）”是公式，但文件中没有保存计算结果；请用 Excel 或 WPS 打开该文件并保存后再试"]),
    "no header": (
        lambda ws: ws.delete_rows(1), [f"{S}: 前 20 行中找不到表头“组织名称”（表头应为：序号、组织名称、所属乡镇（街道）、"
                                       "组织类别、组织形式、组织代码、联系人、联系电话、备注）"]),
    "missing column": (
        _set(E1="形态"), [f"{S}: 第 1 行的表头缺少“组织形式”列（表头应为：序号、组织名称、所属乡镇（街道）、组织类别、组织形式、"
                          "组织代码、联系人、联系电话、备注）"]),
    "several at once": (
        _set(B3=None, D4="社区", B5="西关村党支部", C5="城关镇", D5="村", E5="党支部", F5="GC001"),
        [f"{S}!B3: “组织名称”未填写", f"{S}!D4: “组织类别”的值“社区”无法识别，应填写：{SUBTYPES}",
         f"{S}!F5: 组织代码“GC001”与第 2 行（东关村党支部）重复，每个组织的代码应唯一"]),
}


@pytest.mark.parametrize(("edit", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_roster(edit: Callable[[Any], None], expected: list[str], tmp_path: Path) -> None:
    path = roster(tmp_path, edit)
    with pytest.raises(RosterError) as caught:
        read_roster(path, bundled_rubrics())
    assert caught.value.message == f"花名册有 {len(expected)} 处问题"
    assert [str(p) for p in caught.value.problems] == expected


def test_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / F
    book = Workbook()
    book.active.title = "Sheet1"
    book.save(path)
    with pytest.raises(RosterError) as caught:
        read_roster(path, bundled_rubrics())
    assert [str(p) for p in caught.value.problems] == [
        f"{F}: 缺少工作表“花名册”（工作簿中的工作表：Sheet1）；请用 chuangyou roster new 生成花名册"]


def test_brackets_and_widths_match(tmp_path: Path) -> None:
    rows = [RosterRow(name="城关镇机关第一党支部（机关）", township="城关镇", subtype_label="机关", form="党支部"),
            RosterRow(name="城关镇机关第一党支部 [机关]", township="城关镇", subtype_label="机关", form="党支部")]
    with pytest.raises(RosterError) as caught:
        read_roster(roster(tmp_path, rows=rows), bundled_rubrics())
    assert [str(p) for p in caught.value.problems] == [
        f"{S}!B3: “城关镇机关第一党支部 [机关]”（城关镇）在第 2 行已经列出，同一组织只能列一次"]


def test_cli_new_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / F
    code, out, _ = _cli(["roster", "new", "-o", str(path), "--rubric", "village"], capsys)
    assert code == 0 and out.splitlines() == [
        f"已生成花名册：{path}", "组织类别 村、城市社区、村改居社区 → 村(社区)党组织争先创优评定标准（village）"]
    code, _, err = _cli(["roster", "new", "-o", str(path)], capsys)
    assert code == 2 and err == f"错误：文件 {path} 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖\n"
    filled = tmp_path / "filled"
    filled.mkdir()
    code, out, err = _cli(["roster", "check", str(roster(filled))], capsys)
    assert code == 0 and out.splitlines() == [
        f"花名册 {filled / F} 没有问题：共 3 个组织，2 个乡镇（街道）", "  城关镇：2 个", "  东城街道：1 个"]
    (filled / F).unlink()
    code, out, err = _cli(["roster", "check", str(roster(filled, _set(E3=None)))], capsys)
    assert code == 1 and out == ""
    assert err == f"错误：花名册有 1 处问题\n  {S}!E3: “组织形式”未填写，应填写：党委、党总支、党支部\n"
    code, _, err = _cli(["roster", "check", str(path), "--rubric", "village"], capsys)
    assert code == 1 and err == f"错误：花名册有 1 处问题\n  {S}: 花名册中没有组织：第 1 行表头下方没有填写任何一行\n"


def test_unreadable_roster_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as missing:
        read_roster(tmp_path / F, bundled_rubrics())
    assert missing.value.message == f"找不到花名册：{tmp_path / F}"
    (tmp_path / F).write_text("序号,组织名称\n", encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        read_roster(tmp_path / F, bundled_rubrics())
    assert caught.value.message == "花名册无法读取"
    assert [str(p) for p in caught.value.problems] == [
        f"{F}: 这是文本文件（如 .csv），不是 Excel 工作簿；请用 chuangyou template 生成的 .xlsx 模板填写"]
