"""A full disk: one Chinese message naming the output, never a traceback.

Seen in review: `rank -o` and `export -o` printed the message and then a Python traceback
from ZipFile.__del__ (the writers leave their zip open when a write fails; collected later,
it tries to finish on the same full disk); `rank -f json > full` said "无法访问：磁盘空间不足"
without saying what. The disk is filled here by a zip file object that raises ENOSPC after a
number of bytes (what a full disk does), and for stdout by /dev/full.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from hostile.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FULL = "磁盘空间不足"


class FullDisk:
    """A file that takes ``room`` bytes, then fails every write as a full disk does."""

    def __init__(self, path: str, room: int) -> None:
        self.file = open(path, "wb")  # noqa: SIM115 - closed with the zip, as zipfile closes its own
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)

    def __getattr__(self, name: str) -> Any:  # tell, seek, flush, close …
        return getattr(self.file, name)


def full_zip(room: int) -> type[zipfile.ZipFile]:
    class FullZip(zipfile.ZipFile):
        def __init__(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> None:
            if mode == "w" and isinstance(file, str | Path):
                file = FullDisk(str(file), room)
            super().__init__(file, mode, *args, **kwargs)
    return FullZip


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", tmp_path / "材料" / "东关村.xlsx")
    shutil.copyfile(EXAMPLES / "城关镇-2025年结果.json", tmp_path / "结果.json")
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


# The finalizer's traceback reaches pytest as an unraisable-exception warning: made an error.
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("room", [0, 2_000, 12_000])
@pytest.mark.parametrize("argv", [["rank", "材料", "-o", "名单.xlsx"], ["export", "结果.json", "-o", "名单.xlsx"]],
                         ids=["rank", "export"])
def test_tier_list_on_a_full_disk(work: Path, argv: list[str], room: int, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("xlsxwriter.workbook.ZipFile", full_zip(room))
    code, _, err = run(capsys, *argv)
    assert (code, err) == (2, f"错误：无法写入 名单.xlsx：{FULL}\n")
    assert not (work / "名单.xlsx").exists() and leftovers(work) == []


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_template_on_a_full_disk(work: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("openpyxl.writer.excel.ZipFile", full_zip(5_000))
    assert run(capsys, "template", "-r", "village", "-o", "模板.xlsx") == (2, "", f"错误：无法写入 模板.xlsx：{FULL}\n")
    assert leftovers(work) == []


def chuangyou(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    with open("/dev/full", "w") as full:
        return subprocess.run([sys.executable, "-m", "chuangyou", *argv], cwd=cwd, stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=120)


STDOUT = f"错误：无法把结果写入标准输出（重定向到 /dev/full）：{FULL}；结果不完整，请腾出空间后重新运行"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(("argv", "message"), [
    (["rank", "材料", "-f", "json"], STDOUT),
    (["rank", "材料", "-f", "csv"], STDOUT),
    (["rank", "材料"], STDOUT),
    (["rank", "材料", "-f", "json", "-o", "名单.xlsx"], STDOUT + "（等级名单已完整写入 名单.xlsx）"),
    (["score", "材料/东关村.xlsx", "-f", "json"], STDOUT),
    (["score", "材料/东关村.xlsx"], STDOUT),
    (["rubric", "schema"], STDOUT),
])
def test_results_to_a_full_stdout(work: Path, argv: list[str], message: str) -> None:
    done = chuangyou(*argv, cwd=work)
    assert (done.returncode, done.stderr) == (2, message + "\n")
