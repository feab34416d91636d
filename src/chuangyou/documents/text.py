"""Text from inputs made safe for a Word document, and for a file name.

LOCAL STAND-IN: branch rel-io is adding one sanitizer shared by every XML output (the
workbook, the documents); when it is on main, :func:`clean` should call it instead.

python-docx refuses (ValueError) any string holding a character XML 1.0 cannot carry:
the control characters other than tab, line feed and return, lone surrogates (a file name
that was not UTF-8), U+FFFE and U+FFFF. Control characters are dropped, as the workbook
drops them; a lone surrogate becomes U+FFFD, as the JSON readers make it.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters Windows refuses in a file name, and the path separators.
_NOT_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
NAME_MAX = 80  # characters: a township folder and a name stay far below Windows' 260


def clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def file_name(text: str, fallback: str = "未命名") -> str:
    """A name usable as a file or folder name on Windows and Linux."""
    name = _NOT_IN_NAME.sub("_", clean(text)).strip().strip(".")
    return name[:NAME_MAX] or fallback
