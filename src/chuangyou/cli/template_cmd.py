"""`chuangyou template`: write the blank evidence workbook for a rubric."""

from __future__ import annotations

from pathlib import Path

import typer


def register(root: typer.Typer) -> None:
    root.command("template")(template)


def template(
    rubric: str | None = typer.Option(
        None, "--rubric", "-r", help="评定标准编号（如 village）或 YAML 文件路径；用 --roster 时可不给（按组织类别选用）。"
    ),
    output: Path = typer.Option(..., "--output", "-o", help="要生成的模板文件（.xlsx）；用 --roster 时为存放模板的文件夹。"),
    roster: Path | None = typer.Option(
        None, "--roster", help="花名册（.xlsx）：为其中每个组织生成一份预填好的模板，放在“文件夹/所属乡镇/组织名称.xlsx”。"
    ),
    name: str | None = typer.Option(None, "--name", help="组织名称，预先填入“基本信息”。"),
    township: str | None = typer.Option(None, "--township", help="所属乡镇（街道），预先填入“基本信息”。"),
    subtype: str | None = typer.Option(
        None, "--subtype", help="组织类别（如 村、城市社区，或其编号 village）；给出后不适用的行标为“不适用”。"
    ),
    form: str | None = typer.Option(None, "--form", help="组织形式：党委、党总支或党支部。"),
    year: int | None = typer.Option(None, "--year", help="考评年度，如 2026。"),
    period: str | None = typer.Option(None, "--period", help="考评周期：上半年或全年。"),
    force: bool = typer.Option(False, "--force", help="输出文件已存在时覆盖它（默认不覆盖）。"),
) -> None:
    """生成空白的证明材料填报模板（Excel 工作簿）：基本信息、考评数据（每个考评指标一行，带下拉选项和数值范围）和填写说明。

    用 --roster 时按花名册为每个组织生成一份预填好的模板：文件夹/所属乡镇/组织名称.xlsx。

    示例：chuangyou template --rubric village --subtype 村 -o 某村.xlsx ；chuangyou template --roster 花名册.xlsx -o 证明材料/ --year 2026
    """
    from chuangyou.cli.output import console
    from chuangyou.errors import UsageError
    from chuangyou.rubric import resolve
    from chuangyou.template import TemplateOptions, write_template

    if roster is not None:
        given = {"--name": name, "--township": township, "--subtype": subtype, "--form": form}
        clash = [option for option, value in given.items() if value is not None]
        if clash:
            raise UsageError(f"{'、'.join(clash)} 不能与 --roster 同时使用：这些信息取自花名册")
        from chuangyou.cli.template_roster import templates_for_roster

        templates_for_roster(roster, rubric, output, year=year, period=period, force=force)
        return
    if rubric is None:
        raise UsageError("请用 --rubric 指定评定标准（如 --rubric village），或用 --roster 按花名册生成")
    loaded = resolve(rubric)
    options = TemplateOptions(
        name=name, township=township, subtype=subtype, form=form, year=year, period=period
    )
    result = write_template(loaded, output, options, force=force)
    lines = [
        f"已生成模板：{result.path}",
        f"评定标准：{loaded.name}（{loaded.id}，版本 {loaded.version}）",
    ]
    rows = f"考评数据：{result.rows} 行"
    if result.subtype is not None:
        label = loaded.subtypes[result.subtype]
        rows += f"（组织类别“{label}”，其中 {result.not_applicable} 行不适用，已标灰）"
    lines.append(rows)
    out = console()
    for line in lines:
        out.print(line, markup=False, highlight=False)
