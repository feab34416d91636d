"""Turn pydantic validation errors into Chinese problems with file:line."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from chuangyou.errors import Problem
from chuangyou.yamlio import Located, PathKey

_TYPE_NAMES = {
    "string_type": "文字",
    "int_type": "整数",
    "int_parsing": "整数",
    "int_from_float": "整数",
    "decimal_type": "数字",
    "decimal_parsing": "数字",
    "float_type": "数字",
    "float_parsing": "数字",
    "bool_type": "是/否（true/false）",
    "bool_parsing": "是/否（true/false）",
    "list_type": "列表",
    "dict_type": "映射（键: 值）",
    "model_type": "映射（键: 值）",
    "model_attributes_type": "映射（键: 值）",
}


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Drop pydantic's union-member markers from a loc, keeping the path into the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part == loc[-1]:
            path.append(part)  # a missing or unknown key: keep it for the message
            break
    return tuple(path)


def _allowed_keys(model: type[BaseModel], data: Any, path: PathKey) -> list[str]:
    """Keys accepted by the model found at ``path`` (for 'unknown key' hints)."""
    current: Any = model
    dict_key = False
    for part in path:
        if isinstance(part, int):
            continue
        if dict_key:  # a key of dict[str, Model] (a field id, a tier name): not a model field
            dict_key = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            info = next((f for f in current.model_fields.values() if f.alias == part), None)
        if info is None:
            return []
        current = _model_in(info.annotation)
        dict_key = _is_dict(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _is_dict(annotation: Any) -> bool:
    """``dict[...]`` or ``dict[...] | None``."""
    if typing.get_origin(annotation) is dict:
        return True
    return any(typing.get_origin(arg) is dict for arg in typing.get_args(annotation))


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside ``list[X]``, ``dict[str, X]``, ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _label(path: PathKey) -> str:
    return ".".join(str(p) for p in path) or "（顶层）"


def translate(exc: ValidationError, located: Located, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[PathKey, str]] = set()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _data_path(located.data, loc)
        kind = error["type"]
        key = path[-1] if path else ""
        value = error.get("input")
        ctx = error.get("ctx") or {}
        if kind == "extra_forbidden":
            allowed = _allowed_keys(model, located.data, path[:-1])
            hint = f"（可用的键：{'、'.join(allowed)}）" if allowed else ""
            message = f"未知的键“{key}”{hint}"
            where = located.where(path, key=True)
        elif kind == "missing":
            message = f"{_label(path[:-1])} 缺少必填的键“{key}”"
            where = located.where(path[:-1])
        else:
            message = _value_message(kind, path, value, ctx, error["msg"])
            where = located.where(path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(Problem(where, message))
    return problems


def _value_message(kind: str, path: PathKey, value: Any, ctx: dict[str, Any], msg: str) -> str:
    name = _label(path)
    shown = value if not isinstance(value, dict | list) else type(value).__name__
    if kind in _TYPE_NAMES:
        return f"{name} 应为{_TYPE_NAMES[kind]}，实际是“{shown}”"
    if kind == "literal_error":
        return f"{name} 的值“{shown}”不在可选范围内（可选：{ctx.get('expected', '')}）"
    if kind == "string_pattern_mismatch":
        return f"{name} 的值“{shown}”不合规：编号只能由小写英文字母、数字和下划线组成，并以字母开头"
    if kind == "greater_than":
        return f"{name} 应大于 {ctx.get('gt')}，实际是“{shown}”"
    if kind == "greater_than_equal":
        return f"{name} 应不小于 {ctx.get('ge')}，实际是“{shown}”"
    if kind == "less_than_equal":
        return f"{name} 应不大于 {ctx.get('le')}，实际是“{shown}”"
    if kind in ("too_short", "string_too_short"):
        return f"{name} 不能为空"
    if kind == "value_error":
        return f"{name}：{msg.removeprefix('Value error, ')}" if path else msg.removeprefix("Value error, ")
    return f"{name} 的值“{shown}”不合规（{msg}）"
