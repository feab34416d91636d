"""Ranking: competition ranks, held cases, quotas, vetoes, year over year, duplicates.

Every expectation below was worked out by hand from the rules in
``chuangyou/ranking/quota.py`` and ``rank.py`` (the arithmetic is written next to each case).
Tiers of the test rubric: 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60, 软弱涣散 ≥ 0.
"""

from __future__ import annotations

import io
import json
import random
from decimal import Decimal

import pytest

from chuangyou.engine import lower_tier, tier_for
from chuangyou.errors import Problem, UsageError
from chuangyou.ranking import (
    HELD_TIER,
    DuplicateOrganizationError,
    PreviousResult,
    Ranking,
    check_duplicates,
    load_previous,
    parse_quota,
    parse_quotas,
    rank,
)
from chuangyou.rubric.model import Category, Item, QuotaRule, Rubric, Tier
from chuangyou.scorecard import Flag, Organization, RubricRef, ScoreCard, VetoHit

A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"


def make_rubric(rubric_id: str = "village", quota: dict[str, QuotaRule] | None = None) -> Rubric:
    return Rubric(
        id=rubric_id, name=f"{rubric_id}评定标准", version="2026.1", total=Decimal(100),
        subtypes={"village": "村"}, quota=quota,
        tiers=[Tier(name=A, min=Decimal(90)), Tier(name=B, min=Decimal(80)),
               Tier(name=C, min=Decimal(60)), Tier(name=D, min=Decimal(0))],
        categories=[Category(id="all", name="全部", points=Decimal(100),
                             items=[Item(id="all", name="全部", points=Decimal(100))])],
    )


RUBRIC = make_rubric()


def card(name: str, total: str | int, township: str = "城关镇", cap: str | None = None,
         held: bool = False, rubric: Rubric = RUBRIC, source: str | None = None) -> ScoreCard:
    """A ScoreCard as the engine would make it: threshold tier, then the veto cap."""
    value = Decimal(str(total))
    threshold = tier_for(rubric, value)
    vetoes = [VetoHit(reason="群众满意率低于90%", cap=cap)] if cap else []
    flags = [Flag(kind="另行处理", reason="存在重大财务纰漏")] if held else []
    return ScoreCard(
        organization=Organization(name=name, township=township, subtype="village", subtype_label="村", year=2026),
        rubric=RubricRef(id=rubric.id, version=rubric.version, sha256="0" * 64, name=rubric.name),
        source=source or f"{township}/{name}.xlsx", total=value, self_total=value, verified_total=value,
        tier=lower_tier(rubric, threshold, cap) if cap else threshold, threshold_tier=threshold,
        held=held, categories=[], items=[], vetoes=vetoes, flags=flags,
    )


def group_of(totals: list[str | int], **kwargs: object) -> list[ScoreCard]:
    """Organizations 组1, 组2, … with the given totals (names keep input order visible)."""
    return [card(f"组{i}", t, **kwargs) for i, t in enumerate(totals, 1)]  # type: ignore[arg-type]


def run(cards: list[ScoreCard], quotas: dict[str, QuotaRule] | None = None, **kwargs: object):
    ranking = rank(cards, {"village": RUBRIC}, quotas=quotas, **kwargs)  # type: ignore[arg-type]
    return ranking.groups[0]


TEN = [98, 96, 95, 93, 91, 88, 85, 75, 65, 50]  # thresholds: A A A A A B B C C D


# -- competition ranks ------------------------------------------------------------------


@pytest.mark.parametrize(
    "totals, ranks",
    [
        ([85, 95, 90, 90], [1, 2, 2, 4]),
        (["80", "80", "80"], [1, 1, 1]),
        (["59", "60.50", "70", "60.5"], [1, 2, 2, 4]),  # 60.5 == 60.50
        ([98, 100, 99], [1, 2, 3]),
        ([70, 88, 50, 70, 88, 70], [1, 1, 3, 3, 3, 6]),
    ],
)
def test_ties_share_a_rank(totals, ranks):
    group = run(group_of(totals))
    assert [e.rank for e in group.entries] == ranks
    assert [e.total for e in group.entries] == sorted((Decimal(str(t)) for t in totals), reverse=True)


def test_tie_shown_by_township_then_name_whatever_the_input_order():
    # 城(U+57CE) < 白(U+767D); 东(U+4E1C) < 西(U+897F)
    cards = [card("西村", 90), card("南村", 90, township="白马乡"), card("东村", 90), card("北村", 95)]
    for seed in range(5):
        random.Random(seed).shuffle(cards)
        group = run(cards)
        assert [(e.rank, e.township, e.name) for e in group.entries] == [
            (1, "城关镇", "北村"), (2, "城关镇", "东村"), (2, "城关镇", "西村"), (2, "白马乡", "南村"),
        ]


# -- max-share quotas ---------------------------------------------------------------------

NOTE_A30 = "优秀党支部名额上限30%（共10个组织，最多3个），"


@pytest.mark.parametrize(
    "totals, quotas, tiers, notes",
    [
        # 30% of 10 = 3 allowed; 优秀 holds 98 96 95 93 91 → 93 and 91 move down.
        (TEN, {A: QuotaRule(max_share=Decimal("0.3"))},
         [A, A, A, B, B, B, B, C, C, D],
         {"组4": [NOTE_A30 + "按排名调整为良好党支部"], "组5": [NOTE_A30 + "按排名调整为良好党支部"]}),
        # Tie at the cut: the 3rd place (94, 94) does not fit as a whole → both move, and 91.
        ([98, 96, 94, 94, 91, 88, 85, 75, 65, 50], {A: QuotaRule(max_share=Decimal("0.3"))},
         [A, A, B, B, B, B, B, C, C, D],
         {"组3": [NOTE_A30 + "并列第3名的2个组织不能全部列入，按名额比例整体调整为良好党支部"],
          "组4": [NOTE_A30 + "并列第3名的2个组织不能全部列入，按名额比例整体调整为良好党支部"],
          "组5": [NOTE_A30 + "按排名调整为良好党支部"]}),
        # A tie inside the quota (95, 95 at ranks 2–3) stays; only 93 and 91 move.
        ([98, 95, 95, 93, 91, 88, 85, 75, 65, 50], {A: QuotaRule(max_share=Decimal("0.3"))},
         [A, A, A, B, B, B, B, C, C, D],
         {"组4": [NOTE_A30 + "按排名调整为良好党支部"], "组5": [NOTE_A30 + "按排名调整为良好党支部"]}),
        # Cascade: 优秀 ≤30% sends 93, 91 to 良好 (now 93 91 88 85); 良好 ≤10% keeps 1 → 91 88 85 move on.
        (TEN, {A: QuotaRule(max_share=Decimal("0.3")), B: QuotaRule(max_share=Decimal("0.1"))},
         [A, A, A, B, C, C, C, C, C, D],
         {"组4": [NOTE_A30 + "按排名调整为良好党支部"],
          "组5": [NOTE_A30 + "按排名调整为良好党支部", "良好党支部名额上限10%（共10个组织，最多1个），按排名调整为一般党支部"],
          "组6": ["良好党支部名额上限10%（共10个组织，最多1个），按排名调整为一般党支部"],
          "组7": ["良好党支部名额上限10%（共10个组织，最多1个），按排名调整为一般党支部"]}),
        # Under the quota: nothing moves.
        (TEN, {A: QuotaRule(max_share=Decimal("0.5"))}, [A, A, A, A, A, B, B, C, C, D], {}),
    ],
    ids=["overflow", "tie-at-cut", "tie-inside", "cascade", "room"],
)
def test_max_quota(totals, quotas, tiers, notes):
    group = run(group_of(totals), quotas)
    assert [e.tier for e in group.entries] == tiers
    assert {e.name: e.notes for e in group.entries if e.notes} == notes


def test_max_quota_outcome_figures():
    group = run(group_of(TEN), {A: QuotaRule(max_share=Decimal("0.3"))})
    (outcome,) = group.quotas
    assert outcome.model_dump(mode="json") == {
        "tier": A, "kind": "max", "share": "0.3", "origin": "run", "base": 10, "limit": 3, "before": 5, "moved": 2,
        "unused": 0, "note": "", "township": None,
    }
    assert group.counts == {A: 3, B: 4, C: 2, D: 1, HELD_TIER: 0}


UNUSED_NOTE = "优秀党支部名额3个：第3名2个组织并列，不能全部列入，实际评定2个，空出的1个名额由研究决定"
TIE_AT_CUT = [98, 96, 94, 94, 91, 88, 85, 75, 65, 50]


def test_places_a_tie_leaves_unused_are_for_the_committee():
    group = run(group_of(TIE_AT_CUT), {A: QuotaRule(max_share=Decimal("0.3"))})
    (outcome,) = group.quotas
    assert (outcome.limit, outcome.moved, outcome.unused, outcome.note) == (3, 3, 1, UNUSED_NOTE)
    assert group.counts[A] == 2


def test_unused_places_in_the_table_json_and_workbook(tmp_path):
    import openpyxl
    from rich.console import Console

    from chuangyou.export import write_tierlist
    from chuangyou.report_ranking import ranking_tables

    ranking = rank(group_of(TIE_AT_CUT), {"village": RUBRIC}, quotas={A: QuotaRule(max_share=Decimal("0.3"))})
    console = Console(width=100, record=True, file=io.StringIO())
    for table in ranking_tables(ranking):
        console.print(table)
    assert UNUSED_NOTE in console.export_text().replace("\n", "").replace(" ", "")
    assert json.loads(ranking.model_dump_json())["groups"][0]["quotas"][0]["note"] == UNUSED_NOTE
    out = tmp_path / "名单.xlsx"
    write_tierlist(out, ranking, [], {"village": RUBRIC})
    sheet = openpyxl.load_workbook(out)["等级名单"]
    texts = [c.value for row in sheet.iter_rows(max_row=8) for c in row if isinstance(c.value, str)]
    assert any(t.endswith(f"（最多 3 个，调整 3 个），{UNUSED_NOTE}") for t in texts), texts


@pytest.mark.parametrize(
    "size, rule, limit",
    [
        (23, QuotaRule(max_share=Decimal("0.3")), 6),  # floor(6.9)
        (3, QuotaRule(max_share=Decimal("0.3")), 0),  # floor(0.9)
        (20, QuotaRule(max_share=Decimal("0.2")), 4),  # exactly 4
        (23, QuotaRule(min_share=Decimal("0.05")), 2),  # ceil(1.15)
        (20, QuotaRule(min_share=Decimal("0.05")), 1),  # exactly 1
    ],
)
def test_quota_limit_rounding(size, rule, limit):
    tier = A if rule.max_share else D
    totals = [str(Decimal(100) - Decimal("0.5") * i) for i in range(size)]
    (outcome,) = run(group_of(totals), {tier: rule}).quotas
    assert (outcome.base, outcome.limit) == (size, limit)


# -- min-share quota (倒排) ---------------------------------------------------------------

NOTE_D20 = "软弱涣散党支部按不少于20%倒排（共10个组织，至少2个），"


@pytest.mark.parametrize(
    "totals, tiers, notes, moved",
    [
        # ceil(20% × 10) = 2 required; 50 is already there → the next lowest, 65, moves in.
        (TEN, [A, A, A, A, A, B, B, C, D, D], {"组9": [NOTE_D20 + "按排名由一般党支部调整为软弱涣散党支部"]}, 1),
        # None there: 61 and one 66 would do, but the two 66 are tied (第8名) → all three move.
        ([98, 96, 95, 88, 85, 75, 70, 66, 66, 61], [A, A, A, B, B, C, C, D, D, D],
         {"组8": [NOTE_D20 + "并列第8名的2个组织一并由一般党支部调整为软弱涣散党支部"],
          "组9": [NOTE_D20 + "并列第8名的2个组织一并由一般党支部调整为软弱涣散党支部"],
          "组10": [NOTE_D20 + "按排名由一般党支部调整为软弱涣散党支部"]}, 3),
        # Two already at the bottom: nothing moves.
        ([95, 85, 75, 55, 40, 90, 91, 92, 93, 94], [A, A, A, A, A, A, B, C, D, D], {}, 0),
    ],
    ids=["fill", "tie-at-cut", "enough"],
)
def test_min_quota(totals, tiers, notes, moved):
    group = run(group_of(totals), {D: QuotaRule(min_share=Decimal("0.2"))})
    assert [e.tier for e in group.entries] == tiers
    assert {e.name: e.notes for e in group.entries if e.notes} == notes
    assert group.quotas[0].moved == moved


# -- vetoes and held cases ---------------------------------------------------------------


def test_quota_never_lifts_a_vetoed_organization():
    # 98 capped to 一般 by a veto; 20% of 5 = 1 place in 优秀: 96 keeps it, 92 moves down,
    # and the free ranks above do not pull 98 back up.
    cards = [card("甲", 98, cap=C), card("乙", 96), card("丙", 92), card("丁", 85), card("戊", 70)]
    group = run(cards, {A: QuotaRule(max_share=Decimal("0.2"))})
    assert [(e.rank, e.name, e.threshold_tier, e.capped_tier, e.tier) for e in group.entries] == [
        (1, "甲", A, C, C), (2, "乙", A, A, A), (3, "丙", A, A, B), (4, "丁", B, B, B), (5, "戊", C, C, C),
    ]
    assert group.entries[0].notes == ["否决条件：群众满意率低于90%，等级由优秀党支部调整为一般党支部"]
    assert group.quotas[0].before == 2  # 乙 and 丙: the vetoed 甲 is not in 优秀


def test_held_is_unranked_and_outside_the_quota_base():
    # Held out, the base is 3: floor(30% × 3) = 0 places in 优秀, so 92 moves down.
    # (Counting the held one, floor(30% × 4) = 1 would have kept it.)
    cards = [card("甲", 95, held=True), card("乙", 92), card("丙", 88), card("丁", 70)]
    group = run(cards, {A: QuotaRule(max_share=Decimal("0.3"))})
    assert [(e.rank, e.name, e.tier, e.held) for e in group.entries] == [
        (1, "乙", B, False), (2, "丙", B, False), (3, "丁", C, False), (None, "甲", HELD_TIER, True),
    ]
    assert group.entries[3].notes == [
        "存在需另行处理的情形（存在重大财务纰漏），暂不定级，不参与排名和名额计算；按得分可列第1名"
    ]
    assert group.entries[0].notes == ["优秀党支部名额上限30%（共3个组织，最多0个），按排名调整为良好党支部"]
    assert (group.size, group.held) == (3, 1)
    assert group.counts == {A: 0, B: 2, C: 1, D: 0, HELD_TIER: 1}


def test_a_held_organization_is_told_the_rank_its_score_would_have():
    # Competition rank among the ranked ones: a tie shares the rank, the lowest comes last.
    cards = [card("乙", 92), card("丙", "88.5"), card("丁", "88.5"), card("戊", 70),
             card("甲", 95, held=True), card("己", "88.5", held=True), card("庚", 88, held=True),
             card("辛", 60, held=True), card("壬", 92, held=True)]
    group = run(cards, {})
    said = {e.name: e.notes[0].rsplit("；", 1)[1] for e in group.entries if e.held}
    assert said == {"甲": "按得分可列第1名", "壬": "按得分可列第1名", "己": "按得分可列第2名",
                    "庚": "按得分可列第4名", "辛": "按得分可列第5名"}


# -- year over year ----------------------------------------------------------------------


def test_changes_against_previous_results():
    cards = [card("甲", 95), card("乙", 85), card("丙", 70), card("丁", 65), card("戊", 50), card("己", 92, held=True)]
    previous = [
        PreviousResult(name="甲", township="城关镇", tier=B, year=2025),
        PreviousResult(name="乙", township="城关镇", tier=A, year=2025),
        PreviousResult(name=" 丙 ", township="城关镇　", tier=C, year=2025),  # spaces, full-width space
        PreviousResult(name="戊", township="城关镇", tier=None, year=2025),  # held last year
        PreviousResult(name="己", township="城关镇", tier=B, year=2025),
        PreviousResult(name="庚", township="城关镇", tier=A, year=2025),  # not in this run
    ]
    group = run(cards, previous=previous)
    assert [(e.name, e.tier, e.previous_tier, e.change) for e in group.entries] == [
        ("甲", A, B, "升级"), ("乙", B, A, "降级"), ("丙", C, C, "持平"),
        ("丁", C, None, "新参评"), ("戊", D, None, None), ("己", HELD_TIER, B, None),
    ]
    assert group.entries[4].notes == ["上年评定结果为待定（另行处理），不作升降比较"]
    assert group.entries[0].previous_year == 2025


def test_step_promotion_limits_and_comes_before_quotas():
    # 甲 was 一般 → at most 良好; 乙 was 软弱涣散 → at most 一般; 丙 was 良好 → 优秀 is one step;
    # 丁 is new → not limited. 优秀 ≤ 67%: floor(2.68) = 2 places, taken by 丙 and 丁 only
    # because 甲 was limited first (otherwise 甲 丙 丁 would compete and 丁 move down).
    cards = [card("甲", 97), card("乙", 88), card("丙", 93), card("丁", 91)]
    previous = [PreviousResult(name="甲", township="城关镇", tier=C), PreviousResult(name="乙", township="城关镇", tier=D),
                PreviousResult(name="丙", township="城关镇", tier=B)]
    group = run(cards, {A: QuotaRule(max_share=Decimal("0.67"))}, previous=previous, step_promotion=True)
    assert [(e.name, e.tier, e.change, e.notes) for e in group.entries] == [
        ("甲", B, "升级", ["逐级晋升：上年为一般党支部，本年最高评为良好党支部"]),
        ("丙", A, "升级", []),
        ("丁", A, "新参评", []),
        ("乙", C, "升级", ["逐级晋升：上年为软弱涣散党支部，本年最高评为一般党支部"]),
    ]
    assert group.quotas[0].moved == 0


def test_step_promotion_needs_previous():
    with pytest.raises(UsageError) as exc:
        rank([card("甲", 95)], {"village": RUBRIC}, step_promotion=True)
    assert exc.value.message == "逐级晋升需要上年结果，请同时指定 --previous"


# -- duplicates, groups, serialization -----------------------------------------------------


def test_duplicates_are_listed_with_both_files():
    cards = [card("东村", 90, source="a.xlsx"), card("东 村", 80, source="b.xlsx"),
             card("东村", 70, township="白马乡", source="c.xlsx"),
             card("东村", 60, rubric=make_rubric("agency"), source="d.xlsx")]
    assert check_duplicates(cards) == [Problem("城关镇 东村", "同时出现在以下文件中：a.xlsx、b.xlsx、d.xlsx")]
    with pytest.raises(DuplicateOrganizationError) as exc:
        rank(cards, {"village": RUBRIC, "agency": make_rubric("agency")})
    assert exc.value.exit_code == 1
    assert str(exc.value) == (
        "同一组织（组织名称和所属乡镇相同）在本次评定中出现多次，请核对后只保留一份\n"
        "  城关镇 东村: 同时出现在以下文件中：a.xlsx、b.xlsx、d.xlsx"
    )


def test_one_group_per_rubric_and_missing_rubric():
    agency = make_rubric("agency")
    cards = [card("甲", 95), card("局", 70, rubric=agency), card("乙", 96)]
    ranking = rank(cards, {"village": RUBRIC, "agency": agency})
    assert [(g.rubric_id, [(e.rank, e.name) for e in g.entries]) for g in ranking.groups] == [
        ("agency", [(1, "局")]), ("village", [(1, "乙"), (2, "甲")]),
    ]
    with pytest.raises(UsageError) as exc:
        rank(cards, {"village": RUBRIC})
    assert exc.value.message == "缺少评定标准：agency，无法排名"


def test_json_is_deterministic_and_links_back_to_cards():
    cards = group_of(["92.5", 88, 88, 61])
    first = rank(cards, {"village": RUBRIC}).model_dump_json()
    second = rank(list(reversed(cards)), {"village": RUBRIC}).model_dump_json()
    assert first == second
    data = json.loads(first)
    entry = data["groups"][0]["entries"][0]
    assert (entry["total"], entry["rank"], entry["tier"]) == ("92.5", 1, A)
    assert "card" not in entry
    loaded = Ranking.model_validate_json(first).link(cards)
    assert next(loaded.entries()).card == cards[0]
    with pytest.raises(UsageError):
        Ranking.model_validate_json(first).link(cards[1:])


# -- quota settings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, tier, rule",
    [
        ("优秀党支部<=30%", A, QuotaRule(max_share=Decimal("0.3"))),
        ("软弱涣散党支部>=5%", D, QuotaRule(min_share=Decimal("0.05"))),
        (" 优秀党支部 <= 33.5 % ", A, QuotaRule(max_share=Decimal("0.335"))),
        ("优秀党支部＜＝３０％", A, QuotaRule(max_share=Decimal("0.3"))),
        ("优秀党支部≤20%", A, QuotaRule(max_share=Decimal("0.2"))),
        ("软弱涣散党支部≥100%", D, QuotaRule(min_share=Decimal("1"))),
    ],
)
def test_parse_quota(text, tier, rule):
    assert parse_quota(text) == (tier, rule)


EXAMPLE = "例如“优秀党支部<=30%”或“软弱涣散党支部>=5%”"


@pytest.mark.parametrize(
    "text, message",
    [
        ("优秀党支部=30%", f"名额比例“优秀党支部=30%”格式不对，应写成“等级<=百分比”（最多）或“等级>=百分比”（最少），{EXAMPLE}"),
        ("优秀党支部<30%", f"名额比例“优秀党支部<30%”格式不对，应写成“等级<=百分比”（最多）或“等级>=百分比”（最少），{EXAMPLE}"),
        ("<=30%", f"名额比例“<=30%”缺少等级名称，{EXAMPLE}"),
        ("优秀党支部<=30", "名额比例“优秀党支部<=30”中的“30”不是百分数，应写成带 % 的百分数，例如“30%”"),
        ("优秀党支部<=三成", "名额比例“优秀党支部<=三成”中的“三成”不是百分数，应写成带 % 的百分数，例如“30%”"),
        ("优秀党支部<=0%", "名额比例“优秀党支部<=0%”中的“0%”超出范围，应大于 0% 且不超过 100%"),
        ("优秀党支部<=120%", "名额比例“优秀党支部<=120%”中的“120%”超出范围，应大于 0% 且不超过 100%"),
    ],
)
def test_parse_quota_rejects(text, message):
    with pytest.raises(UsageError) as exc:
        parse_quota(text)
    assert exc.value.message == message
    assert exc.value.exit_code == 2


def test_parse_quotas_merges_per_tier_and_rejects_repeats():
    assert parse_quotas(["优秀党支部<=30%", "软弱涣散党支部>=5%", "良好党支部<=40%"]) == {
        A: QuotaRule(max_share=Decimal("0.3")), D: QuotaRule(min_share=Decimal("0.05")),
        B: QuotaRule(max_share=Decimal("0.4")),
    }
    with pytest.raises(UsageError) as exc:
        parse_quotas(["优秀党支部<=30%", "优秀党支部<=20%"])
    assert exc.value.message == "名额比例对“优秀党支部”重复设置了最多比例，请只写一次"


def test_run_quota_overrides_the_rubric_per_kind():
    # The rubric says 优秀 ≤30% and 软弱涣散 ≥20%; the run says 优秀 ≤10% → floor(1) = 1 place.
    rubric = make_rubric(quota={A: QuotaRule(max_share=Decimal("0.3")), D: QuotaRule(min_share=Decimal("0.2"))})
    group = rank(group_of(TEN), {"village": rubric}, quotas={A: QuotaRule(max_share=Decimal("0.1"))}).groups[0]
    assert [(q.tier, q.kind, q.share, q.origin, q.moved) for q in group.quotas] == [
        (A, "max", Decimal("0.1"), "run", 4), (D, "min", Decimal("0.2"), "rubric", 1),
    ]


@pytest.mark.parametrize(
    "quotas, message",
    [
        ({"特优": QuotaRule(max_share=Decimal("0.1"))}, "名额比例中的等级“特优”不存在（可用：优秀党支部、良好党支部、一般党支部、软弱涣散党支部）"),
        ({D: QuotaRule(max_share=Decimal("0.1"))}, "--quota 设置中的名额比例有误：“软弱涣散党支部”是最低等级，不能设最多比例（超出的组织没有更低的等级可调）"),
        ({C: QuotaRule(min_share=Decimal("0.1"))}, "--quota 设置中的名额比例有误：最少比例（倒排）只能用于最低等级“软弱涣散党支部”，不能用于“一般党支部”"),
    ],
)
def test_misplaced_quota(quotas, message):
    with pytest.raises(UsageError) as exc:
        rank(group_of(TEN), {"village": RUBRIC}, quotas=quotas)
    assert exc.value.message == message


# -- loading previous results ------------------------------------------------------------


def _card_json(name: str, tier: str, held: bool = False) -> dict:
    return json.loads(card(name, 90, held=held).model_copy(update={"tier": tier}).model_dump_json())


def test_load_previous_prefers_the_published_ranking(tmp_path):
    cards = group_of(TEN)
    ranking = rank(cards, {"village": RUBRIC}, quotas={A: QuotaRule(max_share=Decimal("0.3"))})
    path = tmp_path / "2025.json"
    path.write_text(json.dumps({
        "results": [json.loads(c.model_dump_json()) for c in cards],
        "failures": [], "ranking": json.loads(ranking.model_dump_json()),
    }, ensure_ascii=False), encoding="utf-8")
    loaded = load_previous(path)
    assert len(loaded) == 10
    # 组4 scored 优秀 (93) but the quota published it as 良好: the published tier counts.
    assert loaded[3] == PreviousResult(name="组4", township="城关镇", tier=B, year=2026, source="城关镇/组4.xlsx")


def test_load_previous_from_results_only(tmp_path):
    path = tmp_path / "2025.json"
    path.write_text(json.dumps({"results": [_card_json("甲", A), _card_json("乙", B, held=True)]}), encoding="utf-8")
    assert [(p.name, p.tier) for p in load_previous(path)] == [("甲", A), ("乙", None)]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("上年.csv", None, "上年结果文件“上年.csv”的格式不受支持（支持：.json、.xlsm、.xlsx）"),
        ("无.json", None, "找不到上年结果文件：{path}"),
        ("坏.json", "{\n  oops", "上年结果文件不是有效的 JSON：{path}（第 2 行）"),
        ("列表.json", "[]", "上年结果文件格式不对：{path} 应为 chuangyou rank --format json 保存的结果（含 results 列表）"),
    ],
)
def test_load_previous_rejects(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        load_previous(path)
    assert exc.value.message == message.format(path=path)
