"""The JSON of a ranked batch: what ``chuangyou rank --format json`` prints and
``chuangyou export`` reads back.

Shape (keys stable, DESIGN.md): ``{"results": [ScoreCard…], "failures": [Failure…],
"ranking": Ranking}``; ranking entries refer to their card by ``source``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from chuangyou.batch import Failure
from chuangyou.errors import MAX_JSON_BYTES, JSONLimitError, Problem, UsageError, loads_json
from chuangyou.ranking.model import Ranking
from chuangyou.rubric.model import Rubric
from chuangyou.scorecard import ScoreCard, model_json

KEYS = ("results", "failures", "ranking")
MAX_PROBLEMS = 10
#: Scores, points and shares as exported: below 10**12 (Excel holds 15 significant digits,
#: no rubric has a total anywhere near this), at most 40 digits, none past the 28th decimal
#: place. Beyond is a tampered file: ``1e400`` overflowed a float, ``1e999999999`` the
#: decimal context. Checked on the digits and exponent alone: arithmetic could overflow.
SCORE_DIGITS, SCORE_EXPONENTS = 40, (-28, 11)
#: Ranks, counts, rule numbers; a year has four digits, as the workbook reader reads it.
MAX_INT = 10**9
MAX_YEAR = 9999
YEAR_FIELDS = ("year", "previous_year")
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
    if path.is_dir():
        raise UsageError(f"{path} 是一个文件夹，不是结果文件。{_REMAKE}")
    if not path.is_file():
        raise UsageError(f"找不到结果文件：{path}")
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise UsageError(f"结果文件 {path} 过大（{size // 2**20} MB，上限 {MAX_JSON_BYTES // 2**20} MB），"
                             f"不像是 chuangyou rank 的结果。{_REMAKE}")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"无法读取结果文件：{path}（{exc.strerror}）") from None
    except UnicodeDecodeError:
        raise UsageError(f"结果文件 {path} 不是 UTF-8 编码的 JSON 文件。{_REMAKE}") from None
    try:
        return loads_json(text)
    except JSONLimitError as exc:
        raise UsageError(f"结果文件 {path} 的内容有误：{exc}，可能被改动过。{_REMAKE}") from None
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


def _check_numbers(value: Any, where: str, problems: list[Problem]) -> None:
    """Every score and count within what it can mean: the models accept any Decimal and
    int, and a tampered 1e400 or 10**400 reached the workbook writer (OverflowError)."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            item = getattr(value, name)
            if name in YEAR_FIELDS and isinstance(item, int) and not 0 <= item <= MAX_YEAR:
                problems.append(Problem(f"{where}.{name}", f"不是年份（现为 {_shown(item)}，应为四位数字年份）"))
                continue
            _check_numbers(item, f"{where}.{name}", problems)
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            _check_numbers(item, f"{where}[{n}]", problems)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{where}.{key}", problems)
    elif isinstance(value, Decimal) and not _plausible(value):
        problems.append(Problem(where, f"数值超出合理范围（现为 {_shown(value)}，绝对值应小于 1000000000000，小数不超过 28 位）"))
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        problems.append(Problem(where, f"数值超出合理范围（现为 {_shown(value)}，绝对值应不超过 {MAX_INT}）"))


def _shown(value: Decimal | int) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}…（共 {len(text)} 个字符）"


def _plausible(value: Decimal) -> bool:
    if not value.is_finite() or len(value.as_tuple().digits) > SCORE_DIGITS:
        return False
    return value.is_zero() or SCORE_EXPONENTS[0] <= value.adjusted() <= SCORE_EXPONENTS[1]


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
    for where, model in [*((f"results[{n}]", c) for n, c in enumerate(cards)), ("ranking", ranking)]:
        if model is not None:
            _check_numbers(model, where, problems)
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
