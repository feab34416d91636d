"""Writing output files safely: atomically, never over an input, never over a stranger's file.

The output is written to a hidden temporary file in the same folder (``.~名称-xxxx.xlsx.tmp``:
hidden, so ``rank`` never scans it), flushed to disk, then renamed over the destination.
Whatever stops the run (an error, Ctrl-C, a full disk, a power cut), the destination is
either the old file or the complete new one, never half a file; the temporary file is
removed on every exit that Python sees.

Overwrite policy (one for every command that writes): an existing file is replaced only if
it is this tool's own earlier output *of the same kind* (:func:`is_own_output`) or the user
gave ``--force``; an input is never replaced, not even with ``--force``. A command names
what it writes with an :class:`OutputKind`; ``kind=None`` is for files people fill in or
edit (templates, rosters, rubric copies), which are never replaced without ``--force``.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import re
import signal
import sys
import tempfile
import threading
import traceback
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from chuangyou.errors import UsageError

_REASONS = {
    errno.EACCES: "没有写入权限（文件夹或文件为只读）",
    errno.EPERM: "没有写入权限（文件夹或文件为只读）",
    errno.EROFS: "所在磁盘为只读（如写保护的 U 盘）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘空间配额已用完",
    errno.ENAMETOOLONG: "文件名或路径过长，请换一个较短的文件名或文件夹",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中的某一部分不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.EIO: "磁盘读写出错",
    errno.EXDEV: "临时文件与目标不在同一磁盘",
}


def os_reason(exc: OSError) -> str:
    """A Chinese reason for an OS error (``strerror`` is English on most systems)."""
    return _REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in a path read from a JSON file
        return False


def _is_an_input(path: Path, inputs: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``inputs`` (under another name too: a link, ``./a`` and
    ``a``). A path that is not there is compared as a path (an input that has gone missing
    keeps its name); otherwise files are told apart by their identity, one stat each instead
    of resolving every input's path (10,000 inputs: 0.7 s). A file system without identities
    (inode 0) is checked by path."""
    inputs = list(inputs)
    if not inputs:
        return False
    if not os.path.lexists(path):
        try:
            target = _plain_path(path)
            return any(_plain_path(source) == target for source in inputs)
        except ValueError:  # a NUL in a path read from a JSON file
            return False
    try:
        own = os.stat(path)
    except OSError:  # a link to nowhere, a name too long: the careful way
        return any(same_file(path, source) for source in inputs)
    if not own.st_ino:
        return any(same_file(path, source) for source in inputs)
    for source in inputs:
        try:
            found = os.stat(source)
        except (OSError, ValueError):
            continue
        if (found.st_dev, found.st_ino) == (own.st_dev, own.st_ino):
            return True
    return False


def _plain_path(path: Path) -> str:
    """The absolute path as written, without asking the file system (``a/../b`` is ``b``)."""
    return os.path.normcase(os.path.abspath(path))


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


#: Written into every output that is ours (core-properties keywords, a JSON "$comment", a
#: first line), so that a later run recognizes it: ``rank`` skips it, ``-o`` may replace it.
OUTPUT_MARKER = "chuangyou-export"
#: Our markers sit in the first bytes of the parts or files they are in; read no more.
_MARKER_BYTES = 65536
#: A JSON output of ours is read whole to find its marker: only up to this size.
_JSON_BYTES = 8 * 1024 * 1024
_KEYWORDS = re.compile(rb"<(?:\w+:)?keywords(?:\s[^>]*)?>([^<]*)</(?:\w+:)?keywords>")


@dataclass(frozen=True)
class OutputKind:
    """One kind of file chuangyou writes, and how to recognize our own earlier copy of it.

    ``style`` says where the marker goes: ``office`` (.xlsx/.docx) in the document
    properties' keywords (:attr:`keywords`); ``json`` in a top-level ``"$comment"``
    (:attr:`marker`); ``text`` (YAML, Markdown: formats with comments) as the first
    line (:attr:`header`). ``label`` is the Chinese name used in messages: 等级名单.
    """

    label: str
    style: Literal["office", "json", "text"] = "office"

    @property
    def marker(self) -> str:
        return f"{OUTPUT_MARKER} {self.label}"

    @property
    def keywords(self) -> str:
        """The core-properties keywords of an .xlsx/.docx of this kind."""
        return f"{OUTPUT_MARKER} 创优 {self.label}"

    @property
    def header(self) -> str:
        """The first line of a text output of this kind (a YAML comment)."""
        return f"# {self.marker}（由 chuangyou 生成）"


TIERLIST = OutputKind("等级名单")
RUBRIC_SCHEMA = OutputKind("评定标准JSON-Schema", "json")


def office_keywords(path: Path) -> list[str] | None:
    """The words of an .xlsx/.docx's core-properties keywords when it carries our marker."""
    from chuangyou.evidence.limits import ZIP_ERRORS  # only when an output already exists

    try:
        with zipfile.ZipFile(path) as archive, archive.open("docProps/core.xml") as part:
            core = part.read(_MARKER_BYTES)  # never more, whatever the directory claims
    except ZIP_ERRORS:
        return None
    found = _KEYWORDS.search(core)
    words = found.group(1).decode("utf-8", "replace").split() if found else []
    return words if OUTPUT_MARKER in words else None


def is_own_output(path: Path, kind: OutputKind) -> bool:
    """True if ``path`` is a file chuangyou wrote as ``kind`` (read-only, never raises)."""
    if kind.style == "office":
        words = office_keywords(path)
        return words is not None and kind.label in words
    try:
        with open(path, "rb") as handle:
            head = handle.read(_JSON_BYTES + 1 if kind.style == "json" else _MARKER_BYTES)
    except OSError:
        return False
    if kind.style == "text":
        return head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r") == kind.header
    if len(head) > _JSON_BYTES:
        return False
    try:
        data = json.loads(head.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("$comment") == kind.marker


def refuse_overwrite(path: Path, kind: OutputKind | None) -> UsageError:
    """The message for an existing file that the policy does not let us replace."""
    what = f"，且不是本工具生成的{kind.label}" if kind is not None else ""
    return UsageError(
        f"文件 {path} 已存在{what}，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖"
    )


def check_output(path: Path, inputs: Iterable[Path] = (), *, kind: OutputKind | None = None,
                 force: bool = False) -> None:
    """Refuse an output that would overwrite an input, or an existing file that is not our
    own output of ``kind`` (unless ``force``), or that cannot be created. Commands call it
    before their long work too, so that a refusal comes before minutes of scoring."""
    if _is_an_input(path, inputs):
        raise UsageError(f"输出文件 {path} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名")
    folder = _folder(path)
    try:
        if not folder.exists():
            raise UsageError(f"输出文件夹不存在：{folder}")
        if not folder.is_dir():
            raise UsageError(f"无法写入 {path}：{folder} 是一个文件，不是文件夹")
        if path.is_dir():
            raise UsageError(f"输出路径 {path} 是一个文件夹，请给出文件名")
        exists = os.path.lexists(path)
    except OSError as exc:  # a name too long to even look up
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None
    if exists and not force and (kind is None or not is_own_output(path, kind)):
        raise refuse_overwrite(path, kind)


def _mode_for(path: Path) -> int:
    """The permissions the file would get if created normally: an existing output keeps
    its own, a new one follows the umask (mkstemp makes 0600, unreadable by colleagues
    sharing the folder)."""
    try:
        return os.stat(path).st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it into place only on success."""
    folder = _folder(path)
    try:
        # The stem is cut so that the temporary name stays under 255 bytes (3 per CJK character).
        fd, tmp_name = tempfile.mkstemp(prefix=".~" + path.stem[:40] + "-", suffix=path.suffix + ".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"无法在 {folder} 中写入文件：{os_reason(exc)}。请检查文件夹是否存在、是否只读") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        _commit(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


#: Outputs completed in this run, in order: after Ctrl-C the CLI says they were written
#: (the interrupt came after them) instead of a bare "已中断。".
_written: list[Path] = []


def written() -> list[Path]:
    """The outputs renamed into place since :func:`forget_written`."""
    return list(_written)


def forget_written() -> None:
    _written.clear()


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until the rename is done and recorded (main thread,
    POSIX): an interrupt then always knows whether the output is complete."""
    held = {getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)}
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, previous)


def _commit(tmp: Path, path: Path) -> None:
    try:
        os.chmod(tmp, _mode_for(path))
        # Flush the data before the rename: otherwise a power cut (or a USB stick pulled
        # out) just after it can leave an empty file under the final name.
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        with _signals_held():
            os.replace(tmp, path)
            _written.append(path)
    except PermissionError:
        raise UsageError(f"无法写入 {path}：文件可能正在 Excel/WPS 中打开，或文件夹为只读；请关闭文件后重试") from None
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None


def write_atomic(path: Path, writer: Callable[[Path], None], inputs: Iterable[Path] = (), *,
                 kind: OutputKind | None = None, force: bool = False) -> None:
    """``writer(tmp)`` writes the whole file to ``tmp``; it becomes ``path`` only if it returns.

    The overwrite policy (:func:`check_output`) applies: an existing ``path`` is replaced
    only if it is our own output of ``kind``, or with ``force``; never if it is an input.
    """
    check_output(path, inputs, kind=kind, force=force)
    with atomic_path(path) as tmp:
        try:
            writer(tmp)
        except OSError as exc:  # a full disk while writing, a USB stick pulled out …
            reason = os_reason(exc)
            release(exc)
            raise UsageError(f"无法写入 {path}：{reason}") from None


def release(exc: BaseException) -> None:
    """Let go of what a failed writer left open, quietly.

    XlsxWriter, openpyxl and python-docx write through a ``zipfile.ZipFile`` that they do not
    close when a write fails; the frames of the exception keep it alive, and when it is
    collected its ``__del__`` tries to finish the zip on the same full disk and prints an
    English traceback ("Exception ignored in: ZipFile.__del__") after our message. The
    frames are cleared here, while OS errors raised by finalizers are ignored.
    """
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, OSError | ValueError):  # ValueError: I/O on a closed file
            previous(unraisable)

    sys.unraisablehook = hook
    try:
        for item in chain:
            if item.__traceback__ is not None:
                traceback.clear_frames(item.__traceback__)
                item.__traceback__ = None
        del chain, current
        gc.collect()
    finally:
        sys.unraisablehook = previous


def write_text_atomic(path: Path, text: str, inputs: Iterable[Path] = (), *,
                      kind: OutputKind | None = None, force: bool = False) -> None:
    """Write UTF-8 text under the same policy; a ``text`` kind's header is the caller's to put first."""
    def writer(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, writer, inputs, kind=kind, force=force)
