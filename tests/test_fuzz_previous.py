"""Fuzzing ``load_previous`` (``rank --previous``) with mutations of a real exported tier list.

Bytes flipped anywhere, XML edited inside the parts (the zip rebuilt valid), random values of
random types typed into the 等级名单 sheet: the loader returns last year's results or raises
a UsageError with a Chinese message, never anything else. Bounded: a few seconds each.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from chuangyou.errors import UsageError
from chuangyou.ranking import load_previous
from chuangyou.ranking.model import PreviousResult
from hostile.craft import deflated, write_zip
from hostile.tierlists import RELS, SHEET, base, base_members

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOKENS = [
    b"<", b">", b"&", b"&#0;", b"\x00", b"\x01", b"\xff\xfe", b'"', b"<!-- -->", b"<!DOCTYPE x>", b"</row>",
    b'<c r="H9"><v>1e999</v></c>', b'<c r="H9"><v>NaN</v></c>', b'<c r="H9"><v>-1e308</v></c>',
    b'<c r="D9" t="s"><v>99999</v></c>', b'<c r="XFD1048576"><v>1</v></c>', b'<row r="1048576">',
    b'<c r="K9" t="inlineStr"><is><t>\xe5\xbe\x85\xe5\xae\x9a</t></is></c>', b'<c r="H9" t="d"><v>x</v></c>',
    b'<sheet name="x" sheetId="1" r:id="rId99"/>', b'Target="../../etc/passwd"', b'<mergeCell ref="A1:XFD1048576"/>',
]
PARTS = [SHEET, RELS, "xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml", "docProps/core.xml"]
EDIT = st.tuples(st.sampled_from(["delete", "insert", "replace"]), st.floats(0, 1, exclude_max=True),
                 st.integers(1, 400), st.sampled_from(TOKENS))


def load(path: Path) -> list[PreviousResult] | str:
    try:
        results = load_previous(path)
    except UsageError as exc:
        assert exc.message.startswith(("无法读取上年等级名单", "上年等级名单")), exc.message
        assert exc.message.isprintable() and all(p.message for p in exc.problems)
        return exc.message
    assert all(r.year is None or 1000 <= r.year <= 9999 for r in results)
    return results


def _edit(text: bytes, edit: tuple[str, float, int, bytes]) -> bytes:
    kind, where, length, token = edit
    at = int(where * len(text))
    if kind == "delete":
        return text[:at] + text[at + length:]
    if kind == "insert":
        return text[:at] + token + text[at:]
    return text[:at] + token + text[at + len(token):]


@FUZZ
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=6))
def test_flipped_bytes(flips: list[tuple[float, int]]) -> None:
    data = bytearray(base())
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "去年.xlsx"
        path.write_bytes(bytes(data))
        load(path)


@FUZZ
@example([(SHEET, ("insert", 0.5, 1, b'<c r="H9"><v>1e999</v></c>'))])
@given(st.lists(st.tuples(st.sampled_from(PARTS), EDIT), min_size=1, max_size=5))
def test_edited_xml(edits: list[tuple[str, tuple[str, float, int, bytes]]]) -> None:
    parts = dict(base_members())
    for name, edit in edits:
        parts[name] = _edit(parts[name], edit)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "去年.xlsx"
        write_zip(path, [deflated(n, c) for n, c in parts.items()])
        load(path)


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(),
    st.text(max_size=30), st.sampled_from(["1e999", "NaN", "2025年", "待定（另行处理）", "=1+1", "", " "]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)), st.times(),
)
CELLS = st.sampled_from([f"{c}{r}" for c in "DEHK" for r in (8, 9, 10)])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CELLS, VALUES), min_size=1, max_size=6))
def test_random_values(changes: list[tuple[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "去年.xlsx"
        path.write_bytes(base())
        book = load_workbook(path)
        sheet = book["等级名单"]
        for ref, value in changes:
            cell = sheet[ref]
            try:
                cell.value = value
            except IllegalCharacterError:  # openpyxl refuses control characters: no one can save such a file
                continue
            if isinstance(value, str):
                cell.data_type = "s"
        book.save(path)
        load(path)
