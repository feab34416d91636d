"""Safe YAML: line numbers, refusals (tags, alias bombs, size, depth), encodings."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from chuangyou.errors import Problem, RubricError
from chuangyou.rubric import load_rubric_text
from chuangyou.yamlio import MAX_NODES, Located, load_yaml_file, load_yaml_text

DOC = """\
id: demo
# a comment line
categories:
  - id: org
    points: 10.5
    items:
      - {id: setup, points: 2}
"""


def problems(exc: pytest.ExceptionInfo[RubricError]) -> list[tuple[str, str]]:
    return [(p.where, p.message) for p in exc.value.problems]


def refuse(text: str, name: str = "r.yaml") -> list[tuple[str, str]]:
    start = time.perf_counter()
    with pytest.raises(RubricError) as info:
        load_yaml_text(text, name)
    assert time.perf_counter() - start < 5, "refusal took too long"
    assert info.value.message == "评定标准文件无法读取"
    assert info.value.exit_code == 2
    return problems(info)


def test_values_and_line_numbers() -> None:
    located = load_yaml_text(DOC, "demo.yaml")
    assert located.data == {
        "id": "demo",
        "categories": [{"id": "org", "points": Decimal("10.5"), "items": [{"id": "setup", "points": 2}]}],
    }
    assert isinstance(located.data["categories"][0]["points"], Decimal)
    assert located.line_of(("id",)) == 1
    assert located.line_of(("categories",)) == 4  # a block sequence starts at its first entry
    assert located.line_of(("categories",), key=True) == 3
    assert located.line_of(("categories", 0, "points")) == 5
    assert located.line_of(("categories", 0, "items", 0, "id")) == 7
    # a path that does not exist (a missing key) falls back to its nearest located parent
    assert located.line_of(("categories", 0, "items", 0, "name")) == 7
    assert located.line_of(("nothing", "here")) == 1
    assert located.where(("categories", 0, "points")) == "demo.yaml:5"


def test_scalars_are_exact() -> None:
    data = load_yaml_text('a: 0.1\nb: 1000\nc: "2026.1"\nd: 2026.1\ne: 2026-01-01\nf: ~\ng: true\nh: 1e2\n', "s").data
    assert data == {"a": Decimal("0.1"), "b": 1000, "c": "2026.1", "d": Decimal("2026.1"),
                    "e": "2026-01-01", "f": None, "g": True, "h": Decimal(100)}


@pytest.mark.parametrize(("text", "message"), [
    ("total: 012\n", "数字“012”以 0 开头，含义不明确（YAML 会把它当作八进制数）；请去掉开头的 0"),
    ("total: 4_2\n", "数字“4_2”中不能有下划线“_”"),
    ("total: 0x10\n", "不支持的数字写法“0x10”，请写成普通的十进制数（如 12、0.5）"),
    ("total: 1:30\n", "不支持的数字写法“1:30”，请写成普通的十进制数（如 12、0.5）"),
    ("total: 1e999999999\n", "数值“1e999999999”超出可用范围"),  # no dot: a string in YAML 1.1
    ("total: 1e30\n", "数值“1e30”超出可用范围"),
    ("total: 99999999999999999999999999999\n", "数值“99999999999999999999999999999”超出可用范围"),
])
def test_numbers_are_read_as_they_look(text: str, message: str) -> None:
    assert refuse(text) == [("r.yaml:1", message)]


def test_duplicate_key() -> None:
    assert refuse("a: 1\nb:\n  c: 1\n  c: 2\n") == [("r.yaml:4", "键“c”重复出现")]
    # YAML spellings of the same key collide too
    assert refuse("true: 1\nTrue: 2\n") == [("r.yaml:2", "键“true”重复出现")]


@pytest.mark.parametrize(("text", "message"), [
    ("a: !!python/object:os.system {}\n", "不支持的 YAML 标签 tag:yaml.org,2002:python/object:os.system"),
    ("a: !!python/object/apply:os.system ['ls']\n", "不支持的 YAML 标签 tag:yaml.org,2002:python/object/apply:os.system"),
    ("a: !!python/name:os.system\n",
     "不支持的 YAML 标签 tag:yaml.org,2002:python/name:os.system（评定标准文件只能包含普通的文字、数字、列表和映射）"),
    ("a: !custom 1\n", "不支持的 YAML 标签 !custom（评定标准文件只能包含普通的文字、数字、列表和映射）"),
    ("a: !!binary aGVsbG8=\n", "不支持的 YAML 标签 tag:yaml.org,2002:binary（评定标准文件只能包含普通的文字、数字、列表和映射）"),
    ("a: !!set {x}\n", "不支持的 YAML 标签 tag:yaml.org,2002:set"),
    ("<<: {a: 1}\n", "不支持合并键“<<”，请直接写出各个键"),
    ("? [1, 2]\n: 3\n", "键必须是简单的文字"),
])
def test_tags_and_odd_keys_refused(text: str, message: str) -> None:
    assert refuse(text) == [("r.yaml:1", message)]


def test_billion_laughs_refused_quickly() -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    start = time.perf_counter()
    found = refuse("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 2
    assert len(found) == 1
    where, message = found[0]
    assert where.startswith("r.yaml:")
    assert message == f"内容过多（超过 {MAX_NODES} 个值），可能是锚点/别名展开过度"


def test_small_aliases_still_work() -> None:
    assert load_yaml_text("a: &x [1, 2]\nb: *x\n", "r").data == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", [
    "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "a:\n" + "".join("  " * i + "b:\n" for i in range(1, 800)),
    "a: " + "{b: " * 3000 + "1" + "}" * 3000 + "\n",
])
def test_deep_nesting_refused(text: str) -> None:
    assert refuse(text) == [("r.yaml", "嵌套层次过深")]


def test_moderate_nesting_is_fine() -> None:
    data = load_yaml_text("a: " + "[" * 50 + "1" + "]" * 50 + "\n", "r").data
    depth = 0
    node = data["a"]
    while isinstance(node, list):
        node, depth = node[0], depth + 1
    assert (depth, node) == (50, 1)


def test_ten_megabyte_file_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(10 * 1024 * 1024)  # sparse: cheap to create
    start = time.perf_counter()
    with pytest.raises(RubricError) as info:
        load_yaml_file(big, "big.yaml")
    assert time.perf_counter() - start < 1
    assert problems(info) == [("big.yaml", "文件过大（10 MB，上限 2 MB），不像是评定标准文件")]


def test_large_text_refused() -> None:
    assert refuse("a: " + "x" * (3 * 1024 * 1024)) == [("r.yaml", "文件过大（超过 2 MB），不像是评定标准文件")]


def test_gb18030_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: 村(社区)党组织争先创优评定标准\nunit: ㎡\n".encode("gb18030"))
    located = load_yaml_file(path, "gbk.yaml")
    assert located.data == {"name": "村(社区)党组织争先创优评定标准", "unit": "㎡"}
    assert located.name == "gbk.yaml"


def test_utf8_bom_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffname: 标准\n".encode())
    assert load_yaml_file(path).data == {"name": "标准"}


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"name: \xff\xfe\x80\n")
    with pytest.raises(RubricError) as info:
        load_yaml_file(path, "bad.yaml")
    assert problems(info) == [("bad.yaml", "文件编码无法识别，请保存为 UTF-8 编码")]


def test_missing_file_message_is_chinese(tmp_path: Path) -> None:
    with pytest.raises(RubricError) as info:
        load_yaml_file(tmp_path / "none.yaml", "none.yaml")
    assert problems(info) == [("none.yaml", "无法打开文件：文件不存在")]


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    assert refuse(text) == [("r.yaml", "文件是空的")]


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "hello\n", "42\n"])
def test_non_mapping_top_level(text: str) -> None:
    assert not isinstance(load_yaml_text(text, "r.yaml").data, dict)
    with pytest.raises(RubricError) as info:
        load_rubric_text(text, "r.yaml")
    assert problems(info) == [("r.yaml:1", "文件顶层应为映射（id: …、name: …、categories: … 等键）")]


def test_syntax_error_has_line() -> None:
    assert refuse("a: 1\nb: [1, 2\n") == [("r.yaml:3", "YAML 格式错误：expected ',' or ']', but got '<stream end>'")]


@pytest.mark.parametrize(("text", "expected"), [
    ("a: b: c\n", ("r.yaml:1", "YAML 格式错误：此处不能出现“键: 值”，请检查冒号后的空格和缩进")),
    ("a: 1\n\tb: 2\n", ("r.yaml:2", "YAML 格式错误：不能用制表符（Tab）缩进，请改用空格")),
])
def test_syntax_error_in_chinese(text: str, expected: tuple[str, str]) -> None:
    assert refuse(text) == [expected]


def test_infinite_float_message() -> None:
    assert refuse("a: .inf\n") == [("r.yaml:1", "数值必须是有限数，不能是“.inf”")]


def test_problem_formatting() -> None:
    assert str(Problem("r.yaml:3", "键“c”重复出现")) == "r.yaml:3: 键“c”重复出现"
    assert str(Problem("", "文件是空的")) == "文件是空的"
    located = Located({"a": 1}, "x.yaml", {(): 1, ("a",): 1})
    assert located.where(("a", "b")) == "x.yaml:1"


def _load_slow(text: str, name: str) -> Located:
    from unittest import mock

    from chuangyou import yamlio

    with mock.patch.object(yamlio, "_compose_fast", return_value=yamlio._SLOW):
        return load_yaml_text(text, name)


def test_libyaml_and_pure_python_read_every_bundled_rubric_the_same() -> None:
    """libyaml composes the nodes when the text nests shallowly; values and every line
    number must be exactly what the pure-Python parser gives."""
    from chuangyou import yamlio
    from chuangyou.rubric import bundled_paths

    assert yamlio._compose_fast(DOC) is not yamlio._SLOW  # libyaml is installed with PyYAML's wheel
    for path in bundled_paths():
        text = path.read_text(encoding="utf-8")
        fast, slow = load_yaml_text(text, path.name), _load_slow(text, path.name)
        assert (fast.data, fast.lines, fast.key_lines) == (slow.data, slow.lines, slow.key_lines)
        assert len(fast.lines) > 500


@pytest.mark.parametrize("text", [
    "a: " + "[" * 600 + "]" * 600,  # many brackets: possibly deep
    "a:\n" + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(1, 120)) + " " * 240 + "v: 1\n",  # deep indentation
    "a: [1, 2\n",  # an error: explained by the pure-Python parser
])
def test_deep_or_broken_text_goes_to_the_pure_python_parser(text: str) -> None:
    from chuangyou import yamlio

    assert yamlio._compose_fast(text) is yamlio._SLOW
