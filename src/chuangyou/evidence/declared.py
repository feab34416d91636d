"""Who a workbook says it is, even when it cannot be scored (for matching files to a roster).

Only 基本信息 is read, with the same hardened layer as the evidence reader; whatever
cannot be read is left blank. Never raises for a bad file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chuangyou.errors import ChuangyouError
from chuangyou.evidence import info
from chuangyou.evidence.cells import Problems
from chuangyou.evidence.package import open_package
from chuangyou.evidence.workbook import read_grids


@dataclass(frozen=True)
class Declared:
    name: str = ""
    township: str = ""
    subtype_label: str = ""
    form: str = ""
    code: str = ""
    year: int | None = None


def declared_organization(path: Path) -> Declared | None:
    """The 基本信息 texts of a workbook, or None when the sheet cannot be read at all."""
    try:
        raw = read_grids(open_package(path), [info.SHEET], "auto")
        grid = raw.grids.get(info.SHEET)
        if grid is None:
            return None
        problems = Problems(path.name)
        sheet = info.read_info(grid, problems)
        year = info.year_of(sheet, problems)
        return Declared(
            name=sheet.plain(info.NAME), township=sheet.plain(info.TOWNSHIP), subtype_label=sheet.plain(info.SUBTYPE),
            form=sheet.plain(info.FORM), code=sheet.plain(info.CODE), year=year,
        )
    except ChuangyouError:
        return None
    except Exception:  # noqa: BLE001 - a hostile file must not stop the collection
        return None
