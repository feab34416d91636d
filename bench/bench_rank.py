"""How close `chuangyou rank` comes to the cost of merely reading the workbooks (issue 5).

Run:  python bench/bench_rank.py --sizes 1000,10000 --jobs 2 --rounds 3
      (standard library + chuangyou's own dependencies; nothing is asserted)

For each size N it generates N realistic evidence workbooks once (bench/corpus.py, cached
under the temp folder) and then measures, in alternating rounds, three commands run as
subprocesses over the same folder:

  (a) floor      python bench/floor.py DIR          the minimal script: one process
                                                     only opens every file and reads the values
                                                     of both sheets with python-calamine
  (a') floor ×J  python bench/floor.py DIR --jobs J  the same, sharing the files among J
                                                     processes (a stricter, per-core reference)
  (b) rank       chuangyou rank DIR --jobs J --format json > /dev/null
  (c) rank -o    the same, also writing the tier-list workbook (-o out.xlsx)

and prints the median wall time per file, the ratios (b)/(a), (c)/(a) and (b)/(a'), the CPU time and
the peak memory: the largest single process (getrusage RUSAGE_CHILDREN, so workers count
separately) and, on Linux, the whole process tree (sum of PSS, sampled every 50 ms). Last,
the start-up time of `chuangyou --help` (median of 10).

The commands run with bytecode caching on (PYTHONDONTWRITEBYTECODE removed, the cache kept
under the temp folder): what an installed chuangyou does from its second run on.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


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
    """Child side of --measure: run ``cmd`` with stdout to /dev/null; report what it cost.

    Runs in its own process so that RUSAGE_CHILDREN covers this one command only.
    """
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


def run(cmd: list[str], env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", "--", *cmd],
                         capture_output=True, text=True, env=env, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:  # every generated workbook must score, or the figures mean nothing
        raise SystemExit(f"command failed ({result['rc']}): {' '.join(cmd)}\n{result['stderr']}{out.stderr}")
    return result


def chuangyou_command(explicit: str | None) -> list[str]:
    if explicit:
        return explicit.split()
    script = Path(sys.executable).with_name("chuangyou")
    return [str(script)] if script.exists() else [sys.executable, "-m", "chuangyou"]


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    return env


def warm(folder: Path) -> None:
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
    for name in ("python-calamine", "openpyxl", "pydantic"):
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{name} {version(name)}")
    return ", ".join(parts)


def bench_size(size: int, args: argparse.Namespace, cli: list[str], env: dict[str, str],
               work: Path) -> dict[str, list[dict[str, Any]]]:
    from corpus import corpus

    start = time.perf_counter()
    folder = corpus(size, args.cache)
    made = time.perf_counter() - start
    if made > 1:
        print(f"[N={size}] generated the workbooks in {made:.1f} s ({folder})", flush=True)
    warm(folder)
    jobs = str(args.jobs)
    out = work / "等级名单.xlsx"
    commands = {
        "floor": [sys.executable, str(HERE / "floor.py"), str(folder)],
        f"floor x{jobs}": [sys.executable, str(HERE / "floor.py"), str(folder), "--jobs", jobs],
        "rank": [*cli, "rank", str(folder), "--jobs", jobs, "--format", "json"],
        "rank -o": [*cli, "rank", str(folder), "--jobs", jobs, "--format", "json", "-o", str(out)],
    }
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in commands}
    for _ in range(args.rounds):
        for name, cmd in commands.items():  # alternating: a drift in load hits all alike
            results[name].append(run(cmd, env))
            out.unlink(missing_ok=True)
    return results


def warm_up(size: int, args: argparse.Namespace, cli: list[str], env: dict[str, str], work: Path) -> None:
    """One unmeasured run of each command: fills the bytecode cache and the OS file cache."""
    from corpus import corpus

    folder = corpus(size, args.cache)
    run([sys.executable, str(HERE / "floor.py"), str(folder)], env)
    run([*cli, "rank", str(folder), "--format", "json", "-o", str(work / "warm.xlsx")], env)


def report(size: int, results: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    floor = statistics.median(r["wall"] for r in results["floor"])
    row: dict[str, float] = {"N": size}
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = max(r["rss_mb"] for r in runs)
        tree = max(r["tree_mb"] for r in runs)
        ratio = f"   ratio {wall / floor:.2f}" if not name.startswith("floor") else ""
        print(f"[N={size}] {name:9s} {wall:8.3f} s  {wall / size * 1000:7.3f} ms/file  "
              f"CPU {cpu / size * 1000:6.3f} ms/file  peak RSS {rss:6.1f} MB (largest process), "
              f"{tree:6.1f} MB (process tree){ratio}", flush=True)
        row[name] = wall
        row[f"{name} rss"] = rss
        row[f"{name} tree"] = tree
    return row


def startup(cli: list[str], env: dict[str, str], count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        subprocess.run([*cli, "--help"], stdout=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def summary(rows: list[dict[str, float]], jobs: int) -> None:
    print()
    print(f"| N | floor (a) ms/file | floor ×{jobs} (a') ms/file | rank (b) ms/file | rank -o (c) ms/file "
          f"| (b)/(a) | (c)/(a) | (b)/(a') | peak RSS (b) largest / tree MB | peak RSS (c) largest / tree MB "
          f"|  jobs = {jobs}")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        n = row["N"]
        many = row[f"floor x{jobs}"]
        print(f"| {int(n):,} | {row['floor'] / n * 1000:.3f} | {many / n * 1000:.3f} | {row['rank'] / n * 1000:.3f} "
              f"| {row['rank -o'] / n * 1000:.3f} | {row['rank'] / row['floor']:.2f} "
              f"| {row['rank -o'] / row['floor']:.2f} | {row['rank'] / many:.2f} "
              f"| {row['rank rss']:.0f} / {row['rank tree']:.0f} "
              f"| {row['rank -o rss']:.0f} / {row['rank -o tree']:.0f} |")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[3:], dict(os.environ))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of workbooks, comma-separated")
    parser.add_argument("--jobs", type=int, default=2, help="processes for rank and for the floor ×J reference")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are shown")
    parser.add_argument("--help-runs", type=int, default=10, help="runs of `chuangyou --help`")
    parser.add_argument("--cache", type=Path, default=None, help="where generated workbooks are kept")
    parser.add_argument("--chuangyou", default=None, help="command to run (default: the installed one)")
    args = parser.parse_args()
    from corpus import cache_root

    args.cache = args.cache or cache_root()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    cli = chuangyou_command(args.chuangyou)
    env = environment(args.cache)
    print(f"chuangyou rank benchmark: {os.cpu_count()} CPUs, load average {load()}; {versions()}")
    print(f"rank --jobs {args.jobs}; floor (a): one process; floor x{args.jobs} (a'): "
          f"{args.jobs} processes (per-core reference); {args.rounds} alternating rounds, medians")
    with tempfile.TemporaryDirectory(prefix="chuangyou-bench-") as tmp:
        work = Path(tmp)
        warm_up(min(sizes + [5]), args, cli, env, work)
        rows = [report(size, bench_size(size, args, cli, env, work)) for size in sizes]
        shutil.rmtree(work, ignore_errors=True)
    print(f"chuangyou --help: {startup(cli, env, args.help_runs):.3f} s (median of {args.help_runs})")
    summary(rows, args.jobs)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
