"""Run a rubric's ``examples:`` (small evidence cases with expected results)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chuangyou.errors import ChuangyouError
from chuangyou.rubric.model import Example, FieldSpec, Rubric
from chuangyou.scorecard import Evidence, Organization, ScoreCard, fmt
from chuangyou.values import ValueProblem, parse_value


@dataclass
class ExampleResult:
    name: str
    failures: list[str] = field(default_factory=list)
    card: ScoreCard | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


def _resolved(rubric: Rubric) -> dict[str, tuple[Example, dict[str, Any], dict[str, Any], str, str]]:
    """Each example with inherited values, self values, subtype and form."""
    done: dict[str, tuple[Example, dict[str, Any], dict[str, Any], str, str]] = {}
    for example in rubric.examples:
        values: dict[str, Any] = {}
        self_values: dict[str, Any] = {}
        subtype, form = "", "党支部"
        if example.extends and example.extends in done:
            _, values, self_values, subtype, form = done[example.extends]
            values, self_values = dict(values), dict(self_values)
        values.update(example.values)
        self_values = {**values, **self_values, **(example.self_values or {})} if example.self_values else dict(values)
        done[example.name] = (example, values, self_values, example.subtype or subtype, example.form or form)
    return done


def _applicable_fields(rubric: Rubric, subtype: str) -> dict[str, FieldSpec]:
    return {fid: spec for fid, (spec, scope) in rubric.field_subtypes().items() if subtype in scope}


def _parse_all(specs: dict[str, FieldSpec], raw: dict[str, Any], failures: list[str], what: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for fid, spec in specs.items():
        try:
            parsed[fid] = parse_value(spec, raw.get(fid))
        except ValueProblem as exc:
            failures.append(f"{what}字段 {fid}：{exc.message}")
    return parsed


def run_examples(rubric: Rubric) -> list[ExampleResult]:
    from chuangyou.engine import (
        score,  # engine imports rubric; keep the import one-way at load time
    )

    results = []
    for name, (example, values, self_values, subtype, form) in _resolved(rubric).items():
        result = ExampleResult(name)
        results.append(result)
        specs = _applicable_fields(rubric, subtype)
        parsed = _parse_all(specs, values, result.failures, "")
        parsed_self = _parse_all(specs, self_values, result.failures, "自评值 ") if example.self_values else parsed
        if result.failures:
            continue
        evidence = Evidence(
            source=f"样例“{name}”",
            organization=Organization(name=name, subtype=subtype, form=form),
            values=parsed,
            self_values=parsed_self,
        )
        try:
            card = score(rubric, evidence)
        except ChuangyouError as exc:
            result.failures.append(str(exc))
            continue
        result.card = card
        _compare(example, card, result.failures)
    return results


def _compare(example: Example, card: ScoreCard, failures: list[str]) -> None:
    expect = example.expect
    if card.total != expect.total:
        failures.append(f"总分：期望 {fmt(expect.total)}，实际 {fmt(card.total)}")
    if card.tier != expect.tier:
        failures.append(f"等级：期望 {expect.tier}，实际 {card.tier}")
    if expect.self_total is not None and card.self_total != expect.self_total:
        failures.append(f"自评总分：期望 {fmt(expect.self_total)}，实际 {fmt(card.self_total)}")
    scores = {item.id.split(".", 1)[1]: item.score for item in card.items}
    for iid, want in (expect.items or {}).items():
        got = scores.get(iid)
        if got is None:
            failures.append(f"项目 {iid}：对该组织类别不适用")
        elif got != Decimal(want):
            failures.append(f"项目 {iid}：期望 {fmt(Decimal(want))} 分，实际 {fmt(got)} 分")
    if expect.vetoes is not None:
        got_vetoes = [v.reason for v in card.vetoes if v.cap is not None]
        if sorted(got_vetoes) != sorted(expect.vetoes):
            failures.append(f"否决条件：期望 {expect.vetoes or '无'}，实际 {got_vetoes or '无'}")
    if expect.flags is not None:
        got_flags = [f.reason for f in card.flags]
        if sorted(got_flags) != sorted(expect.flags):
            failures.append(f"标记：期望 {expect.flags or '无'}，实际 {got_flags or '无'}")
