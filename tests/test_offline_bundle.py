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
from cli_helpers import load_script

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
    assert "北岗村党支部.xlsx 考评数据!F9" in ranked.stdout
    book = openpyxl.load_workbook(top / "等级名单.xlsx", read_only=True)
    assert book.sheetnames[0] == "等级名单"
    assert "未能评分" in book.sheetnames


# -- the build script's own rules (fast: no network) ---------------------------------------


def _script() -> object:
    return load_script("build_offline_bundle", SCRIPT)


def _wheel(folder: Path, name: str, requires: list[str]) -> Path:
    path = folder / f"{name}-1.0-py3-none-any.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", meta)
    return path


@pytest.mark.parametrize(("platform", "fetched"), [("win_amd64", [["winonly"]]), ("manylinux_x86_64", [])])
def test_markers_are_read_for_the_target_not_this_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: str, fetched: list[list[str]]
) -> None:
    """pip download --platform skips `colorama; platform_system == "Windows"` on Linux."""
    bundle: object = _script()
    project = _wheel(tmp_path, "proj", ['winonly; platform_system == "Windows"', "common"])
    _wheel(tmp_path, "common", [])
    calls: list[list[str]] = []

    def download(requirements: list[str], target: object, folder: Path) -> None:
        calls.append(requirements)
        _wheel(folder, "winonly", [])

    monkeypatch.setattr(bundle, "download", download)
    target = bundle.Target(platform, "3.12")  # type: ignore[attr-defined]
    chosen = bundle.resolve(project, target, tmp_path)  # type: ignore[attr-defined]
    assert calls == fetched
    assert sorted(p.name.split("-")[0] for p in chosen) == sorted(["proj", "common", *(["winonly"] if fetched else [])])


def test_a_missing_wheel_names_the_package_and_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundle: object = _script()
    stderr = ("ERROR: Could not find a version that satisfies the requirement uvloop (from versions: none)\n"
              "ERROR: No matching distribution found for uvloop\n")
    monkeypatch.setattr(bundle, "run_pip", lambda args: subprocess.CompletedProcess(args, 1, "", stderr))
    with pytest.raises(bundle.BundleError) as failed:  # type: ignore[attr-defined]
        bundle.download(["uvloop"], bundle.Target("win_amd64", "3.12"), tmp_path)  # type: ignore[attr-defined]
    assert str(failed.value) == ("uvloop 没有适用于 win_amd64 / CPython 3.12 的二进制 wheel，无法打包该平台；"
                                 "去掉 --platform win_amd64 或 --python 3.12 后重试。")
