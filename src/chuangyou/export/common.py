"""What several sheets share: entry order, labels, sheet names, texts and evidence links."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from chuangyou.export.table import Column, Link, Styled, Value
from chuangyou.ranking.model import RankedEntry, RankingGroup
from chuangyou.scorecard import CellRef, ScoreCard
from chuangyou.scorecard import veto_text as veto_text  # used by the sheets
from chuangyou.textsafe import uri_text, xml_text

NONE = "无"
_RUBRIC_SUFFIX = "党组织争先创优评定标准"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


#: Gives the whole card (items, deductions, evidence) for an entry's summary card: a batch
#: keeps only summaries in memory, and the sheets that need the details load each card
#: when they come to it (~0.05 ms) instead of holding ~57 KB per organization.
CardLoader = Callable[[ScoreCard], ScoreCard]


def full_card(entry: RankedEntry, cards: CardLoader | None) -> ScoreCard | None:
    """The entry's whole card: the linked one, or loaded for this use only."""
    card = entry.card
    return cards(card) if card is not None and cards is not None else card


def tier_order(group: RankingGroup, tier: str) -> int:
    """High → low, 待定（另行处理） after every tier."""
    return group.tiers.index(tier) if tier in group.tiers else len(group.tiers)


def ordered(group: RankingGroup) -> list[RankedEntry]:
    """Entries by final tier, then rank; ties keep the ranking's stable order. Merged
    counties (each ranked on its own) come one after the other within a tier."""
    counties = {county: n for n, county in enumerate(dict.fromkeys(e.county for e in group.entries))}
    indexed = list(enumerate(group.entries))
    indexed.sort(key=lambda p: (tier_order(group, p[1].tier), counties[p[1].county], p[1].rank is None,
                                p[1].rank or 0, p[0]))
    return [entry for _, entry in indexed]


def group_label(group: RankingGroup) -> str:
    """村(社区) for 村(社区)党组织争先创优评定标准: short enough for a column and a sheet name."""
    return short_name(group.rubric_name, group.rubric_id)


def short_name(rubric_name: str, fallback: str = "") -> str:
    name = rubric_name.strip()
    if name.endswith(_RUBRIC_SUFFIX) and len(name) > len(_RUBRIC_SUFFIX):
        return name[: -len(_RUBRIC_SUFFIX)]
    return name or fallback


def sheet_name(base: str, label: str, taken: set[str]) -> str:
    """A legal, unique sheet name: ≤ 31 characters, none of []:*?/\\, no quote at either end."""
    name = _BAD_SHEET_CHARS.sub("_", xml_text(f"{base}-{label}" if label else base)).strip("'")[:SHEET_NAME_MAX]
    unique, number = name, 2
    while unique.lower() in {t.lower() for t in taken}:
        suffix = f"({number})"
        unique, number = name[: SHEET_NAME_MAX - len(suffix)] + suffix, number + 1
    taken.add(unique)
    return unique


def entry_notes(entry: RankedEntry) -> str:
    """Every decision the ranking wrote on the entry, then the card's own flags and warnings."""
    lines = list(entry.notes)
    card = entry.card
    if card is not None:
        lines += [f"{f.kind}：{f.reason}" for f in card.flags if f.kind != "另行处理"]
        lines += [f"提示：{w}" for w in card.warnings]
    return "\n".join(lines)


def cell_label(ref: CellRef) -> str:
    return f"{ref.sheet}!{ref.cell}"


def none_row(columns: list[Column]) -> list[Value]:
    """The row an empty table shows, so a reader sees “nothing” rather than a missing table."""
    return [NONE, *([None] * (len(columns) - 1))]


class Links:
    """Hyperlinks from the export to the evidence cells, relative to the export's folder.

    Relative links keep working when the whole folder (export and evidence) is copied to
    another computer, which is how townships hand results to the county.
    """

    def __init__(self, output: Path) -> None:
        self.folder = Path(os.path.abspath(output)).parent
        self._folder = str(self.folder)
        self._targets: dict[str, str] = {}

    def target(self, source: str) -> str:
        found = self._targets.get(source)
        if found is None:
            found = self._targets[source] = self._relative(source)
        return found

    def _relative(self, source: str) -> str:
        absolute = os.path.abspath(source)
        try:
            relative = os.path.relpath(absolute, self._folder)
        except ValueError:  # another drive on Windows: only an absolute link can work
            return Path(absolute).as_uri()
        # The target is a URI: '%', '#' and spaces would be read as escapes, a fragment or
        # a break (Excel 2007 rejects raw spaces), a control character makes the rels part
        # corrupt; each is percent-encoded. CJK characters are fine as they are.
        # (relpath's result is normalized: Path(relative).as_posix(), without its cost.)
        return uri_text(relative.replace(os.sep, "/"))

    def link(self, source: str, ref: CellRef) -> Link:
        sheet = xml_text(ref.sheet).replace("'", "''")
        return Link(self.target(source), f"'{sheet}'!{ref.cell}")

    def cells(self, source: str, refs: Iterable[CellRef]) -> Value:
        """依据单元格: the first cell, linked (a cell holds one link, and LibreOffice shows a
        linked cell on one line); 指标 lists every cell."""
        refs = list(refs)
        if not refs:
            return None
        more = f" 等{len(refs)}处" if len(refs) > 1 else ""
        return Styled(cell_label(refs[0]) + more, link=self.link(source, refs[0]))


def labels(refs: Iterable[CellRef]) -> str:
    """指标: each cell's field label with its address, one per line."""
    return "\n".join(f"{r.label or r.field}（{r.cell}）" for r in refs)


def values(refs: Iterable[CellRef]) -> str:
    return "\n".join(r.value for r in refs)


def filled(refs: Iterable[CellRef]) -> str:
    """填报情况: what each cell said, with its label and address."""
    return "\n".join(f"{r.label or r.field}（{r.cell}）：{r.value}" for r in refs)


def chinese_date(day: date) -> str:
    """2026年12月3日: how a date is written on a list or in a document."""
    return f"{day.year}年{day.month}月{day.day}日"
