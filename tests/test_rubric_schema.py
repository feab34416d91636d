"""`chuangyou rubric schema`: a JSON Schema whose every key is described in Chinese."""

from __future__ import annotations

import json
import re

from chuangyou.cli.main import main
from chuangyou.rubric.schema import rubric_schema

CJK = re.compile(r"[\u4e00-\u9fff]")


def _properties(schema: dict) -> list[tuple[str, str, dict]]:
    found = [("", name, spec) for name, spec in schema["properties"].items()]
    for model, definition in schema["$defs"].items():
        found += [(model, name, spec) for name, spec in definition.get("properties", {}).items()]
    return found


def test_every_key_has_a_chinese_description() -> None:
    missing = [f"{model}.{name}" for model, name, spec in _properties(rubric_schema())
               if not CJK.search(spec.get("description", ""))]
    assert missing == []


def test_schema_validates_the_shape_editors_need() -> None:
    schema = rubric_schema()
    assert schema["title"] == "chuangyou 评定标准"
    assert schema["properties"]["total"]["description"] == "总分，各组织类别适用的类别分值之和必须等于它"
    assert schema["$defs"]["Rule"]["additionalProperties"] is False


def test_schema_command_writes_the_file(tmp_path, capsys) -> None:
    target = tmp_path / "rubric.schema.json"
    main(["rubric", "schema", "-o", str(target)])  # returns normally: exit code 0
    assert json.loads(target.read_text(encoding="utf-8")) == rubric_schema()
    assert capsys.readouterr().out.strip() == f"已写入 {target}"
