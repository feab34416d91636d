"""CI runs the benchmark at tiny sizes (--smoke): it must work end to end and print every figure.

No timing is asserted (CI machines vary); docs/performance.md has the figures.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"[0-9]+\.[0-9]+"
RUN = (rf" +{NUMBER} s +{NUMBER} ms/file +CPU +{NUMBER} s +peak RSS +{NUMBER} MB \(largest process\), "
       rf"+{NUMBER} MB \(process tree\)$")


def test_bench_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_rank.py"), "--smoke", "--cache", str(tmp_path / "corpus")],
        capture_output=True, text=True, encoding="utf-8", timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for section, names in (("rerun N=8", ("cold", "warm", "2 changed")), ("export N=6", ("--format json", "-o")),
                           ("township N=30", ("floor", "rank --no-cache", "rank warm")),
                           ("memory N=10", ("rank", "rank -o"))):
        for name in names:
            assert re.search(rf"^\[{section}\] {re.escape(name)}{RUN}", out, re.M), (section, name, out)
    for kind in ("floor", "rank"):
        assert re.search(rf"^\[cpu N=6\] {kind} +{NUMBER} ms CPU per file \(one process, start-up excluded\)$", out, re.M)
    assert re.search(rf"^chuangyou --help: {NUMBER} s \(median of 2\)$", out, re.M)
    targets = re.findall(rf"^\| (.+) \| {NUMBER} \| (<=|<) [0-9.]+ \| (yes|no) \|$", out, re.M)
    assert [t[0] for t in targets] == [
        "warm rerun, 8 unchanged / cold", "rerun, 2 of 8 changed / cold", "rank -o / rank --format json, 6, no cache",
        "township, no cache / floor process", "township, warm cache / floor process",
        "CPU per file, one process / floor", "peak RSS rank, 10 files (MB)", "peak RSS rank -o, 10 files (MB)"]
    # The generated corpus is a real one: the commands exit 0 only when every workbook scored.
    assert len(list((tmp_path / "corpus").rglob("n10/*/*.xlsx"))) == 10
