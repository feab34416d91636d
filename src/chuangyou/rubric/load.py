"""Load a rubric file: safe YAML → pydantic models → cross-checks → compiled rules."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from chuangyou.errors import Problem, RubricError
from chuangyou.rubric.checks import RubricChecker
from chuangyou.rubric.errors import translate
from chuangyou.rubric.model import Rubric
from chuangyou.yamlio import Located, load_yaml_file, load_yaml_text


def _problem_sort_key(problem: Problem) -> tuple[int, str]:
    _, _, line = problem.where.rpartition(":")
    return (int(line) if line.isdigit() else 0, problem.message)


def build_rubric(located: Located, raw: bytes) -> Rubric:
    """Validate parsed YAML into a checked, compiled Rubric or raise RubricError."""
    if not isinstance(located.data, dict):
        raise RubricError(
            "评定标准文件无法读取",
            [Problem(located.where(()), "文件顶层应为映射（id: …、name: …、categories: … 等键）")],
        )
    try:
        rubric = Rubric.model_validate(located.data)
    except ValidationError as exc:
        problems = translate(exc, located, Rubric)
        raise RubricError(f"评定标准有 {len(problems)} 处问题", sorted(problems, key=_problem_sort_key)) from None
    checker = RubricChecker(rubric)
    found = checker.run()
    if found:
        problems = [Problem(located.where(path, key=key), message) for path, message, key in found]
        problems.sort(key=_problem_sort_key)
        raise RubricError(f"评定标准有 {len(problems)} 处问题", problems)
    rubric._warnings = [Problem(located.where(path, key=key), message) for path, message, key in checker.warnings]
    rubric._sha256 = hashlib.sha256(raw).hexdigest()
    rubric._path = located.name
    return rubric


def load_rubric(path: str | Path, name: str | None = None) -> Rubric:
    """Load and check one rubric YAML file."""
    path = Path(path)
    located = load_yaml_file(path, name or str(path))
    return build_rubric(located, path.read_bytes())


def load_rubric_text(text: str, name: str = "<rubric>") -> Rubric:
    """Load a rubric from YAML text (tests, generated rubrics)."""
    return build_rubric(load_yaml_text(text, name), text.encode("utf-8"))
