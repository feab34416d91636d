"""`chuangyou rubric copy`: a bundled rubric copied for editing under a new id and version."""

from __future__ import annotations

from pathlib import Path

import pytest

from chuangyou.rubric import load_rubric
from chuangyou.rubric.registry import bundled_dir
from cli_helpers import run_cli as run


def test_copy_keeps_the_text_and_changes_id_and_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "本县村级标准.yaml"
    code, out, _err = run(["rubric", "copy", "village", "-o", str(target), "--id", "county_village", "--version", "2026.1-县"], capsys)
    assert code == 0
    assert out.splitlines() == [
        f"已复制 village（2026.1）到 {target}：编号 county_village，版本 2026.1-县",
        f"修改后检查：chuangyou rubric check {target}",
    ]
    original = (bundled_dir() / "village.yaml").read_text(encoding="utf-8").splitlines()
    copied = target.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, copied, strict=True) if a != b]
    assert changed == [("id: village", "id: county_village"), ('version: "2026.1"', 'version: "2026.1-县"')]
    rubric = load_rubric(target)
    assert (rubric.id, rubric.version) == ("county_village", "2026.1-县")


def test_copy_defaults_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "标准.yaml"
    code, out, _err = run(["rubric", "copy", "两新组织", "-o", str(target)], capsys)  # an alias names it too
    assert code == 0 and load_rubric(target).id == "two_new_local"
    code, out, err = run(["rubric", "copy", "two_new", "-o", str(tmp_path / "b.yaml")], capsys)
    assert code == 0 and "编号 two_new_local，版本 2026.1-local" in out
    code, _out, err = run(["rubric", "copy", "two_new", "-o", str(tmp_path / "b.yaml")], capsys)
    assert (code, err) == (2, f"错误：文件 {tmp_path / 'b.yaml'} 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖\n")
    assert run(["rubric", "copy", "two_new", "-o", str(tmp_path / "b.yaml"), "--force"], capsys)[0] == 0
    code, _out, err = run(["rubric", "copy", "village", "-o", str(tmp_path / "c.yaml"), "--id", "agency"], capsys)
    assert (code, err) == (2, "错误：新编号“agency”与内置评定标准相同，复制件会与内置标准混淆，请换一个编号（如 agency_local）\n")
    code, _out, err = run(["rubric", "copy", "village", "-o", str(tmp_path / "c.yaml"), "--id", "本县"], capsys)
    assert code == 2 and err.startswith("错误：新编号“本县”不符合要求")
    code, _out, err = run(["rubric", "copy", "nosuch", "-o", str(tmp_path / "c.yaml")], capsys)
    assert (code, err) == (2, "错误：没有编号为“nosuch”的内置评定标准（内置：agency、two_new、village）；要修改自己的 YAML 文件，直接复制该文件即可\n")
    assert not (tmp_path / "c.yaml").exists()


def test_rubric_show_xlsx_holds_the_whole_standard(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    from chuangyou.rubric import resolve

    target = tmp_path / "标准.xlsx"
    code, out, _err = run(["rubric", "show", "village", "--format", "xlsx", "-o", str(target)], capsys)
    assert (code, out) == (0, f"已写入 {target}\n")
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["评定标准", "等级与否决条件"]
    sheet = book["评定标准"]
    assert [c.value for c in sheet[2]] == ["类别", "项目", "分值", "考核评价标准", "考评方式", "来源"]
    rubric = resolve("village")
    items = [(c, i) for c in rubric.categories for i in c.items]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(items)
    category, item = items[0]
    assert rows[0] == ("党的组织设置（10分）", item.name, 2, item.standard, item.method, "原文")
    assert all(row[3] == i.standard and row[4] == i.method for row, (_c, i) in zip(rows, items, strict=True))
    assert sheet.row_dimensions[3].height >= 4 * 15  # tall enough for the wrapped text
    vetoes = [r for r in book["等级与否决条件"].iter_rows(min_row=2, values_only=True)]
    assert vetoes[0] == ("优秀党支部", "总分 ≥ 90")
    assert ("存在重大财务纰漏情况另行处理", "另行处理（条件：major_financial_issue）") in vetoes
    # Its own earlier output is replaced; another file is not, unless --force.
    assert run(["rubric", "show", "village", "--format", "xlsx", "-o", str(target)], capsys)[0] == 0
    other = tmp_path / "别人的.xlsx"
    openpyxl.Workbook().save(other)
    code, _out, err = run(["rubric", "show", "village", "--format", "xlsx", "-o", str(other)], capsys)
    assert code == 2 and "已存在，且不是本工具生成的评定标准表，未写入" in err
    code, _out, err = run(["rubric", "show", "village", "-o", str(target)], capsys)
    assert (code, err) == (2, "错误：写出 Excel 工作簿请同时给出 --format xlsx 和 -o 文件名，如：chuangyou rubric show village --format xlsx -o 标准.xlsx\n")
