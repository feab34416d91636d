"""Bundled rubrics, validated once: a township's run need not parse three YAML files.

A rubric is cached as the JSON of its validated model, named after the sha256 of its
file's bytes, the tool's version and the format, so an edited or upgraded rubric is a
new entry and never a stale one. Loading it back skips YAML and the checks (they passed
when it was written, for these very bytes); its conditions are compiled when the engine
first needs them (ranking a folder whose results all come from the result cache does not).
Anything that does not check out is a miss: the file is loaded as usual. Only the
bundled rubrics are cached: a rubric author's file is checked on every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from chuangyou import __version__
from chuangyou.rubric.model import Example, Rubric

FORMAT = 1


def _name(raw: bytes) -> str:
    key = hashlib.sha256(raw)
    key.update(f"\n{__version__}\n{FORMAT}".encode())
    return key.hexdigest()[:40] + ".json"


def _folder() -> Path:
    from chuangyou.cache.location import RUBRICS, cache_root

    return cache_root() / RUBRICS


def cached_rubric(path: Path, raw: bytes) -> Rubric | None:
    """The rubric of ``raw`` (the bytes of ``path``) from the cache, or None."""
    try:
        data = json.loads((_folder() / _name(raw)).read_bytes())
        if data.get("sha256") != hashlib.sha256(raw).hexdigest():
            return None
        rubric = Rubric.model_validate_json(data["rubric"])
        rubric.examples = [Example.model_validate(_untagged(e)) for e in data["examples"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    rubric._sha256 = data["sha256"]
    rubric._path = str(path)
    rubric._pending_compile = True
    return rubric


def remember_rubric(raw: bytes, rubric: Rubric) -> None:
    """Cache a rubric just loaded and checked; quietly nothing when the cache cannot be written."""
    text = json.dumps({
        "sha256": rubric.sha256,
        "rubric": rubric.model_dump_json(exclude={"examples"}),
        "examples": [_tagged(e.model_dump(mode="python")) for e in rubric.examples],
    }, ensure_ascii=False)
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, folder / _name(raw))
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return


# An example's values are typed by the rubric's fields (bool, int, Decimal, text): JSON
# has no Decimal, so numbers that are Decimals are kept as {"$decimal": "98.5"}.
_DECIMAL = "$decimal"


def _tagged(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, dict):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    return value


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_DECIMAL}:
            return Decimal(value[_DECIMAL])
        return {k: _untagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    return value
