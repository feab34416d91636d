"""The one error handler at the edge of the program.

Expected errors (ChuangyouError) → a Chinese message and their exit code; Ctrl-C (and a
polite kill, SIGTERM, or a closed terminal, SIGHUP) → "已中断。" and 130, after the cleanup of
temporary files has run (or, when an output was complete before it, that it was written);
anything else is a bug → a short apology, the traceback saved to a log file, exit 3.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import os
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from chuangyou.errors import ChuangyouError

BUG_EXIT = 3
INTERRUPTED_EXIT = 130


def _log_dir() -> Path:
    base = os.environ.get("CHUANGYOU_LOG_DIR")
    return Path(base) if base else Path(tempfile.gettempdir()) / "chuangyou-logs"


def report_bug(exc: BaseException) -> int:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    try:
        folder = _log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / f"chuangyou-error-{stamp}-{os.getpid()}.log"
        log.write_text(text, encoding="utf-8")
        where = f"详细信息已保存到 {log}，请将该文件发给技术支持人员。"
    except OSError:
        where = "无法保存错误日志。"
    print(f"抱歉，程序内部出错（{type(exc).__name__}）。{where}", file=sys.stderr)
    return BUG_EXIT


def print_error(exc: ChuangyouError) -> None:
    print(f"错误：{exc}", file=sys.stderr)


# OS errors that are about the user's files and folders, not our code: a name over 255
# bytes given on the command line made Path.exists() raise in three commands.
_USER_ERRNOS = {
    errno.ENAMETOOLONG: "文件名或路径过长（一个文件名最多 255 字节，约 85 个汉字）",
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中的某一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ELOOP: "路径中的符号链接循环",
    errno.EROFS: "所在磁盘为只读",
    errno.ENOSPC: "磁盘空间不足",
    errno.EIO: "磁盘读写出错",
}


def _environment_error(exc: OSError) -> int | None:
    reason = _USER_ERRNOS.get(exc.errno or 0)
    if reason is None:
        return None
    where = f" {exc.filename}" if exc.filename else ""
    print(f"错误：无法访问{where}：{reason}", file=sys.stderr)
    return 2


def interrupted() -> int:
    """Exit 130. An output already renamed into place is complete: say so, not just 已中断."""
    from chuangyou.safeio import written

    done = written()
    names = "、".join(str(path) for path in done)
    message = f"\n已中断：{names} 已完整写入，之后的步骤（如屏幕输出）未完成。" if done else "\n已中断。"
    with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
        print(message, file=sys.stderr)
    return INTERRUPTED_EXIT


def _signal_handlers() -> dict[int, Any]:
    """Ctrl-C, SIGTERM (a polite kill) and SIGHUP (the terminal window closed) unwind the main
    process, so that temporary files are removed. Returns the handlers replaced, to be put back.

    Forked worker processes inherit these handlers. A terminal sends Ctrl-C to every process
    of the group (and ``kill -- -PGID`` sends SIGTERM so): a worker then does nothing, the
    main process cancels the pool, and the worker finishes its few files and exits quietly.
    Raising, a worker printed a KeyboardInterrupt traceback (in English; and forked beside
    the progress bar's thread, a print can block forever on a lock copied mid-write); dying
    at once, it made the pool's manager thread print an InvalidStateError traceback.
    """
    main_pid = os.getpid()

    def handler(signum: int, frame: object) -> None:
        if os.getpid() == main_pid:
            raise KeyboardInterrupt

    replaced: dict[int, Any] = {}
    polite = [(signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, signal.SIG_DFL)]
    if hasattr(signal, "SIGHUP"):  # the terminal window closed: as SIGTERM (POSIX only)
        polite.append((signal.SIGHUP, signal.SIG_DFL))
    for signum, default in polite:
        if signal.getsignal(signum) is default:  # someone embedding us may have their own
            replaced[signum] = signal.signal(signum, handler)
    return replaced


def _printable_streams() -> None:
    """Text that the output's encoding cannot hold is written as "?" instead of stopping the run.

    Redirected on Chinese Windows (``chuangyou rank 城关镇 > 结果.txt``), stdout is GBK, which
    has no emoji and no rare characters of CJK Extension B that village names use (𠀀);
    JSON and CSV are written as UTF-8 bytes anyway (output.write_stdout).
    """
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change: leave it
                stream.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> None:
    from chuangyou.cli.app import app
    from chuangyou.safeio import forget_written

    _printable_streams()
    forget_written()
    replaced = _signal_handlers()
    try:
        code = app(args=argv, prog_name="chuangyou", standalone_mode=False)
        if code == INTERRUPTED_EXIT:
            # typer turns Ctrl-C into a silent Exit(130) when not in standalone mode.
            sys.exit(interrupted())
        if isinstance(code, int) and code:
            sys.exit(code)
    except ChuangyouError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(interrupted())
    except SystemExit:
        raise
    except OSError as exc:
        code = _environment_error(exc)
        sys.exit(code if code is not None else report_bug(exc))
    except Exception as exc:  # noqa: BLE001 - the edge of the program
        from chuangyou.cli.app import handle_click_exception

        code = handle_click_exception(exc)
        sys.exit(code if code is not None else report_bug(exc))
    finally:
        for signum, previous in replaced.items():
            signal.signal(signum, previous)
