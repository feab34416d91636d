"""Match a batch's workbooks to the roster and give each roster organization one status.

The batch is ``rank``'s (:func:`chuangyou.batch.run_batch`: same scan, process pool,
hardened reader, same failures); this module only reads its result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from chuangyou.collection.model import (
    DUPLICATE,
    MISSING,
    PROBLEM,
    SUBMITTED,
    CollectedOrganization,
    Collection,
    PreviousMissing,
    Status,
    TownshipCount,
    UnlistedFile,
)
from chuangyou.roster.match import Submission, match_submissions
from chuangyou.roster.model import Roster, RosterEntry, code_key, name_key

if TYPE_CHECKING:
    from chuangyou.batch import BatchResult
    from chuangyou.ranking.model import PreviousResult


def expected_year(found: Sequence[Submission]) -> int | None:
    """The year most workbooks declare: the one being collected when none is given."""
    years = Counter(s.year for s in found if s.year is not None)
    return years.most_common(1)[0][0] if years else None


def collect(
    roster: Roster,
    result: BatchResult,
    *,
    year: int | None = None,
    previous: Sequence[PreviousResult] | None = None,
) -> Collection:
    from chuangyou.roster.match import submissions

    found = submissions(result)
    year = year if year is not None else expected_year(found)
    matched, unlisted = match_submissions(roster, found)
    organizations = [_status(entry, matched[n], year) for n, entry in enumerate(roster.entries)]
    return Collection(
        organizations=organizations,
        unlisted=[UnlistedFile(file=s.source, name=s.name, township=s.township) for s in unlisted],
        previous_missing=previous_missing(roster, found, previous or []),
        townships=township_counts(roster, organizations),
    )


def _status(entry: RosterEntry, found: list[Submission], year: int | None) -> CollectedOrganization:
    problems: list[str] = []
    if len(found) > 1:
        files = "、".join(s.source for s in found)
        problems.append(f"同一组织提交了 {len(found)} 份材料：{files}；请核对后只保留一份")
    for submission in found:
        problems += _problems(entry, submission, year)
    status: Status = MISSING if not found else DUPLICATE if len(found) > 1 else PROBLEM if problems else SUBMITTED
    return CollectedOrganization(
        name=entry.name, township=entry.township, subtype_label=entry.subtype_label, form=entry.form,
        code=entry.code, status=status, files=[s.source for s in found], problems=problems,
    )


def _problems(entry: RosterEntry, submission: Submission, year: int | None) -> list[str]:
    """The reader's messages for a file that failed, then what differs from the roster."""
    file = Path(submission.source).name
    problems = []
    failure = submission.failure
    if failure is not None:
        problems += failure.problems or [f"{file}: {failure.reason}"]
    if submission.by_file_name:
        return problems  # nothing was read from 基本信息 to compare
    where = f"{file} 基本信息"
    checks = (
        ("组织名称", submission.name, entry.name),
        ("所属乡镇（街道）", submission.township, entry.township),
        ("组织类别", submission.subtype_label, entry.subtype_label),
        ("组织形式", submission.form, entry.form),
    )
    for label, found, listed in checks:
        if found and name_key(found) != name_key(listed):
            problems.append(f"{where}: “{label}”填写为“{found}”，花名册中为“{listed}”；请核对后改正")
    if submission.code and entry.code and code_key(submission.code) != code_key(entry.code):
        problems.append(f"{where}: “组织代码”填写为“{submission.code}”，花名册中为“{entry.code}”；请核对后改正")
    if year is not None and submission.year is not None and submission.year != year:
        problems.append(f"{where}: “考评年度”为 {submission.year}，本次收集的是 {year} 年度的材料；"
                        f"请用 {year} 年度的模板重新填写")
    return problems


def previous_missing(
    roster: Roster | None, found: Sequence[Submission], previous: Sequence[PreviousResult]
) -> list[PreviousMissing]:
    """Rated last year, but neither on the roster (when there is one) nor handed in this year."""
    codes = {code_key(s.code) for s in found if s.code}
    names = {name_key(s.name) for s in found}
    if roster is not None:
        codes |= {code_key(e.code) for e in roster.entries if e.code}
        names |= {name_key(e.name) for e in roster.entries}
    return [
        PreviousMissing(name=p.name, township=p.township, tier=p.tier, year=p.year, code=p.code)
        for p in previous
        if not (p.code and code_key(p.code) in codes) and name_key(p.name) not in names
    ]


def township_counts(roster: Roster, organizations: Sequence[CollectedOrganization]) -> list[TownshipCount]:
    counts = []
    for township in roster.townships():
        mine = [o for o in organizations if o.township == township]
        counts.append(TownshipCount(
            township=township, expected=len(mine),
            submitted=sum(1 for o in mine if o.status == SUBMITTED),
            problem=sum(1 for o in mine if o.status in (PROBLEM, DUPLICATE)),
            missing=sum(1 for o in mine if o.status == MISSING),
        ))
    return counts
