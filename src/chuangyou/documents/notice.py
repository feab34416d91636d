"""公示 notice (GB/T 9704-2012): the organizations of the published tiers, the period of
公示 and how to object, the issuer and date at the bottom right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from chuangyou.documents import word
from chuangyou.documents.config import DocConfig, add_working_days
from chuangyou.errors import UsageError
from chuangyou.export.common import chinese_date
from chuangyou.export.tierlist import by_tier, list_tiers, year_of
from chuangyou.ranking.model import Ranking

NOTICE = word.Kind("评定结果公示", "公示")
NUMERALS = "一二三四五六七八九十"
OBJECTION = ("公示期间，如对公示对象有不同意见，可通过来信、来电、来访等方式向{whom}反映。"
             "反映情况要实事求是，以个人名义反映的请署真实姓名，以单位名义反映的请加盖公章。")


def chosen_tiers(ranking: Ranking, tiers: Iterable[str] | None) -> list[str]:
    """The tiers to publish, in tier order; an unknown name is a usage error."""
    known = list_tiers(ranking)
    if tiers is None:
        return known
    wanted = list(dict.fromkeys(tiers))
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UsageError(f"不认识的等级：{'、'.join(unknown)}；可用的等级：{'、'.join(known) or '（结果中没有组织）'}")
    return [t for t in known if t in wanted]


def notice_title(ranking: Ranking, config: DocConfig) -> str:
    if config.title:
        return config.title
    year = year_of(ranking)
    return f"关于{year}年度基层党组织争先创优评定结果的公示" if year else "关于基层党组织争先创优评定结果的公示"


def _intro(ranking: Ranking, listed: list[tuple[str, int]], every: bool, config: DocConfig, towns: bool) -> str:
    if config.intro:
        return config.intro
    year = year_of(ranking)
    when = f"{year}年度" if year else ""
    counts = "、".join(f"{tier}{n}个" for tier, n in listed)
    what = f"评定出{when}{counts}" if every else f"拟确定{when}{counts}"
    order = "按等级排列，括号内为所属乡镇〔街道〕" if towns else "按等级排列"
    return f"根据基层党组织争先创优评定工作安排，经党组织自查申报、考评组考评核定，{what}。现将名单予以公示（{order}）。"


def notice_document(ranking: Ranking, config: DocConfig, tiers: Iterable[str] | None = None,
                    today: dt.date | None = None) -> Any:
    today = today or dt.date.today()
    published = chosen_tiers(ranking, tiers if tiers is not None else config.tiers)
    listing = by_tier(ranking, published)
    doc = word.new_document(NOTICE)
    word.title(doc, notice_title(ranking, config))
    every = published == list_tiers(ranking)
    # One township's list does not repeat its name on every line.
    towns = len({e.township for _, entries in listing for _, e in entries}) > 1
    word.paragraph(doc, _intro(ranking, [(t, len(e)) for t, e in listing], every, config, towns), indent=True)
    for n, (tier, entries) in enumerate(listing):
        number = NUMERALS[n] if n < len(NUMERALS) else str(n + 1)
        word.paragraph(doc, f"{number}、{tier}（{len(entries)}个）", font=word.HEADING_FONT, indent=True,
                       keep_next=True)
        for index, (_, entry) in enumerate(entries, 1):
            township = f"（{entry.township}）" if towns and entry.township else ""
            word.paragraph(doc, f"{index}．{entry.name}{township}", indent=True)
        if not entries:
            word.paragraph(doc, "无", indent=True)
    first, last = add_working_days(config.start or config.date or today, config.days)
    word.paragraph(doc, f"公示时间：{chinese_date(first)}至{chinese_date(last)}（{config.days}个工作日）。",
                   indent=True)
    whom = config.issuer or "考评组织单位"
    word.paragraph(doc, OBJECTION.format(whom=whom), indent=True)
    if config.contact:
        word.paragraph(doc, f"联系方式：{config.contact}", indent=True)
    signature(doc, config.issuer, config.date or today)
    return doc


def signature(doc: Any, issuer: str, day: dt.date) -> None:
    """发文机关署名 and 成文日期 after two empty lines (GB/T 9704 7.3.5.2): the date four
    characters in from the right and the issuer centred over it; an issuer longer than the
    date two characters in, and the date centred under it."""
    date_text = chinese_date(day)
    word.paragraph(doc, "")
    word.paragraph(doc, "")
    width = word.width
    if issuer and width(issuer) > width(date_text):
        issuer_right, date_right = 2.0, 2 + (width(issuer) - width(date_text)) / 2
    else:
        issuer_right, date_right = 4 + (width(date_text) - width(issuer)) / 2, 4.0
    if issuer:
        word.paragraph(doc, issuer, align="right", right_chars=issuer_right)
    word.paragraph(doc, date_text, align="right", right_chars=date_right)


def write_notice(path: Path, ranking: Ranking, config: DocConfig, tiers: Iterable[str] | None = None, *,
                 inputs: Iterable[Path] = (), force: bool = False, today: dt.date | None = None) -> None:
    doc = notice_document(ranking, config, tiers, today)
    word.save(doc, path, NOTICE, inputs, force=force)
