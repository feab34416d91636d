"""Fuzzing the workbook reader with mutations of a real, filled template.

Three mutators: bytes flipped anywhere in the file, XML edits inside the parts (the zip is
rebuilt valid, so the XML itself is what gets tested), and random values of random types
typed into the cells by openpyxl. Whatever comes in, ``read_evidence`` returns Evidence or
raises a ChuangyouError, with both readers, and scoring what was read never raises anything
else either. Bounded: about 30 s in all (max_examples, no deadline).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from chuangyou.engine import score
from chuangyou.errors import ChuangyouError
from chuangyou.evidence import read_workbook
from chuangyou.rubric import resolve
from chuangyou.scorecard import Evidence
from chuangyou.template import TemplateOptions, write_template
from evidence_helpers import full_values
from hostile.craft import deflated, read_members, write_zip

READERS = ("calamine", "openpyxl")
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def template_bytes() -> bytes:
    """The real template for villages, filled with valid values."""
    rubric = resolve("village")
    values = full_values(rubric, "village")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "模板.xlsx"
        write_template(rubric, path, TemplateOptions(name="城关村党支部", subtype="村", form="党支部", year=2026))
        book = load_workbook(path)
        data = book["考评数据"]
        header = next(r for r in data.iter_rows() if any(c.value == "编号" for c in r))
        columns = {c.value: c.column - 1 for c in header}
        for row in data.iter_rows(min_row=header[0].row + 1):
            field = str(row[columns["编号"]].value or "").rpartition(".")[2]
            if field in values and row[columns["自评值"]].value != "不适用":
                row[columns["自评值"]].value = values[field]
        book.save(path)
        return path.read_bytes()


@cache
def template_parts() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.xlsx"
        path.write_bytes(template_bytes())
        return read_members(path)


def read_both(path: Path) -> list[Evidence | list[str]]:
    """What each reader gives: the Evidence, or the problems of its ChuangyouError. Scoring
    the Evidence must not raise anything but a ChuangyouError either."""
    results: list[Evidence | list[str]] = []
    for reader in READERS:
        try:
            rubric, evidence = read_workbook(path, reader=reader)
        except ChuangyouError as exc:
            assert exc.message and all(p.message for p in exc.problems)
            results.append([str(p) for p in exc.problems])
            continue
        with contextlib.suppress(ChuangyouError):
            score(rubric, evidence)
        results.append(evidence)
    return results


def test_the_unmutated_template_reads() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.xlsx"
        path.write_bytes(template_bytes())
        first, second = read_both(path)
        assert isinstance(first, Evidence) and first.organization.name == "城关村党支部"
        assert first.model_dump(exclude={"source"}) == second.model_dump(exclude={"source"})  # type: ignore[union-attr]


@FUZZ
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=6))
def test_flipped_bytes(flips: list[tuple[float, int]]) -> None:
    data = bytearray(template_bytes())
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.xlsx"
        path.write_bytes(bytes(data))
        read_both(path)


TOKENS = [
    b"<", b">", b"&", b"&#0;", b"&#x10FFFF;", b"\x00", b"\xff\xfe", b'"', b"<!-- -->", b"<![CDATA[x]]>",
    b'<c r="XFD1048576"><v>1</v></c>', b'<row r="1048576">', b"</row>", b"<row>", b"<c/>",
    b'<c r="G3" t="s"><v>999999</v></c>', b'<c r="G3" t="s"><v>-1</v></c>', b'<c r="G3" t="e"><v>#REF!</v></c>',
    b'<c r="G3" t="b"><v>2</v></c>', b'<c r="G3" t="d"><v>not a date</v></c>', b'<c r="G3" t="n"><v>1e999</v></c>',
    b'<c r="G3" t="n"><v>nan</v></c>', b'<c r="G3" t="n"><v>-0</v></c>', b'<c r="G3"><f>1/0</f></c>',
    b'<c r="G3" t="inlineStr"><is><t>\xe6\x98\xaf</t></is></c>', b'<c r="B9" t="inlineStr"><is><t>village</t></is></c>',
    b'<mergeCell ref="A1:XFD1048576"/>', b'<mergeCell ref="G2:G99"/>', b'<mergeCell ref="G"/>',
    b'<sheet name="\xe8\x80\x83\xe8\xaf\x84\xe6\x95\xb0\xe6\x8d\xae" sheetId="9" r:id="rId1"/>',
    b'<dimension ref="A1:XFD1048576"/>', b' r="A1"', b' t="s"', b' s="99999"', b"<?pi x?>", b"<!DOCTYPE x>",
    b'r="XFD1048576"', b"r='XFD1048576'", b' r="XFD1048576"', b"\tr=", b"<c\tr=",
]
PARTS = ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
         "xl/styles.xml", "xl/sharedStrings.xml", "[Content_Types].xml"]
EDIT = st.tuples(
    st.sampled_from(["delete", "duplicate", "insert", "replace"]),
    st.floats(0, 1, exclude_max=True), st.integers(1, 400), st.sampled_from(TOKENS),
)


def _edit(text: bytes, edit: tuple[str, float, int, bytes]) -> bytes:
    kind, where, length, token = edit
    at = int(where * len(text))
    if kind == "delete":
        return text[:at] + text[at + length:]
    if kind == "duplicate":
        return text[:at + length] + text[at:]
    if kind == "insert":
        return text[:at] + token + text[at:]
    return text[:at] + token + text[at + len(token):]


@FUZZ
@example([("xl/worksheets/sheet2.xml", ("insert", 0.5, 1, b'<c r="XFD1048576"><v>1</v></c>'))])
@given(st.lists(st.tuples(st.sampled_from(PARTS), EDIT), min_size=1, max_size=5))
def test_edited_xml(edits: list[tuple[str, tuple[str, float, int, bytes]]]) -> None:
    parts = dict(template_parts())
    for name, edit in edits:
        if name in parts:
            parts[name] = _edit(parts[name], edit)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.xlsx"
        write_zip(path, [deflated(n, c) for n, c in parts.items()])
        read_both(path)


VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30), st.text(alphabet="0123456789０１２３.,，-+eE%％ 名是否√×不适用\u00a0\u3000", max_size=12),
    st.sampled_from(["是", "否", "不适用", "=1+1", "#DIV/0!", "1e999", "village", "党支部", "村", "2026", "全年"]),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 1, 1)),
    st.dates(min_value=dt.date(1900, 3, 1)), st.times(),
)
CELLS = st.one_of(
    st.tuples(st.just("基本信息"), st.sampled_from([f"B{r}" for r in range(2, 11)] + ["A2", "A5", "B1"])),
    st.tuples(st.just("考评数据"), st.sampled_from([f"{c}{r}" for c in "AGH" for r in range(1, 12)])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CELLS, VALUES), min_size=1, max_size=6))
def test_random_values_read_the_same_with_both_readers(changes: list[tuple[tuple[str, str], Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.xlsx"
        path.write_bytes(template_bytes())
        book = load_workbook(path)
        for (sheet, ref), value in changes:
            cell = book[sheet][ref]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # typed text, never a formula
        book.save(path)
        first, second = read_both(path)
    if isinstance(first, Evidence) and isinstance(second, Evidence):
        assert first.model_dump(exclude={"source"}) == second.model_dump(exclude={"source"})
    else:
        assert first == second


def with_info_cell(folder: Path, value: Any, number_format: str) -> Path:
    """The template with 基本信息!B10 (标准版本) holding ``value`` in ``number_format``."""
    path = folder / "村.xlsx"
    path.write_bytes(template_bytes())
    book = load_workbook(path)
    book["基本信息"]["B10"].value = value
    book["基本信息"]["B10"].number_format = number_format
    book.save(path)
    return path


@pytest.mark.parametrize(("value", "shown"), [
    (10_000_000, "10000000"),  # openpyxl: #VALUE! (blank); calamine: the number
    (-693_594, "00:00:00"),  # openpyxl: #VALUE!; calamine: the time of day
    (-1, "00:00:00"),  # openpyxl: 1899-12-29; calamine: the time of day
    (-0.5, "12:00:00"),
    (-1e12, "-1000000000000"),  # calamine panicked (a BaseException) and ended the batch
])
def test_numbers_in_date_formatted_cells_read_the_same(value: float, shown: str, tmp_path: Path) -> None:
    """Regressions found by fuzzing: the two readers disagreed on these."""
    path = with_info_cell(tmp_path, value, "yyyy-mm-dd")
    expected = [f"村.xlsx 基本信息!B10: 工作簿的标准版本为“{shown}”，与评定标准“village”的版本“2026.1”不符；"
                "请用 chuangyou template --rubric village 生成新版模板重新填写"]
    assert read_both(path) == [expected, expected]


@pytest.mark.parametrize("value", [
    dt.datetime(4771, 1, 1, 0, 14, 0, 463),  # stored as …009722228: a tie at the millisecond
    dt.datetime(2026, 1, 1, 0, 14, 0, 500),
    0.9999999999,  # calamine: 00:00 (the time wraps); openpyxl read 1900-01-01
    59.5, 60.5, 61.25,  # around Excel's 1900-02-29, which does not exist
])
def test_dates_read_to_the_same_millisecond(value: Any, tmp_path: Path) -> None:
    """Regressions found by fuzzing: openpyxl rounded halves to even, calamine away from zero."""
    path = with_info_cell(tmp_path, value, "yyyy-mm-dd hh:mm:ss")
    first, second = read_both(path)
    assert first == second and len(first) == 1


def test_date_conversion_is_calamines_for_every_kind_of_serial() -> None:
    """The openpyxl path converts a date-formatted number with our copy of calamine's rule:
    checked against calamine itself on 4,800 serials of every range from 0 up, and the
    negative serials test_numbers_in_date_formatted_cells_read_the_same lists (for random
    negative ones calamine's time of day differs by 1 ms now and then: not reproduced)."""
    import io
    import random
    import re

    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from chuangyou.evidence.workbook import _as_calamine_date, _calamine_value

    rng = random.Random(20261125)
    ranges = [(-1e8, -96_439_724), (0, 1), (1, 60), (59, 62), (61, 2_958_466), (2_958_465, 2_958_467)]
    serials = [rng.uniform(low, high) for low, high in ranges for _ in range(800)]
    serials += [0, 0.5, 0.9999999999, 1, 59, 60, 61, 2_958_465.99999999, 2_958_466, 1e-10,
                -0.5, -1, -693_594, -96_439_724, -96_439_725]
    book = Workbook()
    for row, serial in enumerate(serials, 1):
        book.active.cell(row, 1, serial).number_format = "yyyy-mm-dd hh:mm:ss"
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = zipfile.ZipFile(buffer).read("xl/worksheets/sheet1.xml").decode()
    stored = [float(v) for v in re.findall(r"<v>([^<]*)</v>", sheet)]  # as written: 16 digits
    buffer.seek(0)
    read = CalamineWorkbook.from_filelike(buffer).get_sheet_by_index(0).to_python()
    assert len(read) == len(stored) == len(serials)
    differ = [(s, v, _as_calamine_date(s)) for s, (v,) in zip(stored, read, strict=True)
              if _calamine_value(v) != _as_calamine_date(s)]
    assert differ == []


def test_a_crash_found_by_fuzzing_stays_fixed(tmp_path: Path) -> None:
    """Regression: one cell at XFD1048576 made calamine allocate 550 GB and abort."""
    parts = dict(template_parts())
    sheet = parts["xl/worksheets/sheet2.xml"]
    parts["xl/worksheets/sheet2.xml"] = sheet.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    path = tmp_path / "村.xlsx"
    write_zip(path, [deflated(n, c) for n, c in parts.items()])
    assert read_both(path) == [["村.xlsx: 工作表“考评数据”超过 100000 行（第 1048576 行仍有内容或格式），不像证明材料工作簿；"
                                "如有大量空行，请选中多余的行删除后另存再试"]] * 2


@FUZZ
@example([("insert", 0.5, 1, b'<c r="A1" r="XFD1048576"><v>1</v></c>')])
@example([("insert", 0.5, 1, b"<c r='XFD1048576'/>")])
@example([("insert", 0.5, 1, b'<c r="A1"r="XFD1048576"/>')])
@example([("insert", 0.5, 1, b'<c r="B99999"/>')])  # more digits than the last row number
@example([("insert", 0.5, 1, b'<c r="AB7"/>')])  # a second column letter
@example([("insert", 0.5, 1, b'<x:c r="A1"/><x:c/><x:c/>')])
@example([("insert", 0.5, 1, b'<c  r="XFD1048576"/>')])  # the address not straight after "<c "
@example([("insert", 0.5, 1, b'<c s="1" r="XFD1048576"/>')])
@example([("insert", 0.5, 1, b'<c\tr="XFD1048576"/>')])
@example([("insert", 0.5, 1, b'<c/><c>')])  # cells without an address: counted from the last
@example([("insert", 0.5, 1, b'</row><row spans="1:1" r="1048576"><c r="A1"/>')])
@example([("insert", 0.5, 1, b'</row><row r="99999999"><c r="A1"/>')])  # more than 7 digits
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_quick_sheet_scan_never_sees_less_than_expat(edits: list[tuple[str, float, int, bytes]]) -> None:
    """The regex fast path of the sheet scan must never report a smaller used range than a
    real XML parser: calamine allocates the range it sees."""
    from chuangyou.evidence import limits

    data = template_parts()["xl/worksheets/sheet2.xml"]
    for edit in edits:
        data = _edit(data, edit)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.zip"
        write_zip(path, [deflated("s.xml", data)])
        with zipfile.ZipFile(path) as archive:
            over = False
            try:
                parsed = limits._parse(archive, "s.xml", "考评数据")
            except limits.LimitError as exc:
                parsed = None  # malformed or over a limit: the reader refuses the file
                over = exc.message not in (limits.DAMAGED, limits.DOCTYPE)  # scan_sheet checks DOCTYPE first
    try:
        quick = limits._quick(data, "考评数据")
    except limits.LimitError:
        return  # refused on the fast path: safe
    if over:
        assert quick is None  # over a limit for expat: the fast path must not pass it
    if quick is not None and parsed is not None:
        assert quick.rows >= parsed.rows and quick.columns >= parsed.columns


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), max_size=3))
def test_members_inflated_from_memory_as_zipfile_reads_them(flips: list[tuple[float, int]]) -> None:
    """limits.read_member (used for speed) returns what zipfile returns, or fails where it fails."""
    import io

    from chuangyou.evidence import limits

    data = bytearray(template_bytes())
    for where, mask in flips:
        data[int(where * len(data))] ^= mask
    try:
        archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except limits.ZIP_ERRORS:
        return  # refused before any member is read
    for info in archive.infolist():
        expected: Any
        try:
            expected = archive.read(info)
        except limits.ZIP_ERRORS:
            expected = "damaged"
        try:
            got: Any = limits.read_member(archive, bytes(data), info)
        except limits.ZIP_ERRORS:
            got = "damaged"
        assert got == expected, info.filename


@pytest.mark.parametrize(("value", "shown"), [
    # Shown at Excel's 15 significant digits, as General shows them (issue 12).
    (9007199254740992.0, "9.00719925474099E+15"),  # 2**53: openpyxl read an int, calamine a float
    (9007199254740993, "9.00719925474099E+15"),  # not a double: both keep the double calamine reads
    (1e20, "1E+20"),
    (123456789012345, "123456789012345"),
])
def test_big_whole_numbers_read_the_same(value: float, shown: str, tmp_path: Path) -> None:
    """Regression found by fuzzing: the readers disagreed on whole numbers from 2**53."""
    path = tmp_path / "村.xlsx"
    path.write_bytes(template_bytes())
    book = load_workbook(path)
    book["基本信息"]["B2"].value = value
    book.save(path)
    first, second = read_both(path)
    assert isinstance(first, Evidence) and isinstance(second, Evidence)
    assert first.organization.name == second.organization.name == shown


# -- number formats and huge numbers in cells (issue 12) -------------------------------------

FORMATS = st.sampled_from([
    "General", "0", "0.0", "0.00", "#,##0", "#,##0.00", "0%", "0.0%", "0.00%", '0%;[Red]-0%', "0.00E+00",
    '"约"0"名"', "@", "yyyy-mm-dd", "hh:mm", '[$-804]0.0%', "0.0\\%", '0"%"', "#,##0.00_);(#,##0.00)",
])
STORED = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**30), 10**30),
    st.floats(0, 1), st.sampled_from([1, 0.945, 0.9999999999999999, 1e30, 1e308, 10**29 - 1, 89.99999999999999]),
)


@cache
def _value_cells() -> tuple[str, ...]:
    """The 自评值 and 核定值 cells of the numeric fields of the filled template."""
    path = Path(tempfile.mkdtemp()) / "t.xlsx"
    path.write_bytes(template_bytes())
    data = load_workbook(path)["考评数据"]
    header = next(r for r in data.iter_rows() if any(c.value == "编号" for c in r))
    columns = {c.value: c.column_letter for c in header}
    number = next(c.column - 1 for c in header if c.value == "编号")
    numeric = {fid for fid, spec, _ in resolve("village").all_fields() if spec.type in ("int", "number", "score")}
    cells = []
    for row in data.iter_rows(min_row=header[0].row + 1):
        if str(row[number].value or "").rpartition(".")[2] in numeric:
            cells += [f"{columns['自评值']}{row[0].row}", f"{columns['核定值']}{row[0].row}"]
    path.unlink()
    return tuple(cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10**6), STORED, FORMATS), min_size=1, max_size=5))
def test_number_formats_and_huge_numbers_read_the_same(changes: list[tuple[int, Any, str]]) -> None:
    """Numbers of any size in numeric cells, shown in any number format: both readers give
    the same Evidence or the same Chinese problems (the number format is read from the
    workbook by chuangyou itself, so calamine and openpyxl agree), and scoring never fails
    otherwise."""
    cells = _value_cells()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "村.xlsx"
        path.write_bytes(template_bytes())
        book = load_workbook(path)
        for index, value, number_format in changes:
            cell = book["考评数据"][cells[index % len(cells)]]
            cell.value = value
            cell.number_format = number_format
        book.save(path)
        first, second = read_both(path)
    if isinstance(first, Evidence) and isinstance(second, Evidence):
        assert first.model_dump(exclude={"source"}) == second.model_dump(exclude={"source"})
    else:
        assert first == second
