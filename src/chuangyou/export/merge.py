"""Several counties' results (``rank --format json`` files) as one: the city's summary.

``chuangyou export 甲县.json 乙县.json -o 市级汇总.xlsx`` and ``chuangyou stats`` read each
file with :func:`load_results`, then :func:`merge` joins them group by group (one per
rubric). Scores, tiers and ranks stay as each county decided them (its quotas applied
within it): nothing is recomputed. Every entry carries its county, from ``rank --county``
or, when a file has none, the file's name (with a warning).

The same organization twice is refused, naming both files: the same 组织代码, or the same
county, township and name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from chuangyou.batch import Failure
from chuangyou.errors import Problem, UsageError
from chuangyou.export.json_io import load_results
from chuangyou.ranking import DuplicateOrganizationError, Ranking, RankingGroup
from chuangyou.ranking.model import RankedEntry
from chuangyou.statistics import FailedFile, locate_failures, text_key
from chuangyou.values import normalize_text

MAX_SHOWN = 10
CODE_FIELD = "code"  # 组织代码 on an organization, once the roster work adds it to 基本信息


@dataclass
class Results:
    """What the exports need of one or more results files."""

    ranking: Ranking
    failures: list[Failure]
    failed: list[FailedFile]  # the failures placed in their county and township
    counties: list[str] = field(default_factory=list)  # in the order of the files
    warnings: list[str] = field(default_factory=list)


def load_merged(paths: Sequence[Path]) -> Results:
    """One file as it is; several merged (see the module's docstring)."""
    paths = [Path(p) for p in paths]
    seen: dict[Path, Path] = {}
    for path in paths:
        first = seen.setdefault(path.resolve(), path)
        if first is not path:
            raise UsageError(f"结果文件 {path} 给出了不止一次，每个结果文件只需给出一次")
    loaded = [(path, *load_results(path)) for path in paths]
    if len(loaded) == 1:
        _, ranking, failures = loaded[0]
        return Results(ranking, failures, locate_failures(ranking, failures),
                       [ranking.county] if ranking.county else [])
    return merge(loaded)


def merge(parts: Sequence[tuple[Path, Ranking, list[Failure]]]) -> Results:
    warnings: list[str] = []
    counties: list[str] = []
    for path, ranking, _ in parts:
        county = ranking.county or path.stem
        if not ranking.county:
            warnings.append(f"结果文件 {path} 没有记录县（市、区）（评定时未用 --county），按文件名作为县名“{county}”")
        counties.append(county)
        for entry in ranking.entries():
            entry.county = county
    _check_duplicates(parts)
    groups: dict[str, RankingGroup] = {}
    for path, ranking, _ in parts:
        for group in ranking.groups:
            _join(groups, group, path)
    for group in groups.values():
        if len({e.county for e in group.entries}) > 1:
            group.warnings.append("本组合并了多个县（市、区）的结果：排名、等级和名额比例均为各县评定时的结果")
    merged = Ranking(
        groups=[groups[rid] for rid in sorted(groups)],
        step_promotion=any(r.step_promotion for _, r, _ in parts),
        with_previous=any(r.with_previous for _, r, _ in parts),
        quota_by="township" if all(r.quota_by == "township" for _, r, _ in parts) else "group",
    )
    failures: list[Failure] = []
    failed: list[FailedFile] = []
    for (_, ranking, own), county in zip(parts, counties, strict=True):
        failures += own
        failed += locate_failures(ranking, own, county)
    return Results(merged, failures, failed, counties, warnings)


def _join(groups: dict[str, RankingGroup], group: RankingGroup, path: Path) -> None:
    found = groups.get(group.rubric_id)
    if found is None:
        groups[group.rubric_id] = group.model_copy(update={
            "entries": list(group.entries), "counts": dict(group.counts), "quotas": [], "warnings": list(group.warnings),
        })
        return
    if found.tiers != group.tiers:
        raise UsageError(
            f"结果文件 {path} 中“{group.rubric_name}”的等级（{'、'.join(group.tiers)}）与其他结果文件"
            f"（{'、'.join(found.tiers)}）不同，不能合并；请用同一评定标准重新评定"
        )
    if group.rubric_version != found.rubric_version:
        found.warnings.append(
            f"各县使用的评定标准版本不同（{found.rubric_version}、{group.rubric_version}），分数按各自版本计算"
        )
    found.size += group.size
    found.held += group.held
    for tier, n in group.counts.items():
        found.counts[tier] = found.counts.get(tier, 0) + n
    found.entries += group.entries
    found.warnings += [w for w in group.warnings if w not in found.warnings]


def _code(entry: RankedEntry) -> str:
    org = entry.card.organization if entry.card is not None else None
    return text_key(str(getattr(org, CODE_FIELD, "") or "")).upper()


def _check_duplicates(parts: Sequence[tuple[Path, Ranking, list[Failure]]]) -> None:
    seen: dict[tuple[str, ...], tuple[Path, RankedEntry]] = {}
    problems: list[Problem] = []
    for path, ranking, _ in parts:
        for entry in ranking.entries():
            code = _code(entry)
            keys: list[tuple[str, ...]] = [("code", code)] if code else []
            keys.append(("place", text_key(entry.county), text_key(entry.township),
                         normalize_text(entry.name).replace(" ", "")))
            for key in keys:
                first = seen.get(key)
                if first is None:
                    seen[key] = (path, entry)
                    continue
                other_path, other = first
                if key[0] == "code":
                    why = f"组织代码“{code}”相同" + (f"，另一文件中为“{other.name}”" if other.name != entry.name else "")
                else:
                    why = "县（市、区）、乡镇和组织名称都相同"
                where = " ".join(t for t in (entry.county, entry.township, entry.name) if t)
                problems.append(Problem(where, f"同时出现在 {other_path} 和 {path} 中（{why}）"))
                break
    if problems:
        more = f"（共 {len(problems)} 个，只列出前 {MAX_SHOWN} 个）" if len(problems) > MAX_SHOWN else ""
        raise DuplicateOrganizationError(f"多个结果文件中有同一组织{more}，不能合并；请核对后只保留一份",
                                         problems[:MAX_SHOWN])
