"""Where the cache lives, whether it can be used, and what a result depends on.

The user's cache folder (platformdirs: ``~/.cache/chuangyou`` on Linux,
``%LOCALAPPDATA%\\chuangyou\\Cache`` on Windows), or ``CHUANGYOU_CACHE_DIR``. A folder that
cannot be created or written means no cache for the run (said once), never an error.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from chuangyou import __version__
from chuangyou.cache.entry import FORMAT
from chuangyou.cache.results import ResultCache

ENV_DIR = "CHUANGYOU_CACHE_DIR"
ENV_MAX = "CHUANGYOU_CACHE_MAX_MB"
#: Default bound on the cache's size: about 80,000 entries (a province twice over).
DEFAULT_MAX_MB = 1024
RESULTS = "results"
RUBRICS = "rubrics"
TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by chuangyou (结果缓存，可随时删除).\n"
)


def cache_root() -> Path:
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("chuangyou", appauthor=False))


def max_bytes() -> int:
    try:
        return max(1, int(os.environ.get(ENV_MAX, DEFAULT_MAX_MB))) * 1024 * 1024
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


class Unusable(Exception):
    """The cache folder cannot be used; the message is the Chinese notice for the user."""


def writable_folder(sub: str) -> Path:
    """``cache_root()/sub``, created and checked by writing a file; Unusable if it cannot be."""
    from chuangyou.safeio import os_reason

    root = cache_root()
    folder = root / sub
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not (root / TAG).exists():
            (root / TAG).write_text(_TAG_TEXT, encoding="utf-8")
        probe = folder / f".probe-{os.getpid()}-{time.monotonic_ns()}"
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        os.unlink(probe)
    except OSError as exc:
        raise Unusable(f"提示：缓存文件夹 {root} 无法使用（{os_reason(exc)}），本次不使用结果缓存") from None
    return folder


def context(forced_sha256: str | None, reader: str) -> str:
    """What every cached result depends on besides the workbook's bytes."""
    parts = [f"format={FORMAT}", f"version={__version__}", f"reader={reader}"]
    if forced_sha256 is not None:
        parts.append(f"rubric={forced_sha256}")
    else:  # the workbook names a bundled rubric: any change to any of them invalidates
        from chuangyou.rubric.registry import bundled_paths

        for path in bundled_paths():
            parts.append(f"{path.name}={hashlib.sha256(path.read_bytes()).hexdigest()}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def default_reader() -> str:
    """The reader ``auto`` picks, found without importing it (a cache hit needs none)."""
    from importlib.util import find_spec

    return "calamine" if find_spec("python_calamine") is not None else "openpyxl"


def open_results(forced_sha256: str | None) -> ResultCache:
    """The result cache for a run; Unusable (with the notice) when there is none."""
    folder = writable_folder(RESULTS)
    return ResultCache(str(folder), context(forced_sha256, default_reader()))
