"""Bundled rubrics validated once and kept in the cache (chuangyou.cache.rubrics).

A rubric read back from the cache must be the rubric loaded from its YAML: the same model,
the same sha256 and path, the same results on every one of its examples.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chuangyou.cache import rubrics as rubric_cache
from chuangyou.rubric import registry
from chuangyou.rubric.examples import run_examples
from chuangyou.rubric.load import load_rubric


def cached_files(cache: Path) -> list[Path]:
    return sorted((cache / "rubrics").glob("*.json"))


@pytest.mark.parametrize("path", registry.bundled_paths(), ids=lambda p: p.stem)
def test_cached_rubric_is_the_loaded_one(path: Path, isolated_cache: Path) -> None:
    raw = path.read_bytes()
    assert rubric_cache.cached_rubric(path, raw) is None  # nothing cached yet
    loaded = load_rubric(path)
    rubric_cache.remember_rubric(raw, loaded)
    cached = rubric_cache.cached_rubric(path, raw)
    assert cached is not None
    assert cached.model_dump() == loaded.model_dump()
    assert (cached.sha256, cached.path) == (loaded.sha256, loaded.path)
    assert repr(run_examples(cached)) == repr(run_examples(loaded))  # compiled on first use


def test_bundled_rubrics_come_from_the_cache_on_the_next_run(isolated_cache: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    registry._load_bundled.cache_clear()
    registry._load.cache_clear()
    first = {r.id: r.model_dump() for r in registry.bundled_rubrics()}
    assert len(cached_files(isolated_cache)) == 3
    registry._load_bundled.cache_clear()

    def no_yaml(path: str) -> None:
        raise AssertionError(f"{path} was parsed again")

    monkeypatch.setattr(registry, "_load", no_yaml)
    again = registry.bundled_rubrics()
    assert {r.id: r.model_dump() for r in again} == first
    registry._load_bundled.cache_clear()


@pytest.mark.parametrize("damage", ["garbage", "other sha256", "unknown key"])
def test_damaged_rubric_entry_is_loaded_from_yaml(isolated_cache: Path, damage: str) -> None:
    path = registry.bundled_paths()[0]
    raw = path.read_bytes()
    loaded = load_rubric(path)
    rubric_cache.remember_rubric(raw, loaded)
    entry = cached_files(isolated_cache)[0]
    data = json.loads(entry.read_text(encoding="utf-8"))
    if damage == "garbage":
        entry.write_bytes(b"\x00not json")
    elif damage == "other sha256":
        entry.write_text(json.dumps({**data, "sha256": "0" * 64}), encoding="utf-8")
    else:
        rubric = json.loads(data["rubric"])
        entry.write_text(json.dumps({**data, "rubric": json.dumps({**rubric, "extra": 1})}), encoding="utf-8")
    assert rubric_cache.cached_rubric(path, raw) is None


def test_edited_rubric_is_another_entry(tmp_path: Path, isolated_cache: Path) -> None:
    path = tmp_path / "village.yaml"
    source = next(p for p in registry.bundled_paths() if p.stem == "village")
    path.write_bytes(source.read_bytes())
    rubric_cache.remember_rubric(path.read_bytes(), load_rubric(path))
    path.write_bytes(source.read_bytes().replace(b"version: \"2026.1\"", b"version: \"2026.2\"", 1))
    assert rubric_cache.cached_rubric(path, path.read_bytes()) is None
    assert load_rubric(path).version == "2026.2"
