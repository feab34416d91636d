"""The roster (花名册) as data: every organization a county rates, and which rubric rates it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from chuangyou.errors import UsageError
from chuangyou.rubric.model import Rubric
from chuangyou.values import normalize_text

SHEET = "花名册"
C_INDEX, C_NAME, C_TOWNSHIP, C_SUBTYPE = "序号", "组织名称", "所属乡镇（街道）", "组织类别"
C_FORM, C_CODE, C_CONTACT, C_PHONE, C_NOTE = "组织形式", "组织代码", "联系人", "联系电话", "备注"
HEADERS = (C_INDEX, C_NAME, C_TOWNSHIP, C_SUBTYPE, C_FORM, C_CODE, C_CONTACT, C_PHONE, C_NOTE)
REQUIRED = (C_NAME, C_TOWNSHIP, C_SUBTYPE, C_FORM)

# Brackets are typed every which way (（）() 【】 [] 〔〕); one kind for matching.
_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "〈": "(", "〉": ")",
                           "《": "(", "》": ")", "{": "(", "}": ")"})
_SPACE = re.compile(r"\s+")


def name_key(text: str) -> str:
    """Matching text of a name or township: full-width folded (NFKC), one kind of bracket,
    no spaces. ``北关村党支部（一）`` and ``北关村党支部 (一)`` are the same organization."""
    return _SPACE.sub("", normalize_text(text or "").translate(_BRACKETS))


def code_key(text: str) -> str:
    return name_key(text).upper()


class ListedOrganization(BaseModel):
    """An organization as the roster names it: what `missing` lists and exports show."""

    model_config = ConfigDict(extra="forbid")

    name: str
    township: str
    subtype_label: str
    form: str
    code: str = ""


class RosterEntry(ListedOrganization):
    """One roster row, with the rubric its 组织类别 decides."""

    rubric_id: str
    subtype: str  # the subtype id within that rubric
    contact: str = ""
    phone: str = ""
    note: str = ""
    row: int  # 1-based row in the sheet, for messages

    def listed(self) -> ListedOrganization:
        return ListedOrganization(name=self.name, township=self.township, subtype_label=self.subtype_label,
                                  form=self.form, code=self.code)


@dataclass(frozen=True)
class Roster:
    path: str
    entries: list[RosterEntry]

    def townships(self) -> list[str]:
        """Townships in roster order (first appearance)."""
        return list(dict.fromkeys(e.township for e in self.entries))


@dataclass(frozen=True)
class Kind:
    """A 组织类别 label and the rubric and subtype it means."""

    label: str
    rubric_id: str
    subtype: str


def kinds(rubrics: Iterable[Rubric]) -> dict[str, Kind]:
    """Every subtype label of the rubrics, by matching key; a label in two rubrics is ambiguous."""
    found: dict[str, Kind] = {}
    for rubric in rubrics:
        for subtype, label in rubric.subtypes.items():
            kind = Kind(label, rubric.id, subtype)
            other = found.get(name_key(label))
            if other is not None and other.rubric_id != rubric.id:
                raise UsageError(f"组织类别“{label}”同时属于评定标准“{other.rubric_id}”和“{rubric.id}”，"
                                 "无法确定用哪一个；请只给出其中一个评定标准")
            found[name_key(label)] = kind
    return found
