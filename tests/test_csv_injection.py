"""`rank -f csv`: text cells that a spreadsheet would run as a formula get a leading ' (OWASP).

Seen in review: names starting with =, +, -, @, tab or CR went unchanged into the BOM-marked
CSV that Excel opens with a double-click.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from chuangyou.textsafe import csv_text
from hostile.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(("text", "safe"), [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tX", "'\tX"), ("\rY", "'\rY"), ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
    ("东关村党支部", "东关村党支部"), ("", ""), ("1=1", "1=1"), ("＝1", "＝1"),  # full-width: not a formula
])
def test_csv_text(text: str, safe: str) -> None:
    assert csv_text(text) == safe


NAMES = ["=1+1党支部", "+86党支部", "-1党支部", "@SUM(A1)党支部", "东关村党支部"]


def test_rank_csv_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    book = openpyxl.load_workbook(EXAMPLES / "示例-东关村党支部.xlsx")
    cells = {k.value: v for k, v in book["基本信息"].iter_rows(min_row=2, max_col=2)}
    for n, name in enumerate(NAMES):
        for label, value in (("组织名称", name), ("所属乡镇（街道）", "=A1" if n == 0 else "城关镇")):
            cells[label].value = value
            cells[label].data_type = "s"  # typed text, as Excel stores a name that starts with =
        book.save(tmp_path / "材料" / f"{n}.xlsx")
    code, out, err = run(capsys, "rank", "材料", "-f", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    by_name = {row[2]: row for row in rows[1:]}
    assert sorted(by_name) == sorted(["'=1+1党支部", "'+86党支部", "'-1党支部", "'@SUM(A1)党支部", "东关村党支部"])
    first = by_name["'=1+1党支部"]
    assert first[3] == "'=A1" and first[6] == "88.5" and first[1].isdigit()  # numbers stay numbers
    assert by_name["东关村党支部"][3] == "城关镇"
