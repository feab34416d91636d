"""The comparison alone (chuangyou.whatif.compare) on hand-made cards: who is listed, and why.

Two items, 甲 (60 points) and 乙 (40); tiers 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60, 软弱涣散 ≥ 0.
"""

from __future__ import annotations

from decimal import Decimal

from chuangyou.engine import tier_for
from chuangyou.ranking import rank
from chuangyou.rubric.model import Category, Item, Rubric, Tier
from chuangyou.scorecard import Award, Deduction, ItemScore, Organization, RubricRef, ScoreCard
from chuangyou.whatif.compare import RuleChange, compare
from chuangyou.whatif.texts import item_text, rule_text, tier_reasons

RUBRIC = Rubric(
    id="village", name="测试标准", version="1", total=Decimal(100), subtypes={"village": "村"},
    tiers=[Tier(name=n, min=Decimal(m)) for n, m in (("优秀党支部", 90), ("良好党支部", 80), ("一般党支部", 60),
                                                      ("软弱涣散党支部", 0))],
    categories=[Category(id="c", name="全部", points=Decimal(100), items=[
        Item(id="a", name="甲", points=Decimal(60)), Item(id="b", name="乙", points=Decimal(40))])],
)


def card(name: str, lost_a: int, lost_b: int = 0, gained_b: int = 0) -> ScoreCard:
    a = ItemScore(id="c.a", name="甲", category="全部", points=Decimal(60), score=Decimal(60 - lost_a),
                  deductions=[Deduction(rule=1, kind="deduct", reason="未建台账", points=Decimal(lost_a))] if lost_a else [])
    b = ItemScore(id="c.b", name="乙", category="全部", points=Decimal(40), score=Decimal(40 - lost_b + gained_b),
                  deductions=[Deduction(rule=1, kind="deduct", reason="活动不足", points=Decimal(lost_b))] if lost_b else [],
                  awards=[Award(rule=2, reason="获市级表彰", points=Decimal(gained_b))] if gained_b else [])
    total = a.score + b.score
    tier = tier_for(RUBRIC, total)
    return ScoreCard(
        organization=Organization(name=name, township="城关镇", subtype="village"),
        rubric=RubricRef(id="village", version="1", sha256="0" * 64), source=f"{name}.xlsx",
        total=total, self_total=total, verified_total=total, tier=tier, threshold_tier=tier,
        categories=[], items=[a, b],
    )


def same(c: ScoreCard) -> ScoreCard:
    return c


def test_a_rise_lists_the_riser_with_its_rules_and_the_one_it_overtakes() -> None:
    before = [card("东村", 10), card("西村", 8, lost_b=4), card("南村", 30)]  # 90, 88, 70
    after = [before[0], card("西村", 8, lost_b=4, gained_b=6), before[2]]  # 西村 88 → 94: overtakes 东村
    result = compare(rank(before, {"village": RUBRIC}), rank(after, {"village": RUBRIC}), same, same)
    assert [(c.name, c.total_before, c.total_after, c.tier_before, c.tier_after, c.rank_before, c.rank_after)
            for c in result.changes] == [
        ("东村", Decimal(90), Decimal(90), "优秀党支部", "优秀党支部", 1, 2),
        ("西村", Decimal(88), Decimal(94), "良好党支部", "优秀党支部", 2, 1),
    ]
    east, west = result.changes
    assert east.items == []
    [item] = west.items
    assert (item.id, item.before, item.after) == ("c.b", Decimal(36), Decimal(42))
    assert item.rules == [RuleChange(rule="获市级表彰", kind="award", before=None, after=Decimal(6))]
    assert item_text(item) == "乙 36 → 42（获市级表彰：不加分 → 加 6 分）"
    assert [(s.group, s.counts_before, s.counts_after) for s in result.summary] == [
        ("village", {"优秀党支部": 1, "良好党支部": 1, "一般党支部": 1, "软弱涣散党支部": 0, "待定（另行处理）": 0},
         {"优秀党支部": 2, "良好党支部": 0, "一般党支部": 1, "软弱涣散党支部": 0, "待定（另行处理）": 0})]


def test_reasons_of_a_rank_that_moves_alone_and_of_a_threshold() -> None:
    first = rank([card("东村", 5), card("西村", 8)], {"village": RUBRIC})
    second = rank([card("东村", 5), card("西村", 2)], {"village": RUBRIC})
    east_before, east_after = first.groups[0].entries[0], second.groups[0].entries[1]
    assert tier_reasons(east_before, east_after) == ["总分未变，排名随其他组织的分数变化"]
    assert rule_text(RuleChange(rule="未建台账", kind="deduct", before=Decimal(-8), after=Decimal(-2))) == \
        "未建台账：扣 8 分 → 扣 2 分"
    assert rule_text(RuleChange(rule="项目分值", kind="points", before=Decimal(2), after=Decimal(3))) == \
        "项目分值：2 → 3 分"


def test_nothing_moves_nothing_listed() -> None:
    cards = [card("东村", 5), card("西村", 8)]
    result = compare(rank(cards, {"village": RUBRIC}), rank(cards, {"village": RUBRIC}), same, same)
    assert result.changes == [] and result.missing_fields == []
    assert result.summary[0].counts_before == result.summary[0].counts_after
