"""`chuangyou notice | feedback | rectify RESULTS.json -o …`: the Word documents of a result."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from chuangyou.documents import DocConfig
    from chuangyou.export.common import CardLoader
    from chuangyou.export.heading import ListHeading
    from chuangyou.ranking import Ranking
    from chuangyou.rubric import Rubric

RESULTS_HELP = "用“chuangyou rank 文件夹 --format json”保存的结果文件（.json）。"
CONFIG_HELP = "公示配置文件（YAML）：标题、发布单位、日期、联系方式、公示期等，一次设定反复使用。"
DAYS_HELP = "公示期的工作日天数（默认 5，或配置文件中的 days）。"
START_HELP = "公示期的第一天，如 2026-12-21（默认为成文日期，遇周末顺延）。"
CONTACT_HELP = "受理异议的单位和联系方式，如“县委组织部组织科，电话 0000-1234567”。"
FORCE_HELP = "输出文件已存在且不是本工具生成的同类文件时，也予以覆盖。"
SCORES_HELP = "等级名单中列出总分（默认只列等级）。"
RUBRIC_HELP = "评定标准编号或 YAML 文件，可多次给出；默认按结果中记录的编号使用内置标准（用于列出条款原文）。"


@dataclass
class DocOptions:
    """What notice, feedback and rectify share; rank passes the same."""

    config: Path | None = None
    days: int | None = None
    start: str | None = None
    contact: str | None = None
    force: bool = False


def register(root: typer.Typer) -> None:
    root.command("notice")(notice)
    root.command("feedback")(feedback)
    root.command("rectify")(rectify)


def resolve_config(options: DocOptions) -> DocConfig:
    """公示.yaml if given, with the command line's options over it."""
    from chuangyou.documents import DocConfig, load_config
    from chuangyou.documents.config import parse_date
    from chuangyou.errors import UsageError

    config = load_config(options.config) if options.config is not None else DocConfig()
    changes: dict[str, Any] = {}
    if options.days is not None:
        changes["days"] = options.days
    if options.contact is not None:
        changes["contact"] = options.contact
    if options.start is not None:
        try:
            changes["start"] = parse_date(options.start)
        except ValueError as exc:
            raise UsageError(f"--start：{exc}") from None
    return config.model_copy(update=changes)


def list_heading(options: DocOptions, with_scores: bool) -> ListHeading:
    """The printed 等级名单's heading lines from 公示.yaml (list_title, issuer, date)."""
    from chuangyou.export.heading import ListHeading

    if options == DocOptions(force=options.force):  # the defaults: no documents (python-docx) to import
        return ListHeading(with_scores=with_scores)
    from chuangyou.export.common import chinese_date

    config = resolve_config(options)
    day = chinese_date(config.date) if config.date else ""
    return ListHeading(title=config.list_title or "", issuer=config.issuer, date=day, with_scores=with_scores)


def check_docx(path: Path | None, what: str) -> None:
    """Refuse a wrong -o before minutes of scoring."""
    from chuangyou.errors import UsageError

    if path is not None and path.suffix.lower() != ".docx":
        raise UsageError(f"{what}应保存为 .docx 文件（Word 文档），而不是“{path.name}”")


def tier_list(text: str | None) -> list[str] | None:
    if not text:
        return None
    from chuangyou.documents import split_tiers

    return split_tiers(text)


def _load(results: Path, rubric_refs: list[str]) -> tuple[Ranking, dict[str, Rubric], list[Path]]:
    from chuangyou.export import load_results, rubrics_for

    ranking, failures = load_results(results)
    rubrics, warnings = rubrics_for(ranking, rubric_refs)
    _warn(warnings)
    inputs = [results, *(Path(e.source) for e in ranking.entries()), *(Path(f.source) for f in failures)]
    return ranking, rubrics, inputs


def _warn(warnings: list[str]) -> None:
    from chuangyou.cli.output import console

    errors = console(stderr=True)
    for warning in warnings:
        errors.print(f"警告：{warning.replace('整改清单中', '文档中')}", markup=False, highlight=False)


def say(text: str, stderr: bool = False) -> None:
    """What was written; on stderr within `rank`, whose stdout may be JSON or CSV."""
    from chuangyou.cli.output import console

    console(stderr=stderr).print(text, markup=False, highlight=False, soft_wrap=True)  # a path is never broken


def write_notice(output: Path, ranking: Ranking, options: DocOptions, tiers: list[str] | None,
                 inputs: list[Path], stderr: bool = False) -> None:
    from chuangyou.documents import write_notice as write
    from chuangyou.documents.notice import chosen_tiers
    from chuangyou.export.tierlist import by_tier

    config = resolve_config(options)
    chosen = tiers if tiers is not None else config.tiers
    write(output, ranking, config, chosen, inputs=[*inputs, *_config_input(options)], force=options.force)
    counts = "、".join(f"{t} {len(e)} 个" for t, e in by_tier(ranking, chosen_tiers(ranking, chosen)))
    say(f"已写出公示：{output}（{counts or '无'}）", stderr)


def write_feedback(folder: Path, ranking: Ranking, rubrics: dict[str, Rubric], options: DocOptions,
                   inputs: list[Path], cards: CardLoader | None = None, stderr: bool = False) -> None:
    from chuangyou.documents import write_feedback as write

    paths = write(folder, ranking, rubrics, inputs=inputs, force=options.force, cards=cards)
    say(f"已写出反馈表 {len(paths) - 1} 份：{folder}（按乡镇分文件夹；合订本 {paths[-1]}）", stderr)


def write_rectify(output: Path, ranking: Ranking, rubrics: dict[str, Rubric], options: DocOptions,
                  tiers: list[str] | None, inputs: list[Path], cards: CardLoader | None = None,
                  stderr: bool = False) -> None:
    from chuangyou.documents import write_rectify as write

    config = resolve_config(options)
    count = write(output, ranking, rubrics, config, tiers, inputs=[*inputs, *_config_input(options)],
                  force=options.force, cards=cards)
    say(f"已写出整改通知书：{output}（{count} 个组织）", stderr)


def _config_input(options: DocOptions) -> list[Path]:
    return [options.config] if options.config is not None else []


def notice(
    results: Path = typer.Argument(..., metavar="结果.json", help=RESULTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="要生成的公示（.docx）。"),
    tiers: str | None = typer.Option(None, "--tiers", help="只公示这些等级，用逗号分隔，如“优秀党支部”；默认全部等级。"),
    days: int | None = typer.Option(None, "--days", min=1, max=30, help=DAYS_HELP),
    start: str | None = typer.Option(None, "--start", help=START_HELP),
    contact: str | None = typer.Option(None, "--contact", help=CONTACT_HELP),
    doc_config: Path | None = typer.Option(None, "--doc-config", help=CONFIG_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """生成评定结果公示（Word 文档，公文格式 GB/T 9704-2012）：按等级列出组织名称和所属乡镇，
    写明公示期（起止日期）、异议受理方式，右下角署发布单位和日期。

    待定（另行处理）的组织不公示。标题、发布单位、日期等可写在公示配置文件中（见 docs/documents.md）。

    示例：chuangyou notice 结果.json -o 公示.docx --tiers 优秀党支部 --doc-config 公示.yaml
    """
    ranking, _, inputs = _load(results, [])
    options = DocOptions(doc_config, days, start, contact, force)
    write_notice(output, ranking, options, tier_list(tiers), inputs)


def feedback(
    results: Path = typer.Argument(..., metavar="结果.json", help=RESULTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="存放反馈表的文件夹（不存在时新建）。"),
    rubric: list[str] = typer.Option([], "--rubric", "-r", help=RUBRIC_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """为每个评定的组织生成评定结果反馈表（Word 文档），按乡镇分文件夹存放，
    另生成合订本“全部反馈表.docx”（每个组织另起一页），便于一次打印。

    反馈表列出总分、等级、排名、各类别得分、每一处扣分的原因、条款原文（考核评价标准和考评方式）
    和证明材料单元格、否决情形和说明，以及考评组签字和党组织书记签收栏。

    示例：chuangyou feedback 结果.json -o 反馈表/
    """
    ranking, rubrics, inputs = _load(results, rubric)
    write_feedback(output, ranking, rubrics, DocOptions(force=force), inputs)


def rectify(
    results: Path = typer.Argument(..., metavar="结果.json", help=RESULTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="要生成的整改通知书（.docx）。"),
    tiers: str | None = typer.Option(
        None, "--tiers", help="给这些等级的组织发通知，用逗号分隔；默认最低两个等级。最低等级（软弱涣散）的组织总会列入。"
    ),
    rubric: list[str] = typer.Option([], "--rubric", "-r", help=RUBRIC_HELP),
    doc_config: Path | None = typer.Option(None, "--doc-config", help=CONFIG_HELP),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """为需要整改的组织生成整改通知书（Word 文档，每个组织一份，另起一页）：失分项目、
    标准要求，以及待填写的整改措施、责任人、完成时限和销号栏。

    示例：chuangyou rectify 结果.json -o 整改通知书.docx --tiers 一般党支部,软弱涣散党支部
    """
    ranking, rubrics, inputs = _load(results, rubric)
    write_rectify(output, ranking, rubrics, DocOptions(doc_config, force=force), tier_list(tiers), inputs)


__all__ = ["DocOptions", "check_docx", "list_heading", "register", "resolve_config", "tier_list", "write_feedback", "write_notice",
           "write_rectify"]
