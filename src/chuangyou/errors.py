"""One exception root; every expected failure is a ChuangyouError with a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass


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
