"""`export` and `rank --previous` on tampered JSON: bounded (size, nesting, number length)
and validated into the models, with Chinese messages naming where. Seen in review: a
5,000-digit integer, 100,000 nested brackets and `rank: 10**400` ended in internal errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from chuangyou.errors import JSONLimitError, loads_json
from hostile.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BASE = (EXAMPLES / "城关镇-2025年结果.json").read_text(encoding="utf-8")
REMAKE = "请重新运行“chuangyou rank 文件夹 --format json > 结果.json”生成"
WRONG = "错误：结果文件 结果.json 的内容有误"
RANGE = "绝对值应小于 1000000000000，小数不超过 28 位"

# tampering → the exact stderr of `chuangyou export 结果.json -o 名单.xlsx`
CASES = {
    "5000-digit-int": (BASE.replace('"year": 2025', '"year": ' + "9" * 5000, 1),
                       f"{WRONG}：数字“99999999999999999999…”过长（共 5000 位，最多 40 位），可能被改动过。{REMAKE}"),
    "nested-100000": ('{"results": ' + "[" * 100_000 + "]" * 100_000 + "}",
                      f"{WRONG}：嵌套层次过深（超过约 1000 层），不是本工具写出的文件，可能被改动过。{REMAKE}"),
    "rank-10**400": (re.sub(r'"rank": \d+', '"rank": 1' + "0" * 400, BASE, count=1),
                     f"{WRONG}：数字“10000000000000000000…”过长（共 401 位，最多 40 位），可能被改动过。{REMAKE}"),
    "rank-10**30": (re.sub(r'"rank": \d+', '"rank": 1' + "0" * 30, BASE, count=1),
                    f"{WRONG}。{REMAKE}\n  ranking.groups[0].entries[0].rank: 数值超出合理范围"
                    "（现为 1000000000000000000000000000000，绝对值应不超过 1000000000）"),
    "year-1e999": (BASE.replace('"year": 2025', '"year": 1e999', 1),
                   f"{WRONG}：数字“1e999”超出可用范围，可能被改动过。{REMAKE}"),
    "year-NaN": (BASE.replace('"year": 2025', '"year": NaN', 1),
                 f"{WRONG}：“NaN”不是数字（JSON 中没有 NaN 和 Infinity），可能被改动过。{REMAKE}"),
    "year-negative": (BASE.replace('"year": 2025', '"year": -5', 1),
                      f"{WRONG}。{REMAKE}\n  results[0].organization.year: 不是年份（现为 -5，应为四位数字年份）"),
    "total-1e999999999": (BASE.replace('"total": "70"', '"total": "1e999999999"', 1),
                          f"{WRONG}。{REMAKE}\n  results[0].total: 数值超出合理范围（现为 1E+999999999，{RANGE}）"),
    "total-5000-digits": (BASE.replace('"total": "70"', '"total": "' + "9" * 5000 + '"', 1),
                          f"{WRONG}。{REMAKE}\n  results[0].total: 数值超出合理范围"
                          f"（现为 99999999999999999999…（共 5000 个字符），{RANGE}）"),
    "total-NaN": (BASE.replace('"total": "70"', '"total": "NaN"', 1),
                  f"{WRONG}。{REMAKE}\n  results[0].total: 取值无效（现为 \"NaN\"）"),
    "points-1E+400": (BASE.replace('"points": "20"', '"points": "1E+400"', 1),
                      f"{WRONG}。{REMAKE}\n  results[0].categories[0].points: 数值超出合理范围（现为 1E+400，{RANGE}）"),
    "score--1e30": (BASE.replace('"score": "16"', '"score": "-1e30"', 1),
                    f"{WRONG}。{REMAKE}\n  results[0].categories[0].score: 数值超出合理范围（现为 -1E+30，{RANGE}）"),
    "score-1e-99": (BASE.replace('"score": "16"', '"score": "1e-99"', 1),
                    f"{WRONG}。{REMAKE}\n  results[0].categories[0].score: 数值超出合理范围（现为 1E-99，{RANGE}）"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_export_refuses_tampered_json(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    text, message = CASES[case]
    Path("结果.json").write_text(text, encoding="utf-8")
    assert run(capsys, "export", "结果.json", "-o", "名单.xlsx") == (2, "", message + "\n")
    assert not Path("名单.xlsx").exists()


def test_the_untampered_file_exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("结果.json").write_text(BASE, encoding="utf-8")
    assert run(capsys, "export", "结果.json", "-o", "名单.xlsx")[0] == 0


def test_a_folder_or_an_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("结果.json").mkdir()
    assert run(capsys, "export", "结果.json", "-o", "名单.xlsx") == (2, "", f"错误：结果.json 是一个文件夹，不是结果文件。{REMAKE}\n")
    monkeypatch.setattr("chuangyou.export.json_io.MAX_JSON_BYTES", 1000)
    Path("结果.json").rmdir()
    Path("结果.json").write_text(BASE, encoding="utf-8")
    code, _, err = run(capsys, "export", "结果.json", "-o", "名单.xlsx")
    assert (code, err) == (2, f"错误：结果文件 结果.json 过大（0 MB，上限 0 MB），不像是 chuangyou rank 的结果。{REMAKE}\n")


@pytest.mark.parametrize(("text", "reason"), [
    ("1" * 41, "数字“11111111111111111111…”过长（共 41 位，最多 40 位）"),
    ("-" + "1" * 40, "数字“-1111111111111111111…”过长（共 41 位，最多 40 位）"),
    ("1e400", "数字“1e400”超出可用范围"),
    ("[Infinity]", "“Infinity”不是数字（JSON 中没有 NaN 和 Infinity）"),
    ("[" * 5000 + "]" * 5000, "嵌套层次过深（超过约 1000 层），不是本工具写出的文件"),
])
def test_loads_json_bounds(text: str, reason: str) -> None:
    with pytest.raises(JSONLimitError) as caught:
        loads_json(text)
    assert str(caught.value) == reason
    assert loads_json("[" * 50 + "1" * 40 + "]" * 50) is not None  # within the bounds


PREVIOUS = {
    "5000-digit-int": (CASES["5000-digit-int"][0],
                       "错误：上年结果文件 去年.json 的内容有误：数字“99999999999999999999…”过长（共 5000 位，最多 40 位）"),
    "nested": (CASES["nested-100000"][0], "错误：上年结果文件 去年.json 的内容有误：嵌套层次过深（超过约 1000 层），不是本工具写出的文件"),
    "year-10**30": (BASE.replace('"year": 2025', '"year": 1' + "0" * 30),
                    "错误：上年结果文件 去年.json 的内容有误（另有 19 处未列出）\n"
                    + "\n".join(f"  ranking.groups[0].entries[{n}].year: 不是年份（现为 {10**30}，应为四位数字年份）" for n in range(7))
                    + "\n" + "\n".join(f"  ranking.groups[1].entries[{n}].year: 不是年份（现为 {10**30}，应为四位数字年份）" for n in range(3))),
    "name-a-number": (BASE.replace('"name": "城关镇中心小学党总支"', '"name": 7'),
                      "错误：上年结果文件 去年.json 的内容有误\n  ranking.groups[0].entries[0].name: 取值无效（现为 7）"),
    "entries-not-a-list": (BASE.replace('"entries": [', '"entries": 5, "x": [', 1),
                           "错误：上年结果文件格式不对：去年.json 的 ranking 应含 groups 列表，每组含 entries 列表"),
    "entry-a-string": (re.sub(r'"entries": \[\s*\{', '"entries": ["x", {', BASE, count=1),
                       "错误：上年结果文件 去年.json 的内容有误\n  ranking.groups[0].entries[0]: 应为含组织名称（name）和等级（tier）的对象"),
}


@pytest.mark.parametrize("case", PREVIOUS, ids=list(PREVIOUS))
def test_rank_refuses_a_tampered_previous_json(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", tmp_path / "材料" / "东关村.xlsx")
    text, message = PREVIOUS[case]
    Path("去年.json").write_text(text, encoding="utf-8")
    assert run(capsys, "rank", "材料", "--previous", "去年.json") == (2, "", message + "\n")
