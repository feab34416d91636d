"""公示.yaml: what a county sets once for its documents (title, issuer, date, contact, period).

    title: 关于2026年度城关镇基层党组织争先创优评定结果的公示
    list_title: 城关镇2026年度基层党组织争先创优评定等级名单   # the printed 等级名单's heading
    issuer: 中共城关镇委员会
    date: 2026-12-20          # 成文日期; also the first day of the period unless start is given
    start: 2026-12-21         # 公示期的第一天
    days: 5                   # 公示期：工作日天数
    contact: 镇党委组织办，电话 0000-1234567，地址 城关镇人民路1号
    tiers: [优秀党支部]        # publish only these tiers
    intro: 根据……             # the notice's first paragraph, instead of the standard text

Every key is optional; a command-line option wins over the file.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from chuangyou.errors import Problem, RubricError, UsageError

MAX_DAYS = 30
_CHINESE_DATE = re.compile(r"^\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: object) -> dt.date:
    """2026-12-20, 2026/12/20, 2026.12.20 or 2026年12月20日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _CHINESE_DATE.match(str(value))
    if not match:
        raise ValueError(f"“{value}”不是日期，应写作 2026-12-20 或 2026年12月20日")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"“{value}”不是有效的日期") from None


class DocConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    list_title: str | None = None
    issuer: str = ""
    date: dt.date | None = None
    start: dt.date | None = None
    days: int = Field(default=5, ge=1, le=MAX_DAYS)
    contact: str = ""
    tiers: list[str] | None = None
    intro: str | None = None

    @field_validator("date", "start", mode="before")
    @classmethod
    def _date(cls, value: object) -> dt.date | None:
        return None if value is None else parse_date(value)

    @field_validator("tiers", mode="before")
    @classmethod
    def _tiers(cls, value: object) -> object:
        return split_tiers(value) if isinstance(value, str) else value


def split_tiers(text: str) -> list[str]:
    """“优秀党支部,良好党支部” (commas of either width, 、 or spaces)."""
    return [t for t in re.split(r"[,，、\s]+", text) if t]


_KEYS = ", ".join(DocConfig.model_fields)


def load_config(path: Path) -> DocConfig:
    """Read 公示.yaml; an unknown key or a bad value is an error naming the file and line."""
    from chuangyou.yamlio import load_yaml_file

    try:
        located = load_yaml_file(Path(path))
    except RubricError as exc:
        raise UsageError(f"公示配置文件 {path} 无法读取", exc.problems) from None
    if not isinstance(located.data, dict):
        raise UsageError(f"公示配置文件 {path} 应为“键: 值”的形式（可用的键：{_KEYS}）")
    try:
        return DocConfig.model_validate(located.data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = error["loc"][0] if error["loc"] else ""
            where = f"{path}:{located.line_of(tuple(error['loc']), key=True)}"
            if error["type"] == "extra_forbidden":
                message = f"不认识的键“{key}”（可用的键：{_KEYS}）"
            else:
                detail = str(error.get("ctx", {}).get("error", "")) or error["msg"]
                message = f"“{key}”的值有误：{_CHINESE.get(error['type'], detail)}"
            problems.append(Problem(where, message))
        raise UsageError(f"公示配置文件 {path} 的内容有误", problems) from None


_CHINESE = {
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "greater_than_equal": "至少为 1",
    "less_than_equal": f"最多为 {MAX_DAYS}",
    "string_type": "应为文字",
    "list_type": "应为列表",
}


def add_working_days(start: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a period of ``days`` working days (Monday to Friday) from
    ``start`` (moved to the next Monday if it falls on a weekend). Public holidays are not
    known here: give ``start`` and ``days`` accordingly."""
    first = start
    while first.weekday() >= 5:
        first += dt.timedelta(days=1)
    last, counted = first, 1
    while counted < days:
        last += dt.timedelta(days=1)
        if last.weekday() < 5:
            counted += 1
    return first, last

