"""What score, rank and rubric test say: summary first, hints, one meaning of tier."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_helpers import run_cli as run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HELD_FILE = EXAMPLES / "城关镇" / "村" / "王家湾村党支部.xlsx"
HELD = "待定（另行处理）"
RANK_HINT = "加上 -o 等级名单.xlsx 可写出等级名单工作簿（等级名单、得分明细、扣分明细、整改清单等）"


def test_score_json_of_a_held_organization_publishes_held(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["score", str(HELD_FILE), "--format", "json"], capsys)
    card = json.loads(out)
    assert code == 0
    assert (card["tier"], card["threshold_tier"], card["held"]) == (HELD, "良好党支部", True)


def test_score_table_says_held_once_and_the_veto_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", str(HELD_FILE)], capsys)
    lines = out.splitlines()
    assert code == 0
    assert lines[2] == "总分 87.5（核定 87.5，自评 89.5）    等级：待定（另行处理）（按分数为良好党支部；存在需另行处理的情形，暂不定级）"
    vetoes = [line for line in lines if line.startswith("否决条件：")]
    assert vetoes == ["否决条件：存在重大财务纰漏情况另行处理。依据：考评数据!G91（存在重大财务纰漏）=是"]
    assert "标记【另行处理】" not in out
    assert err == f"提示：逐项查看考核评价标准、考评方式和计分过程，请运行 chuangyou score {HELD_FILE} --explain\n"


def test_explain_keeps_the_summary_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", str(HELD_FILE), "--explain"], capsys)
    assert code == 0 and err == ""
    order = [out.index(mark) for mark in ("等级：待定（另行处理）", "各类别得分", "扣分明细", "否决条件：", "逐项说明")]
    assert order == sorted(order)
    assert out.count("各类别得分") == 1


def test_rank_without_output_says_how_to_write_the_tier_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _out, err = run(["rank", str(EXAMPLES / "城关镇"), "--jobs", "1"], capsys)
    assert code == 1
    assert err.splitlines()[-1] == f"共 30 个文件：评定 29 个，未能评分 1 个。{RANK_HINT}"
    code, _out, err = run(["rank", str(EXAMPLES / "城关镇"), "--jobs", "1", "--format", "json"], capsys)
    assert err.splitlines()[-1] == "共 30 个文件：评定 29 个，未能评分 1 个"


def test_rank_json_and_table_agree_on_the_held_tier(capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = run(["rank", str(EXAMPLES / "城关镇"), "--jobs", "1", "--format", "json"], capsys)
    data = json.loads(out)
    card = next(r for r in data["results"] if r["organization"]["name"] == "王家湾村党支部")
    entry = next(e for g in data["ranking"]["groups"] for e in g["entries"] if e["name"] == "王家湾村党支部")
    assert (card["tier"], card["threshold_tier"]) == (HELD, "良好党支部")
    assert (entry["tier"], entry["threshold_tier"], entry["held"]) == (HELD, "良好党支部", True)
    _code, out, _err = run(["rank", str(EXAMPLES / "城关镇"), "--jobs", "1"], capsys)
    row = next(line for line in out.splitlines() if "王家湾村党支部" in line)
    assert HELD in row


def test_rubric_test_reports_the_held_example_as_held(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["rubric", "test", "village"], capsys)
    assert code == 0
    assert "通过 重大财务纰漏另行处理：100 分，待定（另行处理）" in out.splitlines()


def test_messages_of_the_bundled_rubrics_use_full_width_punctuation() -> None:
    """Reasons, labels and hints are shown in messages: no "记录,一票否决，"."""
    import re

    from chuangyou.rubric import bundled_rubrics

    ascii_beside_chinese = re.compile(r"[\u4e00-\u9fff][,;:!?]|[,;:!?][\u4e00-\u9fff]")
    found = []
    for rubric in bundled_rubrics():
        texts = [v.reason for v in rubric.vetoes]
        for _category, item in rubric.items():
            texts += [r.reason for r in item.rules]
            texts += [f.label for f in item.fields.values()] + [f.hint or "" for f in item.fields.values()]
        found += [f"{rubric.id}: {t}" for t in texts if ascii_beside_chinese.search(t)]
    assert found == []
