"""Keeping the cache bounded, and `chuangyou cache info|clear`."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from chuangyou.cache.location import RESULTS, RUBRICS, TAG, cache_root, max_bytes

#: A temporary file older than this was left by a run that was killed while writing.
STALE_TMP_SECONDS = 3600


@dataclass
class Usage:
    root: Path
    entries: int
    rubrics: int
    size: int  # bytes of every file under the root
    limit: int


def _files(folder: Path) -> list[os.DirEntry[str]]:
    found: list[os.DirEntry[str]] = []
    try:
        shards = list(os.scandir(folder))
    except OSError:
        return found
    for shard in shards:
        if shard.is_dir(follow_symlinks=False):
            try:
                found += [e for e in os.scandir(shard.path) if e.is_file(follow_symlinks=False)]
            except OSError:
                continue
        elif shard.is_file(follow_symlinks=False):
            found.append(shard)
    return found


def _size(entry: os.DirEntry[str]) -> tuple[int, float]:
    try:
        st = entry.stat(follow_symlinks=False)
    except OSError:
        return 0, 0.0
    return st.st_size, st.st_mtime


def usage() -> Usage:
    root = cache_root()
    results = [e for e in _files(root / RESULTS) if not e.name.startswith(".")]
    rubrics = [e for e in _files(root / RUBRICS) if not e.name.startswith(".")]
    size = 0
    for _dirpath, _dirs, names in os.walk(root):
        for name in names:
            try:
                size += os.lstat(os.path.join(_dirpath, name)).st_size
            except OSError:
                continue
    return Usage(root, len(results), len(rubrics), size, max_bytes())


def prune(limit: int | None = None) -> int:
    """Drop the oldest entries until the results take at most 90 % of the limit, and
    temporary files left by killed runs; the number of files removed."""
    limit = max_bytes() if limit is None else limit
    now = time.time()
    files = [(e, *_size(e)) for e in _files(cache_root() / RESULTS)]
    removed = 0
    live = []
    for entry, size, mtime in files:
        if entry.name.startswith(".tmp-"):
            if now - mtime > STALE_TMP_SECONDS and _unlink(entry.path):
                removed += 1
            continue
        live.append((mtime, size, entry.path))
    total = sum(size for _, size, _ in live)
    if total <= limit:
        return removed
    live.sort()
    for _mtime, size, path in live:
        if total <= limit * 0.9:
            break
        if _unlink(path):
            removed += 1
        total -= size  # also when another run removed it first
    return removed


def _unlink(path: str) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def clear() -> Usage:
    """Remove the cached results and rubrics; what there was."""
    before = usage()
    for sub in (RESULTS, RUBRICS):
        shutil.rmtree(before.root / sub, ignore_errors=True)
    tag = before.root / TAG
    if tag.exists():
        _unlink(str(tag))
    return before
