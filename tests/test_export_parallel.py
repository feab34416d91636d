"""The tier list written by two processes (chuangyou.export.parallel) is the one a single
process writes: every sheet, cell, format, link and print setting (bench/compare_tierlists.py);
whatever the join cannot carry over makes it write in one process instead."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from chuangyou.export import parallel
from cli_helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
TOWN = ROOT / "examples" / "城关镇"
ARGS = ["rank", str(TOWN), "--roster", str(ROOT / "examples" / "城关镇-花名册.xlsx"),
        "--previous", str(ROOT / "examples" / "城关镇-2025年结果.json"), "--format", "json"]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="two processes only where they fork")


def _compare() -> Any:
    spec = importlib.util.spec_from_file_location("compare_tierlists", ROOT / "bench" / "compare_tierlists.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def differences(one: Path, two: Path) -> list[str]:
    from openpyxl import load_workbook

    compare = _compare()
    a, b = load_workbook(one), load_workbook(two)
    found = [] if a.sheetnames == b.sheetnames else [f"sheets {a.sheetnames} != {b.sheetnames}"]
    for name in a.sheetnames:
        found += compare.compare_sheet(a[name], b[name])
    if a.defined_names.keys() != b.defined_names.keys():
        found.append("defined names differ")
    return found + compare.compare_parts(str(one), str(two))


@pytest.fixture
def joins(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every workbook, however small, split; the joins made."""
    monkeypatch.setattr(parallel, "MIN_ORGANIZATIONS", 1)
    made: list[Any] = []
    real = parallel._join

    def join(*args: Any) -> None:
        made.append(args)
        real(*args)

    monkeypatch.setattr(parallel, "_join", join)
    return made


def tier_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path]:
    one, two = tmp_path / "一个进程.xlsx", tmp_path / "两个进程.xlsx"
    first = run_cli([*ARGS, "-o", str(one), "--jobs", "1"], capsys)
    second = run_cli([*ARGS, "-o", str(two), "--jobs", "2"], capsys)
    assert first[0] == second[0] == 1  # 北岗村党支部.xlsx cannot be scored
    assert first[1] == second[1]  # the same JSON
    return one, two


def test_two_processes_write_the_same_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               joins: list[Any]) -> None:
    one, two = tier_lists(tmp_path, capsys)
    assert len(joins) == 1  # the second was joined, the first written alone (--jobs 1)
    assert differences(one, two) == []
    import zipfile

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_DEFLATED}  # stored parts joined
            return {n: archive.read(n) for n in archive.namelist()}

    single, joined = parts(one), parts(two)
    assert sorted(single) == sorted(joined)  # the same parts, under the same names
    rels = sorted(n for n in joined if n.startswith("xl/worksheets/_rels/"))
    # 扣分明细 (sheet 6, after 3 得分明细) and 整改清单 (8) brought their links; 问题分析 (7) its chart
    assert rels == ["xl/worksheets/_rels/sheet6.xml.rels", "xl/worksheets/_rels/sheet7.xml.rels",
                    "xl/worksheets/_rels/sheet8.xml.rels"]
    for name in rels:
        assert joined[name] == single[name]
    assert joined["xl/worksheets/_rels/sheet6.xml.rels"].count(b'TargetMode="External"') > 300


def test_a_sheet_the_join_cannot_carry_is_written_in_one_process(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str],
                                                                  joins: list[Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "SECOND", (*parallel.SECOND, "问题分析"))  # it holds charts
    one, two = tier_lists(tmp_path, capsys)
    assert joins == []
    assert differences(one, two) == []


def test_a_second_process_that_dies_leaves_the_work_to_the_first(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 joins: list[Any],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_second", lambda: os._exit(3))
    one, two = tier_lists(tmp_path, capsys)
    assert joins == []
    assert differences(one, two) == []
    assert not list(tmp_path.glob("*.tmp*")) and sorted(p.name for p in tmp_path.iterdir()) == [
        "一个进程.xlsx", "两个进程.xlsx"]


def test_restyle_refuses_what_it_does_not_know() -> None:
    xml = b'<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>x</t></is></c><c r="B1" s="2"/></row>'
    assert parallel._restyle(xml, {1: 7, 2: 3}) == xml.replace(b's="1"', b's="7"').replace(b's="2"', b's="3"')
    with pytest.raises(parallel._Unsupported):
        parallel._restyle(xml, {1: 7})  # an index without its look
    with pytest.raises(parallel._Unsupported):
        parallel._restyle(xml.replace(b"<t>x</t>", b'<t> s="9"</t>'), {1: 7, 2: 3})  # a text that reads like one
    with pytest.raises(parallel._Unsupported):
        parallel._restyle(xml.replace(b't="inlineStr"', b't="s"'), {1: 7, 2: 3})  # a shared string


def test_when_two_processes_are_used() -> None:
    from chuangyou.ranking import Ranking

    empty = Ranking(groups=[])
    assert not parallel.wanted(empty, 2)  # below MIN_ORGANIZATIONS
    assert not parallel.wanted(empty, 1)


def test_ctrl_c_stops_the_second_process_and_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             joins: list[Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    def slow() -> None:
        time.sleep(60)  # the copy ignores SIGTERM (and Ctrl-C): only a kill stops it

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "_second", slow)
    monkeypatch.setattr(parallel, "render", interrupted)
    out = tmp_path / "等级名单.xlsx"
    start = time.monotonic()
    code, _, err = run_cli([*ARGS, "-o", str(out), "--jobs", "2"], capsys)
    assert time.monotonic() - start < 30
    assert code == 130 and "已中断" in err
    assert list(tmp_path.iterdir()) == []
    assert joins == []
