"""The roster (花名册): every organization a county rates, read, checked and written.

``read_roster(path, rubrics)`` gives a :class:`Roster` or raises one :class:`RosterError`
listing every problem with its cell; ``write_roster`` writes a blank (or filled) roster;
:func:`missing_organizations` lists the roster organizations a batch has no workbook for.
"""

from chuangyou.roster.match import Submission, match_submissions, missing_organizations, submissions
from chuangyou.roster.model import (
    HEADERS,
    SHEET,
    ListedOrganization,
    Roster,
    RosterEntry,
    code_key,
    kinds,
    name_key,
)
from chuangyou.roster.read import RosterError, read_roster
from chuangyou.roster.write import RosterRow, build_roster, write_roster

__all__ = [
    "HEADERS", "SHEET", "ListedOrganization", "Roster", "RosterEntry", "RosterError", "RosterRow", "Submission",
    "build_roster", "code_key", "kinds", "match_submissions", "missing_organizations", "name_key", "read_roster",
    "submissions", "write_roster",
]
