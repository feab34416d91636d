"""The JSON text of cards and batches is pydantic's serializer put together by hand; it
must be, byte for byte, what the standard library writes for the same data (the JSON
contract and ``--jobs 1`` = ``--jobs N`` rest on one text for one result)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangyou.batch import Failure, score_file
from chuangyou.errors import loads_json
from chuangyou.export import dump_results
from chuangyou.ranking import rank
from chuangyou.rubric import resolve
from chuangyou.scorecard import ScoreCard, model_json

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "城关镇"
# Text a name, reason or file name may hold: quotes, backslashes, control characters,
# DEL, line/paragraph separators, CJK, an emoji, a character outside the BMP.
ODD = '村"\\/\n\r\t\b\f\x00\x1f\x7f\u2028\u2029 党支部😀𠀀'


def _stdlib(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _cards() -> list[ScoreCard]:
    cards = [score_file(p, None) for p in sorted(EXAMPLES.rglob("*.xlsx"))[:8]]
    return [c for c in cards if isinstance(c, ScoreCard)]


def test_model_json_is_the_standard_library_text() -> None:
    cards = _cards()
    assert len(cards) >= 6
    odd = cards[0].model_copy(update={"source": ODD, "warnings": [ODD, ""]})
    for card in [*cards, odd]:
        assert model_json(card) == _stdlib(card.model_dump(mode="json"))
    failure = Failure(source=ODD, reason=ODD, problems=[ODD, "考评数据!B7：不是数字"])
    assert model_json(failure) == _stdlib(failure.model_dump(mode="json"))
    assert model_json(Failure(source="a.xlsx", reason="")) == '{\n  "source": "a.xlsx",\n  "reason": "",\n  "problems": []\n}'


def test_dump_results_is_the_standard_library_text() -> None:
    cards = _cards()
    rubrics = {c.rubric.id: resolve(c.rubric.id) for c in cards}
    ranking = rank(cards, rubrics)
    failures = [Failure(source=ODD, reason="无法读取", problems=[ODD]), Failure(source="乙.xlsx", reason="空")]
    for some_cards, some_failures in ((cards, failures), (cards, []), ([], failures), ([], [])):
        some_ranking = ranking if some_cards else rank([], {})
        data = {
            "results": [c.model_dump(mode="json") for c in some_cards],
            "failures": [f.model_dump(mode="json") for f in some_failures],
            "ranking": some_ranking.model_dump(mode="json"),
        }
        assert dump_results(some_ranking, some_cards, some_failures) == _stdlib(data) + "\n"
    assert dump_results(rank([], {}), [], []).startswith('{\n  "results": [],\n  "failures": [],\n  "ranking": {')


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3))
def test_any_text_is_written_as_the_standard_library_writes_it(text: str, problems: list[str]) -> None:
    failure = Failure(source=text, reason=text, problems=problems)
    written = model_json(failure)
    expected = _stdlib(failure.model_dump(mode="json"))
    if any("\ud800" <= c <= "\udfff" for c in text + "".join(problems)):
        # A lone surrogate, which no UTF-8 file can hold, is written as its \\uXXXX escape.
        written.encode("utf-8")
        assert json.loads(written) == failure.model_dump(mode="json")
        assert re.sub(r"\\u(d[89a-f][0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), written) == expected
    else:
        assert written == expected


def test_loads_json_makes_lone_surrogates_readable() -> None:
    text = '{"a": "村\\udcff.xlsx", "b": ["\\ud83d\\ude00", "\\ud800x"], "\\udc80": 1}'
    assert loads_json(text) == {"a": "村\ufffd.xlsx", "b": ["😀", "\ufffdx"], "\ufffd": 1}
    assert loads_json('{"a": "东关村😀"}') == {"a": "东关村😀"}


def test_export_reads_results_with_lone_surrogates(tmp_path: Path) -> None:
    # A results file edited by hand or made by another tool: JSON may spell a lone
    # surrogate as an escape; the tier list is written with U+FFFD in its place.
    cards = _cards()
    ranking = rank(cards, {c.rubric.id: resolve(c.rubric.id) for c in cards})
    data = json.loads(dump_results(ranking, cards, []))
    name = data["results"][0]["organization"]["name"]
    text = json.dumps(data, ensure_ascii=True).replace(json.dumps(name)[1:-1], json.dumps(name)[1:-1] + "\\ud800")
    results = tmp_path / "结果.json"
    results.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "chuangyou", "export", str(results), "-o", str(tmp_path / "名单.xlsx")],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    book = openpyxl.load_workbook(tmp_path / "名单.xlsx")
    assert name + "\ufffd" in [row[3] for row in book["评定结果"].iter_rows(values_only=True)]
