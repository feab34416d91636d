"""Which workbook belongs to which roster organization.

By 组织代码 where both the roster row and the workbook carry one; else by name after
:func:`name_key` (brackets, full-width forms, spaces). A valid roster never lists a name
under two townships, so a name alone finds at most one row: a workbook whose township is
wrong is still matched (and collection says so) instead of counting as not handed in.
A workbook whose 基本信息 cannot be read is matched by its file name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chuangyou.roster.model import ListedOrganization, Roster, RosterEntry, code_key, name_key

if TYPE_CHECKING:
    from chuangyou.batch import BatchResult, Failure
    from chuangyou.scorecard import ScoreCard


@dataclass
class Submission:
    """One workbook of a batch and who it says it is (scored or not)."""

    source: str
    name: str
    township: str
    subtype_label: str = ""
    form: str = ""
    code: str = ""
    year: int | None = None
    card: ScoreCard | None = None
    failure: Failure | None = None
    by_file_name: bool = False  # nothing could be read from 基本信息: matched by the file's name


def submissions(result: BatchResult) -> list[Submission]:
    """Every file of a batch, scored or failed, in source order."""
    from chuangyou.batch import CRASHED, SAME_NAME
    from chuangyou.evidence.declared import declared_organization

    found = [
        Submission(card.source, card.organization.name, card.organization.township, card.organization.subtype_label,
                   card.organization.form, card.organization.code, card.organization.year, card=card)
        for card in result.cards
    ]
    for failure in result.failures:
        path = Path(failure.source)
        # A file that crashed a worker is not opened again here, in the parent process.
        readable = failure.reason not in (CRASHED, SAME_NAME) and path.is_file()
        declared = declared_organization(path) if readable else None
        if declared is None or not declared.name:
            found.append(Submission(failure.source, path.stem, path.parent.name, failure=failure, by_file_name=True))
            continue
        found.append(Submission(failure.source, declared.name, declared.township, declared.subtype_label,
                                declared.form, declared.code, declared.year, failure=failure))
    return sorted(found, key=lambda s: s.source)


def find_entry(roster: Roster, submission: Submission,
               by_code: dict[str, RosterEntry], by_name: dict[str, RosterEntry]) -> RosterEntry | None:
    if submission.code and code_key(submission.code) in by_code:
        return by_code[code_key(submission.code)]
    entry = by_name.get(name_key(submission.name))
    if entry is not None and entry.code and submission.code and code_key(entry.code) != code_key(submission.code):
        return None  # both carry a code and the codes differ: another organization of the same name
    return entry


def match_submissions(
    roster: Roster, found: Iterable[Submission]
) -> tuple[dict[int, list[Submission]], list[Submission]]:
    """Submissions per roster row (by index into ``roster.entries``), and those on no row."""
    by_code = {code_key(e.code): e for e in roster.entries if e.code}
    by_name = {name_key(e.name): e for e in roster.entries}
    index = {id(e): n for n, e in enumerate(roster.entries)}
    matched: dict[int, list[Submission]] = {n: [] for n in range(len(roster.entries))}
    unlisted = []
    for submission in found:
        entry = find_entry(roster, submission, by_code, by_name)
        if entry is None:
            unlisted.append(submission)
        else:
            matched[index[id(entry)]].append(submission)
    return matched, unlisted


def missing_organizations(roster: Roster, found: Iterable[Submission]) -> list[ListedOrganization]:
    """The roster organizations no workbook of the batch belongs to, in roster order.

    The library function behind ``rank --roster``'s 未提交 and collection's 未交 (and any
    count of them per township: group the result by ``township``).
    """
    matched, _ = match_submissions(roster, found)
    return [roster.entries[n].listed() for n, subs in matched.items() if not subs]
