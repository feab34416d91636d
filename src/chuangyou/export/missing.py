"""未提交: roster organizations with no workbook in the run (``rank --roster``)."""

from __future__ import annotations

from collections.abc import Sequence

from chuangyou.export.common import none_row
from chuangyou.export.table import Column, Row, Sheet, Table, Title
from chuangyou.roster.model import ListedOrganization

SHEET_MISSING = "未提交"
MISSING_COLUMNS = [Column("序号", 5, 6, center=True), Column("所属乡镇（街道）", 12, 16), Column("组织名称", 14, 30),
                   Column("组织类别", 8, 12), Column("组织形式", 8, 10, center=True), Column("组织代码", 8, 16)]


def missing_sheet(missing: Sequence[ListedOrganization]) -> Sheet:
    rows: list[Row] = [[n, o.township, o.name, o.subtype_label, o.form, o.code]
                       for n, o in enumerate(missing, 1)]
    note = (f"花名册中的以下 {len(missing)} 个组织没有提交证明材料，未参加本次评定。" if missing
            else "花名册中的组织均已提交证明材料。")
    table = Table(MISSING_COLUMNS, rows or [none_row(MISSING_COLUMNS)], main=True)
    return Sheet(SHEET_MISSING, [Title(SHEET_MISSING), Title(note, big=False), table], header=SHEET_MISSING,
                 landscape=False)
