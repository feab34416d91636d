"""Rubrics (评定标准): models, loading, checks and the bundled set."""

from typing import TYPE_CHECKING, Any

from chuangyou.rubric.model import Category, Example, FieldSpec, Item, Rubric, Rule, Tier, Veto
from chuangyou.rubric.registry import bundled_dir, bundled_paths, bundled_rubrics, resolve

if TYPE_CHECKING:
    from chuangyou.rubric.load import load_rubric, load_rubric_text


def __getattr__(name: str) -> Any:
    # YAML and the checks are imported only to load a file: bundled rubrics come from the
    # cache (chuangyou.cache.rubrics) on most runs, which then import neither.
    if name in ("load_rubric", "load_rubric_text"):
        from chuangyou.rubric import load

        return getattr(load, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Category", "Example", "FieldSpec", "Item", "Rubric", "Rule", "Tier", "Veto",
    "bundled_dir", "bundled_paths", "bundled_rubrics", "load_rubric", "load_rubric_text", "resolve",
]
