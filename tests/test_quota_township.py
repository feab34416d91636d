"""``--quota-by township``: every quota applied inside each township on its own.

Worked by hand from the rules in chuangyou/ranking/quota.py (max: floor(share × the
township's ranked organizations), the lowest-ranked overflow moves down, a tie at the cut
moves as a whole; min: ceil(share × base), the lowest move into the bottom tier). Tiers
of the test rubric: 优秀 ≥ 90, 良好 ≥ 80, 一般 ≥ 60.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from chuangyou.ranking import rank
from chuangyou.rubric.model import QuotaRule
from county_helpers import write_county, write_rubric
from test_statistics import RUBRIC, card, run_cli

A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
TOWN, VILLAGE = "城关镇", "白马乡"


def tiers_of(ranking) -> dict[str, tuple[str, int | None, int | None, list[str]]]:  # type: ignore[no-untyped-def]
    return {e.name: (e.tier, e.rank, e.rank_in_township, e.notes) for e in ranking.entries()}


def run(cards, quota: dict[str, QuotaRule], quota_by: str = "township"):  # type: ignore[no-untyped-def]
    return rank(cards, {"village": RUBRIC}, quotas=quota, quota_by=quota_by)  # type: ignore[arg-type]


# 城关镇 98 96 95 93 91 (all 优秀), 白马乡 97 92 88 85 70.
CARDS = [card(f"城{n}", TOWN, t) for n, t in enumerate([98, 96, 95, 93, 91], 1)] + \
        [card(f"白{n}", VILLAGE, t) for n, t in enumerate([97, 92, 88, 85, 70], 1)]
MAX40 = {A: QuotaRule(max_share=Decimal("0.4"))}


def test_each_township_top_tier_is_capped_separately() -> None:
    got = tiers_of(run(CARDS, MAX40))
    # 城关镇: floor(0.4 × 5) = 2 优秀 → 95, 93 and 91 move down. 白马乡: 2 优秀 (97, 92), 2 allowed: none moves.
    head = "城关镇优秀党支部名额上限40%（共5个组织，最多2个），按排名调整为良好党支部"
    assert {n: g[0] for n, g in got.items()} == {
        "城1": A, "城2": A, "城3": B, "城4": B, "城5": B, "白1": A, "白2": A, "白3": B, "白4": B, "白5": C}
    assert {n: g[3] for n, g in got.items() if g[3]} == {"城3": [head], "城4": [head], "城5": [head]}
    # The same quota over the whole group: floor(0.4 × 10) = 4 of the 7 优秀 — 白2 (92) would move too.
    whole = tiers_of(run(CARDS, MAX40, quota_by="group"))
    assert [n for n, g in whole.items() if g[0] == A] == ["城1", "白1", "城2", "城3"]


def test_ranks_within_the_township() -> None:
    got = tiers_of(run(CARDS, MAX40))
    assert {n: g[1:3] for n, g in got.items()} == {
        "城1": (1, 1), "白1": (2, 1), "城2": (3, 2), "城3": (4, 3), "城4": (5, 4), "白2": (6, 2), "城5": (7, 5),
        "白3": (8, 3), "白4": (9, 4), "白5": (10, 5)}


def test_a_tie_at_a_township_cut_moves_as_a_whole() -> None:
    cards = [card("城甲", TOWN, 98), card("城乙", TOWN, 95), card("城丙", TOWN, 95), card("城丁", TOWN, 80),
             card("白甲", VILLAGE, 99), card("白乙", VILLAGE, 97)]
    ranking = run(cards, {A: QuotaRule(max_share=Decimal("0.5"))})
    got = tiers_of(ranking)
    # 城关镇: floor(0.5 × 4) = 2 allowed; 98 fits, the tie 95 / 95 (2nd in the township, 4th in the
    # group) does not fit as a whole → both move. 白马乡: floor(0.5 × 2) = 1 → 97 moves.
    tie = "城关镇优秀党支部名额上限50%（共4个组织，最多2个），并列第2名的2个组织不能全部列入，按名额比例整体调整为良好党支部"
    assert got["城乙"] == (B, 4, 2, [tie]) and got["城丙"] == (B, 4, 2, [tie])
    assert got["城甲"][0] == A and got["白甲"][0] == A
    assert got["白乙"] == (B, 3, 2, ["白马乡优秀党支部名额上限50%（共2个组织，最多1个），按排名调整为良好党支部"])
    outcomes = [(q.township, q.tier, q.base, q.limit, q.before, q.moved) for q in ranking.groups[0].quotas]
    assert outcomes == [(VILLAGE, A, 2, 1, 2, 1), (TOWN, A, 4, 2, 3, 2)]  # townships as met in rank order
    # The tie leaves one of 城关镇's two places unused; the note names the township and its rank.
    assert [(q.unused, q.note) for q in ranking.groups[0].quotas] == [
        (0, ""), (1, "城关镇优秀党支部名额2个：第2名2个组织并列，不能全部列入，实际评定1个，空出的1个名额由研究决定")]


def test_each_township_fills_its_own_bottom_tier() -> None:
    ranking = run(CARDS, {D: QuotaRule(min_share=Decimal("0.1"))})
    got = tiers_of(ranking)
    # ceil(0.1 × 5) = 1 per township: the lowest of each moves in, whatever the other township holds.
    assert got["城5"] == (D, 7, 5, ["城关镇软弱涣散党支部按不少于10%倒排（共5个组织，至少1个），按排名由优秀党支部调整为软弱涣散党支部"])
    assert got["白5"] == (D, 10, 5, ["白马乡软弱涣散党支部按不少于10%倒排（共5个组织，至少1个），按排名由一般党支部调整为软弱涣散党支部"])
    assert sum(1 for g in got.values() if g[0] == D) == 2


def test_cli_quota_by_township_json_and_tier_list(tmp_path: Path) -> None:
    write_county(tmp_path / "甲县")
    rubric = write_rubric(tmp_path)
    book = tmp_path / "等级名单.xlsx"
    code, out, _ = run_cli("rank", str(tmp_path / "甲县"), "--rubric", str(rubric), "--quota", "优秀党支部<=20%",
                           "--quota-by", "township", "--format", "json", "-o", str(book))
    assert code == 1  # 坏村
    data = json.loads(out)
    assert data["ranking"]["quota_by"] == "township"
    entries = {e["name"]: e for g in data["ranking"]["groups"] for e in g["entries"]}
    # 城关镇 5 ranked: floor(1) = 1 优秀 — 东村 (10) stays, 西村 (9) moves; 白马乡 4: floor(0.8) = 0 → 上村 moves.
    assert [(n, entries[n]["tier"], entries[n]["rank_in_township"]) for n in ("东村党支部", "西村党支部", "上村党支部")] == [
        ("东村党支部", A, 1), ("西村党支部", B, 3), ("上村党支部", B, 1)]
    assert entries["上村党支部"]["notes"] == ["白马乡优秀党支部名额上限20%（共4个组织，最多0个），按排名调整为良好党支部"]
    ws = openpyxl.load_workbook(book)["评定结果"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "序号")
    listed = {r[header.index("组织名称")]: r[header.index("乡镇内排名")] for r in rows[rows.index(header) + 1:]}
    assert (listed["西村党支部"], listed["上村党支部"]) == (3, 1)
    summary = [r[0] for r in rows[: rows.index(header)]]
    assert "    名额比例：优秀党支部不超过20%（各乡镇分别计算，合计最多 1 个，调整 2 个）" in summary


def test_cli_rejects_an_unknown_scope(tmp_path: Path) -> None:
    code, _, err = run_cli("rank", str(tmp_path), "--quota-by", "county")
    assert code == 2
    assert err == "用法错误：选项“--quota-by”的值无效：“county”不在可选范围内，可选：group、township。\n" \
                  "运行“chuangyou rank --help”查看用法。\n"
