"""The offline bundle installs with no package index and runs the example township.

Builds the bundle for this machine's platform and Python only (the full build, three
platforms × four Pythons, is run by hand: see README, 离线安装). Building downloads the
dependencies through pip's configured index; installing uses nothing but the bundle, and
any attempt to reach the network goes to a closed port.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from chuangyou import __version__

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_offline_bundle.py"
DEAD_PROXY = "http://127.0.0.1:9"

pytestmark = pytest.mark.slow


def _offline_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("PIP_", "VIRTUAL_ENV"))}
    env.update(HTTP_PROXY=DEAD_PROXY, HTTPS_PROXY=DEAD_PROXY, http_proxy=DEAD_PROXY,
               https_proxy=DEAD_PROXY, PYTHON=sys.executable, PYTHONUTF8="1")
    return env


@pytest.mark.skipif(sys.platform != "linux", reason="install.sh is the Linux path; install.bat is not run here")
def test_bundle_installs_offline_and_ranks_the_example_township(tmp_path: Path) -> None:
    bundle = tmp_path / "chuangyou-offline.zip"
    built = subprocess.run(
        [sys.executable, str(SCRIPT), "--platform", "host", "--python", "host", "-o", str(bundle)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    assert f"已生成 {bundle}：" in built.stdout

    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(tmp_path / "解压")
    top = tmp_path / "解压" / f"chuangyou-{__version__}-offline"
    assert (top / "install.bat").read_bytes().startswith(b"@echo off\r\n")
    assert "二、第一次运行" in (top / "使用说明.txt").read_text(encoding="utf-8-sig")

    env = _offline_env()
    installed = subprocess.run(["sh", str(top / "install.sh")], capture_output=True, text=True,
                               env=env, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"chuangyou {__version__}\n内置评定标准：" in installed.stdout

    venv_bin = top / ".venv" / "bin"
    where = subprocess.run([str(venv_bin / "python"), "-c", "import chuangyou; print(chuangyou.__file__)"],
                           capture_output=True, text=True, env=env, check=True)
    assert Path(where.stdout.strip()).is_relative_to(top / ".venv")

    ranked = subprocess.run([str(venv_bin / "chuangyou"), "rank", "examples/城关镇", "-o", "等级名单.xlsx"],
                            cwd=top, capture_output=True, text=True, env=env, timeout=300)
    assert ranked.returncode == 1, ranked.stderr  # the example's one mis-filled workbook
    assert "共 30 个文件：评定 29 个，未能评分 1 个。等级名单已写入 等级名单.xlsx" in ranked.stderr
    assert "北岗村党支部.xlsx 考评数据!G9" in ranked.stdout
    book = openpyxl.load_workbook(top / "等级名单.xlsx", read_only=True)
    assert book.sheetnames[0] == "等级名单"
    assert "未能评分" in book.sheetnames
