"""Percent cells (issue 12, item 1): typing 100% stores 1 with a percent number format.

Both readers must read such a cell as the percentage it shows, for every field whose unit
is %, and score it so: a village 100 % satisfied is not capped by the satisfaction vetoes.
The LibreOffice case is a workbook LibreOffice itself wrote, from a flat ODS document in
which the cell is what LibreOffice stores for a typed ``100%`` (value 1, type percentage).
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from chuangyou.engine import score
from chuangyou.errors import EvidenceError
from chuangyou.evidence import read_evidence
from chuangyou.rubric.registry import find_bundled
from evidence_helpers import DATA_SHEET, data_row, full_values, mini_rubric, write_workbook

READERS = ("calamine", "openpyxl")
F = "城关社区.xlsx"


def _community(tmp_path: Path, value: Any, number_format: str | None, *, column: str = "G") -> Path:
    rubric = mini_rubric()
    values = {**full_values(rubric, "community"), "satisfaction": value}
    cell = f"{column}{data_row(rubric, 'satisfaction')}"

    def edit(workbook: Workbook) -> None:
        if column != "G":
            workbook[DATA_SHEET][cell].value = value
        if number_format is not None:
            workbook[DATA_SHEET][cell].number_format = number_format

    return write_workbook(tmp_path / F, rubric, subtype="community", self_values=values, edit=edit)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("stored", "number_format", "value", "shown"), [
    (1, "0%", Decimal(100), "100%"),
    (0.945, "0.0%", Decimal("94.5"), "94.5%"),
    (0.9512, "0.00%", Decimal("95.12"), "95.12%"),
    (0.85, "0%", Decimal(85), "85%"),
    (0.9, '0%;[Red]-0%', Decimal(90), "90%"),
    (95, "0", Decimal(95), "95"),  # a number format without % changes nothing
])
def test_percent_formatted_cell_reads_as_the_percentage_shown(
    tmp_path: Path, reader: str, stored: Any, number_format: str, value: Decimal, shown: str
) -> None:
    evidence = read_evidence(_community(tmp_path, stored, number_format), mini_rubric(), reader=reader)
    assert evidence.values["satisfaction"] == value
    assert evidence.cells["satisfaction"].value == shown
    card = score(mini_rubric(), evidence)
    lost = [d.reason for item in card.items for d in item.deductions]
    assert ("满意率低" in lost) is (value < 90)


@pytest.mark.parametrize("reader", READERS)
def test_percent_cell_in_verified_column(tmp_path: Path, reader: str) -> None:
    evidence = read_evidence(_community(tmp_path, 1, "0%", column="H"), mini_rubric(), reader=reader)
    assert evidence.values["satisfaction"] == Decimal(100)
    assert evidence.cells["satisfaction"].cell == f"H{data_row(mini_rubric(), 'satisfaction')}"


@pytest.mark.parametrize("reader", READERS)
def test_fraction_without_percent_format_is_ambiguous(tmp_path: Path, reader: str) -> None:
    with pytest.raises(EvidenceError) as info:
        read_evidence(_community(tmp_path, "0.945", None), mini_rubric(), reader=reader)
    row = data_row(mini_rubric(), "satisfaction")
    assert [(p.where, p.message) for p in info.value.problems] == [(
        f"{F} 考评数据!G{row}",
        "“居民满意率”的值“0.945”含义不明确：如为 94.5%，请填写 94.5 或 94.5%；如确为 0.945%，请填写 0.945%",
    )]


@pytest.mark.parametrize("reader", READERS)
def test_percent_format_on_a_count(tmp_path: Path, reader: str) -> None:
    rubric = mini_rubric()
    cell = f"G{data_row(rubric, 'members')}"

    def edit(workbook: Workbook) -> None:
        workbook[DATA_SHEET][cell].number_format = "0%"

    path = write_workbook(tmp_path / F, rubric, self_values={**full_values(rubric, "village"), "members": 0.05},
                          edit=edit)
    with pytest.raises(EvidenceError) as info:
        read_evidence(path, rubric, reader=reader)
    assert [(p.where, p.message) for p in info.value.problems] == [(
        f"{F} 考评数据!{cell}",
        "“正式党员人数”的单元格设置了百分比格式（显示为 5%），但该项不是百分比；"
        "请把单元格格式改为“常规”后重新填写，应填写不小于 0 的整数（单位：名）",
    )]


def _libreoffice(source: Path, out: Path, profile: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "fods" if source.suffix == ".xlsx" else "xlsx:Calc MS Excel 2007 XML",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    return out / (source.stem + (".fods" if source.suffix == ".xlsx" else ".xlsx"))


_PERCENT_STYLE = (
    '<number:percentage-style style:name="Npct"><number:number number:decimal-places="0" '
    'number:min-decimal-places="0" number:min-integer-digits="1"/><number:text>%</number:text>'
    '</number:percentage-style><style:style style:name="cePct" style:family="table-cell" '
    'style:parent-style-name="Default" style:data-style-name="Npct"/>'
)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_workbook_with_100_percent_typed(tmp_path: Path) -> None:
    rubric = find_bundled("village")
    assert rubric is not None
    marker = 77.25  # a value found nowhere else in the sheet, replaced by a typed 100%
    plain = write_workbook(tmp_path / "plain.xlsx", rubric, self_values={**full_values(rubric, "village"),
                                                                        "satisfaction": 100})
    source = write_workbook(tmp_path / "村.xlsx", rubric, self_values={**full_values(rubric, "village"),
                                                                      "satisfaction": marker})
    flat = _libreoffice(source, tmp_path / "fods", tmp_path / "lo")
    text = flat.read_text(encoding="utf-8")
    cell = ('<table:table-cell office:value-type="float" office:value="77.25" calcext:value-type="float">\n'
            '      <text:p>77.25</text:p>')
    assert text.count(cell) == 1
    text = text.replace(cell, '<table:table-cell table:style-name="cePct" office:value-type="percentage" '
                              'office:value="1" calcext:value-type="percentage">\n      <text:p>100%</text:p>')
    text = text.replace("<office:automatic-styles>", "<office:automatic-styles>" + _PERCENT_STYLE, 1)
    flat.write_text(text, encoding="utf-8")
    saved = _libreoffice(flat, tmp_path / "xlsx", tmp_path / "lo")
    expected = score(rubric, read_evidence(plain, rubric))
    for reader in READERS:
        evidence = read_evidence(saved, rubric, reader=reader)
        assert evidence.values["satisfaction"] == Decimal(100)
        assert evidence.cells["satisfaction"].value == "100%"
        card = score(rubric, evidence)
        assert not [v for v in card.vetoes if "满意" in v.reason]
        assert (card.total, card.tier) == (expected.total, expected.tier)
        assert [v.reason for v in card.vetoes] == [v.reason for v in expected.vetoes]


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(("stored", "number_format", "value", "warning"), [
    (89.6, "0", Decimal("89.6"), "“居民满意率”显示为 90，单元格中的数值是 89.6，按 89.6 计分"),
    (0.8995, "0%", Decimal("89.95"), "“居民满意率”显示为 90%，单元格中的数值是 89.95%，按 89.95 计分"),
    (0.8995, "0.00%", Decimal("89.95"), None),
    (95.5, "0.00", Decimal("95.5"), None),
])
def test_a_number_shown_with_fewer_decimals_is_scored_as_stored_and_said(
    tmp_path: Path, reader: str, stored: float, number_format: str, value: Decimal, warning: str | None
) -> None:
    """A format that hides decimals does not change the score (the standard counts what the
    cell holds), but the user is told what was scored, in terms of what the cell shows."""
    evidence = read_evidence(_community(tmp_path, stored, number_format), mini_rubric(), reader=reader)
    assert evidence.values["satisfaction"] == value
    cell = f"考评数据!G{data_row(mini_rubric(), 'satisfaction')}"
    assert evidence.warnings == ([f"{cell}{warning}"] if warning else [])
    card = score(mini_rubric(), evidence)
    assert ("满意率低" in [d.reason for item in card.items for d in item.deductions]) is (value < 90)


@pytest.mark.parametrize("reader", READERS)
def test_percent_cell_without_an_address(tmp_path: Path, reader: str) -> None:
    """A cell written without r (placed after the previous one) is found by the full pass
    over the sheet (formats._CellStyles) as the readers place it."""
    import re
    import zipfile

    from evidence_helpers import patch_xml

    path = _community(tmp_path, 1, "0%")
    row = data_row(mini_rubric(), "satisfaction")
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet2.xml").decode()
    cell = re.search(rf'<c r="G{row}"( s="\d+")', sheet)
    assert cell is not None
    patch_xml(path, "xl/worksheets/sheet2.xml", cell.group(0), f"<c{cell.group(1)}")
    evidence = read_evidence(path, mini_rubric(), reader=reader)
    assert evidence.values["satisfaction"] == Decimal(100)
