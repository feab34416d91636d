"""The one error handler at the edge of the program.

Expected errors (ChuangyouError) → a Chinese message and their exit code; Ctrl-C → 130;
anything else is a bug → a short apology, the traceback saved to a log file, exit 3.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import tempfile
import traceback
from pathlib import Path

from chuangyou.errors import ChuangyouError

BUG_EXIT = 3


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


def main(argv: list[str] | None = None) -> None:
    from chuangyou.cli.app import app

    try:
        code = app(args=argv, prog_name="chuangyou", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except ChuangyouError as exc:
        print_error(exc)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the edge of the program
        from chuangyou.cli.app import handle_click_exception

        code = handle_click_exception(exc)
        sys.exit(code if code is not None else report_bug(exc))
