"""Rank scored organizations: one group per rubric, tiers, quotas, year over year.

Order of decisions for each ranked organization (each one can only lower the tier):
score thresholds → veto caps (already in the ScoreCard) → 逐级晋升 limit → max quotas
(top-down, cascading) → the bottom tier's min quota (倒排). The promotion limit comes
before the quotas because it is a personal ceiling like a veto: quota places then go
only to organizations that may actually take them.

Held organizations (a ``flag`` veto, 另行处理) get no rank and no tier (待定), are listed
after the ranked ones in score order, and count in no quota base: published ranks stay
1..n without gaps and agree with the figures in the quota notes. Their note tells the
position their score would take, for whoever decides the case.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from chuangyou.errors import ChuangyouError, Problem, UsageError
from chuangyou.ranking.model import (
    HELD_TIER,
    PreviousResult,
    QuotaOutcome,
    QuotaScope,
    RankedEntry,
    Ranking,
    RankingGroup,
)
from chuangyou.ranking.previous import (
    History,
    OrgKey,
    compare,
    index_previous,
    limit_promotion,
    org_key,
)
from chuangyou.ranking.quota import Quota, Slot, apply_quota, check_run_quotas, group_quotas
from chuangyou.rubric.model import QuotaRule, Rubric
from chuangyou.scorecard import ScoreCard


class DuplicateOrganizationError(ChuangyouError):
    """The same organization (name and township) scored twice in one run."""

    exit_code = 1


def same_organization(cards: Iterable[ScoreCard]) -> list[list[ScoreCard]]:
    """The cards of each organization (name and township) that appears more than once."""
    sources: dict[OrgKey, list[ScoreCard]] = {}
    for card in cards:
        sources.setdefault(org_key(card.organization.name, card.organization.township), []).append(card)
    return [same for same in sources.values() if len(same) > 1]


#: A duplicate's message names this many of the other files, then how many there are: a
#: folder with 600 copies of one workbook must not print 600 messages of 600 names each.
NAMED_DUPLICATES = 5


def without_duplicates(cards: list[ScoreCard], failures: list[Any]) -> tuple[list[ScoreCard], list[Any]]:
    """The same organization in two files is an error for each file (a batch.Failure, with
    the failures so far, by file); the rest are ranked."""
    from chuangyou.batch import Failure

    twice = {id(card): same for same in same_organization(cards) for card in same}
    kept, failed = [], list(failures)
    for card in cards:
        same = twice.get(id(card))
        if same is None:
            kept.append(card)
            continue
        others = [c.source for c in same if c is not card]
        named = "、".join(others[:NAMED_DUPLICATES])
        if len(others) > NAMED_DUPLICATES:
            named += f" 等 {len(others)} 个文件"
        org = card.organization
        failed.append(Failure(source=card.source, reason=f"同一组织“{org.name}”（{org.township or '未填乡镇'}）"
                                                         f"还出现在：{named}，请核对后只保留一份"))
    return kept, sorted(failed, key=lambda f: f.source)


def check_duplicates(cards: Iterable[ScoreCard]) -> list[Problem]:
    """One problem per organization that appears in more than one file."""
    problems = []
    for same in same_organization(cards):
        org = same[0].organization
        files = "、".join(card.source for card in same)
        problems.append(Problem(f"{org.township} {org.name}".strip(), f"同时出现在以下文件中：{files}"))
    return problems


def rank(
    cards: Iterable[ScoreCard],
    rubrics: Mapping[str, Rubric],
    quotas: Mapping[str, QuotaRule] | None = None,
    previous: Sequence[PreviousResult] | None = None,
    step_promotion: bool = False,
    quota_by: QuotaScope = "group",
    county: str | None = None,
) -> Ranking:
    """Rank every card in its rubric's group; ``quotas`` override the rubrics' own.

    ``quota_by="township"`` applies every quota inside each township separately;
    ``county`` (rank --county) is recorded on the ranking and on every entry.
    """
    cards = list(cards)
    problems = check_duplicates(cards)
    if problems:
        raise DuplicateOrganizationError("同一组织（组织名称和所属乡镇相同）在本次评定中出现多次，请核对后只保留一份", problems)
    if step_promotion and previous is None:
        raise UsageError("逐级晋升需要上年结果，请同时指定 --previous")
    run_quotas = dict(quotas or {})
    check_run_quotas(run_quotas, rubrics.values())
    history = index_previous(previous) if previous is not None else None
    by_rubric: dict[str, list[ScoreCard]] = {}
    for card in cards:
        by_rubric.setdefault(card.rubric.id, []).append(card)
    missing = sorted(set(by_rubric) - set(rubrics))
    if missing:
        raise UsageError(f"缺少评定标准：{'、'.join(missing)}，无法排名")
    groups = [
        _rank_group(rubrics[rid], by_rubric[rid], run_quotas, history, step_promotion, quota_by)
        for rid in sorted(by_rubric)
    ]
    county = county.strip() if county and county.strip() else None
    for group in groups:
        for entry in group.entries:
            entry.county = county
    return Ranking(groups=groups, step_promotion=step_promotion, with_previous=history is not None,
                   quota_by=quota_by, county=county)


def _order(card: ScoreCard) -> tuple:
    # Score first; a tie is shown by township, then name, then file: deterministic.
    org = card.organization
    return (-card.total, org.township, org.name, card.source)


def _rank_group(
    rubric: Rubric,
    cards: list[ScoreCard],
    run_quotas: Mapping[str, QuotaRule],
    history: History | None,
    step_promotion: bool,
    quota_by: QuotaScope,
) -> RankingGroup:
    names = [t.name for t in rubric.tiers]
    _check_tiers(rubric, cards, names)
    ranked = _ranked_slots([c for c in cards if not c.held], names)
    townships = _by_township(ranked)
    held = [Slot(card, None, 0) for card in sorted((c for c in cards if c.held), key=_order)]
    for slot in ranked + held:
        if history is not None:
            org = slot.card.organization
            slot.previous = history.find(org.name, org.township, org.code)
    for slot in ranked:
        _note_veto(slot)
        if step_promotion:
            limit_promotion(slot, names)
    outcomes = _apply_quotas(group_quotas(rubric, run_quotas), ranked, townships, names, quota_by)
    descending = sorted(-s.total for s in ranked)  # for a held card's would-be rank
    for slot in held:
        _note_held(slot, descending)
    entries = [_entry(s, names, history is not None) for s in ranked + held]
    counts = {name: sum(1 for e in entries if e.tier == name) for name in [*names, HELD_TIER]}
    return RankingGroup(
        rubric_id=rubric.id, rubric_name=rubric.name, rubric_version=rubric.version, tiers=names,
        size=len(ranked), held=len(held), counts=counts, quotas=outcomes,
        warnings=_version_warnings(rubric, cards), entries=entries,
    )


def township_key(township: str) -> str:
    """The same township however its name was typed (full-width folded, no spaces)."""
    return org_key("", township)[0]


def _by_township(ranked: list[Slot]) -> dict[str, list[Slot]]:
    """Each township's ranked organizations in rank order, with their rank within it."""
    townships: dict[str, list[Slot]] = {}
    for slot in ranked:
        townships.setdefault(township_key(slot.card.organization.township), []).append(slot)
    for slots in townships.values():
        for position, slot in enumerate(slots, 1):
            tied = position > 1 and slots[position - 2].total == slot.total
            slot.township_rank = slots[position - 2].township_rank if tied else position
    return townships


def _apply_quotas(quotas: list[Quota], ranked: list[Slot], townships: dict[str, list[Slot]], names: list[str],
                  quota_by: QuotaScope) -> list[QuotaOutcome]:
    if quota_by == "group":
        return [apply_quota(quota, ranked, names) for quota in quotas]
    # Every quota in turn over all townships, so that the max quotas still cascade top-down
    # inside each township before its 倒排.
    return [
        apply_quota(quota, slots, names, slots[0].card.organization.township or "未填乡镇的组织")
        for quota in quotas
        for slots in townships.values()
    ]


def _check_tiers(rubric: Rubric, cards: list[ScoreCard], names: list[str]) -> None:
    unknown = [c for c in cards if (c.tier not in names and not c.held) or c.threshold_tier not in names]
    if unknown:
        raise UsageError(
            f"评分结果中的等级不属于《{rubric.name}》（可用：{'、'.join(names)}）",
            [Problem(c.source, f"等级“{c.tier}”") for c in unknown],
        )


def _ranked_slots(cards: list[ScoreCard], names: list[str]) -> list[Slot]:
    """Competition ranks: equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    slots: list[Slot] = []
    for position, card in enumerate(sorted(cards, key=_order), 1):
        tied = slots and slots[-1].total == card.total
        slots.append(Slot(card, slots[-1].rank if tied else position, names.index(card.tier)))
    return slots


def _note_veto(slot: Slot) -> None:
    card = slot.card
    if card.tier != card.threshold_tier:
        reasons = "；".join(v.reason for v in card.vetoes if v.cap is not None)
        slot.notes.append(f"否决条件：{reasons}，等级由{card.threshold_tier}调整为{card.tier}")


def _note_held(slot: Slot, descending: list[Decimal]) -> None:
    reasons = "；".join(f.reason for f in slot.card.flags if f.kind == "另行处理")
    position = 1 + bisect_left(descending, -slot.total)  # the ranked ones with a higher total
    slot.notes.append(f"存在需另行处理的情形（{reasons}），暂不定级，不参与排名和名额计算；按得分可列第{position}名")


_ENTRY_FIELDS = set(RankedEntry.model_fields)  # every field: assigning one later adds nothing to it


def _entry(slot: Slot, names: list[str], with_previous: bool) -> RankedEntry:
    card, org = slot.card, slot.card.organization
    held = card.held
    change = None
    if with_previous and not held:
        change = compare(slot, names)
    previous = slot.previous
    # Built from a validated card without validating again, all entries sharing one set of
    # field names (pydantic keeps one per instance: ~1.5 KB each, 15 MB at 10,000).
    return RankedEntry.model_construct(
        _fields_set=_ENTRY_FIELDS, rank=slot.rank, name=org.name, township=org.township, subtype=org.subtype,
        subtype_label=org.subtype_label, form=org.form, year=org.year, source=card.source, code=org.code,
        total=card.total, self_total=card.self_total, threshold_tier=card.threshold_tier,
        capped_tier=card.tier, tier=HELD_TIER if held else names[slot.tier], held=held,
        notes=slot.notes, previous_tier=previous.tier if previous else None,
        previous_year=previous.year if previous else None, change=change,
        rank_in_township=slot.township_rank, card=card,
    )


def _version_warnings(rubric: Rubric, cards: list[ScoreCard]) -> list[str]:
    versions = sorted({c.rubric.version for c in cards})
    if versions == [rubric.version]:
        return []
    return [f"本组结果使用了不同版本的评定标准（{'、'.join(versions)}），等级和名额按 {rubric.version} 版计算"]
