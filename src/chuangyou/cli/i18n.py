"""Chinese for every piece of ``--help`` and of usage errors that typer and click write.

Typer 0.29 vendors click as ``typer._click`` and that copy writes its messages with
f-strings, not gettext, so no single switch makes it speak Chinese. ``install()`` uses, in
order of preference:

1. typer's customisation constants in ``typer.rich_utils`` (panel titles, ``[默认：…]``,
   ``[必填]``). That module is heavy (rich.markdown, rich.traceback) and typer imports it
   only to print help or an error, so the constants are set by a post-import hook instead
   of importing it here: ``chuangyou score …`` does not pay for it.
2. gettext: typer.core's ``_`` (plain-text help when rich is switched off).
3. click's ``Context.formatter_class``: the usage line (用法：chuangyou [选项] 命令 [参数]...).
4. Small wrappers, each pinned by tests/test_cli_help.py so that a typer upgrade that moves
   them fails a test instead of silently printing English: the ``format_message`` of the
   usage-error classes (run through ``translate_message``), the help option's text, the
   type metavars (``<整数>``), number limits (``[≥1]``), and the shell-completion options'
   help and messages.

One wrapper is about speed, not language, and lives here because this is where the CLI
adjusts typer: absent options no longer make typer build pydantic validators.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from typing import Any

#: gettext msgids used by typer.core (and by click in typer releases before 0.29).
_GETTEXT = {
    "Usage:": "用法：",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "Error": "错误",
    "Aborted!": "已中断。",
    "Aborted.": "已中断。",
    "Missing command.": "缺少命令。",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "(deprecated) ": "（已停用）",
}

#: typer.rich_utils constants (typer's documented way to restyle rich help).
_RICH_CONSTANTS = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中断。",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "DEPRECATED_STRING": "（已停用）",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
}

_COMPLETION_HELP = {
    "Install completion for the current shell.": "安装 Tab 键补全（输入命令时按 Tab 键补全命令和选项）。",
    "Show completion for the current shell, to copy it or customize the installation.": "显示 Tab 键补全的脚本，可复制后自行安装。",
    "Install completion for the specified shell.": "为指定的命令行程序安装 Tab 键补全。",
    "Show completion for the specified shell, to copy it or customize the installation.": "显示指定命令行程序的 Tab 键补全脚本，可复制后自行安装。",
}

#: The panel of the completion options in the top-level help: after the everyday ones.
ADVANCED_OPTIONS = "高级选项"

#: Type names shown in help as ``<…>``; choices (a|b|c) are shown as they are typed.
_TYPE_NAMES = {
    "str": "文字", "int": "整数", "float": "数字", "Decimal": "数字", "bool": "是/否",
    "path": "路径", "Path": "路径", "PosixPath": "路径", "WindowsPath": "路径",
    "file": "文件", "dir": "文件夹", "datetime": "日期时间", "date": "日期",
    "int range": "整数", "float range": "数字", "UUID": "UUID",
    "TEXT": "文字", "INTEGER": "整数", "FLOAT": "数字", "BOOLEAN": "是/否",
    "PATH": "路径", "FILE": "文件", "DIRECTORY": "文件夹", "FILENAME": "文件",
}

_QUOTED = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""


def _q(text: str) -> str:
    """``'abc'`` (a Python repr, as click writes values) → ``“abc”``."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1]
    return f"“{text}”"


def _quoted_list(text: str, sep: str = "、") -> str:
    items = re.findall(_QUOTED, text) or [p for p in text.split(", ") if p]
    return sep.join(_q(item) for item in items)


def _plain_list(text: str) -> str:
    """``'a', 'b'`` → ``a、b`` (choices, shown as they are typed)."""
    items = re.findall(_QUOTED, text) or [p for p in text.split(", ") if p]
    return "、".join(item.strip("'\"") for item in items)


def _param_hint(hint: str) -> str:
    """``'--format' / '-f'`` → ``选项“--format/-f”``; ``'rubric'`` → ``参数“rubric”``."""
    names = [n.strip("'\"") for n in re.findall(_QUOTED, hint)] or [hint.strip()]
    kind = "选项" if names[0].startswith("-") else "参数"
    return f"{kind}“{'/'.join(names)}”"


_BOUNDS = {("greater", True): "不小于", ("greater", False): "大于", ("less", True): "不大于", ("less", False): "小于"}
_LABELS = {"file": "文件", "dir": "文件夹", "directory": "文件夹", "path": "路径"}

# (regular expression, replacement) applied in order to a whole error message; outer wrappers
# ("Invalid value for …: ") first, then the inner reasons they wrap.
_Repl = Callable[[re.Match[str]], str]
_MESSAGES: list[tuple[str, _Repl]] = [
    (r"Invalid value for (.+?): ", lambda m: f"{_param_hint(m[1])}的值无效："),
    (r"^Invalid value: ", lambda m: "值无效："),
    (r"(?:Value|Assertion) error, ", lambda m: ""),
    (rf"No such command ({_QUOTED})\.?", lambda m: f"没有{_q(m[1])}这个命令。"),
    (r"\s*Did you mean (.+?)\?", lambda m: f"您是不是要输入{_quoted_list(m[1], '或')}？"),
    (r"No such option: (\S+)", lambda m: f"没有{_q(m[1])}这个选项。"),
    (r"\s*\(Possible options: (.+?)\)", lambda m: f"您是不是要输入{_quoted_list(m[1], '或')}？"),
    (r"Missing (argument|option|parameter) (.+?)\.(?= |$)",
     lambda m: f"缺少{'选项' if m[1] == 'option' else '参数'}{_param_hint(m[2])[2:]}。"),
    (r"Missing parameter: (\S+)", lambda m: f"缺少参数“{m[1]}”。"),
    (r"(?s)\s*Choose from:\s*(.+)",
     lambda m: "可选：" + "、".join(c.strip() for c in m[1].split(",") if c.strip()) + "。"),
    (rf"({_QUOTED}) is not one of (.+?)\.?$",
     lambda m: f"{_q(m[1])}不在可选范围内，可选：{_plain_list(m[2])}。"),
    (r"Input should be a valid integer.*$", lambda m: "应为整数。"),
    (r"Input should be a valid (?:number|decimal).*$", lambda m: "应为数字。"),
    (r"Input should be a valid boolean.*$", lambda m: "应为是/否（true/false）。"),
    (r"Input should be a valid (?:datetime|date).*$", lambda m: "应为日期时间。"),
    (r"Input should be (greater|less) than( or equal to)? (\S+)$",
     lambda m: f"应{_BOUNDS[(m[1], bool(m[2]))]} {m[3]}。"),
    (rf"(file|dir|directory|path) ({_QUOTED}) does not exist\.",
     lambda m: f"{_LABELS[m[1]]}{_q(m[2])}不存在。"),
    (rf"(file|dir|directory|path) ({_QUOTED}) is a file\.",
     lambda m: f"{_q(m[2])}是文件，这里需要文件夹。"),
    (rf"(file|dir|directory|path) ({_QUOTED}) is a directory\.",
     lambda m: f"{_q(m[2])}是文件夹，这里需要文件。"),
    (rf"(file|dir|directory|path) ({_QUOTED}) is not readable\.",
     lambda m: f"{_LABELS[m[1]]}{_q(m[2])}无法读取（没有权限）。"),
    (rf"(file|dir|directory|path) ({_QUOTED}) is not writable\.",
     lambda m: f"{_LABELS[m[1]]}{_q(m[2])}无法写入（没有权限）。"),
    (rf"Value ({_QUOTED}) is not a valid (\w+)\.",
     lambda m: f"{_q(m[1])}不是有效的{_TYPE_NAMES.get(m[2], m[2])}。"),
    (r"(\d+) values are required, but (\d+) given\.", lambda m: f"需要 {m[1]} 个值，实际给了 {m[2]} 个。"),
    (r"Value must be an iterable\.", lambda m: "应给出一个或多个值。"),
    (rf"Option ({_QUOTED}) requires an argument\.", lambda m: f"选项{_q(m[1])}后面需要一个值。"),
    (rf"Option ({_QUOTED}) requires (\d+) arguments\.", lambda m: f"选项{_q(m[1])}后面需要 {m[2]} 个值。"),
    (rf"Option ({_QUOTED}) does not take a value\.", lambda m: f"选项{_q(m[1])}不接受值。"),
    (rf"Argument ({_QUOTED}) takes (\d+) values\.", lambda m: f"参数{_q(m[1])}需要 {m[2]} 个值。"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", lambda m: f"多余的参数：{m[1]}。"),
    (rf"Could not open file ({_QUOTED}): (.*)$", lambda m: f"无法打开文件{_q(m[1])}：{m[2]}"),
    (r"^Missing command\.$", lambda m: "缺少命令。"),
]


def translate(message: str) -> str:
    """gettext replacement for typer/click msgids."""
    return _GETTEXT.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern[str], _Repl]]:
    """Compiled on the first usage error, not at start-up (saves a few ms on every run)."""
    return [(re.compile(pattern), repl) for pattern, repl in _MESSAGES]


def translate_message(text: str) -> str:
    """An English usage-error message from typer/click/pydantic → Chinese (unknown text is kept)."""
    for pattern, repl in _compiled():
        text = pattern.sub(repl, text)
    return text


def type_label(label: str, *, repeatable: bool = False) -> str:
    """``<list[Path]>`` → ``<路径>...``; choices such as ``<table|json>`` stay as typed."""
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    match = re.fullmatch(r"list\[(.*)\]", inner)
    if match:
        return type_label(match[1], repeatable=repeatable) + ("..." if repeatable else "")
    if "|" in inner and not all(part in _TYPE_NAMES for part in inner.split("|")):
        return f"<{inner}>"
    names = [_TYPE_NAMES.get(part, part) for part in inner.split("|")]
    return f"<{'|'.join(dict.fromkeys(names))}>"


_installed = False


def install() -> None:
    """Make typer's help and usage errors Chinese. Safe to call more than once."""
    global _installed
    if _installed:
        return
    _installed = True
    click = _click_module()
    patches: list[Callable[[], None]] = [
        _patch_gettext,
        lambda: _patch_usage(click),
        lambda: _patch_errors(click),
        lambda: _patch_plain_errors(click),
        lambda: _patch_help_option(click),
        _patch_type_labels,
        _patch_number_ranges,
        _patch_lazy_coercion,
        _patch_completion,
        lambda: _after_import("typer.rich_utils", _patch_rich_utils),
        lambda: _after_import("rich.text", _patch_line_breaks),
    ]
    for patch in patches:
        try:
            patch()
        except (AttributeError, ImportError, TypeError):
            # A typer release that moved an internal: print English rather than crash.
            # tests/test_cli_help.py fails on the English, so it does not go unnoticed.
            continue


def _click_module() -> Any:
    try:
        from typer import _click
    except ImportError:  # typer before 0.29 uses the real click
        import click as _click  # type: ignore[no-redef]
    return _click


def _patch_gettext() -> None:
    import gettext

    for name, module in list(sys.modules.items()):
        if module is None or not (name == "typer" or name.startswith(("typer.", "click"))):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = translate  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = ntranslate  # type: ignore[attr-defined]


def _patch_usage(click: Any) -> None:
    """One formatter class writes every usage line (help, errors): set click's hook."""
    base = click.HelpFormatter

    class ChineseHelpFormatter(base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = args.replace("[OPTIONS]", "[选项]").replace("COMMAND [ARGS]...", "命令 [参数]...")
            super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    click.Context.formatter_class = ChineseHelpFormatter


def _patch_errors(click: Any) -> None:
    """Each class that formats a message (up to typer's own base) gets its output translated."""
    exceptions = click.exceptions
    names = ("UsageError", "BadParameter", "MissingParameter", "NoSuchOption", "FileError")
    owners = {
        owner
        for name in names
        if (cls := getattr(exceptions, name, None)) is not None
        for owner in cls.__mro__
        if "format_message" in owner.__dict__
    }
    for owner in owners:
        original = owner.__dict__["format_message"]
        if getattr(original, "_chuangyou", False):
            continue

        def format_message(self: Any, _original: Callable[[Any], str] = original) -> str:
            return translate_message(_original(self))

        format_message._chuangyou = True  # type: ignore[attr-defined]
        owner.format_message = format_message


def _patch_plain_errors(click: Any) -> None:
    """Without rich (TYPER_USE_RICH=0) typer prints errors with click's ``show()``."""
    for cls in (click.exceptions.ClickException, click.exceptions.UsageError):
        original = cls.__dict__.get("show")
        if original is None or getattr(original, "_chuangyou", False):
            continue

        def show(self: Any, file: Any = None, _original: Callable[..., None] = original) -> None:
            buffer = io.StringIO()
            _original(self, buffer)
            text = re.sub(r"^Try '(.+)' for help\.$", r"运行“\1”查看帮助。", buffer.getvalue(), flags=re.M)
            text = re.sub(r"^Error: ", "错误：", text, flags=re.M)
            (file or sys.stderr).write(text)

        show._chuangyou = True  # type: ignore[attr-defined]
        cls.show = show


def _patch_help_option(click: Any) -> None:
    """The vendored click hard-codes the help option's English help text."""
    command = click.Command
    original = command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _GETTEXT["Show this message and exit."]
        return option

    command.get_help_option = get_help_option


def _patch_type_labels() -> None:
    """``<bool>`` on a flag says nothing useful: hide it; other type names in Chinese."""
    from typer.core import TyperOption, _TyperParameter

    display_type = _TyperParameter.display_type
    display_type_rich = TyperOption.display_type_rich

    def param_display_type(self: Any, ctx: Any) -> str:
        return type_label(display_type(self, ctx), repeatable=self.param_type_name == "option")

    def option_display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_bool_flag", False) and self.metavar is None:
            return None
        return display_type_rich(self, ctx)

    _TyperParameter.display_type = param_display_type  # type: ignore[method-assign]
    TyperOption.display_type_rich = option_display_type_rich  # type: ignore[method-assign]


def describe_range(min: float | None, max: float | None) -> str | None:  # typer's parameter names
    """Number limits in help: ``[≥1]``, ``[≤64]``, ``[1～5]`` instead of ``[x>=1]``."""
    if min is None and max is None:
        return None
    if max is None:
        return f"≥{min}"
    if min is None:
        return f"≤{max}"
    return f"{min}～{max}"


def _patch_number_ranges() -> None:
    import typer.core as core

    if hasattr(core, "describe_number_range"):
        core.describe_number_range = describe_range


def _patch_lazy_coercion() -> None:
    """Do not build a pydantic validator for an option that was not given.

    typer 0.29 builds the validator before it notices the value is None, so every
    subcommand (even ``chuangyou rubric show --help``) imported pydantic and built
    validators for the root's absent --install-completion/--show-completion: 60–150 ms.
    For an absent optional single value the original does nothing but run the callback.
    """
    from typer.core import _TyperParameter

    original = _TyperParameter.process_value
    if getattr(original, "_chuangyou", False):
        return

    def process_value(self: Any, ctx: Any, value: Any) -> Any:
        if value is None and not self.required and self.nargs == 1 and not self.multiple:
            return self.callback(ctx, self, None) if self.callback is not None else None
        return original(self, ctx, value)

    process_value._chuangyou = True  # type: ignore[attr-defined]
    _TyperParameter.process_value = process_value  # type: ignore[method-assign]


def _patch_completion() -> None:
    """--install-completion / --show-completion: Chinese help and a Chinese success message."""
    from typer import completion

    for function_name in ("_install_completion_placeholder_function", "_install_completion_no_auto_placeholder_function"):
        function = getattr(completion, function_name, None)
        for info in getattr(function, "__defaults__", None) or ():
            help_text = getattr(info, "help", None)
            if help_text in _COMPLETION_HELP:
                info.help = _COMPLETION_HELP[help_text]
                info.rich_help_panel = ADVANCED_OPTIONS
            if getattr(info, "callback", None) is getattr(completion, "install_callback", object()):
                info.callback = _install_callback


def _install_callback(ctx: Any, param: Any, value: Any) -> Any:
    """typer.completion.install_callback with its two English lines in Chinese."""
    if not value or ctx.resilient_parsing:
        return value
    import typer
    from typer._completion_shared import install

    shell, path = install(shell=value) if isinstance(value, str) else install()
    typer.secho(f"已为 {shell} 安装命令补全：{path}", fg="green")
    typer.echo("重新打开终端后生效。")
    sys.exit(0)


def _patch_rich_utils(module: Any) -> None:
    for name, value in _RICH_CONSTANTS.items():
        if hasattr(module, name):
            setattr(module, name, value)
    if getattr(module, "_", None) is not None:
        module._ = translate
    highlighter = getattr(module, "OptionHighlighter", None)
    if highlighter is not None:  # keep the usage prefix highlighted as "Usage: " was
        highlighter.highlights = [*highlighter.highlights, r"(?P<usage>用法：)"]


def _patch_line_breaks(module: Any) -> None:
    from chuangyou.cli import linebreak

    linebreak.install(module)


def _after_import(name: str, patch: Callable[[Any], None]) -> None:
    """Run ``patch(module)`` now if ``name`` is imported, else right after its first import."""
    module = sys.modules.get(name)
    if module is not None:
        patch(module)
        return
    sys.meta_path.insert(0, _PatchOnImport(name, patch))


class _PatchOnImport:
    """A meta-path finder that lets the normal finders load one module, then patches it."""

    def __init__(self, name: str, patch: Callable[[Any], None]) -> None:
        self.name = name
        self.patch = patch

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        import importlib.util

        sys.meta_path.remove(self)  # one-shot; also keeps find_spec below from finding us
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        exec_module = spec.loader.exec_module
        patch = self.patch

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec
