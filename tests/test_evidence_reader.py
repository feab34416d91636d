"""Reading well-formed evidence workbooks (both readers), and scoring them end to end."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from chuangyou.engine import score
from chuangyou.errors import UsageError
from chuangyou.evidence import read_evidence, read_workbook
from chuangyou.evidence.workbook import choose_reader
from chuangyou.rubric import Example, Rubric, bundled_rubrics
from chuangyou.rubric.examples import run_examples
from chuangyou.scorecard import CellRef, Evidence
from evidence_helpers import (
    DATA_SHEET,
    INFO_SHEET,
    data_row,
    full_values,
    mini_rubric,
    patch_cell,
    patch_xml,
    write_workbook,
)

F = "城关村.xlsx"


def _read(path: Path, reader: str, rubric: Rubric | None = None) -> Evidence:
    return read_evidence(path, rubric or mini_rubric(), reader=reader)


def test_full_workbook(tmp_path: Path, reader: str) -> None:
    evidence = _read(write_workbook(tmp_path / F, mini_rubric()), reader)
    org = evidence.organization
    assert (org.name, org.township, org.subtype, org.subtype_label, org.form, org.year, org.period,
            org.filled_by) == ("城关村党支部", "城关镇", "village", "村", "党支部", 2026, "全年", "张三")
    assert evidence.values == {
        "setup_ok": True, "members": Decimal(30), "remarks": "无", "hours": Decimal(100), "level": "规范",
        "extra": Decimal(30), "village_score": Decimal(4), "vacant_months": Decimal(0),
    }
    assert evidence.self_values == evidence.values
    assert evidence.cells["members"] == CellRef(field="members", label="正式党员人数", sheet=DATA_SHEET,
                                                cell="G3", value="30")
    assert evidence.cells["subtype"] == CellRef(field="subtype", label="组织类别", sheet=INFO_SHEET,
                                                cell="B4", value="村")
    assert evidence.cells["form"].cell == "B5"
    assert (evidence.source, evidence.rubric_ref, evidence.rubric_version) == (str(tmp_path / F), "mini", "2026.1")
    assert evidence.warnings == []
    card = score(mini_rubric(), evidence)
    assert (card.total, card.tier) == (Decimal(10), "优秀党支部")


def _shuffle(workbook: Workbook) -> None:
    """Rows reversed, extra columns, a title block above the header, notes and hidden rows."""
    sheet = workbook[DATA_SHEET]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.remove(sheet)
    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.append(["城关村党支部争先创优证明材料"])
    sheet.append([])
    header, body = rows[0], rows[1:][::-1]
    order = [8, 7, 0, 2, 1, 3, 4, 5, 6]  # 佐证材料, 核定值, 编号 … 自评值 (any column order)
    sheet.append(["备注"] + [header[i] for i in order] + ["审核人"])
    for row in body:
        sheet.append(["x"] + [row[i] for i in order] + ["李四"])
        sheet.append([])
    sheet.append(["", "", "合计", "", "", "", "", "", "", ""])
    sheet.append(["说明：请如实填写"])
    for index in range(4, 12):
        sheet.row_dimensions[index].hidden = True
    info = workbook[INFO_SHEET]
    info.insert_cols(1)
    info.insert_rows(2)
    info["B2"], info["C2"] = "联系电话", "123"


def test_layout_tolerance(tmp_path: Path, reader: str) -> None:
    plain = _read(write_workbook(tmp_path / "a.xlsx", mini_rubric()), reader)
    moved = _read(write_workbook(tmp_path / "b.xlsx", mini_rubric(), edit=_shuffle), reader)
    assert moved.values == plain.values
    assert moved.organization == plain.organization
    # reversed body with a blank row after each: setup_ok (first field) is now near the bottom
    assert moved.cells["setup_ok"] == CellRef(field="setup_ok", label="组织设置规范", sheet=DATA_SHEET,
                                              cell="J22", value="是")
    assert moved.cells["subtype"].cell == "C5"


TOLERANT = {
    # field: (self value as typed, parsed)
    "setup_ok": ("√", True),
    "members": ("３０名", Decimal(30)),
    "remarks": (12, "12"),
    "hours": (" 24.5学时 ", Decimal("24.5")),
    "level": ("基本 规范", None),  # not an option: spaces inside are not ignored (strict)
    "extra": (None, Decimal(0)),  # optional with default 0
    "village_score": ("3.5", Decimal("3.5")),
    "vacant_months": ("0", Decimal(0)),
}


def test_values_typed_as_text_units_and_full_width(tmp_path: Path, reader: str) -> None:
    values = {fid: typed for fid, (typed, _) in TOLERANT.items()}
    values["level"] = "基本规范"
    evidence = _read(write_workbook(tmp_path / F, mini_rubric(), self_values=values), reader)
    expected = {fid: parsed for fid, (_, parsed) in TOLERANT.items()}
    expected["level"] = "基本规范"
    assert evidence.values == expected
    assert evidence.cells["members"].value == "３０名"


@pytest.mark.parametrize(("typed", "parsed"), [
    ("是", True), ("否", False), ("有", True), ("无", False), ("×", False), ("Y", True), ("n", False),
    (True, True), (False, False),
])
def test_bool_spellings(tmp_path: Path, reader: str, typed: Any, parsed: bool) -> None:
    values = {**full_values(mini_rubric(), "village"), "setup_ok": typed}
    evidence = _read(write_workbook(tmp_path / F, mini_rubric(), self_values=values), reader)
    assert evidence.values["setup_ok"] is parsed


def test_verified_overrides_self(tmp_path: Path, reader: str) -> None:
    values = {**full_values(mini_rubric(), "village"), "members": 30, "hours": None}
    path = write_workbook(tmp_path / F, mini_rubric(), self_values=values,
                          verified={"members": 2, "hours": 20, "setup_ok": "否"})
    evidence = _read(path, reader)
    assert (evidence.values["members"], evidence.self_values["members"]) == (Decimal(2), Decimal(30))
    assert (evidence.cells["members"].cell, evidence.self_cells["members"].cell) == ("H3", "G3")
    # 自评值 blank, 核定值 filled: the self value is the verified one
    assert (evidence.values["hours"], evidence.self_values["hours"]) == (Decimal(20), Decimal(20))
    assert (evidence.cells["hours"].cell, evidence.self_cells["hours"].cell) == ("H5", "H5")
    card = score(mini_rubric(), evidence)
    # verified: setup zeroed (组织设置不规范); study 3 − 1 (学时不足) + 1 (额外活动多) = 3; village 4
    assert (card.total, card.self_total) == (Decimal(7), Decimal(10))
    assert [d.reason for item in card.items for d in item.deductions] == ["组织设置不规范", "学时不足"]


def test_non_applicable_rows_are_ignored(tmp_path: Path, reader: str) -> None:
    def garbage(workbook: Workbook) -> None:
        sheet = workbook[DATA_SHEET]
        row = data_row(mini_rubric(), "grid_ok")
        sheet[f"G{row}"], sheet[f"H{row}"] = "abc", "=1/0"
        sheet.delete_rows(data_row(mini_rubric(), "satisfaction"))

    evidence = _read(write_workbook(tmp_path / F, mini_rubric(), edit=garbage), reader)
    assert "grid_ok" not in evidence.values and "satisfaction" not in evidence.values
    assert set(evidence.values) == set(full_values(mini_rubric(), "village"))


def test_community_subtype_by_id_and_optional_blank(tmp_path: Path, reader: str) -> None:
    values = {**full_values(mini_rubric(), "community"), "remarks": None, "satisfaction": "95%"}
    path = write_workbook(tmp_path / F, mini_rubric(), subtype="community", self_values=values,
                          info={"组织类别": "community", "组织形式": " 党总支 ", "考评年度": "２０２６年",
                                "考评周期": "上半年", "填报人": None, "标准版本": None})
    evidence = _read(path, reader)
    assert evidence.organization.subtype == "community"
    assert (evidence.organization.form, evidence.organization.year) == ("党总支", 2026)
    assert (evidence.organization.period, evidence.organization.filled_by) == ("上半年", "")
    assert evidence.values["remarks"] is None
    assert evidence.values["satisfaction"] == Decimal(95)
    assert "village_score" not in evidence.values
    assert evidence.warnings == ["工作簿未填写“标准版本”，按评定标准“mini” 2026.1 版读取"]


def test_formula_with_cached_value_is_used(tmp_path: Path, reader: str) -> None:
    path = write_workbook(tmp_path / F, mini_rubric())
    patch_cell(path, "xl/worksheets/sheet2.xml", "G3", '<c r="G3"><f>10+20</f><v>31</v></c>')
    evidence = _read(path, reader)
    assert evidence.values["members"] == Decimal(31)


def test_rubric_named_by_alias_in_workbook(tmp_path: Path, reader: str) -> None:
    village = next(r for r in bundled_rubrics() if r.id == "village")
    path = write_workbook(tmp_path / F, village, info={"评定标准": "村社区"})
    rubric, evidence = read_workbook(path, reader=reader)
    assert rubric is village
    assert evidence.rubric_ref == "village"


POSITIVE: dict[str, Callable[[Path], Path]] = {
    "full": lambda tmp: write_workbook(tmp / F, mini_rubric()),
    "shuffled": lambda tmp: write_workbook(tmp / F, mini_rubric(), edit=_shuffle),
    "tolerant": lambda tmp: write_workbook(tmp / F, mini_rubric(), self_values={
        **{fid: typed for fid, (typed, _) in TOLERANT.items()}, "level": "规范"}),
    "verified": lambda tmp: write_workbook(tmp / F, mini_rubric(), verified={"members": 2, "hours": 0.1}),
    "community": lambda tmp: write_workbook(tmp / F, mini_rubric(), subtype="community",
                                            info={"标准版本": None, "考评年度": 2026.0}),
    "cached formula": lambda tmp: patch_cell(write_workbook(tmp / F, mini_rubric()), "xl/worksheets/sheet2.xml",
                                             "G5", '<c r="G5" t="str"><f>"2"&amp;"4"</f><v>24</v></c>'),
    # some writers record a wrong used range; openpyxl's read-only mode would truncate rows to it
    "xlsx named .xls": lambda tmp: write_workbook(tmp / "城关村.xls", mini_rubric()),
    "wrong dimension": lambda tmp: patch_xml(write_workbook(tmp / F, mini_rubric()), "xl/worksheets/sheet2.xml",
                                             '<dimension ref="A1:I11" />', '<dimension ref="A1" />'),
}


@pytest.mark.parametrize("case", list(POSITIVE))
def test_both_readers_give_identical_evidence(case: str, tmp_path: Path) -> None:
    path = POSITIVE[case](tmp_path)
    fast = read_evidence(path, mini_rubric(), reader="calamine")
    pure = read_evidence(path, mini_rubric(), reader="openpyxl")
    assert fast.model_dump_json() == pure.model_dump_json()
    assert read_evidence(path, mini_rubric()).model_dump_json() == fast.model_dump_json()  # auto


def test_reader_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_reader("auto") == "calamine"
    assert choose_reader("openpyxl") == "openpyxl"
    with pytest.raises(UsageError) as caught:
        choose_reader("xlrd")
    assert caught.value.message == "未知的读取方式“xlrd”，可选：auto、calamine、openpyxl"
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as where no wheel installs
    assert choose_reader("auto") == "openpyxl"
    with pytest.raises(UsageError) as caught:
        choose_reader("calamine")
    assert caught.value.message == "未安装 python-calamine，请改用 --reader openpyxl 或安装该依赖"


def _example_values(rubric: Rubric) -> dict[str, tuple[Example, dict[str, Any], dict[str, Any], str, str]]:
    """Each example with inherited values (same semantics as chuangyou.rubric.examples)."""
    done: dict[str, tuple[Example, dict[str, Any], dict[str, Any], str, str]] = {}
    for example in rubric.examples:
        values: dict[str, Any] = {}
        subtype, form = "", "党支部"
        if example.extends:
            _, values, _, subtype, form = done[example.extends]
        values = {**values, **example.values}
        own = {**values, **(example.self_values or {})}
        done[example.name] = (example, values, own, example.subtype or subtype, example.form or form)
    return done


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return str(value)
    return value


BUNDLED = [(r.id, e.name) for r in bundled_rubrics() for e in r.examples]


@pytest.mark.parametrize(("rubric_id", "example"), BUNDLED)
def test_bundled_examples_score_the_same_from_a_workbook(rubric_id: str, example: str, tmp_path: Path) -> None:
    rubric = next(r for r in bundled_rubrics() if r.id == rubric_id)
    case, values, own, subtype, form = _example_values(rubric)[example]
    verified = {k: _cell(v) for k, v in values.items()} if case.self_values else {}
    path = write_workbook(tmp_path / "样例.xlsx", rubric, subtype=subtype, info={"组织形式": form},
                          self_values={k: _cell(v) for k, v in own.items()}, verified=verified)
    cards = [score(*read_workbook(path, reader=reader)) for reader in ("calamine", "openpyxl")]
    assert cards[0].model_dump_json() == cards[1].model_dump_json()
    card = cards[0]
    assert (card.total, card.tier) == (case.expect.total, case.expect.tier)
    expected = next(r.card for r in run_examples(rubric) if r.name == example)
    assert expected is not None
    assert [(i.id, i.score) for i in card.items] == [(i.id, i.score) for i in expected.items]
    assert card.self_total == expected.self_total
    for item in card.items:
        for deduction in item.deductions:
            for ref in deduction.evidence:
                if ref.field in ("subtype", "form"):  # rules on the organization point at 基本信息
                    assert (ref.sheet, ref.cell) == (INFO_SHEET, {"subtype": "B4", "form": "B5"}[ref.field])
                    continue
                column = "H" if verified else "G"
                assert (ref.sheet, ref.cell) == (DATA_SHEET, f"{column}{data_row(rubric, ref.field)}")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_workbook_resaved_by_libreoffice(tmp_path: Path) -> None:
    values = {**full_values(mini_rubric(), "village"), "members": "2", "hours": 20.5}
    (tmp_path / "src").mkdir()
    original = write_workbook(tmp_path / "src" / F, mini_rubric(), self_values=values,
                              verified={"level": "不规范"})
    out = tmp_path / "out"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(original)],
                   check=True, capture_output=True, timeout=120)
    resaved = out / F
    before = _read(original, "openpyxl")
    for reader in ("calamine", "openpyxl"):
        after = _read(resaved, reader)
        assert after.values == before.values
        assert after.self_values == before.self_values
        assert after.organization == before.organization
