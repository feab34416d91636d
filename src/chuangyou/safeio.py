"""Writing output files safely: atomically, and never over an input.

The output is written to a hidden temporary file in the same folder (``.~名称-xxxx.xlsx.tmp``:
hidden, so ``rank`` never scans it), flushed to disk, then renamed over the destination.
Whatever stops the run (an error, Ctrl-C, a full disk, a power cut), the destination is
either the old file or the complete new one, never half a file; the temporary file is
removed on every exit that Python sees.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

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
    except (OSError, RuntimeError):
        return False


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def check_output(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that would overwrite an input or cannot be created."""
    for source in inputs:
        if same_file(path, source):
            raise UsageError(f"输出文件 {path} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名")
    folder = _folder(path)
    try:
        if not folder.exists():
            raise UsageError(f"输出文件夹不存在：{folder}")
        if not folder.is_dir():
            raise UsageError(f"无法写入 {path}：{folder} 是一个文件，不是文件夹")
        if path.is_dir():
            raise UsageError(f"输出路径 {path} 是一个文件夹，请给出文件名")
    except OSError as exc:  # a name too long to even look up
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None


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


def _commit(tmp: Path, path: Path) -> None:
    try:
        os.chmod(tmp, _mode_for(path))
        # Flush the data before the rename: otherwise a power cut (or a USB stick pulled
        # out) just after it can leave an empty file under the final name.
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except PermissionError:
        raise UsageError(f"无法写入 {path}：文件可能正在 Excel/WPS 中打开，或文件夹为只读；请关闭文件后重试") from None
    except OSError as exc:
        raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None


def write_atomic(path: Path, writer: Callable[[Path], None], inputs: Iterable[Path] = ()) -> None:
    """``writer(tmp)`` writes the whole file to ``tmp``; it becomes ``path`` only if it returns."""
    check_output(path, inputs)
    with atomic_path(path) as tmp:
        try:
            writer(tmp)
        except OSError as exc:  # a full disk while writing, a USB stick pulled out …
            raise UsageError(f"无法写入 {path}：{os_reason(exc)}") from None


def write_text_atomic(path: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    def writer(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")

    write_atomic(path, writer, inputs)
