"""A generated county of two townships on the test rubric (evidence_helpers.MINI_RUBRIC).

Totals by hand (the rubric is out of 10; tiers 优秀 ≥ 9, 良好 ≥ 8, 一般 ≥ 6): a full
workbook scores 10; 乡村振兴酌情得分 3 → 9, 2 → 8, 0 → 6; 组织设置规范 否 → 设置合理 0 → 7;
学时 10, 记录不规范 and no 额外活动 → 学习教育 3 − 1 − 1 = 1 → 8 (a full workbook's +1 award
for 额外活动 only refills a full item); 书记出缺 5 个月 → capped to 软弱涣散 at 10 points.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence_helpers import MINI_RUBRIC, mini_rubric, write_workbook

# township → [(name, changed 自评值)]; None: a workbook that cannot be scored
COUNTY: dict[str, list[tuple[str, dict[str, Any] | None]]] = {
    "城关镇": [
        ("东村党支部", {}),  # 10 优秀
        ("西村党支部", {"village_score": 3}),  # 9 优秀
        ("南村党支部", {"village_score": 2}),  # 8 良好
        ("北村党支部", {"village_score": 0}),  # 6 一般
        ("中村党支部", {"vacant_months": 5}),  # 10, capped: 软弱涣散
        ("坏村党支部", None),  # 人均学习时长 “很多”: 未能评分
    ],
    "白马乡": [
        ("上村党支部", {}),  # 10 优秀
        ("下村党支部", {"hours": 10, "level": "不规范", "extra": 0}),  # 8 良好
        ("左村党支部", {"setup_ok": "否"}),  # 7 一般
        ("右村党支部", {"village_score": 2}),  # 8 良好
    ],
}


def write_rubric(folder: Path) -> Path:
    path = folder / "mini.yaml"
    path.write_text(MINI_RUBRIC, encoding="utf-8")
    return path


def write_county(folder: Path, county: dict[str, list[tuple[str, dict[str, Any] | None]]] = COUNTY) -> Path:
    """One folder per township, one workbook per organization."""
    from evidence_helpers import full_values

    rubric = mini_rubric()
    for township, organizations in county.items():
        (folder / township).mkdir(parents=True, exist_ok=True)
        for name, changes in organizations:
            values = {**full_values(rubric, "village"), **(changes if changes is not None else {"hours": "很多"})}
            write_workbook(folder / township / f"{name}.xlsx", rubric, self_values=values,
                           info={"组织名称": name, "所属乡镇（街道）": township})
    return folder
