"""The items that cost each township the most points (乡镇问题分析).

Per rubric group and township: for each item that cost points there, the points lost in
all, per organization the item applies to, and the share of those organizations that lost
points on it. Costliest first (then most organizations hit, then rubric order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict

from chuangyou.ranking.model import RankedEntry, Ranking
from chuangyou.scorecard import Score, ScoreCard
from chuangyou.statistics.compute import CENT, SHARE, text_key
from chuangyou.statistics.model import Statistics

TOP = 5  # items shown per township


class Weakness(BaseModel):
    model_config = ConfigDict(extra="forbid")

    group: str
    county: str | None
    township: str
    place: int  # 1 = costliest in this township (competition places: 1, 2, 2, 4)
    category: str
    item: str
    points: Score
    applies: int  # organizations of the township the item applies to
    hit: int  # of them, those that lost points on it
    lost: Score
    per_organization: Score  # lost / applies, 2 decimals
    share: Score  # hit / applies, 4 decimals


@dataclass
class _Item:
    category: str
    name: str
    points: Decimal
    order: int
    applies: int = 0
    hit: int = 0
    lost: Decimal = Decimal(0)


def township_weaknesses(
    ranking: Ranking,
    stats: Statistics,
    cards: Callable[[RankedEntry], ScoreCard | None],
    top: int = TOP,
) -> list[Weakness]:
    """Up to ``top`` items per township of each group, townships in the order of ``stats``."""
    found: list[Weakness] = []
    for group in ranking.groups:
        items: dict[tuple[str, str], dict[str, _Item]] = {}
        for entry in group.entries:
            card = cards(entry)
            own = items.setdefault((text_key(entry.county), text_key(entry.township)), {})
            for item in card.items if card else ():
                stat = own.get(item.id)
                if stat is None:  # built once per item and township, not for every card
                    stat = own[item.id] = _Item(item.category, item.name, item.points, len(own))
                stat.applies += 1
                lost = item.points - item.score
                if lost > 0:
                    stat.hit += 1
                    stat.lost += lost
        for row in stats.townships:
            if row.group != group.rubric_id:
                continue
            own = items.get((text_key(row.county), text_key(row.township)), {})
            found += _top(group.rubric_id, row.county, row.township or "", list(own.values()), top)
    return found


def _top(group: str, county: str | None, township: str, items: list[_Item], top: int) -> list[Weakness]:
    costly = sorted((i for i in items if i.lost > 0), key=lambda i: (-i.lost, -i.hit, i.order))
    shown: list[Weakness] = []
    for n, item in enumerate(costly[:top], 1):
        place = shown[-1].place if shown and costly[n - 2].lost == item.lost else n
        shown.append(Weakness(
            group=group, county=county, township=township, place=place, category=item.category,
            item=item.name, points=item.points, applies=item.applies, hit=item.hit, lost=item.lost,
            per_organization=(item.lost / item.applies).quantize(CENT, ROUND_HALF_UP),
            share=(Decimal(item.hit) / item.applies).quantize(SHARE, ROUND_HALF_UP),
        ))
    return shown
