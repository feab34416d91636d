"""The rule engine: a rubric and one organization's evidence → an explained ScoreCard.

Item score = clamp(base − Σdeduct + Σaward, 0, points), or 0 when any ``zero_if``
fires; base is the item's points unless a ``score`` rule gives the assessor's figure.
Every point lost is a :class:`Deduction` and every point gained an :class:`Award`, each
naming its rule, reason and evidence cells, so that points − Σ扣分 + Σ加分 = score exactly.
When the clamp cuts a rule's effect, ``nominal`` keeps what the rule asked for: at 0 the
last deductions are cut (扣完为止), at full points the last awards; a 不得分 item gains
nothing from its awards.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chuangyou.conditions import SCORING, Expression
from chuangyou.errors import EvaluationError, EvidenceError, Problem
from chuangyou.rubric.model import Category, Item, Rubric, Rule, Veto
from chuangyou.scorecard import (
    HELD_TIER,
    Award,
    CategoryScore,
    CellRef,
    Deduction,
    Evidence,
    Flag,
    ItemScore,
    RubricRef,
    ScoreCard,
    VetoHit,
    fmt,
)

ZERO = Decimal(0)
HELD = "另行处理"


@dataclass(frozen=True)
class _Rule:
    """A rule with what scoring needs read once: pydantic private attributes and the
    ``kind`` property are slow to reach, and a card evaluates ~150 rules twice."""

    number: int  # 1-based position within the item
    rule: Rule
    kind: str
    condition: Expression | None
    amount: Expression | None
    cells: tuple[str, ...]  # evidence cells to cite: the amount's names, then the condition's


@dataclass(frozen=True)
class _Veto:
    veto: Veto
    condition: Expression | None
    cells: tuple[str, ...]


@dataclass(frozen=True)
class _PlanItem:
    item: Item
    rules: tuple[_Rule, ...]
    names: frozenset[str]  # every value the item's rules read


@dataclass(frozen=True)
class _Plan:
    """The categories, items and rules that apply to one subtype (computed once)."""

    categories: tuple[tuple[Category, tuple[_PlanItem, ...]], ...]
    vetoes: tuple[_Veto, ...]
    ref: RubricRef  # shared by every card of the rubric (read-only)


def _applies(subtype: str, *scopes: list[str] | None) -> bool:
    return all(scope is None or subtype in scope for scope in scopes)


def _cell_names(*exprs: Expression | None) -> tuple[str, ...]:
    names: list[str] = []
    for expr in exprs:
        if expr is not None:
            names.extend(n for n in sorted(expr.names) if n not in names)
    return tuple(names)


def _compiled(number: int, rule: Rule) -> _Rule:
    amount, condition = rule._amount, rule._condition
    return _Rule(number, rule, rule.kind, condition, amount, _cell_names(amount, condition))


def plan_for(rubric: Rubric, subtype: str) -> _Plan:
    cache: dict[str, _Plan] = rubric._plans
    plan = cache.get(subtype)
    if plan is None:
        categories = []
        for category in rubric.categories:
            if not _applies(subtype, category.applies_to):
                continue
            items = []
            for item in category.items:
                if not _applies(subtype, item.applies_to):
                    continue
                rules = tuple(
                    _compiled(k, rule) for k, rule in enumerate(item.rules, 1) if _applies(subtype, rule.applies_to)
                )
                names = frozenset(n for r in rules for e in (r.condition, r.amount) if e is not None for n in e.names)
                items.append(_PlanItem(item, rules, names))
            categories.append((category, tuple(items)))
        vetoes = tuple(_Veto(v, v._condition, _cell_names(v._condition)) for v in rubric.vetoes)
        ref = RubricRef(id=rubric.id, version=rubric.version, sha256=rubric.sha256, name=rubric.name)
        plan = cache[subtype] = _Plan(tuple(categories), vetoes, ref)
    return plan


@dataclass
class _Fired:
    rule: _Rule
    amount: Decimal


@dataclass
class _ItemResult:
    score: Decimal
    base_rule: _Fired | None
    zeros: list[_Fired]
    deductions: list[_Fired]
    awards: list[_Fired]


def _amount(expr: Expression | None, env: Mapping[str, Any]) -> Any:
    assert expr is not None, "rules are compiled at load time"
    return expr(env)


def _score_item(item: Item, rules: tuple[_Rule, ...], env: Mapping[str, Any]) -> _ItemResult:
    points = item.points
    base = points
    base_rule: _Fired | None = None
    zeros: list[_Fired] = []
    deductions: list[_Fired] = []
    awards: list[_Fired] = []
    for rule in rules:
        condition = rule.condition
        if condition is not None and not condition(env):
            continue
        kind = rule.kind
        if kind == "zero_if":
            if _amount(rule.amount, env):
                zeros.append(_Fired(rule, points))
            continue
        value = _amount(rule.amount, env)
        if kind == "score":
            if base_rule is None:
                base = min(max(value, ZERO), points)
                base_rule = _Fired(rule, base)
        elif value > 0:
            (deductions if kind == "deduct" else awards).append(_Fired(rule, value))
    if zeros:
        score = ZERO
    else:
        raw = base - sum((d.amount for d in deductions), ZERO) + sum((a.amount for a in awards), ZERO)
        score = min(max(raw, ZERO), points)
    return _ItemResult(score, base_rule, zeros, deductions, awards)


def _cells(evidence: Evidence, names: tuple[str, ...]) -> list[CellRef]:
    cells = evidence.cells
    return [cells[n] for n in names if n in cells]


def _explain(item: Item, result: _ItemResult, evidence: Evidence) -> tuple[list[Deduction], list[Award]]:
    """Deductions and awards as applied: points − Σ deductions + Σ awards = the item's score."""
    points = item.points
    if not (result.zeros or result.deductions or result.awards) and (
            result.base_rule is None or result.base_rule.amount >= points):
        return [], []  # full points, nothing to explain (most items)
    entries: list[tuple[_Fired, str, Decimal]] = []
    if result.zeros:
        entries += [(z, "zero_if", points) for z in result.zeros]
        lost, gained = points, ZERO
    else:
        if result.base_rule is not None and result.base_rule.amount < points:
            entries.append((result.base_rule, "score", points - result.base_rule.amount))
        entries += [(d, "deduct", d.amount) for d in result.deductions]
        asked = sum((n for _, _, n in entries), ZERO)
        offered = sum((a.amount for a in result.awards), ZERO)
        raw = points - asked + offered  # = base − Σdeduct + Σaward, before the clamp
        lost = asked - max(-raw, ZERO)  # below 0: the last deductions are cut (扣完为止)
        gained = offered - max(raw - points, ZERO)  # above full points: the last awards
    assert points - lost + gained == result.score, "the explanation adds up to the score"
    deductions: list[Deduction] = []
    for fired, kind, nominal in entries:
        taken = min(nominal, lost)
        lost -= taken
        reason = fired.rule.rule.reason
        if kind == "score":
            reason = f"{reason}（酌情得 {fmt(fired.amount)} 分）"
        deductions.append(
            Deduction(
                rule=fired.rule.number,
                kind=kind,
                reason=reason,
                points=taken,
                nominal=None if taken == nominal else nominal,
                evidence=_cells(evidence, fired.rule.cells),
            )
        )
    awards: list[Award] = []
    for fired in result.awards:
        given = min(fired.amount, gained)
        gained -= given
        awards.append(
            Award(rule=fired.rule.number, reason=fired.rule.rule.reason, points=given,
                  nominal=None if given == fired.amount else fired.amount,
                  evidence=_cells(evidence, fired.rule.cells))
        )
    return deductions, awards


def _environment(rubric: Rubric, evidence: Evidence, values: Mapping[str, Any]) -> dict[str, Any]:
    org = evidence.organization
    return {**values, "subtype": org.subtype, "form": org.form}


def _changed(values: Mapping[str, Any], self_values: Mapping[str, Any]) -> set[str]:
    """Fields whose self-assessed value differs from the verified one (same object when the
    assessor left 核定值 blank; equal text otherwise, so that 5 and 5.0 count as changed)."""
    changed = set(values.keys() ^ self_values.keys())
    for name, value in values.items():
        other = self_values.get(name, value)
        if other is not value and (type(other) is not type(value) or str(other) != str(value)):
            changed.add(name)
    return changed


def _self_total(plan: _Plan, env: Mapping[str, Any], verified: list[ItemScore], changed: set[str]) -> Decimal:
    """The total on the self-assessed values: only items reading a changed value are scored
    again; the others have the verified score (same values in, same score out)."""
    total = ZERO
    scores = iter(verified)
    for _, entries in plan.categories:
        for entry in entries:
            score = next(scores).score
            if changed and not changed.isdisjoint(entry.names):
                score = _score_item(entry.item, entry.rules, env).score
            total += score
    return total


def tier_for(rubric: Rubric, total: Decimal) -> str:
    for tier in rubric.tiers:
        if total >= tier.min:
            return tier.name
    return rubric.tiers[-1].name


def lower_tier(rubric: Rubric, a: str, b: str) -> str:
    names = [t.name for t in rubric.tiers]
    return a if names.index(a) >= names.index(b) else b


def score(rubric: Rubric, evidence: Evidence) -> ScoreCard:
    """Score one organization's evidence against a rubric, in exact arithmetic
    (:data:`chuangyou.conditions.SCORING`: a result that cannot be exact is an error)."""
    try:
        with decimal.localcontext(SCORING):
            return _score(rubric, evidence)
    except decimal.DecimalException:
        # Bounded inputs make this unreachable; should it happen, the organization is
        # listed with a reason, never scored with a rounded figure.
        raise EvidenceError("无法评分", [Problem(evidence.source, "计算结果超出范围或位数过多，无法精确计算")]) from None


def _score(rubric: Rubric, evidence: Evidence) -> ScoreCard:
    org = evidence.organization
    if org.subtype not in rubric.subtypes:
        known = "、".join(rubric.subtypes.values())
        raise EvidenceError(
            "无法评分", [Problem(evidence.source, f"组织类别“{org.subtype}”不属于《{rubric.name}》（可选：{known}）")]
        )
    plan = plan_for(rubric, org.subtype)
    env = _environment(rubric, evidence, evidence.values)
    try:
        categories, items = _score_categories(plan, env, evidence)
        verified_total = sum((c.score for c in categories), ZERO)
        changed = _changed(evidence.values, evidence.self_values)
        self_total = _self_total(plan, _environment(rubric, evidence, evidence.self_values), items, changed)
        vetoes = _vetoes(plan, env, evidence)
        total = _compose(rubric, evidence, self_total, verified_total)
    except EvaluationError as exc:
        raise EvidenceError("无法评分", [Problem(evidence.source, exc.message)]) from None
    threshold_tier = tier_for(rubric, total)
    tier = threshold_tier
    for hit in vetoes:
        if hit.cap is not None:
            tier = lower_tier(rubric, tier, hit.cap)
    flags = [Flag(kind=HELD, reason=hit.reason) for hit in vetoes if hit.flag is not None]
    held = bool(flags)
    gap = self_total - verified_total
    if gap >= rubric.self_gap_warning and rubric.self_gap_warning > 0:
        flags.append(
            Flag(kind="自评偏高", reason=f"自评 {fmt(self_total)} 分，核定 {fmt(verified_total)} 分，相差 {fmt(gap)} 分")
        )
    org = org.model_copy(update={"subtype_label": rubric.subtypes[org.subtype]})
    return ScoreCard(
        organization=org,
        rubric=plan.ref,
        source=evidence.source,
        total=total,
        self_total=self_total,
        verified_total=verified_total,
        tier=HELD_TIER if held else tier,
        threshold_tier=threshold_tier,
        held=held,
        categories=categories,
        items=items,
        vetoes=vetoes,
        flags=flags,
        warnings=list(evidence.warnings),
    )


def _score_categories(
    plan: _Plan, env: Mapping[str, Any], evidence: Evidence
) -> tuple[list[CategoryScore], list[ItemScore]]:
    categories: list[CategoryScore] = []
    items: list[ItemScore] = []
    for category, entries in plan.categories:
        subtotal = ZERO
        for entry in entries:
            item = entry.item
            result = _score_item(item, entry.rules, env)
            deductions, awards = _explain(item, result, evidence)
            items.append(
                ItemScore(
                    id=f"{category.id}.{item.id}", name=item.name, category=category.name,
                    points=item.points, score=result.score, deductions=deductions, awards=awards,
                )
            )
            subtotal += result.score
        categories.append(
            CategoryScore(id=category.id, name=category.name, points=category.points, score=subtotal)
        )
    return categories, items


def _vetoes(plan: _Plan, env: Mapping[str, Any], evidence: Evidence) -> list[VetoHit]:
    hits = []
    for compiled in plan.vetoes:
        if _amount(compiled.condition, env):
            veto = compiled.veto
            hits.append(
                VetoHit(reason=veto.reason, cap=veto.cap, flag=veto.flag,
                                        evidence=_cells(evidence, compiled.cells))
            )
    return hits


def _compose(rubric: Rubric, evidence: Evidence, self_total: Decimal, verified_total: Decimal) -> Decimal:
    comp = rubric.composition
    if comp is None:
        return verified_total
    review = evidence.values.get(comp.review_field)
    if not isinstance(review, Decimal):
        raise EvaluationError(f"综合得分需要“{comp.review_field}”的数值，但没有填写")
    return comp.self_ * self_total + comp.review * review + comp.verified * verified_total
