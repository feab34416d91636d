"""`rank --previous` with tampered tier lists: Chinese messages naming the file, never an
internal error, and bombs refused as quickly as in evidence workbooks (tests/hostile/tierlists.py)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from chuangyou.errors import UsageError
from chuangyou.ranking import load_previous
from hostile.cli import run
from hostile.tierlists import NAME, TIER_BY_ID, TIER_CASES, TierCase

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize("case", TIER_CASES, ids=lambda c: c.id)
def test_tampered_tier_list(case: TierCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the file given as users type it: 去年.xlsx
    path = Path(NAME)
    case.make(path)
    start = time.perf_counter()
    if case.message is None:
        results = load_previous(path)
        assert len(results) == 29 and results[0].name == "城关镇中心小学党总支" and results[0].year == 2025
    else:
        with pytest.raises(UsageError) as caught:
            load_previous(path)
        assert caught.value.message == case.message
        assert tuple(str(p) for p in caught.value.problems) == case.problems
    assert time.perf_counter() - start < case.seconds


@pytest.mark.parametrize("case_id", ["broken-sheet-xml", "year-1e999", "comment-1gb", "folder"])
def test_rank_with_a_tampered_previous(case_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", tmp_path / "材料" / "东关村.xlsx")
    case = TIER_BY_ID[case_id]
    case.make(tmp_path / NAME)
    code, out, err = run(capsys, "rank", "材料", "--previous", NAME)
    assert (code, out) == (2, "")
    assert err == "\n".join([f"错误：{case.message}", *(f"  {p}" for p in case.problems)]) + "\n"
