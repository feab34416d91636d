"""Score last year's workbooks again under a new standard, without guessing any value.

A workbook is read against the standard it was made for (its rows, its 标准版本), exactly
as the batch reads it; the values are then given to the engine with the new rubric. A field
the new standard needs that the workbook does not hold (a new field, or one the old
standard did not ask this kind of organization for) is never filled in: the organization
is listed with the missing fields instead of being scored. A field whose type, options,
range, unit or default changed is read again from the text of its cell under the new
definition; a value the new definition refuses is listed in the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from chuangyou.batch import Failure
from chuangyou.engine import score
from chuangyou.errors import ChuangyouError, path_text
from chuangyou.evidence import read_workbook
from chuangyou.evidence.data import field_rows, layout
from chuangyou.rubric.model import FieldSpec, Rubric
from chuangyou.scorecard import CellRef, Evidence, ScoreCard
from chuangyou.values import ValueProblem, parse_value
from chuangyou.whatif.compare import MissingField, MissingFields

#: What decides how a cell's text is read: a change in any of them means reading again.
READING = ("type", "options", "unit", "min", "max", "optional", "default")
NOT_IN_OLD = "旧标准中没有这一项，工作簿中没有这一行"
NOT_ASKED = "旧标准不要求此类组织填写这一项，工作簿中没有这一项的数据"


@dataclass
class Rescored:
    cards: list[ScoreCard] = field(default_factory=list)  # whole cards under the new standard
    missing: list[MissingFields] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


def _reads_same(a: FieldSpec, b: FieldSpec) -> bool:
    return all(getattr(a, key) == getattr(b, key) for key in READING)


def _reread(spec: FieldSpec, cell: CellRef) -> object:
    return parse_value(spec, cell.value)


def adapt(evidence: Evidence, old: Rubric, new: Rubric) -> tuple[Evidence, list[MissingField]]:
    """The evidence as the new standard reads it, and the fields it lacks for that."""
    subtype = evidence.organization.subtype
    before = {row.field_id: row.spec for row in field_rows(old)}
    values, self_values = dict(evidence.values), dict(evidence.self_values)
    missing: list[MissingField] = []
    for row in layout(new).for_subtype(subtype):
        fid, spec = row.field_id, row.spec
        if fid not in evidence.values:
            missing.append(MissingField(id=row.number, label=spec.label, reason=NOT_ASKED if fid in before else NOT_IN_OLD))
            continue
        old_spec = before.get(fid)
        if old_spec is not None and _reads_same(old_spec, spec):
            continue
        try:
            values[fid] = _reread(spec, evidence.cells[fid])
            self_values[fid] = _reread(spec, evidence.self_cells.get(fid, evidence.cells[fid]))
        except ValueProblem as exc:
            cell = evidence.cells[fid]
            missing.append(MissingField(id=row.number, label=spec.label,
                                        reason=f"{cell.sheet}!{cell.cell}：按新标准{exc.message}"))
    return evidence.model_copy(update={"values": values, "self_values": self_values}), missing


def rescore_file(path: Path, new: Rubric, old: Rubric | None) -> ScoreCard | MissingFields | Failure:
    source = path_text(path)
    try:
        rubric, evidence = read_workbook(path, old)
        adapted, missing = adapt(evidence, rubric, new)
        if missing:
            return MissingFields(source=source, fields=missing)
        return score(new, adapted)
    except ChuangyouError as exc:
        return Failure(source=source, reason=f"按新标准无法评分：{exc.message}", problems=[str(p) for p in exc.problems])


def rescore(paths: Iterable[Path], new: Rubric, old: Rubric | None = None) -> Rescored:
    """Each workbook under ``new``; ``old`` forces the standard they were read with (else their own)."""
    result = Rescored()
    for path in paths:
        found = rescore_file(path, new, old)
        if isinstance(found, ScoreCard):
            result.cards.append(found)
        elif isinstance(found, MissingFields):
            result.missing.append(found)
        else:
            result.failures.append(found)
    return result
