"""Share quotas (名额比例): the ``--quota`` syntax and how a quota moves organizations.

Syntax: ``等级<=百分比`` caps a tier (最多, e.g. ``优秀党支部<=30%``) and ``等级>=百分比``
fills the bottom tier (最少, 倒排, e.g. ``软弱涣散党支部>=5%``). A run's quota replaces the
rubric's figure of the same kind for the same tier; the other kind is kept.

Rules (the share is always taken of the group's ranked organizations, held ones excluded):

- max: allowed = floor(share × base). If the tier holds more, the lowest-ranked overflow
  moves one tier down. A tie at the cut is never split: if the whole tie does not fit,
  the whole tie moves down. Max quotas run from the top tier down, so an organization
  pushed into a tier that is itself over its quota can move again (cascade).
- min: only on the bottom tier. required = ceil(share × base). If fewer are there, the
  lowest-ranked organizations not already there move into it; a tie at the cut moves in
  as a whole (so the minimum always holds, as the max rule keeps the maximum).

Quotas only ever move organizations down, so no quota lifts a veto's cap.

With ``--quota-by township`` every quota is applied to each township's ranked organizations
on their own (the share of that township, ties at that township's cut as above); the
notes then start with the township's name and cite ranks within the township.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Literal

from chuangyou.errors import UsageError
from chuangyou.ranking.model import PreviousResult, QuotaOutcome
from chuangyou.rubric.model import QuotaRule, Rubric
from chuangyou.scorecard import ScoreCard, fmt
from chuangyou.values import normalize_text

# Longest operators first so that "<=" is not read as "<" (which we do not accept).
_OPERATORS = (("<=", "max_share"), ("≤", "max_share"), (">=", "min_share"), ("≥", "min_share"))
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")
_EXAMPLE = "例如“优秀党支部<=30%”或“软弱涣散党支部>=5%”"


@dataclass(eq=False)  # identity, not field-by-field: slots are compared with `in`
class Slot:
    """An organization while its group is being ranked (mutable working state)."""

    card: ScoreCard
    rank: int | None
    tier: int  # index into the rubric's tiers, 0 = highest; unused while held
    notes: list[str] = field(default_factory=list)
    previous: PreviousResult | None = None
    township_rank: int | None = None  # competition rank within its township

    def shown_rank(self, scope: str) -> int | None:
        """The rank a note cites: within the township when the quota is the township's."""
        return self.township_rank if scope else self.rank

    @property
    def total(self) -> Decimal:
        return self.card.total


@dataclass(frozen=True)
class Quota:
    tier: int
    kind: Literal["max", "min"]
    share: Decimal
    origin: Literal["rubric", "run"]


def parse_quota(text: str) -> tuple[str, QuotaRule]:
    """``优秀党支部<=30%`` → ("优秀党支部", QuotaRule(max_share=0.3)); bad text → UsageError."""
    shown = text.strip()
    norm = normalize_text(text)  # full-width ＜＝ ％ become <= %
    found = next(((op, attr) for op, attr in _OPERATORS if op in norm), None)
    if found is None:
        raise UsageError(
            f"名额比例“{shown}”格式不对，应写成“等级<=百分比”（最多）或“等级>=百分比”（最少），{_EXAMPLE}"
        )
    operator, attribute = found
    tier, _, value = norm.partition(operator)
    tier, value = tier.strip(), value.replace(" ", "")
    if not tier:
        raise UsageError(f"名额比例“{shown}”缺少等级名称，{_EXAMPLE}")
    typed = _brief(_typed_value(shown, operator))  # messages quote what the user typed: ３０ ％, not 30%
    match = _PERCENT.match(value)
    if match is None:
        raise UsageError(f"名额比例“{_brief(shown)}”中的“{typed}”不是百分数，应写成带 % 的百分数，例如“30%”")
    percent = Decimal(match.group(1))
    if not 0 < percent <= 100:
        raise UsageError(f"名额比例“{_brief(shown)}”中的“{typed}”超出范围，应大于 0% 且不超过 100%")
    return tier, QuotaRule(**{attribute: percent / 100})


def _typed_value(text: str, operator: str) -> str:
    """What follows the operator in ``text`` as typed (the operator is found in the
    normalized text: ＜＝ and <= are the same operator)."""
    built = ""
    for index, char in enumerate(text):
        built += unicodedata.normalize("NFKC", char)
        if operator in built:
            return text[index + 1:].strip()
    return text


def _brief(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:40]}…（共 {len(text)} 个字符）"


def parse_quotas(texts: Iterable[str]) -> dict[str, QuotaRule]:
    """Every ``--quota`` of a run, merged per tier; the same kind twice is an error."""
    merged: dict[str, QuotaRule] = {}
    for text in texts:
        tier, rule = parse_quota(text)
        old = merged.get(tier, QuotaRule())
        for attribute, word in (("max_share", "最多"), ("min_share", "最少")):
            if getattr(rule, attribute) is not None and getattr(old, attribute) is not None:
                raise UsageError(f"名额比例对“{tier}”重复设置了{word}比例，请只写一次")
        merged[tier] = QuotaRule(
            max_share=rule.max_share if rule.max_share is not None else old.max_share,
            min_share=rule.min_share if rule.min_share is not None else old.min_share,
        )
    return merged


def check_run_quotas(run: Mapping[str, QuotaRule], rubrics: Iterable[Rubric]) -> None:
    """A run's quota must name a tier of at least one rubric in play."""
    known: list[str] = []
    for rubric in rubrics:
        known.extend(t.name for t in rubric.tiers if t.name not in known)
    for tier in run:
        if known and tier not in known:
            raise UsageError(f"名额比例中的等级“{tier}”不存在（可用：{'、'.join(known)}）")


def group_quotas(rubric: Rubric, run: Mapping[str, QuotaRule]) -> list[Quota]:
    """The quotas for one group: max ones top-down, then the bottom tier's min."""
    names = [t.name for t in rubric.tiers]
    found: list[Quota] = []
    for index, name in enumerate(names):
        own, override = (rubric.quota or {}).get(name), run.get(name)
        for kind, attribute in (("max", "max_share"), ("min", "min_share")):
            share, origin = _pick(attribute, own, override)
            if share is not None:
                _check_place(rubric, index, kind, origin)
                found.append(Quota(index, kind, share, origin))  # type: ignore[arg-type]
    return sorted(found, key=lambda q: (q.kind == "min", q.tier))


def _pick(attribute: str, own: QuotaRule | None, override: QuotaRule | None) -> tuple[Decimal | None, str]:
    if override is not None and getattr(override, attribute) is not None:
        return getattr(override, attribute), "run"
    if own is not None and getattr(own, attribute) is not None:
        return getattr(own, attribute), "rubric"
    return None, ""


def _check_place(rubric: Rubric, index: int, kind: str, origin: str) -> None:
    names = [t.name for t in rubric.tiers]
    where = "--quota 设置" if origin == "run" else f"评定标准《{rubric.name}》"
    bottom = len(names) - 1
    if kind == "max" and index == bottom:
        raise UsageError(
            f"{where}中的名额比例有误：“{names[index]}”是最低等级，不能设最多比例（超出的组织没有更低的等级可调）"
        )
    if kind == "min" and index != bottom:
        raise UsageError(
            f"{where}中的名额比例有误：最少比例（倒排）只能用于最低等级“{names[bottom]}”，不能用于“{names[index]}”"
        )


def _pct(share: Decimal) -> str:
    return f"{fmt(share * 100)}%"


def _count(share: Decimal, base: int, rounding: str) -> int:
    return int((share * base).to_integral_value(rounding=rounding))


def apply_quota(quota: Quota, ranked: list[Slot], names: list[str], township: str | None = None) -> QuotaOutcome:
    """Move the organizations one quota requires; ``ranked`` is the group (or, with
    ``township``, that township's part of it) in rank order."""
    apply = _apply_max if quota.kind == "max" else _apply_min
    outcome = apply(quota, ranked, names, township or "")
    outcome.township = township
    return outcome


def _apply_max(quota: Quota, ranked: list[Slot], names: list[str], scope: str) -> QuotaOutcome:
    base = len(ranked)
    allowed = _count(quota.share, base, ROUND_FLOOR)
    members = [s for s in ranked if s.tier == quota.tier]
    moving: list[Slot] = []
    if len(members) > allowed:
        cut = members[allowed].total  # the first organization that does not fit
        keep = allowed
        while keep > 0 and members[keep - 1].total == cut:
            keep -= 1  # the tie reaches inside the quota: it moves as a whole
        moving = members[keep:]
    tier, lower = names[quota.tier], names[quota.tier + 1]
    head = f"{scope}{tier}名额上限{_pct(quota.share)}（共{base}个组织，最多{allowed}个），"
    tied = [s for s in moving if s.total == moving[0].total] if moving else []
    split_tie = bool(tied) and len(members) - len(moving) < allowed
    for slot in moving:
        if split_tie and slot in tied:
            slot.notes.append(
                f"{head}并列第{slot.shown_rank(scope)}名的{len(tied)}个组织不能全部列入，按名额比例整体调整为{lower}"
            )
        else:
            slot.notes.append(f"{head}按排名调整为{lower}")
        slot.tier = quota.tier + 1
    outcome = _outcome(quota, names, base, allowed, len(members), len(moving))
    unused = allowed - (len(members) - len(moving)) if moving else 0
    if unused > 0:
        rank = (tied[0] if tied else moving[0]).shown_rank(scope)
        outcome = outcome.model_copy(update={"unused": unused, "note": (
            f"{scope}{tier}名额{allowed}个：第{rank}名{len(tied)}个组织并列，不能全部列入，实际评定{allowed - unused}个，"
            f"空出的{unused}个名额由研究决定"
        )})
    return outcome


def _apply_min(quota: Quota, ranked: list[Slot], names: list[str], scope: str) -> QuotaOutcome:
    base = len(ranked)
    required = _count(quota.share, base, ROUND_CEILING)
    before = sum(1 for s in ranked if s.tier == quota.tier)
    need = required - before
    candidates = [s for s in reversed(ranked) if s.tier != quota.tier]  # lowest-ranked first
    moving: list[Slot] = []
    tied: list[Slot] = []
    if need > 0 and candidates:
        moving = candidates[:need]
        cut = moving[-1].total
        rest = [s for s in candidates[need:] if s.total == cut]
        if rest:  # the tie reaches past the minimum: it moves in as a whole
            moving += rest
            tied = [s for s in moving if s.total == cut]
    bottom = names[quota.tier]
    head = f"{scope}{bottom}按不少于{_pct(quota.share)}倒排（共{base}个组织，至少{required}个），"
    for slot in moving:
        if slot in tied:
            slot.notes.append(
                f"{head}并列第{slot.shown_rank(scope)}名的{len(tied)}个组织一并由{names[slot.tier]}调整为{bottom}"
            )
        else:
            slot.notes.append(f"{head}按排名由{names[slot.tier]}调整为{bottom}")
        slot.tier = quota.tier
    return _outcome(quota, names, base, required, before, len(moving))


def _outcome(quota: Quota, names: list[str], base: int, limit: int, before: int, moved: int) -> QuotaOutcome:
    return QuotaOutcome(
        tier=names[quota.tier], kind=quota.kind, share=quota.share, origin=quota.origin,
        base=base, limit=limit, before=before, moved=moved,
    )
