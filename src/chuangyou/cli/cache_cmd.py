"""`chuangyou cache info|clear`, and the result cache a scoring command runs with."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from chuangyou.cache import ResultCache
    from chuangyou.rubric import Rubric

cache_app = typer.Typer(
    name="cache",
    help="查看或清空结果缓存：未改动的工作簿再次评分时直接取用上次的结果。\n\n示例：chuangyou cache info",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def register(root: typer.Typer) -> None:
    root.add_typer(cache_app, name="cache")


def result_cache(forced: Rubric | None, disabled: bool) -> ResultCache | None:
    """The cache for a run, or None (``--no-cache``, or a folder that cannot be used: said here, once)."""
    if disabled:
        return None
    from chuangyou.cache import Unusable, open_results

    try:
        return open_results(forced.sha256 if forced is not None else None)
    except Unusable as exc:
        from chuangyou.cli.output import console

        console(stderr=True).print(str(exc), markup=False, highlight=False)
        return None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@cache_app.command("info")
def info() -> None:
    """显示结果缓存的位置、条目数和占用空间。

    缓存位置默认为用户缓存文件夹，可用环境变量 CHUANGYOU_CACHE_DIR 指定；
    占用上限默认 1024 MB（环境变量 CHUANGYOU_CACHE_MAX_MB），超出时删除最早的条目。

    示例：chuangyou cache info
    """
    from chuangyou.cache.manage import usage
    from chuangyou.cli.output import console

    found = usage()
    out = console()
    out.print(f"缓存位置：{found.root}", markup=False, highlight=False)
    out.print(f"评分结果：{found.entries} 个工作簿", markup=False, highlight=False)
    out.print(f"评定标准：{found.rubrics} 个", markup=False, highlight=False)
    out.print(f"占用空间：{_mb(found.size)}（上限 {_mb(found.limit)}）", markup=False, highlight=False)


@cache_app.command("clear")
def clear() -> None:
    """清空结果缓存：之后第一次评分会重新读取每个工作簿。

    只删除本工具的缓存内容，不影响任何证明材料或导出的文件。

    示例：chuangyou cache clear
    """
    from chuangyou.cache.manage import clear as clear_cache
    from chuangyou.cache.manage import usage
    from chuangyou.cli.output import console
    from chuangyou.errors import UsageError

    before = clear_cache()
    left = usage()
    if left.entries or left.rubrics:
        raise UsageError(f"无法清空缓存文件夹 {left.root}：还有 {left.entries + left.rubrics} 个条目未能删除，请检查文件夹权限")
    console().print(
        f"已清空结果缓存：删除 {before.entries} 个评分结果、{before.rubrics} 个评定标准，释放 {_mb(before.size)}（{before.root}）",
        markup=False, highlight=False,
    )
