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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

from chuangyou import __version__
from chuangyou.batch import Failure
from chuangyou.errors import UsageError
from chuangyou.export.analysis import analysis_sheet
from chuangyou.export.common import CardLoader, Links
from chuangyou.export.details import deductions_sheet, failures_sheet, rectify_sheet
from chuangyou.export.missing import missing_sheet
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
from chuangyou.export.township import townships_sheet, wanted, weaknesses_sheet
from chuangyou.ranking.model import Ranking
from chuangyou.roster.model import ListedOrganization
from chuangyou.rubric.model import Rubric
from chuangyou.safeio import TIERLIST, write_atomic
from chuangyou.statistics import Statistics, compute_statistics, locate_failures

WORKBOOK_TITLE = "等级名单"


def plan(ranking: Ranking, failures: list[Failure], rubrics: Mapping[str, Rubric], output: Path,
         cards: CardLoader | None = None, statistics: Statistics | None = None,
         missing: Sequence[ListedOrganization] | None = None, heading: ListHeading | None = None) -> Iterator[Sheet]:
    """Every sheet of the workbook, in order, as data; planned one at a time, so that only
    one sheet's rows are held at once (and, with ``cards``, one organization's card)."""
    links = Links(output)
    if statistics is None:
        statistics = compute_statistics(ranking, locate_failures(ranking, failures))
    yield tierlist_sheet(ranking, heading)
    yield results_sheet(ranking)
    yield from matrix_sheets(ranking, rubrics, {SHEET_TIERS, SHEET_RESULTS}, cards)
    yield deductions_sheet(ranking, links, cards)
    yield analysis_sheet(ranking, cards)
    if wanted(statistics):
        yield townships_sheet(statistics)
        yield weaknesses_sheet(ranking, statistics, cards)
    yield rectify_sheet(ranking, rubrics, links, cards)
    yield failures_sheet(failures)
    if missing is not None:  # rank --roster: the roster organizations without a workbook
        yield missing_sheet(missing)


def build(path: Path, sheets: Iterable[Sheet], ranking: Ranking, *, write_only: bool = True) -> None:
    """Write the sheets to ``path``; ``write_only`` streams rows to disk (constant memory)."""
    import xlsxwriter
    import xlsxwriter.exceptions

    # XlsxWriter keeps each sheet's rows in temporary files until it assembles the workbook:
    # in a folder of ours, removed whatever happens (an error, Ctrl-C).
    with tempfile.TemporaryDirectory(prefix="chuangyou-xlsx-", ignore_cleanup_errors=True) as scratch, \
            warnings.catch_warnings():
        book = xlsxwriter.Workbook(str(path), {
            "constant_memory": write_only, "tmpdir": scratch,
            # Text stays text: no guessing of numbers, formulas or links from strings.
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        try:
            # XlsxWriter warns in English on stderr about what it will not write (a link past
            # Excel's limit); every such case is handled where it arises (the text is kept).
            warnings.simplefilter("ignore")
            formats = Formats(book)
            for sheet in sheets:
                render(book, formats, sheet)
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
        except BaseException:
            for ws in book.worksheets():  # close the row files so that the folder can go (Windows)
                handle = getattr(ws, "row_data_fh", None)
                if handle is not None:
                    handle.close()
            raise


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
) -> None:
    """Write the tier-list workbook to ``path`` (temp file + rename; never over an input).

    ``ranking`` entries must carry their ScoreCards (:meth:`Ranking.link` after loading
    JSON), or summaries of them that ``cards`` turns into whole cards when a sheet needs
    the items (a batch: memory stays flat); ``rubrics`` by id give the clause texts of
    整改清单 (a missing one leaves them out); ``heading`` the printed list's title, issuer
    and date (公示.yaml) and whether it shows 总分. ``statistics`` (computed from the ranking
    when not given) are rendered in 乡镇统计 when the run holds more than one township.
    An existing ``path`` is replaced only if it is an earlier tier list of ours, or with
    ``force`` (safeio's overwrite policy).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件“{path.name}”应以 .xlsx 结尾（等级名单是 Excel 工作簿）")

    def writer(tmp: Path) -> None:
        build(tmp, plan(ranking, failures, rubrics, path, cards, statistics, missing, heading), ranking,
              write_only=write_only)

    write_atomic(path, writer, inputs, kind=TIERLIST, force=force)
