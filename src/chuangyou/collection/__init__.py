"""Collection status (收集情况): who handed in, whose file is wrong, who is missing.

``collect(roster, batch_result)`` → :class:`Collection` (the JSON contract of
``chuangyou collect --format json``); ``write_collection`` writes the workbook the county
sends each township to chase its missing and faulty files.
"""

from chuangyou.collection.collect import collect, previous_missing, township_counts
from chuangyou.collection.model import (
    DUPLICATE,
    MISSING,
    PROBLEM,
    STATUSES,
    SUBMITTED,
    UNLISTED,
    CollectedOrganization,
    Collection,
    PreviousMissing,
    TownshipCount,
    UnlistedFile,
)
from chuangyou.collection.workbook import write_collection

__all__ = [
    "DUPLICATE", "MISSING", "PROBLEM", "STATUSES", "SUBMITTED", "UNLISTED", "CollectedOrganization", "Collection",
    "PreviousMissing", "TownshipCount", "UnlistedFile", "collect", "previous_missing", "township_counts",
    "write_collection",
]
