"""Hostile rubric files, each with the exact lines ``chuangyou rubric check FILE`` prints.

A failing file prints ``✗ FILE：评定标准文件无法读取`` and one ``  where: message`` line;
the exit code is 2. ``{f}`` in ``where`` stands for the file name as given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chuangyou.rubric import bundled_paths
from chuangyou.yamlio import MAX_NODES
from evidence_helpers import MINI_RUBRIC

HEADING = "评定标准文件无法读取"
DEEP = "嵌套层次过深"
TAGS = "（评定标准文件只能包含普通的文字、数字、列表和映射）"
MARKER = "pwned-by-yaml"  # os.system would create this file


@dataclass(frozen=True)
class RubricCase:
    id: str
    file: str
    build: Callable[[Path], Any]  # writes the file (or folder) at the given path
    problems: tuple[tuple[str, str], ...]

    def lines(self) -> list[str]:
        return [f"✗ {self.file}：{HEADING}"] + [f"  {w.format(f=self.file)}: {m}" for w, m in self.problems]


def _text(text: str, encoding: str = "utf-8") -> Callable[[Path], Any]:
    return lambda path: path.write_bytes(text.encode(encoding))


def _bytes(data: bytes) -> Callable[[Path], Any]:
    return lambda path: path.write_bytes(data)


def alias_bomb() -> str:
    """Billion laughs: nine levels of nine aliases each (9^9 = 387 million strings)."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def _ten_megabytes(path: Path) -> None:
    line = "# " + "填充" * 30 + "\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(MINI_RUBRIC)
        handle.write(line * (10 * 1024 * 1024 // len(line.encode()) + 1))


def _block_nesting(levels: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "x: 1\n"


def _office_file(path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")


def _folder(path: Path) -> None:
    path.mkdir()


def _nothing(path: Path) -> None:
    pass


def valid_gb18030(path: Path) -> None:
    """A bundled rubric saved by a Chinese Windows editor (GB18030), with a Chinese name."""
    path.write_bytes(bundled_paths()[0].read_text(encoding="utf-8").encode("gb18030"))


OFFICE = "这是 Excel/Office 文件（或压缩包），不是评定标准文件；评定标准应为 .yaml 文本文件"

RUBRIC_CASES: list[RubricCase] = [
    RubricCase("billion laughs aliases", "bomb.yaml", _text(alias_bomb()),
               (("{f}:1", f"内容过多（超过 {MAX_NODES} 个值），可能是锚点/别名展开过度"),)),
    RubricCase("python object tag runs nothing", "evil.yaml",
               _text(f'id: !!python/object/apply:os.system ["touch {MARKER}"]\n'),
               (("{f}:1", "不支持的 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system"),)),
    RubricCase("python name tag", "evil2.yaml", _text("name: !!python/name:os.system\n"),
               (("{f}:1", f"不支持的 YAML 标签 tag:yaml.org,2002:python/name:os.system{TAGS}"),)),
    RubricCase("10 MB file", "big.yaml", _ten_megabytes,
               (("{f}", "文件过大（10 MB，上限 2 MB），不像是评定标准文件"),)),
    RubricCase("10,000 nested brackets", "deep.yaml", _text("a: " + "[" * 10_000 + "]" * 10_000 + "\n"),
               (("{f}", DEEP),)),
    RubricCase("10,000 nested block sequences", "deep2.yaml", _text("- " * 10_000 + "x\n"), (("{f}", DEEP),)),
    RubricCase("1,500 nested block mappings", "deep3.yaml", _text(_block_nesting(1_500)), (("{f}", DEEP),)),
    RubricCase("empty file", "empty.yaml", _text(""), (("{f}", "文件是空的"),)),
    RubricCase("NUL character", "nul.yaml", _text("id: mini\nname: a\x00b\n"),
               (("{f}:2", "含有不允许的控制字符（#x0000），请删除该字符或将文件另存为 UTF-8 文本"),)),
    RubricCase("workbook handed in as rubric", "村.xlsx", _office_file, (("{f}", OFFICE),)),
    RubricCase("integer of 5,000 digits", "int.yaml", _text("total: " + "9" * 5000 + "\n"),
               (("{f}:1", "整数“99999999999999999999…”过大"),)),
    RubricCase("exponent overflow", "exp.yaml", _text("total: 1.0e+999999999\n"),
               (("{f}:1", "数值“1.0e+999999999”超出可用范围"),)),
    RubricCase("lone surrogate escape", "sur.yaml", _text('name: "\\ud800"\n'),
               (("{f}:1", "文字中含有无效的 Unicode 字符（代理码位，如 \\ud800），请删除"),)),
    RubricCase("undefined alias", "alias.yaml", _text("id: mini\nname: *nope\n"),
               (("{f}:2", "YAML 格式错误：别名“*nope”之前没有定义锚点“&nope”"),)),
    RubricCase("two documents", "docs.yaml", _text("id: a\n---\nid: b\n"),
               (("{f}:2", "YAML 格式错误：一个文件只能有一个 YAML 文档，请删除“---”之后的第二个文档"),)),
    RubricCase("merge key", "merge.yaml", _text("base: &b {x: 1}\nother:\n  <<: *b\n"),
               (("{f}:3", "不支持合并键“<<”，请直接写出各个键"),)),
    RubricCase("folder named .yaml", "folder.yaml", _folder, (("{f}", "无法打开文件：这是一个文件夹，不是文件"),)),
    RubricCase("missing file", "missing.yaml", _nothing, (("{f}", "无法打开文件：文件不存在"),)),
    RubricCase("name over 255 bytes", "标" * 90 + ".yaml", _nothing, (("{f}", "无法打开文件：文件名或路径过长"),)),
]
