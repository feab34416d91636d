"""Cross-checks of a shape-valid rubric, and compilation of its expressions.

Every check appends a (path, message) problem; all problems are reported at once.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from decimal import Decimal

from chuangyou.bounds import PathKey
from chuangyou.conditions import RESERVED, Expression, Kind, NameInfo, compile_expression
from chuangyou.errors import ConditionError
from chuangyou.rubric.model import FORMS, ID_PATTERN, FieldSpec, Item, Rubric
from chuangyou.scorecard import HELD_TIER

Found = list[tuple[PathKey, str, bool]]  # (path, message, point at the key line)

_FIELD_KINDS: dict[str, Kind] = {"bool": "bool", "int": "num", "number": "num", "score": "num", "choice": "str"}
_RULE_KINDS: dict[str, tuple[Kind, str]] = {
    "deduct": ("num", "扣分（deduct）"),
    "award": ("num", "加分（award）"),
    "score": ("num", "得分（score）"),
    "zero_if": ("bool", "不得分条件（zero_if）"),
}


def fmt(number: Decimal) -> str:
    """Decimal to the shortest plain text: 10, 9.5, 0.25."""
    text = format(number.normalize(), "f")
    return text


class RubricChecker:
    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.found: Found = []
        self.warnings: Found = []  # reported by ``rubric check``; the rubric still loads
        self.all_subtypes = frozenset(rubric.subtypes)

    def add(self, path: PathKey, message: str, *, key: bool = False) -> None:
        self.found.append((path, message, key))

    def run(self) -> Found:
        self.check_ids()
        self.check_subtype_refs()
        self.check_sums()
        self.check_tiers()
        self.check_fields()
        self.compile_rules()
        self.compile_vetoes()
        self.check_composition()
        self.check_examples()
        return self.found

    # -- ids ---------------------------------------------------------------
    def _unique(self, entries: Iterable[tuple[PathKey, str]], what: str) -> None:
        first: dict[str, PathKey] = {}
        for path, ident in entries:
            if ident in first:
                self.add(path, f"{what}“{ident}”重复（与第一次出现的位置重复）")
            else:
                first[ident] = path

    def check_ids(self) -> None:
        r = self.rubric
        self._unique(((("categories", i, "id"), c.id) for i, c in enumerate(r.categories)), "类别编号")
        self._unique(
            (
                (("categories", i, "items", j, "id"), item.id)
                for i, c in enumerate(r.categories)
                for j, item in enumerate(c.items)
            ),
            "项目编号",
        )
        field_entries: list[tuple[PathKey, str]] = []
        for i, c in enumerate(r.categories):
            for j, item in enumerate(c.items):
                if item.id == "general":
                    self.add(("categories", i, "items", j, "id"), "项目编号“general”为保留字，请换一个")
                field_entries += [(("categories", i, "items", j, "fields", f), f) for f in item.fields]
        field_entries += [(("fields", f), f) for f in r.fields]
        self._unique(field_entries, "字段编号")
        for path, ident in field_entries:
            if not re.match(ID_PATTERN, ident):
                self.add(path, f"字段编号“{ident}”不合规：只能由小写英文字母、数字和下划线组成，并以字母开头", key=True)
            elif ident in RESERVED or keyword.iskeyword(ident):
                self.add(path, f"字段编号“{ident}”是保留字，请换一个", key=True)
        self._unique(((("tiers", i, "name"), t.name) for i, t in enumerate(r.tiers)), "等级名称")
        self._unique(((("examples", i, "name"), e.name) for i, e in enumerate(r.examples)), "样例名称")
        for sid in r.subtypes:
            if not re.match(ID_PATTERN, sid):
                self.add(("subtypes", sid), f"组织类别编号“{sid}”不合规：只能由小写英文字母、数字和下划线组成", key=True)
        self._unique(((("subtypes", s), label) for s, label in r.subtypes.items()), "组织类别名称")

    # -- subtypes ----------------------------------------------------------
    def _check_refs(self, path: PathKey, applies_to: list[str] | None) -> None:
        for k, sid in enumerate(applies_to or []):
            if sid not in self.rubric.subtypes:
                known = "、".join(self.rubric.subtypes)
                self.add((*path, "applies_to", k), f"applies_to 中的组织类别“{sid}”未在 subtypes 中定义（已定义：{known}）")

    def check_subtype_refs(self) -> None:
        for i, c in enumerate(self.rubric.categories):
            self._check_refs(("categories", i), c.applies_to)
            for j, item in enumerate(c.items):
                base: PathKey = ("categories", i, "items", j)
                self._check_refs(base, item.applies_to)
                for fid, spec in item.fields.items():
                    self._check_refs((*base, "fields", fid), spec.applies_to)
                for k, rule in enumerate(item.rules):
                    self._check_refs((*base, "rules", k), rule.applies_to)
        for fid, spec in self.rubric.fields.items():
            self._check_refs(("fields", fid), spec.applies_to)

    def _scope(self, *applies: list[str] | None) -> frozenset[str]:
        scope = self.all_subtypes
        for a in applies:
            if a is not None:
                scope &= frozenset(a)
        return scope

    # -- sums --------------------------------------------------------------
    def check_sums(self) -> None:
        """Items must add up to their category and categories to the total, per subtype.

        A mismatch that is the same for every subtype is reported once, without naming them.
        """
        r = self.rubric
        category_gaps: dict[tuple[int, str], list[str]] = {}
        total_gaps: dict[Decimal, list[str]] = {}
        for sid, label in r.subtypes.items():
            total = Decimal(0)
            for i, c in enumerate(r.categories):
                if sid not in self._scope(c.applies_to):
                    continue
                total += c.points
                items = [it for it in c.items if sid in self._scope(c.applies_to, it.applies_to)]
                got = sum((it.points for it in items), Decimal(0))
                if got != c.points:
                    listed = " + ".join(f"{it.name} {fmt(it.points)}" for it in items) or "无"
                    category_gaps.setdefault((i, f"{fmt(got)}（{listed}）"), []).append(label)
            if total != r.total:
                total_gaps.setdefault(total, []).append(label)
        every = len(r.subtypes)
        for (i, detail), labels in category_gaps.items():
            c = r.categories[i]
            scope = "" if len(labels) == every else f"对“{'、'.join(labels)}”适用的"
            self.add(("categories", i, "points"), f"类别“{c.name}”分值为 {fmt(c.points)}，但{scope}项目合计 {detail}")
        for total, labels in total_gaps.items():
            scope = "" if len(labels) == every else f"对“{'、'.join(labels)}”适用的"
            self.add(("total",), f"{scope}各类别合计 {fmt(total)} 分，与总分 {fmt(r.total)} 不一致")
        for i, c in enumerate(r.categories):
            for j, item in enumerate(c.items):
                for k, rule in enumerate(item.rules):
                    if rule.kind in ("deduct", "award", "score"):
                        amount = getattr(rule, rule.kind)
                        if isinstance(amount, int | Decimal) and not isinstance(amount, bool) and amount < 0:
                            self.add(("categories", i, "items", j, "rules", k, rule.kind), "分值不能为负数")

    # -- tiers ---------------------------------------------------------------
    def check_tiers(self) -> None:
        r = self.rubric
        for i in range(1, len(r.tiers)):
            if r.tiers[i].min >= r.tiers[i - 1].min:
                self.add(
                    ("tiers", i, "min"),
                    f"等级应从高到低排列：“{r.tiers[i].name}”的分数线 {fmt(r.tiers[i].min)} 不低于上一等级“{r.tiers[i - 1].name}”的 {fmt(r.tiers[i - 1].min)}",
                )
        if r.tiers and r.tiers[-1].min != 0:
            self.add(("tiers", len(r.tiers) - 1, "min"), f"最低等级“{r.tiers[-1].name}”的分数线应为 0，否则低分组织无等级可定")
        if r.tiers and r.tiers[0].min > r.total:
            self.add(("tiers", 0, "min"), f"最高等级的分数线 {fmt(r.tiers[0].min)} 超过总分 {fmt(r.total)}")
        names = [t.name for t in r.tiers]
        for i, veto in enumerate(r.vetoes):
            if veto.cap is not None and veto.cap not in names:
                self.add(("vetoes", i, "cap"), f"否决条件限定的等级“{veto.cap}”不存在（可用：{'、'.join(names)}）")
            elif veto.cap is not None and veto.cap == names[0]:
                self.warnings.append((("vetoes", i, "cap"), f"否决条件“{veto.reason}”限定的等级“{veto.cap}”是最高等级，"
                                                            "该条件永远不会降低任何组织的等级；请改为更低的等级", False))
        for tier, rule in (r.quota or {}).items():
            if tier not in names:
                self.add(("quota", tier), f"名额比例中的等级“{tier}”不存在（可用：{'、'.join(names)}）", key=True)
            elif rule.max_share is not None and tier == names[-1]:
                self.add(("quota", tier), f"“{tier}”是最低等级，不能设最多比例（max_share）", key=True)
            elif rule.min_share is not None and tier != names[-1]:
                self.add(("quota", tier), f"最少比例（min_share，倒排）只能用于最低等级“{names[-1]}”", key=True)

    # -- fields --------------------------------------------------------------
    def field_scopes(self) -> dict[str, tuple[FieldSpec, frozenset[str]]]:
        return self.rubric.field_subtypes()

    def check_fields(self) -> None:
        for i, c in enumerate(self.rubric.categories):
            for j, item in enumerate(c.items):
                for fid, spec in item.fields.items():
                    self._check_field(("categories", i, "items", j, "fields", fid), spec, item)
        for fid, spec in self.rubric.fields.items():
            self._check_field(("fields", fid), spec, None)

    def _check_field(self, path: PathKey, spec: FieldSpec, item: Item | None) -> None:
        if spec.type == "score" and item is not None and spec.max is not None and spec.max > item.points:
            self.add((*path, "max"), f"酌情分字段的最高分 {fmt(spec.max)} 超过所属项目分值 {fmt(item.points)}")
        if spec.default is not None and not spec.optional:
            self.add((*path, "default"), "只有 optional: true 的字段可以设置 default 默认值")
        elif spec.default is not None:
            # Every workbook leaving the field blank is read with the default: a default
            # the field cannot hold would be blamed on each of them. (chuangyou.values needs
            # the rubric models: imported here, not when this module is.)
            from chuangyou.values import ValueProblem, parse_value

            try:
                parse_value(spec.model_copy(update={"optional": False}), spec.default)
            except ValueProblem as exc:
                self.add((*path, "default"), f"默认值（default）不符合该字段的要求：{exc.message}")

    def names(self) -> dict[str, NameInfo]:
        # subtype / form compared to a literal must name a real subtype id / form (a typo never fires).
        result: dict[str, NameInfo] = {
            "subtype": NameInfo("str", tuple(self.rubric.subtypes), "组织类别"),
            "form": NameInfo("str", FORMS, "组织形式"),
        }
        for fid, (spec, _) in self.field_scopes().items():
            kind = _FIELD_KINDS.get(spec.type)
            if kind is not None:
                options = tuple(spec.options) if spec.options else None
                result[fid] = NameInfo(kind, options, spec.label)
        return result

    # -- expressions ---------------------------------------------------------
    def _compile(
        self, path: PathKey, text: object, kind: Kind, what: str, scope: frozenset[str]
    ) -> Expression | None:
        try:
            expr = compile_expression(text, self._names, kind, what)  # type: ignore[arg-type]
        except ConditionError as exc:
            message = exc.message
            for fid, (spec, _) in self._scopes.items():
                if spec.type == "text" and f"未知的字段 {fid}" in message:
                    message = message.replace(f"未知的字段 {fid}", f"文字字段 {fid} 不能用于计分规则")
            self.add(path, message)
            return None
        for name in sorted(expr.names):
            entry = self._scopes.get(name)
            if entry is None:
                continue  # subtype / form
            spec, field_scope = entry
            if spec.optional and spec.default is None:
                # A blank value would reach the rule as "no value": `not x` would silently fire.
                self.add(path, f"{what}用到可不填的字段 {name}（{spec.label}），该字段必须设置 default 默认值")
            missing = scope - field_scope
            if missing and not (spec.optional and spec.default is not None):
                labels = "、".join(self.rubric.subtypes[s] for s in sorted(missing))
                self.add(path, f"{what}用到字段 {name}（{spec.label}），但该字段对“{labels}”不填写；请给规则加 applies_to 或扩大字段的 applies_to")
        return expr

    def compile_rules(self) -> None:
        self._scopes = self.field_scopes()
        self._names = self.names()
        for i, c in enumerate(self.rubric.categories):
            for j, item in enumerate(c.items):
                for k, rule in enumerate(item.rules):
                    path: PathKey = ("categories", i, "items", j, "rules", k)
                    scope = self._scope(c.applies_to, item.applies_to, rule.applies_to)
                    kind, what = _RULE_KINDS[rule.kind]
                    rule._amount = self._compile((*path, rule.kind), getattr(rule, rule.kind), kind, what, scope)
                    if rule.when is not None:
                        rule._condition = self._compile((*path, "when"), rule.when, "bool", "条件（when）", scope)

    def compile_vetoes(self) -> None:
        for i, veto in enumerate(self.rubric.vetoes):
            veto._condition = self._compile(("vetoes", i, "when"), veto.when, "bool", "否决条件（when）", self.all_subtypes)

    def check_composition(self) -> None:
        comp = self.rubric.composition
        if comp is None:
            return
        entry = self._scopes.get(comp.review_field)
        if entry is None:
            self.add(("composition", "review_field"), f"评议得分字段“{comp.review_field}”不存在")
        elif entry[0].type not in ("int", "number", "score"):
            self.add(("composition", "review_field"), f"评议得分字段“{comp.review_field}”应为数值类型")

    def check_examples(self) -> None:
        seen: dict[str, int] = {}
        item_ids = {item.id for _, item in self.rubric.items()}
        tier_names = {t.name for t in self.rubric.tiers}
        for i, example in enumerate(self.rubric.examples):
            base: PathKey = ("examples", i)
            if example.extends is not None and example.extends not in seen:
                self.add((*base, "extends"), f"样例“{example.name}”继承的样例“{example.extends}”不存在或排在它后面")
            if example.extends is None and example.subtype is None:
                self.add(base, f"样例“{example.name}”需要写明 subtype（组织类别）")
            if example.subtype is not None and example.subtype not in self.rubric.subtypes:
                self.add((*base, "subtype"), f"样例的组织类别“{example.subtype}”未在 subtypes 中定义")
            for part in ("values", "self_values"):
                for fid in getattr(example, part) or {}:
                    if fid not in self._scopes:
                        self.add((*base, part, fid), f"样例中的字段“{fid}”不存在", key=True)
            if example.expect.tier not in tier_names and example.expect.tier != HELD_TIER:
                self.add((*base, "expect", "tier"), f"样例期望的等级“{example.expect.tier}”不存在")
            for iid in example.expect.items or {}:
                if iid not in item_ids:
                    self.add((*base, "expect", "items", iid), f"样例期望中的项目“{iid}”不存在", key=True)
            seen[example.name] = i

