"""The floor of `chuangyou rank`: open every workbook under a folder and read the values of
its two sheets with the fastest reader there is (python-calamine), and nothing else.

Run: python bench/floor.py FOLDER [--jobs 2]   (prints the number of files and cells read)

With --jobs N the files are shared among N processes like `rank --jobs N` does, so the
ratio rank/floor compares like with like.
"""

from __future__ import annotations

import argparse
import os
import sys
from multiprocessing import get_context

SHEETS = ("基本信息", "考评数据")


def files(root: str) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "~$"))]
        found += [os.path.join(folder, n) for n in names
                  if n.endswith(".xlsx") and not n.startswith((".", "~$"))]
    return sorted(found)


def read(paths: list[str]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        book = CalamineWorkbook.from_path(path)
        for name in SHEETS:
            cells += sum(len(row) for row in book.get_sheet_by_name(name).to_python())
        book.close()
    return cells


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    paths = files(args.folder)
    if args.jobs <= 1:
        cells = read(paths)
    else:
        # Contiguous shares, one per process: the least coordination there can be.
        share = -(-len(paths) // args.jobs)
        parts = [paths[i : i + share] for i in range(0, len(paths), share)]
        with get_context("fork").Pool(args.jobs) as pool:
            cells = sum(pool.map(read, parts, chunksize=1))
    sys.stdout.write(f"{len(paths)} files, {cells} cells\n")


if __name__ == "__main__":
    main()
