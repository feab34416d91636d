"""The one overwrite policy (safeio): an existing file is replaced only if it is our own
earlier output of the same kind, or with --force; an input never, not even with --force.

Seen in review: `rubric schema -o 东关村.xlsx` replaced a filled workbook with JSON, `-o my.yaml`
destroyed a custom rubric, `rank -o`/`export -o` replaced any workbook that was not an input.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document

from chuangyou.errors import UsageError
from chuangyou.safeio import (
    RUBRIC_SCHEMA,
    TIERLIST,
    OutputKind,
    check_output,
    is_own_output,
    write_atomic,
    write_text_atomic,
)
from cli_helpers import run_cli as run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EVIDENCE = EXAMPLES / "示例-东关村党支部.xlsx"
REFUSED = "已存在，且不是本工具生成的{}，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖"


def refused(path: str, label: str) -> str:
    return f"错误：文件 {path} " + REFUSED.format(label) + "\n"


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """材料/ with one evidence workbook; a filled workbook and a custom rubric beside it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    shutil.copyfile(EVIDENCE, tmp_path / "材料" / EVIDENCE.name)
    shutil.copyfile(EVIDENCE, tmp_path / "东关村.xlsx")  # filled in, outside the scanned folder
    (tmp_path / "my.yaml").write_text("id: mine\n", encoding="utf-8")
    return tmp_path


# --- recognizing our own outputs --------------------------------------------------------------

def office(path: Path, keywords: str | None, core: bytes | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        if core is not None or keywords is not None:
            archive.writestr("docProps/core.xml", core if core is not None else (
                '<cp:coreProperties xmlns:cp="x"><cp:keywords>' + (keywords or "") + "</cp:keywords></cp:coreProperties>"))
    return path


@pytest.mark.parametrize(("keywords", "own"), [
    ("chuangyou-export 创优 等级名单", True),
    ("chuangyou-export 等级名单", True),
    ("chuangyou-export 创优 收集情况", False),  # ours, but another kind
    ("等级名单", False),  # a user's own keywords
    ("chuangyou-export创优等级名单", False),
    (None, False),  # no core properties at all
])
def test_tier_list_recognized_by_its_marker_and_kind(tmp_path: Path, keywords: str | None, own: bool) -> None:
    assert is_own_output(office(tmp_path / "x.xlsx", keywords), TIERLIST) is own


@pytest.mark.parametrize("blob", [b"", b"not a zip", b"PK\x03\x04broken", EVIDENCE.read_bytes()[:3000]])
def test_broken_files_are_not_ours(tmp_path: Path, blob: bytes) -> None:
    (tmp_path / "x.xlsx").write_bytes(blob)
    assert not is_own_output(tmp_path / "x.xlsx", TIERLIST)


def test_core_properties_bomb_is_read_no_further_than_the_marker_needs(tmp_path: Path) -> None:
    # Padding before the keywords: only the first 64 KB are ever inflated, so a bomb costs nothing.
    core = b"<cp:coreProperties>" + b" " * 2_000_000 + "<cp:keywords>chuangyou-export 等级名单</cp:keywords>".encode()
    with zipfile.ZipFile(tmp_path / "x.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/core.xml", core)
    assert not is_own_output(tmp_path / "x.xlsx", TIERLIST)


def test_docx_carries_the_same_marker(tmp_path: Path) -> None:
    kind = OutputKind("公示通知")
    document = Document()
    document.core_properties.keywords = kind.keywords
    document.save(str(tmp_path / "公示.docx"))
    assert is_own_output(tmp_path / "公示.docx", kind)
    assert not is_own_output(tmp_path / "公示.docx", TIERLIST)


def test_json_and_text_kinds(tmp_path: Path) -> None:
    schema = tmp_path / "s.json"
    schema.write_text(json.dumps({"$comment": RUBRIC_SCHEMA.marker, "title": "x"}), encoding="utf-8")
    assert is_own_output(schema, RUBRIC_SCHEMA)
    for text in ('{"title": "x"}', "[1]", "{" * 100_000, '{"$comment": "chuangyou-export 等级名单"}', "\xff"):
        schema.write_text(text, encoding="utf-8")
        assert not is_own_output(schema, RUBRIC_SCHEMA), text
    kind = OutputKind("评定标准副本", "text")
    yaml = tmp_path / "copy.yaml"
    yaml.write_text(kind.header + "\r\nid: mine\n", encoding="utf-8")
    assert is_own_output(yaml, kind)
    yaml.write_text("id: mine\n" + kind.header + "\n", encoding="utf-8")
    assert not is_own_output(yaml, kind)


# --- the library API --------------------------------------------------------------------------

def test_write_atomic_policy(tmp_path: Path) -> None:
    kind = OutputKind("对比", "text")
    target = tmp_path / "对比.txt"
    write_text_atomic(target, kind.header + "\n1\n", kind=kind)  # new: written
    write_text_atomic(target, kind.header + "\n2\n", kind=kind)  # our own: replaced
    assert target.read_text(encoding="utf-8") == kind.header + "\n2\n"
    target.write_text("a user's notes\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        write_text_atomic(target, "3\n", kind=kind)
    assert caught.value.message == f"文件 {target} " + REFUSED.format("对比")
    with pytest.raises(UsageError) as caught:  # kind=None: a file people fill in, never ours to replace
        write_atomic(target, lambda tmp: tmp.write_text("4"), kind=None)
    assert caught.value.message == f"文件 {target} 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖"
    assert target.read_text(encoding="utf-8") == "a user's notes\n"
    write_text_atomic(target, "5\n", force=True)
    assert target.read_text(encoding="utf-8") == "5\n"
    with pytest.raises(UsageError, match="与输入文件相同"):  # an input: not even with force
        write_text_atomic(target, "6\n", inputs=[target], force=True)


def test_an_input_under_another_name_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Told apart by identity: a hard link, a symbolic link, a relative name of an input."""
    source = tmp_path / "材料" / "东关村.xlsx"
    source.parent.mkdir()
    source.write_bytes(b"evidence")
    others = [tmp_path / "材料" / f"村{n}.xlsx" for n in range(3)]
    for other in others:
        other.write_bytes(b"x")
    os.link(source, tmp_path / "硬链接.xlsx")
    (tmp_path / "链接.xlsx").symlink_to(source)
    monkeypatch.chdir(tmp_path)
    for name in (tmp_path / "硬链接.xlsx", tmp_path / "链接.xlsx", Path("材料/东关村.xlsx"), Path("材料/../材料/东关村.xlsx")):
        with pytest.raises(UsageError, match="与输入文件相同"):
            check_output(name, [*others, source], force=True)
    check_output(tmp_path / "新文件.xlsx", [*others, source])  # not there: none of the inputs
    with pytest.raises(UsageError, match="与输入文件相同"):  # an input gone missing keeps its name
        check_output(Path("材料/./已删除.xlsx"), [*others, tmp_path / "材料" / "已删除.xlsx"])
    assert source.read_bytes() == b"evidence"


def test_a_dangling_symlink_counts_as_existing(tmp_path: Path) -> None:
    (tmp_path / "link.json").symlink_to(tmp_path / "nowhere")
    with pytest.raises(UsageError, match="已存在"):
        write_text_atomic(tmp_path / "link.json", "{}", kind=RUBRIC_SCHEMA)


# --- every writing command --------------------------------------------------------------------

def test_rubric_schema_never_replaces_a_workbook_or_a_rubric(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (work / "东关村.xlsx").read_bytes()
    for name in ("东关村.xlsx", "my.yaml"):
        assert run(["rubric", "schema", "-o", name], capsys) == (2, "", refused(name, "评定标准JSON-Schema"))
    assert (work / "东关村.xlsx").read_bytes() == before
    assert (work / "my.yaml").read_text(encoding="utf-8") == "id: mine\n"
    assert run(["rubric", "schema", "-o", "s.json"], capsys) == (0, "已写入 s.json\n", "")
    assert run(["rubric", "schema", "-o", "s.json"], capsys) == (0, "已写入 s.json\n", "")  # ours: replaced
    assert json.loads((work / "s.json").read_text(encoding="utf-8"))["$comment"] == "chuangyou-export 评定标准JSON-Schema"
    assert run(["rubric", "schema", "-o", "my.yaml", "--force"], capsys)[0] == 0


def test_rank_and_export_never_replace_a_stranger(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (work / "东关村.xlsx").read_bytes()
    assert run(["rank", "材料", "-o", "东关村.xlsx"], capsys) == (2, "", refused("东关村.xlsx", "等级名单"))
    code, out, _ = run(["rank", "材料", "-f", "json"], capsys)
    (work / "结果.json").write_text(out, encoding="utf-8")
    assert run(["export", "结果.json", "-o", "东关村.xlsx"], capsys) == (2, "", refused("东关村.xlsx", "等级名单"))
    assert (work / "东关村.xlsx").read_bytes() == before
    office(work / "收集情况.xlsx", "chuangyou-export 创优 收集情况")  # ours, another kind
    assert run(["rank", "材料", "-o", "收集情况.xlsx"], capsys) == (2, "", refused("收集情况.xlsx", "等级名单"))
    # our own tier list is replaced by a rerun, by rank and by export
    assert run(["rank", "材料", "-o", "名单.xlsx"], capsys)[0] == 0
    assert run(["rank", "材料", "-o", "名单.xlsx"], capsys)[0] == 0
    assert run(["export", "结果.json", "-o", "名单.xlsx"], capsys)[0] == 0
    assert is_own_output(work / "名单.xlsx", TIERLIST)
    # --force replaces the stranger; an input stays refused even with it
    assert run(["export", "结果.json", "-o", "东关村.xlsx", "--force"], capsys)[0] == 0
    assert is_own_output(work / "东关村.xlsx", TIERLIST)
    victim = f"材料/{EVIDENCE.name}"
    code, out, err = run(["rank", "材料", "-o", victim, "--force"], capsys)
    assert (code, err) == (2, f"错误：输出文件 {victim} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名\n")
    assert (work / victim).read_bytes() == EVIDENCE.read_bytes()


def test_template_follows_the_same_policy(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["template", "-r", "village", "-o", "模板.xlsx"], capsys)[0] == 0
    # a template is filled in by people: not even our own earlier one is replaced without --force
    code, _, err = run(["template", "-r", "village", "-o", "模板.xlsx"], capsys)
    assert (code, err) == (2, "错误：文件 模板.xlsx 已存在，未写入：为避免覆盖其中的内容，请换一个文件名，或加 --force 覆盖\n")
    assert run(["template", "-r", "village", "-o", "模板.xlsx", "--force"], capsys)[0] == 0


def test_rank_refuses_before_scoring(work: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import chuangyou.batch

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("scored before the output was checked")

    monkeypatch.setattr(chuangyou.batch, "run_batch", never)
    assert run(["rank", "材料", "-o", "东关村.xlsx"], capsys)[0] == 2

