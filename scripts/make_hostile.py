"""Write the hostile-input corpus to a folder, and measure the bomb cases.

    python scripts/make_hostile.py OUT            # every case: OUT/<nn>-<id>/<file>
    python scripts/make_hostile.py OUT --measure  # also: peak memory and time, both readers

The cases and their exact expected messages live in tests/hostile/ (corpus.py for the
workbooks, rubrics.py for the rubric files); the tests build them into tmp_path, this script
into a folder you can open, hand to ``chuangyou score``/``rank``/``rubric check``, or send to
someone. Nothing here is a binary blob: every file is generated.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile.corpus import CASES  # noqa: E402
from hostile.measure import HEADER, measure  # noqa: E402
from hostile.rubrics import RUBRIC_CASES  # noqa: E402


def _slug(text: str) -> str:
    return re.sub(r"[^\w]+", "-", text).strip("-")


def write(out: Path) -> list[tuple[str, Path]]:
    written = []
    for n, case in enumerate([*CASES, *RUBRIC_CASES], 1):
        folder = out / f"{n:02d}-{_slug(case.id)}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / case.file
        try:
            case.build(path)
        except OSError as exc:  # the name over 255 bytes is the case itself
            print(f"{case.id}: {exc.strerror}（用例本身即此错误）")
            continue
        written.append((case.id, path))
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write the corpus into")
    parser.add_argument("--measure", action="store_true", help="measure the bomb cases with both readers")
    args = parser.parse_args()
    written = dict(write(args.out))
    print(f"{len(written)} cases written to {args.out}")
    if not args.measure:
        return 0
    print(HEADER)
    worst_mb, worst_s = 0.0, 0.0
    for case in CASES:
        if not case.bomb:
            continue
        path = written[case.id]
        for reader in ("calamine", "openpyxl"):
            result = measure(path, reader, cwd=path.parent)
            print(result.line(f"{case.id} / {reader}"))
            ok = result.problems == case.expected()
            if not ok:
                print(f"    预期：{case.expected()}\n    实际：{result.problems}")
            worst_mb, worst_s = max(worst_mb, result.peak_mb), max(worst_s, result.seconds)
    print(f"最大进程峰值 {worst_mb:.0f} MB（上限 300 MB），最长读取 {worst_s:.2f} s（上限 10 s）")
    return 0 if worst_mb < 300 and worst_s < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
