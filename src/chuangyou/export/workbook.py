"""The tier-list workbook (等级名单.xlsx): six kinds of sheet, written atomically.

Written with XlsxWriter in constant-memory mode: each row goes to disk as it is written,
so memory does not grow with the number of organizations, and every feature used here
(styles, widths, row heights, frozen panes, autofilter, print titles and page breaks,
hyperlinks into the evidence workbooks, native charts, document properties) is supported.
Measured on this 2-core machine, writing 121,000 styled cells: XlsxWriter 0.65 s, openpyxl
write-only 2.3 s (2.15 s with lxml installed). Relative hyperlink targets are written with
backslashes, as Excel itself writes them; LibreOffice resolves them on Linux too (checked
by converting to .fods: ``./城关镇/东风村.xlsx#'考评数据'!G31``).
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from chuangyou import __version__
from chuangyou.batch import Failure
from chuangyou.errors import UsageError
from chuangyou.export.analysis import SHEET_ANALYSIS, analysis_sheet
from chuangyou.export.common import CardLoader, Links
from chuangyou.export.details import (
    SHEET_DEDUCTIONS,
    SHEET_FAILURES,
    SHEET_RECTIFY,
    deductions_sheet,
    failures_sheet,
    rectify_sheet,
)
from chuangyou.export.missing import SHEET_MISSING, missing_sheet
from chuangyou.export.styles import Formats, clean_text
from chuangyou.export.table import Sheet, render
from chuangyou.export.tierlist import (
    SHEET_RESULTS,
    SHEET_TIERS,
    ListHeading,
    matrix_sheets,
    results_sheet,
    tierlist_sheet,
    title,
)
from chuangyou.export.township import (
    SHEET_TOWNSHIPS,
    SHEET_WEAKNESSES,
    townships_sheet,
    wanted,
    weaknesses_sheet,
)
from chuangyou.ranking.model import Ranking
from chuangyou.roster.model import ListedOrganization
from chuangyou.rubric.model import Rubric
from chuangyou.safeio import TIERLIST, write_atomic
from chuangyou.statistics import Statistics, compute_statistics, locate_failures

WORKBOOK_TITLE = "等级名单"


#: One step of the plan: the name of the one sheet it makes when that is known before it is
#: built (None: several, named as they are built), and the sheets, built when called.
Step = tuple[str | None, Callable[[], Iterable[Sheet]]]


def steps(ranking: Ranking, failures: list[Failure], rubrics: Mapping[str, Rubric], output: Path,
          cards: CardLoader | None = None, statistics: Statistics | None = None,
          missing: Sequence[ListedOrganization] | None = None, heading: ListHeading | None = None) -> list[Step]:
    """Every sheet of the workbook, in order, as steps that build them when called; a step
    can be left to another process (:mod:`chuangyou.export.parallel`) without being built."""
    links = Links(output)
    if statistics is None:
        statistics = compute_statistics(ranking, locate_failures(ranking, failures))
    taken = {SHEET_TIERS, SHEET_RESULTS}
    found: list[Step] = [
        (SHEET_TIERS, lambda: [tierlist_sheet(ranking, heading)]),
        (SHEET_RESULTS, lambda: [results_sheet(ranking)]),
        (None, lambda: matrix_sheets(ranking, rubrics, taken, cards)),
        (SHEET_DEDUCTIONS, lambda: [deductions_sheet(ranking, links, cards)]),
        (SHEET_ANALYSIS, lambda: [analysis_sheet(ranking, cards)]),
    ]
    if wanted(statistics):
        found += [(SHEET_TOWNSHIPS, lambda: [townships_sheet(statistics)]),
                  (SHEET_WEAKNESSES, lambda: [weaknesses_sheet(ranking, statistics, cards)])]
    found += [(SHEET_RECTIFY, lambda: [rectify_sheet(ranking, rubrics, links, cards)]),
              (SHEET_FAILURES, lambda: [failures_sheet(failures)])]
    if missing is not None:  # rank --roster: the roster organizations without a workbook
        found.append((SHEET_MISSING, lambda: [missing_sheet(missing)]))
    return found


def plan(ranking: Ranking, failures: list[Failure], rubrics: Mapping[str, Rubric], output: Path,
         cards: CardLoader | None = None, statistics: Statistics | None = None,
         missing: Sequence[ListedOrganization] | None = None, heading: ListHeading | None = None) -> Iterator[Sheet]:
    """Every sheet of the workbook, in order, as data; planned one at a time, so that only
    one sheet's rows are held at once (and, with ``cards``, one organization's card)."""
    for _, make in steps(ranking, failures, rubrics, output, cards, statistics, missing, heading):
        yield from make()


def build(path: Path, sheets: Iterable[Sheet], ranking: Ranking, *, write_only: bool = True) -> None:
    """Write the sheets to ``path``; ``write_only`` streams rows to disk (constant memory)."""
    with scratch_folder() as scratch:
        book = new_book(path, scratch, write_only)
        try:
            formats = Formats(book)
            for sheet in sheets:
                render(book, formats, sheet)
            finish(book, ranking)
        except BaseException:
            close_rows(book)
            raise


@contextmanager
def scratch_folder(within: str | None = None) -> Iterator[str]:
    """Where XlsxWriter keeps each sheet's rows until it assembles the workbook: a folder of
    ours, removed whatever happens (an error, Ctrl-C), or ``within`` (removed by its maker);
    with XlsxWriter's warnings silenced."""
    with warnings.catch_warnings():
        # XlsxWriter warns in English on stderr about what it will not write (a link past
        # Excel's limit); every such case is handled where it arises (the text is kept).
        warnings.simplefilter("ignore")
        if within is not None:
            yield within
            return
        with tempfile.TemporaryDirectory(prefix="chuangyou-xlsx-", ignore_cleanup_errors=True) as scratch:
            yield scratch


def new_book(path: Path, scratch: str, write_only: bool = True) -> Any:
    import xlsxwriter

    return xlsxwriter.Workbook(str(path), {
        "constant_memory": write_only, "tmpdir": scratch,
        # Text stays text: no guessing of numbers, formulas or links from strings.
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
    })


def finish(book: Any, ranking: Ranking) -> None:
    """The document properties, then the workbook assembled and written."""
    import xlsxwriter.exceptions

    book.set_properties({
        "title": WORKBOOK_TITLE,
        "subject": clean_text(title(ranking)),
        # The marker lets a later `chuangyou rank` over the same folder skip this file,
        # and a later `-o` replace it (safeio's overwrite policy).
        "keywords": TIERLIST.keywords,
        "author": f"chuangyou {__version__}",
        "comments": "由 chuangyou 根据评定标准自动生成，请勿手工修改分数。",
        "created": datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),  # stored as UTC
    })
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        # XlsxWriter wraps the OSError (disk full, no permission): give it back as
        # it is, so that the message says what happened.
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise


def close_rows(book: Any) -> None:
    """Close the row files of an unfinished workbook, so that its folder can go (Windows)."""
    for ws in book.worksheets():
        handle = getattr(ws, "row_data_fh", None)
        if handle is not None:
            handle.close()


def write_tierlist(
    path: Path,
    ranking: Ranking,
    failures: list[Failure],
    rubrics: Mapping[str, Rubric],
    inputs: Iterable[Path] = (),
    *,
    write_only: bool = True,
    cards: CardLoader | None = None,
    statistics: Statistics | None = None,
    heading: ListHeading | None = None,
    force: bool = False,
    missing: Sequence[ListedOrganization] | None = None,
    jobs: int | None = None,
) -> None:
    """Write the tier-list workbook to ``path`` (temp file + rename; never over an input).

    ``ranking`` entries must carry their ScoreCards (:meth:`Ranking.link` after loading
    JSON), or summaries of them that ``cards`` turns into whole cards when a sheet needs
    the items (a batch: memory stays flat); ``rubrics`` by id give the clause texts of
    整改清单 (a missing one leaves them out); ``heading`` the printed list's title, issuer
    and date (公示.yaml) and whether it shows 总分. ``statistics`` (computed from the ranking
    when not given) are rendered in 乡镇统计 when the run holds more than one township.
    An existing ``path`` is replaced only if it is an earlier tier list of ours, or with
    ``force`` (safeio's overwrite policy). With ``jobs`` of 2 or more (None: one per core)
    a large workbook is written by two processes (:mod:`chuangyou.export.parallel`).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件“{path.name}”应以 .xlsx 结尾（等级名单是 Excel 工作簿）")

    def writer(tmp: Path) -> None:
        from chuangyou.export import parallel

        if write_only and parallel.wanted(ranking, jobs):
            made = steps(ranking, failures, rubrics, path, cards, statistics, missing, heading)
            if parallel.build_split(tmp, made, ranking):
                return
        build(tmp, plan(ranking, failures, rubrics, path, cards, statistics, missing, heading), ranking,
              write_only=write_only)

    write_atomic(path, writer, inputs, kind=TIERLIST, force=force)
