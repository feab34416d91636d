"""Malformed evidence workbooks: every problem reported at once, exactly worded, by both readers.

Each case is a builder (tmp_path → workbook path, rubric forced or None) and the exact list
of (where, message) expected. Cell addresses follow evidence_helpers.write_workbook: in
考评数据 the header is row 1 (A 编号 … G 自评值, H 核定值) and fields follow in rubric order
(setup_ok 2, members 3, remarks 4, hours 5, level 6, extra 7, village_score 8, grid_ok 9,
satisfaction 10, vacant_months 11); in 基本信息 column B holds the values, 组织名称 in row 2
down to 标准版本 in row 10.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from chuangyou.errors import EvidenceError
from chuangyou.evidence import read_evidence
from chuangyou.rubric import Rubric, bundled_paths
from evidence_helpers import (
    DATA_SHEET,
    DROP,
    full_values,
    mini_rubric,
    patch_cell,
    patch_xml,
    write_workbook,
)

F = "村.xlsx"
D = f"{F} 考评数据"
I = f"{F} 基本信息"  # noqa: E741
SAVE_AS = "请在 Excel 或 WPS 中打开，选择“另存为”→“Excel 工作簿（*.xlsx）”后再试"
FORMULA = "是公式，但文件中没有保存计算结果；请用 Excel 或 WPS 打开该文件并保存后再试"
Builder = Callable[[Path], tuple[Path, Rubric | None]]


def _book(**kwargs: object) -> Builder:
    """A mini-rubric workbook with some changes, read with the mini rubric forced."""

    def build(tmp: Path) -> tuple[Path, Rubric | None]:
        return write_workbook(tmp / F, mini_rubric(), **kwargs), mini_rubric()  # type: ignore[arg-type]

    return build


def _raw(name: str, content: bytes) -> Builder:
    def build(tmp: Path) -> tuple[Path, Rubric | None]:
        path = tmp / name
        path.write_bytes(content)
        return path, mini_rubric()

    return build


def _zip(name: str, members: dict[str, bytes]) -> Builder:
    def build(tmp: Path) -> tuple[Path, Rubric | None]:
        path = tmp / name
        with zipfile.ZipFile(path, "w") as archive:
            for member, content in members.items():
                archive.writestr(member, content)
        return path, mini_rubric()

    return build


def _unforced(builder: Builder) -> Builder:
    def build(tmp: Path) -> tuple[Path, Rubric | None]:
        return builder(tmp)[0], None

    return build


def _truncated(tmp: Path) -> tuple[Path, Rubric | None]:
    path = write_workbook(tmp / F, mini_rubric())
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path, mini_rubric()


def _error_cell(tmp: Path) -> tuple[Path, Rubric | None]:
    path = write_workbook(tmp / F, mini_rubric())
    return patch_cell(path, "xl/worksheets/sheet2.xml", "G5", '<c r="G5" t="e"><f>1/0</f><v>#DIV/0!</v></c>'), mini_rubric()


def _full(subtype: str = "village") -> dict[str, object]:
    return full_values(mini_rubric(), subtype)


def _set(**cells: object) -> Callable[[Workbook], None]:
    """Edit cells: keys like data_G3 or info_B2 (sheet prefix, then the cell)."""

    def edit(workbook: Workbook) -> None:
        for name, value in cells.items():
            sheet, cell = name.split("_")
            workbook["基本信息" if sheet == "info" else DATA_SHEET][cell] = value

    return edit


def _delete_rows(*rows: int) -> Callable[[Workbook], None]:
    def edit(workbook: Workbook) -> None:
        for row in sorted(rows, reverse=True):
            workbook[DATA_SHEET].delete_rows(row)

    return edit


def _unknown_rubric(message_ref: str) -> str:
    known = "、".join(p.stem for p in bundled_paths())
    return (f"“评定标准”的值“{message_ref}”不是内置的评定标准（内置：{known}）；"
            "使用自定义标准时请用 --rubric 指定其 YAML 文件")


CASES: dict[str, tuple[Builder, list[tuple[str, str]]]] = {
    "empty file": (_raw(F, b""), [(F, "文件是空的（0 字节），不是 Excel 工作簿；请重新保存或重新发送该文件")]),
    "csv handed in": (_raw("村.csv", "项目,内容\n组织名称,城关村\n".encode()), [
        ("村.csv", "这是文本文件（如 .csv），不是 Excel 工作簿；请用 chuangyou template 生成的 .xlsx 模板填写")]),
    "legacy xls": (_raw("村.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), [
        ("村.xls", f"这是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法读取；{SAVE_AS}")]),
    "encrypted xlsx": (_raw(F, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
                            + "EncryptionInfo".encode("utf-16-le")), [
        (F, "工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消打开密码并保存为 .xlsx 后再试")]),
    "binary junk": (_raw("村.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00"), [(F, "无法识别的文件格式，应为 Excel 工作簿（.xlsx）")]),
    "truncated zip": (_truncated, [
        (F, "文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试")]),
    "ods": (_zip("村.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<a/>"}), [
        ("村.ods", "这是 OpenDocument 表格（.ods）格式；请在 WPS、Excel 或 LibreOffice 中打开，另存为“Excel 工作簿（*.xlsx）”后再试")]),
    "word document": (_zip("村.docx", {"word/document.xml": b"<a/>"}), [
        ("村.docx", "这是 Word 文档，不是 Excel 工作簿；请使用 chuangyou template 生成的 .xlsx 模板填写")]),
    "missing sheet": (_book(edit=lambda wb: wb.remove(wb[DATA_SHEET])), [
        (F, "缺少工作表“考评数据”（工作簿中的工作表：基本信息）")]),
    "missing info header": (_book(edit=_set(info_A1="名称", info_B1="值")), [
        (I, "前 20 行中找不到表头“项目”“内容”（应为第 1 行：A 列“项目”、B 列“内容”）")]),
    "missing data header": (_book(edit=_set(data_H1="核定")), [(D, "表头（第 1 行）缺少“核定值”列")]),
    "no data header row": (_book(edit=_set(data_A1="序号")), [
        (D, "前 20 行中找不到表头（应有“编号”“自评值”“核定值”等列）")]),
    "duplicate header": (_book(edit=_set(data_J1="自评值")), [
        (f"{D}!J1", "表头“自评值”出现了两次（G1 和 J1），请删除多余的一列")]),
    "unknown number": (_book(edit=_set(data_A3="setup.member", data_A12="study.members", data_A13="合计")), [
        (f"{D}!A3", "编号“setup.member”不在《测试评定标准》中，请勿修改模板中的编号"),
        (f"{D}!A12", "编号“study.members”不在《测试评定标准》中，该字段的编号应为“setup.members”"),
        (D, "缺少编号为“setup.members”的行（正式党员人数）")]),
    "duplicate number": (_book(edit=_set(data_A12="setup.members", data_G12=5)), [
        (f"{D}!A12", "编号“setup.members”重复出现（第 3 行和第 12 行），请删除多余的一行")]),
    "missing rows": (_book(edit=_delete_rows(2, 11)), [
        (D, "缺少编号为“setup.setup_ok”的行（组织设置规范）"),
        (D, "缺少编号为“general.vacant_months”的行（书记出缺月数）")]),
    "empty required": (_book(self_values={**_full(), "members": None, "level": "  "}), [
        (f"{D}!G3", "“正式党员人数”未填写（自评值、核定值均为空），应填写不小于 0 的整数（单位：名）"),
        (f"{D}!G6", "“记录规范程度”未填写（自评值、核定值均为空），应从下拉列表中选择：规范、基本规范、不规范")]),
    "wrong type": (_book(self_values={**_full(), "members": "abc"}, verified={"hours": "二十"}), [
        (f"{D}!G3", "“正式党员人数”的值“abc”不是数字，应填写不小于 0 的整数（单位：名）"),
        (f"{D}!H5", "“人均学习时长”的值“二十”不是数字，应填写 0～100 之间的数字（单位：学时）")]),
    "out of range": (_book(self_values={**_full(), "hours": 120, "members": -1, "village_score": "4.5"}), [
        (f"{D}!G3", "“正式党员人数”的值 -1 小于下限 0，应填写不小于 0 的整数（单位：名）"),
        (f"{D}!G5", "“人均学习时长”的值 120 超过上限 100，应填写 0～100 之间的数字（单位：学时）"),
        (f"{D}!G8", "“乡村振兴酌情得分”的值 4.5 超过上限 4，应填写 0～4 之间的数字（单位：分）")]),
    "not an integer": (_book(verified={"members": 3.5}), [
        (f"{D}!H3", "“正式党员人数”的值“3.5”不是整数，应填写不小于 0 的整数（单位：名）")]),
    "unknown choice": (_book(self_values={**_full(), "level": "很好"}), [
        (f"{D}!G6", "“记录规范程度”的值“很好”不是可选项，应从下拉列表中选择：规范、基本规范、不规范")]),
    "unrecognised bool": (_book(self_values={**_full(), "setup_ok": "可能"}), [
        (f"{D}!G2", "“组织设置规范”的值“可能”无法识别，应填写 是 或 否")]),
    "not applicable typed": (_book(self_values={**_full(), "setup_ok": "不适用"}), [
        (f"{D}!G2", "“组织设置规范”对本组织适用，不能填写“不适用”，应填写 是 或 否")]),
    "formula without value": (_book(verified={"members": "=2+3"}, info={"组织名称": "=C1"}), [
        (f"{I}!B2", f"“组织名称”{FORMULA}"),
        (f"{D}!H3", f"“正式党员人数”{FORMULA}")]),
    "error value": (_error_cell, [(f"{D}!G5", "“人均学习时长”的公式计算出错（#DIV/0!），请改正公式或直接填写数值")]),
    "another rubric": (_book(info={"评定标准": "village", "组织类别": "火星"}), [
        (f"{I}!B9", "工作簿是按评定标准“village”填写的，与指定的评定标准“mini”（测试评定标准）不符；请使用按该标准生成的模板")]),
    "another version": (_book(info={"标准版本": "2025.1"}), [
        (f"{I}!B10", "工作簿的标准版本为“2025.1”，与评定标准“mini”的版本“2026.1”不符；"
                     "请用 chuangyou template --rubric mini 生成新版模板重新填写")]),
    "unknown rubric id": (_unforced(_book(info={"评定标准": "mini"})), [(f"{I}!B9", _unknown_rubric("mini"))]),
    "rubric given as path": (_unforced(_book(info={"评定标准": "../x.yaml"})), [
        (f"{I}!B9", "“评定标准”的值“../x.yaml”应为标准编号而不是文件路径；使用自定义标准时请用 --rubric 指定其 YAML 文件")]),
    "blank rubric id": (_unforced(_book(info={"评定标准": None})), [
        (f"{I}!B9", "“评定标准”未填写，应为模板中预填的标准编号（如 village）")]),
    "unknown subtype": (_book(info={"组织类别": "乡村"}, self_values={**_full(), "members": "x", "village_score": "y"}), [
        (f"{I}!B4", "“组织类别”的值“乡村”不是《测试评定标准》的组织类别，应填写：村、社区"),
        # village_score applies to villages only: with the subtype unknown it is not checked
        (f"{D}!G3", "“正式党员人数”的值“x”不是数字，应填写不小于 0 的整数（单位：名）")]),
    "bad info rows": (_book(info={"组织名称": DROP, "组织形式": "支部", "考评年度": "去年", "考评周期": "下半年"}), [
        (I, "缺少“组织名称”一行，请在“项目”列填写“组织名称”、在“内容”列填写相应内容"),
        (f"{I}!B4", "“组织形式”的值“支部”无法识别，应填写：党委、党总支、党支部"),
        (f"{I}!B5", "“考评年度”的值“去年”不是年份，应填写四位数字年份，如 2026"),
        (f"{I}!B6", "“考评周期”的值“下半年”无法识别，应填写：上半年、全年")]),
    "blank required info": (_book(info={"组织名称": " ", "组织类别": None, "组织形式": None}), [
        (f"{I}!B2", "“组织名称”未填写"),
        (f"{I}!B4", "“组织类别”未填写，应填写：村、社区"),
        (f"{I}!B5", "“组织形式”未填写，应填写：党委、党总支、党支部")]),
    "duplicate info label": (_book(edit=lambda wb: wb["基本信息"].append(["组织名称", "另一个"])), [
        (f"{I}!A11", "“组织名称”出现了两次（第 2 行和第 11 行），请删除多余的一行")]),
    "percent typed as fraction": (_book(subtype="community", self_values={
        **_full("community"), "satisfaction": 0.95}), [
        (f"{D}!G10", "“居民满意率”的值“0.95”含义不明确：如为 95%，请填写 95 或 95%；如确为 0.95%，请填写 0.95%")]),
    "date in number field": (_book(self_values={**_full(), "members": datetime(2026, 3, 1)}), [
        (f"{D}!G3", "“正式党员人数”的值“2026-03-01 00:00:00”是日期/时间，应填写不小于 0 的整数（单位：名）")]),
    "many problems at once": (_book(
        info={"组织形式": "小组"},
        self_values={**_full(), "setup_ok": None, "hours": "很多"},
        verified={"level": "差"},
        edit=_set(data_A11="general.vacant")), [
        (f"{I}!B5", "“组织形式”的值“小组”无法识别，应填写：党委、党总支、党支部"),
        (f"{D}!A11", "编号“general.vacant”不在《测试评定标准》中，请勿修改模板中的编号"),
        (f"{D}!G2", "“组织设置规范”未填写（自评值、核定值均为空），应填写 是 或 否"),
        (f"{D}!G5", "“人均学习时长”的值“很多”不是数字，应填写 0～100 之间的数字（单位：学时）"),
        (f"{D}!H6", "“记录规范程度”的值“差”不是可选项，应从下拉列表中选择：规范、基本规范、不规范"),
        (D, "缺少编号为“general.vacant_months”的行（书记出缺月数）")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_workbook(case: str, reader: str, tmp_path: Path) -> None:
    builder, expected = CASES[case]
    path, rubric = builder(tmp_path)
    with pytest.raises(EvidenceError) as caught:
        read_evidence(path, rubric, reader=reader)
    got = [(p.where, p.message) for p in caught.value.problems]
    assert got == expected
    heading = caught.value.message
    assert heading in ("证明材料工作簿无法读取", f"证明材料工作簿有 {len(expected)} 处问题")
    assert caught.value.exit_code == 1


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        read_evidence(tmp_path / "无.xlsx", mini_rubric())
    assert [str(p) for p in caught.value.problems] == [f"无.xlsx: 找不到文件：{tmp_path / '无.xlsx'}"]
    folder = tmp_path / "材料.xlsx"
    folder.mkdir()
    with pytest.raises(EvidenceError) as caught:
        read_evidence(folder, mini_rubric())
    assert [str(p) for p in caught.value.problems] == ["材料.xlsx: 这是一个文件夹，不是 Excel 工作簿"]


def test_a_file_over_50_mb_is_refused_and_one_just_under_is_read_whole(tmp_path: Path) -> None:
    from chuangyou.evidence import limits
    from chuangyou.evidence.package import open_package

    big = tmp_path / "照片.xlsx"
    with big.open("wb") as handle:  # sparse: costs no disk
        handle.write(b"PK\x03\x04")
        handle.truncate(51 * limits.MB)
    tracemalloc.start()
    with pytest.raises(EvidenceError) as caught:
        read_evidence(big, mini_rubric())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [str(p) for p in caught.value.problems] == [
        "照片.xlsx: 文件过大（51 MB，上限 50 MB），不像证明材料工作簿；如在工作簿中插入了照片等图片，请删除后另存，佐证材料另行提交"]
    assert peak < limits.MB  # refused by its size, unread
    # A workbook just under the limit (a picture of 49.9 MB inside) is read to its last byte.
    good = tmp_path / "村.xlsx"
    write_workbook(good, mini_rubric())
    with zipfile.ZipFile(good, "a") as archive:
        archive.writestr("xl/media/image1.png", bytes(limits.MAX_FILE_BYTES - 100_000))
    size = good.stat().st_size
    assert limits.MAX_FILE_BYTES - 100_000 < size <= limits.MAX_FILE_BYTES
    assert len(open_package(good).data) == size
    assert read_evidence(good, mini_rubric()).organization.name


def test_missing_info_sheet_with_forced_rubric_still_checks_values(tmp_path: Path, reader: str) -> None:
    def edit(workbook: Workbook) -> None:
        workbook.remove(workbook["基本信息"])

    path = write_workbook(tmp_path / F, mini_rubric(), self_values={**_full(), "members": "许多"}, edit=edit)
    with pytest.raises(EvidenceError) as caught:
        read_evidence(path, mini_rubric(), reader=reader)
    assert [(p.where, p.message) for p in caught.value.problems] == [
        (F, "缺少工作表“基本信息”（工作簿中的工作表：考评数据）"),
        (f"{D}!G3", "“正式党员人数”的值“许多”不是数字，应填写不小于 0 的整数（单位：名）"),
    ]


def test_doctype_is_refused_by_both_readers(tmp_path: Path, reader: str) -> None:
    path = write_workbook(tmp_path / F, mini_rubric())
    patch_xml(path, "xl/worksheets/sheet1.xml", "<worksheet", '<!DOCTYPE x [<!ENTITY a "b">]><worksheet')
    with pytest.raises(EvidenceError) as caught:
        read_evidence(path, mini_rubric(), reader=reader)
    assert [p.message for p in caught.value.problems] == [
        f"工作簿含有 Excel/WPS 不会写入的 XML 声明（DOCTYPE），已拒绝读取；{SAVE_AS}"]


def test_broken_sheet_xml_is_reported_not_raised(tmp_path: Path, reader: str) -> None:
    path = write_workbook(tmp_path / F, mini_rubric())
    patch_xml(path, "xl/worksheets/sheet2.xml", "</sheetData>", "<row>")
    with pytest.raises(EvidenceError) as caught:
        read_evidence(path, mini_rubric(), reader=reader)
    assert [p.message for p in caught.value.problems] == [
        "工作簿内容已损坏，无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"]


def test_openpyxl_parses_xml_through_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
