"""Find rubrics: bundled ones by id or alias, or a YAML file by path."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from chuangyou.errors import ChuangyouError, UsageError
from chuangyou.rubric.model import Rubric


def bundled_dir() -> Path:
    """Bundled rubrics: inside the installed package, or the source tree's top-level rubrics/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "rubrics", here.parent.parent / "rubrics"):
        if candidate.is_dir():
            return candidate
    raise UsageError("找不到内置的评定标准目录 rubrics/，安装可能不完整，请重新安装 chuangyou")


def bundled_paths() -> list[Path]:
    return list(_bundled_paths())


@lru_cache(maxsize=1)
def _bundled_paths() -> tuple[Path, ...]:
    # Looked up once per process: every workbook of a batch names its rubric (a glob and
    # a resolve cost ~0.1 ms, as much as scoring a workbook). The installed files do not
    # change while a command runs.
    return tuple(sorted(bundled_dir().glob("*.yaml")))


def bundled_rubrics() -> list[Rubric]:
    return [_load_bundled(p) for p in bundled_paths()]


@lru_cache(maxsize=64)
def _load(path: str, mtime_ns: int) -> Rubric:
    from chuangyou.rubric.load import load_rubric

    return load_rubric(path)


@lru_cache(maxsize=16)
def _load_bundled(path: Path) -> Rubric:
    # Installed files do not change while a command runs: no stat for every workbook.
    # Validated once per installed version: from the cache (chuangyou.cache.rubrics) a
    # rubric loads in ~10 ms instead of ~50 ms of YAML and checks.
    from chuangyou.cache.rubrics import cached_rubric, remember_rubric

    try:
        raw = path.read_bytes()
    except OSError:
        raise UsageError(f"找不到评定标准文件：{path}") from None
    rubric = cached_rubric(path, raw)
    if rubric is None:
        rubric = load_cached(str(path))
        if rubric.sha256 == hashlib.sha256(raw).hexdigest():  # the bytes just hashed: not changed meanwhile
            remember_rubric(raw, rubric)
    return rubric


def load_cached(path: str) -> Rubric:
    """Load once per process (batch workers score many files with one rubric)."""
    p = Path(path)
    try:
        mtime = p.stat().st_mtime_ns
    except OSError:
        raise UsageError(f"找不到评定标准文件：{path}") from None
    return _load(str(p), mtime)


def _is_file(ref: str) -> bool:
    """Path.is_file that is False (not an error) for names the OS cannot even look up."""
    try:
        return Path(ref).is_file()
    except (OSError, ValueError):
        return False


def _looks_like_path(ref: str) -> bool:
    return ref.lower().endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


def find_bundled(ref: str) -> Rubric | None:
    """A bundled rubric by id, alias or Chinese name; never a file path."""
    paths = bundled_paths()
    for path in paths:
        if path.stem == ref:
            return _load_bundled(path)
    for path in paths:
        try:
            rubric = _load_bundled(path)
        except ChuangyouError:  # a broken bundled file must not hide the others
            continue
        if ref in rubric.aliases or ref == rubric.name:
            return rubric
    return None


def resolve(ref: str) -> Rubric:
    """A rubric from an id, an alias, a Chinese name, or a path to a YAML file.

    An id is an id: only a reference that looks like a path (a .yaml/.yml suffix or a
    folder separator) is opened as a file. A file named ``village`` in the working folder
    once silently replaced the bundled standard (other cut-offs and quotas applied).
    """
    ref = ref.strip()
    if _looks_like_path(ref):
        if not _is_file(ref):
            raise UsageError(f"找不到评定标准文件：{ref}")
        return load_cached(ref)
    found = find_bundled(ref)
    if found is not None:
        return found
    known = "、".join(p.stem for p in bundled_paths())
    hint = (f"当前文件夹中名为“{ref}”的文件不会被当作评定标准：请用 .yaml 扩展名或写成 ./{ref}"
            if _is_file(ref) else "也可以给出 .yaml 文件路径")
    raise UsageError(f"未找到评定标准“{ref}”。内置的有：{known}；{hint}")
