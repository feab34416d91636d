"""Running one command as a measured subprocess: wall time, CPU time, peak memory.

Each command runs in a process of its own (``python harness.py --measure -- CMD``) so that
RUSAGE_CHILDREN covers that command only: its CPU time includes its worker processes,
its peak RSS is the largest single process (main or worker). On Linux the whole process
tree's PSS is also sampled every 50 ms (shared pages shared out).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(p) for p in handle.read().split()]
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Child side of --measure: run ``cmd`` with stdout to /dev/null; report what it cost."""
    import resource

    tree_peak = 0
    sample = Path("/proc/self/smaps_rollup").exists()
    with open(os.devnull, "wb") as null:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, env=env)
        while process.poll() is None:
            if sample:
                tree_peak = max(tree_peak, sum(_pss_kb(p) for p in _children(process.pid)))
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(0.05)
        wall = time.perf_counter() - start
    assert process.stderr is not None
    errors = process.stderr.read().decode("utf-8", "replace")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"rc": process.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024, "tree_mb": tree_peak / 1024, "stderr": errors[-2000:]}


def run(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", "--", *cmd],
                         capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] not in ok:  # every generated workbook must score, or the figures mean nothing
        raise SystemExit(f"command failed ({result['rc']}): {' '.join(cmd)}\n{result['stderr']}{out.stderr}")
    return result


def chuangyou_command(explicit: str | None) -> list[str]:
    if explicit:
        return explicit.split()
    script = Path(sys.executable).with_name("chuangyou")
    return [str(script)] if script.exists() else [sys.executable, "-m", "chuangyou"]


def environment(pycache: Path, cache_dir: Path) -> dict[str, str]:
    """Bytecode caching on (what an installed chuangyou does from its second run on), and
    the result cache in a folder of the benchmark's own, never the user's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["CHUANGYOU_CACHE_DIR"] = str(cache_dir)
    return env


def warm_files(folder: Path) -> None:
    """Read every file once so that no round pays for the disk (all rounds read from cache)."""
    for path in folder.rglob("*.xlsx"):
        path.read_bytes()


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"Python {platform.python_version()}"]
    for name in ("python-calamine", "openpyxl", "pydantic", "XlsxWriter"):
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{name} {version(name)}")
    return ", ".join(parts)


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "--measure":
    print(json.dumps(measure(sys.argv[3:], dict(os.environ))))
