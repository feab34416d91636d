"""The blank evidence template: contract shape, validations, 不适用 rows, print setup, CLI."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from chuangyou.errors import RubricError, UsageError
from chuangyou.rubric import bundled_paths, load_rubric, load_rubric_text
from chuangyou.rubric.model import Rubric
from chuangyou.template import TemplateOptions, write_template
from chuangyou.template.layout import GENERAL_HEADING

HEADERS = ["类别", "项目", "分值", "指标", "填写说明", "自评值", "核定值", "佐证材料", "编号"]
SELF, VERIFIED, NUMBER = "F", "G", "I"  # 自评值, 核定值, 编号 (the reader finds them by header)
SIGN_OFF = ["填报人：＿＿＿＿＿＿＿＿　　党组织书记（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
            "乡镇（街道）审核人（签字）：＿＿＿＿＿＿＿＿　　审核日期：＿＿＿＿年＿＿月＿＿日"]
BASIC = ["组织名称", "所属乡镇（街道）", "组织类别", "组织形式", "考评年度", "考评周期", "填报人", "评定标准", "标准版本"]

TINY = """
id: tiny
name: 测试标准
version: "1.0"
total: 10
subtypes: {a: 甲类, b: 乙类}
tiers:
  - {name: 好, min: 8}
  - {name: 差, min: 0}
fields:
  gen: {label: "+综合", type: bool}
categories:
  - id: c1
    name: "=类别"
    points: 10
    items:
      - id: i1
        name: "@项目"
        points: 10
        fields:
          f1: {label: "=1+1", type: bool, hint: "-提示"}
          f2: {label: 等级, type: choice, options: ["好,很好", 一般]}
          f3: {label: 次数, type: int, min: 1, max: 12, unit: 次, applies_to: [b]}
          f4: {label: 满意率, type: number, min: 0, max: 100, unit: "%"}
          f5: {label: 备注, type: text, optional: true}
        rules:
          - deduct: 1
            when: not f1
            reason: 没有
"""


def _bundled() -> list:
    params = []
    for path in bundled_paths():
        try:
            rubric = load_rubric(path)
        except RubricError as exc:  # rubrics are still being authored by others
            params.append(pytest.param(None, id=path.stem, marks=pytest.mark.skip(reason=f"{path.name}: {exc}")))
            continue
        params.append(pytest.param(rubric, id=path.stem))
    return params


def _codes(rubric: Rubric) -> list[str]:
    return [f"{item.id if item else 'general'}.{fid}" for fid, _, item in rubric.all_fields()]


def _validation(ws: Worksheet, ref: str):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) <= 1, f"{ref} has {len(found)} validations"
    return found[0] if found else None


def _scope(rubric: Rubric, fid: str) -> set[str]:
    """Subtypes a field applies to, computed independently of the template code."""
    for category in rubric.categories:
        for item in category.items:
            if fid in item.fields:
                scopes = [category.applies_to, item.applies_to, item.fields[fid].applies_to]
                break
        else:
            continue
        break
    else:
        scopes = [rubric.fields[fid].applies_to]
    return {s for s in rubric.subtypes if all(sc is None or s in sc for sc in scopes)}


@pytest.mark.parametrize("rubric", _bundled())
def test_bundled_template_shape(rubric: Rubric, tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    result = write_template(rubric, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["基本信息", "考评数据", "填写说明"]

    basic = wb["基本信息"]
    assert [c.value for c in basic[1][:2]] == ["项目", "内容"]
    assert [basic.cell(r, 1).value for r in range(2, 11)] == BASIC
    assert basic["B9"].value == rubric.id and basic["B10"].value == rubric.version
    assert basic.protection.sheet and not basic.protection.password
    assert [basic.cell(r, 2).protection.locked for r in range(2, 11)] == [False] * 7 + [True] * 2
    subtype_dv = _validation(basic, "B4")
    assert subtype_dv.type == "list" and subtype_dv.formula1 == '"' + ",".join(rubric.subtypes.values()) + '"'
    assert _validation(basic, "B5").formula1 == '"党委,党总支,党支部"'
    assert _validation(basic, "B7").formula1 == '"上半年,全年"'

    data = wb["考评数据"]
    assert [c.value for c in data[1]] == HEADERS
    fields = rubric.all_fields()
    general = sum(1 for _, _, item in fields if item is None)
    heading = len(fields) - general + 2  # one heading row above the rubric-level block
    last = len(fields) + 2
    assert len(fields) == result.rows
    codes = _codes(rubric)
    assert [data[f"{NUMBER}{r}"].value for r in range(2, last + 1)] == [*codes[:heading - 2], None, *codes[heading - 2:]]
    assert data[f"A{heading}"].value == GENERAL_HEADING and data[f"A{heading}"].font.bold
    assert "存在的填“是”" in GENERAL_HEADING
    categories = {item.id: cat.name for cat, item in rubric.items()}
    seen_items: set[str] = set()
    for r, (fid, spec, item) in zip(_places(fields, heading), fields, strict=True):
        row = [c.value for c in data[r]]
        if item is None:
            assert row[:3] == ["综合情况", "否决及综合事项", None]
        else:
            # An item's points are shown once, on its first row.
            points = None if item.id in seen_items else int(item.points) if item.points % 1 == 0 else float(item.points)
            assert row[:3] == [categories[item.id], item.name, points]
            seen_items.add(item.id)
        assert row[3].startswith(spec.label)
        assert row[5] is None and row[6] is None  # no subtype → nothing marked 不适用
        if len(_scope(rubric, fid)) < len(rubric.subtypes):
            assert row[3].endswith("）") and "（仅" in row[3]
        _assert_field_validation(data, r, spec)
    assert data[f"{NUMBER}2"].font.color.rgb == "00808080" and data[f"{NUMBER}2"].font.size == 8
    assert data.column_dimensions[NUMBER].width == 16
    # The sign-off block under the table: no 编号, so the reader skips it.
    assert [data[f"A{r}"].value for r in range(last + 1, data.max_row + 1)] == SIGN_OFF
    assert all(data[f"{NUMBER}{r}"].value is None for r in range(last + 1, data.max_row + 1))
    assert data.print_area == f"'考评数据'!$A$1:$I${data.max_row}"
    assert data.auto_filter.ref == f"A1:I{last}"

    assert data.freeze_panes == "A2"
    assert data.print_title_rows == "$1:$1"
    setup = data.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert data.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in data.oddFooter.center.text and "&N" in data.oddFooter.center.text
    assert all(data.cell(r, 5).alignment.wrap_text for r in _places(fields, heading))
    assert data.oddHeader.center.text == f"{rubric.name}（{rubric.version}）考评数据"
    help_text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    for phrase in ("是", "否", "核定值", "编号", "（仅……）", rubric.name):
        assert phrase in help_text


def _places(fields: list, heading: int) -> list[int]:
    """Sheet rows of the fields: from row 2, skipping the heading row."""
    return [r if r < heading else r + 1 for r in range(2, len(fields) + 2)]


def _assert_field_validation(ws: Worksheet, row: int, spec) -> None:
    for col in (SELF, VERIFIED):
        dv = _validation(ws, f"{col}{row}")
        if spec.type == "text":
            assert dv is None
        elif spec.type == "bool":
            assert (dv.type, dv.formula1) == ("list", '"是,否"')
        elif spec.type == "choice":
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(spec.options) + '"'
        else:
            assert dv.type == ("whole" if spec.type == "int" else "decimal")
            low = Decimal(0) if spec.type == "score" and spec.min is None else spec.min
            bounds = [Decimal(f) for f in (dv.formula1, dv.formula2) if f is not None]
            if low is not None and spec.max is not None:
                assert (dv.operator, bounds) == ("between", [low, spec.max])
            elif low is not None:
                assert (dv.operator, bounds) == ("greaterThanOrEqual", [low])
            assert dv.showErrorMessage and dv.error.startswith("输入的值不符合要求：")
        if dv is not None:
            assert dv.showInputMessage and dv.prompt and dv.errorStyle == "stop"
    assert ws[f"{SELF}{row}"].number_format == "General"


@pytest.mark.parametrize("rubric", _bundled())
def test_subtype_marks_not_applicable_rows(rubric: Rubric, tmp_path: Path) -> None:
    for index, (subtype, label) in enumerate(rubric.subtypes.items()):
        out = tmp_path / f"{subtype}.xlsx"
        # The label and the id are both accepted.
        write_template(rubric, out, TemplateOptions(subtype=label if index % 2 else subtype))
        wb = load_workbook(out)
        assert wb["基本信息"]["B4"].value == label
        data = wb["考评数据"]
        row_of = {data[f"{NUMBER}{r}"].value: r for r in range(2, data.max_row + 1)}
        for code, (fid, _, _) in zip(_codes(rubric), rubric.all_fields(), strict=True):
            r = row_of[code]
            values = (data[f"{SELF}{r}"].value, data[f"{VERIFIED}{r}"].value)
            if subtype in _scope(rubric, fid):
                assert values == (None, None)
                assert "（仅" not in data[f"D{r}"].value
            else:
                assert values == ("不适用", "不适用"), data[f"{NUMBER}{r}"].value
                assert _validation(data, f"{SELF}{r}") is None and _validation(data, f"{VERIFIED}{r}") is None
                assert data[f"{SELF}{r}"].fill.fgColor.rgb == "00D9D9D9"


def test_village_urban_community_rows(tmp_path: Path) -> None:
    rubric = load_rubric(next(p for p in bundled_paths() if p.stem == "village"))
    result = write_template(rubric, tmp_path / "t.xlsx", TemplateOptions(subtype="城市社区"))
    data = load_workbook(tmp_path / "t.xlsx")["考评数据"]
    marked = [data[f"{NUMBER}{r}"].value for r in range(2, data.max_row + 1) if data[f"{SELF}{r}"].value == "不适用"]
    assert marked == ["training.station_admin", "training.station_equipment", "general.no_candidate_years"]
    assert result.not_applicable == 3 and result.subtype == "urban_community"


def test_tiny_rubric_rows_and_text_safety(tmp_path: Path) -> None:
    rubric = load_rubric_text(TINY)
    out = tmp_path / "t.xlsx"
    options = TemplateOptions(name="=HYPERLINK(\"http://x\")", township="#N/A", form="党支部", year=2026, period="全年")
    write_template(rubric, out, options)
    wb = load_workbook(out)
    data = wb["考评数据"]
    rows = [[c.value for c in row] for row in data.iter_rows(min_row=2, max_row=8)]
    assert rows == [
        ["=类别", "@项目", 10, "=1+1", "-提示；应填写 是 或 否。", None, None, None, "i1.f1"],
        ["=类别", "@项目", None, "等级", "应从下拉列表中选择：好,很好、一般。", None, None, None, "i1.f2"],
        ["=类别", "@项目", None, "次数（次）（仅乙类）", "应填写 1～12 之间的整数（单位：次）。", None, None, None, "i1.f3"],
        ["=类别", "@项目", None, "满意率（%）", "应填写 0～100 之间的数字（单位：%）。", None, None, None, "i1.f4"],
        ["=类别", "@项目", None, "备注", "应填写文字说明。（选填）", None, None, None, "i1.f5"],
        [GENERAL_HEADING, None, None, None, None, None, None, None, None],
        ["综合情况", "否决及综合事项", None, "+综合", "应填写 是 或 否。", None, None, None, "general.gen"],
    ]
    # The organization's name leads the page header of every sheet.
    assert [wb[name].oddHeader.center.text for name in ("基本信息", "考评数据", "填写说明")] == [
        '=HYPERLINK("http://x")　测试标准 基本信息', '=HYPERLINK("http://x")　测试标准（1.0）考评数据',
        '=HYPERLINK("http://x")　测试标准 填写说明',
    ]
    basic = wb["基本信息"]
    assert [basic[f"B{r}"].value for r in range(2, 11)] == [
        '=HYPERLINK("http://x")', "#N/A", None, "党支部", 2026, "全年", None, "tiny", "1.0",
    ]
    assert basic["B2"].data_type == basic["B3"].data_type == data["A2"].data_type == "s"
    with zipfile.ZipFile(out) as archive:  # no formula or error cell anywhere
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert "<f>" not in xml and "<f " not in xml and 't="e"' not in xml
    # The comma in “好,很好” cannot sit in a literal list: the options go to a hidden sheet.
    assert wb["下拉选项"].sheet_state == "hidden"
    assert [c.value for c in wb["下拉选项"]["A"]] == ["好,很好", "一般"]
    assert _validation(data, "F3").formula1 == "'下拉选项'!$A$1:$A$2"
    f3 = _validation(data, "F4")
    assert (f3.type, f3.operator, f3.formula1, f3.formula2) == ("whole", "between", "1", "12")
    assert "不要输入 % 号" in _validation(data, "G5").prompt
    assert _validation(data, "F6") is None  # free text
    assert _validation(data, "F7") is None and _validation(data, "F8").formula1 == '"是,否"'  # heading, gen


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    rubric = load_rubric_text(TINY)
    out = tmp_path / "已填写.xlsx"
    out.write_bytes(b"filled")
    with pytest.raises(UsageError) as caught:
        write_template(rubric, out)
    assert caught.value.message == (
        f"文件 {out} 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖"
    )
    assert out.read_bytes() == b"filled"
    write_template(rubric, out, force=True)
    assert load_workbook(out).sheetnames[:3] == ["基本信息", "考评数据", "填写说明"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["已填写.xlsx"]  # no temp file left


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (TemplateOptions(subtype="丙类"), "评定标准“测试标准”中没有组织类别“丙类”。可选：甲类（a）、乙类（b）"),
        (TemplateOptions(form="支部"), "组织形式“支部”无效，应为：党委、党总支、党支部"),
        (TemplateOptions(period="下半年"), "考评周期“下半年”无效，应为：上半年、全年"),
        (TemplateOptions(year=26), "考评年度“26”无效，应为四位数的年份，如 2026"),
    ],
)
def test_bad_options(options: TemplateOptions, message: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write_template(load_rubric_text(TINY), tmp_path / "t.xlsx", options)
    assert caught.value.message == message
    assert not (tmp_path / "t.xlsx").exists()


def test_output_must_be_xlsx(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        write_template(load_rubric_text(TINY), tmp_path / "t.xls")
    assert caught.value.message == f"输出文件 {tmp_path / 't.xls'} 应以 .xlsx 结尾（Excel 工作簿），如 -o 模板.xlsx"


def _run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from chuangyou.cli.main import main

    with pytest.raises(SystemExit) as caught:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(caught.value.code or 0), out.out, out.err


def test_cli_writes_and_confirms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric_file = tmp_path / "tiny.yaml"
    rubric_file.write_text(TINY, encoding="utf-8")
    out = tmp_path / "甲.xlsx"
    args = ["template", "--rubric", str(rubric_file), "-o", str(out), "--subtype", "甲类",
            "--name", "某党支部", "--township", "城关镇", "--form", "党支部", "--year", "2026"]
    code, stdout, _ = _run_cli(args, capsys)
    assert code == 0
    assert stdout.splitlines() == [
        f"已生成模板：{out}",
        "评定标准：测试标准（tiny，版本 1.0）",
        "考评数据：6 行（组织类别“甲类”，其中 1 行不适用，已标灰）",
    ]
    basic = load_workbook(out)["基本信息"]
    assert [basic[f"B{r}"].value for r in range(2, 8)] == ["某党支部", "城关镇", "甲类", "党支部", 2026, None]

    code, stdout, stderr = _run_cli(args, capsys)  # again: the file exists now
    assert code == 2 and stdout == ""
    assert stderr == f"错误：文件 {out} 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖\n"
    code, _, _ = _run_cli([*args, "--force"], capsys)
    assert code == 0


def test_cli_unknown_rubric(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = _run_cli(["template", "--rubric", "nosuch", "-o", str(tmp_path / "t.xlsx")], capsys)
    assert code == 2 and stderr.startswith("错误：未找到评定标准“nosuch”")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) 未安装")
@pytest.mark.parametrize("rubric", _bundled())
def test_libreoffice_prints_template(rubric: Rubric, tmp_path: Path) -> None:
    """LibreOffice opens the template; every printed data page has the header and all columns."""
    src = tmp_path / "模板.xlsx"
    write_template(rubric, src, TemplateOptions(name="东关村党支部", subtype=next(iter(rubric.subtypes))))
    profile = (tmp_path / "lo-profile").as_uri()
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = tmp_path / "模板.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    data_pages = [p for p in pages if f"（{rubric.version}）考评数据" in p]  # the page header
    assert all("核定值" in p and "佐证材料" in p and "编号" in p for p in data_pages)
    assert len(data_pages) >= 2, "考评数据 spans pages, each repeating the header row"
    assert "组织名称" in pages[0] and rubric.id in pages[0]
    assert all("共" in p and "页" in p for p in pages if p.strip())
    assert all("东关村党支部" in p for p in pages if p.strip())  # every printed page names its organization
    assert "党组织书记（签字）" in data_pages[-1] and "乡镇（街道）审核人（签字）" in data_pages[-1]
    printed = "".join(data_pages)
    assert all(code[:14] in printed for code in _codes(rubric))  # long 编号 wrap inside the cell
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert _words_outside_page(bbox) == []


def _words_outside_page(bbox_html: str) -> list[str]:
    """Words that do not lie wholly on their page (a cut column would show up here)."""
    import re

    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox_html, re.S):
        width, height = float(page[1]), float(page[2])
        for word in re.finditer(r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<', page[3]):
            x0, y0, x1, y1 = (float(word[i]) for i in range(1, 5))
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                outside.append(word[5])
    return outside


# ---- round trip: template → filled with openpyxl → evidence reader → engine ----------------


def _reader():
    module = pytest.importorskip("chuangyou.evidence", reason="证明材料读取模块尚未完成")
    if not hasattr(module, "read_evidence"):
        pytest.skip("chuangyou.evidence.read_evidence 尚未完成")
    return module.read_evidence


def _cell(value):
    """A value as a user would type it into Excel."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int | float):
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def _fill(path: Path, verified: dict, self_values: dict) -> None:
    wb = load_workbook(path)
    basic, data = wb["基本信息"], wb["考评数据"]
    basic["B2"], basic["B5"], basic["B6"] = "测试党支部", basic["B5"].value or "党支部", 2026
    for row in data.iter_rows(min_row=2):
        if row[8].value is None:
            continue  # the sign-off block
        fid = row[8].value.split(".", 1)[1]
        if row[5].value == "不适用":
            continue
        if self_values.get(fid) is not None:
            row[5].value = _cell(self_values[fid])
        if fid in verified and verified[fid] != self_values.get(fid) and verified[fid] is not None:
            row[6].value = _cell(verified[fid])
    wb.save(path)


def test_round_trip_tiny_rubric(tmp_path: Path) -> None:
    from chuangyou.engine import score

    read_evidence = _reader()
    rubric = load_rubric_text(TINY)
    path = tmp_path / "甲.xlsx"
    write_template(rubric, path, TemplateOptions(name="某党支部", subtype="甲类", form="党支部"))
    wb = load_workbook(path)
    data = wb["考评数据"]
    data["F2"], data["G2"] = "是", "否"  # 自评“是”, 核定“否” → 核定 wins: deduct 1
    data["F3"], data["F5"], data["F8"] = "一般", 96.5, "否"
    data["F4"] = "这一行不适用，读取时忽略"  # f3 applies to 乙类 only
    wb.save(path)
    card = score(rubric, read_evidence(path, rubric))
    assert (card.total, card.self_total, card.tier) == (Decimal(9), Decimal(10), "好")
    assert [(d.reason, d.points) for item in card.items for d in item.deductions] == [("没有", Decimal(1))]


def _example_cases() -> list:
    from chuangyou.rubric.examples import _resolved  # examples with `extends` inheritance applied

    cases = []
    for param in _bundled():
        rubric = param.values[0]
        if rubric is None:
            continue
        for name, (example, values, self_values, subtype, form) in _resolved(rubric).items():
            cases.append(pytest.param(rubric, example, values, self_values, subtype, form, id=f"{rubric.id}-{name}"))
    return cases


@pytest.mark.parametrize(("rubric", "example", "values", "self_values", "subtype", "form"), _example_cases())
def test_round_trip_rubric_examples(rubric, example, values, self_values, subtype, form, tmp_path: Path) -> None:
    """Each rubric example, typed into a template, scores what its author computed by hand."""
    from chuangyou.engine import score

    read_evidence = _reader()
    path = tmp_path / "样例.xlsx"
    write_template(rubric, path, TemplateOptions(subtype=subtype, form=form))
    _fill(path, values, self_values)
    card = score(rubric, read_evidence(path, rubric))
    assert (card.total, card.tier) == (example.expect.total, example.expect.tier)
    if example.expect.self_total is not None:
        assert card.self_total == example.expect.self_total


def test_old_layout_reads_the_same_as_the_template(tmp_path: Path) -> None:
    """A workbook of the earlier layout (编号 first, values in G/H) reads exactly as the
    template's (编号 last, values in F/G): the reader finds columns by header text."""
    from evidence_helpers import data_row, full_values, mini_rubric, write_workbook

    read_evidence = _reader()
    rubric = mini_rubric()
    own = {**full_values(rubric, "village"), "members": 2, "hours": 20.5, "extra": 3}
    checked = {"hours": 30, "level": "不规范"}
    old = write_workbook(tmp_path / "旧格式.xlsx", rubric, self_values=own, verified=checked)
    new = tmp_path / "新格式.xlsx"
    write_template(rubric, new, TemplateOptions(name="城关村党支部", township="城关镇", subtype="村",
                                                form="党支部", year=2026, period="全年"))
    wb = load_workbook(new)
    wb["基本信息"]["B8"] = "张三"
    data = wb["考评数据"]
    for row in data.iter_rows(min_row=2):
        if row[8].value is None:
            continue  # the heading of 否决及综合事项, the sign-off block
        fid = row[8].value.split(".", 1)[1]
        if row[5].value != "不适用":
            row[5].value, row[6].value, row[7].value = own.get(fid), checked.get(fid), "见附件"
    wb.save(new)
    before, after = read_evidence(old, rubric), read_evidence(new, rubric)
    assert after.organization == before.organization
    assert after.values == before.values and after.self_values == before.self_values
    assert before.values["hours"] == Decimal(30) and before.self_values["hours"] == Decimal("20.5")
    row = data_row(rubric, "hours")
    assert (before.cells["hours"].cell, before.self_cells["hours"].cell) == (f"H{row}", f"G{row}")
    assert (after.cells["hours"].cell, after.self_cells["hours"].cell) == (f"G{row}", f"F{row}")
    assert {f: c.value for f, c in after.cells.items()} == {f: c.value for f, c in before.cells.items()}
