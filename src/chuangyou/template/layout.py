"""What the evidence template contains, as plain data (no openpyxl).

The sheet names, headers and 编号 scheme are the contract with the evidence reader
(DESIGN.md "Evidence workbook"); keep them in this one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chuangyou.rubric.model import FieldSpec, Item, Rubric
from chuangyou.values import expected

SHEET_BASIC = "基本信息"
SHEET_DATA = "考评数据"
SHEET_HELP = "填写说明"

BASIC_HEADERS = ("项目", "内容")
BASIC_LABELS = (
    "组织名称", "所属乡镇（街道）", "组织类别", "组织形式", "考评年度", "考评周期", "填报人", "评定标准", "标准版本", "组织代码",
)
# What a person reads comes first; 编号 (the reader's key) is last. Workbooks made before
# this order (编号 first) still read: the reader finds every column by its header text.
DATA_HEADERS = ("类别", "项目", "分值", "指标", "填写说明", "自评值", "核定值", "佐证材料", "编号")

GENERAL_PREFIX = "general"  # 编号 prefix of rubric-level fields
GENERAL_CATEGORY = "综合情况"
GENERAL_ITEM = "否决及综合事项"
# Above the rubric-level rows in 考评数据: there a 是 says a situation exists (every other
# 是/否 row asks for the compliant state, 是 = 符合).
GENERAL_HEADING = (
    "否决及综合事项：以下“是/否”题问的是是否存在所列情形——存在的填“是”（可能一票否决或限定等级），"
    "不存在的填“否”；数字题按实际情况填写。"
)
PERIODS = ("上半年", "全年")


@dataclass(frozen=True)
class FieldRow:
    """One row of 考评数据."""

    code: str
    category: str
    item: str
    points: Decimal | None
    indicator: str
    guidance: str
    field_id: str
    spec: FieldSpec
    scope: tuple[str, ...] | None  # subtype ids the field applies to; None = all
    applicable: bool  # False only when the template is made for a subtype outside scope


def field_code(field_id: str, item: Item | None) -> str:
    return f"{item.id if item is not None else GENERAL_PREFIX}.{field_id}"


def field_scopes(rubric: Rubric) -> dict[str, tuple[str, ...] | None]:
    """Each field's effective subtypes in rubric order; None when it applies to every subtype."""
    every = len(rubric.subtypes)
    return {
        field_id: None if len(scope) == every else tuple(s for s in rubric.subtypes if s in scope)
        for field_id, (_, scope) in rubric.field_subtypes().items()
    }


def scope_marker(rubric: Rubric, scope: tuple[str, ...] | None) -> str:
    if scope is None:
        return ""
    if not scope:
        return "（各类组织均不适用）"
    return "（仅" + "、".join(rubric.subtypes[s] for s in scope) + "）"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def guidance(spec: FieldSpec) -> str:
    """填写说明: the author's hint, then what the cell accepts."""
    parts = []
    if spec.hint:
        parts.append(spec.hint.strip().rstrip("。；;，,"))
    parts.append(expected(spec))
    text = "；".join(parts) + "。"
    if spec.optional:
        text += "（选填" + (f"，不填按“{_shown(spec.default)}”计" if spec.default is not None else "") + "）"
    return text


def indicator(spec: FieldSpec, marker: str) -> str:
    unit = f"（{spec.unit}）" if spec.unit else ""
    return f"{spec.label}{unit}{marker}"


def field_rows(rubric: Rubric, subtype: str | None = None) -> list[FieldRow]:
    """The rows of 考评数据 in rubric.all_fields() order.

    With a subtype, rows outside its scope are marked not applicable; without one, every
    row is fillable and scoped rows carry a “（仅…）” marker in 指标 instead.
    """
    scopes = field_scopes(rubric)
    categories = {item.id: category for category, item in rubric.items()}
    rows = []
    for field_id, spec, item in rubric.all_fields():
        scope = scopes[field_id]
        marker = scope_marker(rubric, scope) if subtype is None else ""
        rows.append(
            FieldRow(
                code=field_code(field_id, item),
                category=categories[item.id].name if item is not None else GENERAL_CATEGORY,
                item=item.name if item is not None else GENERAL_ITEM,
                points=item.points if item is not None else None,
                indicator=indicator(spec, marker),
                guidance=guidance(spec),
                field_id=field_id,
                spec=spec,
                scope=scope,
                applicable=subtype is None or scope is None or subtype in scope,
            )
        )
    return rows
