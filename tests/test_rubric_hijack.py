"""A rubric id is an id: a file of that name in the working folder changes nothing.

Seen in review: with a file named ``village`` in the current folder, ``--rubric village`` (and
a workbook whose 评定标准 is village) silently used that file: other cut-offs applied, and a
workbook read with one rubric was scored with another. Only a reference that looks like a
path (a .yaml/.yml suffix or a separator) is opened as a file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from chuangyou.cli import output
from chuangyou.cli.main import main
from chuangyou.errors import UsageError
from chuangyou.rubric import resolve
from chuangyou.rubric.registry import bundled_dir

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EVIDENCE = "示例-东关村党支部.xlsx"  # 88.5 points: 良好党支部 under the bundled village rubric


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    output._console.cache_clear()
    code = 0
    try:
        main(argv)
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def stray(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding files named like the bundled ids: a village rubric whose
    优秀 cut-off is 85 (the hijack), and an agency/two_new that are not rubrics at all."""
    monkeypatch.chdir(tmp_path)
    text = (bundled_dir() / "village.yaml").read_text(encoding="utf-8")
    hijack = text.replace("{name: 优秀党支部, min: 90}", "{name: 优秀党支部, min: 85}")
    assert hijack != text
    (tmp_path / "village").write_text(hijack, encoding="utf-8")
    (tmp_path / "agency").write_text("not: a rubric\n", encoding="utf-8")
    (tmp_path / "two_new").mkdir()
    (tmp_path / "材料").mkdir()
    shutil.copyfile(EXAMPLES / EVIDENCE, tmp_path / "材料" / EVIDENCE)
    return tmp_path


def test_resolve_by_id_ignores_files(stray: Path) -> None:
    bundled = bundled_dir()
    assert resolve("village").path == str(bundled / "village.yaml")
    assert resolve("agency").path == str(bundled / "agency.yaml")
    assert resolve("two_new").path == str(bundled / "two_new.yaml")
    assert resolve("./village").tiers[0].min == 85  # a path, spelled as one, is still a path


def test_a_bare_file_name_is_not_a_rubric(stray: Path) -> None:
    (stray / "mine").write_text("id: mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        resolve("mine")
    assert caught.value.message == (
        "未找到评定标准“mine”。内置的有：agency、two_new、village；"
        "当前文件夹中名为“mine”的文件不会被当作评定标准：请用 .yaml 扩展名或写成 ./mine"
    )


@pytest.mark.parametrize("forced", [[], ["--rubric", "village"], ["-r", "村社区"]])
def test_score_and_rank_use_the_bundled_rubric(stray: Path, forced: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", f"材料/{EVIDENCE}", "-f", "json", *forced], capsys)
    assert code == 0, err
    card = json.loads(out)
    assert (card["total"], card["tier"]) == ("88.5", "良好党支部")
    assert card["rubric"]["sha256"] == resolve(str(bundled_dir() / "village.yaml")).sha256
    code, out, err = run(["rank", "材料", "-f", "json", "-j", "1", *forced], capsys)
    assert code == 0, err
    [result] = json.loads(out)["results"]
    assert (result["total"], result["tier"]) == ("88.5", "良好党支部")


def test_the_file_is_used_only_when_named_as_a_path(stray: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["score", f"材料/{EVIDENCE}", "-f", "json", "--rubric", "./village"], capsys)
    assert code == 0, err
    assert json.loads(out)["tier"] == "优秀党支部"  # proves the stray file would have changed the tier


def test_template_and_rubric_commands_use_the_bundled_rubric(stray: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["template", "-r", "agency", "-o", "模板.xlsx"], capsys)[0] == 0
    code, out, _ = run(["rubric", "show", "village"], capsys)
    assert code == 0 and "90" in out
    code, out, _ = run(["rubric", "test", "two_new"], capsys)
    assert code == 0 and "0 个失败" in out
