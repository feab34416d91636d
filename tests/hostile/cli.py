"""Running the real CLI entry point (chuangyou.cli.main.main) inside a test."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from chuangyou.cli.main import main


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``chuangyou ARGV``; main() returns on success and
    raises SystemExit otherwise."""
    capsys.readouterr()
    try:
        main([str(a) for a in argv])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def digests(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder``: SHA-256 and modification time (ns)."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(folder: Path) -> list[str]:
    """Temporary files of an atomic write (``.~name-xxxx.xlsx.tmp``) left under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))
