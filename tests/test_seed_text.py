"""Every clause of the seed's 附件1 and 附件3 tables appears verbatim in the bundled rubrics.

The seed (the implementation plan the standards come from) lives in ``shared/`` next to the
repository checkout (``../shared`` from the repo root). A verbatim copy of its two tables is
kept in ``tests/data/seed_tables.txt`` so the test also runs without ``../shared``; when both
exist the copy must equal the seed.

Table rows look like::

    党的组织设置10分 | 设置合理 | 2 | 考核评价标准 | 考评方式 |     (category row)
    探索创新 | 2 | 考核评价标准 | 考评方式 | |                      (item row)
    村(社区)党组织对辖区内…… | ||||                                (continuation of the standard)
    民主生活会 | ………… | |||                                       (sub-row: name + standard)

Cells containing ``…………`` were elided in the seed (the rubric authors wrote those clauses
and marked them ``source: authored``); they are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chuangyou.yamlio import load_yaml_file

REPO = Path(__file__).resolve().parents[1]
SEED_NAME = "000_7bc66cd7a49ea742.txt"
COPY = Path(__file__).parent / "data" / "seed_tables.txt"
RUBRICS = REPO / "rubrics"
ANNEX_RUBRIC = {"附件1": "village", "附件3": "two_new"}
ELIDED = "…………"

# The seed censors some words as "x". The rubric may restore them; each entry maps the
# seed's fragment to the restored one. A cell matches if either form is in the rubric.
RESTORED = {
    "发挥x引领作用": "发挥政治引领作用",  # 附件3 服务“两新”组织健康发展开展活动, standard
    "x核心作用": "政治核心作用",  # same item, method
    "、x安排": "、政治安排",  # 附件3 政策保障, continuation of the standard
}

_POINTS = re.compile(r"^(\d+(?:\.\d+)?)分?$")
_CATEGORY = re.compile(r"^(.+?)(\d+(?:\.\d+)?)分$")


def seed_path() -> Path | None:
    """The seed file: ``../shared`` in CI (sibling of the checkout), or ``shared/`` inside it."""
    for base in (REPO.parent / "shared", REPO / "shared"):
        candidate = base / "seeds" / SEED_NAME
        if candidate.is_file():
            return candidate
    return None


def table_lines(text: str) -> list[str]:
    """The annex markers, the table titles under them and every table row (lines with '|')."""
    lines = text.splitlines()
    start = lines.index("附件1")
    markers = set(ANNEX_RUBRIC)
    return [
        line
        for i, line in enumerate(lines[start:], start)
        if line in markers or lines[i - 1] in markers or "|" in line
    ]


def tables_text() -> str:
    seed = seed_path()
    if seed is not None:
        return "\n".join(table_lines(seed.read_text(encoding="utf-8"))) + "\n"
    return COPY.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Cell:
    """One non-elided cell of a seed table row and what it must match in the rubric."""

    annex: str
    row: int  # 1-based row number inside the annex (header = 1)
    kind: str  # category | item | standard | method | continuation | subrow
    category: str
    item: str
    text: str
    points: Decimal | None = None
    sub: str = ""  # for a sub-row's standard: the sub-row's name

    @property
    def id(self) -> str:
        return f"{self.annex}-r{self.row}-{self.kind}"


def _points(text: str) -> Decimal | None:
    match = _POINTS.match(text)
    return Decimal(match.group(1)) if match else None


def parse_tables(text: str) -> list[Cell]:
    cells: list[Cell] = []
    annex = ""
    category = item = ""
    row = 0
    for line in text.splitlines():
        if line in ANNEX_RUBRIC:
            annex, category, item, row = line, "", "", 0
            continue
        if "|" not in line:
            continue  # table title
        row += 1
        parts = [p.strip() for p in line.split("|")]
        if parts[0] == "类型":
            continue
        if _CATEGORY.match(parts[0]) and len(parts) > 2 and _points(parts[2]) is not None:
            name, pts = _CATEGORY.match(parts[0]).groups()  # type: ignore[union-attr]
            category = name
            cells.append(Cell(annex, row, "category", category, "", name, Decimal(pts)))
            parts = parts[1:]
        if len(parts) > 1 and _points(parts[1]) is not None:
            item = parts[0]
            cells.append(Cell(annex, row, "item", category, item, item, _points(parts[1])))
            for kind, value in (("standard", parts[2]), ("method", parts[3])):
                if value and ELIDED not in value:
                    cells.append(Cell(annex, row, kind, category, item, value))
        elif len(parts) > 1 and parts[1]:
            # A sub-row: an alternative item (merged points cell) or a part of the item above.
            if ELIDED not in parts[0]:
                cells.append(Cell(annex, row, "subrow", category, item, parts[0]))
            if ELIDED not in parts[1]:
                cells.append(Cell(annex, row, "standard", category, item, parts[1], sub=parts[0]))
        elif parts[0] and ELIDED not in parts[0]:
            cells.append(Cell(annex, row, "continuation", category, item, parts[0]))
    return cells


CELLS = parse_tables(tables_text())


def variants(text: str) -> list[str]:
    restored = text
    for seed_form, word in RESTORED.items():
        restored = restored.replace(seed_form, word)
    return [text] if restored == text else [text, restored]


_RUBRIC_CACHE: dict[str, dict[str, Any]] = {}


def rubric_data(rubric_id: str) -> dict[str, Any]:
    """The raw YAML mapping (text checks need no scoring, so a rubric with other problems still checks)."""
    if rubric_id not in _RUBRIC_CACHE:
        _RUBRIC_CACHE[rubric_id] = load_yaml_file(RUBRICS / f"{rubric_id}.yaml").data
    return _RUBRIC_CACHE[rubric_id]


def find_category(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((c for c in data.get("categories", []) if c.get("name") == name), None)


def find_item(data: dict[str, Any], category: str, name: str) -> dict[str, Any] | None:
    cat = find_category(data, category)
    pools = [cat["items"]] if cat else [c.get("items", []) for c in data.get("categories", [])]
    return next((it for pool in pools for it in pool if it.get("name") == name), None)


def mismatch(cell: Cell) -> str | None:
    """Why ``cell`` is not in its rubric, or None when it is."""
    rid = ANNEX_RUBRIC[cell.annex]
    data = rubric_data(rid)
    if cell.kind == "category":
        cat = find_category(data, cell.text)
        if cat is None:
            return f"{rid}: no category named “{cell.text}”"
        if Decimal(str(cat.get("points"))) != cell.points:
            return f"{rid}: category “{cell.text}” has points {cat.get('points')}, seed says {cell.points}"
        return None
    item = find_item(data, cell.category, cell.item)
    if cell.kind == "item":
        if item is None:
            return f"{rid}: no item named “{cell.text}” in category “{cell.category}”"
        if Decimal(str(item.get("points"))) != cell.points:
            return f"{rid}: item “{cell.text}” has points {item.get('points')}, seed says {cell.points}"
        return None
    if item is None:
        return f"{rid}: item “{cell.item}” (needed for a {cell.kind} cell) not found"
    if cell.kind == "subrow":
        alternative = find_item(data, cell.category, cell.text)
        if alternative is not None:
            same = Decimal(str(alternative.get("points"))) == Decimal(str(item.get("points")))
            return None if same else f"{rid}: alternative “{cell.text}” has points different from “{cell.item}”"
        if cell.text in str(item.get("standard", "")):
            return None
        return f"{rid}: sub-row “{cell.text}” is neither an item of “{cell.category}” nor in “{cell.item}”'s standard"
    key = "method" if cell.kind == "method" else "standard"
    # A sub-row's standard belongs to the sub-row's own item when it is one, else to the item above.
    owner = (find_item(data, cell.category, cell.sub) if cell.sub else None) or item
    body = str(owner.get(key, ""))
    if any(v in body for v in variants(cell.text)):
        return None
    return f"{rid}: {key} of “{cell.item}” does not contain the seed text “{cell.text}”"


def test_copy_matches_seed() -> None:
    seed = seed_path()
    if seed is None:
        pytest.skip("../shared/seeds is not checked out; using tests/data/seed_tables.txt")
    expected = "\n".join(table_lines(seed.read_text(encoding="utf-8"))) + "\n"
    assert COPY.read_text(encoding="utf-8") == expected


def test_parser_reads_both_tables() -> None:
    categories = {annex: [(c.text, c.points) for c in CELLS if c.annex == annex and c.kind == "category"]
                  for annex in ANNEX_RUBRIC}
    assert [name for name, _ in categories["附件1"]] == [
        "党的组织设置", "班子队伍建设", "党员教育管理", "党内组织生活",
        "场地建设管理使用", "为民便民服务", "工作运行机制", "基本经费保障",
    ]
    assert [name for name, _ in categories["附件3"]] == [
        "党的组织设置", "班子队伍建设", "党员教育管理", "党内组织生活",
        "发挥作用途径", "工作运行机制", "基本工作保障",
    ]
    for annex in ANNEX_RUBRIC:
        assert sum(p for _, p in categories[annex] if p is not None) == 100
    kinds = {k: sum(1 for c in CELLS if c.kind == k) for k in ("item", "standard", "method", "continuation", "subrow")}
    assert kinds == {"item": 53, "standard": 27, "method": 28, "continuation": 17, "subrow": 3}


def test_restored_placeholders_occur_in_seed() -> None:
    """The censored-word table is not stale: each entry is used by some cell."""
    text = tables_text()
    for seed_form in RESTORED:
        assert seed_form in text


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_seed_cell_in_rubric(cell: Cell) -> None:
    problem = mismatch(cell)
    assert problem is None, problem
