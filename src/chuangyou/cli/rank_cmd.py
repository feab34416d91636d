"""`chuangyou rank DIR`: score a whole folder, rank, and write the tier list."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from chuangyou.cli import documents_cmd as docs

if TYPE_CHECKING:
    from chuangyou.batch import BatchResult, Failure
    from chuangyou.cli.rank_roster import Absent
    from chuangyou.ranking import Ranking
    from chuangyou.roster.model import Roster
    from chuangyou.rubric import Rubric
    from chuangyou.scorecard import ScoreCard
    from chuangyou.statistics import Statistics


class RankFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class QuotaBy(str, Enum):
    group = "group"
    township = "township"


def register(root: typer.Typer) -> None:
    root.command("rank")(rank)


def rank(
    folder: Path = typer.Argument(..., metavar="文件夹", help="存放各党组织证明材料工作簿的文件夹（含子文件夹）。"),
    rubric: str | None = typer.Option(
        None, "--rubric", "-r", help="统一使用的评定标准编号或 YAML 文件；不指定时按各工作簿“基本信息”中的评定标准。"
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="写出等级名单工作簿（.xlsx）。"),
    previous: Path | None = typer.Option(
        None, "--previous", "-p", help="上一年度的结果（rank 输出的 JSON 或导出的等级名单 .xlsx），用于标注升级/降级。"
    ),
    quota: list[str] = typer.Option(
        [], "--quota", "-q", help="名额比例，可多次使用：“优秀党支部<=30%”（最多）、“软弱涣散党支部>=5%”（倒排，最少）。"
    ),
    step_promotion: bool = typer.Option(
        False, "--step-promotion", help="逐级晋升：与上年相比每年最多上升一个等级（需要 --previous）。"
    ),
    quota_by: QuotaBy = typer.Option(
        QuotaBy.group, "--quota-by",
        help="名额比例的计算范围：group（默认，每个评定标准分组整体计算）或 township（每个乡镇（街道）分别计算）。",
    ),
    county: str | None = typer.Option(
        None, "--county", help="县（市、区）名称，记入结果，供市级汇总（chuangyou export 多个结果文件）区分各县。"
    ),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数，默认使用全部 CPU 核心。"),
    format: RankFormat = typer.Option(RankFormat.table, "--format", "-f", help="屏幕输出格式：table、json 或 csv。"),
    with_scores: bool = typer.Option(False, "--with-scores", help=docs.SCORES_HELP),
    notice: Path | None = typer.Option(None, "--notice", help="同时写出评定结果公示（.docx），见 chuangyou notice。"),
    feedback: Path | None = typer.Option(None, "--feedback", help="同时写出各组织的反馈表到此文件夹，见 chuangyou feedback。"),
    rectify: Path | None = typer.Option(None, "--rectify", help="同时写出整改通知书（.docx），见 chuangyou rectify。"),
    notice_tiers: str | None = typer.Option(None, "--notice-tiers", help="公示只列这些等级（逗号分隔）；默认全部。"),
    rectify_tiers: str | None = typer.Option(None, "--rectify-tiers", help="给这些等级发整改通知书（逗号分隔）；默认最低两个等级。"),
    doc_config: Path | None = typer.Option(None, "--doc-config", help=docs.CONFIG_HELP),
    days: int | None = typer.Option(None, "--days", min=1, max=30, help=docs.DAYS_HELP),
    start: str | None = typer.Option(None, "--start", help=docs.START_HELP),
    contact: str | None = typer.Option(None, "--contact", help=docs.CONTACT_HELP),
    force: bool = typer.Option(
        False, "--force",
        help="输出文件（-o、--notice、--feedback、--rectify）已存在且不是本工具生成的同类文件时也覆盖（默认不覆盖；输入文件从不覆盖）。",
    ),
    roster: Path | None = typer.Option(
        None, "--roster", help="花名册（.xlsx）：列出其中没有提交材料的组织（未提交），并提示不在花名册中的文件。"
    ),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="不使用结果缓存：每个工作簿都重新读取、计分（默认只重新计分有改动的文件）。"
    ),
) -> None:
    """给文件夹中所有工作簿评分、分组排名、评星定级，并可导出等级名单。

    每个工作簿按其“基本信息”中的评定标准计分，村（社区）、机关、“两新”组织可以放在同一文件夹，
    按评定标准分组排名。无法评分的文件单独列出，不影响其他文件。
    退出码：0 全部评定；1 有文件未能评分；2 用法或评定标准错误。

    用 --notice、--feedback、--rectify 可在同一次运行中写出公示、反馈表和整改通知书（Word 文档）。

    示例：chuangyou rank 城关镇/ -o 等级名单.xlsx --quota "优秀党支部<=30%"
    """
    from chuangyou.batch import run_batch, scan
    from chuangyou.cli.progress import previous_results as previous_results_of
    from chuangyou.cli.progress import score_batch
    from chuangyou.errors import UsageError
    from chuangyou.ranking import parse_quotas

    if not folder.exists():
        raise UsageError(f"找不到文件夹：{folder}")
    if not folder.is_dir():
        raise UsageError(f"{folder} 不是文件夹；给单个工作簿评分请用：chuangyou score {folder}")
    if output is not None and output.suffix.lower() != ".xlsx":
        raise UsageError(f"等级名单应保存为 .xlsx 文件，而不是“{output.name}”")
    if step_promotion and previous is None:
        raise UsageError("--step-promotion（逐级晋升）需要用 --previous 给出上一年度的结果")
    quotas = parse_quotas(quota) if quota else None
    docs.check_docx(notice, "公示")
    docs.check_docx(rectify, "整改通知书")
    options = docs.DocOptions(doc_config, days, start, contact, force)
    documents = _Documents(notice, feedback, rectify, docs.tier_list(notice_tiers), docs.tier_list(rectify_tiers), options)
    heading = docs.list_heading(options, with_scores)  # a bad 公示.yaml stops the run before scoring
    if output is not None and previous is not None:
        from chuangyou.safeio import same_file

        if same_file(output, previous):
            raise UsageError(
                f"输出文件 {output} 就是 --previous 给出的上年结果，为避免覆盖上年的等级名单，"
                "请换一个输出文件名"
            )
    previous_results = previous_results_of(previous)
    forced = _forced(rubric)
    if quotas:
        _check_quotas(quotas, forced)  # a misspelt tier is found before minutes of scoring
    from chuangyou.cli.rank_roster import absent, load_roster

    listed = load_roster(roster, forced)
    from chuangyou.batch import is_own_output
    from chuangyou.safeio import TIERLIST, check_output

    # Leave out only our own earlier tier list (a rerun into the same folder): any other
    # workbook named by -o is an input, must stay in the scan and must not be overwritten.
    own_export = output is not None and output.is_file() and is_own_output(output)
    archives: list[Path] = []
    unreadable: list[Failure] = []  # folders that could not be listed: 未能评分, with the reason
    excluded = [p for p in (output if own_export else None, roster) if p is not None]
    paths = scan(folder, exclude=tuple(excluded), archives=archives, unreadable=unreadable)
    packed = _packed(folder, archives, paths)
    if not paths:
        folders = "".join(f"。{f.source}：{f.reason}" for f in unreadable[:5])
        raise UsageError(f"文件夹 {folder} 中没有找到证明材料工作簿（.xlsx）" + (f"。{packed}" if packed else "") + folders)
    if output is not None:
        check_output(output, paths, kind=TIERLIST, force=force)  # refuse before minutes of scoring, not after
    _tell_jobs(jobs)
    documents.check(paths)
    from chuangyou.cli.cache_cmd import result_cache

    cache = result_cache(forced, no_cache)
    result = score_batch(paths, forced.path if forced else None, jobs, run_batch, cache)
    if result.cache_notice:
        _stderr().print(result.cache_notice, markup=False, highlight=False)
    try:
        missing = absent(listed, result, previous_results)
        cards, failures = _without_duplicates(result)
        failures += unreadable
        rubrics = _rubrics(cards, forced)
        from chuangyou.ranking import rank as rank_cards

        ranking = rank_cards(cards, rubrics, quotas=quotas, previous=previous_results, step_promotion=step_promotion,
                             quota_by=quota_by.value, county=county)
        statistics = _statistics(ranking, failures, missing, listed)
        if output is not None:
            from chuangyou.export import write_tierlist

            # Summaries in memory; each sheet that shows items and deductions reads an
            # organization's whole card from the store when it comes to it.
            inputs = [*paths, previous] if previous is not None else paths
            write_tierlist(output, ranking, failures, rubrics, inputs=inputs, cards=result.full_card,
                           statistics=statistics, force=force, missing=missing.missing, heading=heading)
        documents.write(ranking, rubrics, [*paths, *([previous] if previous is not None else [])], result.full_card)
        result.parsed.clear()  # the whole cards kept parsed for the export's sheets
        sources = [card.source for card in cards]
        # What is printed needs the entries only: dropping the cards first frees ~4 KB per
        # file (40 MB for 10,000) before the JSON of the ranking is built.
        for entry in ranking.entries():
            entry.card = None
        result.cards.clear()
        del cards
        _print(format, ranking, sources, failures, result, output, missing, statistics, len(unreadable))
        if packed:
            _stderr().print(f"提示：{packed}", markup=False, highlight=False)
    finally:
        result.store.close()
    if failures:
        raise typer.Exit(1)


class _Documents:
    """The Word documents a run writes besides the tier list (rank --notice/--feedback/--rectify)."""

    def __init__(self, notice: Path | None, feedback: Path | None, rectify: Path | None,
                 notice_tiers: list[str] | None, rectify_tiers: list[str] | None, options: docs.DocOptions) -> None:
        self.notice, self.feedback, self.rectify = notice, feedback, rectify
        self.notice_tiers, self.rectify_tiers, self.options = notice_tiers, rectify_tiers, options

    def check(self, inputs: list[Path]) -> None:
        """Refuse an output that would overwrite an input or another file, before scoring."""
        if self.notice is None and self.feedback is None and self.rectify is None:
            return  # no documents: python-docx is not imported
        from chuangyou.documents import word
        from chuangyou.documents.feedback import FEEDBACK
        from chuangyou.documents.notice import NOTICE
        from chuangyou.documents.rectify import RECTIFY
        from chuangyou.safeio import check_output

        for path, kind in ((self.notice, NOTICE), (self.rectify, RECTIFY)):
            if path is not None:
                check_output(path, inputs, kind=kind.output, force=self.options.force)
        if self.feedback is not None:
            word.check_replace(self.feedback / "全部反馈表.docx", FEEDBACK, self.options.force)

    def write(self, ranking: Ranking, rubrics: dict[str, Rubric], inputs: list[Path], cards: Any) -> None:
        if self.notice is not None:
            docs.write_notice(self.notice, ranking, self.options, self.notice_tiers, inputs, stderr=True)
        if self.feedback is not None:
            docs.write_feedback(self.feedback, ranking, rubrics, self.options, inputs, cards, stderr=True)
        if self.rectify is not None:
            docs.write_rectify(self.rectify, ranking, rubrics, self.options, self.rectify_tiers, inputs, cards,
                               stderr=True)


def _packed(folder: Path, archives: list[Path], paths: list[Path]) -> str | None:
    """What to tell about archives in the folder whose workbooks are not unpacked beside them."""
    from chuangyou.batch import packed_workbooks
    from chuangyou.errors import path_text

    present = {path.name for path in paths}
    shown = []
    for archive in archives:
        count = packed_workbooks(archive, present)
        if count == 0:  # only pictures and documents, or its workbooks are already unpacked
            continue
        name = path_text(archive.relative_to(folder))
        shown.append(f"“{name}”（{count} 个工作簿）" if count else f"“{name}”")  # None: a .rar/.7z, not looked into
    if not shown:
        return None
    listed = "、".join(shown[:5]) + (f"等 {len(shown)} 个" if len(shown) > 5 else "")
    unknown = "（已解压的可忽略此提示）" if any(not a.name.lower().endswith(".zip") for a in archives) else ""
    return f"压缩包{listed}未解压，其中的工作簿没有评分；请解压到本文件夹后重新运行{unknown}"


def _check_quotas(quotas: dict[str, Any], forced: Rubric | None) -> None:
    """The run's quotas against every rubric a workbook can name (the bundled ones; a
    workbook's 评定标准 never names a file) or the forced one: tier names, and a 最少 quota
    on the bottom tier only. Ranking checks them again against the rubrics in play."""
    from chuangyou.ranking.quota import check_run_quotas, group_quotas
    from chuangyou.rubric.registry import bundled_rubrics

    candidates = [forced] if forced is not None else bundled_rubrics()
    check_run_quotas(quotas, candidates)
    for candidate in candidates:
        group_quotas(candidate, quotas)


def _tell_jobs(jobs: int | None) -> None:
    from chuangyou.batch import JOBS_PER_CORE, jobs_limit

    if jobs is not None and jobs > jobs_limit():
        cores = jobs_limit() // JOBS_PER_CORE
        _stderr().print(f"提示：--jobs {jobs} 超过上限，最多同时用 {jobs_limit()} 个进程评分（CPU 核心数 {cores} 的 "
                        f"{JOBS_PER_CORE} 倍；评分受 CPU 限制，进程再多也不会更快，只多占内存）", markup=False, highlight=False)


def _forced(ref: str | None) -> Rubric | None:
    if ref is None:
        return None
    from chuangyou.rubric import resolve

    return resolve(ref)


def _statistics(ranking: Ranking, failures: list[Failure], missing: Absent, roster: Roster | None) -> Statistics:
    from chuangyou.statistics import compute_statistics, locate_failures

    return compute_statistics(ranking, locate_failures(ranking, failures), missing.missing or (),
                              township_order=roster.townships() if roster is not None else None)


def _print_json(ranking: Ranking, sources: list[str], failures: list[Failure], result: BatchResult,
                statistics: Statistics, extra: str = "") -> None:
    """``dump_results`` streamed: each card's JSON comes from the batch's store as it stands
    in the output, so memory stays flat whatever the number of files; the bytes are the
    same as write_stdout's."""
    from chuangyou.cli.output import write_stdout
    from chuangyou.export import dump_results

    tail = _with_keys(dump_results(ranking, [], failures, statistics), extra)
    head = '{\n  "results": []'
    if not tail.startswith(head):  # another layout: build the whole document instead
        cards = [result.store.card(source) for source in sources]
        write_stdout(_with_keys(dump_results(ranking, cards, failures, statistics), extra))
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None and not sys.stdout.isatty():  # UTF-8 bytes when redirected, as write_stdout
        sys.stdout.flush()
        write: Callable[[bytes], Any] = buffer.write
    else:
        write = lambda blob: sys.stdout.write(blob.decode())  # noqa: E731
    write(head[:-1].encode())
    for n, source in enumerate(sources):
        write(b",\n    " if n else b"\n    ")
        write(result.store.blob(source))
    write(b"\n  ]" if sources else b"]")
    write(tail[len(head):].encode())  # ends with a newline, as write_stdout makes sure
    sys.stdout.flush()
    if buffer is not None:
        buffer.flush()


TIER_LIST_HINT = "加上 -o 等级名单.xlsx 可写出等级名单工作簿（等级名单、得分明细、扣分明细、整改清单等）"


def _with_keys(text: str, extra: str) -> str:
    """The JSON document with ``extra`` keys (``missing``, ``previous_missing``) added at its end."""
    return text[: text.rindex("\n}")] + extra + "\n}\n" if extra else text


def _stderr() -> Any:
    from chuangyou.cli.output import console

    return console(stderr=True)


def _without_duplicates(result: BatchResult) -> tuple[list[ScoreCard], list[Failure]]:
    """The same organization in two files is an error for each file; the rest are ranked."""
    from chuangyou.ranking.rank import without_duplicates

    return without_duplicates(result.cards, result.failures)


def _rubrics(cards: list[ScoreCard], forced: Rubric | None) -> dict[str, Rubric]:
    from chuangyou.rubric import resolve

    rubrics: dict[str, Rubric] = {}
    for card in cards:
        if card.rubric.id not in rubrics:
            rubrics[card.rubric.id] = forced if forced is not None else resolve(card.rubric.id)
    return rubrics


def _print(
    format: RankFormat,
    ranking: Ranking,
    sources: list[str],
    failures: list[Failure],
    result: BatchResult,
    output: Path | None,
    absent: Absent,
    statistics: Statistics,
    folders: int = 0,
) -> None:
    """``folders``: how many of ``failures`` are folders that could not be read."""
    from chuangyou.cli.output import guarded_stdout
    from chuangyou.errors import UsageError

    try:
        with guarded_stdout():
            _print_results(format, ranking, sources, failures, result, absent, statistics)
    except UsageError as exc:
        if output is None:
            raise
        raise UsageError(f"{exc.message}（等级名单已完整写入 {output}）") from None
    for warning in absent.warnings:
        _stderr().print(f"提示：{warning}", markup=False, highlight=False, soft_wrap=True)
    files = len(failures) - folders
    summary = (
        f"共 {len(sources) + files + len(result.skipped)} 个文件：评定 {len(sources)} 个，"
        f"未能评分 {files} 个" + (f"，跳过本工具导出的文件 {len(result.skipped)} 个" if result.skipped else "")
        + (f"；另有 {folders} 个文件夹无法读取，其中的工作簿没有评分（见“未能评分”）" if folders else "")
    )
    if output is not None:
        summary += f"。等级名单已写入 {output}"
    elif format is RankFormat.table and sources:
        summary += f"。{TIER_LIST_HINT}"
    _stderr().print(summary, highlight=False)


def _print_results(format: RankFormat, ranking: Ranking, sources: list[str], failures: list[Failure],
                   result: BatchResult, absent: Absent, statistics: Statistics) -> None:
    from chuangyou.cli.output import console, write_csv

    if format is RankFormat.json:
        _print_json(ranking, sources, failures, result, statistics, absent.json_keys())
    elif format is RankFormat.csv:
        from chuangyou.report_ranking import ranking_csv

        write_csv(ranking_csv(ranking))
    else:
        from chuangyou.report_ranking import failures_table, ranking_tables

        out = console()
        for table in ranking_tables(ranking):
            out.print(table)
        from chuangyou.report_statistics import township_lines

        for line in township_lines(statistics):  # only when the folder holds several townships
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        if failures:
            out.print(failures_table(failures))
        for table in absent.tables():
            out.print(table)
