"""The bundled examples (examples/): reproducible, scored as worked out by hand, ranked as expected.

Every figure below was checked by hand against the rubric text (rubrics/village.yaml,
agency.yaml, two_new.yaml: each item's points and each rule's deduction) starting from full
marks and the values scripts/make_examples.py types into 自评值/核定值; the sum of the
points lost is written next to each organization. The ranking expectations follow from
those totals and DESIGN.md (competition ranks 1, 2, 2, 4; veto caps; 另行处理 held out).
"""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chuangyou.cli import output
from chuangyou.cli.main import main
from chuangyou.engine import score
from chuangyou.errors import EvidenceError
from chuangyou.evidence import read_workbook
from cli_helpers import load_script as _load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TOWN = EXAMPLES / "城关镇"
A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
HELD = "待定（另行处理）"
V_SAT = "群众满意率低于90%，不能评为优秀、良好等次"
V_VACANT = "党组织书记出缺超过3个月"
V_TAX = "存在不良信贷、工商、纳税记录，一票否决"
V_MONEY = "存在重大财务纰漏情况另行处理"
FAILED = "城关镇/村/北岗村党支部.xlsx"
PREVIOUS = "城关镇-2025年结果.json"
FAILED_PROBLEM = "北岗村党支部.xlsx 考评数据!F9: “村(居)务监督委员会健全并正常开展监督”的值“良好”无法识别，应填写 是 或 否"


def load_script() -> Any:
    return _load("make_examples", ROOT / "scripts" / "make_examples.py")


@pytest.fixture(scope="module")
def script() -> Any:
    return load_script()


@pytest.fixture(scope="module")
def generated(script: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    script.generate(out)
    return out


def relative_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.xlsx"))


def contents(path: Path) -> dict[str, Any]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook}
    props = workbook.properties
    sheets["(properties)"] = [props.created, props.modified, props.creator, props.lastModifiedBy]
    workbook.close()
    return sheets


def without_sha256(data: Any) -> Any:
    """The JSON without rubric file hashes: a checkout with other line endings changes them."""
    if isinstance(data, dict):
        return {k: without_sha256(v) for k, v in data.items() if k != "sha256"}
    if isinstance(data, list):
        return [without_sha256(v) for v in data]
    return data


# --------------------------------------------------------------- (a) the script reproduces examples/


def test_committed_examples_are_what_the_script_generates(generated: Path) -> None:
    assert relative_files(EXAMPLES) == relative_files(generated)
    assert len(relative_files(EXAMPLES)) == 36  # 35 workbooks and the roster
    for name in relative_files(generated):
        assert contents(EXAMPLES / name) == contents(generated / name), f"rerun scripts/make_examples.py: {name}"
    committed, fresh = (without_sha256(json.loads((folder / PREVIOUS).read_text(encoding="utf-8")))
                        for folder in (EXAMPLES, generated))
    assert committed == fresh, f"rerun scripts/make_examples.py: {PREVIOUS}"
    top_level = [sorted(p.name for p in folder.iterdir() if p.is_file()) for folder in (EXAMPLES, generated)]
    assert top_level[0] == top_level[1]


def test_regenerating_gives_identical_bytes(script: Any, generated: Path, tmp_path: Path) -> None:
    # One organization per rubric plus the failing one; each is generated independently.
    sample = [org for org in script.ORGS if org.path.endswith(("东关村党支部.xlsx", "财政所党支部.xlsx",
                                                              "商会党支部.xlsx", "北岗村党支部.xlsx"))]
    assert len(sample) == 4
    for org in sample:
        script.save(script.fill(org), tmp_path / "again.xlsx")
        assert (tmp_path / "again.xlsx").read_bytes() == (generated / org.path).read_bytes()
    with zipfile.ZipFile(generated / sample[0].path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2026, 12, 20, 9, 0, 0)}


def test_script_refuses_a_field_the_subtype_does_not_have(script: Any) -> None:
    typo = script._org("x/示例.xlsx", "村", "党支部", "某", own={"office_area": 600})  # 城市社区 only
    with pytest.raises(SystemExit, match="office_area"):
        script.fill(typo)


# --------------------------------------------------------------- (b) every workbook, scored by hand
# file → (total, self total, tier, [(item id, points lost by one deduction)], vetoes, flags)
# Hand arithmetic: 100 − Σ points lost; the self total repeats it with the 自评值 where a
# 核定值 differs. Veto reasons and flags as the rubric words them.

EXPECTED: dict[str, tuple[str, str, str, list[tuple[str, float]], list[str], list[str]]] = {
    # 1+1+0.5+1+0.5+2+1+1.5+1.5+0.5+1 = 11.5 → 88.5; 自评: 失联0、三会一课4.5、统筹4.5、经费0 → 92
    "示例-东关村党支部.xlsx": ("88.5", "92", B, [
        ("org.setup", 1), ("education.mobile", 1), ("education.care", 0.5), ("org_life.three_one", 1),
        ("org_life.party_day", 0.5), ("venue.build_std", 2), ("service.carrier", 1),
        ("service.service_innovation", 1.5), ("mechanism.coordination", 1.5), ("mechanism.contact", 0.5),
        ("funding.funds", 1)], [], []),
    # 0.5+0.5+1+1+1+0.5 = 4.5 → 95.5; 自评 联系群众4 → 96.5
    "示例-滨河社区党委.xlsx": ("95.5", "96.5", A, [
        ("education.digital", 0.5), ("org_life.three_one", 0.5), ("org_life.life_meeting", 1),
        ("service.service_innovation", 1), ("mechanism.contact", 1), ("mechanism.grid", 0.5)], [], []),
    # 1+2+1+1+1+1+2+2+1+3 = 15 → 85; 自评: 学时不足0人、投诉1件 → 88
    "示例-城关市场监管所党支部.xlsx": ("85", "88", B, [
        ("org.org_coverage", 1), ("edu.edu_training", 2), ("life.life_meetings", 1), ("life.life_day", 1),
        ("role.role_center", 1), ("role.role_satisfaction", 1), ("role.role_complaints", 2),
        ("mech.mech_plan", 2), ("guar.guar_place", 1), ("guar.guar_funds", 3)], [], []),
    # 1+1+2+1+1+1+1 = 8 → 92; 自评: 班子学时56、经费3分 → 95
    "示例-华星电子有限公司党支部.xlsx": ("92", "95", A, [
        ("org.supporting_orgs", 1), ("team.backbone", 1), ("education.training", 2),
        ("life.life_innovation", 1), ("role.enterprise_features", 1), ("guarantee.venue", 1),
        ("guarantee.funds", 1)], [], []),
    # 2+1+2+2+2+2+2+2+1+2+1+1+1.5 = 21.5 → 78.5; 自评: 特点活动4、经费2.5 → 80.5
    "示例-城关镇志愿者协会党支部.xlsx": ("78.5", "80.5", C, [
        ("org.supporting_orgs", 2), ("org.supporting_orgs", 1), ("team.self_building", 2),
        ("education.recruitment", 2), ("education.training", 2), ("life.member_review", 2),
        ("life.theme_day", 2), ("life.life_innovation", 2), ("role.serve_development", 1),
        ("role.social_org_features", 2), ("guarantee.policy", 1), ("guarantee.policy", 1),
        ("guarantee.funds", 1.5)], [], []),
    # --- 村
    # 0.5+0.5+1+1+1+0.5 = 4.5 → 95.5; 自评 服务创新5 → 96.5
    "城关镇/村/城关村党总支.xlsx": ("95.5", "96.5", A, [
        ("education.care", 0.5), ("org_life.party_day", 0.5), ("venue.maintenance", 1),
        ("service.service_innovation", 1), ("mechanism.coordination", 1), ("mechanism.grid", 0.5)], [], []),
    # 0.5×6 + 1×3 = 6 → 94
    "城关镇/村/刘庄村党支部.xlsx": ("94", "94", A, [
        ("org.explore", 0.5), ("education.digital", 0.5), ("org_life.three_one", 0.5),
        ("org_life.party_day", 0.5), ("service.service_sys", 1), ("service.service_innovation", 1),
        ("mechanism.coordination", 1), ("mechanism.contact", 0.5), ("mechanism.grid", 0.5)], [], []),
    # 8 × 1 = 8 → 92 (优秀 by score), 满意率 85% < 90% caps it at 一般
    "城关镇/村/北关村党支部.xlsx": ("92", "92", C, [
        ("org.setup", 1), ("org.explore", 1), ("education.training", 1), ("education.mobile", 1),
        ("org_life.three_one", 1), ("service.service_sys", 1), ("mechanism.democracy", 1),
        ("mechanism.contact", 1)], [V_SAT], []),
    # 1+1+1+1+2+2+2 = 10 → 90 (the line is inclusive); 自评 服务创新4 → 91
    "城关镇/村/西关村党支部.xlsx": ("90", "91", A, [
        ("org.setup", 1), ("education.recruit", 1), ("education.care", 1), ("org_life.three_one", 1),
        ("venue.build_std", 2), ("service.service_innovation", 2), ("mechanism.incentive", 2)], [], []),
    # 1+1+0.5+1+1+0.5+1+1+1+1+1+0.5+2 = 12.5 → 87.5; 自评 经费扣0 → 89.5; 核定 重大财务纰漏 → held
    "城关镇/村/王家湾村党支部.xlsx": ("87.5", "89.5", HELD, [  # threshold_tier 良好党支部
        ("org.setup", 1), ("education.mobile", 1), ("education.care", 0.5), ("education.digital", 1),
        ("org_life.three_one", 1), ("org_life.party_day", 0.5), ("venue.build_std", 1),
        ("service.service_sys", 1), ("service.service_innovation", 1), ("mechanism.coordination", 1),
        ("mechanism.contact", 1), ("mechanism.grid", 0.5), ("funding.funds", 2)], [V_MONEY], ["另行处理"]),
    # 2+1+1+1+1.5+0.5+1+1+1+2+1+1+0.5+1.5 = 16 → 84;
    # 自评: 探索创新2、台账有、三会一课4.5、服务体系6、联系群众3.5 → 84+2+1+1+1+0.5 = 89.5 (相差5.5 ≥ 5)
    "城关镇/村/张庄村党支部.xlsx": ("84", "89.5", B, [
        ("org.explore", 2), ("team.self_build", 1), ("education.training", 1), ("education.care", 1),
        ("org_life.three_one", 1.5), ("org_life.party_day", 0.5), ("venue.basic_fac", 1),
        ("service.service_sys", 1), ("service.carrier", 1), ("service.service_innovation", 2),
        ("mechanism.coordination", 1), ("mechanism.contact", 1), ("mechanism.grid", 0.5),
        ("funding.funds", 1.5)], [], ["自评偏高"]),
    # 2+1+1+1+0.5+1.5+1.5+1+1+1+1.5+2+1.5+0.5+1 = 18 → 82 (良好), 书记出缺5个月 caps it at 软弱涣散
    "城关镇/村/石门村党支部.xlsx": ("82", "82", D, [
        ("team.team_size", 2), ("team.team_term", 1), ("education.recruit", 1), ("education.training", 1),
        ("education.care", 0.5), ("education.digital", 1.5), ("org_life.three_one", 1.5),
        ("org_life.life_meeting", 1), ("org_life.party_day", 1), ("venue.signage", 1),
        ("service.service_sys", 1.5), ("service.service_innovation", 2), ("mechanism.coordination", 1.5),
        ("mechanism.contact", 0.5), ("mechanism.grid", 1)], [V_VACANT], []),
    # 2+1+1+1+1+1+2+1+1+1+2+2+2+1+1 = 20 → 80 exactly
    "城关镇/村/桥头村党支部.xlsx": ("80", "80", B, [
        ("org.setup", 1), ("org.setup", 1), ("org.org_system", 1), ("team.team_term", 1),
        ("education.recruit", 1), ("education.dues", 1), ("education.digital", 1), ("org_life.three_one", 2),
        ("org_life.party_day", 1), ("venue.build_std", 1), ("venue.signage", 1), ("service.service_sys", 2),
        ("service.service_innovation", 2), ("mechanism.coordination", 2), ("mechanism.contact", 1),
        ("mechanism.grid", 1)], [], []),
    # 1+2+1+1+1+1+1+1+1+2+1+0.5+2+2+1.5+2+2.5+2+3+2+2 = 32.5 → 67.5
    "城关镇/村/柳树沟村党支部.xlsx": ("67.5", "67.5", C, [
        ("org.setup", 1), ("org.explore", 2), ("org.discipline", 1), ("org.org_system", 1),
        ("org.org_system", 1), ("team.self_build", 1), ("education.recruit", 1), ("education.training", 1),
        ("education.training", 1), ("education.mobile", 2), ("education.care", 1), ("education.care", 0.5),
        ("education.digital", 2), ("org_life.three_one", 2), ("org_life.party_day", 1.5),
        ("venue.build_std", 2), ("service.service_sys", 2.5), ("service.carrier", 2),
        ("service.service_innovation", 3), ("mechanism.democracy", 2), ("mechanism.coordination", 2)], [], []),
    # 2+2+1+3+1+2+3+2+3+2.5+2.5+1+2+3+3+2+3+2.5+2+2 = 44.5 → 55.5 (没有集中培训扣2分 and 学时不足扣1分)
    "城关镇/村/后山村党支部.xlsx": ("55.5", "55.5", D, [
        ("org.setup", 1), ("org.setup", 1), ("org.explore", 2), ("org.discipline", 1), ("org.org_system", 2),
        ("org.org_system", 1), ("team.self_build", 1), ("education.recruit", 1), ("education.recruit", 1),
        ("education.training", 1), ("education.training", 2), ("education.mobile", 2), ("education.care", 1),
        ("education.care", 1), ("education.care", 1), ("education.digital", 2.5), ("org_life.three_one", 2.5),
        ("org_life.life_meeting", 1), ("org_life.party_day", 2), ("venue.build_std", 3),
        ("service.service_sys", 3), ("service.carrier", 2), ("service.service_innovation", 3),
        ("mechanism.coordination", 2.5), ("mechanism.incentive", 2), ("mechanism.contact", 2)], [], []),
    # --- 社区
    # 0.5+0.5+1+1 = 3 → 97; 自评 三会一课5、管理手段4、大讲堂0 → 99
    "城关镇/社区/城关社区党委.xlsx": ("97", "99", A, [
        ("education.digital", 0.5), ("org_life.three_one", 0.5), ("venue.build_std", 1),
        ("service.carrier", 1)], [], []),
    # 1+1+1+1+2+2+1+1 = 10 → 90 (面积430㎡扣2、功能室扣2); 自评 联系群众4 → 91
    "城关镇/社区/南街社区党支部.xlsx": ("90", "91", A, [
        ("team.team_size", 1), ("education.dues", 1), ("education.digital", 1), ("org_life.party_day", 1),
        ("venue.build_std", 2), ("venue.build_std", 2), ("mechanism.contact", 1), ("funding.funds", 1)], [], []),
    # 1+1+1+3+1+1.5+1+1+2+1.5+2+1+1.5 = 18.5 → 81.5; 自评: 失联1名、三会一课4 → 84
    "城关镇/社区/新华社区党支部.xlsx": ("81.5", "84", B, [
        ("org.setup", 1), ("org.discipline", 1), ("org.org_system", 1), ("education.mobile", 3),
        ("education.digital", 1), ("org_life.three_one", 1.5), ("org_life.member_review", 1),
        ("org_life.party_day", 1), ("service.service_sys", 2), ("service.service_innovation", 1.5),
        ("mechanism.coordination", 2), ("mechanism.contact", 1), ("mechanism.grid", 1.5)], [], []),
    # 1+2+1+1+1+1.5+2+1.5+1+1+1 = 14 → 86; 自评: 失联0、服务体系5.5 → 89
    "城关镇/社区/河东社区党总支.xlsx": ("86", "89", B, [
        ("education.training", 1), ("education.mobile", 2), ("org_life.three_one", 1),
        ("org_life.life_meeting", 1), ("venue.maintenance", 1), ("service.service_sys", 1.5),
        ("service.service_innovation", 2), ("mechanism.coordination", 1.5), ("mechanism.democracy", 1),
        ("mechanism.incentive", 1), ("mechanism.grid", 1)], [], []),
    # 2+1+1+2+1+1.5+2+1+1+2+1+2+2.5+2+1.5+0.5 = 24 → 76
    "城关镇/社区/河西社区党支部.xlsx": ("76", "76", C, [
        ("org.explore", 2), ("team.team_size", 1), ("education.training", 1), ("education.mobile", 2),
        ("education.mobile", 1), ("education.digital", 1.5), ("org_life.three_one", 2),
        ("org_life.life_meeting", 1), ("org_life.party_day", 1), ("venue.build_std", 2),
        ("venue.maintenance", 1), ("service.service_sys", 2), ("service.service_innovation", 2.5),
        ("mechanism.coordination", 2), ("mechanism.contact", 1.5), ("mechanism.grid", 0.5)], [], []),
    # --- 机关、事业单位
    # 5 × 1 = 5 → 95
    "城关镇/机关事业单位/城关镇机关第一党支部.xlsx": ("95", "95", A, [
        ("life.life_meetings", 1), ("life.life_day", 1), ("role.role_center", 1),
        ("role.role_satisfaction", 1), ("mech.mech_open", 1)], [], []),
    # 2+1+1+3 = 7 → 93 (县级表彰可加1分, but 年度考核 is already full: +0); 自评 学时不足0人 → 95
    "城关镇/机关事业单位/城关镇中心小学党总支.xlsx": ("93", "95", A, [
        ("edu.edu_training", 2), ("life.life_meeting", 1), ("role.role_business", 1),
        ("guar.guar_funds", 3)], [], []),
    # 2+3+2+2+1+1+1+1+1 = 14 → 86
    "城关镇/机关事业单位/城关镇卫生院党支部.xlsx": ("86", "86", B, [
        ("team.team_size", 2), ("edu.edu_training", 3), ("life.life_meetings", 2), ("life.life_day", 2),
        ("role.role_business", 1), ("role.role_satisfaction", 1), ("role.role_complaints", 1),
        ("mech.mech_duty", 1), ("guar.guar_place", 1)], [], []),
    # 1+1+1+2+2+4+1+1+1 = 14 → 86 (tied with 卫生院)
    "城关镇/机关事业单位/城关镇机关第二党支部.xlsx": ("86", "86", B, [
        ("org.org_coverage", 1), ("org.org_committee", 1), ("org.org_discipline", 1), ("team.team_term", 2),
        ("team.team_self", 2), ("edu.edu_training", 4), ("edu.edu_care", 1), ("life.life_review", 1),
        ("role.role_center", 1)], [], []),
    # 1+2+(3+2: 班子3 + 党员4 扣完为止 at 5)+1+1+1+2+1+1+2+3 = 20 → 80; the 酌情扣2 has no 自评值,
    # so the self value is the verified one and the self total is 80 too
    "城关镇/机关事业单位/城关镇农业综合服务中心党支部.xlsx": ("80", "80", B, [
        ("org.org_coverage", 1), ("team.team_self", 2), ("edu.edu_training", 3), ("edu.edu_training", 2),
        ("edu.edu_daily", 1), ("life.life_meetings", 1), ("life.life_day", 1), ("role.role_business", 2),
        ("role.role_satisfaction", 1), ("role.role_complaints", 1), ("mech.mech_plan", 2),
        ("guar.guar_funds", 3)], [], []),
    # 1+1+1+2+1+2+1+2+5+1+2+2+1 = 22 → 78; 自评 服务中心3.5 → 78.5
    "城关镇/机关事业单位/城关镇财政所党支部.xlsx": ("78", "78.5", C, [
        ("edu.edu_daily", 1), ("edu.edu_exemplary", 1), ("edu.edu_care", 1), ("life.life_meetings", 2),
        ("life.life_meetings", 1), ("life.life_review", 2), ("life.life_day", 1), ("role.role_center", 2),
        ("role.role_rank", 5), ("role.role_satisfaction", 1), ("mech.mech_plan", 2), ("mech.mech_open", 2),
        ("guar.guar_funds", 1)], [], []),
    # 1+1+2+5+2+1+1+1+1+(4+1: 三会一课 扣完为止 at 5)+1+1+3+2+1+1+2+1+1+3 = 36 → 64
    "城关镇/机关事业单位/城关镇退役军人服务站党支部.xlsx": ("64", "64", C, [
        ("org.org_coverage", 1), ("org.org_discipline", 1), ("team.team_size", 2), ("team.team_term", 5),
        ("edu.edu_training", 2), ("edu.edu_daily", 1), ("edu.edu_daily", 1), ("edu.edu_care", 1),
        ("edu.edu_care", 1), ("life.life_meetings", 4), ("life.life_meetings", 1), ("life.life_review", 1),
        ("life.life_meeting", 1), ("life.life_day", 3), ("role.role_business", 2), ("role.role_groups", 1),
        ("role.role_satisfaction", 1), ("mech.mech_plan", 2), ("mech.mech_duty", 1), ("mech.mech_open", 1),
        ("guar.guar_staff", 3)], [], []),
    # --- 两新组织
    # 1+2+1+1+1 = 6 → 94
    "城关镇/两新组织/宏达建材有限公司党支部.xlsx": ("94", "94", A, [
        ("org.supporting_orgs", 1), ("education.training", 2), ("life.life_innovation", 1),
        ("role.enterprise_features", 1), ("guarantee.funds", 1)], [], []),
    # 1+1+2+1+1+1+1+1+1 = 10, 其他保障制度 +1 → 91
    "城关镇/两新组织/城关镇商会党支部.xlsx": ("91", "91", A, [
        ("org.supporting_orgs", 1), ("team.backbone", 1), ("team.self_building", 2),
        ("life.life_innovation", 1), ("role.serve_development", 1), ("role.social_org_features", 1),
        ("guarantee.policy", 1), ("guarantee.venue", 1), ("guarantee.funds", 1)], [], []),
    # 1+1+2+2+1+2+1.5+1.5 = 12 → 88 (良好), 核定 不良纳税记录 caps it at 一般
    "城关镇/两新组织/恒信农业科技有限公司党支部.xlsx": ("88", "88", C, [
        ("org.supporting_orgs", 1), ("team.self_building", 1), ("education.recruitment", 2),
        ("education.training", 2), ("life.three_meetings", 1), ("life.theme_day", 2),
        ("life.life_innovation", 1.5), ("role.enterprise_features", 1.5)], [V_TAX], []),
    # 1+1+1+2+2+1+1+2+1+1+2+1+1 = 17 → 83
    "城关镇/两新组织/顺通物流有限公司党支部.xlsx": ("83", "83", B, [
        ("team.team_size", 1), ("team.team_term", 1), ("team.backbone", 1), ("education.recruitment", 2),
        ("education.training", 2), ("education.daily_management", 1), ("life.three_meetings", 1),
        ("life.member_review", 2), ("life.life_innovation", 1), ("role.serve_development", 1),
        ("role.enterprise_features", 2), ("guarantee.venue", 1), ("guarantee.funds", 1)], [], []),
    # 2+2+2+2+2+2+1+1+1.5+2+1+1+1 = 20.5 → 79.5 (党员8人未设支委会扣2)
    "城关镇/两新组织/阳光社会工作服务中心党支部.xlsx": ("79.5", "79.5", C, [
        ("org.supporting_orgs", 2), ("team.team_size", 2), ("team.self_building", 2),
        ("education.recruitment", 2), ("education.training", 2), ("education.training", 2),
        ("life.three_meetings", 1), ("life.life_meetings", 1), ("life.life_innovation", 1.5),
        ("role.social_org_features", 2), ("mechanism.care", 1), ("guarantee.policy", 1),
        ("guarantee.venue", 1)], [], []),
    # 4+2+3+3+4+1+2+2+2+2+2.5+1+1.5 = 30 → 70
    "城关镇/两新组织/城关镇个体劳动者协会党支部.xlsx": ("70", "70", C, [
        ("org.supporting_orgs", 2), ("org.supporting_orgs", 1), ("org.supporting_orgs", 1),
        ("team.backbone", 1), ("team.backbone", 1), ("team.self_building", 1), ("team.self_building", 2),
        ("education.recruitment", 2), ("education.recruitment", 1), ("education.training", 2),
        ("education.training", 2), ("education.daily_management", 1), ("life.three_meetings", 1),
        ("life.three_meetings", 1), ("life.theme_day", 2), ("life.life_innovation", 2),
        ("role.serve_development", 2), ("role.social_org_features", 2.5), ("mechanism.care", 1),
        ("guarantee.funds", 1.5)], [], []),
    # 5+2+2+2+4+3+4+4+2+3+2+1+2+3+2+3+1+1+2 = 48 → 52
    "城关镇/两新组织/鑫源服装有限公司党支部.xlsx": ("52", "52", D, [
        ("org.discipline", 5), ("org.supporting_orgs", 1), ("org.supporting_orgs", 1), ("team.team_size", 1),
        ("team.team_size", 1), ("team.team_term", 2), ("team.backbone", 2), ("team.backbone", 1),
        ("team.backbone", 1), ("team.self_building", 1), ("team.self_building", 2),
        ("education.recruitment", 2), ("education.recruitment", 2), ("education.training", 2),
        ("education.training", 2), ("education.daily_management", 1), ("education.daily_management", 1),
        ("life.three_meetings", 1), ("life.three_meetings", 1), ("life.three_meetings", 1),
        ("life.member_review", 2), ("life.life_meetings", 1), ("life.theme_day", 2),
        ("life.life_innovation", 3), ("role.serve_development", 2), ("role.enterprise_features", 3),
        ("mechanism.care", 1), ("guarantee.policy", 1), ("guarantee.funds", 2)], [], []),
}
AWARDS = {  # awards (item id, points gained, points the rule offered); every other organization has none
    "城关镇/机关事业单位/城关镇中心小学党总支.xlsx": [("role.role_rank", Decimal(0), Decimal(1))],
    "城关镇/两新组织/城关镇商会党支部.xlsx": [("guarantee.policy", Decimal(1), None)],
}


def test_the_table_covers_every_example() -> None:
    assert sorted([*EXPECTED, FAILED, "城关镇-花名册.xlsx"]) == relative_files(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_scores_as_computed_by_hand(name: str) -> None:
    total, self_total, tier, lost, vetoes, flags = EXPECTED[name]
    rubric, evidence = read_workbook(EXAMPLES / name)
    card = score(rubric, evidence)
    assert (card.total, card.self_total, card.tier) == (Decimal(total), Decimal(self_total), tier)
    gained = [(item.id, a.points, a.nominal) for item in card.items for a in item.awards]
    assert gained == AWARDS.get(name, [])
    # The table adds up: points − deductions + awards = total.
    assert 100 - sum(Decimal(str(p)) for _, p in lost) + sum(p for _, p, _ in gained) == Decimal(total)
    got = sorted((item.id, d.points) for item in card.items for d in item.deductions)
    assert got == sorted((item, Decimal(str(p))) for item, p in lost)
    assert [v.reason for v in card.vetoes] == vetoes
    assert [f.kind for f in card.flags] == flags
    assert evidence.warnings == []


def test_failing_example_reports_the_typed_value() -> None:
    with pytest.raises(EvidenceError) as caught:
        read_workbook(EXAMPLES / FAILED)
    assert caught.value.message == "证明材料工作簿有 1 处问题"
    assert [str(p) for p in caught.value.problems] == [FAILED_PROBLEM]


# --------------------------------------------------------------- (c) the township, ranked by the CLI
# Per rubric group (groups in rubric-id order): (rank, organization, total, final tier, notes).
# Ranks from the totals in EXPECTED: equal totals share a rank and the next rank skips.
# Vetoes cap the tier but not the rank; the held organization has no rank and is listed last.

NOTE_TAX = f"否决条件：{V_TAX}，等级由良好党支部调整为一般党支部"
NOTE_SAT = f"否决条件：{V_SAT}，等级由优秀党支部调整为一般党支部"
NOTE_VACANT = f"否决条件：{V_VACANT}，等级由良好党支部调整为软弱涣散党支部"
# Ranked organizations above 87.5: 97, 95.5, 94, 92, 90, 90 → six, so its score would place it 7th.
NOTE_HELD = f"存在需另行处理的情形（{V_MONEY}），暂不定级，不参与排名和名额计算；按得分可列第7名"

RANKING: dict[str, list[tuple[int | None, str, str, str, list[str]]]] = {
    "agency": [
        (1, "城关镇机关第一党支部", "95", A, []),
        (2, "城关镇中心小学党总支", "93", A, []),
        (3, "城关镇卫生院党支部", "86", B, []),  # tie: shown by name (卫 U+536B before 机 U+673A)
        (3, "城关镇机关第二党支部", "86", B, []),
        (5, "城关镇农业综合服务中心党支部", "80", B, []),
        (6, "城关镇财政所党支部", "78", C, []),
        (7, "城关镇退役军人服务站党支部", "64", C, []),
    ],
    "two_new": [
        (1, "宏达建材有限公司党支部", "94", A, []),
        (2, "城关镇商会党支部", "91", A, []),
        (3, "恒信农业科技有限公司党支部", "88", C, [NOTE_TAX]),
        (4, "顺通物流有限公司党支部", "83", B, []),
        (5, "阳光社会工作服务中心党支部", "79.5", C, []),
        (6, "城关镇个体劳动者协会党支部", "70", C, []),
        (7, "鑫源服装有限公司党支部", "52", D, []),
    ],
    "village": [
        (1, "城关社区党委", "97", A, []),
        (2, "城关村党总支", "95.5", A, []),
        (3, "刘庄村党支部", "94", A, []),
        (4, "北关村党支部", "92", C, [NOTE_SAT]),
        (5, "南街社区党支部", "90", A, []),  # tie at the 优秀 line: both stay 优秀 (南 before 西)
        (5, "西关村党支部", "90", A, []),
        (7, "河东社区党总支", "86", B, []),
        (8, "张庄村党支部", "84", B, []),
        (9, "石门村党支部", "82", D, [NOTE_VACANT]),
        (10, "新华社区党支部", "81.5", B, []),
        (11, "桥头村党支部", "80", B, []),
        (12, "河西社区党支部", "76", C, []),
        (13, "柳树沟村党支部", "67.5", C, []),
        (14, "后山村党支部", "55.5", D, []),
        (None, "王家湾村党支部", "87.5", HELD, [NOTE_HELD]),
    ],
}
COUNTS = {
    "agency": {A: 2, B: 3, C: 2, D: 0, HELD: 0},
    "two_new": {A: 2, B: 1, C: 3, D: 1, HELD: 0},
    "village": {A: 5, B: 4, C: 3, D: 2, HELD: 1},
}


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    # cli.output.console() caches a Console bound to the sys.stderr of its first call; under
    # capsys that stream is closed by the time a later test runs, so start from a fresh one.
    output._console.cache_clear()
    with pytest.raises(SystemExit) as exited:
        main(argv)
    return int(exited.value.code or 0), capsys.readouterr().out


def test_township_ranks_as_expected(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(["rank", str(TOWN), "--format", "json"], capsys)
    assert code == 1  # the contract: 1 when any file could not be scored
    data = json.loads(out)
    assert data["failures"] == [{
        "source": str(TOWN / "村" / "北岗村党支部.xlsx"),
        "reason": "证明材料工作簿有 1 处问题",
        "problems": [FAILED_PROBLEM],
    }]
    groups = data["ranking"]["groups"]
    assert [g["rubric_id"] for g in groups] == list(RANKING)
    for group in groups:
        rubric_id = group["rubric_id"]
        got = [(e["rank"], e["name"], e["total"], e["tier"], e["notes"]) for e in group["entries"]]
        assert got == RANKING[rubric_id], rubric_id
        assert group["counts"] == COUNTS[rubric_id]
        assert group["quotas"] == [] and group["warnings"] == []
    entries = {e["name"]: e for g in groups for e in g["entries"]}
    assert (entries["王家湾村党支部"]["held"], entries["王家湾村党支部"]["threshold_tier"]) == (True, B)
    for name in entries:
        source = Path(entries[name]["source"]).relative_to(EXAMPLES).as_posix()
        assert entries[name]["total"] == EXPECTED[source][0]
        assert entries[name]["self_total"] == EXPECTED[source][1]
    assert sorted(Path(r["source"]).relative_to(EXAMPLES).as_posix() for r in data["results"]) == sorted(
        name for name in EXPECTED if name.startswith("城关镇/"))


def test_readme_first_command_writes_the_tier_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "等级名单.xlsx"
    code, _ = run_cli(["rank", str(TOWN), "-o", str(output)], capsys)
    assert code == 1
    workbook = openpyxl.load_workbook(output, read_only=True)
    listed = {cell for row in workbook["评定结果"].iter_rows(values_only=True) for cell in row}
    assert {name for group in RANKING.values() for _, name, *_ in group} <= listed
    failed = [cell for row in workbook["未能评分"].iter_rows(values_only=True) for cell in row if cell]
    assert any("北岗村党支部.xlsx" in str(cell) for cell in failed)
    workbook.close()


# --------------------------------------------------------------- year over year: --previous
# Last year's results (scripts/make_examples.py LAST_YEAR): the same workbooks without the
# township's 核定值, so last year's total is this year's self total, except that 北关村 had
# 满意率 93% (92 → 优秀), 石门村 had its secretary (84 → 良好), 桥头村 had 满意率 55%
# (→ 软弱涣散), 河西社区 had the secretary post vacant 4 months (→ 软弱涣散), 恒信 had no tax
# record entered (88 → 良好), and 阳光社会工作服务中心 did not exist. name → (last year, change).
CHANGES = {
    "城关镇机关第一党支部": (A, "持平"), "城关镇中心小学党总支": (A, "持平"), "城关镇卫生院党支部": (B, "持平"),
    "城关镇机关第二党支部": (B, "持平"), "城关镇农业综合服务中心党支部": (B, "持平"),  # 82 without the 酌情扣2
    "城关镇财政所党支部": (C, "持平"), "城关镇退役军人服务站党支部": (C, "持平"),
    "宏达建材有限公司党支部": (A, "持平"), "城关镇商会党支部": (A, "持平"), "恒信农业科技有限公司党支部": (B, "降级"),
    "顺通物流有限公司党支部": (B, "持平"), "阳光社会工作服务中心党支部": (None, "新参评"),
    "城关镇个体劳动者协会党支部": (C, "持平"), "鑫源服装有限公司党支部": (D, "持平"),
    "城关社区党委": (A, "持平"), "城关村党总支": (A, "持平"), "刘庄村党支部": (A, "持平"), "北关村党支部": (A, "降级"),
    "南街社区党支部": (A, "持平"), "西关村党支部": (A, "持平"), "河东社区党总支": (B, "持平"),
    "张庄村党支部": (B, "持平"), "石门村党支部": (B, "降级"), "新华社区党支部": (B, "持平"),
    "桥头村党支部": (D, "升级"),  # 80 → 良好, but 逐级晋升 allows one tier: 一般
    "河西社区党支部": (D, "升级"), "柳树沟村党支部": (C, "持平"), "后山村党支部": (D, "持平"),
    "王家湾村党支部": (B, None),  # held this year: not compared
}


def test_previous_year_and_step_promotion(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["rank", str(TOWN), "--previous", str(EXAMPLES / PREVIOUS), "--step-promotion", "--format", "json"]
    code, out = run_cli(argv, capsys)
    assert code == 1
    groups = json.loads(out)["ranking"]["groups"]
    entries = {e["name"]: e for g in groups for e in g["entries"]}
    assert {name: (e["previous_tier"], e["change"]) for name, e in entries.items()} == CHANGES
    assert {e["previous_year"] for e in entries.values() if e["previous_tier"]} == {2025}
    bridge = entries["桥头村党支部"]
    assert (bridge["rank"], bridge["capped_tier"], bridge["tier"]) == (11, B, C)
    assert bridge["notes"] == ["逐级晋升：上年为软弱涣散党支部，本年最高评为一般党支部"]
    village = next(g for g in groups if g["rubric_id"] == "village")
    assert village["counts"] == {A: 5, B: 3, C: 4, D: 2, HELD: 1}
