"""Every string written into an XML part goes through one sanitizer (chuangyou.textsafe).

Seen in review: an ESC in a file name went raw into a hyperlink target and its rels part,
and Excel refused the tier list as corrupt. Here names with every C0 control, lone
surrogates and U+FFFE/U+FFFF go through `rank -o`, `export` and `template`; every XML part
of the result must be well-formed, and openpyxl and LibreOffice must open it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree.ElementTree import fromstring

import openpyxl
import pytest

from chuangyou.textsafe import NOT_XML, uri_text, xml_text
from hostile.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CONTROLS = [chr(c) for c in range(1, 32)] + ["\x7f", "\ufffe", "\uffff"]
ODD = "".join(chr(c) for c in range(32)) + "\udfff\ud800\ufffe\uffff"  # low then high: both lone


@pytest.mark.parametrize(("text", "safe"), [
    ("东关村", "东关村"),
    ("a\tb\nc\r\nd\re", "a\tb\nc\nd\ne"),  # XML keeps tab and LF; CR is a line break
    ("村\x1b[31m党支部\x07", "村[31m党支部"),
    ("\x00\x01\x08\x0b\x0c\x0e\x1f", ""),
    ("\ufffe村\uffff", "村"),
    ("\udcff村\ud800", "\ufffd村\ufffd"),  # a byte of a non-UTF-8 file name, shown as path_text shows it
    ("\x7f\x85\u2028😀", "\x7f\x85\u2028😀"),  # legal in XML 1.0
])
def test_xml_text(text: str, safe: str) -> None:
    assert xml_text(text) == safe
    assert not NOT_XML.search(xml_text(ODD))


@pytest.mark.parametrize(("target", "encoded"), [
    ("城关镇/东风村.xlsx", "城关镇/东风村.xlsx"),
    ("a b%c#d.xlsx", "a%20b%25c%23d.xlsx"),
    ("村\x1b.xlsx", "村%1B.xlsx"),
    ("村\x7f\x85.xlsx", "村%7F%C2%85.xlsx"),
    ("村\ufffe.xlsx", "村%EF%BF%BE.xlsx"),
    ("\udcff.xlsx", "\ufffd.xlsx"),
])
def test_uri_text(target: str, encoded: str) -> None:
    assert uri_text(target) == encoded


def well_formed(path: Path) -> None:
    """What Excel checks first: every XML part of the package parses (strict expat)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                fromstring(archive.read(name))  # raises ParseError on a control character


def libreoffice_opens(path: Path, tmp_path: Path) -> str:
    """The first sheet as CSV, converted by LibreOffice headless."""
    profile = f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}"
    out = tmp_path / "lo"
    done = subprocess.run(["soffice", "--headless", "--norestore", profile, "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                           "--outdir", str(out), str(path)], capture_output=True, text=True, timeout=240)
    csv = out / (path.stem + ".csv")
    assert done.returncode == 0 and csv.is_file(), done.stderr
    return csv.read_text(encoding="utf-8")


@pytest.fixture
def odd_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """材料/ with one workbook per odd character in its file name (every C0 control but NUL,
    which no file name can hold, DEL, U+FFFE, U+FFFF) and one whose name is not UTF-8."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "材料"
    folder.mkdir()
    book = openpyxl.load_workbook(EXAMPLES / "示例-东关村党支部.xlsx")
    cell = next(v for k, v in book["基本信息"].iter_rows(min_row=2, max_col=2) if k.value == "组织名称")
    names = [f"村{c}党支部.xlsx" for c in CONTROLS] + [os.fsdecode(b"\xff\xfe.xlsx")]
    for n, name in enumerate(names):
        cell.value = f"第{n}村党支部"
        book.save(folder / name)
    return folder


def test_rank_output_with_control_characters_in_file_names(odd_folder: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rank", "材料", "-o", "名单.xlsx", "-j", "2")
    assert code == 0, err
    assert err == f"共 {len(CONTROLS) + 1} 个文件：评定 {len(CONTROLS) + 1} 个，未能评分 0 个。等级名单已写入 名单.xlsx\n"
    out = tmp_path / "名单.xlsx"
    well_formed(out)
    book = openpyxl.load_workbook(out)
    targets = {c.hyperlink.target.split("#")[0] for row in book["扣分明细"].iter_rows() for c in row if c.hyperlink}
    assert "材料\\村%1B党支部.xlsx" in targets and "材料\\村%EF%BF%BE党支部.xlsx" in targets
    assert all(not NOT_XML.search(t) for t in targets) and len(targets) == len(CONTROLS) + 1
    sources = {c.value for row in book["扣分明细"].iter_rows() for c in row if isinstance(c.value, str) and ".xlsx" in c.value}
    assert "材料/村党支部.xlsx" in sources or "材料/村[党支部.xlsx" in sources  # ESC dropped from the text shown
    if shutil.which("soffice"):
        assert "第0村党支部" in libreoffice_opens(out, tmp_path)


def test_export_of_results_with_odd_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    text = (EXAMPLES / "城关镇-2025年结果.json").read_text(encoding="utf-8")
    odd = "".join(f"\\u{ord(c):04x}" for c in ODD)  # spelled as JSON escapes: every C0, lone surrogates, U+FFFE/FFFF
    (tmp_path / "结果.json").write_text(text.replace("城关镇", "城关" + odd + "镇"), encoding="utf-8")
    code, out, err = run(capsys, "export", "结果.json", "-o", "名单.xlsx")
    assert code == 0, err
    path = tmp_path / "名单.xlsx"
    well_formed(path)
    book = openpyxl.load_workbook(path)
    shown = [c.value for row in book["等级名单"].iter_rows() for c in row if isinstance(c.value, str) and "城关" in c.value]
    assert "城关\t\n\n\ufffd\ufffd镇" in shown  # the township: tab, LF kept, CR a LF, surrogates shown as U+FFFD
    assert book.properties.subject is None or not NOT_XML.search(book.properties.subject)
    if shutil.which("soffice"):
        assert "城关镇中心小学党总支" not in (csv := libreoffice_opens(path, tmp_path)) and "中心小学党总支" in csv


def test_template_with_odd_characters_in_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "东关" + ODD + "村党支部"
    code, _, err = run(capsys, "template", "-r", "village", "-o", str(tmp_path / "模板.xlsx"),
                       "--name", name, "--township", "城\udcff关镇")
    assert code == 0, err
    well_formed(tmp_path / "模板.xlsx")
    book = openpyxl.load_workbook(tmp_path / "模板.xlsx")
    values = {c.value for row in book["基本信息"].iter_rows() for c in row}
    assert "东关\t\n\n\ufffd\ufffd村党支部" in values and "城\ufffd关镇" in values
