"""Realistic evidence workbooks for the benchmarks, generated fast and cached.

Each workbook is the real template (chuangyou.template) of a bundled rubric and subtype,
filled with the values of one of the rubric's own examples (full marks, typical deductions,
vetoes …) and jittered 酌情 scores, as a county receives them: 自评值 everywhere, 核定值
where the assessor changed something (or everywhere in some files), 佐证材料 in some rows,
text as shared strings like Excel writes it.

openpyxl needs ~50 ms to build and save one template; 10,000 of those would take minutes.
So each (rubric, subtype) template is built once with sentinel strings in the cells a
branch fills, and every file is then rendered from that skeleton: the sentinel cells are
replaced by numbers, shared strings or blanks and the shared-string table is rebuilt
(unique, like Excel's). About 1 ms per file.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

GENERATOR_VERSION = "1"
RUBRICS = ("village", "agency", "two_new")
WEIGHTS = {"village": 6, "agency": 2, "two_new": 2}  # a county: mostly villages and communities
SEED = 20260
TOWNSHIPS = [t + s for t in ("城关", "东城", "西城", "南关", "北关", "城东", "城西", "河口", "新城", "青山",
                             "白马", "石桥", "龙泉", "桃园", "柳河", "黄土", "红星", "长岭", "大营", "双庙")
             for s in ("镇", "乡")]
NAME_A = "东西南北上下前后新老大小高王李张刘陈杨赵黄周吴徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹"
NAME_B = "庄营村屯店集河湾岭坡沟桥寨堡坪口园山坝塘铺林湖台头沿庙洼滩峪场窑厂池圩岗"
KIND = {"village": "村", "urban_community": "社区", "converted_community": "社区", "agency": "局机关",
        "institution": "中心", "enterprise": "有限公司", "social_org": "协会"}
PROOFS = ("党员大会记录第{n}页", "支委会会议记录第{n}页", "{y}年工作台账", "组织生活会材料第{n}页",
          "照片及签到表", "党费收缴明细表", "见附件{n}")
_SENTINEL = re.compile(r"^@@(\d+)@@$")
_INLINE = re.compile(r'<c ([^>]*?) t="inlineStr"><is><t([^>]*)>(.*?)</t></is></c>', re.S)


@dataclass
class Skeleton:
    """One template with sentinel cells: the zip's members and the pieces of each sheet."""

    members: dict[str, bytes]  # every member but the two filled sheets and sharedStrings
    strings: list[str]  # the template's own shared strings (<si> elements)
    index: dict[str, int]  # escaped text → its index in strings (Excel's table is unique)
    sheets: dict[str, list[Any]]  # member → [literal str | (attrs, slot id)]
    slots: dict[str, int]  # slot name ("G12", "name" …) → slot id
    order: list[str]  # member order in the zip


def _examples(rubric: Any) -> dict[str, list[tuple[str, dict, dict, str]]]:
    """subtype → [(example name, values, self values, form)] from the rubric's examples."""
    from chuangyou.rubric.examples import _resolved

    found: dict[str, list[tuple[str, dict, dict, str]]] = {}
    for name, (_, values, self_values, subtype, form) in _resolved(rubric).items():
        found.setdefault(subtype, []).append((name, values, self_values, form))
    return found


def _skeleton(rubric: Any, subtype: str) -> Skeleton:
    from chuangyou.template import TemplateOptions, build_workbook

    book, rows = build_workbook(rubric, TemplateOptions(subtype=subtype, year=2026, period="全年"))
    names: list[str] = []

    def sentinel(ws: Any, ref: str, name: str) -> None:
        ws[ref].value = f"@@{len(names)}@@"
        names.append(name)

    from chuangyou.template.data_sheet import NUMBER, PROOF, SELF, VERIFIED

    basic, data = book["基本信息"], book["考评数据"]
    for ref, name in (("B2", "name"), ("B3", "township"), ("B5", "form"), ("B8", "filled_by")):
        sentinel(basic, ref, name)
    # Slots are named after the columns of the first layout (G 自评值, H 核定值, I 佐证材料);
    # rows are found by 编号, as the reader finds them.
    sheet_rows = {data[f"{NUMBER}{r}"].value: r for r in range(2, data.max_row + 1)}
    columns = {"G": SELF, "H": VERIFIED, "I": PROOF}
    for row in rows:
        if row.applicable:
            for slot, col in columns.items():
                sentinel(data, f"{col}{sheet_rows[row.code]}", f"{row.field_id}:{slot}")
    buffer = io.BytesIO()
    book.save(buffer)
    return _split(zipfile.ZipFile(buffer), names)


def _split(archive: zipfile.ZipFile, names: list[str]) -> Skeleton:
    """openpyxl writes inline strings; Excel writes a shared-string table. Convert, and cut
    each sheet into literal text and sentinel slots."""
    members = {n: archive.read(n) for n in archive.namelist()}
    strings: list[str] = []
    index: dict[str, int] = {}
    sheets: dict[str, list[Any]] = {}
    for member in [n for n in members if n.startswith("xl/worksheets/sheet")]:
        text = members.pop(member).decode()
        parts: list[Any] = []
        pos = 0
        for match in _INLINE.finditer(text):
            attrs, body = match.group(1), match.group(3)
            parts.append(text[pos:match.start()])
            sentinel = _SENTINEL.match(body)
            if sentinel:
                parts.append((attrs, int(sentinel.group(1))))
            else:
                if body not in index:
                    index[body] = len(strings)
                    strings.append(f"<si><t{match.group(2)}>{body}</t></si>")
                parts.append(f'<c {attrs} t="s"><v>{index[body]}</v></c>')
            pos = match.end()
        parts.append(text[pos:])
        sheets[member] = parts
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSst"/></Relationships>')
    order = archive.namelist()
    order.insert(order.index("xl/styles.xml"), "xl/sharedStrings.xml")
    return Skeleton(members, strings, index, sheets, {n: i for i, n in enumerate(names)}, order)


def _cell_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float, Decimal)):
        return value
    return None if value is None else str(value)


def _number(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return repr(value) if isinstance(value, float) else str(value)


def render(skeleton: Skeleton, values: dict[str, Any]) -> bytes:
    """The .xlsx bytes: slots filled from ``values`` (slot name → value; missing = blank)."""
    strings = list(skeleton.strings)
    index = dict(skeleton.index)
    by_id = {i: values.get(name) for name, i in skeleton.slots.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        rendered: dict[str, str] = {}
        for member, parts in skeleton.sheets.items():
            chunks = []
            for part in parts:
                if isinstance(part, str):
                    chunks.append(part)
                    continue
                attrs, slot = part
                value = _cell_value(by_id.get(slot))
                if value is None:
                    chunks.append(f"<c {attrs}/>")
                elif isinstance(value, str):
                    text = escape(value)
                    position = index.get(text)
                    if position is None:
                        position = index[text] = len(strings)
                        strings.append(f"<si><t>{text}</t></si>")
                    chunks.append(f'<c {attrs} t="s"><v>{position}</v></c>')
                else:
                    chunks.append(f"<c {attrs}><v>{_number(value)}</v></c>")
            rendered[member] = "".join(chunks)
        sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               f'count="{len(strings)}" uniqueCount="{len(strings)}">' + "".join(strings) + "</sst>")
        for member in skeleton.order:
            if member == "xl/sharedStrings.xml":
                archive.writestr(member, sst)
            elif member in rendered:
                archive.writestr(member, rendered[member])
            else:
                archive.writestr(member, skeleton.members[member])
    return out.getvalue()


def _jitter(rubric: Any, values: dict, rng: random.Random) -> dict:
    """酌情 scores (type score) vary a little, so totals spread like real ones."""
    specs = {fid: spec for fid, spec, _ in rubric.all_fields()}
    out = dict(values)
    for fid in values:
        spec = specs.get(fid)
        if spec is not None and spec.type == "score" and spec.max is not None and rng.random() < 0.4:
            steps = int(spec.max * 2)
            out[fid] = Decimal(max(0, steps - rng.choice((0, 1, 1, 2, 3)))) / 2
    return out


def organization(i: int) -> tuple[str, str]:
    """A unique (township, name stem) for file number ``i``, varied from the first files on."""
    township = TOWNSHIPS[i % len(TOWNSHIPS)]
    k, size = i // len(TOWNSHIPS), len(NAME_A) * len(NAME_B)
    n = (k * 7919 + (i % len(TOWNSHIPS)) * 131) % size  # 7919 is prime to size: one name per k
    stem = NAME_A[n % len(NAME_A)] + NAME_B[n // len(NAME_A)]
    return township, stem + (str(k // size + 1) if k >= size else "")


class Generator:
    """Builds file number ``i`` deterministically (same i → same bytes, apart from the zip dates)."""

    def __init__(self) -> None:
        from chuangyou.rubric import resolve

        self.rubrics = {rid: resolve(rid) for rid in RUBRICS}
        self.examples = {rid: _examples(r) for rid, r in self.rubrics.items()}
        self.skeletons: dict[tuple[str, str], Skeleton] = {}

    def skeleton(self, rid: str, subtype: str) -> Skeleton:
        key = (rid, subtype)
        if key not in self.skeletons:
            self.skeletons[key] = _skeleton(self.rubrics[rid], subtype)
        return self.skeletons[key]

    def choose(self, i: int) -> tuple[random.Random, str, str, tuple, str, str]:
        """(random source, rubric id, subtype, example, township, file name) of file ``i``."""
        rng = random.Random(SEED * 1_000_003 + i)
        rid = rng.choices(RUBRICS, weights=[WEIGHTS[r] for r in RUBRICS])[0]
        subtype = rng.choice(sorted(self.examples[rid]))
        examples = self.examples[rid][subtype]
        # Mostly the full-marks example, the rest spread over the typical-deduction ones.
        example = examples[0] if rng.random() < 0.35 else rng.choice(examples)
        township, stem = organization(i)
        name = stem + KIND[subtype] + example[3]
        return rng, rid, subtype, example, township, f"{i:06d}-{name}.xlsx"

    def make(self, i: int) -> bytes:
        """The workbook bytes of file ``i``."""
        rng, rid, subtype, example, township, file_name = self.choose(i)
        _, verified, self_values, form = example
        verified = _jitter(self.rubrics[rid], verified, rng)
        self_values = {**self_values, **{k: v for k, v in verified.items() if k not in self_values}}
        all_verified = rng.random() < 0.3
        values: dict[str, Any] = {"name": file_name[7:-5], "township": township, "form": form,
                                  "filled_by": rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("建国秀英志强丽华明军")}
        for fid, value in verified.items():
            mine = self_values.get(fid, value)
            values[f"{fid}:G"] = mine
            if all_verified or mine != value:
                values[f"{fid}:H"] = value
            if rng.random() < 0.3:
                values[f"{fid}:I"] = rng.choice(PROOFS).format(n=rng.randint(1, 40), y=2026)
        return render(self.skeleton(rid, subtype), values)


def cache_root() -> Path:
    from chuangyou.rubric import resolve

    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    for rid in RUBRICS:
        digest.update(resolve(rid).sha256.encode())
    template = Path(__file__).resolve().parents[1] / "src" / "chuangyou" / "template"
    for path in sorted(template.glob("*.py")):
        digest.update(path.read_bytes())
    base = Path(os.environ.get("CHUANGYOU_BENCH_CACHE", Path(tempfile.gettempdir()) / "chuangyou-bench"))
    return base / digest.hexdigest()[:12]


def corpus(count: int, root: Path | None = None) -> Path:
    """A folder of ``count`` workbooks in township sub-folders, generated once and cached.

    Files live in one pool (pool/00042.xlsx); each size's folder hard-links the first
    ``count`` of them, so the corpus of 1,000 is a prefix of the one of 10,000.
    """
    root = root or cache_root()
    pool = root / "pool"
    pool.mkdir(parents=True, exist_ok=True)
    folder = root / f"n{count}"
    done = folder / ".complete"
    if done.exists():
        return folder
    generator = Generator()
    shutil.rmtree(folder, ignore_errors=True)
    for i in range(count):
        _, _, _, _, township, name = generator.choose(i)
        pooled = pool / f"{i:06d}.xlsx"
        if not pooled.exists():
            tmp = pooled.with_suffix(".tmp")
            tmp.write_bytes(generator.make(i))
            tmp.replace(pooled)
        target = folder / township / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(pooled, target)
        except OSError:
            shutil.copyfile(pooled, target)
    done.write_text(str(count))
    return folder
