"""CI runs the rank benchmark at a tiny size: it must work end to end and print every figure.

No timing is asserted (CI machines vary); docs/performance.md has the figures.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_rank_prints_every_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_rank.py"), "--sizes", "4,6", "--rounds", "1",
         "--help-runs", "2", "--cache", str(tmp_path / "cache")],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    number = r"[0-9]+\.[0-9]+"
    for size in (4, 6):
        for name in ("floor", "floor x2"):
            assert re.search(rf"^\[N={size}\] {name} +{number} s +{number} ms/file +CPU +{number} ms/file +"
                             rf"peak RSS +{number} MB \(largest process\), +{number} MB \(process tree\)$", out, re.M)
        for name in ("rank", "rank -o"):
            assert re.search(rf"^\[N={size}\] {name} +{number} s +{number} ms/file .* ratio {number}$", out, re.M)
        assert re.search(rf"^\| {size}( \| {number}){{7}} \| ", out, re.M)
    assert re.search(rf"^chuangyou --help: {number} s \(median of 2\)$", out, re.M)
    assert "floor (a): one process; floor x2 (a'): 2 processes (per-core reference)" in out
    # The generated corpus is a real one: every workbook was scored (no failures skew the figures).
    assert len(list((tmp_path / "cache").rglob("n6/*/*.xlsx"))) == 6
