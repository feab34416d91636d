"""Materials often arrive packed. `rank` does not read archives, so it must say which ones
hold workbooks that were not unpacked, and stop saying it once they are."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from chuangyou.batch import packed_workbooks, scan
from cli_helpers import run_cli as run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD = EXAMPLES / "示例-东关村党支部.xlsx"
OTHER = EXAMPLES / "示例-滨河社区党委.xlsx"

HINT = "。加上 -o 等级名单.xlsx 可写出等级名单工作簿（等级名单、得分明细、扣分明细、整改清单等）"


class _GbkName(zipfile.ZipInfo):
    """A member named in GBK without the UTF-8 flag, as zips made on Chinese Windows are."""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # noqa: N802 - zipfile's name
        return self.filename.encode("gbk"), self.flag_bits


def pack(path: Path, members: dict[str, bytes], gbk: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(_GbkName(name) if gbk else zipfile.ZipInfo(name), data)
    return path


def test_packed_workbooks_counts_what_is_not_unpacked(tmp_path: Path) -> None:
    book = GOOD.read_bytes()
    archive = pack(tmp_path / "材料.zip", {
        "城关镇/东关村党支部.xlsx": book, "城关镇/滨河社区党委.xlsx": book, "照片/活动.jpg": b"\xff\xd8",
        "__MACOSX/城关镇/._东关村党支部.xlsx": b"", "城关镇/~$东关村党支部.xlsx": b"",
    })
    # GBK names read back as meant (zipfile alone reads them as cp437).
    assert "城关镇/东关村党支部.xlsx" not in zipfile.ZipFile(archive).namelist()
    assert packed_workbooks(archive, set()) == 2
    assert packed_workbooks(archive, {"东关村党支部.xlsx"}) == 1
    assert packed_workbooks(archive, {"东关村党支部.xlsx", "滨河社区党委.xlsx"}) == 0
    assert packed_workbooks(pack(tmp_path / "u.zip", {"甲.xlsx": book}, gbk=False), set()) == 1  # UTF-8 flag
    assert packed_workbooks(pack(tmp_path / "照片.zip", {"a.jpg": b"x"}), set()) == 0
    (tmp_path / "坏.zip").write_bytes(b"PK\x03\x04 cut off")
    assert packed_workbooks(tmp_path / "坏.zip", set()) is None
    (tmp_path / "资料.rar").write_bytes(b"Rar!\x1a\x07\x00")
    assert packed_workbooks(tmp_path / "资料.rar", set()) is None


def test_rank_says_which_archives_hold_workbooks(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "城关镇"
    (folder / "村").mkdir(parents=True)
    shutil.copyfile(GOOD, folder / "村" / "东关村党支部.xlsx")
    pack(folder / "社区材料.zip", {"社区/滨河社区党委.xlsx": OTHER.read_bytes()})
    pack(folder / "照片.zip", {"活动照片.jpg": b"\xff\xd8"})
    (folder / "资料.rar").write_bytes(b"Rar!\x1a\x07\x00")
    (folder / ".隐藏.zip").write_bytes(b"")
    archives: list[Path] = []
    assert [p.name for p in scan(folder, archives=archives)] == ["东关村党支部.xlsx"]
    assert sorted(p.name for p in archives) == ["照片.zip", "社区材料.zip", "资料.rar"]

    code, _, err = run(["rank", "城关镇", "--jobs", "1"], capsys)
    assert code == 0  # every workbook there was rated
    assert err.splitlines()[-2:] == [
        "共 1 个文件：评定 1 个，未能评分 0 个" + HINT,
        "提示：压缩包“社区材料.zip”（1 个工作簿）、“资料.rar”未解压，其中的工作簿没有评分；"
        "请解压到本文件夹后重新运行（已解压的可忽略此提示）",
    ]
    # Unpacked beside it (the zip kept): the zip is no longer mentioned.
    (folder / "社区").mkdir()
    shutil.copyfile(OTHER, folder / "社区" / "滨河社区党委.xlsx")
    (folder / "资料.rar").unlink()
    code, _, err = run(["rank", "城关镇", "--jobs", "1"], capsys)
    assert code == 0 and err.splitlines()[-1] == "共 2 个文件：评定 2 个，未能评分 0 个" + HINT


def test_a_folder_with_only_an_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "收件").mkdir()
    pack(tmp_path / "收件" / "材料.zip", {"东关村党支部.xlsx": GOOD.read_bytes(), "滨河社区党委.xlsx": OTHER.read_bytes()})
    code, out, err = run(["rank", "收件"], capsys)
    assert (code, out) == (2, "")
    assert err.strip() == ("错误：文件夹 收件 中没有找到证明材料工作簿（.xlsx）。压缩包“材料.zip”（2 个工作簿）未解压，"
                           "其中的工作簿没有评分；请解压到本文件夹后重新运行")
