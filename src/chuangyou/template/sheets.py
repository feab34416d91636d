"""The three sheets of the evidence template: 基本信息, 考评数据 and 填写说明."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.rubric.model import FORMS, Rubric
from chuangyou.template import cells
from chuangyou.template.cells import put
from chuangyou.template.data_sheet import NUMBER, SELF, VERIFIED
from chuangyou.template.layout import (
    BASIC_HEADERS,
    PERIODS,
    SHEET_BASIC,
    SHEET_DATA,
    FieldRow,
)
from chuangyou.template.validation import Check, ListSource, Validations, list_check
from chuangyou.values import NOT_APPLICABLE

NOTE_HEADER = "说明"  # a third column on 基本信息; the reader only looks at A and B
LOCKED = ("评定标准", "标准版本")  # pre-filled and locked


@dataclass(frozen=True)
class BasicInfo:
    """Values pre-filled into 基本信息 (None → left blank for the branch)."""

    name: str | None = None
    township: str | None = None
    subtype_label: str | None = None
    form: str | None = None
    year: int | None = None
    period: str | None = None
    code: str | None = None


def _options(values: Sequence[str]) -> str:
    return "、".join(values)


def write_basic(ws: Worksheet, rubric: Rubric, info: BasicInfo, lists: ListSource) -> None:
    labels = list(rubric.subtypes.values())
    year_check = Check("whole", "between", "2000", "2100", "填写四位数的年份，如 2026", "考评年度应为四位数的年份，如 2026。")
    rows = [
        ("组织名称", info.name, "党组织全称，如“××村党支部”", None),
        ("所属乡镇（街道）", info.township, "如“城关镇”“东城街道”", None),
        ("组织类别", info.subtype_label, f"从下拉列表选择：{_options(labels)}",
         list_check(lists, labels, "从下拉列表选择组织类别")),
        ("组织形式", info.form, f"从下拉列表选择：{_options(FORMS)}",
         list_check(lists, list(FORMS), "从下拉列表选择组织形式")),
        ("考评年度", info.year, "四位数的年份，如 2026", year_check),
        ("考评周期", info.period, f"从下拉列表选择：{_options(PERIODS)}",
         list_check(lists, list(PERIODS), "从下拉列表选择考评周期")),
        ("填报人", None, "填报人姓名（可附联系电话）", None),
        ("评定标准", rubric.id, f"{rubric.name}。已预先填好，请勿修改", None),
        ("标准版本", rubric.version, "已预先填好，请勿修改", None),
        # After the locked rows, so that workbooks made before it keep their cells (B9, B10).
        ("组织代码", info.code, "选填：花名册中的组织代码，组织更名后凭它与上年结果对应；已预填的请勿修改", None),
    ]
    validations = Validations(ws)
    for col, header in enumerate((*BASIC_HEADERS, NOTE_HEADER), 1):
        put(ws, f"{chr(64 + col)}1", header)
    for r, (label, value, note, check) in enumerate(rows, 2):
        put(ws, f"A{r}", label)
        put(ws, f"B{r}", value)
        put(ws, f"C{r}", note)
        validations.add(check, f"B{r}")
    last = len(rows) + 1
    widths = (20, 36, cells.fit_width([r[2] for r in rows], 30, 60))
    _style_table(ws, 3, last, widths)
    for r, row in enumerate(rows, 2):
        ws[f"A{r}"].font = cells.BOLD_FONT
        ws[f"B{r}"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        ws[f"A{r}"].alignment = ws[f"C{r}"].alignment = Alignment(vertical="center", wrap_text=True)
        if row[0] not in LOCKED:
            # The sheet is protected so the pre-filled rubric id and version are not
            # changed by accident; only these value cells stay editable.
            ws[f"B{r}"].protection = Protection(locked=False)
            ws[f"B{r}"].fill = cells.SELF_FILL
        else:
            ws[f"B{r}"].fill = cells.LOCKED_FILL
    validations.apply()
    _protect(ws)
    cells.setup_print(ws, landscape=False, title_rows=None, header=f"{rubric.name} 基本信息", organization=info.name)


def _protect(ws: Worksheet) -> None:
    """Protection without a password: it guards against slips, never locks anyone out."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # users may still widen columns and rows
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _style_table(ws: Worksheet, columns: int, last: int, widths: Sequence[float]) -> None:
    cells.style_header(ws, 1, columns)
    cells.style_body(ws, 2, last, columns)
    cells.set_widths(ws, widths)
    cells.fit_row_heights(ws, 2, widths)
    ws.print_area = f"A1:{chr(64 + columns)}{last}"


def write_help(
    ws: Worksheet, rubric: Rubric, rows: Sequence[FieldRow], subtype: str | None, organization: str | None = None
) -> None:
    """The instructions block: how to fill, accepted values, who fills what."""
    kinds = "、".join(rubric.subtypes.values())
    if subtype is None:
        scoped = "指标中注明“（仅……）”的行只适用于部分组织类别，其他类别的组织可以留空，填写了也不计分。"
    else:
        scoped = (
            f"本模板按组织类别“{rubric.subtypes[subtype]}”生成：自评值、核定值为“{NOT_APPLICABLE}”"
            "的灰色行不适用于本组织，无需填写，也不计分。"
        )
    lines = [
        f"{rubric.name}（版本 {rubric.version}）证明材料填写说明",
        "",
        f"1. 先填写“{SHEET_BASIC}”表：组织名称、所属乡镇（街道）、组织类别（{kinds}）、组织形式（党委/党总支/党支部）、"
        "考评年度、考评周期（上半年/全年）、填报人。“评定标准”和“标准版本”已预先填好，请勿修改。",
        f"2. 在“{SHEET_DATA}”表中逐行填写“自评值”（{SELF} 列，浅黄色）。每行的“填写说明”列写明了应填的内容和范围：",
        "   · 是/否题：从下拉列表中选择“是”或“否”，“是”表示符合该项要求；只有表末“否决及综合事项”中的是/否题，"
        "“是”表示存在所列情形；",
        "   · 数字题：直接填写数字，如 12、96.5；百分比直接填数值（如 95），不要输入 % 号；",
        "   · 选择题：从下拉列表中选择一项；",
        "   · 酌情给分（扣分）题：填写考评组给出的分数，在填写说明注明的范围内。",
        f"3. “核定值”（{VERIFIED} 列，浅蓝色）由乡镇（街道）党（工）委或县级考评组核查后填写，本组织自评时不填。"
        "填写了核定值的行按核定值计分，未填写的按自评值计分。",
        "4. “佐证材料”列填写证明材料的名称、页码或存放位置（如“2026年党员大会记录第3页”），便于核查。",
        f"5. 请勿修改“编号”列（{NUMBER} 列，灰色小字，供软件识别），也不要删除行。"
        "可以调整行的顺序、隐藏行、增加备注列，不影响计分。",
        f"6. {scoped}",
        f"7. 需要书面报送的，打印“{SHEET_DATA}”表，由填报人、党组织书记在表末签字并注明日期；"
        "乡镇（街道）审核人核查后在表末签字。",
        "8. 填写完成后保存为 .xlsx 文件（不要改成其他格式），文件名用本组织全称，如“东关村党支部.xlsx”，"
        "在乡镇（街道）党（工）委通知的截止时间前交回；填写有误的，会退回并指出所在的表、单元格和应填写的内容。",
        "",
        f"本模板共 {len(rows)} 行考评数据，满分 {_points(rubric.total)} 分。评定等级：",
    ]
    lines += [f"   · {tier.name}：{_points(tier.min)} 分及以上" for tier in rubric.tiers]
    for r, line in enumerate(lines, 1):
        put(ws, f"A{r}", line or None)
        ws[f"A{r}"].font = cells.BODY_FONT
        ws[f"A{r}"].alignment = cells.WRAP
    ws["A1"].font = cells.TITLE_FONT
    # 72 characters print whole on A4 portrait: LibreOffice does not apply fit-to-width to
    # this one-column sheet, and a 90-wide column ran off both sides of the page.
    width = 72
    cells.set_widths(ws, (width,))
    cells.fit_row_heights(ws, 2, (width,))
    ws.row_dimensions[1].height = 24
    ws.print_area = f"A1:A{len(lines)}"
    cells.setup_print(ws, landscape=False, title_rows=None, header=f"{rubric.name} 填写说明", organization=organization)


def _points(value: Decimal) -> str:
    return format(value.normalize(), "f")
