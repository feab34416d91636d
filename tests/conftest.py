"""Shared fixtures. Workbook builders live in tests/evidence_helpers.py."""

from __future__ import annotations

import pytest

from chuangyou.rubric import Rubric
from evidence_helpers import mini_rubric

READERS = ("calamine", "openpyxl")


@pytest.fixture
def mini() -> Rubric:
    """A small rubric covering every field type, applies_to, an optional field and a veto."""
    return mini_rubric()


@pytest.fixture(params=READERS)
def reader(request: pytest.FixtureRequest) -> str:
    """Run a test once with each workbook reader; both must behave identically."""
    return str(request.param)
