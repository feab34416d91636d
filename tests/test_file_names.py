"""File names that are not UTF-8: a zip made on Chinese Windows and unpacked on Linux
without ``unzip -O GBK`` leaves names in GBK bytes, which Python hands over with lone
surrogates. No output can hold those: every command used to stop with an internal error.
Now such a name is shown as GBK (or with U+FFFD), the card says why, and every output is
written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from chuangyou.batch import SAME_NAME
from chuangyou.errors import path_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = EXAMPLES / "示例-东关村党支部.xlsx"


def gbk(name: str) -> str:
    """The name as Linux gives it back when its bytes are GBK."""
    return os.fsdecode(name.encode("gbk"))


def test_path_text_reads_each_undecodable_part_as_gbk() -> None:
    assert path_text("材料/村社区/东关村.xlsx") == "材料/村社区/东关村.xlsx"  # valid: as it is
    assert path_text(Path("a/b.xlsx")) == "a/b.xlsx"
    # Only the parts that are not UTF-8 are read as GBK; the UTF-8 folder stays as it is.
    assert path_text(f"材料/{gbk('村社区')}/{gbk('东关村党支部')}.xlsx") == "材料/村社区/东关村党支部.xlsx"
    assert path_text(os.fsdecode(b"/tmp/a\xffb.xlsx")) == "/tmp/a\ufffdb.xlsx"  # neither UTF-8 nor GBK
    assert path_text("x\ud800y.xlsx") == "x\ufffdy.xlsx"  # a broken UTF-16 name (Windows)
    for text in (path_text(gbk("刘庄村.xlsx")), path_text(os.fsdecode(b"\xff\xfe"))):
        text.encode("utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS store every file name as Unicode")
    root = tmp_path / "材料"
    inner = root / gbk("村社区")
    try:
        inner.mkdir(parents=True)
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    shutil.copyfile(GOOD, inner / gbk("东关村党支部.xlsx"))
    shutil.copyfile(EXAMPLES / "示例-滨河社区党委.xlsx", root / os.fsdecode(b"\xff\xfe.xlsx"))  # not GBK either
    data = GOOD.read_bytes()
    (inner / gbk("损坏.xlsx")).write_bytes(data[: len(data) // 2])
    return root


def _rank(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    return subprocess.run([sys.executable, "-m", "chuangyou", "rank", "材料", *args], cwd=folder.parent,
                          capture_output=True, env=env, timeout=120)


def _digest(folder: Path) -> dict[bytes, str]:
    return {os.fsencode(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


NOTE = ("文件名不是 UTF-8 编码，已显示为“{}”（多为在 Linux 上解压 Windows 压缩包所致；"
        "解压时加 -O GBK，如 unzip -O GBK 材料.zip，可得到正确的文件名）")


def test_rank_writes_every_output_with_the_names_readable(folder: Path, tmp_path: Path) -> None:
    before = _digest(folder)
    done = _rank(folder, "--format", "json", "--jobs", "2")
    assert done.returncode == 1, done.stderr.decode()  # the cut-off file could not be scored
    assert done.stderr.decode("utf-8").strip() == "共 3 个文件：评定 2 个，未能评分 1 个"
    data = json.loads(done.stdout.decode("utf-8"))  # valid UTF-8 JSON
    cards = {c["source"]: c for c in data["results"]}
    assert sorted(cards) == ["材料/村社区/东关村党支部.xlsx", "材料/\ufffd\ufffd.xlsx"]
    assert cards["材料/村社区/东关村党支部.xlsx"]["warnings"] == [NOTE.format("东关村党支部.xlsx")]
    assert cards["材料/\ufffd\ufffd.xlsx"]["warnings"] == [NOTE.format("\ufffd\ufffd.xlsx")]
    assert [(c["organization"]["name"], c["total"]) for c in cards.values()] == [
        ("东关村党支部", "88.5"), ("滨河社区党委", "95.5")]  # scored as the examples are
    assert data["failures"] == [{
        "source": "材料/村社区/损坏.xlsx", "reason": "证明材料工作簿无法读取",
        "problems": ["损坏.xlsx: 文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试"],
    }]
    assert _rank(folder, "--format", "json", "--jobs", "1").stdout == done.stdout

    csv = _rank(folder, "--format", "csv")
    assert csv.returncode == 1 and "材料/村社区/东关村党支部.xlsx" in csv.stdout.decode("utf-8-sig")

    out = tmp_path / "等级名单.xlsx"
    written = _rank(folder, "-o", str(out))
    assert written.returncode == 1, written.stderr.decode()
    book = openpyxl.load_workbook(out)
    failed = [row for row in book["未能评分"].iter_rows(values_only=True) if row[0] == 1]
    assert failed[0][1:3] == ("材料/村社区/损坏.xlsx", "证明材料工作簿无法读取")
    notes = [row[-1] for row in book["评定结果"].iter_rows(values_only=True) if row[3] == "东关村党支部"]
    assert any(NOTE.format("东关村党支部.xlsx") in str(n) for n in notes)
    assert _digest(folder) == before  # inputs untouched


def test_score_prints_json_for_such_a_file(folder: Path) -> None:
    path = folder / gbk("村社区") / gbk("东关村党支部.xlsx")
    done = subprocess.run([sys.executable, "-m", "chuangyou", "score", str(path), "--format", "json"],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    card = json.loads(done.stdout.decode("utf-8"))
    assert card["source"] == str(folder / "村社区" / "东关村党支部.xlsx")
    assert card["total"] == "88.5" and card["warnings"] == [NOTE.format("东关村党支部.xlsx")]


def test_two_names_that_read_the_same_are_told_apart(tmp_path: Path) -> None:
    # The archive unpacked twice, with and without -O GBK: "村.xlsx" in UTF-8 and in GBK.
    # Both read "村.xlsx"; the second becomes a failure instead of taking the first's place.
    if sys.platform in ("win32", "darwin"):
        pytest.skip("Windows and macOS store every file name as Unicode")
    root = tmp_path / "材料"
    root.mkdir()
    shutil.copyfile(GOOD, root / "村.xlsx")
    try:
        shutil.copyfile(EXAMPLES / "示例-滨河社区党委.xlsx", root / gbk("村.xlsx"))
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    done = _rank(root, "--format", "json")
    assert done.returncode == 1
    data = json.loads(done.stdout.decode("utf-8"))
    assert [(c["source"], c["organization"]["name"]) for c in data["results"]] == [("材料/村.xlsx", "东关村党支部")]
    assert data["failures"] == [{"source": "材料/村.xlsx", "reason": SAME_NAME, "problems": []}]
