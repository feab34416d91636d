"""parse_value: tolerant where the meaning is certain, strict (with exact Chinese messages) otherwise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangyou.rubric.model import FieldSpec
from chuangyou.values import (
    NOT_APPLICABLE,
    ValueProblem,
    expected,
    is_blank,
    normalize_text,
    parse_cell,
    parse_value,
)

D = Decimal
BOOL = FieldSpec(label="开展摸底排查", type="bool")
HOURS = FieldSpec(label="学习培训时长", type="int", min=0, unit="学时")
MEMBERS = FieldSpec(label="正式党员人数", type="int", min=0, unit="名")
RATE = FieldSpec(label="群众满意率", type="number", min=0, max=100, unit="%")
AREA = FieldSpec(label="建筑面积", type="number")
RATING = FieldSpec(label="述职评议结果", type="choice", options=["好", "较好", "一般", "差"])
SCORE = FieldSpec(label="酌情得分", type="score", max=D(5))
YEARS = FieldSpec(label="连续无发展对象年数", type="int", min=0, unit="年", optional=True, default=0)
OPTIONAL = FieldSpec(label="补充分值", type="number", optional=True)
TEXT = FieldSpec(label="情况说明", type="text")

BOOL_EXPECT = "应填写 是 或 否"
HOURS_EXPECT = "应填写不小于 0 的整数（单位：学时）"
RATE_EXPECT = "应填写 0～100 之间的数字（单位：%）"
SCORE_EXPECT = "应填写 0～5 之间的数字（单位：分）"

PARSED: list[tuple[FieldSpec, Any, Any]] = [
    *[(BOOL, raw, True) for raw in ["是", "有", "√", "✓", "Y", "y", "yes", "TRUE", "对", " 是 ", "是\u00a0",
                                    "\u3000是\u3000", "Ｙ", True]],
    *[(BOOL, raw, False) for raw in ["否", "无", "×", "N", "n", "No", "false", "没有", "错", "x", "X", False]],
    (HOURS, "24学时", D(24)),
    (HOURS, "２４学时", D(24)),  # full-width digits
    (HOURS, "24 学时", D(24)),
    (HOURS, "24\u00a0学时", D(24)),  # NBSP between number and unit
    (HOURS, "\u300024\u3000", D(24)),  # full-width spaces
    (HOURS, "１２", D(12)),
    (HOURS, 24, D(24)),
    (HOURS, 24.0, D(24)),
    (HOURS, "24.0", D(24)),
    (HOURS, "1,234", D(1234)),  # thousands separator
    (HOURS, "1，234", D(1234)),  # full-width comma
    (MEMBERS, "30名", D(30)),
    (RATE, 95, D(95)),
    (RATE, "95%", D(95)),
    (RATE, "９５．５％", D("95.5")),
    (RATE, 95.5, D("95.5")),
    (AREA, 0.1 + 0.2, D("0.3")),  # a formula's 0.30000000000000004: Excel keeps and shows 15 digits
    (AREA, 0.1, D("0.1")),  # a typed 0.1 stays 0.1, not 0.1000000000000000055…
    (RATE, 100, D(100)),
    (RATE, 0, D(0)),
    (AREA, D("512.5"), D("512.5")),
    (RATING, "好", "好"),
    (RATING, " 一般 ", "一般"),
    (RATING, "较好\u00a0", "较好"),
    (SCORE, 5, D(5)),
    (SCORE, "3.5", D("3.5")),
    (SCORE, 0, D(0)),
    (YEARS, None, D(0)),  # empty optional with default
    (YEARS, "", D(0)),
    (YEARS, "\u3000", D(0)),
    (YEARS, 2, D(2)),
    (OPTIONAL, None, None),  # empty optional without default
    (OPTIONAL, " ", None),
    (TEXT, "  已整改 ", "已整改"),
    (TEXT, 12, "12"),
]


@pytest.mark.parametrize(("spec", "raw", "value"), PARSED, ids=[f"{s.label}-{r!r}" for s, r, _ in PARSED])
def test_parse_value(spec: FieldSpec, raw: Any, value: Any) -> None:
    got = parse_value(spec, raw)
    assert got == value
    assert type(got) is type(value)


PROBLEMS: list[tuple[FieldSpec, Any, str]] = [
    (BOOL, "1", f"“开展摸底排查”的值“1”无法识别，{BOOL_EXPECT}"),
    (BOOL, 0, f"“开展摸底排查”的值“0”无法识别，{BOOL_EXPECT}"),
    (BOOL, 1.0, f"“开展摸底排查”的值“1”无法识别，{BOOL_EXPECT}"),
    (BOOL, "maybe", f"“开展摸底排查”的值“maybe”无法识别，{BOOL_EXPECT}"),
    (BOOL, "", f"“开展摸底排查”未填写，{BOOL_EXPECT}"),
    (BOOL, None, f"“开展摸底排查”未填写，{BOOL_EXPECT}"),
    (BOOL, "\u00a0\u3000", f"“开展摸底排查”未填写，{BOOL_EXPECT}"),
    (BOOL, dt.date(2026, 1, 1), f"“开展摸底排查”的值“2026-01-01”是日期/时间，{BOOL_EXPECT}"),
    (HOURS, "24名", f"“学习培训时长”的值“24名”不是数字，{HOURS_EXPECT}"),  # unit that is not the field's
    (HOURS, "abc", f"“学习培训时长”的值“abc”不是数字，{HOURS_EXPECT}"),
    (HOURS, "24.5", f"“学习培训时长”的值“24.5”不是整数，{HOURS_EXPECT}"),
    (HOURS, 24.5, f"“学习培训时长”的值“24.5”不是整数，{HOURS_EXPECT}"),
    (HOURS, "-1", f"“学习培训时长”的值 -1 小于下限 0，{HOURS_EXPECT}"),
    (HOURS, True, f"“学习培训时长”的值“TRUE”不是数字，{HOURS_EXPECT}"),
    (HOURS, "NaN", f"“学习培训时长”的值“NaN”不是有效数字，{HOURS_EXPECT}"),
    (HOURS, float("inf"), f"“学习培训时长”的值不是有效数字，{HOURS_EXPECT}"),
    (HOURS, "12 345", f"“学习培训时长”的值“12 345”不是数字，{HOURS_EXPECT}"),
    (HOURS, "", f"“学习培训时长”未填写，{HOURS_EXPECT}"),
    (RATE, 0.95, "“群众满意率”的值“0.95”含义不明确：如为 95%，请填写 95 或 95%；如确为 0.95%，请填写 0.95%"),
    (RATE, 0.5, "“群众满意率”的值“0.5”含义不明确：如为 50%，请填写 50 或 50%；如确为 0.5%，请填写 0.5%"),
    (RATE, 100.5, f"“群众满意率”的值 100.5 超过上限 100，{RATE_EXPECT}"),
    (RATE, -1, f"“群众满意率”的值 -1 小于下限 0，{RATE_EXPECT}"),
    (RATING, "很好", "“述职评议结果”的值“很好”不是可选项，应从下拉列表中选择：好、较好、一般、差"),
    (RATING, 1, "“述职评议结果”的值“1”不是可选项，应从下拉列表中选择：好、较好、一般、差"),
    (SCORE, 5.5, f"“酌情得分”的值 5.5 超过上限 5，{SCORE_EXPECT}"),
    (SCORE, -1, f"“酌情得分”的值 -1 小于下限 0，{SCORE_EXPECT}"),
    (TEXT, None, "“情况说明”未填写，应填写文字说明"),
    (TEXT, "字" * 2001, "“情况说明”的文字过长（2001 字，最多 2000 字）"),
    # Text in a % field that may be a fraction: ambiguous (issue 12, item 1).
    (RATE, "0.945", "“群众满意率”的值“0.945”含义不明确：如为 94.5%，请填写 94.5 或 94.5%；如确为 0.945%，请填写 0.945%"),
    # Huge, tiny and exotic numbers (issue 12, item 3): said as the cell shows them.
    (MEMBERS, 1e30, "“正式党员人数”的值“1E+30”过大（绝对值最大 1000000000），应填写不小于 0 的整数（单位：名）"),
    (MEMBERS, 10**29 - 1, "“正式党员人数”的值“1E+29”过大（绝对值最大 1000000000），应填写不小于 0 的整数（单位：名）"),
    (MEMBERS, "9" * 29, f"“正式党员人数”的值“{'9' * 29}”过大（绝对值最大 1000000000），应填写不小于 0 的整数（单位：名）"),
    (AREA, 1e308, "“建筑面积”的值“1E+308”过大（绝对值最大 1000000000），应填写数字"),
    (AREA, "1e999999999", "“建筑面积”的值“1e999999999”过大（绝对值最大 1000000000），应填写数字"),
    (AREA, "-1E+999999999", "“建筑面积”的值“-1E+999999999”过大（绝对值最大 1000000000），应填写数字"),
    (AREA, 1e-30, "“建筑面积”的值“1E-30”过小（不为 0 时绝对值最小 1E-15），应填写数字"),
    (AREA, "0.1234567890123456", "“建筑面积”的值“0.1234567890123456”的有效数字超过 15 位，应填写数字"),
    (AREA, "4_2", "“建筑面积”的值“4_2”不是数字，应填写数字"),
    (AREA, "4²", "“建筑面积”的值“4²”不是数字，应填写数字"),
    (AREA, "①", "“建筑面积”的值“①”不是数字，应填写数字"),
    (AREA, "0x10", "“建筑面积”的值“0x10”不是数字，应填写数字"),
    (HOURS, 0.9999999999999, f"“学习培训时长”的值“0.9999999999999”不是整数，{HOURS_EXPECT}"),
]


@pytest.mark.parametrize(("spec", "raw", "value"), [
    (MEMBERS, 0.9999999999999999, D(1)),  # a formula's rounding error: the cell shows 1
    (RATE, 89.99999999999999, D(90)),  # shown as 90: no veto "低于90%" on a digit the user never sees
    (AREA, 999999999, D(999999999)),
    (AREA, "1e3", D(1000)),
    (RATE, "0.945%", D("0.945")),  # the % typed: not ambiguous
    (RATE, 1, D(1)),
])
def test_number_as_the_cell_shows_it(spec: FieldSpec, raw: Any, value: Decimal) -> None:
    assert parse_value(spec, raw) == value


@pytest.mark.parametrize(("spec", "raw", "value"), [
    (RATE, 1, D(100)), (RATE, 0.945, D("94.5")), (RATE, 0.9, D(90)), (RATE, 0.0095, D("0.95")),
    (RATE, 0, D(0)), (TEXT, 0.945, "94.5%"), (FieldSpec(label="增幅", type="number", unit="%"), 2.5, D(250)),
])
def test_percent_formatted_number_is_the_percentage_shown(spec: FieldSpec, raw: Any, value: Any) -> None:
    assert parse_value(spec, raw, percent=True) == value


def test_percent_formatted_number_outside_a_percent_field() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_value(MEMBERS, 0.05, percent=True)
    assert info.value.message == ("“正式党员人数”的单元格设置了百分比格式（显示为 5%），但该项不是百分比；"
                                  "请把单元格格式改为“常规”后重新填写，应填写不小于 0 的整数（单位：名）")


@pytest.mark.parametrize(("spec", "raw", "message"), PROBLEMS, ids=[f"{s.label}-{r!r:.20}" for s, r, _ in PROBLEMS])
def test_value_problem(spec: FieldSpec, raw: Any, message: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_value(spec, raw)
    assert info.value.message == message


def test_score_accepts_its_stated_unit() -> None:
    assert parse_value(SCORE, "3分") == D(3)


@pytest.mark.parametrize("raw", ["1,5", "12,34", "1.234,5", "1,2345"])
def test_comma_only_as_thousands_separator(raw: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_value(AREA, raw)
    assert info.value.message == f"“建筑面积”的值“{raw}”不是数字，应填写数字"


@pytest.mark.parametrize(("spec", "phrase"), [
    (BOOL, BOOL_EXPECT),
    (HOURS, HOURS_EXPECT),
    (RATE, RATE_EXPECT),
    (SCORE, SCORE_EXPECT),
    (AREA, "应填写数字"),
    (RATING, "应从下拉列表中选择：好、较好、一般、差"),
    (TEXT, "应填写文字说明"),
])
def test_expected_phrase(spec: FieldSpec, phrase: str) -> None:
    assert expected(spec) == phrase


def test_normalize_and_blank() -> None:
    assert normalize_text("\u3000２４\u00a0学时\u200b ") == "24 学时"
    assert normalize_text("Ａ  B\tC") == "A B C"
    assert is_blank(None) and is_blank("") and is_blank("\u3000\u00a0\u200b")
    assert not is_blank(0) and not is_blank(NOT_APPLICABLE)
    assert NOT_APPLICABLE == "不适用"


# -- property: any raw cell value gives a value or a ValueProblem, never another exception --------

SPECS = [BOOL, HOURS, MEMBERS, RATE, AREA, RATING, SCORE, YEARS, OPTIONAL, TEXT]
RAW = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="0123456789０１２３,，.．-+eE%％ 学时名分\u00a0\u3000是否√×", max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(SPECS), RAW)
def test_any_raw_value_parses_or_is_a_problem(spec: FieldSpec, raw: Any) -> None:
    try:
        value = parse_value(spec, raw)
    except ValueProblem as exc:
        assert exc.message.startswith(f"“{spec.label}”")
        return
    if value is None:
        assert spec.optional
    elif spec.type == "bool":
        assert isinstance(value, bool)
    elif spec.type == "choice":
        assert value in (spec.options or [])
    elif spec.type == "text":
        assert isinstance(value, str)
    else:
        assert isinstance(value, Decimal) and value.is_finite()
        assert spec.min is None or value >= spec.min
        assert spec.max is None or value <= spec.max
        if spec.type == "int":
            assert value == value.to_integral_value()


# -- parse_cell: parse_value remembered per field and raw value ------------------------


def test_parse_cell_gives_what_parse_value_gives_for_every_case() -> None:
    for spec, raw, value in PARSED:
        for _ in range(2):  # the second time from memory
            assert parse_cell(spec, raw) == value
            assert type(parse_cell(spec, raw)) is type(value)


def test_parse_cell_keeps_types_and_signs_apart() -> None:
    spec = FieldSpec(label="补充分值", type="number", min=-5)
    assert str(parse_cell(spec, -0.0)) == str(parse_value(spec, -0.0)) == "-0.0"
    assert str(parse_cell(spec, 0.0)) == "0.0"
    assert str(parse_cell(spec, 1)) == "1" and str(parse_cell(spec, 1.0)) == "1.0"
    assert parse_cell(BOOL, True) is True and parse_cell(BOOL, "是") is True
    with pytest.raises(ValueProblem):
        parse_cell(BOOL, 1)  # 1 is not True here, whatever was remembered for True
    assert parse_cell(RATE, 0.945, percent=True) == D("94.5")
    with pytest.raises(ValueProblem, match="含义不明确"):
        parse_cell(RATE, 0.945)  # the same number without a percent format: ambiguous


def test_parse_cell_reports_a_wrong_value_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueProblem, match="超过上限"):
            parse_cell(SCORE, 6)


def test_parse_cell_remembers_per_field_not_per_label() -> None:
    low = FieldSpec(label="酌情得分", type="score", max=D(5))
    high = FieldSpec(label="酌情得分", type="score", max=D(10))
    assert parse_cell(high, 8) == D(8)
    with pytest.raises(ValueProblem, match="超过上限"):
        parse_cell(low, 8)
