"""Broken rubrics: each is one textual edit of a small valid rubric; the exact problems are asserted.

The loader must report every problem with its line and a Chinese message saying what is wrong
and what is expected (issue 2). ``chuangyou rubric check`` prints the same lines and exits 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chuangyou.cli import output
from chuangyou.cli.app import app
from chuangyou.errors import RubricError
from chuangyou.rubric import load_rubric_text
from chuangyou.rubric.examples import run_examples
from hostile.cli import run

NAME = "mini.yaml"
BASE = """\
id: mini
name: 测试评定标准
version: "1.0"
total: 10
subtypes: {alpha: 甲类, beta: 乙类}
tiers:
  - {name: 优秀党支部, min: 9}
  - {name: 良好党支部, min: 8}
  - {name: 一般党支部, min: 6}
  - {name: 软弱涣散党支部, min: 0}
quota:
  优秀党支部: {max_share: 0.3}
fields:
  vacant_months: {label: 书记出缺月数, type: int, min: 0, unit: 个月}
  money_issue: {label: 存在重大财务纰漏, type: bool}
  satisfaction: {label: 群众满意率, type: number, min: 0, max: 100, unit: "%"}
vetoes:
  - when: vacant_months > 3
    cap: 软弱涣散党支部
    reason: 书记出缺超过3个月
  - when: money_issue
    flag: 另行处理
    reason: 存在重大财务纰漏
categories:
  - id: org
    name: 组织设置
    points: 6
    items:
      - id: setup
        name: 设置合理
        points: 4
        standard: 组织设置合理。
        method: 未摸底扣1分。
        fields:
          surveyed: {label: 开展摸底排查, type: bool}
          members: {label: 正式党员人数, type: int, min: 0, unit: 名}
          level: {label: 记录规范程度, type: choice, options: [规范, 不规范]}
          remark: {label: 情况说明, type: text, optional: true}
        rules:
          - deduct: 1
            when: not surveyed
            reason: 未摸底排查
          - zero_if: members < 3 and form == "党支部"
            reason: 正式党员不足3名
          - deduct: 1
            when: level == "不规范"
            reason: 记录不规范
      - id: extra
        name: 特色工作
        points: 2
        fields:
          extra_score: {label: 特色工作酌情得分, type: score, max: 2}
        rules:
          - score: extra_score
            reason: 酌情给分
  - id: life_alpha
    name: 甲类组织生活
    points: 4
    applies_to: [alpha]
    items:
      - id: meet_alpha
        name: 甲类会议
        points: 4
        fields:
          missed: {label: 缺少会议次数, type: int, min: 0, unit: 次}
        rules:
          - deduct: 2 * missed
            reason: 每缺1次扣2分
  - id: life_beta
    name: 乙类组织生活
    points: 4
    applies_to: [beta]
    items:
      - id: meet_beta
        name: 乙类会议
        points: 4
        fields:
          held: {label: 按期召开会议, type: bool}
        rules:
          - zero_if: not held
            reason: 未按期召开会议
examples:
  - name: 甲类满分
    subtype: alpha
    values: {vacant_months: 0, money_issue: 否, satisfaction: 98, surveyed: 是, members: 12, level: 规范, extra_score: 2, missed: 0}
    expect: {total: 10, tier: 优秀党支部}
  - name: 甲类缺会
    extends: 甲类满分
    values: {missed: 1}
    expect: {total: 8, tier: 良好党支部, items: {meet_alpha: 2}}
  - name: 乙类满分
    subtype: beta
    values: {vacant_months: 0, money_issue: 否, satisfaction: 98, surveyed: 是, members: 12, level: 规范, extra_score: 2, held: 是}
    expect: {total: 10, tier: 优秀党支部}
  - name: 书记出缺
    extends: 乙类满分
    values: {vacant_months: 4}
    expect: {total: 10, tier: 软弱涣散党支部, vetoes: [书记出缺超过3个月]}
  - name: 财务纰漏
    extends: 乙类满分
    values: {money_issue: 是}
    expect: {total: 10, tier: 待定（另行处理）, flags: [存在重大财务纰漏]}
"""

TIERS = "优秀党支部、良好党支部、一般党支部、软弱涣散党支部"
ONE_KIND = "每条规则必须且只能有 deduct、award、zero_if、score 之一"


def edited(*edits: tuple[str, str]) -> str:
    """BASE with each (old, new) applied; ``old`` must occur exactly once so the edit is unambiguous."""
    text = BASE
    for old, new in edits:
        assert text.count(old) == 1, f"edit target occurs {text.count(old)} times: {old!r}"
        text = text.replace(old, new)
    return text


def problems_of(text: str) -> list[tuple[int, str]]:
    with pytest.raises(RubricError) as info:
        load_rubric_text(text, NAME)
    found = info.value.problems
    assert info.value.message in (f"评定标准有 {len(found)} 处问题", "评定标准文件无法读取")
    result = []
    for problem in found:
        name, _, line = problem.where.rpartition(":")
        assert name == NAME
        result.append((int(line), problem.message))
    return result


def test_base_is_valid_and_its_examples_pass() -> None:
    rubric = load_rubric_text(BASE, NAME)
    assert [(r.name, r.ok) for r in run_examples(rubric)] == [
        ("甲类满分", True), ("甲类缺会", True), ("乙类满分", True), ("书记出缺", True), ("财务纰漏", True),
    ]


# (id, old, new, expected [(line, message)])
CASES: list[object] = [
    ("unknown_top_level_key", "total: 10\n", "total: 10\ntotl: 10\n", [
        (5, "未知的键“totl”（可用的键：id、name、version、aliases、description、source、total、self_gap_warning、"
            "subtypes、tiers、quota、fields、vetoes、composition、categories、examples）")]),
    ("unknown_item_key", "        standard: 组织设置合理。\n", "        standard: 组织设置合理。\n        standrad: x\n", [
        (33, "未知的键“standrad”（可用的键：id、name、points、standard、method、source、note、applies_to、fields、rules）")]),
    ("unknown_rule_key", "            reason: 未摸底排查\n", "            reason: 未摸底排查\n            reasons: x\n", [
        (43, "未知的键“reasons”（可用的键：deduct、award、zero_if、score、when、reason、applies_to、note）")]),
    pytest.param(
        "unknown_field_key", "{label: 开展摸底排查, type: bool}", "{label: 开展摸底排查, type: bool, lable: x}", [
            (35, "未知的键“lable”（可用的键：label、type、options、unit、min、max、hint、applies_to、optional、default）")],
        id="unknown_field_key"),
    ("item_points_do_not_add_up", "        name: 特色工作\n        points: 2\n", "        name: 特色工作\n        points: 3\n", [
        (27, "类别“组织设置”分值为 6，但项目合计 7（设置合理 4 + 特色工作 3）")]),
    ("categories_short_for_one_subtype",
     "    name: 乙类组织生活\n    points: 4\n    applies_to: [beta]\n    items:\n      - id: meet_beta\n"
     "        name: 乙类会议\n        points: 4\n",
     "    name: 乙类组织生活\n    points: 3\n    applies_to: [beta]\n    items:\n      - id: meet_beta\n"
     "        name: 乙类会议\n        points: 3\n", [
        (4, "对“乙类”适用的各类别合计 9 分，与总分 10 不一致")]),
    ("alternative_item_short_for_one_subtype", "        name: 乙类会议\n        points: 4\n",
     "        name: 乙类会议\n        points: 3\n", [
        (71, "类别“乙类组织生活”分值为 4，但对“乙类”适用的项目合计 3（乙类会议 3）")]),
    ("rule_names_unknown_field", "when: not surveyed", "when: not surveyd", [
        (41, "表达式“not surveyd”有误：未知的字段 surveyd")]),
    ("condition_does_not_parse", "when: not surveyed", "when: not surveyed and", [
        (41, "表达式“not surveyed and”有语法错误：无法解析")]),
    ("condition_attribute_access", "when: not surveyed", "when: surveyed.__class__", [
        (41, "表达式“surveyed.__class__”有误：不支持属性访问（“.”）")]),
    ("condition_calls_open", "when: not surveyed", "when: open('/etc/passwd')", [
        (41, "表达式“open('/etc/passwd')”有误：不支持调用 open（只能用 min、max、abs、count_true）")]),
    ("number_where_condition_expected", "when: not surveyed", "when: members + 1", [
        (41, "条件（when）“members + 1”应为真假值，实际是数值")]),
    ("condition_where_amount_expected", "deduct: 2 * missed", "deduct: missed > 0", [
        (67, "扣分（deduct）“missed > 0”应为数值，实际是真假值")]),
    ("choice_compared_to_unknown_option", 'level == "不规范"', 'level == "很规范"', [
        (46, "表达式“level == \"很规范\"”有误：level 没有选项“很规范”（可选：规范、不规范）")]),
    ("tiers_out_of_order", "  - {name: 良好党支部, min: 8}", "  - {name: 良好党支部, min: 9.5}", [
        (8, "等级应从高到低排列：“良好党支部”的分数线 9.5 不低于上一等级“优秀党支部”的 9")]),
    ("lowest_tier_not_zero", "  - {name: 软弱涣散党支部, min: 0}", "  - {name: 软弱涣散党支部, min: 1}", [
        (10, "最低等级“软弱涣散党支部”的分数线应为 0，否则低分组织无等级可定")]),
    ("duplicate_tier", "  - {name: 一般党支部, min: 6}", "  - {name: 良好党支部, min: 6}", [
        (9, "等级名称“良好党支部”重复（与第一次出现的位置重复）")]),
    ("veto_caps_unknown_tier", "    cap: 软弱涣散党支部\n", "    cap: 软弱党支部\n", [
        (19, f"否决条件限定的等级“软弱党支部”不存在（可用：{TIERS}）")]),
    ("veto_with_cap_and_flag", "    flag: 另行处理\n", "    flag: 另行处理\n    cap: 一般党支部\n", [
        (21, "vetoes.1：否决条件必须且只能有 cap（最高等级）或 flag（另行处理）之一")]),
    ("duplicate_category_id", "  - id: life_beta\n", "  - id: life_alpha\n", [
        (69, "类别编号“life_alpha”重复（与第一次出现的位置重复）")]),
    ("duplicate_item_id", "      - id: meet_beta\n", "      - id: meet_alpha\n", [
        (74, "项目编号“meet_alpha”重复（与第一次出现的位置重复）")]),
    ("duplicate_field_id", "          held: {label: 按期召开会议, type: bool}\n",
     "          held: {label: 按期召开会议, type: bool}\n          surveyed: {label: 又一次摸底, type: bool}\n", [
        (79, "字段编号“surveyed”重复（与第一次出现的位置重复）")]),
    ("applies_to_unknown_subtype", "            reason: 未按期召开会议\n",
     "            reason: 未按期召开会议\n            applies_to: [gamma]\n", [
        (82, "applies_to 中的组织类别“gamma”未在 subtypes 中定义（已定义：alpha、beta）")]),
    ("category_applies_to_unknown_subtype", "    applies_to: [beta]\n", "    applies_to: [gamma]\n", [
        (4, "对“乙类”适用的各类别合计 6 分，与总分 10 不一致"),
        (72, "applies_to 中的组织类别“gamma”未在 subtypes 中定义（已定义：alpha、beta）")]),
    ("choice_without_options", "{label: 记录规范程度, type: choice, options: [规范, 不规范]}",
     "{label: 记录规范程度, type: choice}", [
        (37, "categories.0.items.0.fields.level：选择题字段（type: choice）必须给出 options 选项列表")]),
    ("score_without_max", "{label: 特色工作酌情得分, type: score, max: 2}", "{label: 特色工作酌情得分, type: score}", [
        (52, "categories.0.items.1.fields.extra_score：酌情分字段（type: score）必须给出 max 最高分")]),
    ("score_max_above_item_points", "type: score, max: 2}", "type: score, max: 3}", [
        (52, "酌情分字段的最高分 3 超过所属项目分值 2")]),
    ("rule_with_two_kinds", "          - deduct: 1\n            when: not surveyed\n",
     "          - deduct: 1\n            award: 1\n            when: not surveyed\n", [
        (40, f"categories.0.items.0.rules.0：{ONE_KIND}（现有：deduct、award）")]),
    ("rule_with_no_kind", "          - deduct: 1\n            when: not surveyed\n", "          - when: not surveyed\n", [
        (40, f"categories.0.items.0.rules.0：{ONE_KIND}（现有：无）")]),
    ("zero_if_with_when", "          - zero_if: not held\n", "          - zero_if: not held\n            when: held\n", [
        (80, "categories.2.items.0.rules.0：zero_if 规则本身就是条件，不要再写 when")]),
    ("negative_deduction", "          - deduct: 1\n            when: not surveyed\n",
     "          - deduct: -1\n            when: not surveyed\n", [
        (40, "分值不能为负数")]),
    ("composition_weights_not_one", "vetoes:\n",
     "composition: {self: 0.15, review: 0.2, verified: 0.6, review_field: satisfaction}\nvetoes:\n", [
        (17, "composition：self、review、verified 三个权重之和应为 1（现为 0.95）")]),
    ("example_extends_unknown", "    extends: 甲类满分\n", "    extends: 甲类满份\n", [
        (88, "样例“甲类缺会”继承的样例“甲类满份”不存在或排在它后面")]),
    ("example_unknown_field", "    values: {money_issue: 是}", "    values: {money_issues: 是}", [
        (101, "样例中的字段“money_issues”不存在")]),
    ("quota_for_unknown_tier", "  优秀党支部: {max_share: 0.3}", "  优秀支部: {max_share: 0.3}", [
        (12, f"名额比例中的等级“优秀支部”不存在（可用：{TIERS}）")]),
    ("bad_category_id", "  - id: org\n", "  - id: Org-1\n", [
        (25, "categories.0.id 的值“Org-1”不合规：编号只能由小写英文字母、数字和下划线组成，并以字母开头")]),
    ("bad_field_id", "          missed: {", "          Missed: {", [
        (65, "字段编号“Missed”不合规：只能由小写英文字母、数字和下划线组成，并以字母开头"),
        (67, "表达式“2 * missed”有误：未知的字段 missed"),
        (85, "样例中的字段“missed”不存在"),
        (89, "样例中的字段“missed”不存在")]),
    ("points_not_a_number", "        name: 特色工作\n        points: 2\n", "        name: 特色工作\n        points: 两分\n", [
        (50, "categories.0.items.1.points 应为数字，实际是“两分”")]),
    ("missing_required_key", "name: 测试评定标准\n", "", [
        (1, "（顶层） 缺少必填的键“name”")]),
    ("text_field_in_rule", 'when: level == "不规范"', 'when: remark == "不规范"', [
        (46, "表达式“remark == \"不规范\"”有误：文字字段 remark 不能用于计分规则")]),
    ("field_not_filled_for_rule_subtypes", "when: not surveyed", "when: not surveyed or missed > 0", [
        (41, "条件（when）用到字段 missed（缺少会议次数），但该字段对“乙类”不填写；请给规则加 applies_to 或扩大字段的 applies_to")]),
    ("optional_field_without_default_in_rule", "surveyed: {label: 开展摸底排查, type: bool}",
     "surveyed: {label: 开展摸底排查, type: bool, optional: true}", [
        (41, "条件（when）用到可不填的字段 surveyed（开展摸底排查），该字段必须设置 default 默认值")]),
    # Numbers read as they look and bounded; defaults that fit their field (issue 12, items 3 and 10).
    ("default_not_a_number", 'missed: {label: 缺少会议次数, type: int, min: 0, unit: 次}', 'missed: {label: 缺少会议次数, type: int, min: 0, unit: 次, optional: true, default: abc}', [(65, '默认值（default）不符合该字段的要求：“缺少会议次数”的值“abc”不是数字，应填写不小于 0 的整数（单位：次）')]),
    ("default_above_max", 'missed: {label: 缺少会议次数, type: int, min: 0, unit: 次}', 'missed: {label: 缺少会议次数, type: int, min: 0, max: 6, unit: 次, optional: true, default: 99}', [(65, '默认值（default）不符合该字段的要求：“缺少会议次数”的值 99 超过上限 6，应填写 0～6 之间的整数（单位：次）')]),
    ("default_not_an_option", 'level: {label: 记录规范程度, type: choice, options: [规范, 不规范]}', 'level: {label: 记录规范程度, type: choice, options: [规范, 不规范], optional: true, default: 良好}', [(37, '默认值（default）不符合该字段的要求：“记录规范程度”的值“良好”不是可选项，应从下拉列表中选择：规范、不规范')]),
    ("deduct_huge", '- deduct: 2 * missed\n', '- deduct: 1e30\n', [(67, '数值“1e30”超出可用范围')]),
    ("deduct_huge_text", '- deduct: 2 * missed\n', '- deduct: 2 * missed * 1e30\n', [(67, '表达式“2 * missed * 1e30”有误：数值“1e30”超出可用范围')]),
    ("expect_total_huge", '    expect: {total: 8, tier: 良好党支部, items: {meet_alpha: 2}}', '    expect: {total: 1e999999999, tier: 良好党支部, items: {meet_alpha: 2}}', [(90, '数值“1e999999999”超出可用范围')]),
    ("expect_total_quoted_huge", '    expect: {total: 8, tier: 良好党支部, items: {meet_alpha: 2}}', '    expect: {total: "1e999999999", tier: 良好党支部, items: {meet_alpha: 2}}', [(90, 'examples.1.expect.total：数值“1e999999999”超出可用范围')]),
    ("total_octal", 'total: 10\n', 'total: 012\n', [(4, '数字“012”以 0 开头，含义不明确（YAML 会把它当作八进制数）；请去掉开头的 0')]),
    ("points_underscore", '        name: 特色工作\n        points: 2\n', '        name: 特色工作\n        points: 4_2\n', [(50, '数字“4_2”中不能有下划线“_”')]),
    ("points_superscript", '        name: 特色工作\n        points: 2\n', '        name: 特色工作\n        points: 4²\n', [(50, 'categories.0.items.1.points 应为数字，实际是“4²”')]),
    ("points_quoted_underscore", '        name: 特色工作\n        points: 2\n', '        name: 特色工作\n        points: "4_2"\n', [(50, 'categories.0.items.1.points：“4_2”不是普通的十进制数字，请写成如 12、0.5 的数')]),
    ("tier_min_huge", '  - {name: 优秀党支部, min: 9}', '  - {name: 优秀党支部, min: 1e999999999}', [(7, '数值“1e999999999”超出可用范围')]),
    pytest.param(
        "subtype_literal_unknown", 'form == "党支部"', 'subtype == "alfa"', [
            (43, "表达式“members < 3 and subtype == \"alfa\"”有误：subtype 没有选项“alfa”（可选：alpha、beta）")],
        id="subtype_literal_unknown"),
    pytest.param(
        "form_literal_unknown", 'form == "党支部"', 'form == "党小组"', [
            (43, "表达式“members < 3 and form == \"党小组\"”有误：form 没有选项“党小组”（可选：党委、党总支、党支部）")],
        id="form_literal_unknown"),
]


def _case_id(case: object) -> str:
    if hasattr(case, "marks"):  # pytest.param
        return str(case.id)  # type: ignore[attr-defined]
    return str(case[0])  # type: ignore[index]


@pytest.mark.parametrize(("case_id", "old", "new", "expected"), CASES, ids=[_case_id(c) for c in CASES])
def test_broken_rubric(case_id: str, old: str, new: str, expected: list[tuple[int, str]]) -> None:
    assert problems_of(edited((old, new))) == expected


def test_all_problems_reported_at_once_in_line_order() -> None:
    text = edited(
        ("    cap: 软弱涣散党支部\n", "    cap: 软弱党支部\n"),
        ("when: not surveyed", "when: not surveyd"),
        ("  - {name: 软弱涣散党支部, min: 0}", "  - {name: 软弱涣散党支部, min: 1}"),
    )
    assert problems_of(text) == [
        (10, "最低等级“软弱涣散党支部”的分数线应为 0，否则低分组织无等级可定"),
        (19, f"否决条件限定的等级“软弱党支部”不存在（可用：{TIERS}）"),
        (41, "表达式“not surveyd”有误：未知的字段 surveyd"),
    ]


def test_distinct_mistakes_count() -> None:
    assert len({_case_id(c) for c in CASES}) == len(CASES) >= 20


# -- `chuangyou rubric check` ---------------------------------------------------------------------

@pytest.fixture()
def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Runs the CLI inside tmp_path, so that files are named by short relative paths."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        output._console.cache_clear()  # the console binds sys.stdout when first used
        return runner.invoke(app, list(args))

    yield invoke
    output._console.cache_clear()


def _write(tmp_path: Path, text: str, name: str = NAME) -> Path:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(text, encoding="utf-8")
    return Path(name)  # relative to tmp_path, the CLI's working directory


def test_check_prints_problems_and_exits_2(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, edited(("when: not surveyed", "when: surveyed.real")))
    result = run_cli("rubric", "check", str(path))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"✗ {path}：评定标准有 1 处问题",
        f"  {path}:41: 表达式“surveyed.real”有误：不支持属性访问（“.”）",
    ]


def test_check_lists_every_problem(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, edited(
        ("  - {name: 良好党支部, min: 8}", "  - {name: 良好党支部, min: 9.5}"),
        ("    cap: 软弱涣散党支部\n", "    cap: 软弱党支部\n"),
    ))
    result = run_cli("rubric", "check", str(path))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"✗ {path}：评定标准有 2 处问题",
        f"  {path}:8: 等级应从高到低排列：“良好党支部”的分数线 9.5 不低于上一等级“优秀党支部”的 9",
        f"  {path}:19: 否决条件限定的等级“软弱党支部”不存在（可用：{TIERS}）",
    ]


def test_check_yaml_error_and_good_file_together(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path, BASE, "good.yaml")
    bad = _write(tmp_path, edited(("total: 10\n", "total: 10\ntotal: 20\n")), "bad.yaml")
    result = run_cli("rubric", "check", str(good), str(bad))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"✓ {good}：通过（测试评定标准 1.0，3 个类别，4 个项目，6 条规则，5 个样例）",
        f"✗ {bad}：评定标准文件无法读取",
        f"  {bad}:5: 键“total”重复出现",
    ]


def test_check_valid_file_exits_0(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, BASE)
    result = run_cli("rubric", "check", str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"✓ {path}：通过（测试评定标准 1.0，3 个类别，4 个项目，6 条规则，5 个样例）"]


def test_check_problem_lines_are_never_wrapped(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    name = "/".join(["很长的目录名称"] * 12) + "/" + NAME
    path = _write(tmp_path, edited(("when: not surveyed", "when: surveyed.real")), name)
    result = run_cli("rubric", "check", str(path))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"✗ {path}：评定标准有 1 处问题",
        f"  {path}:41: 表达式“surveyed.real”有误：不支持属性访问（“.”）",
    ]


def test_check_prints_file_names_literally(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    good = _write(tmp_path, BASE, "标准[draft].yaml")
    result = run_cli("rubric", "check", str(good))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"✓ {good}：通过（测试评定标准 1.0，3 个类别，4 个项目，6 条规则，5 个样例）"]


def test_check_warns_of_a_veto_capping_to_the_top_tier(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, edited(("    cap: 软弱涣散党支部\n", "    cap: 优秀党支部\n")))
    result = run_cli("rubric", "check", str(path))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"✓ {path}：通过（测试评定标准 1.0，3 个类别，4 个项目，6 条规则，5 个样例）",
        f"  警告：{path}:19: 否决条件“书记出缺超过3个月”限定的等级“优秀党支部”是最高等级，该条件永远不会降低任何组织的等级；"
        "请改为更低的等级",
    ]


def test_rubric_test_with_a_huge_expected_total(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _write(tmp_path, edited(("    expect: {total: 8, tier: 良好党支部, items: {meet_alpha: 2}}",
                                    "    expect: {total: 1e999999999, tier: 良好党支部, items: {meet_alpha: 2}}")))
    code, out, err = run(capsys, "rubric", "test", str(path))
    assert (code, out) == (2, "")
    assert err.splitlines() == ["错误：评定标准文件无法读取", f"  {path}:90: 数值“1e999999999”超出可用范围"]
