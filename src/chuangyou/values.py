"""Parsing one evidence value for a field: tolerant where the meaning is certain, strict otherwise.

``parse_value(spec, raw)`` returns a bool, a Decimal, a str or None (empty optional field)
or raises :class:`ValueProblem` whose message says what was found and what is expected
(the caller adds file, sheet and cell).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import re
import unicodedata
from decimal import Decimal
from typing import Any

from chuangyou.rubric.model import FieldSpec

Value = bool | Decimal | str | None

TRUE_WORDS = frozenset({"是", "有", "√", "✓", "✔", "y", "yes", "true", "对"})
FALSE_WORDS = frozenset({"否", "无", "×", "✗", "✘", "x", "n", "no", "false", "没有", "错"})
NOT_APPLICABLE = "不适用"
MAX_TEXT = 2000

_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")


class ValueProblem(ValueError):
    """A value that cannot be used; ``message`` is Chinese and self-contained."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def normalize_text(raw: Any) -> str:
    """Full-width → half-width (NFKC), unify every kind of space, trim."""
    text = raw if type(raw) is str else str(raw)
    if len(text) <= _CACHED_LENGTH:
        return _normalize_short(text)
    return _normalize(text)


def _normalize(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


# A batch meets the same labels, headers and answers in every workbook: short texts are
# normalized once per process (~1 µs each otherwise, hundreds per workbook). Long texts are
# not kept, so the cache stays under a few MB whatever the input.
_CACHED_LENGTH = 64
_normalize_short = functools.lru_cache(maxsize=16_384)(_normalize)


def display(raw: Any) -> str:
    """How a raw cell value is shown back to the user in messages."""
    if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
        return str(int(raw))
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    text = str(raw)
    return text if len(text) <= 40 else text[:40] + "…"


def is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if not isinstance(raw, str):
        return False
    if raw:
        first = raw[0]
        # Printable ASCII and CJK ideographs are their own NFKC form and never spaces:
        # the text is not blank (most cells; the full test below costs ~1 µs).
        if "!" <= first <= "~" or "\u4e00" <= first <= "\u9fff":
            return False
    return normalize_text(raw) == ""


def parse_value(spec: FieldSpec, raw: Any) -> Value:
    if is_blank(raw):
        if spec.optional:
            return None if spec.default is None else parse_value(spec.model_copy(update={"optional": False}), spec.default)
        raise ValueProblem(f"“{spec.label}”未填写，{expected(spec)}")
    if isinstance(raw, _dt.datetime | _dt.date | _dt.time):
        raise ValueProblem(f"“{spec.label}”的值“{raw}”是日期/时间，{expected(spec)}")
    if spec.type == "bool":
        return _parse_bool(spec, raw)
    if spec.type in ("int", "number", "score"):
        return _parse_number(spec, raw)
    if spec.type == "choice":
        text = normalize_text(raw)
        options = spec.options or []
        if text in options:
            return text
        for option in options:  # options typed with other widths/spaces
            if normalize_text(option) == text:
                return option
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是可选项，{expected(spec)}")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise ValueProblem(f"“{spec.label}”的文字过长（{len(text)} 字，最多 {MAX_TEXT} 字）")
    return text


def _parse_bool(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = normalize_text(raw).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”无法识别，{expected(spec)}")


def _parse_number(spec: FieldSpec, raw: Any) -> Decimal:
    number = _to_decimal(spec, raw)
    if spec.type == "int" and number != number.to_integral_value():
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是整数，{expected(spec)}")
    if spec.unit == "%" and isinstance(raw, float) and 0 < raw < 1 and (spec.max or 0) > 1:
        raise ValueProblem(
            f"“{spec.label}”的值“{display(raw)}”疑似按百分比格式输入（{raw:.0%}），请直接填写数值，如 {raw * 100:g}"
        )
    low = Decimal(0) if spec.type == "score" and spec.min is None else spec.min
    if low is not None and number < low:
        raise ValueProblem(f"“{spec.label}”的值 {display(raw)} 小于下限 {_plain(low)}，{expected(spec)}")
    if spec.max is not None and number > spec.max:
        raise ValueProblem(f"“{spec.label}”的值 {display(raw)} 超过上限 {_plain(spec.max)}，{expected(spec)}")
    return number


def _to_decimal(spec: FieldSpec, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueProblem(f"“{spec.label}”的值不是有效数字，{expected(spec)}")
        # Excel stores 0.1 as the nearest double; repr gives the shortest text that
        # round-trips, which is what the user typed.
        return Decimal(repr(raw))
    text = normalize_text(raw)
    unit = spec.unit or ("分" if spec.type == "score" else None)  # the unit expected() promises
    if unit:
        unit = normalize_text(unit)
        if text.endswith(unit):
            text = text[: -len(unit)].strip()
    if "," in text:
        # Only a thousands separator is certain; "1,5" may mean 1.5 and must not become 15.
        if not _GROUPED.fullmatch(text):
            raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}")
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except decimal.InvalidOperation:
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}") from None
    if not number.is_finite():
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是有效数字，{expected(spec)}")
    return number


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def expected(spec: FieldSpec) -> str:
    """What a field accepts, as a Chinese phrase (used in messages and the template)."""
    if spec.type == "bool":
        return "应填写 是 或 否"
    if spec.type == "choice":
        return "应从下拉列表中选择：" + "、".join(spec.options or [])
    if spec.type == "text":
        return "应填写文字说明"
    what = "整数" if spec.type == "int" else "数字"
    low = Decimal(0) if spec.type == "score" and spec.min is None else spec.min
    unit = spec.unit or ("分" if spec.type == "score" else "")
    if low is not None and spec.max is not None:
        return f"应填写 {_plain(low)}～{_plain(spec.max)} 之间的{what}{('（单位：' + unit + '）') if unit else ''}"
    if low is not None:
        return f"应填写不小于 {_plain(low)} 的{what}{('（单位：' + unit + '）') if unit else ''}"
    return f"应填写{what}{('（单位：' + unit + '）') if unit else ''}"
