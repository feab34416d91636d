"""CPU time per workbook in one process, start-up excluded: chuangyou's worker vs the floor.

Run: python bench/cpu.py rank|floor FOLDER   (prints one JSON line)

``rank`` does what a worker of `chuangyou rank` does for each file (read, check, score, the
card's JSON; no result cache); ``floor`` what bench/floor.py does (python-calamine reads the
values of both sheets). Both first handle one file unmeasured (imports, first-use costs).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    kind, folder = sys.argv[1], sys.argv[2]
    from floor import files, read

    paths = files(folder)
    if kind == "floor":
        read(paths[:1])
        start = time.process_time()
        read(paths)
    else:
        from chuangyou.batch import _prepare, score_compact

        _prepare(None)
        score_compact(Path(paths[0]), None)
        start = time.process_time()
        for path in paths:
            score_compact(Path(path), None)
    cpu = time.process_time() - start
    print(json.dumps({"files": len(paths), "ms_per_file": cpu / len(paths) * 1000}))


if __name__ == "__main__":
    main()
