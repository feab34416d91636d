"""One exception root; every expected failure is a ChuangyouError with a Chinese message."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know.

    ``where`` is already formatted for users: ``village.yaml:12`` for a rubric,
    ``branch.xlsx 考评数据!G7`` for a workbook.
    """

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ChuangyouError(Exception):
    """Root of all expected errors. ``exit_code`` follows the CLI contract."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        lines = [self.message] + [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class UsageError(ChuangyouError):
    """Wrong arguments, missing files, unknown rubric ids."""

    exit_code = 2


class RubricError(ChuangyouError):
    """A rubric file that cannot be loaded; ``problems`` carry file:line."""

    exit_code = 2


class ConditionError(ChuangyouError):
    """A condition expression outside the language (raised while compiling)."""

    exit_code = 2


class EvidenceError(ChuangyouError):
    """An evidence workbook that cannot be read or has invalid values."""

    exit_code = 1


class EvaluationError(ChuangyouError):
    """A condition failed while evaluating against evidence (e.g. division by zero)."""

    exit_code = 1


def path_text(path: str | os.PathLike[str]) -> str:
    """A path as text that users can read and every output (JSON, CSV, workbook) can hold.

    On Linux a file name is bytes. A name that is not UTF-8 (typically a zip made on
    Chinese Windows and unpacked without ``unzip -O GBK``) comes back from the OS with
    lone surrogates, which no output can hold. Each such part of the path is read as
    GB18030 (GBK) when its bytes are that, else with U+FFFD for what cannot be read.
    """
    text = os.fspath(path)
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return "/".join(_part_text(part) for part in text.split("/"))


def _part_text(part: str) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:
        pass
    try:
        raw = part.encode("utf-8", "surrogateescape")  # the name's own bytes
    except UnicodeEncodeError:  # another lone surrogate (a broken UTF-16 name on Windows)
        return SURROGATE.sub("\ufffd", part)
    return name_text(raw)


def name_text(raw: bytes) -> str:
    """A file name's bytes as text: UTF-8, else GB18030 (names made on Chinese Windows),
    else UTF-8 with U+FFFD for what cannot be read."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: no UTF-8 file can hold one


#: A JSON file we read (a batch's results, last year's results): ~16 KB per organization,
#: so about 60,000 organizations; a tampered file is refused before it is read.
MAX_JSON_BYTES = 1024 * 1024 * 1024
#: Digits of a number in a JSON file: years, ranks and counts have a few (scores are strings).
MAX_JSON_DIGITS = 40


class JSONLimitError(ValueError):
    """A JSON text past one of the bounds of :func:`loads_json`; ``str()`` is a Chinese reason."""


def _json_number(text: str) -> int | float:
    if len(text) > MAX_JSON_DIGITS:
        raise JSONLimitError(f"数字“{text[:20]}…”过长（共 {len(text)} 位，最多 {MAX_JSON_DIGITS} 位）")
    number = float(text) if any(c in text for c in ".eE") else int(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise JSONLimitError(f"数字“{text}”超出可用范围")
    return number


def _json_constant(name: str) -> Any:
    raise JSONLimitError(f"“{name}”不是数字（JSON 中没有 NaN 和 Infinity）")


def loads_json(text: str) -> Any:
    """``json.loads`` bounded and made safe for every output: a number of more than
    MAX_JSON_DIGITS characters, ``1e999``, ``NaN``/``Infinity`` and nesting deeper than
    Python's recursion limit (~1,000 levels; ours has 6) raise :class:`JSONLimitError`;
    a lone surrogate, which JSON can spell as an escape (``\\udcff``) but no UTF-8 file
    can hold, becomes U+FFFD. Syntax errors raise json.JSONDecodeError as json.loads does.
    Callers bound the size (MAX_JSON_BYTES) before reading the file."""
    import json

    try:
        data = json.loads(text, parse_int=_json_number, parse_float=_json_number, parse_constant=_json_constant)
    except RecursionError:
        raise JSONLimitError("嵌套层次过深（超过约 1000 层），不是本工具写出的文件") from None
    return _without_surrogates(data) if _SURROGATE_ESCAPE.search(text) else data


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value
