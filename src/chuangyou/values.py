"""Parsing one evidence value for a field: tolerant where the meaning is certain, strict otherwise.

``parse_value(spec, raw)`` returns a bool, a Decimal, a str or None (empty optional field)
or raises :class:`ValueProblem` whose message says what was found and what is expected
(the caller adds file, sheet and cell).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import math
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
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int | float):
        return shown_number(raw)
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


# A batch meets the same answers in the same fields in every workbook (是/否, small counts,
# typical scores): a cell's value is parsed once per process for each field and kept (the
# specs are the rubric's own objects, alive for the process; kept with the value, so that
# an id is never taken for another spec's). Only values that parsed: a wrong one is
# reported each time. -0.0 (parsed as -0.0, equal to 0.0) and long texts are not kept.
_PARSED: dict[tuple[int, type, Any, bool], tuple[FieldSpec, Value]] = {}
_PARSED_MAX = 50_000


def memorable(raw: Any) -> bool:
    """Whether a raw cell value can key a per-process memo by its type and value: ints,
    bools, non-zero floats (-0.0 equals 0.0 but shows "-0") and short texts."""
    kind = type(raw)
    return kind is int or kind is bool or kind is float and bool(raw) or kind is str and len(raw) <= _CACHED_LENGTH


def parse_cell(spec: FieldSpec, raw: Any, *, percent: bool = False) -> Value:
    """:func:`parse_value` of an evidence cell, remembered per field and raw value."""
    if memorable(raw):
        key = (id(spec), type(raw), raw, percent)
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is spec:
            return hit[1]
        value = parse_value(spec, raw, percent=percent)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = (spec, value)
        return value
    return parse_value(spec, raw, percent=percent)


def parse_value(spec: FieldSpec, raw: Any, *, percent: bool = False) -> Value:
    """``percent``: the cell shows the number as a percentage (a percent number format):
    the stored 0.945 is the 94.5 % the user typed and sees."""
    if is_blank(raw):
        if spec.optional:
            return None if spec.default is None else parse_value(spec.model_copy(update={"optional": False}), spec.default)
        raise ValueProblem(f"“{spec.label}”未填写，{expected(spec)}")
    if isinstance(raw, _dt.datetime | _dt.date | _dt.time):
        raise ValueProblem(f"“{spec.label}”的值“{raw}”是日期/时间，{expected(spec)}")
    if percent and _is_number(raw):
        if spec.type in ("int", "number", "score") and spec.unit != "%":
            raise ValueProblem(
                f"“{spec.label}”的单元格设置了百分比格式（显示为 {shown_number(raw, percent=True)}），"
                f"但该项不是百分比；请把单元格格式改为“常规”后重新填写，{expected(spec)}"
            )
        if spec.type not in ("int", "number", "score"):
            raw = shown_number(raw, percent=True)  # text and choices: the text the cell shows
    if spec.type == "bool":
        return _parse_bool(spec, raw)
    if spec.type in ("int", "number", "score"):
        return _parse_number(spec, raw, percent=percent)
    if spec.type == "choice":
        text = normalize_text(raw)
        options = spec.options or []
        if text in options:
            return text
        for option in options:  # options typed with other widths/spaces
            if normalize_text(option) == text:
                return option
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是可选项，{expected(spec)}")
    text = shown_number(raw) if _is_number(raw) else str(raw).strip()
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


# Excel keeps 15 significant digits of a number and never shows more: a double such as
# 0.9999999999999999 (a formula's rounding error) is the 1 the cell shows.
SIGNIFICANT = 15
# The largest magnitude any field can mean (counts of people, days, hours, square metres);
# a field's own max is usually far lower. Bounding every value keeps all arithmetic on it
# exact (see chuangyou.engine.SCORING).
LARGEST = Decimal(10) ** 9
SMALLEST = Decimal(10) ** -15  # the smallest non-zero magnitude, likewise
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,12})?")


def _is_number(raw: Any) -> bool:
    return isinstance(raw, int | float) and not isinstance(raw, bool)


def shown_number(raw: int | float, *, percent: bool = False) -> str:
    """A stored number as the cell shows it: 15 significant digits at most (1E+30, not
    1000000000000000019884624838656), and as a percentage for a percent format (94.5%)."""
    if isinstance(raw, float) and not math.isfinite(raw):
        return str(raw)
    number = _significant(Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw))
    if percent:
        number = number.scaleb(2)
    if number and not -9 <= number.adjusted() < SIGNIFICANT:
        text = f"{number.normalize():E}"  # as Excel's General shows it: 1E+30, 1E-30
    else:
        text = _plain(number)
    return text + "%" if percent else text


def _significant(number: Decimal) -> Decimal:
    if not number or len(number.as_tuple().digits) <= SIGNIFICANT:
        return number
    with decimal.localcontext() as context:
        context.prec = SIGNIFICANT
        context.rounding = decimal.ROUND_HALF_UP
        context.Emax, context.Emin = decimal.MAX_EMAX, decimal.MIN_EMIN
        rounded = +number
    # 0.9999999999999999 → 1, not 1.00000000000000 (the digits it shows in messages).
    return rounded.to_integral_value() if rounded == rounded.to_integral_value() else rounded.normalize()


def _parse_number(spec: FieldSpec, raw: Any, *, percent: bool = False) -> Decimal:
    number, typed_percent = _to_decimal(spec, raw)
    if percent:
        number = number.scaleb(2)  # exact: 0.945 → 94.5
    said = shown_number(raw, percent=percent) if _is_number(raw) else display(raw)
    # Compared without arithmetic: abs() of 1E+999999999 overflows the context.
    if number.copy_abs() > LARGEST:
        raise ValueProblem(f"“{spec.label}”的值“{said}”过大（绝对值最大 {_plain(LARGEST)}），{expected(spec)}")
    if number and number.copy_abs() < SMALLEST:
        raise ValueProblem(f"“{spec.label}”的值“{said}”过小（不为 0 时绝对值最小 1E-15），{expected(spec)}")
    if _digits(number) > SIGNIFICANT:  # typed as text; a stored number has 15 at most
        raise ValueProblem(f"“{spec.label}”的值“{said}”的有效数字超过 {SIGNIFICANT} 位，{expected(spec)}")
    if spec.type == "int" and number != number.to_integral_value():
        raise ValueProblem(f"“{spec.label}”的值“{said}”不是整数，{expected(spec)}")
    if spec.unit == "%" and not (percent or typed_percent) and 0 < number < 1 and (spec.max is None or spec.max > 1):
        whole = _plain(number.scaleb(2))
        raise ValueProblem(
            f"“{spec.label}”的值“{said}”含义不明确：如为 {whole}%，请填写 {whole} 或 {whole}%；"
            f"如确为 {said}%，请填写 {said}%"
        )
    low = Decimal(0) if spec.type == "score" and spec.min is None else spec.min
    if low is not None and number < low:
        raise ValueProblem(f"“{spec.label}”的值 {said} 小于下限 {_plain(low)}，{expected(spec)}")
    if spec.max is not None and number > spec.max:
        raise ValueProblem(f"“{spec.label}”的值 {said} 超过上限 {_plain(spec.max)}，{expected(spec)}")
    return number


def _to_decimal(spec: FieldSpec, raw: Any) -> tuple[Decimal, bool]:
    """The number, and whether the text carried its unit % (94.5% is not ambiguous)."""
    if isinstance(raw, bool):
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}")
    if isinstance(raw, int):
        return _significant(Decimal(raw)), False
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueProblem(f"“{spec.label}”的值不是有效数字，{expected(spec)}")
        # Excel stores 0.1 as the nearest double; repr gives the shortest text that
        # round-trips, which is what the user typed, and 15 digits what the cell shows.
        return _significant(Decimal(repr(raw))), False
    if isinstance(raw, Decimal):  # a rubric's default or example value
        if not raw.is_finite():
            raise ValueProblem(f"“{spec.label}”的值不是有效数字，{expected(spec)}")
        return raw, False
    text = normalize_text(raw)
    unit = spec.unit or ("分" if spec.type == "score" else None)  # the unit expected() promises
    with_unit = False
    if unit:
        unit = normalize_text(unit)
        if text.endswith(unit):
            text, with_unit = text[: -len(unit)].strip(), True
    if "," in text:
        # Only a thousands separator is certain; "1,5" may mean 1.5 and must not become 15.
        if not _GROUPED.fullmatch(text):
            raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}")
        text = text.replace(",", "")
    if text.lower().lstrip("+-") in ("nan", "inf", "infinity"):
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是有效数字，{expected(spec)}")
    # Plain digits only: Decimal() would take "4_2" as 42, NFKC made "4²" and "①" digits.
    if not _NUMBER_TEXT.fullmatch(text) or _odd_digits(str(raw)):
        raise ValueProblem(f"“{spec.label}”的值“{display(raw)}”不是数字，{expected(spec)}")
    return Decimal(text), with_unit and unit == "%"


def _digits(number: Decimal) -> int:
    """Significant digits, without trailing zeros (no context: nothing can overflow)."""
    return len("".join(map(str, number.as_tuple().digits)).rstrip("0"))


def _odd_digits(text: str) -> bool:
    """Superscript, circled and other digits that are not decimal digits (NFKC turns them
    into plain ones)."""
    return any(unicodedata.digit(ch, None) is not None and unicodedata.decimal(ch, None) is None for ch in text)


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
