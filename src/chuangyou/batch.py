"""Score every evidence workbook under a folder, in parallel, never stopping on a bad file.

Workers read and score inside their own process and send back a compact result: the
ScoreCard's JSON text and the few fields ranking needs. Shipping whole pydantic
cards cost more to pickle and unpickle than scoring them, and 10,000 of them would not
fit in memory (~60 KB each). The parent keeps *summary cards* (everything but the
categories and items) for ranking and spools the JSON to a temporary file, from which
the output is streamed and full cards are rebuilt when an export needs them.

Results come back in the order of the sorted file list, so a run is reproducible whatever
the number of jobs, and its JSON is byte-identical for ``--jobs 1`` and ``--jobs N``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from chuangyou.errors import ChuangyouError, name_text, path_text
from chuangyou.safeio import OUTPUT_MARKER as OUTPUT_MARKER  # re-exported: older imports
from chuangyou.safeio import office_keywords
from chuangyou.scorecard import Flag, Organization, RubricRef, ScoreCard, VetoHit, model_json

if TYPE_CHECKING:
    from chuangyou.cache import ResultCache, Stamp

#: .et/.ods/.xlsb are not readable, but a file sent in the wrong format must be listed
#: under 未能评分 with advice, never silently left out of the ranking.
EVIDENCE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".xlsb")
#: Packed folders as materials are often sent: their workbooks are not read (see packed_workbooks).
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z")
#: Files per task sent to a worker, by measurement (3,000 workbooks, 2 jobs; docs/performance.md):
#: 4 to 64 cost the same within 5 %; 16 keeps the last task short (a balanced end)
#: and the progress bar smooth.
CHUNK = 16
#: A batch of at most this many cards keeps them parsed while an export reads them
#: (BatchResult.full_card): ~46 MB at most.
PARSED_KEPT = 1000
#: A line break inside a card in the batch JSON's ``results`` list (two levels in). JSON
#: strings hold no raw line breaks, so moving a card's text in is a replace.
IN_RESULTS = "\n    "


class Failure(BaseModel):
    """A file that could not be scored, with the reasons users need to fix it."""

    model_config = ConfigDict(extra="forbid")

    source: str
    reason: str
    problems: list[str] = Field(default_factory=list)


class CardStore:
    """Every ScoreCard of a batch as its JSON text, in a temporary file.

    A card is kept as it stands in the batch JSON's ``results`` list (indent 2, every line
    after the first moved 4 spaces in; see :data:`IN_RESULTS`), so printing 10,000 cards
    is a copy of bytes. Keeps memory flat whatever the number of files: ~8 KB of disk per
    card instead of ~60 KB of Python objects. (Compressing would save disk but cost the
    workers 7 % of the time it takes to read a workbook.)
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="chuangyou-cards-")  # noqa: SIM115 - see close()
        self._index: dict[str, tuple[int, int]] = {}
        self._end = 0
        self._at_end = True  # no seek (which flushes the buffer) between appends

    def add(self, source: str, blob: bytes) -> None:
        self._index[source] = self.put(blob)

    def put(self, blob: bytes) -> tuple[int, int]:
        """Append a card's text not yet named (see :meth:`link`); where it is."""
        if not self._at_end:
            self._file.seek(self._end)
            self._at_end = True
        self._file.write(blob)
        where = (self._end, len(blob))
        self._end += len(blob)
        return where

    def link(self, source: str, where: tuple[int, int]) -> None:
        self._index[source] = where

    def __contains__(self, source: object) -> bool:
        return source in self._index

    def blob(self, source: str) -> bytes:
        """The card's UTF-8 JSON as it stands in the batch JSON's ``results``."""
        offset, size = self._index[source]
        self._at_end = False
        self._file.seek(offset)
        return self._file.read(size)

    def text(self, source: str) -> str:
        """The card's JSON exactly as ``json.dumps(card.model_dump(mode="json"), indent=2)``."""
        return self.blob(source).decode().replace(IN_RESULTS, "\n")

    def card(self, source: str) -> ScoreCard:
        """The full ScoreCard (categories, items, evidence cells), rebuilt from its JSON."""
        blob = self.blob(source)
        try:
            return ScoreCard.model_validate_json(blob)
        except ValueError:  # pydantic's parser refuses a lone surrogate's escape (model_json)
            import json

            return ScoreCard.model_validate(json.loads(blob))

    def close(self) -> None:
        self._file.close()


@dataclass
class BatchResult:
    cards: list[ScoreCard]  # summary cards: no categories or items (see CardStore)
    failures: list[Failure]
    skipped: list[str]
    store: CardStore = field(default_factory=CardStore)
    cached: int = 0  # files whose result came from the result cache
    cache_notice: str | None = None  # why results could not be cached (said once)

    parsed: dict[str, ScoreCard] = field(default_factory=dict, repr=False)

    def full_card(self, card: ScoreCard) -> ScoreCard:
        """A summary card's whole card (items, deductions, evidence), read from the store.

        The export asks for each card about 5 times (one per sheet that shows items);
        parsing it once saves ~0.3 ms a card (~12 % of the export). A batch of at most
        :data:`PARSED_KEPT` cards (a county, a township) keeps them all parsed (~46 KB
        each); a larger one keeps none, so that memory stays flat: keeping its first 1,000
        cost 46 MB at 10,000 files to save 4 % of that export. The export only reads them.
        """
        found = self.parsed.get(card.source)
        if found is None:
            found = self.store.card(card.source)
            if len(self.cards) <= PARSED_KEPT:
                self.parsed[card.source] = found
        return found


def _hidden(path: Path, root: Path) -> bool:
    return _hidden_parts(path.relative_to(root).parts)


def _hidden_parts(parts: tuple[str, ...] | list[str]) -> bool:
    """Office lock files (~$) and hidden files and folders (.) are not materials."""
    return any(p.startswith((".", "~$")) for p in parts)


def scan(root: Path, exclude: tuple[Path, ...] = (), archives: list[Path] | None = None,
         unreadable: list[Failure] | None = None) -> list[Path]:
    """Evidence workbooks under ``root``: recursive, sorted, without lock/hidden files or outputs.

    Archives (.zip, .rar, .7z) found on the way are added to ``archives`` when it is given:
    workbooks sent packed are not read, and users must be told so. Symbolic links to
    folders are followed (each folder is scanned once: a link back up the tree, a loop,
    is not followed again). A folder that cannot be listed (no permission, a path longer
    than the system allows) is added to ``unreadable`` as a Failure saying why, so that
    no workbook is left out of a ranking without a word.
    """
    excluded = {p.resolve() for p in exclude}
    found = []
    seen: set[tuple[int, int]] = set()

    def failed(exc: OSError) -> None:
        if unreadable is not None:
            unreadable.append(_unreadable_folder(Path(exc.filename or root), exc))

    for dirpath, dirnames, filenames in os.walk(root, onerror=failed, followlinks=True):
        seen.add(_identity(dirpath))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "~$")) and _first_visit(dirpath, d, seen))
        for name in filenames:
            path = Path(dirpath) / name
            lower = name.lower()
            workbook = lower.endswith(EVIDENCE_SUFFIXES)
            if not (workbook or archives is not None and lower.endswith(ARCHIVE_SUFFIXES)) or _hidden(path, root):
                continue
            if not workbook and archives is not None:
                archives.append(path)
                continue
            if excluded and path.resolve() in excluded:
                continue
            found.append(path)
    if unreadable is not None:
        unreadable.sort(key=lambda failure: failure.source)
    return sorted(found, key=lambda p: str(p.relative_to(root)))


def _identity(path: str) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)  # os.walk reports it when it lists the folder
    return (info.st_dev, info.st_ino)


def _first_visit(parent: str, name: str, seen: set[tuple[int, int]]) -> bool:
    """Whether a subfolder is not a folder already scanned (reached again by a link)."""
    identity = _identity(os.path.join(parent, name))
    if identity == (-1, -1):
        return True  # let os.walk try it and report why it cannot
    if identity in seen:
        return False
    seen.add(identity)
    return True


def _unreadable_folder(path: Path, exc: OSError) -> Failure:
    from chuangyou.evidence.package import os_reason

    return Failure(source=path_text(path), reason=f"无法读取该文件夹（{os_reason(exc)}），其中的工作簿没有评分；"
                                                 "请检查文件夹的访问权限或缩短路径后重新运行")


def packed_workbooks(path: Path, present: set[str]) -> int | None:
    """How many workbooks a .zip holds that are not already unpacked (no file of that name
    in ``present``), read from its directory with nothing inflated; None when that cannot
    be told (a .rar or .7z, a damaged zip)."""
    if path.suffix.lower() != ".zip":
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = [_entry_name(info) for info in archive.infolist()]
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError):
        return None
    parts = [name.split("/") for name in names if name.lower().endswith(EVIDENCE_SUFFIXES)]
    return sum(1 for p in parts if p[0] != "__MACOSX" and not _hidden_parts(p) and p[-1] not in present)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its maker meant it: zips made on Chinese Windows store GBK names
    without saying so, which zipfile reads as cp437."""
    from chuangyou.evidence.limits import raw_name

    return name_text(raw_name(info)).replace("\\", "/")


def is_own_output(path: Path) -> bool:
    """True for a workbook chuangyou exported, of any kind (its core properties carry our
    marker): never evidence. Templates carry no marker: filled in, they are evidence."""
    return office_keywords(path) is not None


def score_file(path: Path, rubric_ref: str | None) -> ScoreCard | Failure | None:
    """Read and score one workbook; None when it is one of our own exports."""
    from chuangyou.engine import score
    from chuangyou.evidence import read_workbook
    from chuangyou.rubric import resolve

    try:
        forced = resolve(rubric_ref) if rubric_ref else None
        rubric, evidence = read_workbook(path, forced)
        return score(rubric, evidence)
    except ChuangyouError as exc:
        if is_own_output(path):
            return None
        return Failure(source=path_text(path), reason=exc.message, problems=[str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 - one broken file must never stop the batch
        if is_own_output(path):
            return None
        return Failure(source=path_text(path), reason=f"无法处理该文件（{type(exc).__name__}：{exc}）")


# --- compact results: what a worker sends back for a scored file -------------------------

Compact = tuple[tuple[Any, ...], bytes]  # (summary fields, card JSON in UTF-8, as in CardStore)


def compact(card: ScoreCard) -> Compact:
    rubric = card.rubric
    summary = (
        dict(card.organization), (rubric.id, rubric.version, rubric.sha256, rubric.name), card.source,
        card.total, card.self_total, card.verified_total, card.tier, card.threshold_tier, card.held,
        tuple((v.reason, v.cap, v.flag) for v in card.vetoes), tuple((f.kind, f.reason) for f in card.flags),
        tuple(card.warnings),
    )
    return summary, model_json(card).replace("\n", IN_RESULTS).encode()


class _Summaries:
    """Builds summary cards with as little memory as possible: ~4 KB each instead of ~6 KB.

    Repeated texts (townships, tiers, labels) and numbers become one shared object each,
    and every card shares one set of field names, which pydantic otherwise keeps per
    instance (a set of 15 names is ~1 KB). The values are exactly those of the card.
    """

    _CARD_FIELDS = set(ScoreCard.model_fields)
    _ORG_FIELDS = set(Organization.model_fields)

    def __init__(self) -> None:
        self._shared: dict[Any, Any] = {}
        self._refs: dict[tuple[str, ...], RubricRef] = {}

    def _one(self, value: Any) -> Any:
        # repr: Decimal("9.5") and Decimal("9.50") are equal but print differently.
        return self._shared.setdefault((type(value), repr(value)), value)

    def card(self, summary: tuple[Any, ...]) -> ScoreCard:
        org, rubric, source, total, self_total, verified, tier, threshold, held, vetoes, flags, warnings = summary
        one = self._one
        ref = self._refs.get(rubric)
        if ref is None:
            ref = self._refs[rubric] = RubricRef(id=rubric[0], version=rubric[1], sha256=rubric[2], name=rubric[3])
        organization = Organization.model_construct(
            _fields_set=self._ORG_FIELDS,
            **{k: v if k == "name" else one(v) for k, v in org.items()},
        )
        return ScoreCard.model_construct(
            _fields_set=self._CARD_FIELDS, organization=organization, rubric=ref, source=source,
            total=one(total), self_total=one(self_total), verified_total=one(verified), tier=one(tier),
            threshold_tier=one(threshold), held=held, categories=[], items=[],
            vetoes=[VetoHit(reason=one(r), cap=c, flag=f, evidence=[]) for r, c, f in vetoes],
            flags=[Flag(kind=one(k), reason=one(r)) for k, r in flags], warnings=[one(w) for w in warnings],
        )


def score_compact(path: Path, rubric_ref: str | None, cache: ResultCache | None = None) -> Compact | Failure | None:
    """Score one file into its compact result; with ``cache``, also write its entry."""
    stamped = None
    if cache is not None:
        from chuangyou.cache.results import file_digest

        stamped = file_digest(path)  # the bytes about to be scored (hashed before, checked after)
    result = score_file(path, rubric_ref)
    if isinstance(result, ScoreCard):
        try:
            done: Compact | Failure | None = compact(result)
        except Exception as exc:  # noqa: BLE001 - as in score_file: never stop the batch
            done = Failure(source=path_text(path), reason=f"无法处理该文件（{type(exc).__name__}：{exc}）")
    else:
        done = result
    if cache is not None and stamped is not None and done is not None:
        _cache_write(cache, path, stamped, done)
    return done


#: Why a worker could not write a cache entry (the first reason; reset for every chunk).
_WRITE_ERRORS: list[str] = []


def _cache_write(cache: ResultCache, path: Path, stamped: tuple[Stamp, str], done: Compact | Failure) -> None:
    if not _WRITE_ERRORS:  # once it failed (a full disk), the chunk does not try again
        notice = cache.write_scored(path, *stamped, done)
        if notice is not None:
            _WRITE_ERRORS.append(notice)


def _score_chunk(
    args: tuple[list[str], str | None, ResultCache | None],
) -> tuple[list[Compact | Failure | None], str | None]:
    paths, rubric_ref, cache = args
    _WRITE_ERRORS.clear()
    done = [score_compact(Path(p), rubric_ref, cache) for p in paths]
    return done, (_WRITE_ERRORS[0] if _WRITE_ERRORS else None)


def chunk_size(count: int, jobs: int) -> int:
    """CHUNK files per task, fewer when that would leave a worker without work."""
    return max(1, min(CHUNK, count // (jobs * 4)))


def _prepare(rubric_ref: str | None) -> None:
    """Import and load in the parent what every worker needs, so forked workers inherit it
    instead of each paying ~0.3 s (the rubrics are compiled once, here)."""
    import python_calamine  # noqa: F401

    import chuangyou.engine  # noqa: F401
    import chuangyou.evidence  # noqa: F401
    from chuangyou.rubric import resolve
    from chuangyou.rubric.registry import bundled_rubrics

    try:
        if rubric_ref:
            resolve(rubric_ref).ensure_compiled()
        else:
            for rubric in bundled_rubrics():  # a workbook names a bundled rubric, or the run forces one
                rubric.ensure_compiled()
    except ChuangyouError:
        pass  # each worker reports it for its files, as without preloading


def _pool(jobs: int) -> Any:
    from concurrent.futures import ProcessPoolExecutor

    if sys.platform.startswith("linux"):
        # fork: workers start in milliseconds with everything _prepare loaded. Safe here:
        # the pool starts its processes before any thread of ours (progress bar) exists.
        import multiprocessing

        return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))
    return ProcessPoolExecutor(max_workers=jobs)


def _results(
    paths: list[Path], rubric_ref: str | None, jobs: int, cache: ResultCache | None, notices: list[str]
) -> Iterator[Compact | Failure | None]:
    if len(paths) <= 1:
        for path in paths:
            _WRITE_ERRORS.clear()
            yield score_compact(path, rubric_ref, cache)
            notices += _WRITE_ERRORS[:1]
        return
    # With --jobs 1 too the files are scored in a worker process: a file that makes the
    # reader crash (an abort, not an exception) then fails alone instead of ending the run.
    from concurrent.futures.process import BrokenProcessPool

    _prepare(rubric_ref)
    size = chunk_size(len(paths), jobs)
    chunks = [([str(p) for p in paths[i : i + size]], rubric_ref, cache) for i in range(0, len(paths), size)]
    done = 0  # chunks whose results were given out
    while done < len(chunks):
        try:
            with _pool(min(jobs, len(chunks) - done)) as pool:
                try:
                    for batch, notice in pool.map(_score_chunk, chunks[done:]):
                        if notice is not None:
                            notices.append(notice)
                        yield from batch
                        done += 1
                except BaseException:
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
        except BrokenProcessPool:
            # A worker died (a reader crashing on some file: an abort is not an exception).
            # Every unfinished chunk failed with it, so the first one is scored again file by
            # file, each in a process of its own: the culprit becomes a Failure, the others
            # score; then a new pool takes the rest (and does this again if another crashes).
            for name in chunks[done][0]:
                yield _isolated(Path(name), rubric_ref)  # not cached: rare, and scored again next time
            done += 1


SAME_NAME = (
    "文件名与同一文件夹中的另一个文件显示相同（两者的文件名编码不同，多为同一压缩包解压了两次），无法区分；"
    "请删除或重命名其中一个后再评定"
)
CRASHED = "读取该文件时评分进程意外退出（文件可能已损坏或被特意构造），已跳过；请在 Excel 或 WPS 中打开检查，另存为 .xlsx 后再试"


def _isolated(path: Path, rubric_ref: str | None) -> Compact | Failure | None:
    """Score one file in a process of its own; a crash of that process is this file's Failure."""
    from concurrent.futures.process import BrokenProcessPool

    with _pool(1) as pool:
        try:
            return pool.submit(score_compact, path, rubric_ref).result()
        except BrokenProcessPool:
            return Failure(source=path_text(path), reason=CRASHED)


#: Scoring is CPU-bound: more processes than this many per core only cost memory (~60 MB
#: each; -j 300 started 300 of them).
JOBS_PER_CORE = 2


def jobs_limit() -> int:
    return (os.cpu_count() or 1) * JOBS_PER_CORE


def effective_jobs(requested: int | None, files: int) -> int:
    """Worker processes for a batch: as requested (default: one per core), at most
    :func:`jobs_limit` and never more than there are files."""
    jobs = requested or os.cpu_count() or 1
    return max(1, min(jobs, jobs_limit(), files))


def run_batch(
    paths: list[Path],
    rubric_ref: str | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
) -> BatchResult:
    """Score ``paths``; ``progress`` is called with the number of files done so far.

    With ``cache``, unchanged workbooks take their result from it (read here, in order,
    straight into the store: ~0.1 ms each) and only the others go to the workers, which
    write their entries. The result is the same, byte for byte, as without the cache.
    """
    result = BatchResult([], [], [])
    summaries = _Summaries()
    hits = _cached(paths, cache, result.store, summaries) if cache is not None else {}
    result.cached = len(hits)
    notices: list[str] = []
    misses = [path for n, path in enumerate(paths) if n not in hits]
    jobs = effective_jobs(jobs, len(misses))
    scored = _results(misses, rubric_ref, jobs, cache, notices)
    for done, path in enumerate(paths, 1):
        hit = hits.pop(done - 1, None)
        if isinstance(hit, Failure):
            result.failures.append(hit)
        elif hit is not None:
            card, where = hit
            if card.source in result.store:  # two names that read the same (errors.path_text)
                result.failures.append(Failure(source=card.source, reason=SAME_NAME))
            else:
                result.store.link(card.source, where)
                result.cards.append(card)
        else:
            _take(result, summaries, path, next(scored))
        if progress is not None:
            progress(done)
    if cache is not None and misses:
        from chuangyou.cache.manage import prune

        prune()
    result.cache_notice = notices[0] if notices else None
    return result


def _cached(
    paths: list[Path], cache: ResultCache, store: CardStore, summaries: _Summaries
) -> dict[int, tuple[ScoreCard, tuple[int, int]] | Failure]:
    """The files (by position) whose cached result is valid, their texts already stored."""
    hits: dict[int, tuple[ScoreCard, tuple[int, int]] | Failure] = {}
    for n, path in enumerate(paths):
        source = path_text(path)
        hit, _ = cache.lookup(path, source)
        if hit is None:
            continue
        if hit.summary is None:
            reason, problems = hit.failure or ("", [])
            hits[n] = Failure(source=source, reason=reason, problems=problems)
        else:
            hits[n] = (summaries.card(hit.summary), store.put(hit.blob))
    return hits


def _take(result: BatchResult, summaries: _Summaries, path: Path, item: Compact | Failure | None) -> None:
    if item is None:
        result.skipped.append(path_text(path))
    elif isinstance(item, Failure):
        result.failures.append(item)
    else:
        summary, blob = item
        card = summaries.card(summary)
        if card.source in result.store:  # two names that read the same (errors.path_text)
            result.failures.append(Failure(source=card.source, reason=SAME_NAME))
        else:
            result.store.add(card.source, blob)
            result.cards.append(card)
