"""Build contract-shaped evidence workbooks with openpyxl (independent of chuangyou.template).

``write_workbook(path, rubric, ...)`` lays out 基本信息 and 考评数据 exactly as DESIGN.md
says; keyword arguments change 基本信息 rows or cell values, and ``edit`` gets the openpyxl
Workbook before saving for anything else (moving rows, deleting sheets, formulas …).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from chuangyou.rubric import Rubric, load_rubric_text

INFO_SHEET, DATA_SHEET = "基本信息", "考评数据"
INFO_LABELS = ("组织名称", "所属乡镇（街道）", "组织类别", "组织形式", "考评年度", "考评周期", "填报人",
               "评定标准", "标准版本")
DATA_HEADERS = ("编号", "类别", "项目", "分值", "指标", "填写说明", "自评值", "核定值", "佐证材料")
DROP = object()  # as an info value: leave the row out

MINI_RUBRIC = """
id: mini
name: 测试评定标准
version: "2026.1"
aliases: [测试标准]
total: 10
subtypes: {village: 村, community: 社区}
tiers:
  - {name: 优秀党支部, min: 9}
  - {name: 良好党支部, min: 8}
  - {name: 一般党支部, min: 6}
  - {name: 软弱涣散党支部, min: 0}
fields:
  vacant_months: {label: 书记出缺月数, type: int, min: 0, unit: 个月}
vetoes:
  - when: vacant_months > 3
    cap: 软弱涣散党支部
    reason: 书记出缺超过3个月
categories:
  - id: org
    name: 组织建设
    points: 6
    items:
      - id: setup
        name: 设置合理
        points: 3
        fields:
          setup_ok: {label: 组织设置规范, type: bool}
          members: {label: 正式党员人数, type: int, min: 0, unit: 名}
          remarks: {label: 情况说明, type: text, optional: true}
        rules:
          - zero_if: not setup_ok
            reason: 组织设置不规范
          - deduct: 1
            when: members < 3
            reason: 党员人数不足
      - id: study
        name: 学习教育
        points: 3
        fields:
          hours: {label: 人均学习时长, type: number, min: 0, max: 100, unit: 学时}
          level: {label: 记录规范程度, type: choice, options: [规范, 基本规范, 不规范]}
          extra: {label: 额外活动次数, type: int, min: 0, optional: true, default: 0}
        rules:
          - deduct: 1
            when: hours < 24
            reason: 学时不足
          - deduct: 1
            when: level == "不规范"
            reason: 记录不规范
          - award: 1
            when: extra > 2
            reason: 额外活动多
  - id: work
    name: 工作成效
    points: 4
    items:
      - id: village_work
        name: 乡村振兴
        points: 4
        applies_to: [village]
        fields:
          village_score: {label: 乡村振兴酌情得分, type: score, max: 4}
        rules:
          - score: village_score
            reason: 酌情给分
      - id: community_work
        name: 社区治理
        points: 4
        applies_to: [community]
        fields:
          grid_ok: {label: 网格化管理到位, type: bool}
          satisfaction: {label: 居民满意率, type: number, min: 0, max: 100, unit: "%"}
        rules:
          - deduct: 2
            when: not grid_ok
            reason: 网格化管理不到位
          - deduct: 1
            when: satisfaction < 90
            reason: 满意率低
"""


@lru_cache(maxsize=1)
def mini_rubric() -> Rubric:
    return load_rubric_text(MINI_RUBRIC, "mini.yaml")


def applicable(rubric: Rubric, subtype: str) -> list[str]:
    """Field ids that apply to ``subtype``, in template order."""
    ids = []
    for category, item in rubric.items():
        for fid, spec in item.fields.items():
            scopes = (category.applies_to, item.applies_to, spec.applies_to)
            if all(s is None or subtype in s for s in scopes):
                ids.append(fid)
    ids += [fid for fid, spec in rubric.fields.items() if spec.applies_to is None or subtype in spec.applies_to]
    return ids


def full_values(rubric: Rubric, subtype: str) -> dict[str, Any]:
    """A valid value for every applicable field (the best one a rule would want)."""
    values: dict[str, Any] = {}
    for fid, spec, _ in rubric.all_fields():
        if fid not in applicable(rubric, subtype):
            continue
        if spec.type == "bool":
            values[fid] = "否" if _negative(fid) else "是"
        elif spec.type == "choice":
            values[fid] = (spec.options or [""])[0]
        elif spec.type == "score":
            values[fid] = int(spec.max) if spec.max == spec.max.to_integral_value() else float(spec.max)
        elif spec.type == "text":
            values[fid] = "无"
        else:
            values[fid] = _good_number(fid, spec.min, spec.max)
    return values


def _negative(fid: str) -> bool:
    # Organization-level "problem" flags (vetoes) are answered 否 in a clean workbook.
    words = ("issue", "incompetent", "disunity", "hollow", "bribery", "interference", "not_public",
             "petition", "no_", "poor", "violation", "vacant", "problem", "missing", "lack", "fail")
    return any(w in fid for w in words)


def _good_number(fid: str, low: Decimal | None, high: Decimal | None) -> int:
    if "vacant" in fid or "missing" in fid:
        return int(low or 0)
    if high is not None:
        return int(high)
    return max(int(low or 0), 30)


def data_row(rubric: Rubric, fid: str) -> int:
    """1-based row of a field in 考评数据 as written by write_workbook (header is row 1)."""
    return 2 + [f for f, _, _ in rubric.all_fields()].index(fid)


def info_row(label: str) -> int:
    return 2 + INFO_LABELS.index(label)


def write_workbook(
    path: Path,
    rubric: Rubric,
    *,
    subtype: str = "village",
    info: dict[str, Any] | None = None,
    self_values: dict[str, Any] | None = None,
    verified: dict[str, Any] | None = None,
    edit: Callable[[Workbook], None] | None = None,
) -> Path:
    """Write a filled workbook: ``self_values`` (default: full_values) in 自评值, ``verified`` in 核定值."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = INFO_SHEET
    defaults: dict[str, Any] = {
        "组织名称": "城关村党支部", "所属乡镇（街道）": "城关镇", "组织类别": rubric.subtypes[subtype],
        "组织形式": "党支部", "考评年度": 2026, "考评周期": "全年", "填报人": "张三",
        "评定标准": rubric.id, "标准版本": rubric.version,
    }
    defaults.update(info or {})
    sheet.append(["项目", "内容"])
    for label in INFO_LABELS:
        if defaults[label] is not DROP:
            sheet.append([label, defaults[label]])
    data = workbook.create_sheet(DATA_SHEET)
    data.append(list(DATA_HEADERS))
    own = full_values(rubric, subtype) if self_values is None else self_values
    checked = verified or {}
    scope = set(applicable(rubric, subtype))
    categories = {item.id: category for category, item in rubric.items()}
    for fid, spec, item in rubric.all_fields():
        number = f"{item.id}.{fid}" if item else f"general.{fid}"
        category = categories[item.id].name if item else "否决情形"
        row = [number, category, item.name if item else "", float(item.points) if item else None,
               spec.label, spec.hint or ""]
        if fid in scope:
            row += [own.get(fid), checked.get(fid), "见附件"]
        else:
            row += ["不适用", "不适用", None]
        data.append(row)
    if edit is not None:
        edit(workbook)
    workbook.save(path)
    return path


def patch_xml(path: Path, member: str, old: str, new: str) -> Path:
    """Replace text inside one zip member (for cells openpyxl cannot write, e.g. error values)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[member].decode("utf-8")
    if old not in text and " />" in old:  # openpyxl writes "<x />" with ElementTree, "<x/>" with lxml
        old = old.replace(" />", "/>")
    assert old in text, f"{old!r} not in {member}"
    parts[member] = text.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


def patch_cell(path: Path, member: str, ref: str, element: str) -> Path:
    """Replace the ``<c r="G5">…</c>`` element of one cell with raw XML."""
    with zipfile.ZipFile(path) as archive:
        text = archive.read(member).decode("utf-8")
    found = re.search(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', text)
    assert found, f"cell {ref} not in {member}"
    return patch_xml(path, member, found.group(0), element)
