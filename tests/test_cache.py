"""The result cache: a rerun takes unchanged workbooks from it, and its output is the same.

Every test has a cache folder of its own (conftest.isolated_cache sets CHUANGYOU_CACHE_DIR).
The folder is the five one-of-each-kind examples (docs/examples.md), scored cold, then warm.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from chuangyou.batch import run_batch, scan
from chuangyou.cache import ResultCache, open_results
from chuangyou.cache import location as cache_location
from chuangyou.cache.manage import prune, usage
from cli_helpers import run_cli as run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
VILLAGE = "示例-东关村党支部.xlsx"
UNUSABLE = "提示：缓存文件夹 {root} 无法使用（{reason}），本次不使用结果缓存\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    for path in sorted(EXAMPLES.glob("示例-*.xlsx")):
        shutil.copyfile(path, tmp_path / "材料" / path.name)
    return Path("材料")


def batch(folder: Path, rubric_sha: str | None = None, jobs: int = 2) -> tuple[int, list[str]]:
    """(files taken from the cache, the totals by source) of a run over ``folder``."""
    result = run_batch(scan(folder), jobs=jobs, cache=open_results(rubric_sha))
    try:
        return result.cached, [f"{c.source} {c.total}" for c in result.cards]
    finally:
        result.store.close()


def entries(cache_dir: Path) -> list[Path]:
    return sorted(p for p in (cache_dir / "results").rglob("*") if p.is_file() and not p.name.startswith("."))


def rename_organization(path: Path, name: str) -> None:
    book = openpyxl.load_workbook(path)
    for label, value in book["基本信息"].iter_rows(min_row=2, max_col=2):
        if label.value == "组织名称":
            value.value = name
    book.save(path)


def test_warm_output_is_byte_identical_to_cold(folder: Path, capsys: pytest.CaptureFixture[str],
                                               isolated_cache: Path) -> None:
    for fmt in ("json", "csv", "table"):
        cold = run(["rank", str(folder), "--format", fmt, "--no-cache"], capsys)
        first = run(["rank", str(folder), "--format", fmt], capsys)  # fills the cache (or hits, after json)
        warm = run(["rank", str(folder), "--format", fmt, "--jobs", "1"], capsys)
        assert cold == first == warm
        hint = "。加上 -o 等级名单.xlsx 可写出等级名单工作簿（等级名单、得分明细、扣分明细、整改清单等）" if fmt == "table" else ""
        assert cold[0] == 0 and cold[2] == f"共 5 个文件：评定 5 个，未能评分 0 个{hint}\n"
    assert len(entries(isolated_cache)) == 5
    assert batch(folder)[0] == 5


def test_warm_tier_list_has_the_same_cells(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["rank", str(folder), "-o", str(tmp_path / "冷.xlsx"), "--no-cache"], capsys)
    run(["rank", str(folder), "--format", "json"], capsys)
    assert batch(folder)[0] == 5
    run(["rank", str(folder), "-o", str(tmp_path / "热.xlsx")], capsys)
    cold, warm = openpyxl.load_workbook(tmp_path / "冷.xlsx"), openpyxl.load_workbook(tmp_path / "热.xlsx")
    assert cold.sheetnames == warm.sheetnames
    for name in cold.sheetnames:
        assert [[c.value for c in r] for r in cold[name].iter_rows()] == [
            [c.value for c in r] for r in warm[name].iter_rows()], name


def test_changed_file_is_scored_again(folder: Path) -> None:
    cached, before = batch(folder)
    assert cached == 0
    rename_organization(folder / VILLAGE, "改名村党支部")
    cached, after = batch(folder)
    assert cached == 4
    assert after == before  # same sources and totals
    assert batch(folder)[0] == 5
    result = run_batch(scan(folder), cache=open_results(None))
    assert [c.organization.name for c in result.cards if c.source.endswith(VILLAGE)] == ["改名村党支部"]
    result.store.close()


def test_same_size_other_bytes_is_a_miss(folder: Path) -> None:
    batch(folder)
    path = folder / VILLAGE
    data = bytearray(path.read_bytes())
    stat = path.stat()
    data[-30] ^= 1  # in the zip's central directory comment area: same size, other bytes
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old time
    assert batch(folder)[0] == 4


def test_tool_version_invalidates(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch(folder)
    monkeypatch.setattr(cache_location, "__version__", "99.0")
    assert batch(folder)[0] == 0
    assert batch(folder)[0] == 5


def test_changed_rubric_invalidates(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rubric = tmp_path / "village.yaml"
    from chuangyou.rubric.registry import bundled_paths

    shutil.copyfile(next(p for p in bundled_paths() if p.stem == "village"), rubric)
    villages = tmp_path / "村"
    villages.mkdir()
    shutil.copyfile(folder / VILLAGE, villages / VILLAGE)
    argv = ["rank", str(villages), "--rubric", str(rubric), "--format", "json"]
    first = run(argv, capsys)
    assert first == run(argv, capsys)
    sha = json.loads(first[1])["results"][0]["rubric"]["sha256"]
    assert batch(villages, sha)[0] == 1
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    code, out, _ = run(argv, capsys)
    new_sha = json.loads(out)["results"][0]["rubric"]["sha256"]
    assert new_sha != sha  # scored again against the new file, not taken from the cache
    assert batch(villages, new_sha)[0] == 1
    assert batch(villages, sha)[0] == 0  # the entry now belongs to the new rubric
    # A bundled rubric changed (an upgrade, an edited source tree): another context altogether.
    assert cache_location.context(None, "calamine") != cache_location.context(sha, "calamine")


def test_bundled_rubric_bytes_are_in_the_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chuangyou.rubric import registry

    copies = []
    for path in registry.bundled_paths():
        shutil.copyfile(path, tmp_path / path.name)
        copies.append(tmp_path / path.name)
    monkeypatch.setattr(registry, "bundled_paths", lambda: copies)
    before = cache_location.context(None, "calamine")
    assert cache_location.context(None, "calamine") == before
    assert cache_location.context(None, "openpyxl") != before  # the reader too
    copies[0].write_bytes(copies[0].read_bytes() + b"\n")
    assert cache_location.context(None, "calamine") != before


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign", "empty", "other workbook's"])
def test_damaged_entry_is_ignored_and_rewritten(folder: Path, isolated_cache: Path, damage: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    cold = run(["rank", str(folder), "--format", "json"], capsys)
    cache = open_results(None)
    entry = Path(cache.entry_path(folder / VILLAGE))
    good = entry.read_bytes()
    other = Path(cache.entry_path(folder / "示例-滨河社区党委.xlsx")).read_bytes()
    broken = {"truncated": good[: len(good) // 2], "flipped": good[:-10] + bytes([good[-10] ^ 1]) + good[-9:],
              "foreign": b"\x80\x04K\x01.", "empty": b"", "other workbook's": other}[damage]
    entry.write_bytes(broken)
    assert run(["rank", str(folder), "--format", "json"], capsys) == cold
    assert entry.read_bytes() == good  # rewritten by the worker that scored the file again
    assert batch(folder)[0] == 5


def test_same_file_named_another_way(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["rank", "材料", "--format", "json"], capsys)
    absolute = str(folder.resolve())
    cold = run(["rank", absolute, "--format", "json", "--no-cache"], capsys)
    assert batch(folder.resolve())[0] == 5  # hits, with the source as this run writes it
    assert run(["rank", absolute, "--format", "json"], capsys) == cold
    assert json.loads(cold[1])["results"][0]["source"].startswith(absolute)


def test_no_cache_neither_reads_nor_writes(folder: Path, isolated_cache: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rank", str(folder), "--format", "json", "--no-cache"], capsys)
    assert code == 0 and not isolated_cache.exists()
    run(["rank", str(folder), "--format", "json"], capsys)
    # An entry that checks out but says something else: used without --no-cache (it is a
    # cache, keyed by the bytes), never with it.
    cache = open_results(None)
    hit, stamp = cache.lookup(folder / VILLAGE, str(folder / VILLAGE))
    assert hit is not None and stamp is not None
    summary = (hit.summary[0], *hit.summary[1:3], hit.summary[3] - 1, *hit.summary[4:])
    digest = json.loads(Path(cache.entry_path(folder / VILLAGE)).read_bytes().split(b"\n")[1])["sha256"]
    cache.write(folder / VILLAGE, stamp, digest, summary, hit.blob)
    ranked = json.loads(run(["rank", str(folder), "--format", "json"], capsys)[1])["ranking"]["groups"]
    assert "87.5" in json.dumps(ranked, ensure_ascii=False)  # 88.5 − 1, from the entry
    assert run(["rank", str(folder), "--format", "json", "--no-cache"], capsys) == (code, out, err)


def test_cache_folder_that_cannot_be_created(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "文件"
    blocker.write_text("不是文件夹", encoding="utf-8")
    monkeypatch.setenv("CHUANGYOU_CACHE_DIR", str(blocker / "缓存"))
    cold = run(["rank", str(folder), "--format", "json", "--no-cache"], capsys)
    code, out, err = run(["rank", str(folder), "--format", "json"], capsys)
    assert (code, out) == cold[:2]
    assert err == UNUSABLE.format(root=blocker / "缓存", reason="路径中的某一部分不是文件夹") + cold[2]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_cache_folder(folder: Path, isolated_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_cache / "results").mkdir(parents=True)
    os.chmod(isolated_cache / "results", 0o555)
    try:
        code, out, err = run(["rank", str(folder), "--format", "json"], capsys)
    finally:
        os.chmod(isolated_cache / "results", 0o755)
    assert code == 0 and json.loads(out)["results"]
    assert err.startswith(UNUSABLE.format(root=isolated_cache, reason="没有写入权限（文件夹或文件为只读）"))


def test_entries_that_cannot_be_written_are_said_once(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ResultCache, "write", full)
    code, out, err = run(["rank", str(folder), "--format", "json", "--jobs", "1"], capsys)
    assert code == 0
    assert err == "提示：结果缓存写入失败（磁盘空间不足），部分结果没有缓存\n共 5 个文件：评定 5 个，未能评分 0 个\n"


def test_two_concurrent_runs_share_the_cache(folder: Path, tmp_path: Path) -> None:
    for n in range(12):  # enough files that both runs are writing at the same time
        shutil.copyfile(folder / VILLAGE, folder / f"副本{n:02d}.xlsx")
        rename_organization(folder / f"副本{n:02d}.xlsx", f"副本{n:02d}村党支部")
    command = [sys.executable, "-m", "chuangyou", "rank", str(folder), "--format", "json", "--jobs", "2"]
    cold = subprocess.run([*command, "--no-cache"], capture_output=True, check=True).stdout
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outs = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0]
    assert [o[0] for o in outs] == [cold, cold]
    assert batch(folder)[0] == 17
    assert subprocess.run(command, capture_output=True, check=True).stdout == cold


def test_size_bound_drops_the_oldest(folder: Path, isolated_cache: Path) -> None:
    batch(folder)
    found = entries(isolated_cache)
    for age, path in enumerate(found):
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    sizes = [p.stat().st_size for p in found]
    prune(limit=sum(sizes[2:]) + 1)  # room for three: the two oldest go (down to 90 %)
    assert entries(isolated_cache) == found[2:] or entries(isolated_cache) == found[3:]
    assert not found[0].exists() and not found[1].exists()
    assert usage().entries == len(entries(isolated_cache))


def test_cache_info_and_clear(folder: Path, isolated_cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from chuangyou.rubric import registry

    registry._load_bundled.cache_clear()  # loaded in this process for another cache folder
    run(["rank", str(folder), "--format", "json"], capsys)
    code, out, _ = run(["cache", "info"], capsys)
    size = usage().size / 1024 / 1024
    assert (code, out) == (0, f"缓存位置：{isolated_cache}\n评分结果：5 个工作簿\n评定标准：3 个\n"
                              f"占用空间：{size:.1f} MB（上限 1024.0 MB）\n")
    code, out, _ = run(["cache", "clear"], capsys)
    assert (code, out) == (0, f"已清空结果缓存：删除 5 个评分结果、3 个评定标准，释放 {size:.1f} MB（{isolated_cache}）\n")
    assert entries(isolated_cache) == [] and not (isolated_cache / "rubrics").exists()
    assert batch(folder)[0] == 0


def test_score_takes_the_card_from_the_cache(folder: Path, isolated_cache: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = str(folder / VILLAGE)
    run(["score", path, "--no-cache"], capsys)
    assert not isolated_cache.exists()
    for argv in (["--format", "json"], ["--explain"]):
        cold = run(["score", path, *argv, "--no-cache"], capsys)
        assert run(["score", path, *argv], capsys) == cold  # scored and cached, or from the cache
        assert len(entries(isolated_cache)) == 1
        assert run(["score", path, *argv], capsys) == cold  # from the cache
        assert cold[0] == 0 and "88.5" in cold[1]
    assert batch(folder)[0] == 1  # rank takes the entry score wrote


def test_failures_are_cached_and_a_corrected_file_is_scored(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = (folder / VILLAGE).read_bytes()
    (folder / VILLAGE).write_bytes(good[: len(good) // 2])  # a download cut off halfway
    cold = run(["rank", str(folder), "--format", "json", "--no-cache"], capsys)
    assert cold[0] == 1 and json.loads(cold[1])["failures"][0]["source"] == f"材料/{VILLAGE}"
    assert run(["rank", str(folder), "--format", "json"], capsys) == cold
    assert batch(folder)[0] == 5  # four cards and the failure
    assert run(["rank", str(folder), "--format", "json"], capsys) == cold
    (folder / VILLAGE).write_bytes(good)  # sent again, whole
    code, out, _ = run(["rank", str(folder), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["failures"] == []
    assert len(json.loads(out)["results"]) == 5
    # Named another way, a failure is scored again (its messages name the file as given).
    (folder / VILLAGE).write_bytes(good[: len(good) // 2])
    run(["rank", str(folder), "--format", "json"], capsys)
    assert batch(folder.resolve())[0] == 4
