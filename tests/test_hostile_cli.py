"""The hostile-input corpus through the real CLI: ``score``, ``rank`` and ``rubric check``.

Every case of tests/hostile/corpus.py and tests/hostile/rubrics.py gets its exact Chinese
message and exit code; ``rank`` must also keep scoring the good workbook beside the bad one.
The bomb cases are measured in a subprocess by tests/test_hostile_bombs.py.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from chuangyou.batch import EVIDENCE_SUFFIXES
from chuangyou.rubric import bundled_paths, load_rubric
from hostile.cli import run
from hostile.corpus import CASES, Case
from hostile.rubrics import MARKER, RUBRIC_CASES, RubricCase, valid_gb18030
from hostile.zips import good

GOOD = "良好村.xlsx"
GOOD_NAME = "良好村党支部"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI runs inside the case's folder: files are named as a user would type them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _ids(cases: list[Any]) -> list[str]:
    return [case.id for case in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_score(case: Case, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case.build(workdir / case.file)
    code, out, err = run(capsys, "score", case.file, "--format", "json")
    if case.readable:
        assert (code, err) == (0, "")
        assert case.check is not None
        case.check(json.loads(out))
        return
    assert code == case.exit_code
    assert out == ""
    assert err == f"错误：{case.heading}\n" + "".join(f"  {line}\n" for line in case.expected())


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_rank(case: Case, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not case.file.lower().endswith(EVIDENCE_SUFFIXES):
        pytest.skip(f"rank does not look at {Path(case.file).suffix} files yet (see docs/reliability.md)")
    case.build(workdir / case.file)
    good(workdir / GOOD, name=GOOD_NAME)
    code, out, err = run(capsys, "rank", ".", "--format", "json", "--jobs", "1")
    result = json.loads(out)
    names = sorted(card["organization"]["name"] for card in result["results"])
    if case.readable:
        assert code == 0
        assert result["failures"] == []
        assert len(names) == 2 and GOOD_NAME in names
        assert case.check is not None
        case.check(next(c for c in result["results"] if c["organization"]["name"] != GOOD_NAME))
    else:
        assert code == case.exit_code
        assert result["failures"] == [{"source": case.file, "reason": case.heading, "problems": case.expected()}]
        assert names == [GOOD_NAME]  # the bad file never stops the batch
    assert "共 2 个文件" in err


@pytest.mark.parametrize("case", RUBRIC_CASES, ids=_ids(RUBRIC_CASES))
def test_rubric_check(case: RubricCase, workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case.build(workdir / case.file)
    code, out, err = run(capsys, "rubric", "check", case.file)
    assert code == 2
    assert out.splitlines() == case.lines()
    assert err == ""
    assert not (workdir / MARKER).exists()  # no tag ever runs code


def test_rubric_check_chinese_name_with_spaces_gb18030(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "县 评定标准（2026 修订）.yaml"
    valid_gb18030(workdir / name)
    rubric = load_rubric(bundled_paths()[0])
    items = sum(len(c.items) for c in rubric.categories)
    rules = sum(len(i.rules) for _, i in rubric.items())
    code, out, _ = run(capsys, "rubric", "check", name)
    assert code == 0
    assert out.splitlines() == [
        f"✓ {name}：通过（{rubric.name} {rubric.version}，{len(rubric.categories)} 个类别，{items} 个项目，"
        f"{rules} 条规则，{len(rubric.examples)} 个样例）"]


def test_every_kind_of_case_is_covered() -> None:
    """The issue asks for at least 40 cases with exact messages."""
    assert len(CASES) + len(RUBRIC_CASES) >= 40
    refused = [c for c in CASES if not c.readable] + RUBRIC_CASES
    assert len(refused) >= 40


def test_chinese_names_spaces_and_long_paths(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Folders 20 deep with spaces and full-width brackets, a 245-byte file name (81 CJK
    characters, the longest that fits with .xlsx in 255 bytes), and a long output name."""
    folder = workdir
    for depth in range(20):
        folder = folder / f"第 {depth} 层 文件夹（含 空格）"
    folder.mkdir(parents=True)
    name = "城" * 80 + "村.xlsx"
    assert len(name.encode()) <= 255
    good(folder / name)
    good(folder / "另一 村 .xlsx", name=GOOD_NAME)
    assert len(str(folder / name).encode()) > 1000
    code, out, err = run(capsys, "score", folder / name, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["source"] == str(folder / name)
    output = folder / ("等级名单 " + "长" * 70 + ".xlsx")
    assert len(output.name.encode()) <= 255
    code, out, err = run(capsys, "rank", workdir, "-o", output, "--format", "json", "--jobs", "1")
    assert code == 0, err
    assert output.is_file()
    assert len(json.loads(out)["results"]) == 2
    assert not [p for p in folder.iterdir() if p.name.startswith(".~")]


@pytest.mark.parametrize("command", [["score"], ["rank"], ["rubric", "check"]])
def test_names_over_255_bytes_are_not_a_crash(command: list[str], workdir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Path.exists() raises OSError for such a name: it used to be reported as a bug (exit 3)."""
    name = "村" * 90 + (".yaml" if command[0] == "rubric" else ".xlsx")
    code, out, err = run(capsys, *command, name)
    if command[0] == "rubric":
        assert code == 2
        assert out.splitlines() == [f"✗ {name}：评定标准文件无法读取", f"  {name}: 无法打开文件：文件名或路径过长"]
        return
    assert code == 2
    assert err == f"错误：无法访问 {name}：文件名或路径过长（一个文件名最多 255 字节，约 85 个汉字）\n"
    assert os.listdir(workdir) == []
