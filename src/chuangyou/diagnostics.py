"""What a support call needs to know: versions, the bundled rubrics, and the environment.

``chuangyou --version`` prints :func:`version_lines`; ``chuangyou doctor`` prints
:func:`doctor_lines`. Each is plain data (label, value) so that the CLI only formats it.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

from chuangyou import __version__

APP_NAME = "chuangyou"
CACHE_ENV = "CHUANGYOU_CACHE_DIR"

#: Where LibreOffice installs on Windows when it is not on PATH (it seldom is).
_WINDOWS_SOFFICE = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def rubric_versions() -> list[tuple[str, str, str]]:
    """(id, version, name) of each bundled rubric, in id order."""
    from chuangyou.rubric import bundled_rubrics

    return [(r.id, r.version, r.name) for r in sorted(bundled_rubrics(), key=lambda r: r.id)]


def version_lines() -> list[str]:
    lines = [f"chuangyou {__version__}", "内置评定标准："]
    rubrics = rubric_versions()
    width = max((len(rid) for rid, _v, _n in rubrics), default=0)
    lines += [f"  {rid:<{width}}  版本 {version}  {name}" for rid, version, name in rubrics]
    return lines


def cache_dir() -> Path:
    """The result cache's folder: $CHUANGYOU_CACHE_DIR, else the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def reader_in_use() -> str:
    from chuangyou.evidence.workbook import choose_reader

    if choose_reader("auto") == "calamine":
        return f"calamine（python-calamine {_distribution_version('python-calamine')}，快速读取）"
    return "openpyxl（纯 Python 读取；未安装 python-calamine，结果相同，速度较慢）"


def _distribution_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "版本未知"


def find_soffice() -> str | None:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if sys.platform == "win32":
        return next((p for p in _WINDOWS_SOFFICE if Path(p).is_file()), None)
    return None


def soffice_version(path: str) -> str:
    """``soffice --version``'s first line, or "" when it does not answer within 20 s."""
    try:
        done = subprocess.run(
            [path, "--version"], capture_output=True, text=True, timeout=20,
            encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def _cache_text() -> str:
    where = cache_dir()
    source = f"（由环境变量 {CACHE_ENV} 指定）" if os.environ.get(CACHE_ENV) else ""
    state = "已存在" if where.is_dir() else "尚未建立"
    return f"{where}{source}，{state}"


def _libreoffice_text() -> str:
    path = find_soffice()
    if path is None:
        return "未找到（只影响把工作簿转换为 PDF 查看打印效果，不影响评分）"
    version = soffice_version(path)
    return f"{version}（{path}）" if version else path


def doctor_lines() -> list[tuple[str, str]]:
    """(label, value) rows: what to paste into a message to technical support."""
    rubrics = "；".join(f"{rid} {version}" for rid, version, _n in rubric_versions())
    return [
        ("chuangyou", __version__),
        ("内置评定标准", rubrics),
        ("Python", f"{platform.python_version()}（{platform.python_implementation()}，{sys.executable}）"),
        ("操作系统", f"{platform.platform()}（{platform.machine()}）"),
        ("工作簿读取", reader_in_use()),
        ("结果缓存", _cache_text()),
        ("LibreOffice", _libreoffice_text()),
    ]
