"""The JSON of a ranked batch: what ``chuangyou rank --format json`` prints and
``chuangyou export`` reads back.

Shape (keys stable, DESIGN.md): ``{"results": [ScoreCard…], "failures": [Failure…],
"ranking": Ranking}``; ranking entries refer to their card by ``source``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from chuangyou.batch import Failure
from chuangyou.errors import Problem, UsageError, loads_json
from chuangyou.ranking.model import Ranking
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import ScoreCard, model_json

KEYS = ("results", "failures", "ranking")
MAX_PROBLEMS = 10
_REMAKE = "请重新运行“chuangyou rank 文件夹 --format json > 结果.json”生成"


def dump_results(ranking: Ranking, cards: Iterable[ScoreCard], failures: Iterable[Failure],
                 statistics: BaseModel | None = None) -> str:
    """Deterministic JSON: lists in the order given, keys in model order, Decimals as strings.

    ``statistics`` (:class:`chuangyou.statistics.Statistics`), when given, follows the
    ranking under its own key; it is derived from the ranking and never read back.

    The text of ``json.dumps({"results": …, "failures": …, "ranking": …}, ensure_ascii=False,
    indent=2)`` over the models' ``model_dump(mode="json")``, put together from each model's
    :func:`model_json` (JSON strings hold no raw line breaks, so re-indenting is a replace).
    """
    tail = "" if statistics is None else ',\n  "statistics": ' + model_json(statistics).replace("\n", "\n  ")
    return (
        '{\n  "results": ' + _listing(cards) + ',\n  "failures": ' + _listing(failures)
        + ',\n  "ranking": ' + model_json(ranking).replace("\n", "\n  ") + tail + "\n}\n"
    )


def _listing(models: Iterable[BaseModel]) -> str:
    texts = [model_json(model).replace("\n", "\n    ") for model in models]
    return "[\n    " + ",\n    ".join(texts) + "\n  ]" if texts else "[]"


def _read(path: Path) -> Any:
    if not path.is_file():
        raise UsageError(f"找不到结果文件：{path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"无法读取结果文件：{path}（{exc.strerror}）") from None
    except UnicodeDecodeError:
        raise UsageError(f"结果文件 {path} 不是 UTF-8 编码的 JSON 文件。{_REMAKE}") from None
    try:
        return loads_json(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"结果文件 {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列出错），"
            f"可能不完整或被改动过。{_REMAKE}"
        ) from None


def _check_shape(path: Path, data: Any) -> None:
    if isinstance(data, dict) and "organization" in data and "results" not in data:
        raise UsageError(
            f"{path} 是单个组织的评分结果（chuangyou score 的输出）；导出等级名单需要整批评定的结果。{_REMAKE}"
        )
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(f"{path} 不是 chuangyou rank 的结果文件（应含 results、failures、ranking 三项）。{_REMAKE}")
    if not isinstance(data.get("ranking"), dict):
        raise UsageError(f"{path} 中没有排名结果（ranking）。{_REMAKE}")
    if not isinstance(data.get("failures", []), list):
        raise UsageError(f"{path} 中的 failures 应为列表。{_REMAKE}")


_MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的项（结果文件可能来自不同版本的 chuangyou）",
    "decimal_parsing": "不是数字",
    "int_parsing": "不是整数",
    "int_type": "应为整数",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "literal_error": "取值不在允许范围内",
}


def _problems(where: str, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in item["loc"])
        message = _MESSAGES.get(item["type"], "取值无效")
        if item["type"] != "missing" and not isinstance(item.get("input"), dict | list):
            message += f"（现为 {json.dumps(item.get('input'), ensure_ascii=False)[:40]}）"
        problems.append(Problem(f"{where}{loc}", message))
    return problems


def _validate(model: type[BaseModel], value: Any, where: str, problems: list[Problem]) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        problems.extend(_problems(where, exc))
        return None


def load_results(path: Path) -> tuple[Ranking, list[Failure]]:
    """Read a saved ``rank --format json`` result: the ranking linked with its cards, and the failures."""
    path = Path(path)
    data = _read(path)
    _check_shape(path, data)
    problems: list[Problem] = []
    cards = [_validate(ScoreCard, c, f"results[{n}]", problems) for n, c in enumerate(data["results"])]
    failures = [_validate(Failure, f, f"failures[{n}]", problems) for n, f in enumerate(data.get("failures", []))]
    ranking = _validate(Ranking, data["ranking"], "ranking", problems)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = f"（另有 {len(problems) - MAX_PROBLEMS} 处未列出）" if len(problems) > MAX_PROBLEMS else ""
        raise UsageError(f"结果文件 {path} 的内容有误{more}。{_REMAKE}", shown)
    return ranking.link(cards), failures


def rubrics_for(ranking: Ranking, refs: Iterable[str] = ()) -> tuple[dict[str, Rubric], list[str]]:
    """The rubrics of a loaded ranking (for 整改清单's clause texts), and warnings.

    ``refs`` (ids or YAML files, e.g. a county's own version) take precedence over the
    bundled rubric of the same id. A rubric that cannot be found only costs the clause
    texts; one whose content changed since scoring is used with a warning.
    """
    from chuangyou.rubric import resolve

    given: dict[str, Rubric] = {}
    for ref in refs:
        loaded = resolve(ref)
        given[loaded.id] = loaded
    found: dict[str, Rubric] = {}
    warnings: list[str] = []
    for group in ranking.groups:
        rubric: Rubric | None = given.get(group.rubric_id)
        if rubric is None:
            try:
                rubric = resolve(group.rubric_id)
            except UsageError:
                warnings.append(
                    f"找不到评定标准“{group.rubric_id}”（{group.rubric_name}），整改清单中不列出条款原文；"
                    f"可用 --rubric 指定评分时使用的 YAML 文件"
                )
                continue
        recorded = sorted({e.card.rubric.sha256 for e in group.entries if e.card and e.card.rubric.sha256})
        if recorded and rubric.sha256 not in recorded:
            warnings.append(
                f"评定标准“{group.rubric_id}”（{group.rubric_name}）的内容与评分时不同"
                f"（评分时 sha256 {recorded[0][:12]}…，现在 {rubric.sha256[:12]}…），"
                f"整改清单中的条款原文按现在的标准列出，分数和等级仍按评分结果"
            )
        found[group.rubric_id] = rubric
    return found, warnings
