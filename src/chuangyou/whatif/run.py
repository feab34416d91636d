"""A what-if run: the folder scored and ranked as ``rank`` does, then again under the new
standard (or the new quotas), and the two rankings compared."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from chuangyou.batch import BatchResult, Failure, run_batch
from chuangyou.errors import UsageError, path_text
from chuangyou.ranking import Ranking, rank
from chuangyou.ranking.rank import without_duplicates
from chuangyou.rubric.model import QuotaRule, Rubric
from chuangyou.rubric.registry import find_bundled
from chuangyou.scorecard import ScoreCard
from chuangyou.whatif.compare import WhatIf, compare
from chuangyou.whatif.rescore import Rescored, rescore

#: ``run_batch``'s shape: the CLI passes one that shows a progress bar.
Batch = Callable[[list[Path], str | None, int | None], BatchResult]


@dataclass
class Outcome:
    """Everything a what-if run found; ``whatif`` is what ``--format json`` prints."""

    whatif: WhatIf
    before: Ranking
    after: Ranking
    rubrics_before: dict[str, Rubric]
    rubrics_after: dict[str, Rubric]
    failures: list[Failure] = field(default_factory=list)  # not scored at all, or not under the new standard
    skipped: list[str] = field(default_factory=list)
    scored: int = 0  # organizations scored (and compared) under the current standard
    files: int = 0


def _batch(paths: list[Path], rubric_ref: str | None, jobs: int | None) -> BatchResult:
    return run_batch(paths, rubric_ref, jobs)


def rubrics_of(cards: list[ScoreCard], old: Rubric | None) -> dict[str, Rubric]:
    """The standard each group was scored with: the forced one, else the bundled one the
    workbooks name (by id, never a file of that name)."""
    found: dict[str, Rubric] = {}
    for card in cards:
        rid = card.rubric.id
        if rid in found:
            continue
        rubric = old if old is not None and old.id == rid else find_bundled(rid)
        if rubric is None:
            raise UsageError(f"找不到评定标准“{rid}”，无法排名")
        found[rid] = rubric
    return found


def what_if(
    paths: list[Path],
    new: Rubric | None,
    quotas: Mapping[str, QuotaRule] | None = None,
    *,
    old: Rubric | None = None,
    jobs: int | None = None,
    batch: Batch = _batch,
) -> Outcome:
    """Score ``paths`` (each with its own standard, or ``old``), rank; then rank again with
    the organizations of ``new``'s id scored under ``new`` and with ``quotas``; compare."""
    if new is None and not quotas:
        raise UsageError("请用 --rubric 给出新的评定标准，或用 --quota 给出新的名额比例")
    result = batch(paths, old.path if old is not None else None, jobs)
    try:
        return _compared(result, paths, new, quotas, old)
    finally:
        result.store.close()


def _compared(result: BatchResult, paths: list[Path], new: Rubric | None,
              quotas: Mapping[str, QuotaRule] | None, old: Rubric | None) -> Outcome:
    cards, failures = without_duplicates(result.cards, result.failures)
    rubrics_before = rubrics_of(cards, old)
    before = rank(cards, rubrics_before)
    rescored = Rescored()
    after_cards, rubrics_after = cards, dict(rubrics_before)
    if new is not None:
        if new.id not in rubrics_before:
            found = "、".join(sorted(rubrics_before)) or "无"
            raise UsageError(f"新评定标准的编号“{new.id}”与文件夹中各工作簿的评定标准（{found}）都不同，无法比较；"
                             "新标准应沿用旧标准的编号（id），只改版本（version）")
        by_source = {path_text(p): p for p in paths}
        targets = [c for c in cards if c.rubric.id == new.id]
        rescored = rescore([by_source[c.source] for c in targets], new, old)
        after_cards = [c for c in cards if c.rubric.id != new.id] + rescored.cards
        rubrics_after[new.id] = new
    after = rank(after_cards, rubrics_after, quotas=quotas)
    again = {c.source for c in rescored.cards}

    def after_card(card: ScoreCard) -> ScoreCard:
        return card if card.source in again else result.full_card(card)

    whatif = compare(before, after, result.full_card, after_card, rescored.missing)
    return Outcome(
        whatif=whatif, before=before, after=after, rubrics_before=rubrics_before, rubrics_after=rubrics_after,
        failures=sorted(failures + rescored.failures, key=lambda f: f.source), skipped=list(result.skipped),
        scored=len(cards), files=len(paths),
    )
