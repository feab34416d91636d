"""JSON Schema of the rubric format, with Chinese titles and descriptions for editors."""

from __future__ import annotations

from typing import Any

from chuangyou.rubric.model import Rubric

_APPLIES = "只对这些组织类别（subtypes 中的编号）适用；不写表示全部适用"
_SOURCE = "seed 为原文（默认），authored 为原文省略处补充的内容"

#: model name ("" for the top level) → property → description
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "": {
        "id": "评定标准编号（小写英文、数字、下划线），命令行中使用，如 village",
        "name": "评定标准名称", "version": "版本号，记录在每份结果和模板中，如 \"2026.1\"",
        "aliases": "别名，工作簿“评定标准”一栏和命令行也可使用", "description": "说明",
        "source": "来源（如 附件1）", "total": "总分，各组织类别适用的类别分值之和必须等于它",
        "self_gap_warning": "自评总分比核定总分高出多少分时标记“自评偏高”，默认 5",
        "subtypes": "组织类别：编号 → 中文名称，如 village: 村", "tiers": "等级，从高到低，min 为分数线（含）",
        "quota": "名额比例：等级 → {max_share 最多比例 | min_share 最少比例（倒排）}",
        "fields": "组织层面的字段（不属于某个项目，供否决条件使用），模板编号为 general.字段编号",
        "vetoes": "否决条件：满足 when 时限定最高等级（cap）或另行处理（flag）",
        "composition": "综合得分权重：自评 self、评议 review、核定 verified，三者之和为 1",
        "categories": "类别（类型）及其项目", "examples": "样例：用于 chuangyou rubric test 的小案例及期望结果",
    },
    "Category": {"id": "类别编号", "name": "类别名称", "points": "类别分值", "source": _SOURCE,
                 "note": "说明（如原文不一致之处的处理）", "applies_to": _APPLIES, "items": "项目"},
    "Item": {"id": "项目编号，全标准唯一", "name": "项目名称", "points": "分值", "standard": "考核评价标准（原文）",
             "method": "考评方式（原文）", "source": _SOURCE + "；也可写 {method: authored} 表示仅考评方式为补充",
             "note": "说明", "applies_to": _APPLIES, "fields": "本项目需要填写的证明材料字段：字段编号 → 字段",
             "rules": "计分规则，每条规则只能有 deduct、award、zero_if、score 之一"},
    "FieldSpec": {"label": "指标名称（模板中显示）", "type": "类型：bool 是/否、int 整数、number 数字、choice 选择、score 酌情分、text 文字",
                  "options": "choice 的选项", "unit": "单位，如 学时、名、%", "min": "最小值", "max": "最大值（score 必填）",
                  "hint": "填写说明", "applies_to": _APPLIES, "optional": "是否可不填", "default": "不填时的默认值"},
    "Rule": {"deduct": "扣分：数字或表达式，如 1、2 * missing_rooms", "award": "加分（可给N分），不超过项目分值",
             "zero_if": "条件成立时本项目不得分", "score": "本项目的基础得分（酌情给分），代替满分",
             "when": "条件：成立时规则才生效", "reason": "扣分原因（显示给用户）", "applies_to": _APPLIES, "note": "说明"},
    "Veto": {"id": "编号", "when": "条件", "cap": "最高可评等级", "flag": "另行处理标记，如 另行处理",
             "reason": "原因（显示给用户）", "source": _SOURCE, "note": "说明"},
    "Tier": {"name": "等级名称", "min": "分数线（含）"},
    "QuotaRule": {"max_share": "最多比例，如 0.3 表示不超过30%", "min_share": "最少比例（倒排），只能用于最低等级"},
    "Composition": {"self": "自评总分权重", "review": "评议得分权重", "verified": "核定总分权重",
                    "review_field": "评议得分字段（0～100）"},
    "Source": {"standard": _SOURCE, "method": _SOURCE},
    "Example": {"name": "样例名称", "extends": "继承前面某个样例的填写值", "subtype": "组织类别编号",
                "form": "组织形式", "values": "字段编号 → 填写值", "self_values": "与核定值不同的自评值",
                "expect": "期望结果"},
    "ExampleExpect": {"total": "期望总分", "tier": "期望等级", "self_total": "期望自评总分",
                      "items": "项目编号 → 期望得分", "vetoes": "期望触发的否决条件原因", "flags": "期望的标记原因"},
}


def rubric_schema() -> dict[str, Any]:
    from chuangyou.safeio import RUBRIC_SCHEMA

    # The marker first: `rubric schema -o` may replace a file only if it is ours (safeio).
    schema = {"$comment": RUBRIC_SCHEMA.marker, **Rubric.model_json_schema(by_alias=True)}
    schema["title"] = "chuangyou 评定标准"
    targets = {"": schema, **schema.get("$defs", {})}
    for model, described in DESCRIPTIONS.items():
        properties = targets[model].get("properties", {})
        for name, text in described.items():
            if name in properties:
                properties[name]["description"] = text
                properties[name]["title"] = text.split("，")[0].split("：")[0]
    return schema
