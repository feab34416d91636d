"""Chinese text for the parts of --help and usage errors that click and typer write."""

from __future__ import annotations

_TEXT = {
    "Usage:": "用法：",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Missing argument {param_hint}.": "缺少参数 {param_hint}。",
    "Missing option {param_hint}.": "缺少选项 {param_hint}。",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option: {name}": "没有这个选项：{name}",
    "No such command {name!r}.": "没有这个命令：{name!r}。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{name!r} is not a valid {type}.": "{name!r} 不是有效的{type}。",
    "{value!r} is not a valid integer.": "{value!r} 不是有效的整数。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值之一：{choices}。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Did you mean {possibility}?": "您是不是想输入 {possibility}？",
    "(Possible options: {possibilities})": "（可能的选项：{possibilities}）",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "File": "文件",
    "Directory": "文件夹",
    "Path": "路径",
    "Try {command!r} for help.": "运行 {command!r} 查看帮助。",
    "Aborted!": "已中断。",
    "required": "必填",
    "default": "默认",
    "env var": "环境变量",
    "Install completion for the current shell.": "为当前 shell 安装命令补全。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示当前 shell 的命令补全脚本，可复制或自定义安装。",
}


def translate(message: str) -> str:
    return _TEXT.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Swap click's and typer's gettext hooks and panel titles for Chinese ones.

    Typer vendors click (``typer._click``) in recent releases and uses the real
    ``click`` in older ones; every loaded module of either that imported
    ``gettext as _`` gets our lookup instead.
    """
    import gettext
    import sys

    import typer
    import typer.core
    import typer.main
    import typer.rich_utils as rich_utils

    for name, module in list(sys.modules.items()):
        if not (name == "typer" or name.startswith(("typer.", "click"))) or module is None:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = translate  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ntranslate  # type: ignore[attr-defined]
    rich_utils.OPTIONS_PANEL_TITLE = "选项"
    rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    rich_utils.COMMANDS_PANEL_TITLE = "命令"
    rich_utils.ERRORS_PANEL_TITLE = "错误"
    rich_utils.ABORTED_TEXT = "已中断。"
    rich_utils.REQUIRED_LONG_STRING = "[必填]"
    rich_utils.DEFAULT_STRING = "[默认：{}]"
    del typer
