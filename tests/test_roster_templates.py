"""`template --roster`: one pre-filled workbook per roster row, each scoring 100 when filled to full marks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from chuangyou.engine import score
from chuangyou.errors import UsageError
from chuangyou.evidence import read_workbook
from chuangyou.roster import RosterRow, read_roster, write_roster
from chuangyou.roster.templates import plan_paths, safe_name
from chuangyou.rubric.registry import bundled_rubrics
from cli_helpers import load_script
from cli_helpers import run_cli as _cli

ROOT = Path(__file__).resolve().parent.parent


def _examples() -> ModuleType:
    return load_script("make_examples_for_roster", ROOT / "scripts" / "make_examples.py")


# (name, township, 组织类别, 组织形式, 组织代码): every kind of organization, two townships.
ORGS = [
    ("东关村党支部", "城关镇", "村", "党支部", "GC-001"),
    ("滨河社区党委", "城关镇", "城市社区", "党委", ""),
    ("河东社区党总支", "东城街道", "村改居社区", "党总支", "DC-002"),
    ("城关市场监管所党支部", "城关镇", "机关", "党支部", ""),
    ("县医院党委", "东城街道", "事业单位", "党委", "DC-003"),
    ('华星电子有限公司党支部（"一车间"）', "东城街道", "非公企业", "党支部", ""),
    ("志愿者协会党支部", "城关镇", "社会组织", "党支部", "GC-005"),
]


def test_each_template_filled_to_full_marks_scores_100(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "花名册.xlsx"
    assert _cli(["roster", "new", "-o", str(roster)], capsys)[0] == 0
    book = load_workbook(roster)  # filled as a county clerk would, in the blank roster
    ws = book["花名册"]
    for r, org in enumerate(ORGS, 2):
        ws.cell(r, 1).value = r - 1
        for c, value in enumerate(org, 2):
            ws.cell(r, c).value = value or None
    book.save(roster)
    out = tmp_path / "证明材料"
    code, stdout, _ = _cli(["template", "--roster", str(roster), "-o", str(out), "--year", "2026",
                            "--period", "全年"], capsys)
    assert code == 0
    assert stdout.splitlines() == [f"已为花名册中的 7 个组织生成模板，保存在 {out}：", "  城关镇：4 个", "  东城街道：3 个"]
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.xlsx"))
    assert files == sorted([
        "城关镇/东关村党支部.xlsx", "城关镇/滨河社区党委.xlsx", "城关镇/城关市场监管所党支部.xlsx",
        "城关镇/志愿者协会党支部.xlsx", "东城街道/河东社区党总支.xlsx", "东城街道/县医院党委.xlsx",
        "东城街道/华星电子有限公司党支部（_一车间_）.xlsx",  # " is forbidden in Windows file names
    ])
    examples = _examples()
    for name, township, kind, form, org_code in ORGS:
        path = out / township / f"{safe_name(name)}.xlsx"
        rubric_id, extra = examples.KINDS[kind]
        members = "party_members" if rubric_id == "village" else "members"
        size = {"党委": 120, "党总支": 60}.get(form)  # a 党委 of 35 members is not 设置合理
        values = {**examples.BASES[rubric_id], **extra, **({members: size} if size else {})}
        if rubric_id == "agency" and size:
            values["fulltime_staff"] = "是"  # 党员50人以上配备专职党务干部
        book = load_workbook(path)
        basic = {row[0].value: row[1].value for row in book["基本信息"].iter_rows(min_row=2)}
        assert (basic["组织名称"], basic["所属乡镇（街道）"], basic["组织类别"], basic["组织形式"], basic["考评年度"],
                basic["考评周期"], basic["评定标准"], basic["组织代码"]) == (
            name, township, kind, form, 2026, "全年", rubric_id, org_code or None)
        data = book["考评数据"]
        assert data.oddHeader.center.text.startswith(f"{name}　")  # printouts tell organizations apart
        header = [c.value for c in data[1]]
        number, own = header.index("编号"), header.index("自评值")
        for row in data.iter_rows(min_row=2):
            if row[number].value is None:
                continue  # the sign-off block under the table
            field = row[number].value.split(".", 1)[1]
            if row[own].value != "不适用" and values.get(field) is not None:
                row[own].value = values[field]
        book.save(path)
        rubric, evidence = read_workbook(path)
        card = score(rubric, evidence)
        org = card.organization
        assert (card.total, card.tier, rubric.id) == (Decimal(100), "优秀党支部", rubric_id)
        assert (org.name, org.township, org.subtype_label, org.form, org.year, org.code) == (
            name, township, kind, form, 2026, org_code)
    code, _, err = _cli(["template", "--roster", str(roster), "-o", str(out)], capsys)
    first = [out / "城关镇" / "东关村党支部.xlsx", out / "城关镇" / "滨河社区党委.xlsx", out / "东城街道" / "河东社区党总支.xlsx"]
    assert code == 2 and err == (f"错误：已有 7 个模板文件存在（{'、'.join(map(str, first))}等），未写入任何模板："
                                 "为避免覆盖已填写的内容，请换一个文件夹；确需覆盖时加 --force\n")
    assert _cli(["template", "--roster", str(roster), "-o", str(out), "--force"], capsys)[0] == 0


@pytest.mark.parametrize(("name", "safe"), [
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("com1", "_com1"), ("党支部. ", "党支部"),
    ("   ", "未命名"), ("党" * 70, "党" * 60), ("x" * 250, "x" * 60),
])
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_two_organizations_one_file(tmp_path: Path) -> None:
    rows = [RosterRow(name="一组/二组党支部", township="城关镇", subtype_label="村", form="党支部"),
            RosterRow(name="一组_二组党支部", township="城关镇", subtype_label="村", form="党支部")]
    path = tmp_path / "花名册.xlsx"
    write_roster(path, bundled_rubrics(), rows)
    roster = read_roster(path, bundled_rubrics())
    with pytest.raises(UsageError) as caught:
        plan_paths(roster, tmp_path / "out")
    assert caught.value.message == "花名册中有组织的模板文件名相同，未生成任何模板；请把组织名称写全以便区分"
    assert [str(p) for p in caught.value.problems] == [
        f"{path} 第 3 行: “一组_二组党支部”与第 2 行“一组/二组党支部”的模板文件名相同（城关镇/一组_二组党支部.xlsx）"]


def test_roster_excludes_per_organization_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli(["template", "--roster", "x.xlsx", "-o", str(tmp_path), "--name", "某村"], capsys)
    assert code == 2 and err == "错误：--name 不能与 --roster 同时使用：这些信息取自花名册\n"
    code, _, err = _cli(["template", "-o", str(tmp_path / "a.xlsx")], capsys)
    assert code == 2 and err == "错误：请用 --rubric 指定评定标准（如 --rubric village），或用 --roster 按花名册生成\n"


@given(st.text(min_size=0, max_size=300))
def test_safe_name_is_always_a_windows_name(text: str) -> None:
    name = safe_name(text)
    assert name and not any(c in name for c in '<>:"/\\|?*') and all(ord(c) >= 32 for c in name)
    assert len(name) <= 60 and len(name.encode("utf-8", "surrogatepass")) <= 200
    assert not name.endswith((".", " ")) and name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
