"""Ctrl-C, SIGTERM and a killed process never leave a half-written output or a temp file.

The first test runs ``python -m chuangyou rank`` on a real terminal (a pty, so that the
progress bar shows and tells us scoring has started) and presses Ctrl-C the way a
terminal does: SIGINT to the whole process group, workers included.
"""

from __future__ import annotations

import hashlib
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chuangyou.export import workbook as export_workbook
from chuangyou.safeio import write_atomic
from hostile.cli import leftovers, run
from hostile.zips import good

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and pty")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 workbooks: several seconds of scoring, so an interrupt always lands mid-run."""
    root = tmp_path_factory.mktemp("interrupt")
    first = good(root / "村000.xlsx")
    for n in range(1, 600):
        shutil.copyfile(first, root / f"村{n:03d}.xlsx")
    return root


def _read_until(fd: int, needle: str, seconds: float) -> str:
    """Read the pty until ``needle`` shows up (or the time is up, or the process closed it)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while needle.encode() not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the other side is closed
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


def _processes(pgid: int) -> str:
    """What the processes of the group are doing (for the message of a failed test)."""
    found = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:32,args", "-g", str(pgid)],
                           capture_output=True, text=True, check=False)
    return found.stdout


def _group_gone(pgid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _group_size(pgid: int) -> int:
    """How many processes are in the group (the rank process and its workers)."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        count += int(fields[2]) == pgid  # the field after state and ppid is the group
    return count


def _wait_for_workers(process: subprocess.Popen[bytes], count: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while _group_size(process.pid) < count and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert _group_size(process.pid) >= count, "the worker processes never started"


def _finish(process: subprocess.Popen[bytes], sig: signal.Signals, read: Callable[[], str]) -> tuple[int, str]:
    os.killpg(process.pid, sig)  # what a terminal does on Ctrl-C: the whole group
    try:
        code = process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running after the signal:\n{_processes(process.pid)}") from None
    return code, read()


def _check_nothing_left(folder: Path, tmp_path: Path, output: Path, pgid: int) -> None:
    assert _group_gone(pgid), "worker processes were left running"
    assert not output.exists()
    assert leftovers(tmp_path) == [] and leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == [f"村{n:03d}.xlsx" for n in range(600)]


def _as_on_a_terminal() -> None:
    """Ctrl-C's default disposition, as a command started from a terminal has it: a test
    run started in the background by a shell without job control (CI scripts, ``cmd &``)
    ignores SIGINT, and its children would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _rank(folder: Path, output: Path, jobs: str, stderr: Any, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "chuangyou", "rank", str(folder), "-o", str(output), "--jobs", jobs],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr, cwd=cwd, start_new_session=True,
        preexec_fn=_as_on_a_terminal,
    )


def test_ctrl_c_on_a_terminal(folder: Path, tmp_path: Path) -> None:
    """On a terminal (a pty) the progress bar shows that scoring has begun; Ctrl-C then."""
    output = tmp_path / "等级名单.xlsx"
    master, slave = pty.openpty()
    process = _rank(folder, output, "1", slave, tmp_path)
    os.close(slave)
    try:
        started = _read_until(master, "评分中", 60)
        assert "评分中" in started, started
        assert process.poll() is None
        code, rest = _finish(process, signal.SIGINT, lambda: _read_until(master, "已中断", 5))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert code == 130
    assert "已中断。" in rest
    _check_nothing_left(folder, tmp_path, output, process.pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "sigterm", "sighup"])
def test_interrupt_with_two_workers(folder: Path, tmp_path: Path, sig: signal.Signals) -> None:
    """Both workers running (seen in /proc), then the signal to the whole group. Piped: the
    worker processes, not a progress bar, tell that scoring has begun; and any traceback a
    worker printed would show in stderr, which must hold the one line."""
    output = tmp_path / "等级名单.xlsx"
    process = _rank(folder, output, "2", subprocess.PIPE, tmp_path)
    try:
        _wait_for_workers(process, 3)
        assert process.poll() is None
        assert process.stderr is not None
        code, rest = _finish(process, sig, lambda: process.stderr.read().decode("utf-8"))  # type: ignore[union-attr]
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 130
    assert rest == "\n已中断。\n"
    _check_nothing_left(folder, tmp_path, output, process.pid)


def test_ctrl_c_while_the_export_is_written(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Half of the workbook is on disk when Ctrl-C comes: the old output stays as it was."""
    small = tmp_path / "材料"
    small.mkdir()
    for n in range(3):
        shutil.copyfile(folder / f"村{n:03d}.xlsx", small / f"村{n}.xlsx")
    output = tmp_path / "等级名单.xlsx"
    output.write_bytes(b"last year's list")  # not a tier list of ours: replaced only with --force

    def half_written(path: Path, *args: object, **kwargs: object) -> None:
        Path(path).write_bytes(b"PK\x03\x04 half a workbook")
        raise KeyboardInterrupt

    # The exporter's writer, replaced by one cut short by Ctrl-C.
    monkeypatch.setattr(export_workbook, "build", half_written)
    code, _, err = run(capsys, "rank", small, "-o", output, "--jobs", "1", "--force")
    assert code == 130
    assert err.endswith("\n已中断。\n")
    assert output.read_bytes() == b"last year's list"
    assert leftovers(tmp_path) == []


def test_ctrl_c_after_the_output_is_complete(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-C while the tables are printed, after the rename: the tier list is complete, and
    the message says so instead of a bare 已中断。"""
    from openpyxl import load_workbook

    from chuangyou.cli import rank_cmd

    small = tmp_path / "材料"
    small.mkdir()
    for n in range(2):
        shutil.copyfile(folder / f"村{n:03d}.xlsx", small / f"村{n}.xlsx")

    def interrupted_print(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rank_cmd, "_print_results", interrupted_print)
    output = tmp_path / "等级名单.xlsx"
    code, _, err = run(capsys, "rank", small, "-o", output, "--jobs", "1")
    assert (code, err) == (130, f"\n已中断：{output} 已完整写入，之后的步骤（如屏幕输出）未完成。\n")
    assert "等级名单" in load_workbook(output).sheetnames
    assert leftovers(tmp_path) == []
    monkeypatch.undo()
    code, _, err = run(capsys, "rank", small, "-o", tmp_path / "x.txt")  # the next run starts afresh
    assert code == 2 and "已完整写入" not in err


_SLOW_WRITER = """
import sys, time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from chuangyou.export import workbook as export_workbook
from chuangyou.safeio import write_atomic

def writer(tmp):
    with open(tmp, "wb") as handle:
        handle.write(b"new" * 100000)
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)

write_atomic(Path(sys.argv[1]), writer, force=True)
"""


def test_killed_mid_write_keeps_the_old_file(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the destination is still the old file (the hidden temp file
    is what remains, and rank never scans hidden files)."""
    target = tmp_path / "等级名单.xlsx"
    target.write_bytes(b"old complete file")
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target)], stdout=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stdout.readline() == b"writing\n"
    process.kill()
    process.wait(timeout=30)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert all(p.name.startswith(".~") for p in tmp_path.iterdir() if p != target)


def test_an_exception_in_the_writer_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "结果.xlsx"

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise RuntimeError("bug in the middle of writing")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken)
    assert list(tmp_path.iterdir()) == []
