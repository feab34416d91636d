"""Shared fixtures. Workbook builders live in tests/evidence_helpers.py."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from chuangyou.rubric import Rubric
from evidence_helpers import mini_rubric

READERS = ("calamine", "openpyxl")

# Never the real user cache: set before any test (or anything it starts) can look it up;
# each test then gets a cache folder of its own (isolated_cache).
_SESSION_CACHE = tempfile.mkdtemp(prefix="chuangyou-test-cache-")
os.environ["CHUANGYOU_CACHE_DIR"] = _SESSION_CACHE
atexit.register(shutil.rmtree, _SESSION_CACHE, True)


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh result cache folder for every test (inherited by the processes it starts)."""
    folder = tmp_path_factory.mktemp("cache") / "chuangyou"
    monkeypatch.setenv("CHUANGYOU_CACHE_DIR", str(folder))
    yield folder


@pytest.fixture
def mini() -> Rubric:
    """A small rubric covering every field type, applies_to, an optional field and a veto."""
    return mini_rubric()


@pytest.fixture(params=READERS)
def reader(request: pytest.FixtureRequest) -> str:
    """Run a test once with each workbook reader; both must behave identically."""
    return str(request.param)
