"""The heading lines of the printed 等级名单, apart from the sheets: a run without -o needs
them checked (公示.yaml) but not the export's modules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ListHeading:
    """The heading lines of the printed 等级名单 (a county sets them once in 公示.yaml)."""

    title: str = ""  # empty: the default title of the ranking
    issuer: str = ""
    date: str = ""  # empty: today
    with_scores: bool = False  # a 总分 column in the printed list
