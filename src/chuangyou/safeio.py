"""Writing output files safely: atomically, and never over an input."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from chuangyou.errors import UsageError


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def check_output(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that would overwrite an input or cannot be created."""
    for source in inputs:
        if same_file(path, source):
            raise UsageError(f"输出文件 {path} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise UsageError(f"输出文件夹不存在：{folder}")
    if path.is_dir():
        raise UsageError(f"输出路径 {path} 是一个文件夹，请给出文件名")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it into place only on success."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~" + path.stem[:40] + "-", suffix=path.suffix + ".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(f"无法在 {folder} 中写入文件：{exc.strerror}。请检查文件夹是否存在、是否只读") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        try:
            os.replace(tmp, path)
        except PermissionError:
            raise UsageError(f"无法写入 {path}：文件可能正在 Excel/WPS 中打开，请关闭后重试") from None
        except OSError as exc:
            raise UsageError(f"无法写入 {path}：{exc.strerror}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def write_atomic(path: Path, writer: Callable[[Path], None], inputs: Iterable[Path] = ()) -> None:
    check_output(path, inputs)
    with atomic_path(path) as tmp:
        writer(tmp)


def write_text_atomic(path: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), inputs)
