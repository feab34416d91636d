"""`chuangyou --version` and `chuangyou doctor`: what a support call needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from chuangyou import __version__, diagnostics
from chuangyou.cli.main import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, capsys.readouterr().out


def test_version_names_the_tool_and_every_bundled_rubric(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(["--version"], capsys)
    assert code == 0
    assert out.splitlines() == [
        f"chuangyou {__version__}",
        "内置评定标准：",
        "  agency   版本 2026.1  机关单位党组织争先创优评定标准",
        "  two_new  版本 2026.1  “两新”组织党组织争先创优评定标准",
        "  village  版本 2026.1  村(社区)党组织争先创优评定标准",
    ]


def test_doctor_reports_reader_cache_and_libreoffice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHUANGYOU_CACHE_DIR", str(tmp_path / "缓存"))
    monkeypatch.setattr(diagnostics, "find_soffice", lambda: None)
    code, out = run(["doctor"], capsys)
    lines = dict(line.split("：", 1) for line in out.splitlines())
    assert code == 0
    assert list(lines) == ["chuangyou", "内置评定标准", "Python", "操作系统", "工作簿读取", "结果缓存", "LibreOffice"]
    assert lines["chuangyou"] == __version__
    assert lines["内置评定标准"] == "agency 2026.1；two_new 2026.1；village 2026.1"
    assert lines["工作簿读取"].startswith("calamine（python-calamine ")
    assert lines["结果缓存"] == f"{tmp_path / '缓存'}（由环境变量 CHUANGYOU_CACHE_DIR 指定），尚未建立"
    assert lines["LibreOffice"] == "未找到（只影响把工作簿转换为 PDF 查看打印效果，不影响评分）"
    (tmp_path / "缓存").mkdir()
    _code, out = run(["doctor"], capsys)
    assert f"结果缓存：{tmp_path / '缓存'}（由环境变量 CHUANGYOU_CACHE_DIR 指定），已存在" in out.splitlines()


def test_doctor_names_the_pure_python_reader_without_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_calamine(name: str, *args: object, **kwargs: object) -> object:
        if name == "python_calamine":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_calamine)
    assert diagnostics.reader_in_use() == "openpyxl（纯 Python 读取；未安装 python-calamine，结果相同，速度较慢）"


def test_cache_dir_defaults_to_the_user_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_cache_dir

    monkeypatch.delenv("CHUANGYOU_CACHE_DIR", raising=False)
    assert diagnostics.cache_dir() == Path(user_cache_dir("chuangyou", appauthor=False))


def test_libreoffice_line_has_version_and_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostics, "find_soffice", lambda: "/opt/lo/soffice")
    monkeypatch.setattr(diagnostics, "soffice_version", lambda path: "LibreOffice 7.4.7.2")
    assert dict(diagnostics.doctor_lines())["LibreOffice"] == "LibreOffice 7.4.7.2（/opt/lo/soffice）"
