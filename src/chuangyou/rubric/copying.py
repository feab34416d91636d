"""A bundled rubric copied for editing, under a new id and version.

The copy keeps the bundled file's text (comments, order, layout) and changes only its
top-level ``id`` and ``version`` lines, so that a county's edited standard never shadows
the bundled one: results, templates and tier lists name the copy's id and version.
"""

from __future__ import annotations

import re
from pathlib import Path

from chuangyou.errors import UsageError
from chuangyou.rubric.load import load_rubric_text
from chuangyou.rubric.model import ID_PATTERN, Rubric
from chuangyou.rubric.registry import bundled_paths, find_bundled, load_cached

_TOP_ID = re.compile(r"^id:[^\n]*$", re.M)
_TOP_VERSION = re.compile(r"^version:[^\n]*$", re.M)


def bundled_source(ref: str) -> tuple[Rubric, Path]:
    """A bundled rubric (by id or alias) and its YAML file."""
    found = find_bundled(ref)
    if found is None:
        ids = "、".join(load_cached(str(p)).id for p in bundled_paths())
        raise UsageError(f"没有编号为“{ref}”的内置评定标准（内置：{ids}）；要修改自己的 YAML 文件，直接复制该文件即可")
    path = next(p for p in bundled_paths() if load_cached(str(p)).id == found.id)
    return found, path


def default_id(rubric: Rubric) -> str:
    return f"{rubric.id}_local"


def default_version(rubric: Rubric) -> str:
    return f"{rubric.version}-local"


def copy_text(rubric: Rubric, source: Path, new_id: str, new_version: str) -> str:
    """The YAML text of ``source`` with its id and version replaced (checked by loading it)."""
    if not re.match(ID_PATTERN, new_id):
        raise UsageError(f"新编号“{new_id}”不符合要求：只能用小写英文字母、数字和下划线，并以字母开头，如 village_local")
    if find_bundled(new_id) is not None:
        raise UsageError(f"新编号“{new_id}”与内置评定标准相同，复制件会与内置标准混淆，请换一个编号（如 {new_id}_local）")
    if not new_version.strip():
        raise UsageError("新版本号不能为空，如 2026.1-local")
    text = source.read_text(encoding="utf-8")
    if not (_TOP_ID.search(text) and _TOP_VERSION.search(text)):
        raise UsageError(f"{source.name} 中找不到顶层的 id 或 version 行，无法复制")
    quoted = new_version.replace("\\", "\\\\").replace('"', '\\"')
    text = _TOP_ID.sub(f"id: {new_id}", text, count=1)
    text = _TOP_VERSION.sub(f'version: "{quoted}"', text, count=1)
    copied = load_rubric_text(text, source.name)
    if (copied.id, copied.version) != (new_id, new_version):
        raise UsageError(f"{source.name} 的 id 或 version 无法改写")
    return text
