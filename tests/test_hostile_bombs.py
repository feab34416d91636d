"""The bomb cases read in a fresh process with both readers: refused (or read) as expected.

Peak memory and time are printed (``pytest -s tests/test_hostile_bombs.py``) but not
asserted: the limits are 300 MB and 10 s (docs/reliability.md), checked by hand with
``python scripts/make_hostile.py OUT --measure``. The child process caps its address space,
so a regression that tries to allocate gigabytes fails here instead of exhausting CI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.corpus import CASES, Case
from hostile.measure import HEADER, measure

BOMBS = [case for case in CASES if case.bomb]


@pytest.mark.parametrize("case", BOMBS, ids=[c.id for c in BOMBS])
def test_bomb_is_refused_or_read_within_bounds(case: Case, tmp_path: Path) -> None:
    path = tmp_path / case.file
    case.build(path)
    lines = [HEADER]
    for reader in ("calamine", "openpyxl"):
        result = measure(path, reader, cwd=tmp_path)
        lines.append(result.line(f"{case.id} / {reader}"))
        assert result.problems == case.expected()
    print("\n" + "\n".join(lines))


def test_there_are_bomb_cases() -> None:
    assert {"zip bomb 1 GB sheet", "million rows", "billion laughs in sheet"} <= {c.id for c in BOMBS}
