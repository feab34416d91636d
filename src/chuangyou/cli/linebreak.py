"""Chinese line breaking for everything rich wraps: tables, command help, messages.

rich breaks lines only at spaces, so a Chinese sentence is one "word": in a table column
narrower than the sentence it is cut with "…", and in help a break falls anywhere. This
module gives rich the break opportunities of Chinese text (GB/T 15834 and the usual
kinsoku rules) and is installed by :func:`chuangyou.cli.i18n.install`:

- between any two Chinese characters, and between a Chinese character and a Latin word;
- never before closing punctuation (，。、；：！？）》” …) nor after opening punctuation
  (（《“ …), so a bracket stays with its content;
- a short bracketed phrase, such as （Excel 工作簿）, is kept whole;
- a number stays with the Chinese unit after it (3名, 10分);
- Latin words, paths and options (--previous, 2026.1, <=30%) are never split, unless one
  is wider than the whole column, where rich folds it rather than cutting it.

Three rich functions are replaced: ``rich._wrap.words`` (where ``divide_line`` finds its
break units), ``Text.__rich_measure__`` (a table's minimum column width is the widest unit,
not the widest space-separated run) and ``Text.rstrip_end`` (counted characters where it
means cells). tests/test_linebreak.py pins them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

OPENING = "（([【〔《〈「『“‘｛{"
CLOSING = "）)]】〕》〉」』”’｝}，。、；：！？,.;:!?％%…·"
PAIRS = {"（": "）", "(": ")", "[": "]", "【": "】", "〔": "〕", "《": "》", "〈": "〉",
         "「": "」", "『": "』", "“": "”", "‘": "’", "｛": "｝", "{": "}"}
#: A bracketed phrase up to this many cells is never broken.
SHORT_GROUP = 16


#: Not wide in a terminal, but Chinese punctuation all the same: a boundary next to one is a
#: break candidate (subject to the rules for opening and closing punctuation).
CHINESE_NARROW = "“”‘’…·—"


@lru_cache(maxsize=4096)
def _wide(char: str) -> bool:
    return char in CHINESE_NARROW or unicodedata.east_asian_width(char) in ("W", "F")


def _short_groups(text: str) -> list[tuple[int, int]]:
    """(open, close) index pairs of bracketed phrases at most SHORT_GROUP cells wide."""
    from rich.cells import cell_len

    stack: list[tuple[int, str]] = []
    groups: list[tuple[int, int]] = []
    for i, char in enumerate(text):
        if char in PAIRS:
            stack.append((i, PAIRS[char]))
        elif stack and char == stack[-1][1]:
            start, _closer = stack.pop()
            if cell_len(text[start:i + 1]) <= SHORT_GROUP:
                groups.append((start, i))
    return groups


def break_positions(text: str) -> list[int]:
    """Indices (0 < i < len) where a new line may begin."""
    inside = [False] * (len(text) + 1)
    for start, end in _short_groups(text):
        for i in range(start + 1, end + 1):
            inside[i] = True
    found = []
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if char.isspace() or inside[i]:
            continue
        if before.isspace():
            found.append(i)
            continue
        if not (_wide(before) or _wide(char)):
            continue  # inside a Latin word
        if char in CLOSING or before in OPENING:
            continue
        if before.isascii() and before.isdigit() and _wide(char) and char not in OPENING:
            continue  # 3名, 10分
        found.append(i)
    return found


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """rich's ``_wrap.words``: (start, end, word) units, each with its trailing spaces."""
    starts = [0, *break_positions(text), len(text)]
    for start, end in zip(starts, starts[1:], strict=False):
        if start < end:
            yield start, end, text[start:end]


def _measure(self: Any, console: Any, options: Any) -> Any:
    from rich.cells import cell_len
    from rich.measure import Measurement

    lines = self.plain.splitlines()
    if not lines:
        return Measurement(0, 0)
    widest = max(cell_len(line) for line in lines)
    units = [cell_len(word.rstrip()) for line in lines for _s, _e, word in words(line)]
    return Measurement(max(units, default=widest), widest)


def _rstrip_end(self: Any, size: int) -> None:
    """rich's ``Text.rstrip_end`` measured in cells, not characters.

    A line that ends in a space after a Chinese run is wider in cells than in characters;
    measured in characters the space was kept, and left-justified cells (typer's help)
    then cut the line's last word with "…".
    """
    from rich.cells import cell_len

    excess = cell_len(self.plain) - size
    if excess > 0:
        trailing = len(self.plain) - len(self.plain.rstrip())
        if trailing:
            self.right_crop(min(trailing, excess))


def install(text_module: Any = None) -> None:
    """Make rich wrap Chinese text by the rules above (idempotent).

    ``text_module`` is ``rich.text`` when called from the hook that runs while it is being
    imported (``rich.text`` is not yet an attribute of ``rich`` then).
    """
    import rich._wrap

    if text_module is None:
        import rich.text as text_module
    rich._wrap.words = words
    text_module.Text.__rich_measure__ = _measure
    text_module.Text.rstrip_end = _rstrip_end
