"""Peak memory and time of reading one workbook, measured in a fresh process.

The child caps its address space (a regression that tries to allocate gigabytes fails there
instead of taking the machine down) and reports its own peak resident memory and the wall
time of ``read_evidence`` alone, plus the peak of the whole process including imports.
The peak is VmHWM from /proc/self/status where there is one: on Linux getrusage's ru_maxrss
survives fork+exec, so a child of a big pytest process would report the parent's peak.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ADDRESS_SPACE = 4 * 1024 * 1024 * 1024  # a cap, far above the 300 MB the readers may use

_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from chuangyou.errors import ChuangyouError
from chuangyou.evidence import read_evidence
import python_calamine, openpyxl  # imported before the baseline, as in a real run
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
base = peak_kb()
start = time.perf_counter()
try:
    read_evidence(sys.argv[1], reader=sys.argv[2])
    problems = []
except ChuangyouError as exc:
    problems = [str(p) for p in exc.problems]
seconds = time.perf_counter() - start
peak = peak_kb()
print(json.dumps({{"problems": problems, "seconds": seconds, "peak_kb": peak, "base_kb": base}}))
"""


@dataclass(frozen=True)
class Measure:
    problems: list[str]
    seconds: float
    peak_mb: float  # the whole process, imports included
    read_mb: float  # what reading added to the peak

    def line(self, label: str) -> str:
        outcome = "读取成功" if not self.problems else self.problems[0].partition(": ")[2][:38]
        return f"{label:<44} {self.peak_mb:7.0f} MB {self.read_mb:7.0f} MB {self.seconds:7.2f} s  {outcome}"


def measure(path: Path, reader: str, cwd: Path | None = None) -> Measure:
    done = subprocess.run([sys.executable, "-c", _CHILD.format(cap=ADDRESS_SPACE), str(path), reader],
                          capture_output=True, text=True, cwd=cwd, timeout=600, check=False)
    if done.returncode != 0:
        raise AssertionError(f"the reader process failed ({done.returncode}): {done.stderr[-2000:]}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return Measure(data["problems"], data["seconds"], data["peak_kb"] / 1024,
                   (data["peak_kb"] - data["base_kb"]) / 1024)


HEADER = f"{'用例 / 读取方式':<40} {'进程峰值':>10} {'读取增加':>10} {'耗时':>9}  结果"
