"""The blank evidence workbook (证明材料填报模板) for a rubric.

``write_template(rubric, path, options)`` writes the workbook of the DESIGN.md contract:
基本信息 (organization, rubric id and version), 考评数据 (one row per field, with
dropdowns and number ranges) and 填写说明 (instructions).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from chuangyou.errors import UsageError
from chuangyou.rubric.model import FORMS, Rubric
from chuangyou.template import data_sheet, sheets
from chuangyou.template.layout import (
    BASIC_HEADERS,
    BASIC_LABELS,
    DATA_HEADERS,
    PERIODS,
    SHEET_BASIC,
    SHEET_DATA,
    SHEET_HELP,
    FieldRow,
    field_code,
    field_rows,
    field_scopes,
)
from chuangyou.template.validation import ListSource
from chuangyou.textsafe import xml_text
from chuangyou.values import normalize_text

__all__ = [
    "BASIC_HEADERS", "BASIC_LABELS", "DATA_HEADERS", "PERIODS", "SHEET_BASIC", "SHEET_DATA", "SHEET_HELP",
    "FieldRow", "TemplateOptions", "TemplateResult", "build_workbook", "field_code", "field_rows",
    "field_scopes", "resolve_subtype", "write_template",
]


@dataclass(frozen=True)
class TemplateOptions:
    """What the user pre-fills from the command line; everything optional."""

    name: str | None = None
    township: str | None = None
    subtype: str | None = None  # a subtype id or its Chinese label
    form: str | None = None
    year: int | None = None
    period: str | None = None
    code: str | None = None  # 组织代码 from the roster


@dataclass(frozen=True)
class TemplateResult:
    path: Path
    rows: int
    not_applicable: int
    subtype: str | None  # resolved subtype id


def resolve_subtype(rubric: Rubric, text: str) -> str:
    """A subtype id from an id or a label (村, 城市社区 …)."""
    wanted = normalize_text(text)
    for subtype_id, label in rubric.subtypes.items():
        if wanted in (subtype_id, normalize_text(label)):
            return subtype_id
    known = "、".join(f"{label}（{sid}）" for sid, label in rubric.subtypes.items())
    raise UsageError(f"评定标准“{rubric.name}”中没有组织类别“{text}”。可选：{known}")


def _choice(text: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    if text is None:
        return None
    value = normalize_text(text)
    if value not in allowed:
        raise UsageError(f"{what}“{text}”无效，应为：{'、'.join(allowed)}")
    return value


def _blank_to_none(text: str | None) -> str | None:
    return None if text is None or not normalize_text(text) else text.strip()


def build_workbook(rubric: Rubric, options: TemplateOptions | None = None) -> tuple[Workbook, list[FieldRow]]:
    """The template as an openpyxl Workbook (not saved) and its 考评数据 rows."""
    options = options or TemplateOptions()
    subtype = resolve_subtype(rubric, options.subtype) if options.subtype else None
    if options.year is not None and not 2000 <= options.year <= 2100:
        raise UsageError(f"考评年度“{options.year}”无效，应为四位数的年份，如 2026")
    info = sheets.BasicInfo(
        name=_blank_to_none(options.name),
        township=_blank_to_none(options.township),
        subtype_label=rubric.subtypes[subtype] if subtype else None,
        form=_choice(options.form, FORMS, "组织形式"),
        year=options.year,
        period=_choice(options.period, PERIODS, "考评周期"),
        code=_blank_to_none(options.code),
    )
    rows = field_rows(rubric, subtype)
    workbook = Workbook()
    workbook.properties.title = xml_text(f"{rubric.name} 证明材料填报模板")
    workbook.properties.creator = "chuangyou"
    lists = ListSource(workbook)
    basic = workbook.active
    basic.title = SHEET_BASIC
    data = workbook.create_sheet(SHEET_DATA)
    help_sheet = workbook.create_sheet(SHEET_HELP)
    sheets.write_basic(basic, rubric, info, lists)
    data_sheet.write_data(data, rows, lists, header=f"{rubric.name}（{rubric.version}）考评数据",
                          organization=info.name)
    sheets.write_help(help_sheet, rubric, rows, subtype, organization=info.name)
    workbook.active = 0
    return workbook, rows


def write_template(
    rubric: Rubric, path: Path, options: TemplateOptions | None = None, *, force: bool = False
) -> TemplateResult:
    """Write the template atomically; never replace an existing file unless ``force``
    (a template is filled in by people: no earlier one counts as ours to replace)."""
    from chuangyou.safeio import check_output, write_atomic

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件 {path} 应以 .xlsx 结尾（Excel 工作簿），如 -o 模板.xlsx")
    check_output(path, kind=None, force=force)  # before the workbook is built
    workbook, rows = build_workbook(rubric, options)
    inputs = [Path(rubric.path)] if rubric.path and Path(rubric.path).is_file() else []
    write_atomic(path, workbook.save, inputs=inputs, kind=None, force=force)
    subtype = resolve_subtype(rubric, options.subtype) if options and options.subtype else None
    return TemplateResult(path, len(rows), sum(1 for r in rows if not r.applicable), subtype)
