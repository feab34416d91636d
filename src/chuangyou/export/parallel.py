"""The tier list written by two processes: 扣分明细 and 整改清单 in a second one, joined.

Writing the workbook is serial work in one process after the scoring, about as long as the
scoring itself on two cores. The two sheets with the most cells and every hyperlink (about
40 % of the work) are written at the same time by a forked copy of this process, into a
workbook of their own; this process writes the others, with an empty sheet of the same name
in each of their places, and takes from the second workbook what each of its sheets holds:

* the sheet's XML, with the index of each cell's format changed to this workbook's index
  of the same look (the second process sends which look each of its indexes stands for);
* its relationships (the hyperlinks' targets);
* what a sheet puts in the workbook's own parts (the autofilter's and the printed titles'
  defined names), by making the same calls on the empty sheet here.

The joined workbook has the same sheets, cells, formats, links and print settings as one
written by a single process (tests compare them cell by cell). Anything the join does not
handle (a chart or a conditional format in those sheets, a cell text that reads like a
format attribute, a failure of the second process) makes the caller write the workbook in
one process instead: slower, never different. Only where processes fork (Linux) and only
for large workbooks: below :data:`MIN_ORGANIZATIONS` the fork and the second pass over the
zip cost more than they save.
"""

from __future__ import annotations

import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from chuangyou.export.details import SHEET_DEDUCTIONS, SHEET_RECTIFY
from chuangyou.export.styles import Formats, Look, clean_text
from chuangyou.export.table import render
from chuangyou.ranking.model import Ranking

#: Written by the second process (each is one sheet, named before it is built).
SECOND = (SHEET_DEDUCTIONS, SHEET_RECTIFY)
MIN_ORGANIZATIONS = 300

Steps = list[tuple[str | None, Callable[[], Any]]]
Call = tuple[str, tuple[Any, ...], dict[str, Any]]

#: What the forked process builds: the plan's steps, where it writes and the first
#: process's scratch folder (set only while the second process is started).
_JOB: tuple[Steps, str, str] | None = None


class _Unsupported(Exception):
    """Something the join cannot carry over: the workbook is written by one process."""


def wanted(ranking: Ranking, jobs: int | None) -> bool:
    """Whether to write with two processes: forking available, two jobs allowed, a large list."""
    if not sys.platform.startswith("linux"):
        return False
    if (jobs if jobs is not None else os.cpu_count() or 1) < 2:
        return False
    return sum(1 for _ in ranking.entries()) >= MIN_ORGANIZATIONS


def build_split(path: Path, made: Steps, ranking: Ranking) -> bool:
    """Write the workbook to ``path`` with a second process; False (nothing at ``path``) when
    that cannot be done here: the caller then writes it alone, from a new plan."""
    import multiprocessing

    from chuangyou.export.workbook import close_rows, finish, new_book, scratch_folder

    if not any(name in SECOND for name, _ in made):
        return False
    global _JOB
    with scratch_folder() as scratch:
        second = os.path.join(scratch, "second.xlsx")
        first = os.path.join(scratch, "first.xlsx")
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        _JOB = (made, second, scratch)
        for stream in (sys.stdout, sys.stderr):  # nothing buffered that the copy could write again
            stream.flush()
        try:
            child = context.Process(target=_run_second, args=(sender,), daemon=True)
            child.start()  # a copy of this process as it is now: the ranking, the cards, _JOB
        finally:
            _JOB = None
        sender.close()
        book = new_book(Path(first), scratch)
        try:
            formats = Formats(book)
            holders: dict[str, tuple[Any, int]] = {}
            for name, make in made:
                if name in SECOND:
                    holders[name] = (book.add_worksheet(clean_text(name)), len(book.worksheets()))
                    continue
                for sheet in make():
                    render(book, formats, sheet)
            try:
                done, found = receiver.recv()
            except EOFError:  # the second process died (killed, out of memory)
                done, found = False, None
            child.join()
            if not done:
                close_rows(book)
                return False
            calls, looks, numbers = found
            indexes = {0: 0, **{index: formats.get(look)._get_xf_index() for index, look in looks.items()}}
            placed: dict[int, tuple[int, dict[int, int]]] = {}
            for name, (holder, number) in holders.items():
                for method, args, kwargs in calls.get(name, []):
                    getattr(holder, method)(*args, **kwargs)
                placed[number] = (numbers[name], indexes)
            with _stored():
                finish(book, ranking)
        except BaseException:
            close_rows(book)
            if child.is_alive():
                child.kill()  # not terminate(): the copy ignores SIGTERM as it ignores Ctrl-C (cli.main)
            child.join()
            raise
        finally:
            receiver.close()
        try:
            _join(first, second, path, placed)
        except _Unsupported:
            Path(path).unlink(missing_ok=True)
            return False
    return True


def _run_second(sender: Any) -> None:
    """The forked process's work, its outcome sent back: (True, what the join needs) or
    (False, why not)."""
    try:
        sender.send((True, _second()))
    except BaseException as exc:  # noqa: BLE001 - whatever it is, the first process writes alone
        sender.send((False, type(exc).__name__))
    finally:
        sender.close()


def _second() -> tuple[dict[str, list[Call]], dict[int, Look], dict[str, int]]:
    """In the forked process: the SECOND sheets into a workbook of their own; what each asked
    of the workbook, the look of each format index, and each sheet's number there."""
    from chuangyou.export.workbook import close_rows, new_book, scratch_folder

    assert _JOB is not None
    made, target, scratch = _JOB
    rows = os.path.join(scratch, "second-rows")  # in the first process's folder: removed with it
    os.mkdir(rows)
    with scratch_folder(rows):
        book = new_book(Path(target), rows)
        try:
            formats = Formats(book)
            book.add_worksheet("_")  # the first sheet holds the selection, not one of ours
            recording = _RecordingBook(book)
            numbers: dict[str, int] = {}
            for name, make in made:
                if name in SECOND:
                    for sheet in make():
                        render(recording, formats, sheet)
                    numbers[name] = len(book.worksheets())
            with _stored():
                book.close()
        except BaseException:
            close_rows(book)
            raise
    looks = {fmt._get_xf_index(): look for look, fmt in formats.items()}
    return recording.calls, looks, numbers


#: What a worksheet is asked that ends up in the workbook's own parts (defined names).
_RECORDED = frozenset({"autofilter", "repeat_rows", "repeat_columns", "print_area"})
#: What the join cannot carry over (drawings, comments, formats of conditional formats).
_REFUSED = frozenset({"insert_chart", "insert_image", "insert_textbox", "write_comment", "conditional_format",
                      "add_table", "add_sparkline", "insert_button"})


class _RecordingBook:
    """The workbook as render sees it: its sheets note the calls :data:`_RECORDED` lists."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self.calls: dict[str, list[Call]] = {}

    def add_worksheet(self, name: str, *args: Any, **kwargs: Any) -> _RecordingSheet:
        calls = self.calls.setdefault(name, [])
        return _RecordingSheet(self._book.add_worksheet(name, *args, **kwargs), calls)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._book, name)


class _RecordingSheet:
    def __init__(self, ws: Any, calls: list[Call]) -> None:
        self._ws = ws
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        if name in _REFUSED:
            raise _Unsupported(name)
        found = getattr(self._ws, name)
        if name in _RECORDED:
            def recorded(*args: Any, **kwargs: Any) -> Any:
                self._calls.append((name, args, kwargs))
                return found(*args, **kwargs)

            return recorded
        setattr(self, name, found)  # the next lookups (one per cell) find it directly
        return found


@contextmanager
def _stored() -> Iterator[None]:
    """XlsxWriter writes the parts of a workbook to be joined uncompressed: the join then
    compresses each part once, as XlsxWriter would have (and not a second time)."""
    import xlsxwriter.workbook

    if not hasattr(xlsxwriter.workbook, "ZIP_DEFLATED"):  # another version: compressed, as usual
        yield
        return
    xlsxwriter.workbook.ZIP_DEFLATED = zipfile.ZIP_STORED
    try:
        yield
    finally:
        xlsxwriter.workbook.ZIP_DEFLATED = zipfile.ZIP_DEFLATED


_SHEET = re.compile(r"xl/worksheets/sheet([0-9]+)\.xml")
_CELL_STYLE = re.compile(rb'(<c r="[A-Z]{1,3}[0-9]{1,7}") s="([0-9]+)"')


def _join(first: str, second: str, path: Path, placed: dict[int, tuple[int, dict[int, int]]]) -> None:
    """The first workbook with each placed sheet's XML and relationships from the second."""
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as joined:
        names = set(a.namelist())
        for info in a.infolist():
            found = _SHEET.fullmatch(info.filename)
            number = int(found.group(1)) if found else None
            if number is None or number not in placed:
                _copy(joined, info, a.read(info))
                continue
            if f"xl/worksheets/_rels/sheet{number}.xml.rels" in names:
                raise _Unsupported("the empty sheet has relationships")
            theirs, indexes = placed[number]
            _copy(joined, info, _restyle(b.read(f"xl/worksheets/sheet{theirs}.xml"), indexes))
            rels = f"xl/worksheets/_rels/sheet{theirs}.xml.rels"
            if rels in b.namelist():
                _copy(joined, info, b.read(rels), f"xl/worksheets/_rels/sheet{number}.xml.rels")


def _copy(joined: zipfile.ZipFile, like: zipfile.ZipInfo, data: bytes, name: str | None = None) -> None:
    info = zipfile.ZipInfo(name or like.filename, date_time=like.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = like.external_attr
    joined.writestr(info, data)


def _restyle(xml: bytes, indexes: dict[int, int]) -> bytes:
    """Each cell's format index as this workbook numbers the same look."""
    def swap(found: re.Match[bytes]) -> bytes:
        index = indexes.get(int(found.group(2)))
        if index is None:
            raise _Unsupported("a format index without its look")
        return found.group(1) + b' s="%d"' % index

    restyled, count = _CELL_STYLE.subn(swap, xml)
    if count != xml.count(b' s="') or b' t="s"' in xml:  # a text reading like one; a shared string
        raise _Unsupported("a format attribute the join does not know")
    return restyled
