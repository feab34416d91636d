"""`chuangyou notice`: the 公示 notice of the example township, read back with python-docx.

Expected lists come from the hand-checked tier list of test_tierlist_township (TIER_LIST:
group, rank, name, …, final tier): the notice lists each tier's organizations in the order
of the printed 等级名单 (township, then group and rank), the held case (王家湾村) not at all.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from chuangyou.documents import DocConfig, write_notice
from chuangyou.documents.word import title_lines
from chuangyou.errors import UsageError
from chuangyou.export import load_results
from documents_helpers import east_asian, mm, run, texts, township_results
from test_tierlist_township import TIER_LIST, A, B, C, D

TIERS = (A, B, C, D)
LISTED = {tier: [row[2] for row in TIER_LIST if row[7] == tier] for tier in TIERS}
NUMBERS = "一二三四"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return township_results(tmp_path_factory.mktemp("results"))


def notice(results: Path, tmp_path: Path, *extra: str) -> tuple[Any, str]:
    path = tmp_path / "公示.docx"
    code, out, err = run(["notice", str(results), "-o", str(path), *extra])
    assert code == 0, err
    return Document(str(path)), out


def listing(doc: Any) -> dict[str, list[str]]:
    """Tier → the names listed under its heading (“一、优秀党支部（9个）”, then “1．名称”: one
    township, so its name is not repeated on every line)."""
    found: dict[str, list[str]] = {}
    current = None
    for text in texts(doc):
        heading = re.fullmatch(r"[一二三四]、(.+)（(\d+)个）", text)
        if heading:
            current = heading.group(1)
            found[current] = []
            assert int(heading.group(2)) == LISTED[current].__len__()
        elif current and (item := re.fullmatch(r"(\d+)．(.+)", text)):
            assert int(item.group(1)) == len(found[current]) + 1
            found[current].append(item.group(2))
        elif text.startswith("公示时间"):
            current = None
    return found


def test_page_is_a4_with_gbt9704_margins(results: Path, tmp_path: Path) -> None:
    doc, out = notice(results, tmp_path)
    assert out.strip() == f"已写出公示：{tmp_path / '公示.docx'}（{A} 9 个、{B} 8 个、{C} 8 个、{D} 3 个）"
    section = doc.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
        37, 35, 28, 26]


def test_title_and_body_fonts(results: Path, tmp_path: Path) -> None:
    doc, _ = notice(results, tmp_path)
    title = doc.paragraphs[0]
    # Too long for one line of 2号 (20 characters): two balanced lines, broken between words.
    assert title.text == "关于2026年度基层党组织\n争先创优评定结果的公示"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {(east_asian(r), r.font.size) for r in title.runs} == {("方正小标宋简体", Pt(22))}
    body = [p for p in doc.paragraphs[2:] if p.runs and not re.match("[一二三四]、", p.text)]
    assert body and {(east_asian(r), r.font.size) for p in body for r in p.runs} == {("仿宋_GB2312", Pt(16))}
    for p in body:
        assert p.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert 28 <= p.paragraph_format.line_spacing.pt <= 29
    headings = [p for p in doc.paragraphs if re.match("[一二三四]、", p.text)]
    assert {(east_asian(r), r.font.size) for p in headings for r in p.runs} == {("黑体", Pt(16))}
    # Every style too: text typed later in Word keeps the 公文 fonts.
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    fallbacks = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable").blob.decode()
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fallbacks


def test_list_by_tier(results: Path, tmp_path: Path) -> None:
    doc, _ = notice(results, tmp_path)
    assert listing(doc) == LISTED
    assert not any("王家湾村" in t for t in texts(doc))  # held: not published
    assert texts(doc)[2].startswith(
        f"根据基层党组织争先创优评定工作安排，经党组织自查申报、考评组考评核定，评定出2026年度{A}9个、{B}8个、{C}8个、{D}3个。"
        "现将名单予以公示（按等级排列）。")


def test_several_townships_are_named_on_each_line(results: Path, tmp_path: Path) -> None:
    ranking, _ = load_results(results)
    entries = list(ranking.entries())
    entries[0].township = "东关街道"
    write_notice(tmp_path / "公示.docx", ranking, DocConfig())
    lines = texts(Document(str(tmp_path / "公示.docx")))
    assert f"1．{entries[0].name}（东关街道）" in lines and "2．城关镇中心小学党总支（城关镇）" in lines
    assert lines[2].endswith("现将名单予以公示（按等级排列，括号内为所属乡镇〔街道〕）。")


@pytest.mark.parametrize(("text", "lines"), [
    ("关于2026年度基层党组织争先创优评定结果的公示", ["关于2026年度基层党组织", "争先创优评定结果的公示"]),
    ("关于城关镇2026年度基层党组织争先创优评定结果的公示", ["关于城关镇2026年度基层党组织", "争先创优评定结果的公示"]),
    ("关于先进基层党组织的公示", ["关于先进基层党组织的公示"]),
    ("关于城关镇2026年度\n先进基层党组织的公示", ["关于城关镇2026年度", "先进基层党组织的公示"]),  # as written
])
def test_title_lines(text: str, lines: list[str]) -> None:
    assert title_lines(text) == lines


def test_only_some_tiers(results: Path, tmp_path: Path) -> None:
    doc, out = notice(results, tmp_path, "--tiers", A)
    assert listing(doc) == {A: LISTED[A]}
    assert out.strip().endswith(f"（{A} 9 个）")
    assert f"拟确定2026年度{A}9个" in texts(doc)[2]
    code, _, err = run(["notice", str(results), "-o", str(tmp_path / "x.docx"), "--tiers", "优秀"])
    assert (code, err.strip()) == (2, f"错误：不认识的等级：优秀；可用的等级：{A}、{B}、{C}、{D}")


def test_period_contact_issuer_and_date(results: Path, tmp_path: Path) -> None:
    config = tmp_path / "公示.yaml"
    config.write_text("title: 关于城关镇2026年度先进基层党组织的公示\nissuer: 中共城关镇委员会\n"
                      "date: 2026-12-18\ncontact: 镇党委组织办，电话 0000-1234567\ndays: 7\n", encoding="utf-8")
    doc, _ = notice(results, tmp_path, "--doc-config", str(config), "--days", "5")
    lines = texts(doc)
    assert lines[0] == "关于城关镇2026年度先进基层党组织的公示"  # 19 characters: one line
    # From Friday 18 December, five working days (the option wins over the file's 7): to Thursday the 24th.
    assert "公示时间：2026年12月18日至2026年12月24日（5个工作日）。" in lines
    assert "联系方式：镇党委组织办，电话 0000-1234567" in lines
    assert any(t.startswith("公示期间，如对公示对象有不同意见，可通过来信、来电、来访等方式向中共城关镇委员会反映。") for t in lines)
    issuer, day = doc.paragraphs[-2], doc.paragraphs[-1]
    assert (issuer.text, day.text) == ("中共城关镇委员会", "2026年12月18日")
    assert issuer.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The issuer (8 characters) is longer than the date (3 characters and 8 half-wide digits = 7):
    # the issuer two characters in from the right, the date centred under it.
    assert issuer.paragraph_format.right_indent == Pt(16 * 2)
    assert day.paragraph_format.right_indent == Pt(16 * 2.5)
    doc, _ = notice(results, tmp_path, "--doc-config", str(config), "--start", "2026-12-19")  # a Saturday
    assert "公示时间：2026年12月21日至2026年12月29日（7个工作日）。" in texts(doc)
    config.write_text("issuer: 城关镇党委\ndate: 2026年12月1日\n", encoding="utf-8")
    doc, _ = notice(results, tmp_path, "--doc-config", str(config))
    issuer, day = doc.paragraphs[-2], doc.paragraphs[-1]
    # 右空四字 for the date (3 + 7 × ½ = 6.5 characters); the issuer (5) centred over it.
    assert day.paragraph_format.right_indent == Pt(16 * 4)
    assert issuer.paragraph_format.right_indent == Pt(16 * 4.75)


def test_page_numbers_at_the_outer_corner(results: Path, tmp_path: Path) -> None:
    doc, _ = notice(results, tmp_path)
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        assert p.alignment == align
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {(east_asian(r), r.font.size) for r in p.runs} == {("宋体", Pt(14))}


def test_config_errors_name_the_line(results: Path, tmp_path: Path) -> None:
    config = tmp_path / "公示.yaml"
    config.write_text("issuer: 中共城关镇委员会\nphone: 123\ndays: 0\n", encoding="utf-8")
    code, _, err = run(["notice", str(results), "-o", str(tmp_path / "x.docx"), "--doc-config", str(config)])
    assert code == 2
    assert err.splitlines() == [
        f"错误：公示配置文件 {config} 的内容有误",
        f"  {config}:3: “days”的值有误：至少为 1",
        f"  {config}:2: 不认识的键“phone”（可用的键：title, list_title, issuer, date, start, days, contact, tiers, intro）",
    ]
    config.write_text("date: 明天\n", encoding="utf-8")
    code, _, err = run(["notice", str(results), "-o", str(tmp_path / "x.docx"), "--doc-config", str(config)])
    assert code == 2 and f"{config}:1: “date”的值有误：“明天”不是日期，应写作 2026-12-20 或 2026年12月20日" in err


def test_overwrite_policy_and_inputs(results: Path, tmp_path: Path) -> None:
    path = tmp_path / "公示.docx"
    Document().save(str(path))  # someone's own document
    code, _, err = run(["notice", str(results), "-o", str(path)])
    assert (code, err.strip()) == (
        2, f"错误：文件 {path} 已存在，且不是本工具生成的公示，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖")
    assert run(["notice", str(results), "-o", str(path), "--force"])[0] == 0
    assert run(["notice", str(results), "-o", str(path)])[0] == 0  # our own notice: replaced
    assert "chuangyou-export" in Document(str(path)).core_properties.keywords
    ranking, _ = load_results(results)
    with pytest.raises(UsageError, match="与输入文件相同"):
        write_notice(path, ranking, DocConfig(), inputs=[path])
    with pytest.raises(UsageError, match=r"应以 \.docx 结尾"):
        write_notice(tmp_path / "公示.doc", ranking, DocConfig())


def test_control_characters_from_inputs_are_removed(results: Path, tmp_path: Path) -> None:
    ranking, _ = load_results(results)
    entry = next(ranking.entries())
    entry.name = "城关镇\x07机关\ud800第一党支部"
    write_notice(tmp_path / "公示.docx", ranking, DocConfig(issuer="中共\x1b城关镇委员会"))
    lines = texts(Document(str(tmp_path / "公示.docx")))
    assert "1．城关镇机关\ufffd第一党支部" in lines and "中共城关镇委员会" in lines


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) 或 poppler 未安装")
def test_libreoffice_renders_the_notice_on_a4(results: Path, tmp_path: Path) -> None:
    notice(results, tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "公示.docx")], capture_output=True, check=True, timeout=240)
    info = subprocess.run(["pdfinfo", str(tmp_path / "公示.pdf")], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "公示.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert "城关镇机关第一党支部" in text and re.search(r"—\s*1\s*—", text)
