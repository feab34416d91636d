"""The result cache: one entry per workbook, valid only for the same bytes and context.

An entry is named after the workbook's absolute path, so a corrected file replaces its
own entry instead of leaving an old one behind. It is used only when

* the context is the same: tool version, cache format, reader, and the rubric bytes
  (the sha256 of every bundled rubric, or of the ``--rubric`` file), see :func:`context`;
* the workbook's bytes are the same: its sha256 (the size is the fast pre-check: a file
  of another size is a miss without being read).

Only scored workbooks are cached: a file that fails is read again next time (its
messages name the path, and it is the one the user is about to correct).

Writes are atomic (a temporary file in the same folder, then a rename), so two runs
sharing a cache see either an old entry or a new one, never half of one; an entry is
written by the worker that scored the file, off the main process's serial path. No fsync:
a cache entry lost or cut short by a power cut is a miss, caught by the header's CRC.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chuangyou.scorecard import ScoreCard

from chuangyou.cache.entry import BadEntry, decode, encode, summary_from_json, summary_json

#: Workbooks larger than this are not cached (they are refused by the reader anyway).
MAX_WORKBOOK = 50 * 1024 * 1024


@dataclass(frozen=True)
class Hit:
    summary: tuple[Any, ...] | None  # batch.compact's summary fields; None for a failure
    blob: bytes  # the card's JSON as in batch.CardStore
    failure: tuple[str, list[str]] | None = None  # a file that could not be scored: reason, problems


@dataclass(frozen=True)
class Stamp:
    """What the main process saw of a workbook when it looked it up."""

    size: int
    mtime_ns: int


@dataclass(frozen=True)
class ResultCache:
    """Picklable: sent to the workers, which write the entries of the files they score."""

    folder: str  # .../results
    context: str

    def entry_path(self, path: Path) -> str:
        key = hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:40]
        return os.path.join(self.folder, key[:2], key)

    def lookup(self, path: Path, source: str) -> tuple[Hit | None, Stamp | None]:
        """The cached result for ``path`` if it is valid, and the file's stamp."""
        try:
            st = os.stat(path)
        except OSError:
            return None, None
        stamp = Stamp(st.st_size, st.st_mtime_ns)
        try:
            with open(self.entry_path(path), "rb") as handle:
                raw = handle.read()
        except OSError:
            return None, stamp
        try:
            return self._valid(raw, path, source, stamp), stamp
        except (BadEntry, ValueError, TypeError, KeyError, OSError, UnicodeError):
            return None, stamp  # never trusted: scored again, and the entry rewritten

    def _valid(self, raw: bytes, path: Path, source: str, stamp: Stamp) -> Hit | None:
        meta, blob = decode(raw)
        if meta.get("context") != self.context or meta.get("path") != _abs(path):
            return None
        if meta.get("size") != stamp.size or stamp.size > MAX_WORKBOOK:
            return None
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        if meta.get("sha256") != digest:
            return None
        if meta.get("failure") is not None:  # its messages name the file: only as named then
            return _failure(meta, source)
        summary = summary_from_json(meta.get("summary"))
        if summary[2] != meta.get("source") or not isinstance(meta.get("source"), str):
            return None
        if meta["source"] != source:  # the same file named another way (./a vs a)
            return _resourced(blob, source)
        return Hit(summary, blob)

    def write_scored(self, path: Path, stamp: Stamp, digest: str, item: Any) -> str | None:
        """A worker's write of the file it scored (``item``: batch.compact's pair, or a
        batch.Failure): nothing if the file was replaced while it was scored; the notice for
        the user if the entry could not be written."""
        if not unchanged(path, stamp):
            return None
        try:
            if isinstance(item, tuple):
                self.write(path, stamp, digest, item[0], item[1])
            else:
                self.write(path, stamp, digest, None, b"", (item.source, item.reason, list(item.problems)))
        except OSError as exc:  # a full disk, a folder made read-only meanwhile: the run goes on
            from chuangyou.safeio import os_reason

            return f"提示：结果缓存写入失败（{os_reason(exc)}），部分结果没有缓存"
        return None

    def write(self, path: Path, stamp: Stamp, digest: str, summary: tuple[Any, ...] | None, blob: bytes,
              failure: tuple[str, str, list[str]] | None = None) -> None:
        """Write the entry atomically; OSError when the cache cannot be written."""
        meta = {"context": self.context, "path": _abs(path), "size": stamp.size, "mtime_ns": stamp.mtime_ns,
                "sha256": digest}
        if summary is not None:
            meta.update(source=summary[2], summary=summary_json(summary))
        elif failure is not None:
            meta.update(source=failure[0], failure=[failure[1], failure[2]])
        target = self.entry_path(path)
        folder = os.path.dirname(target)
        if folder not in _MADE:
            os.makedirs(folder, exist_ok=True)
            _MADE.add(folder)
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_COUNTER)}")
        try:
            # O_EXCL: a name left by a killed run of another process with this pid is not reused.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(encode(meta, blob))
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


#: Shard folders this process has made (one makedirs each, not one per entry) and the
#: numbers of its temporary files.
_MADE: set[str] = set()
_COUNTER = itertools.count()


def _failure(meta: dict[str, Any], source: str) -> Hit | None:
    reason, problems = meta["failure"]
    if meta.get("source") != source or not isinstance(reason, str):
        return None
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        return None
    return Hit(None, b"", (reason, problems))


def _abs(path: Path) -> str:
    return os.path.abspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def file_digest(path: Path) -> tuple[Stamp, str] | None:
    """The stamp and sha256 of a workbook as a worker is about to score it."""
    try:
        st = os.stat(path)
        if st.st_size > MAX_WORKBOOK:
            return None
        with open(path, "rb") as handle:
            return Stamp(st.st_size, st.st_mtime_ns), hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None


def unchanged(path: Path, stamp: Stamp) -> bool:
    """The file still has the size and time it had when it was hashed (it was not
    replaced while it was scored)."""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (stamp.size, stamp.mtime_ns)


def _resourced(blob: bytes, source: str) -> Hit:
    """The same card under another ``source`` (the only field that depends on how the
    path was written), serialized as a cold run would."""
    from chuangyou.batch import IN_RESULTS, compact
    from chuangyou.scorecard import ScoreCard

    card = ScoreCard.model_validate_json(blob.decode().replace(IN_RESULTS, "\n"))
    summary, new = compact(card.model_copy(update={"source": source}))
    return Hit(summary, new)


def read_card(cache: ResultCache, path: Path) -> ScoreCard | None:
    """The whole cached card of one workbook (``chuangyou score``), or None."""
    from chuangyou.batch import IN_RESULTS
    from chuangyou.errors import path_text
    from chuangyou.scorecard import ScoreCard

    hit, _ = cache.lookup(path, path_text(path))
    if hit is None or hit.summary is None:
        return None
    try:
        return ScoreCard.model_validate_json(hit.blob.decode().replace(IN_RESULTS, "\n"))
    except ValueError:  # not what it says (or a lone surrogate's escape, as batch.CardStore.card)
        return None
