"""The hostile evidence workbooks, each with its exact outcome for ``score`` and ``rank``.

A :class:`Case` builds its file and says what the commands must answer: the problems
(``where``, ``message``) of the one EvidenceError, its heading and exit code; a case
without problems must be read normally (``check`` then looks at the score JSON). ``{f}``
in ``where`` stands for the file's name. Rubric files are in :mod:`hostile.rubrics`.

Workbooks are filled for the bundled ``village`` rubric by tests/evidence_helpers.py
(考评数据: header row 1, 编号 A, 自评值 G, 核定值 H; 正式党员人数 on row 2,
党组织设置规范、调整及时 on row 3; 基本信息: 组织名称 B2 … 评定标准 B9), so that
``score`` and ``rank`` find their rubric without ``--rubric``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Border, PatternFill, Side

from chuangyou.evidence import limits
from chuangyou.rubric import bundled_paths
from evidence_helpers import data_row, full_values, patch_cell
from hostile import zips
from hostile.craft import compound_file, encrypted_workbook, legacy_xls
from hostile.zips import SHEET, good, members, raw, text_cell, village

CANNOT_READ = "证明材料工作簿无法读取"
SAVE_AS = "请在 Excel 或 WPS 中打开，选择“另存为”→“Excel 工作簿（*.xlsx）”后再试"
DAMAGED = "工作簿内容已损坏，无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"
DAMAGED_ZIP = "文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试"
DOCTYPE = f"工作簿含有 Excel/WPS 不会写入的 XML 声明（DOCTYPE），已拒绝读取；{SAVE_AS}"
BAD_REF = "工作簿内容已损坏（单元格地址无法识别），无法读取；请在 Excel 或 WPS 中打开并另存为 .xlsx 后再试"
XLS = f"这是旧版 Excel（.xls）或 WPS 表格（.et）格式，无法读取；{SAVE_AS}"
TEXT = "这是文本文件（如 .csv），不是 Excel 工作簿；请用 chuangyou template 生成的 .xlsx 模板填写"
D = "{f} 考评数据"
I = "{f} 基本信息"  # noqa: E741


def rows(row: int) -> str:
    return (f"工作表“考评数据”超过 {limits.MAX_ROWS} 行（第 {row} 行仍有内容或格式），不像证明材料工作簿；"
            "如有大量空行，请选中多余的行删除后另存再试")


def area(rows: int, columns: int) -> str:
    return (f"工作表“考评数据”的使用范围过大（{rows} 行 × {columns} 列，超过 {limits.MAX_CELLS} 个单元格的上限）；"
            "请删除多余的行和列（包括只设置了格式的空白单元格）后另存再试")


def bomb(member: str, mb: int, limit: int) -> str:
    return (f"工作簿中的 {member} 解压后有 {mb} MB，超过 {limit} MB 的上限，已拒绝读取"
            "（文件可能被恶意构造，即“压缩炸弹”）")


def listed(what: str) -> str:
    return (f"工作表“考评数据”中的{what}过多（超过 {limits.MAX_LISTED} 个），不像证明材料工作簿；"
            f"请删除多余的{what}后另存再试")


def problems(count: int) -> str:
    return f"证明材料工作簿有 {count} 处问题"


@dataclass(frozen=True)
class Case:
    id: str
    file: str  # the name handed in
    build: Callable[[Path], Any]  # writes the file at the given path
    problems: tuple[tuple[str, str], ...] = ()
    heading: str = CANNOT_READ
    exit_code: int = 1
    bomb: bool = False  # measured by scripts/make_hostile.py --measure
    check: Callable[[dict[str, Any]], None] | None = None  # readable cases: the score JSON

    def expected(self) -> list[str]:
        """The problems as rank's JSON and score's stderr show them: ``where: message``."""
        return [f"{where.format(f=self.file)}: {message}" for where, message in self.problems]

    @property
    def readable(self) -> bool:
        return not self.problems


# -- workbook edits with openpyxl ------------------------------------------------------------

def _edit(edit: Callable[[Workbook], None], **values: Any) -> Callable[[Path], Any]:
    return lambda path: good(path, edit=edit, **values)


def _rename(info: str, data: str) -> Callable[[Workbook], None]:
    def edit(workbook: Workbook) -> None:
        workbook["基本信息"].title = info
        workbook["考评数据"].title = data

    return edit


def _delete_data(workbook: Workbook) -> None:
    workbook.remove(workbook["考评数据"])


def _merge(cells: str) -> Callable[[Workbook], None]:
    return lambda workbook: workbook["考评数据"].merge_cells(cells)


def _blank_formatted_rows(workbook: Workbook) -> None:
    """10,000 rows below the data with borders and a fill but no value (a common leftover of
    formatting whole columns)."""
    sheet = workbook["考评数据"]
    thin = Side(style="thin")
    border, fill = Border(left=thin, right=thin, top=thin, bottom=thin), PatternFill("solid", fgColor="FFF2CC")
    start = sheet.max_row + 1
    for row in range(start, start + 10_000):
        for col in range(1, 10):
            cell = sheet.cell(row=row, column=col)
            cell.border, cell.fill = border, fill


def _spaced_values() -> dict[str, Any]:
    values = full_values(village(), "village")
    values["party_members"] = "\u00a0３０\u3000名"  # NBSP, full-width digits and space, the unit
    values["setup_ok"] = "\u3000是\u00a0"
    return values


def _crafted_text(ref: str, sheet: str, text: str) -> Callable[[Path], Any]:
    """A cell holding ``text`` whatever its length (written into the XML directly)."""

    def build(path: Path) -> None:
        good(path, edit=text_cell(sheet, ref, "PLACEHOLDER"))
        zips.replace_text(path, "PLACEHOLDER", text)

    return build


def _same_total_as_clean(card: dict[str, Any]) -> None:
    clean = clean_total()
    assert card["total"] == clean, (card["total"], clean)


_CLEAN: list[str] = []


def clean_total() -> str:
    """The total of the clean workbook (scored once, through the library)."""
    if not _CLEAN:
        import tempfile

        from chuangyou.engine import score
        from chuangyou.evidence import read_evidence
        from chuangyou.scorecard import fmt

        with tempfile.TemporaryDirectory() as folder:
            path = good(Path(folder) / "clean.xlsx")
            _CLEAN.append(fmt(score(village(), read_evidence(path)).total))
    return _CLEAN[0]


def _name_is(name: str) -> Callable[[dict[str, Any]], None]:
    def check(card: dict[str, Any]) -> None:
        assert card["organization"]["name"] == name
        _same_total_as_clean(card)

    return check


def _with_rubric_file(path: Path) -> None:
    """评定标准 names "custom", and a valid rubric file of that name sits beside the workbook
    (the working folder of the test): it must not be opened."""
    (path.parent / "custom").write_text((bundled_paths()[0]).read_text(encoding="utf-8"), encoding="utf-8")
    good(path, edit=text_cell("基本信息", "B9", "custom"))


def _unknown_rubric(text: str) -> str:
    known = "、".join(p.stem for p in bundled_paths())
    return f"“评定标准”的值“{text}”不是内置的评定标准（内置：{known}）；使用自定义标准时请用 --rubric 指定其 YAML 文件"


def _value(field: str, value: Any, number_format: str | None = None) -> Callable[[Path], Any]:
    """A clean workbook with ``value`` as the field's 自评值 (shown with ``number_format``)."""
    ref = f"G{data_row(village(), field)}"

    def edit(workbook: Workbook) -> None:
        if number_format is not None:
            workbook["考评数据"][ref].number_format = number_format

    return lambda path: good(path, self_values={**full_values(village(), "village"), field: value}, edit=edit)


def _stored_number(ref: str, text: str) -> Callable[[Path], Any]:
    """A numeric cell whose stored text is ``text`` (1e999999999: Excel never writes it)."""
    return lambda path: patch_cell(good(path), SHEET, ref, f'<c r="{ref}"><v>{text}</v></c>')


def _no_satisfaction_veto(card: dict[str, Any]) -> None:
    assert not [v for v in card["vetoes"] if "满意" in v["reason"]], card["vetoes"]
    _same_total_as_clean(card)


SATISFACTION = f"G{data_row(village(), 'satisfaction')}"  # 群众满意率, 自评值


def _huge(shown: str) -> str:
    return f"“正式党员人数”的值“{shown}”过大（绝对值最大 1000000000），应填写不小于 0 的整数（单位：名）"


F = "村.xlsx"
LONG_TEXT = "x" * 100_000
LONG_NAME = "村" * 100_000

CASES: list[Case] = [
    # not a workbook at all
    Case("empty file", F, raw(b""), (("{f}", "文件是空的（0 字节），不是 Excel 工作簿；请重新保存或重新发送该文件"),)),
    Case("text renamed .xlsx", F, raw("项目,内容\n组织名称,城关村\n".encode()), (("{f}", TEXT),)),
    Case("csv", "村.csv", raw("项目,内容\n组织名称,城关村\n".encode("gb18030")), (("{f}", TEXT),)),
    Case("binary junk", F, raw(b"\x89PNG\r\n\x1a\n" + bytes(64)), (("{f}", "无法识别的文件格式，应为 Excel 工作簿（.xlsx）"),)),
    Case("truncated zip", F, zips.truncated, (("{f}", DAMAGED_ZIP),)),
    Case("corrupted byte", F, zips.crc_flip, (("{f}", DAMAGED_ZIP),)),
    Case("encrypted workbook", F, raw(encrypted_workbook()),
         (("{f}", "工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消打开密码并保存为 .xlsx 后再试"),)),
    Case("legacy xls", "村.xls", raw(legacy_xls()), (("{f}", XLS),)),
    Case("wps et", "村.et", raw(compound_file({"WpsWorkbook": b"\x00" * 64})), (("{f}", XLS),)),
    Case("xls renamed .xlsx", F, raw(legacy_xls()), (("{f}", XLS),)),
    Case("ods", "村.ods", zips.ods, (("{f}", "这是 OpenDocument 表格（.ods）格式；请在 WPS、Excel 或 LibreOffice 中打开，"
                                               "另存为“Excel 工作簿（*.xlsx）”后再试"),)),
    Case("xlsb", "村.xlsb", zips.xlsb, (("{f}", f"这是 Excel 二进制工作簿（.xlsb）格式，无法读取；{SAVE_AS}"),)),
    Case("word document renamed", F, zips.docx,
         (("{f}", "这是 Word 文档，不是 Excel 工作簿；请使用 chuangyou template 生成的 .xlsx 模板填写"),)),
    # bombs and limits
    Case("zip bomb 1 GB sheet", F, members(zips.bomb_sheet), (("{f}", bomb(SHEET, 1024, 50)),), bomb=True),
    Case("zip lying about size", F, members(zips.lying_sheet), (("{f}", DAMAGED_ZIP),), bomb=True),
    Case("zip declaring size 0", F, members(zips.zero_sized_sheet), (("{f}", DAMAGED_ZIP),), bomb=True),
    Case("shared strings bomb", F, members(zips.shared_strings_bomb),
         (("{f}", bomb("xl/sharedStrings.xml", 106, 5)),), bomb=True),
    # The template's nine columns make the used range reach MAX_CELLS at row 55,556, before
    # the row limit (which stops a narrower sheet at row 100,001).
    Case("million rows", F, members(zips.million_rows), (("{f}", area(55_556, 9)),), bomb=True),
    Case("last cell XFD1048576", F, members(zips.far_cell), (("{f}", rows(1_048_576)),), bomb=True),
    Case("used range too wide", F, members(zips.wide_cell), (("{f}", area(5000, 16384)),), bomb=True),
    Case("million rows in one column", F, members(zips.million_rows_narrow), (("{f}", rows(100_001)),), bomb=True),
    Case("largest sheet within the limits", F, members(zips.largest_sheet), bomb=True, check=_same_total_as_clean),
    Case("comment padding under limits", F, members(zips.comment_padding), bomb=True, check=_same_total_as_clean),
    Case("many big parts under limits", F, members(zips.many_parts), bomb=True, check=_same_total_as_clean),
    Case("1.5 million merged ranges", F, members(zips.merge_bomb), (("{f}", listed("合并单元格")),), bomb=True),
    Case("a million hyperlinks", F, members(zips.hyperlink_bomb), (("{f}", listed("超链接")),), bomb=True),
    Case("600,000 data validations", F, members(zips.validation_bomb), (("{f}", listed("数据有效性设置")),),
         bomb=True),
    Case("merged ranges just over the limit", F, members(zips.merges_over_limit), (("{f}", listed("合并单元格")),)),
    Case("10,000 merged ranges", F, members(zips.merges_at_limit), bomb=True, check=_same_total_as_clean),
    Case("bloated workbook.xml", F, members(zips.bloated_workbook_xml),
         (("{f}", bomb("xl/workbook.xml", 11, 5)),), bomb=True),
    Case("too many zip members", F, zips.many_members,
         (("{f}", f"压缩包内的文件过多（超过 {limits.MAX_MEMBERS} 个），不像证明材料工作簿，已拒绝读取"),), bomb=True),
    Case("file over 50 MB", F, zips.huge_file, (("{f}", (
        "文件过大（51 MB，上限 50 MB），不像证明材料工作簿；如在工作簿中插入了照片等图片，请删除后另存，佐证材料另行提交")),),
         bomb=True),
    Case("billion laughs in sheet", F, members(zips.laughs_in_sheet), (("{f}", DOCTYPE),), bomb=True),
    Case("billion laughs in shared strings", F, members(zips.laughs_in_shared_strings), (("{f}", DOCTYPE),),
         bomb=True),
    Case("external DTD in workbook.xml", F, members(zips.doctype_in_workbook), (("{f}", DOCTYPE),)),
    # crafted XML
    Case("duplicate cell address", F, members(zips.duplicate_address), (("{f}", DAMAGED),)),
    Case("second address glued to the first", F, members(zips.glued_address), (("{f}", DAMAGED),)),
    Case("address as character reference", F, members(zips.entity_address), (("{f}", rows(200_000)),)),
    Case("malformed cell address", F, members(zips.bad_address), (("{f}", BAD_REF),)),
    Case("broken sheet XML", F, members(zips.broken_xml), (("{f}", DAMAGED),)),
    Case("relationship outside the zip", F, members(zips.escaping_target), (("{f}", DAMAGED),)),
    # sheets renamed or deleted
    Case("sheets renamed in English", F, _edit(_rename("Basic Info", "Sheet1")), (
        ("{f}", "缺少工作表“基本信息”（工作簿中的工作表：Basic Info、Sheet1）"),
        ("{f}", "缺少工作表“考评数据”（工作簿中的工作表：Basic Info、Sheet1）")), heading=problems(2)),
    Case("sheet names translated", F, _edit(_rename("基本資訊", "考評數據")), (
        ("{f}", "缺少工作表“基本信息”（工作簿中的工作表：基本資訊、考評數據）"),
        ("{f}", "缺少工作表“考评数据”（工作簿中的工作表：基本資訊、考評數據）")), heading=problems(2)),
    Case("data sheet deleted", F, _edit(_delete_data),
         (("{f}", "缺少工作表“考评数据”（工作簿中的工作表：基本信息）"),), heading=problems(1)),
    Case("sheet names with spaces and full width", F, _edit(_rename(" 基本信息 ", "考评数据\u3000")),
         check=_same_total_as_clean),
    # cells
    Case("merged cells down the value column", F, _edit(_merge("G2:G3")), ((
        f"{D}!G3", "“党组织设置规范、调整及时”的单元格 G3 与上方单元格合并（G2:G3），内容只保存在 G2 中；"
                   "请取消合并单元格，在本行单独填写"),), heading=problems(1)),
    Case("merged 自评值 with 核定值", F, _edit(_merge("G2:H2")), check=_same_total_as_clean),
    Case("10,000 blank formatted rows", F, _edit(_blank_formatted_rows), check=_same_total_as_clean),
    Case("NBSP, full-width digits and spaces", F, lambda path: good(path, self_values=_spaced_values()),
         check=_same_total_as_clean),
    Case("emoji in the name", F, lambda path: good(path, name="城关村🚩党支部"), check=_name_is("城关村🚩党支部")),
    Case("name that looks like a formula", F, _edit(text_cell("基本信息", "B2", "=1+1")), check=_name_is("=1+1")),
    Case("100,000 characters in a number cell", F, _crafted_text("G2", "考评数据", LONG_TEXT), ((
        f"{D}!G2", f"“正式党员人数”的值“{'x' * 40}…”不是数字，应填写不小于 0 的整数（单位：名）"),), heading=problems(1)),
    Case("100,000 character name", F, _crafted_text("B2", "基本信息", LONG_NAME),
         ((f"{I}!B2", "“组织名称”过长（100000 个字符，最多 100 个）"),), heading=problems(1)),
    Case("评定标准 over 255 bytes", F, _crafted_text("B9", "基本信息", "v" * 300),
         ((f"{I}!B9", _unknown_rubric("v" * 40 + "…（共 300 个字符）")),), heading=problems(1)),
    # numbers: huge, exotic, percent-formatted (issue 12)
    Case("1e30 in a count", F, _value("party_members", 1e30), ((f"{D}!G2", _huge("1E+30")),), heading=problems(1)),
    Case("29 nines in a count", F, _value("party_members", 10**29 - 1), ((f"{D}!G2", _huge("1E+29")),),
         heading=problems(1)),
    Case("1E+308 in a count", F, _value("party_members", 1e308), ((f"{D}!G2", _huge("1E+308")),), heading=problems(1)),
    Case("1e999999999 typed as text", F, _edit(text_cell("考评数据", "G2", "1e999999999")),
         ((f"{D}!G2", _huge("1e999999999")),), heading=problems(1)),
    Case("1e999999999 stored as a number", F, _stored_number("G2", "1e999999999"), ((
        f"{D}!G2", "“正式党员人数”的值不是有效数字，应填写不小于 0 的整数（单位：名）"),), heading=problems(1)),
    Case("NaN stored as a number", F, _stored_number("G2", "NaN"), (("{f}", DAMAGED),)),  # openpyxl cannot read it
    Case("4² typed in a count", F, _edit(text_cell("考评数据", "G2", "4²")), ((
        f"{D}!G2", "“正式党员人数”的值“4²”不是数字，应填写不小于 0 的整数（单位：名）"),), heading=problems(1)),
    Case("100% typed as satisfaction", F, _value("satisfaction", 1, "0%"), check=_no_satisfaction_veto),
    Case("94.5% typed as satisfaction", F, _value("satisfaction", 0.945, "0.0%"), check=_no_satisfaction_veto),
    Case("0.945 typed as satisfaction", F, _edit(text_cell("考评数据", SATISFACTION, "0.945")), ((
        f"{D}!{SATISFACTION}", "“群众满意率”的值“0.945”含义不明确：如为 94.5%，请填写 94.5 或 94.5%；如确为 0.945%，请填写 0.945%"),),
         heading=problems(1)),
    Case("评定标准 naming a file beside it", F, _with_rubric_file, ((f"{I}!B9", _unknown_rubric("custom")),),
         heading=problems(1)),
]

BY_ID = {case.id: case for case in CASES}
assert len(BY_ID) == len(CASES), "case ids must be unique"
