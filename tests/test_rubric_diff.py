"""`chuangyou rubric diff OLD NEW`: every change in rubric order, nothing that does not change the meaning.

The variants below are rubrics/village.yaml with exact text replacements; each replaced text
occurs once in the file (checked), so a variant differs from the original in exactly the
places the test names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chuangyou.rubric import load_rubric
from chuangyou.rubric.diff import diff_rubrics, marked_text
from cli_helpers import run_cli, variant

ROOT = Path(__file__).resolve().parent.parent
VILLAGE = ROOT / "rubrics" / "village.yaml"

THRESHOLD = ("  - {name: 优秀党支部, min: 90}", "  - {name: 优秀党支部, min: 92}")
CLAUSE = ("每年对党组织设置情况进行1次摸底", "每年对党组织设置情况进行2次摸底")
RULE = ("""          - deduct: 1
            when: not setup_surveyed""", """          - deduct: 2
            when: not setup_surveyed""")


def test_three_changes_exactly_as_markdown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = variant(tmp_path, "新.yaml", THRESHOLD, CLAUSE, RULE)
    code, out, _ = run_cli(["rubric", "diff", str(VILLAGE), str(new), "--format", "markdown"], capsys)
    assert code == 1
    assert out == f"""# 评定标准差异

- 旧：{VILLAGE}（村(社区)党组织争先创优评定标准 2026.1 版）
- 新：{new}（村(社区)党组织争先创优评定标准 2026.1 版）

| 序号 | 变化 | 位置 | 内容 |
|---|---|---|---|
| 1 | 修改 | 等级“优秀党支部” | 分数线：90 → 92 |
| 2 | 修改 | 项目“设置合理”（org.setup） | 考核评价标准：组织设置合理,每年对党组织设置情况进行~~1~~**2**次摸底,做到设置规范、调整及时。<br>村(社区)党组织对辖区内非公经济组织和社会组织党建工作实行兜底管理,动态调整。 |
| 3 | 修改 | 项目“设置合理”第5条规则（未进行摸底排查） | 扣分：1 → 2 |

共 3 处差异。文字修改中 ~~删除线~~ 为删去的文字，**粗体** 为新增的文字。
"""


def test_three_changes_exactly_as_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = variant(tmp_path, "new.yaml", THRESHOLD, CLAUSE, RULE)
    code, out, _ = run_cli(["rubric", "diff", "village", str(new)], capsys)
    assert code == 1
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[0] == f"评定标准差异：village（村(社区)党组织争先创优评定标准 2026.1 版） → {new}（村(社区)党组织争先创优评定标准 2026.1 版）"
    rows = [line for line in lines if line.startswith("│")]
    assert rows == [
        "│    1 │ 修改 │ 等级“优秀党支部”                          │ 分数线：90 → 92                                                                            │",
        # A line never starts with "。" (cli/linebreak.py): 及时。 breaks before 时.
        "│    2 │ 修改 │ 项目“设置合理”（org.setup）               │ 考核评价标准：组织设置合理,每年对党组织设置情况进行[-1-]{+2+}次摸底,做到设置规范、调整及   │",
        "│      │      │                                           │ 时。                                                                                       │",
        "│      │      │                                           │ 村(社区)党组织对辖区内非公经济组织和社会组织党建工作实行兜底管理,动态调整。                │",
        "│    3 │ 修改 │ 项目“设置合理”第5条规则（未进行摸底排查） │ 扣分：1 → 2                                                                                │",
    ]
    assert lines[-2:] == ["文字修改中 [-…-] 为删去的文字，{+…+} 为新增的文字。", "共 3 处差异"]


def test_three_changes_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = variant(tmp_path, "new.yaml", THRESHOLD, CLAUSE, RULE)
    code, out, _ = run_cli(["rubric", "diff", "village", str(new), "-f", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["identical"] is False
    assert (data["old"]["ref"], data["old"]["id"], data["new"]["ref"]) == ("village", "village", str(new))
    assert [(c["change"], c["path"], c["key"], c["before"], c["after"]) for c in data["changes"]] == [
        ("changed", "tiers.优秀党支部", "min", "90", "92"),
        ("changed", "categories.org.items.setup", "standard",
         load_rubric(VILLAGE).categories[0].items[0].standard, load_rubric(new).categories[0].items[0].standard),
        ("changed", "categories.org.items.setup.rules[5]", "deduct", "1", "2"),
    ]
    assert data["changes"][1]["marked"].startswith("组织设置合理,每年对党组织设置情况进行[-1-]{+2+}次摸底")
    assert data["changes"][0]["marked"] is None


def test_a_file_and_itself_mean_the_same(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rubric", "diff", str(VILLAGE), "village"], capsys)
    assert code == 0
    assert out.splitlines()[-1] == "两个评定标准含义相同，没有差异"


def test_formatting_comments_and_number_spelling_are_not_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = variant(tmp_path, "same.yaml", ("  - {name: 优秀党支部, min: 90}", "  - {name: 优秀党支部, min: 90.0}  # 不变"),
                   ("id: village\n", "# 复制的标准\nid: village\n"))
    assert diff_rubrics(load_rubric(VILLAGE), load_rubric(same)) == []
    code, out, _ = run_cli(["rubric", "diff", str(VILLAGE), str(same), "-f", "json"], capsys)
    assert code == 0
    assert json.loads(out)["changes"] == []


def test_added_and_removed_rules_are_aligned_not_shifted(tmp_path: Path) -> None:
    # A rule inserted before the 摸底排查 rule: one addition, not every later rule changed.
    new = variant(tmp_path, "new.yaml", (RULE[0], """          - deduct: 0.5
            when: party_members > 200
            reason: 党员超过200名未增设党小组
""" + RULE[0]))
    changes = diff_rubrics(load_rubric(VILLAGE), load_rubric(new))
    assert [(c.action, c.where, c.after) for c in changes] == [
        ("added", "项目“设置合理”第5条规则（党员超过200名未增设党小组）",
         "扣分 0.5，条件 party_members > 200：党员超过200名未增设党小组"),
    ]
    back = diff_rubrics(load_rubric(new), load_rubric(VILLAGE))
    assert [(c.action, c.path) for c in back] == [("removed", "categories.org.items.setup.rules[5]")]


def test_fields_vetoes_and_quota(tmp_path: Path) -> None:
    new = variant(
        tmp_path, "new.yaml",
        ("party_members: {label: 正式党员人数, type: int, min: 0,", "party_members: {label: 正式党员人数, type: int, min: 1,"),
        ("tiers:\n", "quota:\n  优秀党支部: {max_share: 0.2}\ntiers:\n"),
    )
    changes = diff_rubrics(load_rubric(VILLAGE), load_rubric(new))
    assert [(c.action, c.where, c.attribute, c.before, c.after) for c in changes] == [
        ("added", "名额“优秀党支部”", "", None, "最多比例 20%"),
        ("changed", "字段“正式党员人数”（setup.party_members）", "最小值", "0", "1"),
    ]


def test_marked_text_works_on_chinese_characters() -> None:
    assert marked_text("未进行摸底排查扣1分", "未开展摸底排查扣2分") == "未[-进行-]{+开展+}摸底排查扣[-1-]{+2+}分"


def test_an_unknown_rubric_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["rubric", "diff", "village", "没有这个.yaml"], capsys)
    assert code == 2
    assert err == "错误：找不到评定标准文件：没有这个.yaml\n"


def test_a_rewritten_text_is_shown_whole_and_a_lone_kept_character_inside_the_change() -> None:
    assert marked_text("有此情况的评定结果另行处理", "党建经费等存在重大财务问题的，由考评组另行处理") == \
        "[-有此情况的评定结果另行处理-]{+党建经费等存在重大财务问题的，由考评组另行处理+}"
    assert marked_text("每月开展1次活动并记录", "每季开展2次活动并存档") == "每[-月-]{+季+}开展[-1-]{+2+}次活动并[-记录-]{+存档+}"
    assert marked_text("扣1分的记录", "扣2分与记录") == "扣[-1分的-]{+2分与+}记录"
