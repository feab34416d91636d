"""Every command's --help and every usage error is Chinese; docs/cli.md matches --help.

Commands are discovered from the Typer app, so a newly registered command is checked
without touching this file. The English strings below are the ones typer and its vendored
click write; if a typer upgrade moves one of the hooks in chuangyou.cli.i18n, these fail.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.core
import typer.main
from typer.testing import CliRunner

from chuangyou.cli import i18n
from chuangyou.cli.app import app
from chuangyou.cli.main import main
from cli_helpers import load_script

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_IN_HELP = (
    "Usage", "Options", "Show this message", "Arguments", "Commands", "default", "required",
    "[OPTIONS]", "COMMAND", "[ARGS]", "Install completion", "Show completion", "env var",
    "<bool>", "<str>", "<int>", "<float>", "<path>", "<Path>", "<file>", "<dir>", "list[",
)
ENGLISH_IN_ERRORS = (
    "Usage", "Error", "Invalid", "Missing", "No such", "Did you mean", "Possible", "Value error",
    "is not one of", "Try ", "for help", "requires", "unexpected", "Input should",
)
RUNNER = CliRunner()


def _walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(typer.main.get_command(app)))
IDS = [" ".join(("chuangyou", *path)) for path, _ in COMMANDS]
LEAVES = [(p, c) for p, c in COMMANDS if not hasattr(c, "commands")]
GROUPS = [(p, c) for p, c in COMMANDS if hasattr(c, "commands")]


def _own_params(command: Any) -> list[Any]:
    """Parameters a command author wrote (not --help or the completion options)."""
    skip = {"help", "install_completion", "show_completion"}
    return [p for p in command.params if p.name not in skip]


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def flat(text: str) -> str:
    """Output without the line breaks and box borders rich adds to fit the terminal."""
    return re.sub(r"[\s│]+", "", text)


def assert_no_english(text: str, words: tuple[str, ...]) -> None:
    found = [w for w in words if w in text]
    assert not found, f"English left in output: {found}\n{text}"


# -- help ---------------------------------------------------------------------


def test_discovery_finds_the_rubric_commands() -> None:
    assert {"chuangyou", "chuangyou rubric", "chuangyou rubric check", "chuangyou rubric schema"} <= set(IDS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_text_is_chinese_and_ends_with_an_example(path: tuple[str, ...], command: Any) -> None:
    lines = [line.strip() for line in (command.help or "").strip().splitlines() if line.strip()]
    assert lines and CJK.search(lines[0]), f"{path}: help must start with a Chinese sentence"
    example = " ".join(("示例：chuangyou", *path))
    assert lines[-1].startswith(example), f"{path}: last help line should be “{example} …”, got “{lines[-1]}”"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_every_parameter_has_chinese_help(path: tuple[str, ...], command: Any) -> None:
    missing = [p.name for p in _own_params(command) if not CJK.search(getattr(p, "help", None) or "")]
    assert not missing, f"{path}: parameters without Chinese help: {missing}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_arguments_have_chinese_names(path: tuple[str, ...], command: Any) -> None:
    """Argument names appear in 用法 and in 缺少参数“…”: give them a Chinese metavar."""
    english = [p.name for p in _own_params(command) if p.param_type_name == "argument" and not CJK.search(p.metavar or "")]
    assert not english, f"{path}: arguments need metavar=\"中文名\": {english}"


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_output_has_no_english(path: tuple[str, ...], command: Any, rich: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.core, "HAS_RICH", rich)
    result = RUNNER.invoke(app, [*path, "--help"], prog_name="chuangyou")
    assert result.exit_code == 0, result.output
    assert " ".join(("用法：chuangyou", *path)) in result.output
    assert "显示本帮助并退出。" in result.output
    assert_no_english(result.output, ENGLISH_IN_HELP)


def test_root_help_shows_chinese_panels_and_completion_options() -> None:
    result = RUNNER.invoke(app, ["--help"], prog_name="chuangyou")
    assert "用法：chuangyou [选项] 命令 [参数]..." in result.output
    for title in ("─ 选项 ─", "─ 命令 ─"):
        assert title in result.output
    assert "─ 高级选项 ─" in result.output
    assert flat("--install-completion 安装 Tab 键补全") in flat(result.output)
    assert flat("--show-completion 显示 Tab 键补全的脚本") in flat(result.output)


def test_defaults_required_and_type_names_are_chinese() -> None:
    demo = typer.Typer()

    @demo.command()
    def run(
        target: Path = typer.Argument(..., metavar="文件", help="要处理的文件。"),
        jobs: int = typer.Option(2, "--jobs", min=1, help="并行进程数。"),
        level: int = typer.Option(3, "--level", min=1, max=5, help="级别。"),
        ratio: float = typer.Option(0.5, "--ratio", help="比例。"),
        names: list[str] = typer.Option([], "--name", help="名称，可重复。"),
        quiet: bool = typer.Option(False, "--quiet", help="不输出进度。"),
    ) -> None:
        """演示。"""

    output = RUNNER.invoke(demo, ["--help"], prog_name="demo").output
    assert "用法：demo [选项] {文件}" in output
    assert re.search(r"--jobs\s+<整数> \[≥1\]\s+并行进程数。 \[默认：2\]", output)
    assert re.search(r"--level\s+<整数> \[1～5\]", output)
    assert re.search(r"--ratio\s+<数字>", output)
    assert re.search(r"--name\s+<文字>\.\.\.", output)
    assert re.search(r"--quiet\s+不输出进度。", output), "a flag shows no <bool> type"
    assert re.search(r"文件\s+<路径>\s+要处理的文件。 \[必填\]", output)


# -- usage errors (the real entry point: chuangyou.cli.main.main) -------------


def test_unknown_command_at_root(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["nosuchcommand"], capsys)
    assert code == 2
    assert "用法错误：没有“nosuchcommand”这个命令。" in err
    assert "运行“chuangyou --help”查看用法。" in err
    assert_no_english(err, ENGLISH_IN_ERRORS)


@pytest.mark.parametrize(("path", "group"), GROUPS, ids=[" ".join(("chuangyou", *p)) for p, _ in GROUPS])
def test_mistyped_subcommand_gets_a_suggestion(path: tuple[str, ...], group: Any, capsys: pytest.CaptureFixture[str]) -> None:
    name = next(iter(group.commands))
    typo = name[:-1] + "x" + name[-1] if len(name) > 2 else name + "x"
    code, _, err = run_main([*path, typo], capsys)
    assert code == 2
    assert f"没有“{typo}”这个命令。" in err
    assert f"您是不是要输入“{name}”" in err
    assert_no_english(err, ENGLISH_IN_ERRORS)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_unknown_option(path: tuple[str, ...], command: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main([*path, "--no-such-option"], capsys)
    assert code == 2
    assert "用法错误：没有“--no-such-option”这个选项。" in err
    assert_no_english(err, ENGLISH_IN_ERRORS)


CHOICE_OPTIONS = [
    (path, param)
    for path, command in LEAVES
    for param in _own_params(command)
    if param.param_type_name == "option" and param.type_descriptor.choices
]


def test_some_command_has_a_choice_option() -> None:
    assert CHOICE_OPTIONS, "rubric show --format should be found"


@pytest.mark.parametrize(("path", "param"), CHOICE_OPTIONS, ids=[f"{' '.join(p)} {o.opts[0]}" for p, o in CHOICE_OPTIONS])
def test_bad_choice(path: tuple[str, ...], param: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main([*path, param.opts[0], "nonsense"], capsys)
    choices = "、".join(str(getattr(c, "value", c)) for c in param.type_descriptor.choices)
    names = "/".join(param.opts)
    assert code == 2
    assert f"选项“{names}”的值无效：“nonsense”不在可选范围内，可选：{choices}。" in err
    assert_no_english(err, ENGLISH_IN_ERRORS)


REQUIRED = [(p, c) for p, c in LEAVES if any(param.required for param in _own_params(c))]


@pytest.mark.parametrize(("path", "command"), REQUIRED, ids=[" ".join(("chuangyou", *p)) for p, _ in REQUIRED])
def test_missing_required_parameter(path: tuple[str, ...], command: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(list(path), capsys)
    assert code == 2
    assert re.search(r"用法错误：缺少(参数|选项)“[^”]+”。", err), err
    assert_no_english(err, ENGLISH_IN_ERRORS)


def test_extra_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(["rubric", "list", "多余的"], capsys)
    assert code == 2
    assert "用法错误：多余的参数：多余的。" in err


def test_option_without_its_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_main(["rubric", "show", "village", "--format"], capsys)
    assert code == 2
    assert "用法错误：选项“--format”后面需要一个值。" in err


def test_standalone_errors_use_chinese_panel() -> None:
    """typer's own error printer (CliRunner, standalone mode) also speaks Chinese."""
    result = RUNNER.invoke(app, ["rubric", "show", "village", "--format", "x"], prog_name="chuangyou")
    assert result.exit_code == 2
    assert "用法：chuangyou rubric show [选项]" in result.output
    assert "运行 chuangyou rubric show -h 查看帮助。" in result.output
    assert "─ 错误 ─" in result.output
    assert_no_english(result.output, ENGLISH_IN_ERRORS)


def test_value_errors_of_typed_options() -> None:
    demo = typer.Typer()

    @demo.command()
    def run(
        jobs: int = typer.Option(1, "--jobs", min=1),
        ratio: float = typer.Option(0.5, "--ratio"),
        source: Path = typer.Option(None, "--source", exists=True),
        folder: Path = typer.Option(None, "--folder", exists=True, file_okay=False),
    ) -> None:
        """演示。"""

    @demo.command()
    def other() -> None:
        """另一个。"""

    cases = {
        ("--jobs", "abc"): "选项“--jobs”的值无效：应为整数。",
        ("--jobs", "0"): "选项“--jobs”的值无效：应不小于 1。",
        ("--ratio", "x"): "选项“--ratio”的值无效：应为数字。",
        ("--source", "/no/such/file"): "选项“--source”的值无效：路径“/no/such/file”不存在。",
        ("--folder", __file__): f"选项“--folder”的值无效：“{__file__}”是文件，这里需要文件夹。",
    }
    for args, message in cases.items():
        result = RUNNER.invoke(demo, ["run", *args], prog_name="demo")
        assert result.exit_code == 2, args
        assert flat(message) in flat(result.output), result.output


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("No such command 'shwo'. Did you mean 'show'?", "没有“shwo”这个命令。您是不是要输入“show”？"),
        ("No such option: --fromat (Possible options: --force, --format)", "没有“--fromat”这个选项。您是不是要输入“--force”或“--format”？"),
        ("Invalid value for '--format' / '-f': Value error, 'xx' is not one of 'table', 'json'.",
         "选项“--format/-f”的值无效：“xx”不在可选范围内，可选：table、json。"),
        ("Missing argument 'FILE'.", "缺少参数“FILE”。"),
        ("Missing option '--rubric' / '-r'.", "缺少选项“--rubric/-r”。"),
        ("Missing option '--format'. Choose from:\n\ttable,\n\tjson", "缺少选项“--format”。可选：table、json。"),
        ("Missing command.", "缺少命令。"),
        ("Got unexpected extra argument(s) (a b)", "多余的参数：a b。"),
        ("Got unexpected extra arguments (a b)", "多余的参数：a b。"),
        ("Option '--format' requires an argument.", "选项“--format”后面需要一个值。"),
        ("Option '--quiet' does not take a value.", "选项“--quiet”不接受值。"),
        ("Invalid value for '--jobs': Input should be less than or equal to 64", "选项“--jobs”的值无效：应不大于 64。"),
        ("Invalid value for 'DIR': dir 'x' does not exist.", "参数“DIR”的值无效：文件夹“x”不存在。"),
        ("Invalid value: Value 'x' is not a valid int.", "值无效：“x”不是有效的整数。"),
        ("something we do not know", "something we do not know"),
    ],
)
def test_translate_message(english: str, chinese: str) -> None:
    assert i18n.translate_message(english) == chinese


def test_install_is_idempotent() -> None:
    i18n.install()
    i18n.install()
    assert i18n.translate_message("No such option: -x") == "没有“-x”这个选项。"
    result = RUNNER.invoke(app, ["rubric", "--help"], prog_name="chuangyou")
    assert result.output.count("用法：") == 1


# -- start-up, completion, generated docs --------------------------------------


def test_startup_stays_lean_and_rich_help_is_patched_on_import() -> None:
    code = (
        "import sys, chuangyou.cli.app\n"
        "heavy = [m for m in ('typer.rich_utils', 'rich.markdown', 'pydantic', 'openpyxl', 'yaml') if m in sys.modules]\n"
        "import typer.rich_utils as r\n"
        "print(heavy, r.OPTIONS_PANEL_TITLE, r.DEFAULT_STRING, r.REQUIRED_LONG_STRING)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] 选项 [默认：{}] [必填]"


def test_subcommand_help_builds_no_validators() -> None:
    """Absent root options must not make typer import pydantic (60–150 ms per run)."""
    code = (
        "import sys\n"
        "from chuangyou.cli.main import main\n"
        "try:\n    main(['rubric', 'show', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('pydantic loaded:', 'pydantic' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "用法：chuangyou rubric show" in result.stdout
    assert result.stdout.strip().endswith("pydantic loaded: False")


def test_rank_imports_only_what_it_uses(tmp_path: Path) -> None:
    """rank --format json on a warm cache: no Word documents (python-docx, ~90 ms), no YAML
    (rubrics from the cache), no export sheets, no reader libraries."""
    code = (
        "import sys\n"
        "from chuangyou.cli.main import main\n"
        "try:\n    main(['rank', sys.argv[1], '--format', 'json'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('docx', 'chuangyou.documents', 'yaml', 'chuangyou.export.table', 'xlsxwriter', 'openpyxl',\n"
        "         'python_calamine', 'chuangyou.engine')\n"
        "print('loaded:', [m for m in heavy if m in sys.modules], file=sys.stderr)\n"
    )
    env = {**os.environ, "CHUANGYOU_CACHE_DIR": str(tmp_path / "cache")}
    township = str(ROOT / "examples" / "城关镇")
    first = subprocess.run([sys.executable, "-c", code, township], capture_output=True, text=True, env=env)
    assert "loaded: [" in first.stderr and "'docx'" not in first.stderr  # cold: the reader, not the documents
    warm = subprocess.run([sys.executable, "-c", code, township], capture_output=True, text=True, env=env)
    assert warm.stderr.strip().endswith("loaded: []")
    assert warm.stdout == first.stdout and warm.stdout.startswith("{")


@pytest.mark.skipif(sys.platform == "win32", reason="bash completion")
def test_shell_completion_installs_and_completes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read when the command is built, before CliRunner applies its env: name the shell explicitly.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = RUNNER.invoke(app, ["--install-completion", "bash"], prog_name="chuangyou")
    script = tmp_path / ".bash_completions" / "chuangyou.sh"
    assert result.exit_code == 0, result.output
    assert f"已为 bash 安装命令补全：{script}" in result.output
    assert "重新打开终端后生效。" in result.output
    assert "_CHUANGYOU_COMPLETE" in script.read_text(encoding="utf-8")
    complete = {"_CHUANGYOU_COMPLETE": "complete_bash", "COMP_WORDS": "chuangyou rubric sc", "COMP_CWORD": "2"}
    result = RUNNER.invoke(app, [], prog_name="chuangyou", env=complete)
    assert result.output.split() == ["schema"]


def _generator() -> Any:
    return load_script("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")


def test_cli_reference_is_up_to_date() -> None:
    expected = _generator().render()
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == expected, "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_cli_reference_lists_every_command() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in IDS:
        assert f"\n## {name}\n" in committed
    assert "\x1b[" not in committed
