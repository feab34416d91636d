"""The tier-list workbook (等级名单.xlsx): six kinds of sheet, written atomically.

Written with openpyxl's write-only (streaming) worksheets. They keep every feature used
here (styles, widths, row heights, frozen panes, autofilter, print titles and page breaks,
hyperlinks, charts; tests/test_export.py checks the streamed file and that both modes
write the same cells) as long as sheet-level settings come before the first row, which
the planning in :mod:`table` ensures. Measured (synthetic organizations of the three
bundled rubrics, ~3.5 deductions each, 2-core machine under load):

    organizations   write-only        normal worksheets
    1,000           1.7 s,  11 MB     1.8 s,  49 MB      (extra peak memory while writing)
    10,000          18 s,   91 MB     20 s,  470 MB

Time is the same (openpyxl's XML writing dominates, ~9 µs a cell; lxml would save ~20%),
memory is five times lower, so write-only it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path

from openpyxl import Workbook

from chuangyou import __version__
from chuangyou.batch import OUTPUT_MARKER, Failure
from chuangyou.errors import UsageError
from chuangyou.export.analysis import analysis_sheet
from chuangyou.export.common import CardLoader, Links
from chuangyou.export.details import deductions_sheet, failures_sheet, rectify_sheet
from chuangyou.export.table import Sheet, render
from chuangyou.export.tierlist import SHEET_TIERS, matrix_sheets, tierlist_sheet, title
from chuangyou.ranking.model import Ranking
from chuangyou.rubric.model import Rubric
from chuangyou.safeio import write_atomic

WORKBOOK_TITLE = "等级名单"


def plan(ranking: Ranking, failures: list[Failure], rubrics: Mapping[str, Rubric], output: Path,
         cards: CardLoader | None = None) -> Iterator[Sheet]:
    """Every sheet of the workbook, in order, as data; planned one at a time, so that only
    one sheet's rows are held at once (and, with ``cards``, one organization's card)."""
    links = Links(output)
    yield tierlist_sheet(ranking)
    yield from matrix_sheets(ranking, rubrics, {SHEET_TIERS}, cards)
    yield deductions_sheet(ranking, links, cards)
    yield analysis_sheet(ranking, cards)
    yield rectify_sheet(ranking, rubrics, links, cards)
    yield failures_sheet(failures)


def build(sheets: Iterable[Sheet], ranking: Ranking, *, write_only: bool = True) -> Workbook:
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    for sheet in sheets:
        render(book.create_sheet(sheet.name), sheet)
    props = book.properties
    props.title = WORKBOOK_TITLE
    props.subject = title(ranking)
    # The marker lets a later `chuangyou rank` over the same folder skip this file.
    props.keywords = f"{OUTPUT_MARKER} 创优 等级名单"
    props.creator = f"chuangyou {__version__}"
    props.description = "由 chuangyou 根据评定标准自动生成，请勿手工修改分数。"
    props.created = props.modified = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)  # stored as UTC
    return book


def write_tierlist(
    path: Path,
    ranking: Ranking,
    failures: list[Failure],
    rubrics: Mapping[str, Rubric],
    inputs: Iterable[Path] = (),
    *,
    write_only: bool = True,
    cards: CardLoader | None = None,
) -> None:
    """Write the tier-list workbook to ``path`` (temp file + rename; never over an input).

    ``ranking`` entries must carry their ScoreCards (:meth:`Ranking.link` after loading
    JSON), or summaries of them that ``cards`` turns into whole cards when a sheet needs
    the items (a batch: memory stays flat); ``rubrics`` by id give the clause texts of
    整改清单 (a missing one leaves them out).
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"输出文件“{path.name}”应以 .xlsx 结尾（等级名单是 Excel 工作簿）")

    def writer(tmp: Path) -> None:
        build(plan(ranking, failures, rubrics, path, cards), ranking, write_only=write_only).save(tmp)

    write_atomic(path, writer, inputs)
