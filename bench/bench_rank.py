"""Performance where users feel it (issue 17): reruns, the export, a township's start-up.

Run:  python bench/bench_rank.py                 (the figures of docs/performance.md)
      python bench/bench_rank.py --smoke         (tiny sizes: CI checks it runs, no timing)

Prints, in one run, with the alternatives of each comparison run in alternating rounds
(so that a drift in the machine's load hits them alike; medians are shown):

  rerun      1,000 files: cold (empty result cache), warm (nothing changed), 10 changed
  export     1,000 files, no cache: rank --format json vs rank --format json -o 等级名单.xlsx
  township   examples/城关镇 (30 files): floor process (calamine reads the same files,
             interpreter start included) vs rank cold (--no-cache) and warm
  cpu        one process, start-up excluded: chuangyou per file vs the floor per file
  memory     10,000 files, no cache: peak RSS of rank and of rank -o (largest process,
             and the process tree's PSS)
  start-up   chuangyou --help

and last a table of the issue's targets, each with its measured ratio. Standard library and
chuangyou's own dependencies only; nothing is asserted. Every command runs as a process of
its own with the result cache in a folder of the benchmark's (never the user's).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import chuangyou_command, environment, load, run, versions, warm_files  # noqa: E402

TOWNSHIP = HERE.parent / "examples" / "城关镇"
Results = dict[str, list[dict[str, Any]]]


def median(runs: list[dict[str, Any]], key: str = "wall") -> float:
    return statistics.median(r[key] for r in runs)


def line(section: str, name: str, runs: list[dict[str, Any]], size: int) -> None:
    wall, cpu = median(runs), median(runs, "cpu")
    rss, tree = max(r["rss_mb"] for r in runs), max(r["tree_mb"] for r in runs)
    print(f"[{section}] {name:14s} {wall:8.3f} s  {wall / size * 1000:7.3f} ms/file  CPU {cpu:7.3f} s  "
          f"peak RSS {rss:6.1f} MB (largest process), {tree:6.1f} MB (process tree)", flush=True)


def alternate(commands: dict[str, Any], rounds: int, env: dict[str, str]) -> Results:
    """Each round runs every command once, in order; a value may be a callable run first
    (to prepare the state the command is measured in: an empty cache, changed files)."""
    results: Results = {name: [] for name in commands}
    for n in range(rounds):
        for name, spec in commands.items():
            prepare, cmd, ok = spec
            if prepare is not None:
                prepare(n)
            results[name].append(run(cmd, env, ok))
    return results


def linked_copy(source: Path, target: Path) -> Path:
    """The corpus under ``target``, hard-linked (files that change are replaced, never edited:
    the pool is shared with other sizes)."""
    shutil.rmtree(target, ignore_errors=True)
    for path in sorted(source.rglob("*.xlsx")):
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copyfile(path, dest)
    return target


def change(paths: list[Path], mark: str) -> None:
    """New bytes, same content: a copy with another zip comment (as a re-saved file would be)."""
    for path in paths:
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        with zipfile.ZipFile(path, "a") as archive:
            archive.comment = f"bench {mark}".encode()


def rerun(size: int, changed: int, args: argparse.Namespace, cli: list[str], env: dict[str, str],
          work: Path) -> dict[str, float]:
    from corpus import corpus

    folder = linked_copy(corpus(size, args.cache), work / f"rerun{size}")
    warm_files(folder)
    cache = Path(env["CHUANGYOU_CACHE_DIR"])
    targets = sorted(folder.rglob("*.xlsx"))[:: max(1, size // changed)][:changed]
    cmd = [*cli, "rank", str(folder), "--jobs", str(args.jobs), "--format", "json"]
    commands = {
        "cold": (lambda n: shutil.rmtree(cache / "results", ignore_errors=True), cmd, (0,)),
        "warm": (None, cmd, (0,)),
        f"{changed} changed": (lambda n: change(targets, str(n)), cmd, (0,)),
    }
    results = alternate(commands, args.rounds, env)
    for name, runs in results.items():
        line(f"rerun N={size}", name, runs, size)
    cold = median(results["cold"])
    return {"warm": median(results["warm"]) / cold, "changed": median(results[f"{changed} changed"]) / cold}


def export(size: int, args: argparse.Namespace, cli: list[str], env: dict[str, str], work: Path) -> float:
    from corpus import corpus

    folder = corpus(size, args.cache)
    warm_files(folder)
    cmd = [*cli, "rank", str(folder), "--jobs", str(args.jobs), "--format", "json", "--no-cache"]
    out = work / "等级名单.xlsx"
    commands = {"--format json": (None, cmd, (0,)),
                "-o": (lambda n: out.unlink(missing_ok=True), [*cmd, "-o", str(out)], (0,))}
    results = alternate(commands, args.rounds, env)
    for name, runs in results.items():
        line(f"export N={size}", name, runs, size)
    return median(results["-o"]) / median(results["--format json"])


def township(args: argparse.Namespace, cli: list[str], env: dict[str, str]) -> dict[str, float]:
    size = len(list(TOWNSHIP.rglob("*.xlsx")))
    cmd = [*cli, "rank", str(TOWNSHIP), "--jobs", str(args.jobs), "--format", "json"]
    run(cmd, env, (0, 1))  # fills the cache for "warm" (the folder has one faulty file: exit 1)
    commands = {"floor": (None, [sys.executable, str(HERE / "floor.py"), str(TOWNSHIP)], (0,)),
                "rank --no-cache": (None, [*cmd, "--no-cache"], (1,)),
                "rank warm": (None, cmd, (1,))}
    results = alternate(commands, args.rounds * 3, env)  # short runs: more rounds
    for name, runs in results.items():
        line(f"township N={size}", name, runs, size)
    floor = median(results["floor"])
    return {"cold": median(results["rank --no-cache"]) / floor, "warm": median(results["rank warm"]) / floor}


def cpu(size: int, args: argparse.Namespace, env: dict[str, str]) -> float:
    import json

    from corpus import corpus

    folder = corpus(size, args.cache)
    warm_files(folder)
    found: dict[str, list[float]] = {"floor": [], "rank": []}
    for _ in range(args.rounds):
        for kind in found:
            out = subprocess.run([sys.executable, str(HERE / "cpu.py"), kind, str(folder)], env=env,
                                 capture_output=True, text=True, check=True).stdout
            found[kind].append(json.loads(out.strip().splitlines()[-1])["ms_per_file"])
    for kind, values in found.items():
        print(f"[cpu N={size}] {kind:14s} {statistics.median(values):7.3f} ms CPU per file (one process, "
              f"start-up excluded)", flush=True)
    return statistics.median(found["rank"]) / statistics.median(found["floor"])


def memory(size: int, args: argparse.Namespace, cli: list[str], env: dict[str, str], work: Path) -> dict[str, float]:
    from corpus import corpus

    start = time.perf_counter()
    folder = corpus(size, args.cache)
    if time.perf_counter() - start > 1:
        print(f"[memory N={size}] generated the workbooks in {time.perf_counter() - start:.1f} s", flush=True)
    warm_files(folder)
    cmd = [*cli, "rank", str(folder), "--jobs", str(args.jobs), "--format", "json", "--no-cache"]
    out = work / "等级名单.xlsx"
    commands = {"rank": (None, cmd, (0,)),
                "rank -o": (lambda n: out.unlink(missing_ok=True), [*cmd, "-o", str(out)], (0,))}
    results = alternate(commands, args.memory_rounds, env)
    for name, runs in results.items():
        line(f"memory N={size}", name, runs, size)
    return {name: max(r["rss_mb"] for r in runs) for name, runs in results.items()}


def startup(cli: list[str], env: dict[str, str], count: int) -> float:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        subprocess.run([*cli, "--help"], stdout=subprocess.DEVNULL, env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def targets(found: dict[str, Any], args: argparse.Namespace) -> None:
    rows = [
        (f"warm rerun, {args.rerun:,} unchanged / cold", found["rerun"]["warm"], "<=", 0.2),
        (f"rerun, {args.changed} of {args.rerun:,} changed / cold", found["rerun"]["changed"], "<=", 0.25),
        (f"rank -o / rank --format json, {args.export:,}, no cache", found["export"], "<=", 1.5),
        ("township, no cache / floor process", found["township"]["cold"], "<=", 6.0),
        ("township, warm cache / floor process", found["township"]["warm"], "<=", 6.0),
        ("CPU per file, one process / floor", found["cpu"], "<=", 2.8),
        (f"peak RSS rank, {args.memory:,} files (MB)", found["memory"]["rank"], "<", 150.0),
        (f"peak RSS rank -o, {args.memory:,} files (MB)", found["memory"]["rank -o"], "<", 150.0),
    ]
    print()
    print("| target | measured | goal | met |")
    print("|---|---:|---:|---|")
    for name, value, op, goal in rows:
        met = value <= goal if op == "<=" else value < goal
        print(f"| {name} | {value:.2f} | {op} {goal:g} | {'yes' if met else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one round: checks that it runs")
    parser.add_argument("--rerun", type=int, default=1000, help="files for the rerun comparison")
    parser.add_argument("--changed", type=int, default=10, help="files changed between runs")
    parser.add_argument("--export", type=int, default=1000, help="files for the export comparison")
    parser.add_argument("--cpu", type=int, default=1000, help="files for the per-file CPU comparison")
    parser.add_argument("--memory", type=int, default=10000, help="files for the peak memory")
    parser.add_argument("--jobs", type=int, default=2, help="processes for rank (--jobs)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; medians are shown")
    parser.add_argument("--memory-rounds", type=int, default=1, help="rounds at the memory size")
    parser.add_argument("--help-runs", type=int, default=10, help="runs of `chuangyou --help`")
    parser.add_argument("--cache", type=Path, default=None, help="where generated workbooks are kept")
    parser.add_argument("--chuangyou", default=None, help="command to run (default: the installed one)")
    args = parser.parse_args()
    if args.smoke:
        args.rerun, args.changed, args.export, args.cpu, args.memory = 8, 2, 6, 6, 10
        args.rounds, args.memory_rounds, args.help_runs = 1, 1, 2
    from corpus import cache_root

    args.cache = args.cache or cache_root()
    cli = chuangyou_command(args.chuangyou)
    print(f"chuangyou benchmark: {os.cpu_count()} CPUs, load average {load()}; {versions()}")
    print(f"rank --jobs {args.jobs}; {args.rounds} alternating rounds, medians", flush=True)
    with tempfile.TemporaryDirectory(prefix="chuangyou-bench-") as tmp:
        work = Path(tmp)
        env = environment(args.cache / "pycache", work / "result-cache")
        run([*cli, "rank", str(TOWNSHIP), "--format", "json", "--no-cache"], env, (1,))  # bytecode, OS cache
        found: dict[str, Any] = {
            "rerun": rerun(args.rerun, args.changed, args, cli, env, work),
            "export": export(args.export, args, cli, env, work),
            "township": township(args, cli, env),
            "cpu": cpu(args.cpu, args, env),
            "memory": memory(args.memory, args, cli, env, work),
        }
        print(f"chuangyou --help: {startup(cli, env, args.help_runs):.3f} s (median of {args.help_runs})")
    targets(found, args)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
