"""Text that every output can hold: the one sanitizer for strings written into XML parts.

Names come from users' files and folders: a control character in a file name (ESC, BEL …)
once went raw into a hyperlink target and a relationship part, and Excel refused the whole
tier list as corrupt. XML 1.0 cannot hold C0 controls other than tab, LF and CR, the
noncharacters U+FFFE/U+FFFF, or a lone surrogate (which no UTF-8 file can hold). So every
string that goes into an .xlsx or .docx part — cell text, hyperlink targets and locations,
sheet names, document properties, headers, chart titles — goes through :func:`xml_text`
(text) or :func:`uri_text` (a link target) first. Writers: export/ (XlsxWriter),
template/ (openpyxl), documents/ (python-docx). Text cells of a CSV go through
:func:`csv_text` (formula injection).
"""

from __future__ import annotations

import re
import unicodedata

#: What XML 1.0 cannot hold: C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF;
#: and CR, which an XML parser turns into LF (XlsxWriter writes it as ``_x000D_``, shown raw
#: by some readers): a line break is LF in a cell.
NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
#: In a link target (a URI path) also: what would read as an escape, a fragment, a break,
#: and every control character (DEL and C1 too), spelled %XX so that the link still names the file.
_NOT_URI = re.compile("[\x00-\x20\x7f-\x9f%#\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` as an XML part can hold it: control characters (invisible anyway) and
    U+FFFE/U+FFFF dropped; a lone surrogate (a byte of a file name that is not UTF-8)
    shown as U+FFFD, as :func:`chuangyou.errors.path_text` shows it; CR LF and a lone CR
    become LF. Tab and LF are kept."""
    if not NOT_XML.search(text):
        return text
    return NOT_XML.sub(_replacement, text.replace("\r\n", "\n"))


def _replacement(found: re.Match[str]) -> str:
    char = found.group()
    return "\ufffd" if "\ud800" <= char <= "\udfff" else "\n" if char == "\r" else ""


def uri_text(target: str) -> str:
    """A relative link target (``./城关镇/东风村.xlsx``) with every character a URI or an XML
    attribute cannot carry percent-encoded as UTF-8 (ESC → ``%1B``, space → ``%20``, ``%`` →
    ``%25``, ``#`` → ``%23``), so the link still points at the file; CJK stays as it is
    (Excel shows it and resolves it). A lone surrogate cannot name a file: it becomes U+FFFD."""
    target = _SURROGATES.sub("\ufffd", target)
    return _NOT_URI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), target)


#: What makes Excel, WPS or LibreOffice read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A text cell of a CSV that a spreadsheet opens as the text it is: one starting with
    ``= + - @``, a tab or a CR gets a leading ``'`` (the OWASP rule), so that a name such as
    ``=HYPERLINK("http://…")`` or ``@SUM(A1)`` is shown, never run. For text only: numbers
    (ranks, scores) are written as they are."""
    return "'" + text if text.startswith(FORMULA_START) else text


_NOT_IN_NAME = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED_NAMES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
NAME_CHARS = 60  # a name part; keeps 证明材料\乡镇\名称.xlsx well under Windows' 260 characters
NAME_BYTES = 200  # UTF-8 bytes of a name part (Linux allows 255; CJK takes 3 each)


def file_name(text: str, fallback: str = "未命名") -> str:
    """A file or folder name every system accepts, as close to ``text`` as possible:
    characters Windows forbids become ``_``, reserved device names (CON, COM1 …) get a
    leading ``_``, the length is bounded, trailing dots and spaces go."""
    name = _NOT_IN_NAME.sub("_", unicodedata.normalize("NFC", _SURROGATES.sub("\ufffd", text))).strip().rstrip(". ")
    while len(name) > NAME_CHARS or len(name.encode()) > NAME_BYTES:
        name = name[:-1]
    name = name.rstrip(". ") or fallback
    if name.split(".")[0].upper() in _RESERVED_NAMES:
        name = "_" + name
    return name
