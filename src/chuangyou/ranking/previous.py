"""Year over year: earlier results, 升级/降级/持平/新参评 and the 逐级晋升 limit.

Earlier results are loaded by file suffix through :data:`PREVIOUS_LOADERS`: the JSON
written by ``chuangyou rank --format json`` or an exported 等级名单 (.xlsx, read by the
export module, imported only then: openpyxl takes 0.1 s to import).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chuangyou.errors import (
    MAX_JSON_BYTES,
    JSONLimitError,
    Problem,
    UsageError,
    loads_json,
    path_text,
)
from chuangyou.ranking.model import Change, PreviousResult
from chuangyou.ranking.quota import Slot
from chuangyou.values import normalize_text

OrgKey = tuple[str, str]
PreviousLoader = Callable[[Path], list[PreviousResult]]


def org_key(name: str, township: str) -> OrgKey:
    """Match key (township, name): full-width folded and all spaces removed."""
    return (normalize_text(township).replace(" ", ""), normalize_text(name).replace(" ", ""))


def load_previous(path: str | Path) -> list[PreviousResult]:
    """Read an earlier run's results (name, township, published tier, year)."""
    path = Path(path)
    try:
        folder = path.is_dir()
    except OSError:  # a name too long to look up: the loaders say so
        folder = False
    if folder:
        raise UsageError(f"上年结果“{path_text(path)}”是一个文件夹，不是文件；"
                         "请给出 chuangyou 导出的等级名单（.xlsx）或 rank --format json 保存的结果（.json）")
    loader = PREVIOUS_LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = "、".join(sorted(PREVIOUS_LOADERS))
        raise UsageError(f"上年结果文件“{path.name}”的格式不受支持（支持：{supported}）")
    if not path.is_file():
        raise UsageError(f"找不到上年结果文件：{path}")
    return loader(path)


def _load_json(path: Path) -> list[PreviousResult]:
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise UsageError(f"上年结果文件 {path} 过大（{size // 2**20} MB，上限 {MAX_JSON_BYTES // 2**20} MB）")
        data = loads_json(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"无法读取上年结果文件：{path}（{exc.strerror}）") from None
    except UnicodeDecodeError:
        raise UsageError(f"上年结果文件不是 UTF-8 编码的 JSON：{path}") from None
    except JSONLimitError as exc:
        raise UsageError(f"上年结果文件 {path} 的内容有误：{exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"上年结果文件不是有效的 JSON：{path}（第 {exc.lineno} 行）") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(f"上年结果文件格式不对：{path} 应为 chuangyou rank --format json 保存的结果（含 results 列表）")
    # The ranking holds the published tier (after quotas); results only the scored one.
    ranking = data.get("ranking")
    items: list[tuple[str, Any, Callable[[Mapping[str, Any]], PreviousResult]]]
    if isinstance(ranking, dict):
        groups = ranking.get("groups")
        if not isinstance(groups, list) or not all(isinstance(g, dict) and isinstance(g.get("entries"), list) for g in groups):
            raise UsageError(f"上年结果文件格式不对：{path} 的 ranking 应含 groups 列表，每组含 entries 列表")
        items = [(f"ranking.groups[{g}].entries[{e}]", entry, _from_entry)
                 for g, group in enumerate(groups) for e, entry in enumerate(group["entries"])]
    else:
        items = [(f"results[{n}]", card, _from_card) for n, card in enumerate(data["results"])]
    problems: list[Problem] = []
    results = [r for r in (_result(where, value, make, problems) for where, value, make in items) if r is not None]
    if problems:
        more = f"（另有 {len(problems) - 10} 处未列出）" if len(problems) > 10 else ""
        raise UsageError(f"上年结果文件 {path} 的内容有误{more}", problems[:10])
    return results


def _result(where: str, value: Any, make: Callable[[Mapping[str, Any]], PreviousResult],
            problems: list[Problem]) -> PreviousResult | None:
    """One earlier result, or None with the problem recorded (Chinese, with where it is)."""
    try:
        if not isinstance(value, dict):
            raise TypeError
        return make(value)
    except (KeyError, TypeError):
        problems.append(Problem(where, "应为含组织名称（name）和等级（tier）的对象"))
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"])
            shown = str(error.get("input"))
            shown = shown if len(shown) <= 40 else shown[:20] + "…"
            what = "不是年份" if field == "year" else "取值无效"
            problems.append(Problem(f"{where}.{field}", f"{what}（现为 {shown}{'，应为四位数字年份' if field == 'year' else ''}）"))
    return None


def _from_entry(entry: Mapping[str, Any]) -> PreviousResult:
    return PreviousResult(
        name=entry["name"], township=entry.get("township") or "",
        tier=None if entry.get("held") else entry["tier"],
        year=entry.get("year"), source=entry.get("source") or "", code=entry.get("code") or "",
    )


def _from_card(card: Mapping[str, Any]) -> PreviousResult:
    org = card["organization"]
    return PreviousResult(
        name=org["name"], township=org.get("township") or "",
        tier=None if card.get("held") else card["tier"],
        year=org.get("year"), source=card.get("source") or "", code=org.get("code") or "",
    )


def _load_workbook(path: Path) -> list[PreviousResult]:
    from chuangyou.export.previous import load_previous_workbook

    return load_previous_workbook(path)


PREVIOUS_LOADERS: dict[str, PreviousLoader] = {".json": _load_json, ".xlsx": _load_workbook, ".xlsm": _load_workbook}


def code_key(code: str) -> str:
    return normalize_text(code).replace(" ", "").upper()


class History:
    """Earlier results, found by 组织代码 where both years carry one, else by township and name.

    A renamed organization keeps its code, so it keeps its 升级/降级; two organizations of
    the same name whose codes differ are not the same organization.
    """

    def __init__(self, by_name: dict[OrgKey, PreviousResult], by_code: dict[str, PreviousResult]) -> None:
        self.by_name = by_name
        self.by_code = by_code

    def find(self, name: str, township: str, code: str = "") -> PreviousResult | None:
        if code and code_key(code) in self.by_code:
            return self.by_code[code_key(code)]
        found = self.by_name.get(org_key(name, township))
        if found is not None and code and found.code and code_key(found.code) != code_key(code):
            return None
        return found

    def get(self, key: OrgKey) -> PreviousResult | None:
        return self.by_name.get(key)


def index_previous(previous: Iterable[PreviousResult]) -> History:
    """Earlier results by organization; the same organization (or code) twice is ambiguous → error."""
    index: dict[OrgKey, PreviousResult] = {}
    codes: dict[str, PreviousResult] = {}
    problems: list[Problem] = []
    for result in previous:
        key = org_key(result.name, result.township)
        where = f"{result.township} {result.name}".strip()
        if key in index:
            problems.append(Problem(where, "在上年结果中出现了不止一次"))
        index[key] = result
        if result.code:
            if code_key(result.code) in codes:
                problems.append(Problem(where, f"组织代码“{result.code}”在上年结果中出现了不止一次"))
            codes[code_key(result.code)] = result
    if problems:
        raise UsageError("上年结果中有重复的组织，无法确定比较对象", problems)
    return History(index, codes)


def limit_promotion(slot: Slot, names: list[str]) -> None:
    """逐级晋升: at most one tier above last year's (new organizations are not limited)."""
    before = slot.previous.tier if slot.previous else None
    if before not in names:
        return
    highest = max(names.index(before) - 1, 0)
    if slot.tier < highest:
        slot.tier = highest
        slot.notes.append(f"逐级晋升：上年为{before}，本年最高评为{names[highest]}")


def compare(slot: Slot, names: list[str]) -> Change | None:
    """升级/降级/持平/新参评 of a ranked slot's final tier; notes why when not comparable."""
    if slot.previous is None:
        return "新参评"
    before = slot.previous.tier
    if before is None:
        slot.notes.append("上年评定结果为待定（另行处理），不作升降比较")
        return None
    if before not in names:
        slot.notes.append(f"上年等级“{before}”不属于本标准的等级，不作升降比较")
        return None
    was, now = names.index(before), slot.tier
    return "升级" if now < was else "降级" if now > was else "持平"
