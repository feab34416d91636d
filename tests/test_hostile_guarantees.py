"""The guarantees of docs/reliability.md, end to end through the CLI.

No input is ever modified; text from inputs comes back as text (never a formula); nothing
is fetched from the network; an error in one worker never loses the other results; an
output is never written over an input or half-written (see also test_hostile_interrupt.py).
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import chuangyou.evidence
from chuangyou.rubric import resolve
from evidence_helpers import full_values
from hostile import zips
from hostile.cli import digests, leftovers, run
from hostile.corpus import CASES
from hostile.zips import good

NAMES = ["城关村党支部", "东关村党支部", "西关村党支部", "南关村党支部", "北关村党支部", "河湾村党支部"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "材料 2026"
    (root / "城关镇").mkdir(parents=True)
    for name in NAMES:
        good(root / "城关镇" / f"{name}.xlsx", name=name)
    return root


def _names(out: str) -> list[str]:
    return sorted(card["organization"]["name"] for card in json.loads(out)["results"])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_inputs_are_never_modified(folder: Path, tmp_path: Path, jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Content and modification time of every input, hostile ones included, before and after."""
    for case in CASES[:12]:  # the files that are refused early, with odd suffixes among them
        case.build(folder / f"坏-{case.id}{Path(case.file).suffix}")
    before = digests(folder)
    code, out, err = run(capsys, "rank", folder, "-o", tmp_path / "等级名单.xlsx", "--format", "json", "--jobs", jobs)
    assert code == 1, err  # the bad files are listed, the good ones ranked
    assert _names(out) == sorted(NAMES)
    assert digests(folder) == before
    assert (tmp_path / "等级名单.xlsx").is_file()


def test_output_over_an_input_is_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = folder / "城关镇" / "东关村党支部.xlsx"
    before = digests(folder)
    code, _, err = run(capsys, "rank", folder, "-o", target)
    assert code == 2
    assert err == f"错误：输出文件 {target} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名\n"
    assert digests(folder) == before


def test_rerun_over_our_own_output_in_the_folder(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The tier list saved inside the folder is skipped on the next run, and replaced."""
    output = folder / "等级名单.xlsx"
    for _ in range(2):
        code, out, err = run(capsys, "rank", folder, "-o", output, "--format", "json", "--jobs", "1")
        assert code == 0, err
        assert _names(out) == sorted(NAMES)
    assert leftovers(folder) == []


INJECTIONS = ["=1+1", "+2+3", "-4+5", "@SUM(A1)", '=HYPERLINK("http://example.invalid","点我")', "=cmd|' /C calc'!A0"]


def test_formula_like_names_come_back_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    for n, name in enumerate(INJECTIONS):
        zips.crafted_name(folder / f"村{n}.xlsx", name)
    output = tmp_path / "等级名单.xlsx"
    code, out, err = run(capsys, "rank", folder, "-o", output, "--format", "json", "--jobs", "1")
    assert code == 0, err
    assert _names(out) == sorted(INJECTIONS)
    book = load_workbook(output)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    found = {c.value for c in cells if c.value in INJECTIONS}
    assert found == set(INJECTIONS)
    assert all(c.data_type == "s" for c in cells if c.value in INJECTIONS)
    with zipfile.ZipFile(output) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml and "<f " not in xml


def test_nothing_is_fetched_from_the_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """template → fill → score → rank (two worker processes, forked with the patch) → export."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError(errno.ENETUNREACH, "network use is forbidden in this test")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "材料"
    folder.mkdir()
    template = folder / "模板.xlsx"
    assert run(capsys, "template", "--rubric", "village", "--subtype", "村", "--form", "党支部", "-o", template)[0] == 0
    for n in range(4):
        _fill(template, folder / f"村{n}.xlsx", f"第{n}村党支部")
    template.unlink()
    code, out, err = run(capsys, "score", folder / "村0.xlsx", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["organization"]["name"] == "第0村党支部"
    code, out, err = run(capsys, "rank", folder, "-o", tmp_path / "等级名单.xlsx", "--format", "json", "--jobs", "2")
    assert code == 0, err
    assert len(json.loads(out)["results"]) == 4
    assert attempts == []


def _fill(template: Path, path: Path, name: str) -> None:
    """Fill the real template as a branch secretary would: 组织名称 and every 自评值."""
    rubric = resolve("village")
    values = full_values(rubric, "village")
    book = load_workbook(template)
    info, data = book["基本信息"], book["考评数据"]
    for row in info.iter_rows():
        if row[0].value == "组织名称":
            row[1].value = name
    header = next(r for r in data.iter_rows() if any(c.value == "编号" for c in r))
    columns = {c.value: c.column - 1 for c in header}
    for row in data.iter_rows(min_row=header[0].row + 1):
        number = row[columns["编号"]].value
        field = str(number).rpartition(".")[2] if number else ""
        if field in values and row[columns["自评值"]].value != "不适用":
            row[columns["自评值"]].value = values[field]
    book.save(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_in_one_worker_loses_no_other_result(folder: Path, jobs: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """An exception that is not a ChuangyouError (a bug) while reading one file: that file
    is listed with the exception, every other file is ranked. The patch is made before the
    workers fork, so they inherit it."""
    real = chuangyou.evidence.read_workbook

    def broken(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path).name == "西关村党支部.xlsx":
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(chuangyou.evidence, "read_workbook", broken)
    monkeypatch.setattr(chuangyou.evidence, "read_evidence", lambda path, *a, **k: broken(path, *a, **k)[1])
    code, out, err = run(capsys, "rank", folder, "--format", "json", "--jobs", jobs)
    assert code == 1
    result = json.loads(out)
    assert result["failures"] == [{"source": str(folder / "城关镇" / "西关村党支部.xlsx"),
                                   "reason": "无法处理该文件（RuntimeError：boom）", "problems": []}]
    assert _names(out) == sorted(n for n in NAMES if n != "西关村党支部")


# -- where the output cannot be written ------------------------------------------------------

@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root writes into read-only folders; simulated in the tests below")
def test_read_only_output_folder(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, _, err = run(capsys, "rank", folder, "-o", locked / "等级名单.xlsx")
    finally:
        locked.chmod(stat.S_IRWXU)
    assert code == 2
    assert err == f"错误：无法在 {locked} 中写入文件：没有写入权限（文件夹或文件为只读）。请检查文件夹是否存在、是否只读\n"
    assert list(locked.iterdir()) == []


def test_read_only_output_folder_simulated(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """As root (CI) chmod does not stop writes: the OS refusal is simulated where it happens."""
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run(capsys, "rank", folder, "-o", tmp_path / "等级名单.xlsx")
    assert code == 2
    assert err == f"错误：无法在 {tmp_path} 中写入文件：没有写入权限（文件夹或文件为只读）。请检查文件夹是否存在、是否只读\n"
    assert not (tmp_path / "等级名单.xlsx").exists()


def test_output_folder_is_a_file(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A real refusal even as root: the "folder" is a file."""
    blocker = tmp_path / "报告.txt"
    blocker.write_text("不是文件夹", encoding="utf-8")
    code, _, err = run(capsys, "rank", folder, "-o", blocker / "等级名单.xlsx")
    assert code == 2
    assert err == f"错误：无法写入 {blocker / '等级名单.xlsx'}：{blocker} 是一个文件，不是文件夹\n"
    assert blocker.read_text(encoding="utf-8") == "不是文件夹"


def test_disk_full_while_writing(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from chuangyou.export import workbook as export_workbook

    def disk_full(path: Path, *args: object, **kwargs: object) -> None:
        Path(path).write_bytes(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_workbook, "build", disk_full)
    output = tmp_path / "等级名单.xlsx"
    code, _, err = run(capsys, "rank", folder, "-o", output)
    assert code == 2
    assert err == f"错误：无法写入 {output}：磁盘空间不足\n"
    assert not output.exists() and leftovers(tmp_path) == []


def test_output_permissions_follow_the_umask(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """mkstemp creates 0600 files: colleagues sharing the folder could not open the list."""
    old = os.umask(0o022)
    try:
        code, _, err = run(capsys, "rank", folder, "-o", tmp_path / "等级名单.xlsx")
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "等级名单.xlsx").stat().st_mode) == 0o644


def test_disk_full_inside_the_writer_is_reported_as_such(folder: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """XlsxWriter wraps an OSError at close() in its own exception: the user must still read
    “磁盘空间不足”, and nothing may be left behind (neither the output nor the writer's row files)."""
    import tempfile

    import xlsxwriter.workbook

    def full(self: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    scratch = tmp_path / "系统临时"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    output = tmp_path / "输出" / "等级名单.xlsx"
    output.parent.mkdir()
    code, _, err = run(capsys, "rank", folder, "-o", output)
    assert code == 2
    assert err == f"错误：无法写入 {output}：磁盘空间不足\n"
    assert list(output.parent.iterdir()) == []
    assert [p for p in scratch.iterdir() if p.name.startswith("chuangyou-xlsx-")] == []
