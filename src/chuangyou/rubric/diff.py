"""What changed between two versions of a rubric, element by element, in rubric order.

Elements are matched by what identifies them: categories, items and fields by id, tiers and
quotas by tier name, subtypes by id. Rules and vetoes have no id, so each list is aligned
with :class:`difflib.SequenceMatcher` (an inserted rule does not turn every later rule into
a change). Differences that do not change the standard's meaning are not reported: YAML
formatting, comments, key order, how a number is written (90 or 90.0), ``note`` and
``source`` tags and the ``examples`` (which ``rubric test`` checks).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

from chuangyou.rubric.model import Category, FieldSpec, Item, QuotaRule, Rubric, Rule, Veto
from chuangyou.scorecard import fmt

Action = Literal["added", "removed", "changed"]
ACTIONS: dict[str, str] = {"added": "新增", "removed": "删除", "changed": "修改"}
NONE = "（无）"
T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """One difference: an element added or removed, or one attribute of it changed.

    ``where`` names the element for people (项目“设置合理”（org.setup）), ``path`` for
    programs (``categories.org.items.setup``); ``attribute`` is the changed attribute's
    Chinese name and ``key`` its YAML key. ``text`` marks a clause text (standard, method,
    reasons, names), shown with its changed characters marked (:func:`marked_parts`).
    """

    action: Action
    where: str
    path: str
    attribute: str = ""
    key: str = ""
    before: str | None = None
    after: str | None = None
    text: bool = False


@dataclass(frozen=True)
class Attribute:
    key: str
    label: str
    text: bool = False
    show: Callable[[Any], str] | None = None


def shown(value: Any) -> str:
    """A value as the diff prints it: exact decimals, 是/否, lists joined with 、."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, list | tuple):
        return "、".join(shown(v) for v in value) if value else NONE
    if isinstance(value, dict):
        return "、".join(f"{k}：{shown(v)}" for k, v in value.items()) if value else NONE
    return str(value)


def _share(value: Decimal | None) -> str:
    return NONE if value is None else f"{fmt(value * 100)}%"


def _same(a: Any, b: Any) -> bool:
    # Decimal("90") == Decimal("90.0") and 2 == Decimal(2): the same meaning.
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str | bool) or isinstance(b, str | bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


#: Below this similarity a text was rewritten rather than edited: marking every kept
#: character of a rewrite (的, 党组织 …) makes it unreadable, so it is shown as old → new.
REWRITTEN = 0.5
#: A kept run this short between two changes is shown inside the change (a lone 的).
SHORT_RUN = 1


def marked_parts(before: str, after: str) -> list[tuple[str, str]]:
    """The new text in pieces, each ``("=", kept)``, ``("-", deleted)`` or ``("+", inserted)``:
    character by character (Chinese has no spaces to split words on)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        return [(op, text) for op, text in (("-", before), ("+", after)) if text]
    runs: list[list[str]] = []  # [kind, old text, new text]; kind "=" or "~"
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "=" if op == "equal" else "~"
        if runs and runs[-1][0] == kind == "~":
            runs[-1][1] += before[i1:i2]
            runs[-1][2] += after[j1:j2]
        else:
            runs.append([kind, before[i1:i2], after[j1:j2]])
    merged: list[list[str]] = []
    for index, run in enumerate(runs):
        inner = 0 < index < len(runs) - 1 and run[0] == "=" and len(run[1]) <= SHORT_RUN
        if (inner or run[0] == "~") and merged and merged[-1][0] == "~":
            merged[-1][1] += run[1]
            merged[-1][2] += run[2]
        elif inner:
            merged.append(["~", run[1], run[2]])
        else:
            merged.append(list(run))
    parts: list[tuple[str, str]] = []
    for kind, old, new in merged:
        if kind == "=":
            parts.append(("=", new))
            continue
        parts += [(op, text) for op, text in (("-", old), ("+", new)) if text]
    return parts


def marked_text(before: str, after: str, deleted: tuple[str, str] = ("[-", "-]"),
                inserted: tuple[str, str] = ("{+", "+}")) -> str:
    """``…进行[-1-]{+2+}次摸底…``: deletions and insertions between the given marks."""
    marks = {"-": deleted, "+": inserted, "=": ("", "")}
    return "".join(f"{marks[op][0]}{text}{marks[op][1]}" for op, text in marked_parts(before, after))


class _Differ:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, action: Action, where: str, path: str, summary: str) -> None:
        added = action == "added"
        self.changes.append(Change(action, where, path, before=None if added else summary, after=summary if added else None))

    def attributes(self, where: str, path: str, old: Any, new: Any, attributes: Sequence[Attribute]) -> None:
        for attr in attributes:
            a, b = getattr(old, attr.key), getattr(new, attr.key)
            if _same(a, b):
                continue
            show = attr.show or shown
            self.changes.append(Change("changed", where, path, attr.label, attr.key, show(a), show(b), attr.text))


def _merged(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Keys in the new order, with each removed key placed after the key it followed."""
    order = list(new)
    for index, key in enumerate(old):
        if key in order:
            continue
        before = [k for k in old[:index] if k in order]
        order.insert(order.index(before[-1]) + 1 if before else 0, key)
    return order


def _keyed(old: dict[str, T], new: dict[str, T],
           each: Callable[[str, T | None, T | None], None]) -> None:
    for key in _merged(list(old), list(new)):
        each(key, old.get(key), new.get(key))


def _aligned(old: Sequence[T], new: Sequence[T], signature: Callable[[T], Any]
             ) -> Iterable[tuple[int | None, T | None, int | None, T | None]]:
    """Pairs (old position, old, new position, new) of a list without ids; positions 1-based."""
    matcher = difflib.SequenceMatcher(None, [signature(x) for x in old], [signature(x) for x in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            yield i1 + k + 1, old[i1 + k], j1 + k + 1, new[j1 + k]
        for i in range(i1 + pairs, i2):
            yield i + 1, old[i], None, None
        for j in range(j1 + pairs, j2):
            yield None, None, j + 1, new[j]


TOP = (
    Attribute("name", "名称", text=True), Attribute("version", "版本"), Attribute("aliases", "别名"),
    Attribute("description", "说明", text=True), Attribute("total", "总分"),
    Attribute("self_gap_warning", "自评偏高提示分差"),
)
FIELD = (
    Attribute("label", "指标", text=True), Attribute("type", "类型"), Attribute("options", "选项"),
    Attribute("unit", "单位"), Attribute("min", "最小值"), Attribute("max", "最大值"),
    Attribute("hint", "填写说明", text=True), Attribute("applies_to", "适用类别"),
    Attribute("optional", "可不填"), Attribute("default", "默认值"),
)
CATEGORY = (Attribute("name", "名称", text=True), Attribute("points", "分值"), Attribute("applies_to", "适用类别"))
ITEM = (
    Attribute("name", "名称", text=True), Attribute("points", "分值"),
    Attribute("standard", "考核评价标准", text=True), Attribute("method", "考评方式", text=True),
    Attribute("applies_to", "适用类别"),
)
RULE_KINDS = {"deduct": "扣分", "award": "加分", "zero_if": "不得分条件", "score": "酌情得分"}
RULE = (Attribute("when", "条件"), Attribute("reason", "理由", text=True), Attribute("applies_to", "适用类别"))
VETO = (
    Attribute("when", "条件"), Attribute("cap", "最高等级"), Attribute("flag", "处理"),
    Attribute("reason", "情形", text=True),
)
QUOTA = (Attribute("max_share", "最多比例", show=_share), Attribute("min_share", "最少比例（倒排）", show=_share))


def expression(rule: Rule) -> str:
    """The rule's amount or condition; numbers written 1 or 1.0 read the same."""
    value = getattr(rule, rule.kind)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return fmt(Decimal(value))
    return shown(value)


def rule_summary(rule: Rule) -> str:
    when = f"，条件 {shown(rule.when)}" if rule.when is not None else ""
    return f"{RULE_KINDS[rule.kind]} {expression(rule)}{when}：{rule.reason}"


def veto_summary(veto: Veto) -> str:
    effect = f"最高评为{veto.cap}" if veto.cap else f"{veto.flag}"
    return f"{veto.reason}（条件 {shown(veto.when)}，{effect}）"


def field_summary(spec: FieldSpec) -> str:
    return f"{spec.label}（{spec.type}）"


def item_summary(item: Item) -> str:
    return f"{item.name}，{fmt(item.points)} 分，{len(item.rules)} 条规则"


def _rule_signature(rule: Rule) -> tuple[Any, ...]:
    return (rule.kind, expression(rule), shown(rule.when), rule.reason, shown(rule.applies_to))


def _veto_signature(veto: Veto) -> tuple[Any, ...]:
    return (shown(veto.when), veto.cap, veto.flag, veto.reason)


class RubricDiff(_Differ):
    """All changes from ``old`` to ``new``, in rubric order (:func:`diff_rubrics`)."""

    def run(self, old: Rubric, new: Rubric) -> list[Change]:
        self.attributes("评定标准", "", old, new, TOP)
        _keyed(old.subtypes, new.subtypes, self._subtype)
        self._tiers(old, new)
        _keyed(old.quota or {}, new.quota or {}, self._quota)
        self._composition(old, new)
        _keyed(old.fields, new.fields, lambda k, a, b: self._field(f"general.{k}", "fields." + k, a, b))
        self._vetoes(old.vetoes, new.vetoes)
        _keyed({c.id: c for c in old.categories}, {c.id: c for c in new.categories}, self._category)
        return self.changes

    def _subtype(self, key: str, a: str | None, b: str | None) -> None:
        where, path = f"组织类别“{key}”", f"subtypes.{key}"
        if a is None or b is None:
            self.add("added" if a is None else "removed", where, path, shown(a if b is None else b))
        elif a != b:
            self.changes.append(Change("changed", where, path, "名称", "label", a, b, True))

    def _tiers(self, old: Rubric, new: Rubric) -> None:
        a, b = {t.name: t for t in old.tiers}, {t.name: t for t in new.tiers}
        for name in _merged(list(a), list(b)):
            where, path = f"等级“{name}”", f"tiers.{name}"
            if name not in a or name not in b:
                tier = b.get(name) or a[name]
                self.add("added" if name not in a else "removed", where, path, f"分数线 {fmt(tier.min)}")
            elif a[name].min != b[name].min:
                self.changes.append(Change("changed", where, path, "分数线", "min", fmt(a[name].min), fmt(b[name].min)))
        kept = [n for n in a if n in b]
        if kept != [n for n in b if n in a]:
            self.changes.append(Change("changed", "等级", "tiers", "顺序", "order",
                                       "、".join(kept), "、".join(n for n in b if n in a)))

    def _quota(self, key: str, a: QuotaRule | None, b: QuotaRule | None) -> None:
        where, path = f"名额“{key}”", f"quota.{key}"
        if a is None or b is None:
            rule = b or a
            assert rule is not None
            parts = [f"{x.label} {_share(getattr(rule, x.key))}" for x in QUOTA if getattr(rule, x.key) is not None]
            self.add("added" if a is None else "removed", where, path, "，".join(parts))
        else:
            self.attributes(where, path, a, b, QUOTA)

    def _composition(self, old: Rubric, new: Rubric) -> None:
        a, b = old.composition, new.composition
        if a is None and b is None:
            return

        def text(c: Any) -> str:
            if c is None:
                return NONE
            return (f"自评 {_share(c.self_)}、评议 {_share(c.review)}（{c.review_field}）、"
                    f"核定 {_share(c.verified)}")

        if text(a) != text(b):
            self.changes.append(Change("changed", "综合得分", "composition", "权重", "composition", text(a), text(b)))

    def _field(self, number: str, path: str, a: FieldSpec | None, b: FieldSpec | None) -> None:
        spec = b or a
        assert spec is not None
        where = f"字段“{spec.label}”（{number}）"
        if a is None or b is None:
            self.add("added" if a is None else "removed", where, path, field_summary(spec))
        else:
            self.attributes(where, path, a, b, FIELD)

    def _vetoes(self, old: list[Veto], new: list[Veto]) -> None:
        for i, a, j, b in _aligned(old, new, _veto_signature):
            veto = b or a
            assert veto is not None
            where, path = f"否决条件第{j or i}条（{veto.reason}）", f"vetoes[{j or i}]"
            if a is None or b is None:
                self.add("added" if a is None else "removed", where, path, veto_summary(veto))
            else:
                self.attributes(where, path, a, b, VETO)

    def _category(self, key: str, a: Category | None, b: Category | None) -> None:
        category = b or a
        assert category is not None
        where, path = f"类别“{category.name}”（{key}）", f"categories.{key}"
        if a is None or b is None:
            self.add("added" if a is None else "removed", where, path,
                     f"{category.name}，{fmt(category.points)} 分，{len(category.items)} 个项目")
            return
        self.attributes(where, path, a, b, CATEGORY)
        _keyed({i.id: i for i in a.items}, {i.id: i for i in b.items},
               lambda k, x, y: self._item(f"{path}.items.{k}", f"{key}.{k}", x, y))

    def _item(self, path: str, number: str, a: Item | None, b: Item | None) -> None:
        item = b or a
        assert item is not None
        where = f"项目“{item.name}”（{number}）"
        if a is None or b is None:
            self.add("added" if a is None else "removed", where, path, item_summary(item))
            return
        self.attributes(where, path, a, b, ITEM)
        _keyed(a.fields, b.fields, lambda k, x, y: self._field(f"{b.id}.{k}", f"{path}.fields.{k}", x, y))
        for i, x, j, y in _aligned(a.rules, b.rules, _rule_signature):
            self._rule(item, path, i, x, j, y)

    def _rule(self, item: Item, path: str, i: int | None, a: Rule | None, j: int | None, b: Rule | None) -> None:
        rule = b or a
        assert rule is not None
        where, path = f"项目“{item.name}”第{j or i}条规则（{rule.reason}）", f"{path}.rules[{j or i}]"
        if a is None or b is None:
            self.add("added" if a is None else "removed", where, path, rule_summary(rule))
            return
        if a.kind != b.kind or expression(a) != expression(b):
            before, after = f"{RULE_KINDS[a.kind]} {expression(a)}", f"{RULE_KINDS[b.kind]} {expression(b)}"
            if a.kind == b.kind:
                before, after = expression(a), expression(b)
            self.changes.append(Change("changed", where, path, RULE_KINDS[b.kind], b.kind, before, after))
        self.attributes(where, path, a, b, RULE)


def diff_rubrics(old: Rubric, new: Rubric) -> list[Change]:
    """Every change from ``old`` to ``new`` in rubric order; empty when they mean the same."""
    return RubricDiff().run(old, new)
