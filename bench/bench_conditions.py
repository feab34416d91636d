"""Cost of evaluating typical rubric conditions (issue 2 target: < 5 µs each).

Run: python bench/bench_conditions.py   (standard library + chuangyou only; nothing is asserted)
"""

from __future__ import annotations

import timeit
from decimal import Decimal
from typing import Any

from chuangyou.conditions import compile_expression
from chuangyou.rubric import resolve
from chuangyou.rubric.checks import RubricChecker

# (rubric, expression, kind) — rules of the bundled rubrics, plus count_true which the language offers.
CASES = [
    ("village", "not setup_surveyed", "bool"),
    ("village", 'form == "党支部" and party_members >= 7 and not branch_committee_set', "bool"),
    ("agency", "2 * members_under_hours", "num"),
    ("village", 'report_rating in ["一般", "差"]', "bool"),
    ("village", "satisfaction >= 80 and satisfaction < 90", "bool"),
    ("village", 'subtype == "village" and no_candidate_years >= 2', "bool"),
    ("village", "count_true(setup_ok, setup_surveyed, fallback_managed)", "num"),
]

ENV: dict[str, Any] = {
    "subtype": "village", "form": "党支部",
    "setup_ok": True, "setup_surveyed": False, "fallback_managed": True, "branch_committee_set": True,
    "party_members": Decimal(32), "members_under_hours": Decimal(2), "report_rating": "较好",
    "satisfaction": Decimal("86.5"), "no_candidate_years": Decimal(0),
}


def main() -> None:
    names = {rid: RubricChecker(resolve(rid)).names() for rid in {case[0] for case in CASES}}
    number, repeat = 100_000, 5
    print(f"每个条件求值耗时（{number} 次 × {repeat} 轮，取最快一轮；目标 < 5 µs）")
    worst = 0.0
    for rubric_id, source, kind in CASES:
        expr = compile_expression(source, names[rubric_id], kind)  # type: ignore[arg-type]
        result = expr(ENV)
        best = min(timeit.repeat(lambda e=expr: e(ENV), number=number, repeat=repeat)) / number * 1e6
        worst = max(worst, best)
        print(f"{best:6.2f} µs  {source}  → {result}")
    print(f"最慢 {worst:.2f} µs：{'达标' if worst < 5 else '未达标'}")


if __name__ == "__main__":
    main()
