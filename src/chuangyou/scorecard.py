"""Data passed between stages: Evidence in, ScoreCard out (the JSON contract of DESIGN.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from chuangyou.errors import SURROGATE


def fmt(number: Decimal) -> str:
    """Shortest exact text for a Decimal: 10, 9.5, 0.25 (never 1E+1).

    Without the decimal context: quantize and normalize round to its 28 digits (or raise),
    and a rule may ask for a deduction of more digits (2 * a * b * c, each field up to
    1E+9), computed exactly in chuangyou.conditions.SCORING."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


Score = Annotated[Decimal, PlainSerializer(fmt, return_type=str, when_used="always")]


def model_json(model: BaseModel) -> str:
    """``json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)``, made 4×
    faster by pydantic's own serializer (same text, byte for byte; tests/test_json_text.py).

    pydantic refuses lone surrogates, which no UTF-8 file can hold. None should get here
    (file names are made readable by :func:`chuangyou.errors.path_text`, results files by
    :func:`chuangyou.errors.loads_json`, rubric files refuse them); should one still, the
    standard library writes it, as a ``\\udcff`` escape: valid UTF-8 that reads back the same.
    """
    try:
        return model.model_dump_json(indent=2)
    except ValueError:
        import json

        text = json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2)
        return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellRef(_Model):
    """Where a value came from: the field, the cell and what was written there."""

    field: str
    label: str = ""
    sheet: str
    cell: str
    value: str


class Organization(_Model):
    name: str
    township: str = ""
    subtype: str
    subtype_label: str = ""
    form: str = "党支部"
    year: int | None = None
    period: str = ""
    filled_by: str = ""
    code: str = ""  # 组织代码 (optional; the roster's stable code)


class Evidence(_Model):
    """One organization's evidence, parsed and located."""

    source: str
    organization: Organization
    rubric_ref: str = ""
    rubric_version: str = ""
    values: dict[str, Any]  # verified (核定值, falling back to 自评值)
    self_values: dict[str, Any]  # self-assessed (自评值)
    cells: dict[str, CellRef] = Field(default_factory=dict)
    self_cells: dict[str, CellRef] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


class RubricRef(_Model):
    id: str
    version: str
    sha256: str
    name: str = ""


class Deduction(_Model):
    rule: int  # 1-based position of the rule within its item; 0 for a 酌情 base score
    kind: str  # deduct | zero_if | score
    reason: str
    points: Score  # points actually lost to this rule (the item clamp applied)
    nominal: Score | None = None  # what the rule asked for, when the clamp cut it
    evidence: list[CellRef] = Field(default_factory=list)


class Award(_Model):
    rule: int
    reason: str
    points: Score  # points actually gained (the item clamp applied)
    nominal: Score | None = None  # what the rule offered, when the item was already full or 不得分
    evidence: list[CellRef] = Field(default_factory=list)


class ItemScore(_Model):
    id: str  # "<category id>.<item id>"
    name: str
    category: str
    points: Score
    score: Score
    deductions: list[Deduction] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)


def award_text(item: ItemScore, award: Award) -> str:
    """An award's reason, saying why it gave less than its rule offered."""
    if award.nominal is None:
        return award.reason
    if any(d.kind == "zero_if" for d in item.deductions):
        return f"{award.reason}（规则加 {fmt(award.nominal)} 分，该项不得分，加分不计）"
    if award.points == 0:
        return f"{award.reason}（规则加 {fmt(award.nominal)} 分，该项已是满分）"
    return f"{award.reason}（规则加 {fmt(award.nominal)} 分，加至满分为止）"


class CategoryScore(_Model):
    id: str
    name: str
    points: Score
    score: Score


class VetoHit(_Model):
    reason: str
    cap: str | None = None
    flag: str | None = None
    evidence: list[CellRef] = Field(default_factory=list)


#: The published tier of an organization held for a decision (a ``flag`` veto, 另行处理).
HELD_TIER = "待定（另行处理）"


def veto_text(hit: VetoHit) -> str:
    """A veto's reason and effect, saying 另行处理 once (many reasons end with it)."""
    effect = f"最高评为{hit.cap}" if hit.cap else (hit.flag or "另行处理")
    if hit.cap is None and hit.reason.rstrip("。").endswith(effect):
        return hit.reason
    return f"{hit.reason}（{effect}）"


class Flag(_Model):
    kind: str  # 另行处理 | 自评偏高
    reason: str


class ScoreCard(_Model):
    organization: Organization
    rubric: RubricRef
    source: str
    total: Score
    self_total: Score
    verified_total: Score
    tier: str  # published: after vetoes; HELD_TIER when held (另行处理)
    threshold_tier: str  # by the total alone
    held: bool = False
    categories: list[CategoryScore]
    items: list[ItemScore]
    vetoes: list[VetoHit] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def lost(self) -> Decimal:
        return sum((i.points - i.score for i in self.items), Decimal(0))
