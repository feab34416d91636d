"""read_evidence: one workbook → Evidence, or one EvidenceError listing every problem."""

from __future__ import annotations

from pathlib import Path

from chuangyou.errors import EvidenceError, path_text
from chuangyou.evidence import data, info
from chuangyou.evidence.cells import Problems
from chuangyou.evidence.package import open_package
from chuangyou.evidence.workbook import read_grids
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import Evidence, Organization

SHEETS = (info.SHEET, data.SHEET)


def read_workbook(
    path: str | Path, rubric: Rubric | None = None, *, reader: str = "auto"
) -> tuple[Rubric, Evidence]:
    """Read an evidence workbook; also return the rubric it was read against.

    Without ``rubric`` the workbook's 基本信息/评定标准 names it (bundled id, alias or name).
    A forced rubric must be the one the workbook was made for. A different 标准版本 is an
    error (the rows of another version may mean something else); a blank one is a warning.
    """
    path = Path(path)
    package = open_package(path)
    raw = read_grids(package, SHEETS, reader)
    problems = Problems(path_text(path.name))
    for sheet in SHEETS:
        if sheet not in raw.grids:
            present = "、".join(raw.sheet_names) or "无"
            problems.in_file(f"缺少工作表“{sheet}”（工作簿中的工作表：{present}）")
    sheet_info = info.read_info(raw.grids.get(info.SHEET), problems)
    chosen = info.choose_rubric(sheet_info, rubric, problems)
    if chosen is None:
        raise _failure(problems)
    warnings: list[str] = []
    info.check_version(sheet_info, chosen, problems, warnings)
    organization, subtype = _organization(sheet_info, chosen, problems)
    grid = raw.grids.get(data.SHEET)
    values = data.read_values(grid, chosen, subtype, problems) if grid is not None else data.Values()
    if problems.items or organization is None:
        raise _failure(problems)
    warnings += values.warnings
    cells = dict(values.cells)
    cells["subtype"] = sheet_info.cell_ref("subtype", info.SUBTYPE)
    cells["form"] = sheet_info.cell_ref("form", info.FORM)
    source = path_text(path)
    if source != str(path):
        warnings.append(
            f"文件名不是 UTF-8 编码，已显示为“{Path(source).name}”（多为在 Linux 上解压 Windows 压缩包所致；"
            "解压时加 -O GBK，如 unzip -O GBK 材料.zip，可得到正确的文件名）"
        )
    evidence = Evidence(
        source=source,
        organization=organization,
        rubric_ref=chosen.id,
        rubric_version=sheet_info.text(info.VERSION),
        values=values.values,
        self_values=values.self_values,
        cells=cells,
        self_cells=values.self_cells,
        warnings=warnings,
    )
    return chosen, evidence


def read_evidence(path: str | Path, rubric: Rubric | None = None, *, reader: str = "auto") -> Evidence:
    """Read an evidence workbook (see :func:`read_workbook`)."""
    return read_workbook(path, rubric, reader=reader)[1]


def _organization(
    sheet: info.Info, rubric: Rubric, problems: Problems
) -> tuple[Organization | None, str | None]:
    """The organization (None when a required row is wrong) and its subtype if known."""
    if sheet.grid is None:
        return None, None
    has_name = info.check_required(sheet, problems, info.NAME)
    subtype = info.subtype_of(sheet, rubric, problems)
    form = info.form_of(sheet, problems)
    year = info.year_of(sheet, problems)
    period = info.period_of(sheet, problems)
    if not has_name or subtype is None or form is None:
        return None, subtype
    return Organization(
        name=sheet.plain(info.NAME),
        township=sheet.plain(info.TOWNSHIP),
        subtype=subtype,
        subtype_label=rubric.subtypes[subtype],
        form=form,
        year=year,
        period=period,
        filled_by=sheet.plain(info.FILLED_BY),
        code=sheet.plain(info.CODE),
    ), subtype


def _failure(problems: Problems) -> EvidenceError:
    return EvidenceError(f"证明材料工作簿有 {len(problems.items)} 处问题", problems.items)
