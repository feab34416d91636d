"""Collection status as data: the JSON contract of ``chuangyou collect --format json``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["已交", "有问题", "未交", "重复提交"]
SUBMITTED: Status = "已交"
PROBLEM: Status = "有问题"
MISSING: Status = "未交"
DUPLICATE: Status = "重复提交"
UNLISTED = "花名册外"
STATUSES = (SUBMITTED, PROBLEM, DUPLICATE, MISSING)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CollectedOrganization(_Model):
    """One roster organization and what it handed in."""

    name: str
    township: str
    subtype_label: str
    form: str
    code: str = ""
    status: Status
    files: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)  # every reader message and mismatch, with file and cell


class UnlistedFile(_Model):
    """A workbook that matches no roster row, with the organization it declares."""

    file: str
    name: str
    township: str


class PreviousMissing(_Model):
    """Rated last year, neither on this roster nor handed in."""

    name: str
    township: str
    tier: str | None = None
    year: int | None = None
    code: str = ""


class TownshipCount(_Model):
    township: str
    expected: int  # 应交: roster organizations
    submitted: int  # 已交
    problem: int  # 有问题 and 重复提交
    missing: int  # 未交


class Collection(_Model):
    organizations: list[CollectedOrganization] = Field(default_factory=list)
    unlisted: list[UnlistedFile] = Field(default_factory=list)
    previous_missing: list[PreviousMissing] = Field(default_factory=list)
    townships: list[TownshipCount] = Field(default_factory=list)

    def complete(self) -> bool:
        """Every roster organization 已交 (the exit code 0 of ``collect``)."""
        return all(o.status == SUBMITTED for o in self.organizations)

    def count(self, status: str) -> int:
        return sum(1 for o in self.organizations if o.status == status)
