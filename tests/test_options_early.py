"""Options are checked before the first file is read; -j is capped; quota messages quote the
value as typed. Seen in review: `--quota "不存在<=5%"` was refused only after the whole batch
was scored, and `-j 300` started 300 worker processes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chuangyou.batch import effective_jobs, jobs_limit
from chuangyou.errors import UsageError
from chuangyou.ranking import parse_quotas
from hostile.cli import run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TIERS = "优秀党支部、良好党支部、一般党支部、软弱涣散党支部"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "材料").mkdir()
    for n in range(3):
        shutil.copyfile(EXAMPLES / "示例-东关村党支部.xlsx", tmp_path / "材料" / f"{n}.xlsx")
    return tmp_path / "材料"


@pytest.mark.parametrize(("options", "message"), [
    (["--quota", "不存在<=5%"], f"名额比例中的等级“不存在”不存在（可用：{TIERS}）"),
    (["--quota", "不存在<=5%", "--rubric", "agency"], f"名额比例中的等级“不存在”不存在（可用：{TIERS}）"),
    (["--quota", "软弱涣散党支部<=5%"],
     "--quota 设置中的名额比例有误：“软弱涣散党支部”是最低等级，不能设最多比例（超出的组织没有更低的等级可调）"),
    (["--quota", "优秀党支部<=３０"], "名额比例“优秀党支部<=３０”中的“３０”不是百分数，应写成带 % 的百分数，例如“30%”"),
    (["--quota", "优秀党支部 ＜＝ １２０ ％"], "名额比例“优秀党支部 ＜＝ １２０ ％”中的“１２０ ％”超出范围，应大于 0% 且不超过 100%"),
    (["--step-promotion"], "--step-promotion（逐级晋升）需要用 --previous 给出上一年度的结果"),
    (["--previous", "没有.json"], "找不到上年结果文件：没有.json"),
    (["--rubric", "nosuch"], "未找到评定标准“nosuch”。内置的有：agency、two_new、village；也可以给出 .yaml 文件路径"),
    (["-o", "名单.csv"], "等级名单应保存为 .xlsx 文件，而不是“名单.csv”"),
])
def test_refused_before_any_file_is_read(folder: Path, options: list[str], message: str,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a workbook was read before the options were checked")

    monkeypatch.setattr("chuangyou.batch.run_batch", never)
    monkeypatch.setattr("chuangyou.batch.scan", never)
    assert run(capsys, "rank", "材料", *options) == (2, "", f"错误：{message}\n")


def test_quota_value_as_typed() -> None:
    with pytest.raises(UsageError) as caught:
        parse_quotas(["优秀党支部<=" + "9" * 100 + "%"])
    assert caught.value.message == (
        f"名额比例“优秀党支部<={'9' * 33}…（共 108 个字符）”中的“{'9' * 40}…（共 101 个字符）”"
        "超出范围，应大于 0% 且不超过 100%")


def test_jobs_are_capped() -> None:
    cores = os.cpu_count() or 1
    assert jobs_limit() == 2 * cores
    assert effective_jobs(300, 10_000) == 2 * cores
    assert effective_jobs(8, 3) == min(3, 2 * cores)
    assert effective_jobs(None, 10_000) == cores
    assert effective_jobs(None, 0) == 1


def test_rank_says_the_jobs_were_capped(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    started: list[int] = []
    import chuangyou.batch

    real = chuangyou.batch._pool
    monkeypatch.setattr(chuangyou.batch, "_pool", lambda jobs: started.append(jobs) or real(jobs))
    code, _, err = run(capsys, "rank", "材料", "-j", "300", "-f", "json")
    cores = os.cpu_count() or 1
    assert err.splitlines()[0] == (f"提示：--jobs 300 超过上限，最多同时用 {2 * cores} 个进程评分（CPU 核心数 {cores} 的 2 倍；"
                                   "评分受 CPU 限制，进程再多也不会更快，只多占内存）")
    assert started and max(started) <= 3  # three files: never more processes than files
