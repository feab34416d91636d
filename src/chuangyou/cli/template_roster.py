"""`chuangyou template --roster`: the rendering of one template per roster organization."""

from __future__ import annotations

from pathlib import Path


def templates_for_roster(
    roster_path: Path, rubric: str | None, folder: Path, *, year: int | None, period: str | None, force: bool
) -> None:
    from chuangyou.cli.output import console
    from chuangyou.cli.progress import with_progress
    from chuangyou.cli.roster_cmd import roster_rubrics
    from chuangyou.roster import read_roster
    from chuangyou.roster.templates import write_templates

    rubrics = roster_rubrics([rubric] if rubric else [])
    roster = read_roster(roster_path, rubrics)
    by_id = {r.id: r for r in rubrics}
    result = with_progress("生成模板", len(roster.entries), lambda update: write_templates(
        roster, by_id, folder, year=year, period=period, force=force, progress=update))
    out = console()
    out.print(f"已为花名册中的 {len(result.paths)} 个组织生成模板，保存在 {folder}：", markup=False, highlight=False)
    for township, count in result.counts.items():
        out.print(f"  {township}：{count} 个", markup=False, highlight=False)
