"""The condition language used in rubric rules.

Expressions are Python-like text (``not surveyed``, ``2 * missing_rooms``,
``members >= 7 and form == "党支部"``) parsed with :mod:`ast` and accepted only
from a whitelist of node types. Every name is checked against the rubric's fields
at load time, every operand is type-checked (真假值 / 数值 / 文字), and numeric
literals become :class:`~decimal.Decimal` so arithmetic is exact.

A validated tree is compiled once into a code object that is evaluated with no
builtins and with the evidence values as its only namespace. Because the
whitelist admits no attribute access, subscripts, calls other than four pure
functions, comprehensions, lambdas, power or loops, a rubric cannot run code,
read files or loop forever.
"""

from __future__ import annotations

import ast
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from chuangyou.bounds import number_problem
from chuangyou.errors import ConditionError, EvaluationError

Kind = Literal["bool", "num", "str"]

KIND_LABELS: dict[str, str] = {"bool": "真假值", "num": "数值", "str": "文字"}

MAX_LENGTH = 2000
MAX_DEPTH = 40

#: Names every rubric may use besides its own fields.
ORG_NAMES: dict[str, Kind] = {"subtype": "str", "form": "str"}
FUNCTIONS = frozenset({"min", "max", "abs", "count_true"})
RESERVED = frozenset(FUNCTIONS | set(ORG_NAMES) | {"True", "False", "None"})

_CMP_SYMBOLS: dict[type, str] = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=",
    ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in",
}
_ARITH_SYMBOLS: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}

# What we tell users when they use something outside the language.
_REFUSED: dict[type, str] = {
    ast.Attribute: "不支持属性访问（“.”）",
    ast.Subscript: "不支持下标访问（“[ ]”）",
    ast.Lambda: "不支持 lambda",
    ast.ListComp: "不支持推导式",
    ast.SetComp: "不支持推导式",
    ast.DictComp: "不支持推导式",
    ast.GeneratorExp: "不支持推导式",
    ast.NamedExpr: "不支持赋值表达式（:=）",
    ast.Starred: "不支持星号展开",
    ast.Dict: "不支持字典",
    ast.Set: "不支持集合",
    ast.JoinedStr: "不支持 f 字符串",
    ast.Await: "不支持 await",
    ast.Yield: "不支持 yield",
    ast.YieldFrom: "不支持 yield",
}


@dataclass(frozen=True)
class NameInfo:
    """What a name in an expression stands for."""

    kind: Kind
    options: tuple[str, ...] | None = None  # allowed strings, for choice fields
    label: str = ""


def count_true(*values: bool) -> Decimal:
    return Decimal(sum(1 for v in values if v is True))


def _dmin(*values: Decimal) -> Decimal:
    return min(values)


def _dmax(*values: Decimal) -> Decimal:
    return max(values)


def _dabs(value: Decimal) -> Decimal:
    return abs(value)


# The context every score is computed in (chuangyou.engine.score): exact or an error.
# Every number reaching an expression is bounded (evidence values: 15 significant digits,
# magnitude 1E-15 … 1E+9, chuangyou.values; rubric numbers: 28 digits, 1E-30 … 1E+15,
# chuangyou.yamlio), so sums and products of them fit 100 digits, and a result that would
# not (or overflow) raises instead of being rounded. Only a division is rounded, to 28
# digits as Python's default context would: a third has no exact decimal.
SCORING = decimal.Context(
    prec=100, rounding=decimal.ROUND_HALF_EVEN, Emax=10_000, Emin=-10_000,
    traps=[decimal.Overflow, decimal.InvalidOperation, decimal.DivisionByZero, decimal.Inexact],
)
DIVISION_DIGITS = 28


def _ddiv(left: Decimal, right: Decimal) -> Decimal:
    with decimal.localcontext() as context:
        context.prec = DIVISION_DIGITS
        context.traps[decimal.Inexact] = False
        return left / right


_FUNCTIONS: dict[str, Any] = {
    "min": _dmin, "max": _dmax, "abs": _dabs, "count_true": count_true, "_div": _ddiv,
}


@dataclass(frozen=True, eq=False)
class Expression:
    """A compiled expression: call it with a mapping of name → value."""

    source: str
    kind: Kind
    names: frozenset[str]
    _code: Any = field(repr=False)
    _globals: dict[str, Any] = field(repr=False)

    def __call__(self, env: Mapping[str, Any]) -> Any:
        try:
            # The namespace holds only our four functions and the Decimal constants;
            # names resolve from ``env`` (evidence values).
            return eval(self._code, self._globals, env)  # noqa: S307 - whitelisted AST
        except NameError as exc:
            name = getattr(exc, "name", None) or str(exc)
            raise EvaluationError(f"表达式“{self.source}”用到的字段 {name} 没有值") from None
        except (decimal.DivisionByZero, decimal.InvalidOperation, ZeroDivisionError):
            raise EvaluationError(f"表达式“{self.source}”出现除以零") from None
        except decimal.Overflow:
            raise EvaluationError(f"表达式“{self.source}”的计算结果超出范围") from None
        except decimal.Inexact:
            raise EvaluationError(f"表达式“{self.source}”的计算结果位数过多，无法精确计算") from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            # A blank optional field without a default reaches us as None.
            blank = sorted(n for n in self.names if n in env and env[n] is None)
            if blank:
                raise EvaluationError(f"表达式“{self.source}”用到的字段 {'、'.join(blank)} 没有值") from None
            raise EvaluationError(f"表达式“{self.source}”无法计算：{exc}") from None


class _Checker:
    """Walks a parsed tree: refuses unknown constructs, infers kinds, rewrites constants."""

    def __init__(self, source: str, names: Mapping[str, NameInfo]) -> None:
        self.source = source
        self.names = names
        self.used: set[str] = set()
        self.constants: dict[str, Decimal] = {}

    def fail(self, message: str) -> ConditionError:
        return ConditionError(f"表达式“{self.source}”有误：{message}")

    def kind_of(self, node: ast.AST, depth: int = 0) -> Kind:
        if depth > MAX_DEPTH:
            raise self.fail(f"嵌套超过 {MAX_DEPTH} 层")
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            reason = _REFUSED.get(type(node)) or f"不支持的写法（{type(node).__name__}）"
            raise self.fail(reason)
        kind: Kind = method(node, depth + 1)
        return kind

    def expect(self, node: ast.AST, kind: Kind, depth: int, what: str) -> None:
        got = self.kind_of(node, depth)
        if got != kind:
            raise self.fail(
                f"{what}应为{KIND_LABELS[kind]}，“{_segment(self.source, node)}”是{KIND_LABELS[got]}"
            )

    def visit_Constant(self, node: ast.Constant, depth: int) -> Kind:
        value = node.value
        if isinstance(value, bool):
            return "bool"
        if isinstance(value, int | float) and not isinstance(value, complex):
            text = _segment(self.source, node) or repr(value)
            if "_" in text:  # Python reads 4_2 as 42
                raise self.fail(f"数字“{text[:30]}”中不能有下划线“_”")
            try:
                number = Decimal(text)
            except decimal.InvalidOperation:
                raise self.fail(f"不支持的数字写法“{text[:30]}”，请写成普通的十进制数") from None
            if not number.is_finite() or number_problem(number):
                raise self.fail(f"数值“{text[:30]}”超出可用范围")
            placeholder = f"_k{len(self.constants)}"
            self.constants[placeholder] = number
            node.__dict__["_placeholder"] = placeholder
            return "num"
        if isinstance(value, str):
            return "str"
        raise self.fail(f"不支持的常量 {value!r}")

    def visit_Name(self, node: ast.Name, depth: int) -> Kind:
        info = self.names.get(node.id)
        if info is None:
            if node.id in FUNCTIONS:
                raise self.fail(f"{node.id} 是函数，应写成 {node.id}(…)")
            raise self.fail(f"未知的字段 {node.id}")
        self.used.add(node.id)
        return info.kind

    def visit_BoolOp(self, node: ast.BoolOp, depth: int) -> Kind:
        word = "and" if isinstance(node.op, ast.And) else "or"
        for value in node.values:
            self.expect(value, "bool", depth, f"{word} 两边")
        return "bool"

    def visit_UnaryOp(self, node: ast.UnaryOp, depth: int) -> Kind:
        if isinstance(node.op, ast.Not):
            self.expect(node.operand, "bool", depth, "not 后面")
            return "bool"
        if isinstance(node.op, ast.USub | ast.UAdd):
            self.expect(node.operand, "num", depth, "正负号后面")
            return "num"
        raise self.fail("不支持按位取反（~）")

    def visit_BinOp(self, node: ast.BinOp, depth: int) -> Kind:
        symbol = _ARITH_SYMBOLS.get(type(node.op))
        if symbol is None:
            if isinstance(node.op, ast.Pow):
                raise self.fail("不支持乘方（**）")
            raise self.fail("只支持 + - * / 四则运算")
        self.expect(node.left, "num", depth, f"“{symbol}”两边")
        self.expect(node.right, "num", depth, f"“{symbol}”两边")
        return "num"

    def visit_Compare(self, node: ast.Compare, depth: int) -> Kind:
        left = node.left
        left_kind = self.kind_of(left, depth)
        membership = [op for op in node.ops if isinstance(op, ast.In | ast.NotIn)]
        if membership and len(node.ops) > 1:
            raise self.fail("in 不能与其他比较连写")
        for op, right in zip(node.ops, node.comparators, strict=True):
            symbol = _CMP_SYMBOLS.get(type(op))
            if symbol is None:
                raise self.fail("不支持 is / is not，请用 == 或 !=")
            if symbol in ("in", "not in"):
                self._check_membership(left, left_kind, right, depth)
                continue
            right_kind = self.kind_of(right, depth)
            if symbol in ("<", "<=", ">", ">=") and left_kind != "num":
                raise self.fail(f"“{symbol}”只能比较数值")
            if left_kind != right_kind:
                raise self.fail(
                    f"“{symbol}”两边类型不同：{KIND_LABELS[left_kind]}与{KIND_LABELS[right_kind]}"
                )
            self._check_option(left, right)
            self._check_option(right, left)
            left, left_kind = right, right_kind
        return "bool"

    def _check_membership(self, left: ast.AST, left_kind: Kind, right: ast.AST, depth: int) -> None:
        if not isinstance(right, ast.List | ast.Tuple):
            raise self.fail("in 右边必须是用 [ ] 写出的常量列表")
        if not right.elts:
            raise self.fail("in 右边的列表不能为空")
        for element in right.elts:
            if not isinstance(element, ast.Constant):
                raise self.fail("in 右边的列表只能包含常量")
            element_kind = self.kind_of(element, depth)
            if element_kind != left_kind:
                raise self.fail("in 右边列表的类型与左边不一致")
            self._check_option(left, element)

    def _check_option(self, name_node: ast.AST, literal: ast.AST) -> None:
        """A choice field compared to a string must name one of its options."""
        if not (isinstance(name_node, ast.Name) and isinstance(literal, ast.Constant)):
            return
        info = self.names.get(name_node.id)
        value = literal.value
        if info and info.options is not None and isinstance(value, str) and value not in info.options:
            allowed = "、".join(info.options)
            raise self.fail(f"{name_node.id} 没有选项“{value}”（可选：{allowed}）")

    def visit_IfExp(self, node: ast.IfExp, depth: int) -> Kind:
        self.expect(node.test, "bool", depth, "if 条件")
        body = self.kind_of(node.body, depth)
        self.expect(node.orelse, body, depth, "else 分支")
        return body

    def visit_Call(self, node: ast.Call, depth: int) -> Kind:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else _segment(self.source, node.func)
            raise self.fail(f"不支持调用 {called}（只能用 min、max、abs、count_true）")
        name = node.func.id
        if node.keywords:
            raise self.fail(f"{name} 不接受关键字参数")
        if not node.args:
            raise self.fail(f"{name} 至少需要一个参数")
        if name == "abs" and len(node.args) != 1:
            raise self.fail("abs 只接受一个参数")
        arg_kind: Kind = "bool" if name == "count_true" else "num"
        for arg in node.args:
            self.expect(arg, arg_kind, depth, f"{name} 的参数")
        return "num"

    def visit_List(self, node: ast.List, depth: int) -> Kind:
        raise self.fail("列表只能出现在 in 的右边")

    visit_Tuple = visit_List  # noqa: N815 - ast visitor naming


class _Rewriter(ast.NodeTransformer):
    """Replaces numeric literals with names bound to exact Decimal constants, and each
    division with the one rounded operation (see SCORING)."""

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div):
            return node
        call = ast.Call(func=ast.Name(id="_div", ctx=ast.Load()), args=[node.left, node.right], keywords=[])
        return ast.copy_location(call, node)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        placeholder = node.__dict__.get("_placeholder")
        if placeholder is None:
            return node
        return ast.copy_location(ast.Name(id=placeholder, ctx=ast.Load()), node)


def _segment(source: str, node: ast.AST) -> str:
    return ast.get_source_segment(source, node) or ""


def compile_expression(
    source: str | int | float | Decimal,
    names: Mapping[str, NameInfo],
    expect: Kind,
    what: str = "表达式",
) -> Expression:
    """Parse, check and compile one expression; raise ConditionError when it is not allowed.

    ``names`` maps every usable name to its kind; ``expect`` is the kind the
    expression must produce (conditions are ``bool``, deductions ``num``).
    """
    if isinstance(source, bool):
        source = "True" if source else "False"
    elif isinstance(source, int | float | Decimal):
        source = str(source)
    text = source.strip()
    if not text:
        raise ConditionError(f"{what}不能为空")
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"{what}过长（{len(text)} 个字符，最多 {MAX_LENGTH}）")
    if "\n" in text or "\r" in text:
        text = " ".join(text.split())
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ConditionError(f"表达式“{text}”有语法错误：{_syntax_reason(exc)}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ConditionError(f"表达式“{text[:60]}…”嵌套过深或无法解析") from None
    checker = _Checker(text, {**{k: NameInfo(v) for k, v in ORG_NAMES.items()}, **names})
    try:
        kind = checker.kind_of(tree.body)
    except RecursionError:
        raise checker.fail(f"嵌套超过 {MAX_DEPTH} 层") from None
    if kind != expect:
        raise ConditionError(
            f"{what}“{text}”应为{KIND_LABELS[expect]}，实际是{KIND_LABELS[kind]}"
        )
    rewritten = ast.fix_missing_locations(_Rewriter().visit(tree))
    code = compile(rewritten, "<rubric>", "eval")
    namespace: dict[str, Any] = {"__builtins__": {}, **_FUNCTIONS, **checker.constants}
    return Expression(text, kind, frozenset(checker.used), code, namespace)


def _syntax_reason(exc: SyntaxError) -> str:
    if "too many nested parentheses" in (exc.msg or ""):
        return "括号嵌套过多"
    if exc.offset:
        return f"第 {exc.offset} 个字符附近"
    return "无法解析"
