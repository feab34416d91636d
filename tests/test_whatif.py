"""`chuangyou whatif DIR --rubric NEW.yaml`: who a new standard or new quotas would move, and why.

The expectations are computed independently from `rank --format json` (the published
ranking) and checked by hand against the totals in tests/test_examples.py: the village
group of examples/城关镇 has 南街社区党支部 and 西关村党支部 at 90 (优秀, no veto),
北关村党支部 at 92 capped to 一般 by a veto, and 北岗村党支部.xlsx that cannot be scored.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chuangyou.whatif.rescore import NOT_IN_OLD
from cli_helpers import run_cli, variant

ROOT = Path(__file__).resolve().parent.parent
TOWN = ROOT / "examples" / "城关镇"
A, B = "优秀党支部", "良好党支部"
CHANGE_KEYS = ["name", "township", "group", "source", "total_before", "total_after", "tier_before", "tier_after",
               "rank_before", "rank_after", "items"]
SUMMARY_LINE = "共 30 个文件，比较 29 个组织：{} 个总分、等级或排名有变化，1 个文件未能评分"
THRESHOLD = ("  - {name: 优秀党支部, min: 90}", "  - {name: 优秀党支部, min: 92}")
VERSION = ('version: "2026.1"', 'version: "2027.1"')
# One point moved from 党员教育培训 (3 → 2) to 党费缴纳管理 (2 → 3), in the same category.
TRAINING = ("      - id: training\n        name: 党员教育培训\n        points: 3",
            "      - id: training\n        name: 党员教育培训\n        points: 2")
DUES = ("      - id: dues\n        name: 党费缴纳管理\n        points: 2",
        "      - id: dues\n        name: 党费缴纳管理\n        points: 3")


def ranked(capsys: pytest.CaptureFixture[str], *options: str) -> list[dict[str, Any]]:
    """The entries of `rank examples/城关镇 --format json`: the oracle."""
    code, out, _ = run_cli(["rank", str(TOWN), "--format", "json", *options], capsys)
    assert code == 1  # 北岗村党支部.xlsx
    return [dict(e, group=g["rubric_id"]) for g in json.loads(out)["ranking"]["groups"] for e in g["entries"]]


def whatif(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(["whatif", str(TOWN), "--format", "json", "--jobs", "1", *options], capsys)
    return code, json.loads(out), err


def test_threshold_92_moves_exactly_the_uncapped_excellent_below_it(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    expected = [e["name"] for e in ranked(capsys) if e["group"] == "village" and e["tier"] == A
                and e["capped_tier"] == e["threshold_tier"] and 90 <= Decimal(e["total"]) < 92]
    assert sorted(expected) == ["南街社区党支部", "西关村党支部"]  # by hand, see the module docstring
    new = variant(tmp_path, "village-92.yaml", THRESHOLD)
    code, data, err = whatif(capsys, "--rubric", str(new))
    assert code == 1
    assert err == SUMMARY_LINE.format(2) + "\n"
    assert list(data) == ["changes", "missing_fields", "summary"]
    assert [c["name"] for c in data["changes"]] == expected
    for change in data["changes"]:
        assert list(change) == CHANGE_KEYS
        assert (change["group"], change["total_before"], change["total_after"]) == ("village", "90", "90")
        assert (change["tier_before"], change["tier_after"], change["items"]) == (A, B, [])
        assert change["rank_before"] == change["rank_after"] == 5
    assert data["missing_fields"] == []
    village = next(s for s in data["summary"] if s["group"] == "village")
    assert village["counts_before"] == {A: 5, B: 4, "一般党支部": 3, "软弱涣散党支部": 2, "待定（另行处理）": 1}
    assert village["counts_after"] == {A: 3, B: 6, "一般党支部": 3, "软弱涣散党支部": 2, "待定（另行处理）": 1}
    assert [s["counts_before"] == s["counts_after"] for s in data["summary"]] == [True, True, False]


def test_one_point_moved_between_items_explains_each_total(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A new version (2027.1): last year's workbooks say 2026.1 and are still compared.
    new = variant(tmp_path, "village-2027.yaml", VERSION, TRAINING, DUES)
    code, data, _ = whatif(capsys, "--rubric", str(new))
    assert code == 1
    for change in data["changes"]:
        deltas = sum(Decimal(i["after"] or 0) - Decimal(i["before"] or 0) for i in change["items"])
        assert deltas == Decimal(change["total_after"]) - Decimal(change["total_before"])
    # By hand: 培训 3 → 2 costs each organization 1 point unless its deductions already took
    # all 3 (后山村: 0 either way, 扣完为止), and 党费 2 → 3 gives everyone 1: only 后山村 moves.
    assert data["changes"] == [{
        "name": "后山村党支部", "township": "城关镇", "group": "village", "source": f"{TOWN}/村/后山村党支部.xlsx",
        "total_before": "55.5", "total_after": "56.5", "tier_before": "软弱涣散党支部", "tier_after": "软弱涣散党支部",
        "rank_before": 14, "rank_after": 14,
        "items": [
            {"id": "education.training", "name": "党员教育培训", "before": "0", "after": "0", "rules": [
                {"rule": "项目分值", "kind": "points", "before": "3", "after": "2"},
                {"rule": "基层党组织班子成员没有参加集中培训", "kind": "deduct", "before": "-2", "after": "-1"},
            ]},
            {"id": "education.dues", "name": "党费缴纳管理", "before": "2", "after": "3", "rules": [
                {"rule": "项目分值", "kind": "points", "before": "2", "after": "3"},
            ]},
        ],
    }]


def test_a_field_the_workbooks_lack_is_listed_never_guessed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    field = ("          setup_ok: {label: 党组织设置规范、调整及时, type: bool}",
             "          setup_ok: {label: 党组织设置规范、调整及时, type: bool}\n"
             "          setup_filed: {label: 组织设置调整材料已归档, type: bool}")
    rule = ("          - zero_if: not setup_ok\n",
            "          - deduct: 1\n            when: not setup_filed\n            reason: 组织设置调整材料未归档\n"
            "          - zero_if: not setup_ok\n")
    new = variant(tmp_path, "village-filed.yaml", VERSION, field, rule)
    code, data, err = whatif(capsys, "--rubric", str(new))
    assert code == 1
    village = [e for e in ranked(capsys) if e["group"] == "village"]
    assert sorted(m["source"] for m in data["missing_fields"]) == sorted(e["source"] for e in village)
    assert {json.dumps(m["fields"], ensure_ascii=False) for m in data["missing_fields"]} == {json.dumps(
        [{"id": "setup.setup_filed", "label": "组织设置调整材料已归档", "reason": NOT_IN_OLD}], ensure_ascii=False)}
    assert [c for c in data["changes"] if c["group"] == "village"] == []
    summary = next(s for s in data["summary"] if s["group"] == "village")
    assert set(summary["counts_after"].values()) == {0}
    assert "15 个缺少新标准所需的数据（未按新标准评分，试算排名中不含）" in err


def test_quota_alone_replays_the_same_scores(capsys: pytest.CaptureFixture[str]) -> None:
    quota = "优秀党支部<=20%"
    before = {e["source"]: e for e in ranked(capsys)}
    after = {e["source"]: e for e in ranked(capsys, "--quota", quota)}
    expected = [s for s, e in before.items() if (e["tier"], e["rank"]) != (after[s]["tier"], after[s]["rank"])]
    assert expected  # 20% of 14 villages is 2 places for 5 优秀: some are moved
    code, data, _ = whatif(capsys, "--quota", quota)
    assert code == 1
    assert sorted(c["source"] for c in data["changes"]) == sorted(expected)
    for change in data["changes"]:
        assert change["total_before"] == change["total_after"] and change["items"] == []
        assert (change["tier_before"], change["tier_after"]) == (A, after[change["source"]]["tier"])


def test_workbook_sheets_and_overwrite_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = variant(tmp_path, "village-92.yaml", THRESHOLD)
    out = tmp_path / "对比.xlsx"
    out.write_bytes(b"someone's notes")
    argv = ["whatif", str(TOWN), "--rubric", str(new), "-o", str(out), "--jobs", "1"]
    code, _, err = run_cli(argv, capsys)
    assert code == 2
    assert err == (f"错误：文件 {out} 已存在，且不是本工具生成的试算对比，未写入：为避免覆盖其中的内容，"
                   "请换一个文件名，或加 --force 覆盖\n")
    assert out.read_bytes() == b"someone's notes"
    assert run_cli([*argv, "--force"], capsys)[0] == 1
    code, _, err = run_cli(argv, capsys)  # our own earlier output is replaced without --force
    assert code == 1 and err.endswith(f"。对比结果已写入 {out}\n")
    # Another kind of our own output is not replaced either way: a tier list, a comparison.
    tierlist = tmp_path / "等级名单.xlsx"
    assert run_cli(["rank", str(TOWN), "-o", str(tierlist), "--jobs", "1"], capsys)[0] == 1
    code, _, err = run_cli([*argv[:4], "-o", str(tierlist), "--jobs", "1"], capsys)
    assert (code, err.startswith(f"错误：文件 {tierlist} 已存在，且不是本工具生成的试算对比，未写入")) == (2, True)
    code, _, err = run_cli(["rank", str(TOWN), "-o", str(out), "--jobs", "1"], capsys)
    assert (code, err.startswith(f"错误：文件 {out} 已存在，且不是本工具生成的等级名单，未写入")) == (2, True)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["变化汇总", "等级变化", "分项变化", "缺少数据", "未能评分"]
    assert book.properties.keywords == "chuangyou-export 创优 试算对比"
    rows = [r for r in book["等级变化"].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "序号")
    assert rows[header] == ("序号", "评定标准", "组织名称", "所属乡镇（街道）", "现行总分", "试算总分", "总分增减",
                            "现行等级", "试算等级", "等级变化", "现行排名", "试算排名", "说明")
    assert rows[header + 1:] == [
        (1, "村(社区)", "南街社区党支部", "城关镇", 90, 90, 0, A, B, "下降", 5, 5, "按分数：90 分由优秀党支部变为良好党支部"),
        (2, "村(社区)", "西关村党支部", "城关镇", 90, 90, 0, A, B, "下降", 5, 5, "按分数：90 分由优秀党支部变为良好党支部"),
    ]
    summary = [r[:5] for r in book["变化汇总"].iter_rows(values_only=True) if r[0] == "村(社区)"]
    assert summary[:2] == [("村(社区)", A, 5, 3, "-2"), ("村(社区)", B, 4, 6, "+2")]
    failed = [r for r in book["未能评分"].iter_rows(values_only=True)]
    assert failed[-1][:2] == (1, f"{TOWN}/村/北岗村党支部.xlsx")


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["whatif", str(TOWN)], capsys)
    assert (code, err) == (2, "错误：请用 --rubric 给出新的评定标准，或用 --quota 给出新的名额比例\n")
    other = variant(tmp_path, "other.yaml", ("id: village\n", "id: village_xx\n"))
    code, _, err = run_cli(["whatif", str(TOWN), "--rubric", str(other), "--jobs", "1"], capsys)
    assert code == 2
    assert err == ("错误：新评定标准的编号“village_xx”与文件夹中各工作簿的评定标准（agency、two_new、village）都不同，"
                   "无法比较；新标准应沿用旧标准的编号（id），只改版本（version）\n")


def test_a_changed_field_is_read_again_under_its_new_definition(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    # 探索创新 2 → 1 point, its 酌情 score field's max 2 → 1, 设置合理 2 → 3: a figure above 1
    # typed last year is not a value of the new field, so it is listed, never cut down to 1.
    new = variant(tmp_path, "village-explore.yaml",
                  ("      - id: setup\n        name: 设置合理\n        points: 2",
                   "      - id: setup\n        name: 设置合理\n        points: 3"),
                  ("      - id: explore\n        name: 探索创新\n        points: 2",
                   "      - id: explore\n        name: 探索创新\n        points: 1"),
                  ("explore_score: {label: 探索创新酌情得分, type: score, min: 0, max: 2,",
                   "explore_score: {label: 探索创新酌情得分, type: score, min: 0, max: 1,"))
    code, data, _ = whatif(capsys, "--rubric", str(new))
    assert code == 1
    missing = {Path(m["source"]).name: m["fields"] for m in data["missing_fields"]}
    assert len(missing) == 11
    assert missing["刘庄村党支部.xlsx"] == [{
        "id": "explore.explore_score", "label": "探索创新酌情得分",
        "reason": "考评数据!F7：按新标准“探索创新酌情得分”的值 1.5 超过上限 1，应填写 0～1 之间的数字（单位：分）",
    }]
    # 北关村: 设置合理 1 → 2 (one deduction either way), 探索创新 酌情 1 of 2 → 1 of 1.
    beiguan = next(c for c in data["changes"] if c["name"] == "北关村党支部")
    assert (beiguan["total_before"], beiguan["total_after"]) == ("92", "93")
    assert [(i["id"], i["before"], i["after"]) for i in beiguan["items"]] == [
        ("org.setup", "1", "2"), ("org.explore", "1", "1")]
    assert beiguan["items"][1]["rules"] == [
        {"rule": "项目分值", "kind": "points", "before": "2", "after": "1"},
        {"rule": "探索创新工作记录及覆盖成效酌情给分（酌情得 1 分）", "kind": "score", "before": "-1", "after": None},
    ]
    # The 11 are not in the trial ranking: the 4 others are ranked 1 to 4 among themselves.
    assert sorted(c["rank_after"] for c in data["changes"] if c["group"] == "village") == [1, 2, 3, 4]


def test_nothing_moves_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    for name in ("城关村党总支.xlsx", "后山村党支部.xlsx"):  # 95.5 and 55.5: far from 92
        (folder / name).write_bytes((TOWN / "村" / name).read_bytes())
    new = variant(tmp_path, "village-92.yaml", THRESHOLD)
    code, out, err = run_cli(["whatif", str(folder), "--rubric", str(new), "--jobs", "1"], capsys)
    assert code == 0
    assert "没有组织的总分、等级或排名发生变化。" in out
    assert err == "共 2 个文件，比较 2 个组织：0 个总分、等级或排名有变化\n"


def test_first_pass_uses_the_result_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          isolated_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first pass is rank's: a rerun takes its results from the cache (quotas alone:
    nothing is read again), and prints the same as without it."""
    options = ("--quota", "优秀党支部<=20%")
    cold = whatif(capsys, *options)
    assert any((isolated_cache / "results").rglob("*")), "the first run wrote entries"
    import chuangyou.batch

    def unread(*args: object, **kwargs: object) -> None:
        raise AssertionError("a workbook was read again")

    monkeypatch.setattr(chuangyou.batch, "score_compact", unread)
    assert whatif(capsys, *options) == cold
    monkeypatch.undo()
    monkeypatch.setenv("CHUANGYOU_CACHE_DIR", str(isolated_cache))
    assert whatif(capsys, *options, "--no-cache") == cold
    code, data, _ = cold
    assert code == 1 and data["changes"]  # 北岗村 fails; the quota moves some
