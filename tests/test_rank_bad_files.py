"""`chuangyou rank` over a folder where some files cannot be scored.

The folder holds five good workbooks (the one-of-each-kind examples; their totals were worked
out by hand in test_examples.py and docs/examples.md) and, beside them: a truncated download
(corrupt zip), a password-protected workbook (an OLE2 compound file with an EncryptionInfo
stream, as Excel and WPS save it), an Office lock file ``~$…`` (skipped silently) and a
workbook whose 评定标准 names a rubric that does not exist. Every good file must be scored,
exactly the bad ones listed with their Chinese reasons, the exit code 1, the output the same
for one and two jobs, and no input ever written to.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from pathlib import Path

import openpyxl
import pytest

from chuangyou.cli import output
from chuangyou.cli.main import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
A, B, C = "优秀党支部", "良好党支部", "一般党支部"
DIR = "材料"  # the folder, given relative to the working directory as a user types it
V, G, T = f"{DIR}/村社区/", f"{DIR}/机关/", f"{DIR}/两新/"

# source → (organization, total, tier), as docs/examples.md lists them
GOOD = {
    G + "示例-城关市场监管所党支部.xlsx": ("城关市场监管所党支部", "85", B),
    T + "示例-华星电子有限公司党支部.xlsx": ("华星电子有限公司党支部", "92", A),
    T + "示例-城关镇志愿者协会党支部.xlsx": ("城关镇志愿者协会党支部", "78.5", C),
    V + "示例-东关村党支部.xlsx": ("东关村党支部", "88.5", B),
    V + "示例-滨河社区党委.xlsx": ("滨河社区党委", "95.5", A),
}
CORRUPT, LOCKED, WRONG = V + "损坏.xlsx", T + "加密.xlsx", G + "错标准.xlsx"
LOCK_FILE = V + "~$示例-东关村党支部.xlsx"
UNREADABLE = "证明材料工作簿无法读取"
ONE_PROBLEM = "证明材料工作簿有 1 处问题"
BAD = {  # source → (reason, problems)
    CORRUPT: (UNREADABLE, ["损坏.xlsx: 文件已损坏（不是完整的 .xlsx 压缩包），无法打开；请重新下载或重新保存该文件后再试"]),
    LOCKED: (UNREADABLE, ["加密.xlsx: 工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中取消打开密码并保存为 .xlsx 后再试"]),
    WRONG: (ONE_PROBLEM, ["错标准.xlsx 基本信息!B9: “评定标准”的值“township”不是内置的评定标准（内置：agency、two_new、village）；"
                          "使用自定义标准时请用 --rubric 指定其 YAML 文件"]),
}
AGENCY = "机关单位党组织争先创优评定标准"


def mismatch(file: str, named: str) -> tuple[str, list[str]]:
    """A workbook made for another rubric than the one forced with --rubric agency."""
    return ONE_PROBLEM, [f"{file} 基本信息!B9: 工作簿是按评定标准“{named}”填写的，与指定的评定标准“agency”"
                         f"（{AGENCY}）不符；请使用按该标准生成的模板"]


def failures(expected: dict[str, tuple[str, list[str]]]) -> list[dict[str, object]]:
    return [{"source": s, "reason": r, "problems": p} for s, (r, p) in sorted(expected.items())]


def encrypted_workbook() -> bytes:
    """The start of a password-protected .xlsx: an OLE2 compound file (CFB) whose directory
    names the EncryptionInfo and EncryptedPackage streams instead of a zip package."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    # minor/major version, byte order, sector shift 2^9, mini sector shift 2^6
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<II", header, 44, 1, 1)  # one FAT sector; the directory starts at sector 1
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF) + bytes(16 + 4 + 16)
                + struct.pack("<IQ", start, size))

    fat = struct.pack("<4I", 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFE, 0xFFFFFFFE).ljust(512, b"\xff")
    directory = (entry("Root Entry", 5, 0xFFFFFFFE, 0) + entry("EncryptionInfo", 2, 2, 248)
                 + entry("EncryptedPackage", 2, 3, 4096) + bytes(128))
    return bytes(header) + fat + directory + bytes(512) + bytes(512)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """材料/ in a fresh working directory: five good workbooks and the four bad files."""
    monkeypatch.chdir(tmp_path)
    for source in GOOD:
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLES / Path(source).name, tmp_path / source)
    good = (EXAMPLES / "示例-东关村党支部.xlsx").read_bytes()
    (tmp_path / CORRUPT).write_bytes(good[: len(good) // 2])  # a download cut off halfway
    (tmp_path / LOCKED).write_bytes(encrypted_workbook())
    # What Excel leaves while the workbook is open: the user's name, nothing readable.
    (tmp_path / LOCK_FILE).write_bytes(b"\x06li chm".ljust(55, b" ") + "li chm".encode("utf-16-le").ljust(110, b"\0"))
    book = openpyxl.load_workbook(EXAMPLES / "示例-城关市场监管所党支部.xlsx")
    for label, value in book["基本信息"].iter_rows(min_row=2, max_col=2):
        if label.value == "评定标准":
            value.value = "township"  # a rubric id no one has installed
        elif label.value == "组织名称":
            value.value = "城关镇统计站党支部"
    book.save(tmp_path / WRONG)
    return tmp_path / DIR


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    output._console.cache_clear()  # a console bound to an earlier test's closed stream
    with pytest.raises(SystemExit) as exited:
        main(argv)
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def run_both(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The run with one job and with two: they must print exactly the same."""
    one = run([*argv, "--jobs", "1"], capsys)
    two = run([*argv, "--jobs", "2"], capsys)
    assert one == two
    return one


def test_good_files_scored_bad_ones_listed(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_both(["rank", DIR, "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert [(r["source"], r["organization"]["name"], r["total"], r["tier"]) for r in data["results"]] == [
        (source, *expected) for source, expected in sorted(GOOD.items())]
    assert data["failures"] == failures(BAD)
    assert err == "共 8 个文件：评定 5 个，未能评分 3 个\n"  # the lock file is not even counted
    assert "~$" not in out + err
    ranked = [e["name"] for g in data["ranking"]["groups"] for e in g["entries"]]
    assert sorted(ranked) == sorted(name for name, _, _ in GOOD.values())


def test_forced_rubric_lists_the_other_rubrics_workbooks(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_both(["rank", DIR, "--rubric", "agency", "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert [(r["source"], r["total"], r["tier"]) for r in data["results"]] == [
        (G + "示例-城关市场监管所党支部.xlsx", "85", B)]
    expected = {
        CORRUPT: BAD[CORRUPT], LOCKED: BAD[LOCKED], WRONG: mismatch("错标准.xlsx", "township"),
        **{source: mismatch(Path(source).name, "village") for source in (V + "示例-东关村党支部.xlsx",
                                                                         V + "示例-滨河社区党委.xlsx")},
        **{source: mismatch(Path(source).name, "two_new") for source in (T + "示例-华星电子有限公司党支部.xlsx",
                                                                         T + "示例-城关镇志愿者协会党支部.xlsx")},
    }
    assert data["failures"] == failures(expected)
    assert err == "共 8 个文件：评定 1 个，未能评分 7 个\n"
    assert "~$" not in out + err


def test_inputs_are_never_modified(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(folder)
    assert len(before) == 9  # five good, four bad (with the lock file)
    (tmp_path / "结果").mkdir()
    result = tmp_path / "结果" / "等级名单.xlsx"
    code, _, _ = run(["rank", DIR, "-o", str(result), "--format", "json"], capsys)
    assert code == 1
    code, _, _ = run(["rank", DIR, "--rubric", "agency", "--format", "csv"], capsys)
    assert code == 1
    assert digest(folder) == before
    # The export lists the same three files on 未能评分.
    rows = list(openpyxl.load_workbook(result, read_only=True)["未能评分"].iter_rows(min_row=4, values_only=True))
    assert rows == [(n, s, r, "\n".join(p)) for n, (s, (r, p)) in enumerate(sorted(BAD.items()), 1)]


def test_rerun_into_the_folder_skips_its_own_export(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = digest(folder)
    target = f"{DIR}/等级名单.xlsx"
    assert run(["rank", DIR, "-o", target], capsys)[0] == 1
    os.utime(folder / "等级名单.xlsx", (0, 0))  # to see that the second run replaces it
    code, _, err = run(["rank", DIR, "-o", target], capsys)
    assert code == 1
    assert err.startswith("共 8 个文件：评定 5 个，未能评分 3 个。")  # the export is not an input
    assert (folder / "等级名单.xlsx").stat().st_mtime > 0
    assert {k: v for k, v in digest(folder).items() if k != "等级名单.xlsx"} == inputs


# Only our own earlier export is left out of the scan; any other workbook given as -o is an
# input, so it is refused before scoring instead of being left out and overwritten.
@pytest.mark.parametrize("victim", [V + "示例-东关村党支部.xlsx", CORRUPT])
def test_output_over_an_input_is_refused(folder: Path, victim: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(folder)
    code, out, err = run(["rank", DIR, "-o", victim], capsys)
    assert (code, out) == (2, "")
    assert err == f"错误：输出文件 {victim} 与输入文件相同，为避免覆盖原始材料，请换一个输出文件名\n"
    assert digest(folder) == before


def test_output_over_the_previous_results_is_refused(folder: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    # rank 材料 -p 等级名单.xlsx -o 等级名单.xlsx would replace last year's list by this year's.
    code, _, _ = run(["rank", DIR, "-o", "等级名单.xlsx"], capsys)
    assert code == 1
    before = (tmp_path / "等级名单.xlsx").read_bytes()
    code, out, err = run(["rank", DIR, "-p", "等级名单.xlsx", "-o", "./等级名单.xlsx"], capsys)
    assert (code, out) == (2, "")
    assert err == "错误：输出文件 等级名单.xlsx 就是 --previous 给出的上年结果，为避免覆盖上年的等级名单，请换一个输出文件名\n"
    assert (tmp_path / "等级名单.xlsx").read_bytes() == before


def test_the_same_organization_in_two_files_fails_both(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = V + "东关村-副本.xlsx"  # sent twice under another name
    shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", folder.parent / copy)
    original = V + "示例-东关村党支部.xlsx"
    code, out, err = run_both(["rank", DIR, "--format", "json"], capsys)
    assert code == 1
    data = json.loads(out)
    twice = "同一组织“东关村党支部”（城关镇）还出现在：{}，请核对后只保留一份"
    assert data["failures"] == failures({**BAD, copy: (twice.format(original), []),
                                         original: (twice.format(copy), [])})
    ranked = sorted(e["name"] for g in data["ranking"]["groups"] for e in g["entries"])
    assert ranked == sorted(name for name, _, _ in GOOD.values() if name != "东关村党支部")
    assert err == "共 9 个文件：评定 4 个，未能评分 5 个\n"  # the two copies count as failed


def test_many_copies_name_five_others_and_count_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """600 copies of one workbook made 600 messages of 599 names each (18 MB to print, a
    minute of wrapping): each names five of the others and says how many there are."""
    folder = tmp_path / "材料"
    folder.mkdir()
    for n in range(8):
        shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", folder / f"村{n}.xlsx")
    code, out, _ = run_both(["rank", str(folder), "--format", "json"], capsys)
    assert code == 1
    reasons = {f["source"]: f["reason"] for f in json.loads(out)["failures"]}
    names = [str(folder / f"村{n}.xlsx") for n in range(8)]
    assert reasons[names[0]] == (f"同一组织“东关村党支部”（城关镇）还出现在：{'、'.join(names[1:6])} 等 7 个文件，"
                                 "请核对后只保留一份")
    assert reasons[names[7]].startswith(f"同一组织“东关村党支部”（城关镇）还出现在：{names[0]}、")
    assert len(reasons) == 8
