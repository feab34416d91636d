"""Pydantic models of a rubric (评定标准) as written in YAML.

The models only describe shape; cross-checks (sums, names, tiers) live in
:mod:`chuangyou.rubric.checks` and compiled expressions are attached by the loader.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from chuangyou.bounds import DECIMAL_TEXT, number_problem
from chuangyou.conditions import Expression

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
FieldType = Literal["bool", "int", "number", "choice", "score", "text"]
SourceTag = Literal["seed", "authored"]
FORMS = ("党委", "党总支", "党支部")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, arbitrary_types_allowed=True)


def _text(value: Any) -> Any:
    """YAML may hand us numbers where we want text (``version: 2026.1``)."""
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _number(value: Any) -> Any:
    """A rubric number given as text ("1e999999999", "4_2", "４２") is held to what YAML
    numbers are held to (:mod:`chuangyou.yamlio`): plain decimal notation, bounded."""
    typed = value
    if isinstance(value, str):
        text = value.strip()
        if not DECIMAL_TEXT.fullmatch(text) or len(text) > 60:
            try:
                Decimal(text)
            except ArithmeticError:
                return value  # not a number at all: pydantic says so in its own words
            # Decimal() reads "4_2" as 42, "４２" as 42, and takes "NaN" and "Infinity".
            raise ValueError(f"“{value[:30]}”不是普通的十进制数字，请写成如 12、0.5 的数")
        value = Decimal(text)
    if isinstance(value, int | Decimal) and not isinstance(value, bool) and number_problem(Decimal(value)):
        raise ValueError(f"数值“{str(typed)[:30]}”超出可用范围")
    return value


Number = Annotated[Decimal, BeforeValidator(_number)]


class FieldSpec(_Model):
    """One piece of evidence an item asks for (a row of 考评数据)."""

    label: str = Field(min_length=1)
    type: FieldType
    options: list[str] | None = None
    unit: str | None = None
    min: Number | None = None
    max: Number | None = None
    hint: str | None = None
    applies_to: list[str] | None = None
    optional: bool = False
    default: Any = None

    @model_validator(mode="after")
    def _shape(self) -> FieldSpec:
        if self.type == "choice" and not self.options:
            raise ValueError("选择题字段（type: choice）必须给出 options 选项列表")
        if self.type != "choice" and self.options is not None:
            raise ValueError(f"只有 choice 类型的字段可以写 options（此字段类型为 {self.type}）")
        if self.type == "score" and self.max is None:
            raise ValueError("酌情分字段（type: score）必须给出 max 最高分")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min（{self.min}）不能大于 max（{self.max}）")
        if self.options is not None and len(set(self.options)) != len(self.options):
            raise ValueError("options 中有重复的选项")
        return self


class Source(_Model):
    """Which parts of an item are authored rather than taken from the source document."""

    standard: SourceTag = "seed"
    method: SourceTag = "seed"


class Rule(_Model):
    """One deduction rule. Exactly one of deduct / award / zero_if / score."""

    deduct: str | int | Decimal | None = None
    award: str | int | Decimal | None = None
    zero_if: str | bool | None = None
    score: str | int | Decimal | None = None
    when: str | bool | None = None
    reason: str = Field(min_length=1)
    applies_to: list[str] | None = None
    note: str | None = None

    _amount: Expression | None = PrivateAttr(default=None)
    _condition: Expression | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        kinds = [k for k in ("deduct", "award", "zero_if", "score") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = "、".join(kinds) if kinds else "无"
            raise ValueError(f"每条规则必须且只能有 deduct、award、zero_if、score 之一（现有：{found}）")
        if self.zero_if is not None and self.when is not None:
            raise ValueError("zero_if 规则本身就是条件，不要再写 when")
        return self

    @property
    def kind(self) -> str:
        for key in ("deduct", "award", "zero_if", "score"):
            if getattr(self, key) is not None:
                return key
        raise AssertionError("validated rule has a kind")

    @property
    def expression_text(self) -> str:
        return str(getattr(self, self.kind))


class Item(_Model):
    """A scored item (项目) with its clauses, evidence fields and rules."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    points: Number = Field(gt=0)
    standard: str = ""
    method: str = ""
    source: SourceTag | Source = "seed"
    note: str | None = None
    applies_to: list[str] | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)

    @property
    def authored_parts(self) -> list[str]:
        if isinstance(self.source, str):
            return ["standard", "method"] if self.source == "authored" else []
        return [p for p in ("standard", "method") if getattr(self.source, p) == "authored"]


class Category(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    points: Number = Field(gt=0)
    source: SourceTag = "seed"
    note: str | None = None
    applies_to: list[str] | None = None
    items: list[Item] = Field(min_length=1)


class Tier(_Model):
    name: str = Field(min_length=1)
    min: Number = Field(ge=0)


class Veto(_Model):
    """An organization-level condition that caps the tier or holds the result."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    when: str | bool
    cap: str | None = None
    flag: str | None = None
    reason: str = Field(min_length=1)
    source: SourceTag = "seed"
    note: str | None = None

    _condition: Expression | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _one_effect(self) -> Veto:
        if (self.cap is None) == (self.flag is None):
            raise ValueError("否决条件必须且只能有 cap（最高等级）或 flag（另行处理）之一")
        return self


class QuotaRule(_Model):
    max_share: Number | None = Field(default=None, gt=0, le=1)
    min_share: Number | None = Field(default=None, gt=0, le=1)


class Composition(_Model):
    self_: Number = Field(alias="self", ge=0, le=1)
    review: Number = Field(ge=0, le=1)
    verified: Number = Field(ge=0, le=1)
    review_field: str

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _weights(self) -> Composition:
        if self.self_ + self.review + self.verified != 1:
            total = self.self_ + self.review + self.verified
            raise ValueError(f"self、review、verified 三个权重之和应为 1（现为 {total}）")
        return self


class ExampleExpect(_Model):
    total: Number
    tier: str
    self_total: Number | None = None
    items: dict[str, Number] | None = None
    vetoes: list[str] | None = None
    flags: list[str] | None = None


class Example(_Model):
    name: str = Field(min_length=1)
    extends: str | None = None
    subtype: str | None = None
    form: Literal["党委", "党总支", "党支部"] | None = None
    values: dict[str, Any] = Field(default_factory=dict)
    self_values: dict[str, Any] | None = None
    expect: ExampleExpect


class Rubric(_Model):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    description: str | None = None
    source: str | None = None
    total: Number = Field(gt=0)
    self_gap_warning: Number = Field(default=Decimal(5), ge=0)
    subtypes: dict[str, str] = Field(min_length=1)
    tiers: list[Tier] = Field(min_length=1)
    quota: dict[str, QuotaRule] | None = None
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    vetoes: list[Veto] = Field(default_factory=list)
    composition: Composition | None = None
    categories: list[Category] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)

    _sha256: str = PrivateAttr(default="")
    _warnings: list[Any] = PrivateAttr(default_factory=list)  # Problems that do not stop loading
    _path: str = PrivateAttr(default="")
    _plans: dict[str, Any] = PrivateAttr(default_factory=dict)  # engine's per-subtype plans
    _pending_compile: bool = PrivateAttr(default=False)  # loaded from the cache: conditions not compiled yet

    @field_validator("version", mode="before")
    @classmethod
    def version_as_text(cls, value: Any) -> Any:
        return _text(value)

    @property
    def warnings(self) -> list[Any]:
        """What ``rubric check`` warns about (a rule that can never act …): Problems."""
        return self._warnings

    @property
    def sha256(self) -> str:
        return self._sha256

    def ensure_compiled(self) -> None:
        """Compile the conditions of a rubric read from the cache (chuangyou.cache.rubrics),
        which were checked when it was cached: ranking and exports need none of them."""
        if self._pending_compile:
            from chuangyou.rubric.checks import RubricChecker

            checker = RubricChecker(self)
            checker.compile_rules()
            checker.compile_vetoes()
            self._pending_compile = False

    @property
    def path(self) -> str:
        return self._path

    def items(self) -> list[tuple[Category, Item]]:
        return [(c, i) for c in self.categories for i in c.items]

    def field_subtypes(self) -> dict[str, tuple[FieldSpec, frozenset[str]]]:
        """Every field with the subtypes it is filled for: its own applies_to within its
        item's and category's. The first definition of a field id wins (duplicates are load errors)."""
        every = frozenset(self.subtypes)

        def within(*scopes: list[str] | None) -> frozenset[str]:
            allowed = every
            for scope in scopes:
                if scope is not None:
                    allowed &= frozenset(scope)
            return allowed

        result: dict[str, tuple[FieldSpec, frozenset[str]]] = {}
        for category, item in self.items():
            for fid, spec in item.fields.items():
                result.setdefault(fid, (spec, within(category.applies_to, item.applies_to, spec.applies_to)))
        for fid, spec in self.fields.items():
            result.setdefault(fid, (spec, within(spec.applies_to)))
        return result

    def all_fields(self) -> list[tuple[str, FieldSpec, Item | None]]:
        """Every field in template order: item fields first, then organization-level ones."""
        rows: list[tuple[str, FieldSpec, Item | None]] = []
        for _, item in self.items():
            rows.extend((fid, spec, item) for fid, spec in item.fields.items())
        rows.extend((fid, spec, None) for fid, spec in self.fields.items())
        return rows
