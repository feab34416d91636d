"""Rubrics (评定标准): models, loading, checks and the bundled set."""

from chuangyou.rubric.load import load_rubric, load_rubric_text
from chuangyou.rubric.model import Category, Example, FieldSpec, Item, Rubric, Rule, Tier, Veto
from chuangyou.rubric.registry import bundled_dir, bundled_paths, bundled_rubrics, resolve

__all__ = [
    "Category", "Example", "FieldSpec", "Item", "Rubric", "Rule", "Tier", "Veto",
    "bundled_dir", "bundled_paths", "bundled_rubrics", "load_rubric", "load_rubric_text", "resolve",
]
