"""Workbooks never silently left out of ``rank`` (issue 12, item 6).

A workbook inside a symbolically linked folder is scored; a folder that cannot be listed
(no permission, a path longer than the system allows) is listed under 未能评分 with the
reason and counted in the summary; a link back up the tree (a loop) is followed once.
Tests run as root, where chmod does not stop reading: the refusal is simulated at
os.scandir, where the system would refuse.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from chuangyou.batch import scan
from hostile.cli import run
from hostile.zips import good

REASON = "请检查文件夹的访问权限或缩短路径后重新运行"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    good(tmp_path / "材料" / "甲村.xlsx", name="甲村党支部")
    return tmp_path


def _rank(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code, out, err = run(capsys, "rank", "材料", "--format", "json", "--jobs", "1")
    return code, json.loads(out), err


def test_workbook_in_a_symlinked_folder_is_scored(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "别处" / "城关镇").mkdir(parents=True)
    good(workdir / "别处" / "城关镇" / "乙村.xlsx", name="乙村党支部")
    (workdir / "材料" / "城关镇").symlink_to(workdir / "别处" / "城关镇", target_is_directory=True)
    code, result, err = _rank(capsys)
    assert code == 0
    assert sorted(card["organization"]["name"] for card in result["results"]) == ["乙村党支部", "甲村党支部"]
    assert err.splitlines()[-1] == "共 2 个文件：评定 2 个，未能评分 0 个"


def test_symlink_loop_is_followed_once(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "材料" / "子").mkdir()
    good(workdir / "材料" / "子" / "乙村.xlsx", name="乙村党支部")
    (workdir / "材料" / "子" / "回到上级").symlink_to(workdir / "材料", target_is_directory=True)
    (workdir / "材料" / "自己").symlink_to(workdir / "材料" / "子", target_is_directory=True)
    assert [str(p.relative_to(workdir)) for p in scan(workdir / "材料")] == ["材料/子/乙村.xlsx", "材料/甲村.xlsx"]
    code, result, err = _rank(capsys)
    assert code == 0
    assert len(result["results"]) == 2


def test_unreadable_folder_is_listed(workdir: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    locked = workdir / "材料" / "西关镇"
    locked.mkdir()
    good(locked / "丙村.xlsx", name="丙村党支部")
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(os.fsdecode(path)).resolve() == locked.resolve():  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, result, err = _rank(capsys)
    assert code == 1
    assert [card["organization"]["name"] for card in result["results"]] == ["甲村党支部"]
    assert result["failures"] == [{
        "source": "材料/西关镇", "reason": f"无法读取该文件夹（没有读取权限），其中的工作簿没有评分；{REASON}",
        "problems": []}]
    assert err.splitlines()[-1] == ("共 1 个文件：评定 1 个，未能评分 0 个；另有 1 个文件夹无法读取，"
                                    "其中的工作簿没有评分（见“未能评分”）")


def _deep(root: Path, levels: int) -> str:
    """Folders nested deeper than PATH_MAX (4096 bytes), made relative to each other
    (the system refuses the full path); a workbook at the bottom. Returns the relative path."""
    name = "层" * 80  # 240 bytes
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(levels):
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        source = good(root.parent / "深处.xlsx", name="丁村党支部").read_bytes()
        out = os.open("丁村.xlsx", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, source)
        os.close(out)
    finally:
        os.close(fd)
    return "/".join([name] * levels)


def test_path_longer_than_the_system_allows(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = _deep(workdir / "材料", 20)
    code, result, err = _rank(capsys)
    assert code == 1
    assert [card["organization"]["name"] for card in result["results"]] == ["甲村党支部"]
    [failure] = result["failures"]
    assert failure["reason"] == f"无法读取该文件夹（文件名或路径过长），其中的工作簿没有评分；{REASON}"
    assert deep.startswith(failure["source"].removeprefix("材料/"))
    assert len(os.fsencode(failure["source"])) > 3800
    assert err.splitlines()[-1].endswith("另有 1 个文件夹无法读取，其中的工作簿没有评分（见“未能评分”）")
