"""Score every evidence workbook under a folder, in parallel, never stopping on a bad file.

Workers read and score inside their own process (the rubric is compiled once per worker
and cached) and send back only the ScoreCard or a Failure. Results come back in the
order of the sorted file list, so a run is reproducible whatever the number of jobs.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from chuangyou.errors import ChuangyouError
from chuangyou.scorecard import ScoreCard

EVIDENCE_SUFFIXES = (".xlsx", ".xlsm", ".xls")
#: Written into the keywords of every workbook chuangyou exports, so a later run skips it.
OUTPUT_MARKER = "chuangyou-export"


class Failure(BaseModel):
    """A file that could not be scored, with the reasons users need to fix it."""

    model_config = ConfigDict(extra="forbid")

    source: str
    reason: str
    problems: list[str] = Field(default_factory=list)


@dataclass
class BatchResult:
    cards: list[ScoreCard]
    failures: list[Failure]
    skipped: list[str]


def _hidden(path: Path, root: Path) -> bool:
    parts = path.relative_to(root).parts
    return any(p.startswith((".", "~$")) for p in parts)


def scan(root: Path, exclude: tuple[Path, ...] = ()) -> list[Path]:
    """Evidence workbooks under ``root``: recursive, sorted, without lock/hidden files or outputs."""
    excluded = {p.resolve() for p in exclude}
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "~$")))
        for name in filenames:
            path = Path(dirpath) / name
            if not name.lower().endswith(EVIDENCE_SUFFIXES) or _hidden(path, root):
                continue
            if path.resolve() in excluded:
                continue
            found.append(path)
    return sorted(found, key=lambda p: str(p.relative_to(root)))


def is_own_output(path: Path) -> bool:
    """True for a workbook chuangyou exported (its core properties carry our marker)."""
    try:
        with zipfile.ZipFile(path) as archive:
            core = archive.read("docProps/core.xml")[:65536]
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError):
        return False
    return OUTPUT_MARKER.encode() in core


def score_file(path: Path, rubric_ref: str | None) -> ScoreCard | Failure | None:
    """Read and score one workbook; None when it is one of our own exports."""
    from chuangyou.engine import score
    from chuangyou.evidence import read_evidence
    from chuangyou.rubric import resolve

    try:
        forced = resolve(rubric_ref) if rubric_ref else None
        evidence = read_evidence(path, forced)
        rubric = forced or resolve(evidence.rubric_ref)
        return score(rubric, evidence)
    except ChuangyouError as exc:
        if is_own_output(path):
            return None
        return Failure(source=str(path), reason=exc.message, problems=[str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 - one broken file must never stop the batch
        if is_own_output(path):
            return None
        return Failure(source=str(path), reason=f"无法处理该文件（{type(exc).__name__}：{exc}）")


def _score_chunk(args: tuple[list[str], str | None]) -> list[ScoreCard | Failure | None]:
    paths, rubric_ref = args
    return [score_file(Path(p), rubric_ref) for p in paths]


def chunk_size(count: int, jobs: int) -> int:
    """Enough chunks to balance the workers, few enough to keep the overhead low."""
    return max(1, min(64, count // (jobs * 8) or 1))


def _results(paths: list[Path], rubric_ref: str | None, jobs: int) -> Iterator[ScoreCard | Failure | None]:
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield score_file(path, rubric_ref)
        return
    size = chunk_size(len(paths), jobs)
    chunks = [([str(p) for p in paths[i : i + size]], rubric_ref) for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        try:
            for batch in pool.map(_score_chunk, chunks):
                yield from batch
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def run_batch(
    paths: list[Path],
    rubric_ref: str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Score ``paths``; ``progress`` is called with the number of files done so far."""
    jobs = jobs or os.cpu_count() or 1
    cards: list[ScoreCard] = []
    failures: list[Failure] = []
    skipped: list[str] = []
    for done, (path, result) in enumerate(zip(paths, _results(paths, rubric_ref, jobs), strict=True), 1):
        if result is None:
            skipped.append(str(path))
        elif isinstance(result, Failure):
            failures.append(result)
        else:
            cards.append(result)
        if progress is not None:
            progress(done)
    return BatchResult(cards, failures, skipped)
