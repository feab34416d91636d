"""The one place YAML is read: safe, size-bounded, and keeping line numbers.

We compose the node graph with PyYAML's SafeLoader and build Python values ourselves,
so that:
- only the standard scalar/collection tags are accepted (``!!python/object`` and other
  tags are refused, not silently turned into strings or objects);
- anchors/aliases cannot expand into a billion values (a node budget);
- duplicate mapping keys are an error instead of the last one silently winning;
- floats become exact :class:`~decimal.Decimal` from their source text;
- every value's path (``("categories", 0, "items", 1, "points")``) maps to its line.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from chuangyou.bounds import DECIMAL_TEXT as DECIMAL_TEXT
from chuangyou.bounds import PathKey as PathKey
from chuangyou.bounds import number_problem
from chuangyou.errors import Problem, RubricError

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
_SURROGATE = re.compile("[\ud800-\udfff]")
_EXPONENT_ONLY = re.compile(r"[-+]?[0-9]+[eE][-+]?[0-9]+")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


@dataclass
class Located:
    """Parsed YAML plus where each value came from (1-based lines)."""

    data: Any
    name: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    key_lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey, *, key: bool = False) -> int:
        """Best line for a path: the exact node, else its nearest located parent."""
        if key and path in self.key_lines:
            return self.key_lines[path]
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe[:-1]
        return self.lines.get((), 1)

    def where(self, path: PathKey, *, key: bool = False) -> str:
        return f"{self.name}:{self.line_of(path, key=key)}"


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.located = Located(None, name)
        self._scalars = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> RubricError:
        where = f"{self.name}:{node.start_mark.line + 1}"
        return RubricError("评定标准文件无法读取", [Problem(where, message)])

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"内容过多（超过 {MAX_NODES} 个值），可能是锚点/别名展开过度")
        self.located.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, f"不支持的 YAML 标签 {node.tag}")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _MAP:
            raise self.fail(node, f"不支持的 YAML 标签 {node.tag}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "不支持合并键“<<”，请直接写出各个键")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "键必须是简单的文字")
            key = self._scalar(key_node)
            key = str(key).lower() if isinstance(key, bool) else str(key)
            if key in result:
                raise self.fail(key_node, f"键“{key}”重复出现")
            self.located.key_lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        assert isinstance(node, yaml.ScalarNode)  # mappings and sequences are built elsewhere
        tag = node.tag
        value = node.value
        if tag == _STR and not getattr(node, "style", None) and _EXPONENT_ONLY.fullmatch(str(value)):
            return self._number(node, str(value))  # 1e30: a number in YAML 1.2, a string in 1.1
        if tag in (_STR, _TIMESTAMP):
            text = str(value)
            if _SURROGATE.search(text):
                # "\ud800" escapes parse, but no file or terminal can take the result.
                raise self.fail(node, "文字中含有无效的 Unicode 字符（代理码位，如 \\ud800），请删除")
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self._scalars.construct_yaml_bool(node)
        if tag in (_INT, _FLOAT):
            return self._number(node, str(value))
        raise self.fail(node, f"不支持的 YAML 标签 {tag}（评定标准文件只能包含普通的文字、数字、列表和映射）")

    def _number(self, node: yaml.Node, text: str) -> int | Decimal:
        """A number exactly as written in decimal. YAML 1.1 also reads 012 as octal 10,
        4_2 as 42, 0x10, 0b11 and 1:30 (sexagesimal, 90); a rubric author means none of
        these, so they are refused rather than read otherwise than they look."""
        if text.lstrip("+-").lower() in (".inf", ".nan"):
            raise self.fail(node, f"数值必须是有限数，不能是“{text}”")
        if "_" in text:
            raise self.fail(node, f"数字“{text[:30]}”中不能有下划线“_”")
        if not DECIMAL_TEXT.fullmatch(text):
            raise self.fail(node, f"不支持的数字写法“{text[:30]}”，请写成普通的十进制数（如 12、0.5）")
        digits = text.lstrip("+-")
        if len(digits) > 1 and digits[0] == "0" and digits[1].isdigit():
            raise self.fail(node, f"数字“{text[:30]}”以 0 开头，含义不明确（YAML 会把它当作八进制数）；请去掉开头的 0")
        return bounded(self, node, text)


def bounded(builder: _Builder, node: yaml.Node, text: str) -> int | Decimal:
    whole = text.lstrip("+-").isdigit()
    if whole and len(text) > 40:
        # Python refuses to print an int of over 4300 digits (ValueError wherever it is shown).
        raise builder.fail(node, f"整数“{text[:20]}…”过大")
    if len(text) > 60:
        raise builder.fail(node, f"数值“{text[:30]}…”位数过多")
    number = Decimal(text)
    if number_problem(number):
        raise builder.fail(node, f"数值“{text[:30]}”超出可用范围")
    return int(text) if whole else number



_YAML_PROBLEMS = {
    "mapping values are not allowed here": "此处不能出现“键: 值”，请检查冒号后的空格和缩进",
    "found character '\\t' that cannot start any token": "不能用制表符（Tab）缩进，请改用空格",
    "but found another document": "一个文件只能有一个 YAML 文档，请删除“---”之后的第二个文档",
}


def _yaml_reason(problem: str, context: str = "") -> str:
    """PyYAML's English problem text, in Chinese where we know it (else kept as-is)."""
    if problem.startswith("found undefined alias"):
        name = problem.partition("'")[2].rstrip("'")
        return f"别名“*{name}”之前没有定义锚点“&{name}”"
    if context.startswith("found duplicate anchor"):
        name = context.partition("'")[2].partition("'")[0]
        return f"锚点“&{name}”重复定义"
    return _YAML_PROBLEMS.get(problem, problem)


def _reader_error(exc: yaml.reader.ReaderError, text: str, name: str) -> RubricError:
    """A character YAML does not allow (NUL and other control characters)."""
    line = text.count("\n", 0, max(exc.position, 0)) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    return RubricError("评定标准文件无法读取", [Problem(
        f"{name}:{line}", f"含有不允许的控制字符（#x{code:04X}），请删除该字符或将文件另存为 UTF-8 文本")])


_SLOW = object()
# libyaml composes the nodes recursively in C: used only when the nesting is surely shallow
# (a deep file would overflow the C stack instead of raising RecursionError).
_FAST_MAX_BRACKETS = 500
_FAST_MAX_INDENT = 200
_INDENT = re.compile(r"^[ \t]*", re.MULTILINE)


def _compose_fast(text: str) -> Any:
    """The node graph from libyaml (5× faster than the pure-Python parser: a bundled rubric
    in 10 ms instead of 45 ms, paid by every command and every worker), or ``_SLOW`` when
    libyaml is missing, the text may nest deeply, or it has any problem at all: then the
    pure-Python parser reads it again, whose errors we explain in Chinese."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None or text.count("[") + text.count("{") > _FAST_MAX_BRACKETS:
        return _SLOW
    if max(map(len, _INDENT.findall(text)), default=0) > _FAST_MAX_INDENT:
        return _SLOW
    try:
        return yaml.compose(text, Loader=loader)
    except Exception:  # noqa: BLE001 - any problem is reported by the pure-Python parser
        return _SLOW


def load_yaml_text(text: str, name: str) -> Located:
    """Parse YAML text safely; raise RubricError with file:line on any problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise RubricError(
            "评定标准文件无法读取",
            [Problem(name, f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB），不像是评定标准文件")],
        )
    node = _compose_fast(text)
    try:
        if node is _SLOW:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise RubricError(
            "评定标准文件无法读取",
            [Problem(f"{name}:{line}", f"YAML 格式错误：{_yaml_reason(exc.problem or exc.context or '', exc.context or '')}")],
        ) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise RubricError("评定标准文件无法读取", [Problem(name, f"YAML 格式错误：{exc}")]) from None
    except RecursionError:
        raise RubricError("评定标准文件无法读取", [Problem(name, "嵌套层次过深")]) from None
    if node is None:
        raise RubricError("评定标准文件无法读取", [Problem(name, "文件是空的")])
    builder = _Builder(name)
    try:
        builder.located.data = builder.build(node, ())
    except RecursionError:
        raise RubricError("评定标准文件无法读取", [Problem(name, "嵌套层次过深")]) from None
    return builder.located


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if exc.errno == errno.ENAMETOOLONG:
        return "文件名或路径过长"
    return f"系统错误（{exc.strerror or type(exc).__name__}）"


def load_yaml_file(path: Path, name: str | None = None) -> Located:
    name = name or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise RubricError(
                "评定标准文件无法读取",
                [Problem(name, f"文件过大（{size // 1024 // 1024} MB，上限 {MAX_BYTES // 1024 // 1024} MB），不像是评定标准文件")],
            )
        raw = path.read_bytes()
        if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise RubricError("评定标准文件无法读取", [Problem(
                name, "这是 Excel/Office 文件（或压缩包），不是评定标准文件；评定标准应为 .yaml 文本文件")])
    except OSError as exc:
        raise RubricError("评定标准文件无法读取", [Problem(name, f"无法打开文件：{_os_reason(exc)}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise RubricError(
                "评定标准文件无法读取", [Problem(name, "文件编码无法识别，请保存为 UTF-8 编码")]
            ) from None
    return load_yaml_text(text, name)
