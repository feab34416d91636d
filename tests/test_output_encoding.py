"""Output redirected on Chinese Windows is GBK (``chuangyou rank 城关镇 > 结果.txt``). GBK has
no emoji and none of the rare CJK Extension B characters some village names use: such a
name is printed with "?" and the run goes on (it stopped with an internal error)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAME = "东关村党支部😀·𠀀"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    book = openpyxl.load_workbook(EXAMPLES / "示例-东关村党支部.xlsx")
    for label, value in book["基本信息"].iter_rows(min_row=2, max_col=2):
        if label.value == "组织名称":
            value.value = NAME
    (tmp_path / "材料").mkdir()
    book.save(tmp_path / "材料" / "东关村.xlsx")
    return tmp_path / "材料"


def _run(*args: str, encoding: str = "gbk") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}  # stdout and stderr as on Chinese Windows
    return subprocess.run([sys.executable, "-m", "chuangyou", *args], capture_output=True, env=env, timeout=120)


def test_table_output_in_gbk_replaces_what_gbk_cannot_hold(folder: Path) -> None:
    done = _run("rank", str(folder))
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")
    assert "东关村党支部?·?" in out and "良好党支部" in out
    assert done.stderr.decode("gbk").strip() == (
        "共 1 个文件：评定 1 个，未能评分 0 个。加上 -o 等级名单.xlsx 可写出等级名单工作簿（等级名单、得分明细、扣分明细、整改清单等）"
    )
    scored = _run("score", str(folder / "东关村.xlsx"))
    assert scored.returncode == 0
    assert scored.stdout.decode("gbk").splitlines()[0].startswith("东关村党支部?·?（城关镇")


def test_json_stays_utf8_with_every_character(folder: Path) -> None:
    done = _run("rank", str(folder), "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8"))["results"][0]["organization"]["name"] == NAME
    scored = _run("score", str(folder / "东关村.xlsx"), "--format", "json")
    assert json.loads(scored.stdout.decode("utf-8"))["organization"]["name"] == NAME
