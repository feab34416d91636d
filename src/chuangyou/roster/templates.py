"""One pre-filled evidence workbook per roster organization, in a folder per township.

``证明材料/<所属乡镇>/<组织名称>.xlsx``: names made safe for Windows (forbidden characters,
reserved device names, trailing dots and spaces, length), two organizations that would
share a file refused before anything is written, existing files kept unless ``force``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from chuangyou.errors import Problem, UsageError
from chuangyou.roster.model import Roster, RosterEntry
from chuangyou.rubric.model import Rubric
from chuangyou.textsafe import file_name


def safe_name(text: str) -> str:
    """A file or folder name every system accepts, as close to ``text`` as possible."""
    return file_name(text)


def template_path(folder: Path, entry: RosterEntry) -> Path:
    return folder / safe_name(entry.township) / f"{safe_name(entry.name)}.xlsx"


@dataclass(frozen=True)
class RosterTemplates:
    paths: list[Path]
    counts: dict[str, int]  # township → workbooks written, in roster order


def plan_paths(roster: Roster, folder: Path) -> list[Path]:
    """The file of each roster row; refuses two rows that would share one (Windows ignores case)."""
    paths = [template_path(folder, e) for e in roster.entries]
    seen: dict[str, RosterEntry] = {}
    problems = []
    for entry, path in zip(roster.entries, paths, strict=True):
        key = str(path.relative_to(folder)).casefold()
        first = seen.setdefault(key, entry)
        if first is not entry:
            problems.append(Problem(f"{roster.path} 第 {entry.row} 行",
                                    f"“{entry.name}”与第 {first.row} 行“{first.name}”的模板文件名相同"
                                    f"（{path.relative_to(folder)}）"))
    if problems:
        raise UsageError("花名册中有组织的模板文件名相同，未生成任何模板；请把组织名称写全以便区分", problems)
    return paths


def write_templates(
    roster: Roster,
    rubrics: Mapping[str, Rubric],
    folder: Path,
    *,
    year: int | None = None,
    period: str | None = None,
    force: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RosterTemplates:
    """Write every roster row's template under ``folder``; all or nothing is refused up front."""
    from chuangyou.template import TemplateOptions, write_template

    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} 不是文件夹：--roster 时 -o 应为存放模板的文件夹，如 -o 证明材料/")
    paths = plan_paths(roster, folder)
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        shown = "、".join(str(p) for p in existing[:3]) + ("等" if len(existing) > 3 else "")
        raise UsageError(f"已有 {len(existing)} 个模板文件存在（{shown}），未写入任何模板：为避免覆盖已填写的内容，"
                         "请换一个文件夹；确需覆盖时加 --force")
    if year is not None and not 2000 <= year <= 2100:
        raise UsageError(f"考评年度“{year}”无效，应为四位数的年份，如 2026")
    for done, (entry, path) in enumerate(zip(roster.entries, paths, strict=True), 1):
        options = TemplateOptions(name=entry.name, township=entry.township, subtype=entry.subtype, form=entry.form,
                                  year=year, period=period, code=entry.code or None)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_template(rubrics[entry.rubric_id], path, options, force=True)
        if progress is not None:
            progress(done)
    counts = Counter(e.township for e in roster.entries)
    return RosterTemplates(paths, {t: counts[t] for t in roster.townships()})
