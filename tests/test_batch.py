"""The batch runner: scanning, parallel scoring, compact results and the streamed JSON.

The JSON of ``chuangyou rank --format json`` must not depend on the number of jobs, and must
be byte for byte what ``dump_results`` writes from full ScoreCards (the runner only streams
it from card texts kept in a temporary file to keep memory flat).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chuangyou import batch
from chuangyou.batch import (
    CHUNK,
    BatchResult,
    CardStore,
    Failure,
    chunk_size,
    run_batch,
    scan,
)
from chuangyou.cli.rank_cmd import _rubrics, _without_duplicates
from chuangyou.export import dump_results
from chuangyou.ranking import rank
from chuangyou.rubric import resolve
from chuangyou.scorecard import ScoreCard, model_json
from chuangyou.statistics import compute_statistics, locate_failures
from evidence_helpers import full_values, write_workbook


def _examples(rubric_id: str) -> dict[str, tuple[dict[str, Any], dict[str, Any], str, str]]:
    """Each bundled example: (verified values, self values, subtype, form), inherited ones resolved."""
    done: dict[str, tuple[dict[str, Any], dict[str, Any], str, str]] = {}
    for example in resolve(rubric_id).examples:
        values, subtype, form = {}, "", "党支部"
        if example.extends:
            values, _, subtype, form = done[example.extends]
        values = {**values, **example.values}
        own = {**values, **(example.self_values or {})}
        done[example.name] = (values, own, example.subtype or subtype, example.form or form)
    return done


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value) if isinstance(value, Decimal) else value


# (folder, file, rubric, example): full marks, deductions, a veto, a held case, self > verified.
CASES = [
    ("城关镇", "东村.xlsx", "village", "满分村"),
    ("城关镇", "西村.xlsx", "village", "典型扣分村(良好)"),
    ("城关镇", "南村.xlsx", "village", "典型扣分村自评偏高"),
    ("城关镇", "北社区.xlsx", "village", "满分城市社区"),
    ("河口乡", "河口社区.xlsx", "village", "满分村改居社区(党总支)"),
    ("河口乡", "上村.xlsx", "village", "书记出缺4个月"),
    ("河口乡", "下村.xlsx", "village", "重大财务纰漏另行处理"),
    ("机关", "财政局.xlsx", "agency", "满分机关党支部"),
    ("机关", "医院.xlsx", "agency", "事业单位扣分与表彰加分（良好）"),
    ("两新", "甲公司.xlsx", "two_new", "满分非公企业党支部"),
    ("两新", "乙协会.xlsx", "two_new", "满分社会组织党支部"),
    ("两新", "丙公司.xlsx", "two_new", "常见扣分良好"),
]


def _write(path: Path, rubric_id: str, example: str, name: str = "", township: str = "") -> None:
    rubric = resolve(rubric_id)
    values, own, subtype, form = _examples(rubric_id)[example]
    verified = {k: _cell(v) for k, v in values.items() if own.get(k) != v}
    path.parent.mkdir(parents=True, exist_ok=True)
    info = {"组织名称": name or path.stem + "党支部", "所属乡镇（街道）": township or path.parent.name, "组织形式": form}
    write_workbook(path, rubric, subtype=subtype, info=info,
                   self_values={k: _cell(v) for k, v in own.items()}, verified=verified)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 workbooks of the three bundled rubrics, plus files that fail and files that are skipped."""
    root = tmp_path_factory.mktemp("县")
    for town, name, rubric_id, example in CASES:
        _write(root / town / name, rubric_id, example)
    village = resolve("village")
    bad = full_values(village, "village") | {"party_members": "很多"}
    write_workbook(root / "城关镇" / "错村.xlsx", village, info={"组织名称": "错村党支部"}, self_values=bad)
    _write(root / "河口乡" / "东村副本.xlsx", "village", "满分村", "东村党支部", "城关镇")  # 城关镇/东村 again
    (root / "河口乡" / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (root / "城关镇" / "~$东村.xlsx").write_bytes(b"lock file")
    (root / ".备份").mkdir()
    _write(root / ".备份" / "东村.xlsx", "village", "满分村")
    return root


def _cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "chuangyou", "rank", str(folder), *args],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)


def _reference(folder: Path) -> str:
    """What rank printed before compact results: dump_results over full ScoreCards."""
    results = [batch.score_file(p, None) for p in scan(folder)]
    full = BatchResult([r for r in results if isinstance(r, ScoreCard)],
                       [r for r in results if isinstance(r, Failure)], [])
    cards, failures = _without_duplicates(full)
    ranking = rank(cards, _rubrics(cards, None))
    stats = compute_statistics(ranking, locate_failures(ranking, failures))
    text = dump_results(ranking, cards, failures, stats)
    # dump_results is put together from pydantic's serializer: the same as the standard library's.
    data = {"results": [c.model_dump(mode="json") for c in cards],
            "failures": [f.model_dump(mode="json") for f in failures], "ranking": ranking.model_dump(mode="json"),
            "statistics": stats.model_dump(mode="json")}
    assert text == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return text


def test_json_is_identical_for_one_and_two_jobs(folder: Path) -> None:
    one, two = _cli(folder, "--jobs", "1", "--format", "json"), _cli(folder, "--jobs", "2", "--format", "json")
    assert (one.returncode, two.returncode) == (1, 1)  # four files could not be rated
    assert one.stdout == two.stdout
    assert one.stdout == _reference(folder)
    data = json.loads(one.stdout)
    assert len(data["results"]) == 11  # 12 + the copy, less the duplicated pair
    assert sorted(Path(f["source"]).name for f in data["failures"]) == ["东村.xlsx", "东村副本.xlsx", "损坏.xlsx",
                                                                       "错村.xlsx"]
    assert "共 15 个文件：评定 11 个，未能评分 4 个" in one.stderr


def test_scan_skips_lock_hidden_and_output(folder: Path, tmp_path: Path) -> None:
    output = folder / "城关镇" / "东村.xlsx"  # as if -o pointed at it
    names = [p.relative_to(folder).as_posix() for p in scan(folder, exclude=(output,))]
    assert "城关镇/东村.xlsx" not in names
    assert not any("~$" in n or n.startswith(".") for n in names)
    assert names == sorted(names) and len(names) == 14
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.XLSX").write_bytes(b"")
    assert [p.name for p in scan(tmp_path)] == ["b.XLSX"]


@pytest.mark.parametrize("jobs", [1, 2, 3, 8])
def test_chunk_size_keeps_every_worker_busy(jobs: int) -> None:
    for count in (1, 2, 3, 7, 16, 63, 64, 100, 1000, 10_000, 100_000):
        size = chunk_size(count, jobs)
        assert 1 <= size <= CHUNK
        assert math.ceil(count / size) >= min(count, jobs)  # no worker left idle from the start
    assert chunk_size(10_000, 2) == CHUNK


def test_worker_exception_becomes_a_failure(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangyou.engine

    real = chuangyou.engine.score

    def flaky(rubric: Any, evidence: Any) -> ScoreCard:
        if evidence.source.endswith("西村.xlsx"):
            raise RuntimeError("内部错误")
        return real(rubric, evidence)

    monkeypatch.setattr(chuangyou.engine, "score", flaky)  # inherited by the forked workers
    paths = scan(folder)
    for jobs in (1, 2):
        result = run_batch(paths, jobs=jobs)
        broken = [f for f in result.failures if f.source.endswith("西村.xlsx")]
        assert [f.reason for f in broken] == ["无法处理该文件（RuntimeError：内部错误）"]
        assert len(result.cards) == 12  # 13 scored before, one lost to the error
        assert len(result.cards) + len(result.failures) == len(paths)
        result.store.close()


def test_summary_cards_and_store_hold_the_whole_card(folder: Path) -> None:
    paths = scan(folder)
    result = run_batch(paths, jobs=2)
    try:
        full = {c.source: c for c in (batch.score_file(p, None) for p in paths) if isinstance(c, ScoreCard)}
        assert [c.source for c in result.cards] == [s for s in map(str, paths) if s in full]
        for card in result.cards:
            original = full[card.source]
            assert result.store.text(card.source) == json.dumps(original.model_dump(mode="json"),
                                                                ensure_ascii=False, indent=2)
            assert result.store.card(card.source) == original
            # The summary keeps what ranking reads, and no items.
            assert card.model_dump(exclude={"categories", "items", "vetoes"}) == original.model_dump(
                exclude={"categories", "items", "vetoes"})
            assert [(v.reason, v.cap, v.flag) for v in card.vetoes] == [
                (v.reason, v.cap, v.flag) for v in original.vetoes]
            assert card.items == [] and original.items
    finally:
        result.store.close()


def test_model_json_writes_a_lone_surrogate_as_an_escape(folder: Path) -> None:
    card = batch.score_file(scan(folder)[0], None)
    assert isinstance(card, ScoreCard)
    odd = card.model_copy(update={"source": "村\udcff.xlsx"})  # no file can hold it as it is
    text = model_json(odd)
    assert text == json.dumps(odd.model_dump(mode="json"), ensure_ascii=False, indent=2).replace(
        "村\udcff.xlsx", "村\\udcff.xlsx")
    assert '"source": "村\\udcff.xlsx"' in text and json.loads(text) == odd.model_dump(mode="json")
    store = CardStore()
    store.add(odd.source, batch.compact(odd)[1])
    assert store.text(odd.source) == text and store.card(odd.source) == odd
    store.close()


def test_card_store_reads_between_appends() -> None:
    """Appends are buffered without a seek each; a read in between must not misplace the
    next append (the rank -o export reads cards while later runs may still add)."""
    store = CardStore()
    texts = {f"{n}.xlsx": ("卡片" * n + "\n").encode() for n in range(1, 60)}
    for number, (source, blob) in enumerate(texts.items()):
        store.add(source, blob)
        if number % 7 == 3:
            assert store.text("1.xlsx") == texts["1.xlsx"].decode()
    assert {source: store.text(source) for source in reversed(texts)} == {s: b.decode() for s, b in texts.items()}
    store.close()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_that_kills_its_worker_fails_alone(folder: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """A reader that aborts the process (no exception to catch) must not end the batch: the
    file becomes a failure, every other file is scored, in the same order as ever. With
    --jobs 1 as well: the files are scored in one worker process, not in the main one."""
    import chuangyou.engine

    real = chuangyou.engine.score
    crashes = {"西村.xlsx", "甲公司.xlsx"}  # two, in different chunks

    def abort(rubric: Any, evidence: Any) -> ScoreCard:
        if Path(evidence.source).name in crashes:
            os._exit(134)  # what an abort in native code does to the process
        return real(rubric, evidence)

    monkeypatch.setattr(batch, "CHUNK", 2)
    paths = scan(folder)
    expected = run_batch(paths, jobs=1)  # chuangyou.engine.score is still the real one here
    monkeypatch.setattr(chuangyou.engine, "score", abort)
    result = run_batch(paths, jobs=jobs)
    try:
        crashed = [f for f in result.failures if f.reason == batch.CRASHED]
        assert sorted(Path(f.source).name for f in crashed) == sorted(crashes)
        assert [c.source for c in result.cards] == [c.source for c in expected.cards
                                                    if Path(c.source).name not in crashes]
        for card in result.cards:
            assert result.store.text(card.source) == expected.store.text(card.source)
        others = [f for f in result.failures if f.reason != batch.CRASHED]
        assert [(f.source, f.reason) for f in others] == [(f.source, f.reason) for f in expected.failures]
    finally:
        result.store.close()
        expected.store.close()
