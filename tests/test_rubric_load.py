"""The bundled rubrics load, add up, carry the four tiers, and their examples pass; registry lookups."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

import chuangyou
from chuangyou.cli import output
from chuangyou.cli.app import app
from chuangyou.errors import UsageError
from chuangyou.rubric import Rubric, bundled_dir, bundled_paths, load_rubric, resolve
from chuangyou.rubric.examples import run_examples
from chuangyou.rubric.registry import load_cached

REPO = Path(__file__).resolve().parents[1]
PATHS = sorted((REPO / "rubrics").glob("*.yaml"))
IDS = [p.stem for p in PATHS]
TIERS = [("优秀党支部", Decimal(90)), ("良好党支部", Decimal(80)), ("一般党支部", Decimal(60)), ("软弱涣散党支部", Decimal(0))]


def _applies(subtype: str, *scopes: list[str] | None) -> bool:
    return all(scope is None or subtype in scope for scope in scopes)


@pytest.fixture(scope="module", params=PATHS, ids=IDS)
def rubric(request: pytest.FixtureRequest) -> Rubric:
    return load_rubric(request.param)


def test_the_three_standards_are_bundled() -> None:
    assert IDS == ["agency", "two_new", "village"]
    # An installed package carries its own copy (site-packages/chuangyou/rubrics); an
    # editable install reads the source tree. Either way the files are the repository's.
    assert [p.name for p in bundled_paths()] == [p.name for p in sorted((REPO / "rubrics").glob("*.yaml"))]
    for path in bundled_paths():
        assert path.read_bytes() == (REPO / "rubrics" / path.name).read_bytes()
    assert bundled_dir() in (REPO / "rubrics", Path(chuangyou.__file__).parent / "rubrics")


def test_id_matches_file_name(rubric: Rubric) -> None:
    assert Path(rubric.path).stem == rubric.id
    assert len(rubric.sha256) == 64


def test_total_is_100_for_every_subtype(rubric: Rubric) -> None:
    """Recomputed here, independently of the loader's own check."""
    assert rubric.total == 100
    for subtype in rubric.subtypes:
        total = Decimal(0)
        for category in rubric.categories:
            if not _applies(subtype, category.applies_to):
                continue
            items = sum((i.points for i in category.items if _applies(subtype, i.applies_to)), Decimal(0))
            assert items == category.points, (subtype, category.name)
            total += category.points
        assert total == 100, subtype


def test_four_tiers(rubric: Rubric) -> None:
    assert [(t.name, t.min) for t in rubric.tiers] == TIERS


def test_examples_pass(rubric: Rubric) -> None:
    results = run_examples(rubric)
    failures = {r.name: r.failures for r in results if not r.ok}
    assert failures == {}
    assert len(results) >= 5


def test_examples_cover_the_kinds_of_case(rubric: Rubric) -> None:
    """Full marks for every subtype, a typical deduction, a veto and a discretionary (酌情) item."""
    cards = [r.card for r in run_examples(rubric) if r.card is not None]
    full = {c.organization.subtype for c in cards if c.total == 100}
    assert full == set(rubric.subtypes)
    assert any(d.kind == "deduct" for c in cards for i in c.items for d in i.deductions)
    assert any(c.vetoes for c in cards)
    assert any(d.kind == "score" for c in cards for i in c.items for d in i.deductions)


def test_every_required_field_is_used(rubric: Rubric) -> None:
    """A required field no rule, veto or composition reads is evidence demanded for nothing.

    Optional fields may be reference information for the assessors (供考评参考).
    """
    used: set[str] = set()
    for _, item in rubric.items():
        for rule in item.rules:
            for expr in (rule._amount, rule._condition):
                used |= set(expr.names) if expr is not None else set()
    for veto in rubric.vetoes:
        used |= set(veto._condition.names) if veto._condition is not None else set()
    if rubric.composition is not None:
        used.add(rubric.composition.review_field)
    unused = [fid for fid, spec, _ in rubric.all_fields() if spec.type != "text" and not spec.optional and fid not in used]
    assert unused == []


# -- registry -----------------------------------------------------------------------------------

@pytest.mark.parametrize("rubric_id", IDS)
def test_resolve_by_id_path_name_and_alias(rubric_id: str) -> None:
    path = REPO / "rubrics" / f"{rubric_id}.yaml"
    by_id = resolve(rubric_id)
    assert by_id.id == rubric_id
    assert resolve(f"  {rubric_id} ").id == rubric_id
    assert resolve(str(path)).id == rubric_id
    assert resolve(by_id.name).id == rubric_id
    for alias in by_id.aliases:
        assert resolve(alias).id == rubric_id, alias


def test_aliases_are_unambiguous() -> None:
    names = [n for p in PATHS for n in (load_cached(str(p)).aliases + [load_cached(str(p)).name])]
    assert len(names) == len(set(names))
    assert not set(names) & set(IDS)


def test_resolve_is_cached() -> None:
    assert resolve("village") is resolve("village")


def test_unknown_id_message() -> None:
    with pytest.raises(UsageError) as info:
        resolve("nosuch")
    assert info.value.message == f"未找到评定标准“nosuch”。内置的有：{'、'.join(IDS)}；也可以给出 .yaml 文件路径"
    assert info.value.exit_code == 2


def test_missing_file_message(tmp_path: Path) -> None:
    missing = tmp_path / "nosuch.yaml"
    with pytest.raises(UsageError) as info:
        resolve(str(missing))
    assert info.value.message == f"找不到评定标准文件：{missing}"


def test_resolve_file_outside_bundle(tmp_path: Path) -> None:
    copy = tmp_path / "我的标准.yaml"
    copy.write_bytes((REPO / "rubrics" / "agency.yaml").read_bytes())
    loaded = resolve(str(copy))
    assert loaded.id == "agency"
    assert loaded.path == str(copy)


# -- the commands rubric authors run on the bundled files ------------------------------------------

@pytest.mark.parametrize("rubric_id", IDS)
def test_check_and_test_commands_pass(rubric_id: str) -> None:
    runner = CliRunner()
    output._console.cache_clear()
    checked = runner.invoke(app, ["rubric", "check", str(REPO / "rubrics" / f"{rubric_id}.yaml")])
    assert checked.exit_code == 0, checked.stdout
    assert checked.stdout.startswith("✓ ")
    output._console.cache_clear()
    tested = runner.invoke(app, ["rubric", "test", rubric_id])
    assert tested.exit_code == 0, tested.stdout
    assert tested.stdout.splitlines()[-1].endswith("个通过，0 个失败")
    output._console.cache_clear()
