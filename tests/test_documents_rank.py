"""`rank --notice --feedback --rectify` writes the same documents as the commands on a saved
result, and `export`/`rank` take the printed list's heading from 公示.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from docx import Document

from documents_helpers import cell_texts, run, texts, township_results

CONFIG = ("list_title: 城关镇2026年度基层党组织争先创优评定等级名单\nissuer: 中共城关镇委员会\ndate: 2026-12-21\n"
          "contact: 镇党委组织办，电话 0000-1234567\n")


def test_rank_writes_the_documents_in_the_same_run(tmp_path: Path) -> None:
    config = tmp_path / "公示.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    ranked = tmp_path / "一次运行"
    ranked.mkdir()
    code, out, err = run(["rank", "examples/城关镇", "--format", "json", "-o", str(ranked / "等级名单.xlsx"),
                          "--notice", str(ranked / "公示.docx"), "--feedback", str(ranked / "反馈表"),
                          "--rectify", str(ranked / "整改通知书.docx"), "--doc-config", str(config),
                          "--notice-tiers", "优秀党支部", "--with-scores"])
    assert code == 1, err  # 北岗村 cannot be scored
    assert len(json.loads(out)["results"]) == 29  # stdout stays the JSON: the messages go to stderr
    assert err.splitlines()[:3] == [
        f"已写出公示：{ranked / '公示.docx'}（优秀党支部 9 个）",
        f"已写出反馈表 29 份：{ranked / '反馈表'}（按乡镇分文件夹；合订本 {ranked / '反馈表' / '全部反馈表.docx'}）",
        f"已写出整改通知书：{ranked / '整改通知书.docx'}（11 个组织）",
    ]
    results = township_results(tmp_path)
    alone = tmp_path / "分别运行"
    alone.mkdir()
    assert run(["notice", str(results), "-o", str(alone / "公示.docx"), "--doc-config", str(config),
                "--tiers", "优秀党支部"])[0] == 0
    assert run(["feedback", str(results), "-o", str(alone / "反馈表")])[0] == 0
    assert run(["rectify", str(results), "-o", str(alone / "整改通知书.docx"), "--doc-config", str(config)])[0] == 0
    for name in ("公示.docx", "整改通知书.docx", "反馈表/全部反馈表.docx", "反馈表/城关镇/张庄村党支部.docx"):
        one, other = Document(str(ranked / name)), Document(str(alone / name))
        assert texts(one) == texts(other), name
        assert list(cell_texts(one)) == list(cell_texts(other)), name
    sheet = openpyxl.load_workbook(ranked / "等级名单.xlsx")["等级名单"]
    assert (sheet["A1"].value, sheet["A2"].value) == ("城关镇2026年度基层党组织争先创优评定等级名单",
                                                      "中共城关镇委员会　　2026年12月21日")
    assert [c.value for c in sheet[3]] == ["序号", "组织名称", "所属乡镇（街道）", "组织类别", "等级", "总分"]


def test_rank_refuses_a_wrong_document_name_before_scoring(tmp_path: Path) -> None:
    code, _, err = run(["rank", "examples/城关镇", "--notice", str(tmp_path / "公示.pdf")])
    assert (code, err.strip()) == (2, "错误：公示应保存为 .docx 文件（Word 文档），而不是“公示.pdf”")
    taken = tmp_path / "整改通知书.docx"
    taken.write_bytes(b"someone's file")
    code, _, err = run(["rank", "examples/城关镇", "--rectify", str(taken)])
    assert code == 2 and "不是本工具生成的整改通知书" in err
    assert taken.read_bytes() == b"someone's file"


def test_export_takes_the_heading_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "公示.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    results = township_results(tmp_path)
    out = tmp_path / "等级名单.xlsx"
    code, _, err = run(["export", str(results), "-o", str(out), "--doc-config", str(config)])
    assert code == 0, err
    sheet = openpyxl.load_workbook(out)["等级名单"]
    assert sheet["A2"].value == "中共城关镇委员会　　2026年12月21日"
    assert [c.value for c in sheet[3]] == ["序号", "组织名称", "所属乡镇（街道）", "组织类别", "等级"]
