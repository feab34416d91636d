"""`chuangyou feedback` and `chuangyou rectify` on the example township, read back with python-docx.

Each card's deductions come from the results file itself (the scores were checked by hand
in test_tierlist_township and test_examples); the test asserts that the documents carry
every one of them, with its reason, its evidence cells and the clause texts of the bundled
rubric, and that the right organizations get a 整改通知书.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt

from chuangyou.documents.feedback import flat
from chuangyou.export import load_results
from chuangyou.export.common import cell_label
from chuangyou.export.details import reason_text
from chuangyou.rubric import resolve
from chuangyou.scorecard import fmt
from documents_helpers import cell_texts, east_asian, mm, run, texts, township_results
from test_tierlist_township import AWARD_ROW, RECTIFY_ORDER, TIER_LIST, TOTAL_DEDUCTIONS, C, D

ORGANIZATIONS = 29


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return township_results(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="module")
def folder(results: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feedback") / "反馈表"
    code, stdout, err = run(["feedback", str(results), "-o", str(out)])
    assert code == 0, err
    assert stdout.strip() == f"已写出反馈表 {ORGANIZATIONS} 份：{out}（按乡镇分文件夹；合订本 {out / '全部反馈表.docx'}）"
    return out


def test_one_file_per_organization_in_township_folders(folder: Path) -> None:
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.docx"))
    names = sorted(f"城关镇/{row[2]}.docx" for row in TIER_LIST)
    assert files == sorted([*names, "全部反馈表.docx"])


def test_every_deduction_with_its_clause_and_cell(results: Path, folder: Path) -> None:
    ranking, _ = load_results(results)
    clauses = {g.rubric_id: {f"{c.id}.{i.id}": (flat(i.standard), flat(i.method or "")) for c, i in resolve(g.rubric_id).items()}
               for g in ranking.groups}
    checked = 0
    for group in ranking.groups:
        for entry in group.entries:
            card = entry.card
            assert card is not None
            doc = Document(str(folder / "城关镇" / f"{entry.name}.docx"))
            cells = "\n".join(cell_texts(doc))
            assert f"{fmt(card.total)} 分" in cells and entry.tier in cells
            for item in card.items:
                for d in item.deductions:
                    assert f"{reason_text(d)}（扣 {fmt(d.points)} 分）" in cells, (entry.name, d.reason)
                    for ref in d.evidence:
                        assert f"{cell_label(ref)}（{ref.label or ref.field}：{ref.value}）" in cells
                    standard, method = clauses[group.rubric_id][item.id]
                    assert f"标准：{standard}" in cells and (not method or f"考评方式：{method}" in cells)
                    checked += 1
            for category in card.categories:
                assert f"{fmt(category.score)}／{fmt(category.points)}" in cells
    assert checked == TOTAL_DEDUCTIONS
    award = "\n".join(cell_texts(Document(str(folder / "城关镇" / f"{AWARD_ROW[0]}.docx"))))
    assert f"{AWARD_ROW[3]}（加 1 分）" in award


def test_a_capped_organization_says_why(folder: Path) -> None:
    doc = Document(str(folder / "城关镇" / "石门村党支部.docx"))
    lines = texts(doc)
    assert "党组织书记出缺超过3个月（最高评为软弱涣散党支部）（依据：考评数据!F79（党组织书记出缺月数：5））" in lines
    assert "否决条件：党组织书记出缺超过3个月，等级由良好党支部调整为软弱涣散党支部" in lines
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[3] == ["考评年度", "2026", "排名", "第 9 名（共 14 个）"]
    assert rows[5] == ["自评总分", "82 分", "核定总分", "82 分"]
    assert [t for t in lines if "签" in t] == [
        "考评组成员签字：" + "\u3000" * 12 + "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日",
        "党组织书记签收：" + "\u3000" * 12 + "日期：\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"]
    title = doc.paragraphs[0]
    assert title.text == "2026年度基层党组织争先创优评定结果反馈表"
    assert {(east_asian(r), r.font.size) for r in title.runs} == {("方正小标宋简体", Pt(18))}
    assert (mm(doc.sections[0].page_width), mm(doc.sections[0].page_height)) == (210, 297)


def test_all_in_one_file_a_section_each(folder: Path) -> None:
    doc = Document(str(folder / "全部反馈表.docx"))
    assert len(doc.sections) == ORGANIZATIONS
    titles = [t for t in texts(doc) if t.endswith("评定结果反馈表")]
    assert len(titles) == ORGANIZATIONS
    for section in doc.sections[1:]:
        assert section.start_type == 2  # WD_SECTION.NEW_PAGE
        assert section._sectPr.xpath("./w:pgNumType/@w:start") == ["1"]  # each organization's pages from 1


def test_feedback_refuses_a_file_as_folder(results: Path, tmp_path: Path) -> None:
    code, _, err = run(["feedback", str(results), "-o", str(tmp_path / "反馈表.docx")])
    assert (code, err.strip()) == (2, "错误：反馈表会按组织各写一个文件，-o 应给出文件夹，而不是“反馈表.docx”")


def _notified(doc: Document) -> list[str]:
    lines = texts(doc)
    return [lines[n + 2].rstrip("：") for n, t in enumerate(lines) if t == "整改通知书"]


def test_rectify_the_two_lowest_tiers(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "整改通知书.docx"
    code, stdout, err = run(["rectify", str(results), "-o", str(out)])
    assert code == 0, err
    held = "王家湾村党支部"  # 待定: decided separately, no notice yet
    expected = [name for name in RECTIFY_ORDER if name != held]
    assert stdout.strip() == f"已写出整改通知书：{out}（{len(expected)} 个组织）"
    doc = Document(str(out))
    assert _notified(doc) == expected
    assert len(doc.sections) == len(expected)
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert headers == [["序号", "存在问题", "标准要求", "整改措施", "责任人", "完成时限"]] * len(expected)
    shimen = doc.tables[expected.index("石门村党支部")]
    rows = [[c.text for c in row.cells] for row in shimen.rows]
    standards = {f"{c.id}.{i.id}": flat(i.standard) for c, i in resolve("village").items()}
    assert rows[1] == ["1", "班子队伍建设-班子职数（失 2 分）：班子长期不健全（扣 2 分）", standards["team.team_size"], "", "", ""]
    assert rows[-1][1] == "否决情形：党组织书记出缺超过3个月（最高评为软弱涣散党支部）（依据：考评数据!F79（党组织书记出缺月数：5））"
    assert len(rows) == 1 + 15 + 1  # 15 items lost and the veto
    assert any(t.startswith("整改销号：") for t in texts(doc))


def test_rectify_chosen_tiers_keep_every_weak_one(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "整改通知书.docx"
    assert run(["rectify", str(results), "-o", str(out), "--tiers", D])[0] == 0
    weak = [row[2] for row in TIER_LIST if row[7] == D]
    assert sorted(_notified(Document(str(out)))) == sorted(weak)
    # --tiers 一般党支部 still lists every 软弱涣散 one (石门村 scored 82 but is capped to it).
    assert run(["rectify", str(results), "-o", str(out), "--tiers", C, "--force"])[0] == 0
    chosen = _notified(Document(str(out)))
    assert set(chosen) == {row[2] for row in TIER_LIST if row[7] in (C, D)} and "石门村党支部" in chosen


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) 或 poppler 未安装")
def test_libreoffice_renders_feedback_and_rectify(results: Path, folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "整改通知书.docx"
    assert run(["rectify", str(results), "-o", str(out)])[0] == 0
    single = folder / "城关镇" / "北关村党支部.docx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out), str(single)], capture_output=True, check=True, timeout=240)
    for pdf in (tmp_path / "整改通知书.pdf", tmp_path / "北关村党支部.pdf"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True).stdout.decode()
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(tmp_path / "北关村党支部.pdf")], capture_output=True, check=True).stdout.decode()).group(1))
    assert pages <= 2  # 8 items lost: a typical organization
