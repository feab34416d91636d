"""The Typer application: commands are registered from one module each."""

from __future__ import annotations

from typing import Any

import typer

from chuangyou.cli import i18n

i18n.install()

HELP = """创优：基层党组织争先创优评定工具。

按评定标准逐条计分，给出每一处扣分的依据（标准条款和证明材料单元格），
评星定级、排名，并导出等级名单工作簿。

常用步骤：template 生成填报模板 → 各党组织填写 → score 或 rank 评分 → rank -o 写出等级名单。

示例：chuangyou score 某村.xlsx ；chuangyou rank 城关镇/ -o 等级名单.xlsx
"""

app = typer.Typer(
    name="chuangyou",
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from chuangyou.diagnostics import version_lines

        typer.echo("\n".join(version_lines()))
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", "-V", help="显示版本号和内置评定标准的版本，然后退出。", callback=_version, is_eager=True
    ),
) -> None:
    """创优：基层党组织争先创优评定工具。"""


#: The panel of commands for rubric authors and technical support, after the everyday ones.
ADVANCED_COMMANDS = "高级命令（评定标准维护、技术支持）"


def handle_click_exception(exc: Exception) -> int | None:
    """Usage errors raised by click when not in standalone mode → message + exit code."""
    if isinstance(exc, typer.Exit):
        return int(getattr(exc, "exit_code", 0) or 0)
    if isinstance(exc, typer.Abort):
        typer.echo("已中断。", err=True)
        return 130
    if type(exc).__name__ == "NoArgsIsHelpError":  # its message is the help; rich printed it already
        text = exc.format_message()  # type: ignore[attr-defined]
        if text:
            typer.echo(text)
        return 2
    click_exceptions = _click_exceptions()
    if isinstance(exc, click_exceptions.UsageError):
        hint = ""
        if exc.ctx is not None:
            hint = f"\n运行“{exc.ctx.command_path} --help”查看用法。"
        typer.echo(f"用法错误：{exc.format_message()}{hint}", err=True)
        return 2
    if isinstance(exc, click_exceptions.ClickException):
        typer.echo(f"错误：{exc.format_message()}", err=True)
        return exc.exit_code
    return None


def _click_exceptions() -> Any:
    try:
        from typer._click import exceptions
    except ImportError:  # typer before it vendored click
        from click import exceptions  # type: ignore[no-redef]
    return exceptions


def _register() -> None:
    """Each command module exposes ``register(app)``; the list is the CLI surface."""
    from chuangyou.cli import (
        collect_cmd,
        doctor_cmd,
        documents_cmd,
        export_cmd,
        rank_cmd,
        roster_cmd,
        rubric_cmd,
        score_cmd,
        stats_cmd,
        template_cmd,
        whatif_cmd,
    )

    for module in (rubric_cmd, template_cmd, score_cmd, rank_cmd, export_cmd, stats_cmd, whatif_cmd, documents_cmd,
                   doctor_cmd):
        module.register(app)
    for module in (roster_cmd, collect_cmd):
        module.register(app)


_register()

__all__: list[Any] = ["app", "handle_click_exception"]
