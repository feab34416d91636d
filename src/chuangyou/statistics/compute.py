"""Count tiers per township, county, 组织类别 or 组织形式 from a :class:`Ranking`.

Townships come in roster order when one is given (``township_order``), the others after
them by name in GB18030 order (which is pinyin order for common characters: 白马乡 before
城关镇); counties in the order they are first met (the order of the merged files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath, PureWindowsPath

from chuangyou.batch import Failure
from chuangyou.ranking.model import HELD_TIER, RankedEntry, Ranking, RankingGroup
from chuangyou.statistics.model import (
    Breakdown,
    BreakdownRow,
    FailedFile,
    Listed,
    Overall,
    Row,
    Statistics,
)
from chuangyou.values import normalize_text

SHARE = Decimal("0.0001")
CENT = Decimal("0.01")
Place = tuple[str, str]  # (county key, township key)


def text_key(text: str | None) -> str:
    """The same township or county however it was typed (full-width folded, no spaces)."""
    return normalize_text(text or "").replace(" ", "")


def name_order(text: str) -> bytes:
    return text.encode("gb18030", errors="replace")


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    ranked: int = 0
    held: int = 0
    failed: int = 0
    missing: int = 0
    totals: list[Decimal] = field(default_factory=list)

    def add(self, entry: RankedEntry) -> None:
        self.totals.append(entry.total)
        if entry.held or entry.tier == HELD_TIER:
            self.held += 1
        else:
            self.ranked += 1
            self.counts[entry.tier] = self.counts.get(entry.tier, 0) + 1

    def figures(self, tiers: Sequence[str], with_failed: bool = True) -> dict:
        counts = {tier: self.counts.get(tier, 0) for tier in tiers}
        shares = {tier: (Decimal(n) / self.ranked).quantize(SHARE, ROUND_HALF_UP) if self.ranked else Decimal(0)
                  for tier, n in counts.items()}
        average = (sum(self.totals, Decimal(0)) / len(self.totals)).quantize(CENT, ROUND_HALF_UP) \
            if self.totals else None
        return {"counts": counts, "shares": shares, "ranked": self.ranked, "held": self.held,
                "failed": self.failed if with_failed else None, "missing": self.missing,
                "average": average, "lowest": min(self.totals) if self.totals else None}


def union_tiers(ranking: Ranking) -> list[str]:
    tiers: list[str] = []
    for group in ranking.groups:
        tiers += [t for t in group.tiers if t not in tiers]
    return tiers


class _Places:
    """Display names and order of counties and townships (first spelling met is shown)."""

    def __init__(self, township_order: Sequence[str] | None, county_order: Sequence[str] | None) -> None:
        self.names: dict[Place, tuple[str, str]] = {}
        self.roster = {text_key(t): n for n, t in enumerate(township_order or ())}
        self.counties: dict[str, int] = {text_key(c): n for n, c in enumerate(county_order or ())}

    def add(self, county: str | None, township: str | None) -> Place:
        place = (text_key(county), text_key(township))
        self.names.setdefault(place, (county or "", township or ""))
        self.counties.setdefault(place[0], len(self.counties))
        return place

    def order(self, place: Place) -> tuple:
        township = self.names[place][1]
        listed = self.roster.get(place[1])
        # Roster order, then by name; organizations without a township last.
        return (self.counties[place[0]], listed is None, listed or 0, not township, name_order(township))

    def county_name(self, key: str) -> str:
        return next(c for (k, _), (c, _) in self.names.items() if k == key)


def locate_failures(ranking: Ranking, failures: Iterable[Failure], county: str | None = None) -> list[FailedFile]:
    """Each failed file in the township one of its folders names (城关镇/村/北岗村.xlsx → 城关镇),
    if that township is among the ranked ones; else in no township."""
    known = {text_key(e.township): e.township for e in ranking.entries() if e.township}
    located = []
    for failure in failures:
        parts = PureWindowsPath(failure.source).parts if "\\" in failure.source else PurePath(failure.source).parts
        found = next((known[text_key(p)] for p in reversed(parts[:-1]) if text_key(p) in known), None)
        located.append(FailedFile(source=failure.source, county=county or ranking.county, township=found))
    return located


def missing_groups(ranking: Ranking, missing: Iterable[Listed]) -> list[str | None]:
    """The rubric group of each missing organization: its roster rubric, else the one group
    whose organizations carry its 组织类别 label; None when that does not decide it."""
    ids = {g.rubric_id for g in ranking.groups}
    labels: dict[str, set[str]] = {}
    for group in ranking.groups:
        for entry in group.entries:
            labels.setdefault(entry.subtype_label, set()).add(group.rubric_id)
    found: list[str | None] = []
    for org in missing:
        rubric_id = getattr(org, "rubric_id", None)  # a RosterEntry knows it
        if rubric_id in ids:
            found.append(rubric_id)
            continue
        candidates = labels.get(org.subtype_label, set())
        found.append(next(iter(candidates)) if len(candidates) == 1 else None)
    return found


def compute_statistics(
    ranking: Ranking,
    failed: Sequence[FailedFile] = (),
    missing: Sequence[Listed] = (),
    *,
    township_order: Sequence[str] | None = None,
    county_order: Sequence[str] | None = None,
    missing_county: str | None = None,
) -> Statistics:
    """Tier counts per township of every group and of all groups together.

    ``failed``: see :func:`locate_failures`; ``missing``: roster organizations without a
    workbook (counted in their group when :func:`missing_groups` can tell it, always
    overall); ``township_order``: the roster's order of townships.
    """
    places = _Places(township_order, county_order)
    tiers = union_tiers(ranking)
    per_group: dict[str | None, dict[Place, _Tally]] = {g.rubric_id: {} for g in ranking.groups}
    per_group[None] = {}

    def tally(group: str | None, place: Place) -> _Tally:
        return per_group[group].setdefault(place, _Tally())

    for group in ranking.groups:
        for entry in group.entries:
            place = places.add(entry.county, entry.township)
            tally(group.rubric_id, place).add(entry)
            tally(None, place).add(entry)
    for file in failed:
        tally(None, places.add(file.county, file.township)).failed += 1
    county = missing_county if missing_county is not None else ranking.county
    for org, group_id in zip(missing, missing_groups(ranking, missing), strict=True):
        place = places.add(getattr(org, "county", None) or county, org.township)
        tally(None, place).missing += 1
        if group_id is not None:
            tally(group_id, place).missing += 1
    by_county = len({county for county, _ in places.names}) > 1
    stats = Statistics(levels=["county", "township"] if by_county else ["township"], tiers=tiers)
    for group in ranking.groups:
        rows, counties, total = _rows(per_group[group.rubric_id], places, group, by_county)
        stats.townships += rows
        stats.counties += counties
        stats.groups.append(total)
    rows, counties, total = _rows(per_group[None], places, None, by_county, tiers)
    stats.overall = Overall(townships=rows, counties=counties, total=total)
    return stats


def _rows(tallies: Mapping[Place, _Tally], places: _Places, group: RankingGroup | None, by_county: bool,
          tiers: Sequence[str] = ()) -> tuple[list[Row], list[Row], Row]:
    head: dict = {"group": None}
    if group is not None:
        head = {"group": group.rubric_id, "group_name": group.rubric_name}
        tiers = group.tiers
    with_failed = group is None
    rows = []
    for place in sorted(tallies, key=places.order):
        county, township = places.names[place]
        rows.append(Row(county=county or None, township=township, **head,
                        **tallies[place].figures(tiers, with_failed)))
    counties = []
    if by_county:
        for key in dict.fromkeys(county for county, _ in sorted(tallies, key=places.order)):
            merged = _merge(t for p, t in tallies.items() if p[0] == key)
            counties.append(Row(county=places.county_name(key) or None, **head,
                                **merged.figures(tiers, with_failed)))
    total = Row(**head, **_merge(tallies.values()).figures(tiers, with_failed))
    return rows, counties, total


def _merge(tallies: Iterable[_Tally]) -> _Tally:
    whole = _Tally()
    for t in tallies:
        for tier, n in t.counts.items():
            whole.counts[tier] = whole.counts.get(tier, 0) + n
        whole.ranked += t.ranked
        whole.held += t.held
        whole.failed += t.failed
        whole.missing += t.missing
        whole.totals += t.totals
    return whole


def compute_breakdown(ranking: Ranking, by: str, missing: Sequence[Listed] = ()) -> Breakdown:
    """Tier counts per 组织类别 (``subtype``) or 组织形式 (``form``), per group and overall."""
    key: Callable[[RankedEntry | Listed], str]
    if by == "subtype":
        key = lambda o: o.subtype_label or getattr(o, "subtype", "")  # noqa: E731
    elif by == "form":
        key = lambda o: o.form  # noqa: E731
    else:
        raise ValueError(by)
    tiers = union_tiers(ranking)
    result = Breakdown(by=by, tiers=tiers)  # type: ignore[arg-type]
    whole: dict[str, _Tally] = {}
    groups = missing_groups(ranking, missing)
    for group in ranking.groups:
        own: dict[str, _Tally] = {}
        for entry in group.entries:
            own.setdefault(key(entry), _Tally()).add(entry)
            whole.setdefault(key(entry), _Tally()).add(entry)
        for org, group_id in zip(missing, groups, strict=True):
            if group_id == group.rubric_id:
                own.setdefault(key(org), _Tally()).missing += 1
        result.rows += [BreakdownRow(value=v, group=group.rubric_id, group_name=group.rubric_name,
                                     **_no_failed(own[v].figures(group.tiers))) for v in sorted(own, key=name_order)]
    for org in missing:
        whole.setdefault(key(org), _Tally()).missing += 1
    result.rows += [BreakdownRow(value=v, **_no_failed(whole[v].figures(tiers))) for v in sorted(whole, key=name_order)]
    return result


def _no_failed(figures: dict) -> dict:
    figures.pop("failed")
    return figures
