"""The roster (花名册): every organization a county rates, read, checked and written.

``read_roster(path, rubrics)`` gives a :class:`Roster` or raises one :class:`RosterError`
listing every problem with its cell; ``write_roster`` writes a blank (or filled) roster;
:func:`missing_organizations` lists the roster organizations a batch has no workbook for.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chuangyou.roster.match import (
        Submission,
        match_submissions,
        missing_organizations,
        submissions,
    )
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

# Loaded on first use: the tier list's 未提交 sheet needs the model only, not openpyxl and
# the template modules that writing a roster takes (~0.2 s).
_WHERE = {
    "Submission": "match", "match_submissions": "match", "missing_organizations": "match", "submissions": "match",
    "HEADERS": "model", "SHEET": "model", "ListedOrganization": "model", "Roster": "model", "RosterEntry": "model",
    "code_key": "model", "kinds": "model", "name_key": "model",
    "RosterError": "read", "read_roster": "read",
    "RosterRow": "write", "build_roster": "write", "write_roster": "write",
}

__all__ = [
    "HEADERS", "SHEET", "ListedOrganization", "Roster", "RosterEntry", "RosterError", "RosterRow", "Submission",
    "build_roster", "code_key", "kinds", "match_submissions", "missing_organizations", "name_key", "read_roster",
    "submissions", "write_roster",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chuangyou.roster' has no attribute {name!r}")
    return getattr(importlib.import_module(f"chuangyou.roster.{module}"), name)
