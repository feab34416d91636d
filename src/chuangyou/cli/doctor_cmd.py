"""`chuangyou doctor`: versions and environment, for a message to technical support."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    from chuangyou.cli.app import ADVANCED_COMMANDS

    root.command("doctor", rich_help_panel=ADVANCED_COMMANDS)(doctor)


def doctor() -> None:
    """显示版本、Python、操作系统、工作簿读取方式、结果缓存位置和 LibreOffice，联系技术支持时请附上。

    示例：chuangyou doctor
    """
    from chuangyou.diagnostics import doctor_lines

    typer.echo("\n".join(f"{label}：{value}" for label, value in doctor_lines()))
