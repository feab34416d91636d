"""How an item's score is explained: points − Σ扣分 + Σ加分 = score, exactly, in every case of
the clamp (DESIGN.md: item score = clamp(base − Σdeduct + Σaward, 0, points), 0 on zero_if).

Every expected figure below is worked out by hand from the rubric in this file.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chuangyou.engine import score
from chuangyou.export import write_tierlist
from chuangyou.ranking import rank
from chuangyou.rubric import Rubric, load_rubric_text
from chuangyou.scorecard import CellRef, Evidence, ItemScore, Organization, ScoreCard, award_text

RUBRIC = """
id: explain
name: 说明测试标准
version: "1"
total: 10
subtypes: {village: 村}
tiers:
  - {name: 优秀党支部, min: 9}
  - {name: 良好党支部, min: 8}
  - {name: 一般党支部, min: 6}
  - {name: 软弱涣散党支部, min: 0}
categories:
  - id: c
    name: 类别
    points: 10
    items:
      - id: i
        name: 项目
        points: 10
        fields:
          lost: {label: 扣分次数, type: int, min: 0}
          second: {label: 第二项问题, type: bool}
          bonus1: {label: 加分一, type: bool}
          bonus2: {label: 加分二, type: bool}
          void: {label: 不得分情形, type: bool}
        rules:
          - deduct: lost
            reason: 问题一
          - deduct: 3
            when: second
            reason: 问题二
          - award: 2
            when: bonus1
            reason: 可加2分
          - award: 1
            when: bonus2
            reason: 可加1分
          - zero_if: void
            reason: 不得分
"""
ROWS = {"lost": 2, "second": 3, "bonus1": 4, "bonus2": 5, "void": 6}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric_text(RUBRIC, "说明.yaml")


def card(rubric: Rubric, name: str = "村党支部", lost: int = 0, second: bool = False, bonus1: bool = False,
         bonus2: bool = False, void: bool = False) -> ScoreCard:
    values = {"lost": Decimal(lost), "second": second, "bonus1": bonus1, "bonus2": bonus2, "void": void}
    cells = {f: CellRef(field=f, sheet="考评数据", cell=f"H{ROWS[f]}", value=str(v)) for f, v in values.items()}
    evidence = Evidence(source=f"{name}.xlsx", organization=Organization(name=name, subtype="village"),
                        values=values, self_values=values, cells=cells)
    return score(rubric, evidence)


def item(rubric: Rubric, **values: Any) -> ItemScore:
    (only,) = card(rubric, **values).items
    assert only.points - sum(d.points for d in only.deductions) + sum(a.points for a in only.awards) == only.score
    return only


def lines(found: ItemScore) -> tuple[Decimal, list[tuple[str, str, str | None]], list[tuple[str, str, str | None]]]:
    """(score, [(reason, points, nominal)] of deductions, the same of awards) as decimal text."""
    def text(n: Decimal | None) -> str | None:
        return None if n is None else str(n)
    return (found.score, [(d.reason, text(d.points), text(d.nominal)) for d in found.deductions],
            [(a.reason, text(a.points), text(a.nominal)) for a in found.awards])


def test_deductions_and_awards_within_the_points_are_shown_in_full(rubric: Rubric) -> None:
    # 10 − 3 + 1 = 8
    assert lines(item(rubric, lost=3, bonus2=True)) == (Decimal(8), [("问题一", "3", None)], [("可加1分", "1", None)])


def test_an_award_offsets_a_deduction_without_cutting_it(rubric: Rubric) -> None:
    # 10 − 9 − 3 + 2 = 0: nothing is cut, the award counts in full.
    assert lines(item(rubric, lost=9, second=True, bonus1=True)) == (
        Decimal(0), [("问题一", "9", None), ("问题二", "3", None)], [("可加2分", "2", None)])


def test_below_zero_the_last_deductions_are_cut(rubric: Rubric) -> None:
    # 10 − 10 − 3 + 2 = −1 → 0: 问题二 takes 2 of its 3 (扣完为止); the award still counts.
    assert lines(item(rubric, lost=10, second=True, bonus1=True)) == (
        Decimal(0), [("问题一", "10", None), ("问题二", "2", "3")], [("可加2分", "2", None)])


def test_above_full_points_the_last_awards_are_cut(rubric: Rubric) -> None:
    # 10 − 2 + 2 + 1 = 11 → 10: 可加1分 gives nothing of its 1.
    found = item(rubric, lost=2, bonus1=True, bonus2=True)
    assert lines(found) == (Decimal(10), [("问题一", "2", None)], [("可加2分", "2", None), ("可加1分", "0", "1")])
    assert award_text(found, found.awards[1]) == "可加1分（规则加 1 分，该项已是满分）"
    assert award_text(found, found.awards[0]) == "可加2分"


def test_an_award_partly_cut_says_so(rubric: Rubric) -> None:
    # 10 − 1 + 2 = 11 → 10: 可加2分 gives 1 of its 2.
    found = item(rubric, lost=1, bonus1=True)
    assert lines(found) == (Decimal(10), [("问题一", "1", None)], [("可加2分", "1", "2")])
    assert award_text(found, found.awards[0]) == "可加2分（规则加 2 分，加至满分为止）"


def test_a_full_item_gains_nothing_from_its_awards(rubric: Rubric) -> None:
    found = item(rubric, bonus1=True, bonus2=True)
    assert lines(found) == (Decimal(10), [], [("可加2分", "0", "2"), ("可加1分", "0", "1")])


def test_a_zeroed_item_gains_nothing_from_its_awards(rubric: Rubric) -> None:
    found = item(rubric, lost=1, bonus1=True, void=True)
    assert lines(found) == (Decimal(0), [("不得分", "10", None)], [("可加2分", "0", "2")])
    assert award_text(found, found.awards[0]) == "可加2分（规则加 2 分，该项不得分，加分不计）"


def test_the_tier_list_lists_awards_so_that_each_organization_adds_up(rubric: Rubric, tmp_path: Path) -> None:
    cards = [card(rubric, "甲村党支部", lost=7, bonus1=True, bonus2=True),  # 10 − 7 + 2 + 1 = 6 → 一般
             card(rubric, "乙村党支部", lost=1, bonus1=True)]  # 10 − 1 + 1 (of 2) = 10 → 优秀
    out = tmp_path / "等级名单.xlsx"
    write_tierlist(out, rank(cards, {rubric.id: rubric}), [], {rubric.id: rubric})
    book = load_workbook(out)
    rows = [r for r in book["扣分明细"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [(r[2], r[7], r[8], r[9]) for r in rows] == [
        ("乙村党支部", 1, "问题一", "考评数据!H2"),
        ("乙村党支部", -1, "【加分】可加2分（规则加 2 分，加至满分为止）", "考评数据!H4"),
        ("甲村党支部", 7, "问题一", "考评数据!H2"),
        ("甲村党支部", -2, "【加分】可加2分", "考评数据!H4"),
        ("甲村党支部", -1, "【加分】可加1分", "考评数据!H5"),
    ]
    rectify = [r for r in book["整改清单"].iter_rows(values_only=True) if r[0] == "甲村党支部"]
    assert [(r[3], r[4], r[5]) for r in rectify] == [
        ("合计", 4, "总分 6 分（按分数为一般党支部），1 个项目失分"),
        ("类别-项目", 4, "问题一\n【加分】可加2分（加 2 分）\n【加分】可加1分（加 1 分）"),
    ]


def test_the_terminal_report_shows_awards_beside_deductions(rubric: Rubric) -> None:
    from rich.console import Console

    from chuangyou.report import explanation, summary

    found = card(rubric, lost=1, bonus1=True, bonus2=True)  # 10 − 1 + 1 (of 2) + 0 (of 1) = 10
    console = Console(width=300, record=True, color_system=None)
    console.print(summary(found))
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in console.export_text().splitlines()
            if line.startswith("│") and "项目" in line.split("│")[1]]
    assert [row[:3] for row in rows] == [
        ["项目", "1", "问题一"],
        ["项目", "加 1", "可加2分（规则加 2 分，加至满分为止）"],
        ["项目", "加 0", "可加1分（规则加 1 分，该项已是满分）"],
    ]
    console = Console(width=300, record=True, color_system=None)
    console.print(explanation(found, rubric))
    text = console.export_text()
    for step in ("-1 问题一（考评数据!H2（lost）=1）",
                 "+1 可加2分（规则加 2 分，加至满分为止）（考评数据!H4（bonus1）=True）",
                 "+0 可加1分（规则加 1 分，该项已是满分）（考评数据!H5（bonus2）=True）"):
        assert step in text


def test_a_deduction_of_many_digits_is_exact_and_printed_whole(tmp_path: Path) -> None:
    """Four fields at the evidence bound (1E+9) multiplied: 37 digits, beyond Python's default
    28. Computed exactly (chuangyou.conditions.SCORING) and shown whole (scorecard.fmt
    raised InvalidOperation on it before)."""
    from chuangyou.evidence import read_evidence
    from evidence_helpers import MINI_RUBRIC, full_values, write_workbook

    text = MINI_RUBRIC.replace("          - deduct: 1\n            when: members < 3",
                               "          - deduct: members * members * members * members + 1\n"
                               "            when: members > 3")
    rubric = load_rubric_text(text, "mini.yaml")
    path = write_workbook(tmp_path / "村.xlsx", rubric,
                          self_values={**full_values(rubric, "village"), "members": 10**9})
    card = score(rubric, read_evidence(path, rubric))
    [deduction] = [d for item in card.items for d in item.deductions if d.reason == "党员人数不足"]
    assert deduction.nominal == Decimal("1" + "0" * 35 + "1")
    assert card.model_dump(mode="json")["items"][0]["score"] == "0"
    assert '"1000000000000000000000000000000000001"' in card.model_dump_json()
