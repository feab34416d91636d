"""Scoring cases for the three bundled rubrics, run end to end through the CLI.

Each case below is run the way a township fills a workbook (issue 3, "Done when"):
``chuangyou template --rubric … --subtype … --form …`` writes the blank workbook,
openpyxl fills 自评值 (column F) with a full-marks baseline plus the case's changes and
核定值 (column G) with the case's verified values, and ``chuangyou score … --format json``
scores it. Every case asserts the total, the tier and the exact list of deductions
(item, points lost, reason, evidence cells, and ``nominal`` where 扣完为止 cut what the
rule asked for) and awards (likewise, ``nominal`` where the item was already full), plus the self-assessed total, vetoes, flags and 另行处理.

The baseline is the rubric's own full-marks example for the subtype (``BASELINES``;
the first case of each subtype checks it scores 100 with no deduction). ``values`` are
the 自评值 cells that differ from it, keyed by 编号; ``verified`` are 核定值 cells.
Cells are written symbolically — ``S("setup.setup_surveyed")`` is the 自评值 cell of
that 编号, ``FORM`` the 组织形式 cell of 基本信息 — and resolved against the template.

Every expected figure was worked out by hand from the rubric text (考核评价标准, 考评方式
and the rules of rubrics/*.yaml) with DESIGN.md's semantics: item score =
clamp(base − Σ扣分 + Σ加分, 0, 分值), 0 when a 不得分 condition holds; deductions are
listed in rubric order; a 酌情给分 item loses 分值 − 酌情得分. The working is in the
comment above each case. The evidence cells of a rule are its amount's fields, then its
condition's fields, each in alphabetical order of field id (the engine's documented order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from openpyxl import load_workbook

from chuangyou.cli import output
from chuangyou.cli.main import main
from chuangyou.rubric import resolve

DATA, INFO = "考评数据", "基本信息"
EXCELLENT, GOOD, FAIR, WEAK = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
HELD = "另行处理"
HELD_TIER = "待定（另行处理）"  # the published tier of a held organization; its score's in threshold
NO, YES = "否", "是"


class Cell(NamedTuple):
    sheet: str
    key: str  # 编号 on 考评数据, the 项目 label on 基本信息
    column: str


def S(code: str) -> Cell:  # noqa: N802 - the 自评值 (self-assessed) cell
    return Cell(DATA, code, "F")


def V(code: str) -> Cell:  # noqa: N802 - the 核定值 (verified) cell
    return Cell(DATA, code, "G")


FORM = Cell(INFO, "组织形式", "B")


class D(NamedTuple):
    """A deduction: the item, points it actually lost, reason, evidence cells."""

    item: str
    points: int | str
    reason: str
    cells: list[Cell]
    nominal: int | str | None = None  # what the rule asked for, when the item lost less


class A(NamedTuple):
    """An award (可给N分): the item, points it actually gained, reason, evidence cells."""

    item: str
    points: int | str
    reason: str
    cells: list[Cell]
    nominal: int | str | None = None  # what the rule offered, when the item gained less


@dataclass(frozen=True, kw_only=True)
class Case:
    name: str
    rubric: str
    subtype: str  # the label passed to --subtype
    form: str
    values: dict[str, Any] = field(default_factory=dict)  # 编号 → 自评值 (None: blank)
    verified: dict[str, Any] = field(default_factory=dict)  # 编号 → 核定值
    total: int | str
    tier: str
    deductions: list[D]
    self_total: int | str | None = None  # None: same as total
    threshold: str | None = None  # tier by score alone; None: same as tier
    vetoes: list[tuple[str, str]] = field(default_factory=list)  # (reason, cap or flag)
    flags: list[tuple[str, str]] = field(default_factory=list)  # (kind, reason)
    held: bool = False
    awards: list[A] = field(default_factory=list)


BASELINES = {
    ("village", "村"): "满分村",
    ("village", "城市社区"): "满分城市社区",
    ("village", "村改居社区"): "满分村改居社区(党总支)",
    ("two_new", "非公企业"): "满分非公企业党支部",
    ("two_new", "社会组织"): "满分社会组织党支部",
    ("agency", "机关"): "满分机关党支部",
    ("agency", "事业单位"): "满分事业单位党委",
}

# Reasons used by several cases.
V_SAT_90 = "群众满意率低于90%，不能评为优秀、良好等次"
AG_SAT_90 = "群众满意率低于90%，不能评为优秀、良好党支部"
GAP_5 = ("自评偏高", "自评 100 分，核定 95 分，相差 5 分")


def village(**kw: Any) -> Case:
    return Case(rubric="village", **kw)


def two_new(**kw: Any) -> Case:
    return Case(rubric="two_new", **kw)


def agency(**kw: Any) -> Case:
    return Case(rubric="agency", **kw)


VILLAGE = [
    village(name="满分村", subtype="村", form="党支部", total=100, tier=EXCELLENT, deductions=[]),
    # 设置合理 2：未进行摸底排查扣1分 → 1
    village(name="未摸底排查", subtype="村", form="党支部", values={"setup.setup_surveyed": NO},
            total=99, tier=EXCELLENT,
            deductions=[D("org.setup", 1, "未进行摸底排查", [S("setup.setup_surveyed")])]),
    # 流动党员管理 4：未建台账扣2、失联3名扣3、流入未管理扣1，合计6，扣完为止 → 0（失联只扣得2，流入0）
    village(name="流动党员管理扣完为止", subtype="村", form="党支部",
            values={"mobile.mobile_ledger": NO, "mobile.lost_contact": 3, "mobile.inflow_managed": NO},
            total=96, tier=EXCELLENT, deductions=[
                D("education.mobile", 2, "未建立流动党员管理台账", [S("mobile.mobile_ledger")]),
                D("education.mobile", 2, "与外出流动党员失去联系，每有1名扣1分", [S("mobile.lost_contact")], 3),
                D("education.mobile", 0, "流入党员未纳入管理", [S("mobile.inflow_managed")], 1),
            ]),
    # 党员不超过50名设党总支：组织设置不规范，设置合理不得分 → 100-2
    village(name="党员40名设党总支", subtype="村", form="党总支", values={"setup.party_members": 40},
            total=98, tier=EXCELLENT, deductions=[
                D("org.setup", 2, "党员人数未超过50名设立党总支，组织设置不规范", [FORM, S("setup.party_members")]),
            ]),
    # 党委须100名以上：99名不得分；学时恰好24不扣分（“不足24学时”才扣）
    village(name="党员99名设党委", subtype="村", form="党委",
            values={"setup.party_members": 99, "training.member_hours_min": 24, "training.leader_hours_min": 24},
            total=98, tier=EXCELLENT, deductions=[
                D("org.setup", 2, "党员人数不足100名设立党委，组织设置不规范", [FORM, S("setup.party_members")]),
            ]),
    # 健全社区组织体系 4：党员7人以上的党支部未设支委会扣1分 → 3
    village(name="党员8名未设支委会", subtype="村", form="党支部",
            values={"setup.party_members": 8, "org_system.branch_committee_set": NO},
            total=99, tier=EXCELLENT, deductions=[
                D("org.org_system", 1, "党员7人以上的党支部未设立支部委员会",
                  [S("org_system.branch_committee_set"), FORM, S("setup.party_members")]),
            ]),
    # 酌情给分：探索创新 2→1.5、帮扶成效 1→0.5（扣1-0.5）、管理手段创新 4→3；100-0.5-0.5-1 = 98
    village(name="酌情给分", subtype="村", form="党支部",
            values={"explore.explore_score": 1.5, "care.help_score": 0.5, "digital.digital_score": 3},
            total=98, tier=EXCELLENT, deductions=[
                D("org.explore", "0.5", "探索创新工作记录及覆盖成效酌情给分（酌情得 1.5 分）",
                  [S("explore.explore_score")]),
                D("education.care", "0.5", "帮扶活动成效根据帮扶活动开展相关记录情况酌情给分", [S("care.help_score")]),
                D("education.digital", 1, "根据日常活动及工作开展相关记录的规范性、完整性酌情给分（酌情得 3 分）",
                  [S("digital.digital_score")]),
            ]),
    # 酌情扣分：管理维护 3-1.5；网格化治理 5-1(无台账)-2(酌情)；党建经费 3-1；100-1.5-3-1 = 94.5
    village(name="酌情扣分", subtype="村", form="党支部",
            values={"maintenance.upkeep_other_deduct": 1.5, "grid.grid_ledger": NO, "grid.grid_deduct": 2,
                    "funds.funds_irregular_deduct": 1},
            total="94.5", tier=EXCELLENT, deductions=[
                D("venue.maintenance", "1.5", "场所管理维护其他情况酌情扣分", [S("maintenance.upkeep_other_deduct")]),
                D("mechanism.grid", 1, "未建立群众诉求收集、处置、反馈台账", [S("grid.grid_ledger")]),
                D("mechanism.grid", 2, "根据矛盾纠纷化解成效和网格作用发挥情况酌情扣分", [S("grid.grid_deduct")]),
                D("funding.funds", 1, "经费使用存在不明确、不规范现象，酌情扣分", [S("funds.funds_irregular_deduct")]),
            ]),
    # 党员教育培训 3：党员23.5学时扣1；班子成员没有集中培训扣2（不再另扣学时不足1分）→ 0
    village(name="班子成员没有集中培训", subtype="村", form="党支部",
            values={"training.member_hours_min": 23.5, "training.leader_trainings": 0, "training.leader_hours_min": 0},
            total=97, tier=EXCELLENT, deductions=[
                D("education.training", 1, "党员每年集中学习培训时间不足24学时", [S("training.member_hours_min")]),
                D("education.training", 2, "基层党组织班子成员没有参加集中培训", [S("training.leader_trainings")]),
            ]),
    # 城市社区：核定面积480㎡（自评650）扣2、功能室未达标扣2 → 建设标准1；未吸纳兼职委员，班子职数得1分
    # 核定 100-4-1 = 95；自评（650㎡不扣）100-2-1 = 97
    village(name="城市社区核定面积不足500㎡", subtype="城市社区", form="党支部",
            values={"team_size.part_time_members": 0, "build_std.rooms_standard": NO},
            verified={"build_std.office_area": 480},
            total=95, self_total=97, tier=EXCELLENT, deductions=[
                D("team.team_size", 1, "班子健全但未吸纳驻区单位党组织负责同志担任社区党组织委员会兼职委员",
                  [S("team_size.part_time_members")]),
                D("venue.build_std", 2, "社区用房不达标(城市社区建筑面积不低于500㎡)",
                  [V("build_std.office_area"), S("build_std.rooms_adequate")]),
                D("venue.build_std", 2, "社区功能室设置未达到“18室1厅1站6栏”要求", [S("build_std.rooms_standard")]),
            ]),
    # 城市社区恰好500㎡不扣；功能室扣2、“三新”大讲堂缺4项扣4，5-6 扣完为止 → 0（大讲堂只扣得3）
    # 连续无发展对象一栏对城市社区不适用：不适用行里写了3也不读、不否决
    village(name="城市社区500㎡且大讲堂扣完为止", subtype="城市社区", form="党支部",
            values={"build_std.office_area": 500, "build_std.rooms_standard": NO, "build_std.lecture_missing": 4,
                    "general.no_candidate_years": 3},
            total=95, tier=EXCELLENT, deductions=[
                D("venue.build_std", 2, "社区功能室设置未达到“18室1厅1站6栏”要求", [S("build_std.rooms_standard")]),
                D("venue.build_std", 3, "新时代“三新”大讲堂未依据“6有”标准建设，每少1项扣1分",
                  [S("build_std.lecture_missing")], 4),
            ]),
    # 村：用房不达标扣2（村的条款，不看面积）；面积、远程教育站点对村不适用，不适用行里的值不读
    village(name="村用房不达标", subtype="村", form="党支部",
            values={"build_std.rooms_adequate": NO, "build_std.office_area": 100,
                    "training.station_admin": NO, "training.station_equipment": NO},
            total=98, tier=EXCELLENT,
            deductions=[D("venue.build_std", 2, "社区用房不达标", [S("build_std.rooms_adequate")])]),
    # 村改居社区（仅此类考核远程教育站点）：设备不齐全扣1 → 党员教育培训 2
    village(name="村改居社区远程教育站点设备不齐全", subtype="村改居社区", form="党总支",
            values={"training.station_equipment": NO},
            total=99, tier=EXCELLENT, deductions=[
                D("education.training", 1, "远程教育站点未配备管理员或设备不齐全",
                  [S("training.station_admin"), S("training.station_equipment")]),
            ]),
    # 自评满分；核定 三会一课3(-2)、统筹协调3(-2)、联系群众3(-1) → 95，相差5分，提示自评偏高
    village(name="核定酌情分低于自评5分", subtype="村", form="党支部",
            verified={"three_one.three_one_score": 3, "coordination.coordination_score": 3,
                      "contact.contact_score": 3},
            total=95, self_total=100, tier=EXCELLENT, flags=[GAP_5], deductions=[
                D("org_life.three_one", 2, "根据记录材料内容酌情给分(重点检查“三会一课”开展频次、程序规范性)（酌情得 3 分）",
                  [V("three_one.three_one_score")]),
                D("mechanism.coordination", 2,
                  "根据相关工作开展的经常性、实效性以及制度机制、活动记录等资料完整性酌情给分（酌情得 3 分）",
                  [V("coordination.coordination_score")]),
                D("mechanism.contact", 1,
                  "根据相关工作落实情况及制度机制、工作记录等资料完整性、规范性情况酌情给分（酌情得 3 分）",
                  [V("contact.contact_score")]),
            ]),
    # 满意率85%：得分99本可优秀，否决条件限定最高为一般
    village(name="满意率85%封顶一般", subtype="村", form="党支部",
            values={"general.satisfaction": 85, "self_build.report_rating": "一般"},
            total=99, tier=FAIR, threshold=EXCELLENT, vetoes=[(V_SAT_90, FAIR)], deductions=[
                D("team.self_build", 1, "书记述职评议结果为“一般”或“差”", [S("self_build.report_rating")]),
            ]),
    # 村连续2年无发展对象、满意率59.5%：三条否决；书记出缺恰好3个月不否决（“超过3个月”）
    village(name="多条否决", subtype="村", form="党支部",
            values={"general.no_candidate_years": 2, "general.satisfaction": 59.5,
                    "general.secretary_vacant_months": 3},
            total=100, tier=WEAK, threshold=EXCELLENT, deductions=[],
            vetoes=[("村党组织连续2年以上无发展对象", WEAK), ("群众满意率低于60%", WEAK), (V_SAT_90, FAIR)]),
    # 重大财务纰漏：另行处理（不限等级，暂不排名）；经费未落实到位，党建经费不得分 → 97
    village(name="重大财务纰漏另行处理", subtype="村", form="党支部",
            values={"general.major_financial_issue": YES, "funds.funds_in_place": NO},
            total=97, tier=HELD_TIER, threshold=EXCELLENT, held=True,
            vetoes=[("存在重大财务纰漏情况另行处理", HELD)], flags=[(HELD, "存在重大财务纰漏情况另行处理")],
            deductions=[D("funding.funds", 3, "服务群众专项经费和办公经费未落实到位", [S("funds.funds_in_place")])]),
    # 恰好80分为良好：服务体系酌情0分(-6)、无服务创新举措不得分(-5，酌情5分不计)、
    # 民主管理 -2-1、激励评价 -3-1-2；100-6-5-3-6 = 80
    village(name="恰好80分良好", subtype="村", form="党支部",
            values={"service_sys.service_sys_score": 0, "service_innovation.innovation_done": NO,
                    "democracy.four_two_ok": NO, "democracy.disclosure_missing": 1,
                    "incentive.cadre_evaluation": NO, "incentive.evaluation_linked": NO,
                    "incentive.points_system": NO},
            total=80, tier=GOOD, deductions=[
                D("service.service_sys", 6, "结合相关记录规范性、服务群众实效性、活动开展经常性等酌情给分（酌情得 0 分）",
                  [S("service_sys.service_sys_score")]),
                D("service.service_innovation", 5, "无服务创新举措", [S("service_innovation.innovation_done")]),
                D("mechanism.democracy", 2, "未落实“四议两公开”工作法", [S("democracy.four_two_ok")]),
                D("mechanism.democracy", 1, "党务、村(居)务、财务未按规定公开，每缺1项扣1分",
                  [S("democracy.disclosure_missing")]),
                D("mechanism.incentive", 3, "未建立干部考核评价制度", [S("incentive.cadre_evaluation")]),
                D("mechanism.incentive", 1, "考核结果未与报酬待遇、评先评优挂钩", [S("incentive.evaluation_linked")]),
                D("mechanism.incentive", 2, "未推行党员积分制管理", [S("incentive.points_system")]),
            ]),
]

TWO_NEW = [
    two_new(name="满分非公企业党支部", subtype="非公企业", form="党支部", total=100, tier=EXCELLENT, deductions=[]),
    # 非公企业计“突出非公企业特点”5分：酌情3分 → 98
    two_new(name="非公企业特点活动酌情3分", subtype="非公企业", form="党支部",
            values={"enterprise_features.enterprise_activity_score": 3},
            total=98, tier=EXCELLENT, deductions=[
                D("role.enterprise_features", 2, "根据活动开展的频率、收到的成效酌情给分（酌情得 3 分）",
                  [S("enterprise_features.enterprise_activity_score")]),
            ]),
    # 社会组织计“突出社会组织特点”：核定2.5分（自评5）→ 97.5；非公企业一栏不适用，写了0也不读
    two_new(name="社会组织特点活动核定2.5分", subtype="社会组织", form="党支部",
            values={"enterprise_features.enterprise_activity_score": 0},
            verified={"social_org_features.social_org_activity_score": 2.5},
            total="97.5", self_total=100, tier=EXCELLENT, deductions=[
                D("role.social_org_features", "2.5", "根据活动开展的频率、收到的成效酌情给分（酌情得 2.5 分）",
                  [V("social_org_features.social_org_activity_score")]),
            ]),
    # 政策保障 3：章程未纳入扣1，有其他保障制度可给1分 → 3-1+1 = 3，不失分
    two_new(name="政策保障缺一项但有其他保障", subtype="非公企业", form="党支部",
            values={"policy.charter_includes_party": NO, "policy.other_guarantee": YES},
            total=100, tier=EXCELLENT,
            deductions=[D("guarantee.policy", 1, "未把党建工作总体要求纳入章程", [S("policy.charter_includes_party")])],
            awards=[A("guarantee.policy", 1, "建立有其他保障党建工作开展的制度，可给1分", [S("policy.other_guarantee")])]),
    # 政策保障 3：三项制度齐全又有其他保障制度 → 3+1 超过分值，加分不计（+0，规则加1）
    two_new(name="政策保障齐全另有其他保障", subtype="非公企业", form="党支部",
            values={"policy.other_guarantee": YES}, total=100, tier=EXCELLENT, deductions=[],
            awards=[A("guarantee.policy", 0, "建立有其他保障党建工作开展的制度，可给1分", [S("policy.other_guarantee")], 1)]),
    # 政策保障：三项制度均未建立且无其他保障，不得分 → 97
    two_new(name="政策保障均未建立", subtype="非公企业", form="党支部",
            values={"policy.secretary_attends_meetings": NO, "policy.charter_includes_party": NO,
                    "policy.consultation_rule": NO},
            total=97, tier=EXCELLENT, deductions=[
                D("guarantee.policy", 3, "上述制度均未建立且无其他保障党建工作开展的制度",
                  [S("policy.charter_includes_party"), S("policy.consultation_rule"), S("policy.other_guarantee"),
                   S("policy.secretary_attends_meetings")]),
            ]),
    # 党委既无纪委也无纪检委员：纪检机构不得分 → 95
    two_new(name="党委未设纪委也未设纪检委员", subtype="非公企业", form="党委",
            values={"coverage.members": 120, "discipline.has_discipline_commission": NO,
                    "discipline.has_discipline_member": NO},
            total=95, tier=EXCELLENT, deductions=[
                D("org.discipline", 5, "党委未设立纪律检查委员会或纪律检查委员",
                  [FORM, S("discipline.has_discipline_commission"), S("discipline.has_discipline_member")]),
            ]),
    # 党总支未开民主生活会扣1 → 组织生活会 3
    two_new(name="党总支未开民主生活会", subtype="非公企业", form="党总支",
            values={"coverage.members": 60, "life_meetings.democratic_meeting_held": NO},
            total=99, tier=EXCELLENT, deductions=[
                D("life.life_meetings", 1, "党委(总支)领导班子未按规定召开民主生活会",
                  [S("life_meetings.democratic_meeting_held"), FORM]),
            ]),
    # 党支部不考核民主生活会；未落实双重组织生活扣1
    two_new(name="党支部不考核民主生活会", subtype="非公企业", form="党支部",
            values={"life_meetings.democratic_meeting_held": NO, "life_meetings.dual_life": NO},
            total=99, tier=EXCELLENT, deductions=[
                D("life.life_meetings", 1, "党员领导干部未落实双重组织生活制度", [S("life_meetings.dual_life")]),
            ]),
    # 党员9名不设委员会：未指定纪检专人，纪检机构不得分(-5)；未设支委会，班子职数扣2 → 93
    two_new(name="党员9名不设委员会也无纪检专人", subtype="非公企业", form="党支部",
            values={"coverage.members": 9, "coverage.has_committee": NO, "discipline.has_discipline_member": NO,
                    "discipline.has_designated_person": NO},
            total=93, tier=EXCELLENT, deductions=[
                D("org.discipline", 5, "不设委员会的党支部未指定专人负责纪检工作",
                  [FORM, S("coverage.has_committee"), S("discipline.has_designated_person")]),
                D("team.team_size", 2, "正式党员7人以上的党支部未设立支部委员会",
                  [FORM, S("coverage.has_committee"), S("coverage.members")]),
            ]),
    # 党员作用发挥 3：5名未发挥表率作用，每名扣1分，扣完为止 → 0（只扣得3）
    two_new(name="表率作用每人扣1分扣完为止", subtype="非公企业", form="党支部",
            values={"exemplary_role.non_exemplary_members": 5},
            total=97, tier=EXCELLENT, deductions=[
                D("education.exemplary_role", 3, "党员干部没有发挥表率作用，有1名扣1分",
                  [S("exemplary_role.non_exemplary_members")], 5),
            ]),
    # 全年无培训：党员教育培训不得分(-4)，学时不足的两条扣分不再列出
    two_new(name="全年无培训不得分", subtype="非公企业", form="党支部",
            values={"training.member_training_hours": 0, "training.leader_training_hours": 0},
            total=96, tier=EXCELLENT, deductions=[
                D("education.training", 4, "全年无培训",
                  [S("training.leader_training_hours"), S("training.member_training_hours")]),
            ]),
    # 分数线：书记培训2.5天(<3)扣2；党员31.5学时(<32)扣2；班子恰好56学时不扣 → 96
    two_new(name="学时和培训天数分数线", subtype="非公企业", form="党支部",
            values={"self_building.secretary_training_days": 2.5, "training.member_training_hours": 31.5,
                    "training.leader_training_hours": 56},
            total=96, tier=EXCELLENT, deductions=[
                D("team.self_building", 2, "党组织书记全年未参加集中培训或累计时间少于3天",
                  [S("self_building.secretary_training_days")]),
                D("education.training", 2, "党员每年集中学习培训时间少于32学时", [S("training.member_training_hours")]),
            ]),
    # 选择题：民主评议不符合要求扣2、主题党日记录不全扣2 → 96
    two_new(name="民主评议和主题党日不符合要求", subtype="非公企业", form="党支部",
            values={"member_review.review_status": "开展但不符合要求", "theme_day.theme_day_status": "组织开展但记录不全"},
            total=96, tier=EXCELLENT, deductions=[
                D("life.member_review", 2, "民主评议党员工作不符合要求", [S("member_review.review_status")]),
                D("life.theme_day", 2, "“主题党日”活动记录不全", [S("theme_day.theme_day_status")]),
            ]),
    # 场所保障 5：“六有”缺6项扣6、管理不规范扣1，扣完为止 → 0
    two_new(name="场所六有缺6项扣完为止", subtype="非公企业", form="党支部",
            values={"venue.venue_missing_items": 6, "venue.venue_managed": NO},
            total=95, tier=EXCELLENT, deductions=[
                D("guarantee.venue", 5, "活动场所“六有”每缺1项扣1分", [S("venue.venue_missing_items")], 6),
                D("guarantee.venue", 0, "场所管理不规范、未坚持党建活动优先使用", [S("venue.venue_managed")], 1),
            ]),
    # 自评值空、核定值“否”：两边都按核定值，场所保障扣1 → 99，自评总分也是99
    two_new(name="只填核定值", subtype="非公企业", form="党支部",
            values={"venue.venue_managed": None}, verified={"venue.venue_managed": NO},
            total=99, self_total=99, tier=EXCELLENT, deductions=[
                D("guarantee.venue", 1, "场所管理不规范、未坚持党建活动优先使用", [V("venue.venue_managed")]),
            ]),
    # 不良纳税记录一票否决：限定最高为一般；未开展谈心谈话扣1 → 99
    two_new(name="不良记录一票否决", subtype="非公企业", form="党支部",
            values={"general.bad_record": YES, "care.heart_talks": NO},
            total=99, tier=FAIR, threshold=EXCELLENT,
            vetoes=[("存在不良信贷、工商、纳税记录，一票否决", FAIR)],
            deductions=[D("mechanism.care", 1, "未开展谈心谈话", [S("care.heart_talks")])]),
    # 社会组织书记出缺4个月(软弱涣散)且满意率89.5%(一般)：取较低的软弱涣散
    two_new(name="书记出缺和满意率双否决", subtype="社会组织", form="党支部",
            values={"general.secretary_vacant_months": 4, "general.satisfaction": 89.5},
            total=100, tier=WEAK, threshold=EXCELLENT, deductions=[],
            vetoes=[("党组织书记出缺超过3个月", WEAK), ("党员职工群众满意率低于90%", FAIR)]),
    # 核定：重大财务纰漏(另行处理)、服务发展2分(-3)、经费保障1分(-2) → 95；自评100，相差5分
    two_new(name="另行处理且自评偏高", subtype="非公企业", form="党支部",
            verified={"general.major_financial_issue": YES, "serve_development.serve_development_score": 2,
                      "funds.funds_score": 1},
            total=95, self_total=100, tier=HELD_TIER, threshold=EXCELLENT, held=True,
            vetoes=[("存在重大财务纰漏，另行处理", HELD)], flags=[(HELD, "存在重大财务纰漏，另行处理"), GAP_5],
            deductions=[
                D("role.serve_development", 3, "根据党组织的政治核心作用发挥程度酌情给分（酌情得 2 分）",
                  [V("serve_development.serve_development_score")]),
                D("guarantee.funds", 2, "根据党建经费保障程度酌情给分（酌情得 1 分）", [V("funds.funds_score")]),
            ]),
    # 核定比自评低4.5分（组织生活创新3.5、服务发展1）：不到5分，不提示
    two_new(name="相差4.5分不提示", subtype="非公企业", form="党支部",
            verified={"life_innovation.innovation_score": 3.5, "serve_development.serve_development_score": 1},
            total="95.5", self_total=100, tier=EXCELLENT, deductions=[
                D("life.life_innovation", "0.5", "根据组织生活的吸引力酌情给分（酌情得 3.5 分）",
                  [V("life_innovation.innovation_score")]),
                D("role.serve_development", 4, "根据党组织的政治核心作用发挥程度酌情给分（酌情得 1 分）",
                  [V("serve_development.serve_development_score")]),
            ]),
]

# The 事业单位党委 baseline (满分) is 获得县级以上表彰: its 年度考核 is already full, so the
# award gives nothing (+0 of the rule's 1) wherever that item loses nothing.
HONORED_WHEN_FULL = A("role.role_rank", 0, "获得县级以上表彰，可给1分", [S("role_rank.honored")], 1)

AGENCY = [
    agency(name="满分机关党支部", subtype="机关", form="党支部", total=100, tier=EXCELLENT, deductions=[]),
    agency(name="满分事业单位党委", awards=[HONORED_WHEN_FULL], subtype="事业单位", form="党委", total=100, tier=EXCELLENT, deductions=[]),
    # 机关：书记非本单位负责同志扣2；服务中心工作酌情4分(-1)；事业单位两栏不适用，写了也不读 → 97
    agency(name="机关书记非本单位负责同志", subtype="机关", form="党支部",
           values={"team_size.secretary_leader": NO, "role_center.center_score": 4,
                   "team_size.cross_appointed": NO, "role_business.business_score": 0},
           total=97, tier=EXCELLENT, deductions=[
               D("team.team_size", 2, "机关党组织书记未由本单位党员负责同志担任", [S("team_size.secretary_leader")]),
               D("role.role_center", 1, "党组织服务中心工作作用发挥不够充分（酌情给分）（酌情得 4 分）",
                 [S("role_center.center_score")]),
           ]),
    # 事业单位：未“双向进入、交叉任职”扣2；促进事业发展酌情3.5分(-1.5) → 96.5
    agency(name="事业单位未交叉任职", awards=[HONORED_WHEN_FULL], subtype="事业单位", form="党委",
           values={"team_size.cross_appointed": NO, "role_business.business_score": 3.5,
                   "team_size.secretary_leader": NO},
           total="96.5", tier=EXCELLENT, deductions=[
               D("team.team_size", 2, "党组织班子与行政领导班子未实行“双向进入、交叉任职”",
                 [S("team_size.cross_appointed")]),
               D("role.role_business", "1.5", "党组织促进事业发展作用发挥不够充分（酌情给分）（酌情得 3.5 分）",
                 [S("role_business.business_score")]),
           ]),
    # 年度考核 5：排名靠后扣5、获县级以上表彰加1分 → 1（失4分）；党员120人未配专职党务干部扣5 → 91
    agency(name="考核靠后但获表彰", subtype="事业单位", form="党委",
           values={"role_rank.assess_rank_ok": NO, "guar_staff.fulltime_staff": NO},
           total=91, tier=EXCELLENT,
           awards=[A("role.role_rank", 1, "获得县级以上表彰，可给1分", [S("role_rank.honored")])],
           deductions=[
               D("role.role_rank", 5, "党建或业务年度考核排名靠后", [S("role_rank.assess_rank_ok")]),
               D("guar.guar_staff", 5, "党员50人以上未配备专职党务干部",
                 [S("guar_staff.fulltime_staff"), S("org_committee.members")]),
           ]),
    # 党员教育培训 5：班子成员1人不足40学时扣3，党员2人不足24学时扣4，扣完为止 → 0
    agency(name="学时不足按人扣分扣完为止", subtype="机关", form="党支部",
           values={"edu_training.leaders_under_hours": 1, "edu_training.members_under_hours": 2},
           total=95, tier=EXCELLENT, deductions=[
               D("edu.edu_training", 3, "班子成员学习培训不足40学时（每人扣3分）", [S("edu_training.leaders_under_hours")]),
               D("edu.edu_training", 2, "党员学习培训不足24学时（每人扣2分）",
                 [S("edu_training.members_under_hours")], 4),
           ]),
    # 党员1人学时不足扣2；三会一课 5：缺1项扣2、未讲党课扣1、记录不规范扣2 → 0 → 93
    agency(name="三会一课逐项扣分", subtype="机关", form="党支部",
           values={"edu_training.members_under_hours": 1, "life_meetings.meetings_items_short": 1,
                   "life_meetings.lecture_given": NO, "life_meetings.meetings_record": "不规范"},
           total=93, tier=EXCELLENT, deductions=[
               D("edu.edu_training", 2, "党员学习培训不足24学时（每人扣2分）", [S("edu_training.members_under_hours")]),
               D("life.life_meetings", 2, "“三会一课”未落实（每项扣2分）", [S("life_meetings.meetings_items_short")]),
               D("life.life_meetings", 1, "书记、班子成员未按要求讲党课", [S("life_meetings.lecture_given")]),
               D("life.life_meetings", 2, "“三会一课”记录不规范", [S("life_meetings.meetings_record")]),
           ]),
    # 群众满意度分档：90%（含）—95% 扣1
    agency(name="满意率90%扣1分", subtype="机关", form="党支部", values={"role_satisfaction.satisfaction": 90},
           total=99, tier=EXCELLENT, deductions=[
               D("role.role_satisfaction", 1, "群众满意率在90%至95%之间", [S("role_satisfaction.satisfaction")]),
           ]),
    # 80%（含）—90% 扣3；低于90%限定最高为一般
    agency(name="满意率80%扣3分封顶一般", subtype="机关", form="党支部", values={"role_satisfaction.satisfaction": 80},
           total=97, tier=FAIR, threshold=EXCELLENT, vetoes=[(AG_SAT_90, FAIR)], deductions=[
               D("role.role_satisfaction", 3, "群众满意率在80%至90%之间", [S("role_satisfaction.satisfaction")]),
           ]),
    # 低于80%不得分(-5)；不低于60%，只限定为一般
    agency(name="满意率79.5%不得分", subtype="机关", form="党支部", values={"role_satisfaction.satisfaction": 79.5},
           total=95, tier=FAIR, threshold=EXCELLENT, vetoes=[(AG_SAT_90, FAIR)], deductions=[
               D("role.role_satisfaction", 5, "群众满意度较低（满意率低于80%）", [S("role_satisfaction.satisfaction")]),
           ]),
    # 党总支未选举产生委员会：委员会设置不得分 → 97
    agency(name="党总支未选举委员会", subtype="机关", form="党总支", values={"org_committee.committee_set": NO},
           total=97, tier=EXCELLENT, deductions=[
               D("org.org_committee", 3, "党委、党总支未按规定选举产生委员会", [S("org_committee.committee_set"), FORM]),
           ]),
    # 党支部恰好7名党员未设支委会扣1；满意率恰好95%得满分 → 99
    agency(name="党员7名未设支委会", subtype="机关", form="党支部",
           values={"org_committee.members": 7, "org_committee.committee_set": NO,
                   "role_satisfaction.satisfaction": 95},
           total=99, tier=EXCELLENT, deductions=[
               D("org.org_committee", 1, "正式党员7人以上的党支部未设支部委员会",
                 [S("org_committee.committee_set"), FORM, S("org_committee.members")]),
           ]),
    # 自身建设 5：未集体研究扣2、酌情扣4，扣完为止 → 0（酌情只扣得3）
    agency(name="自身建设酌情扣分扣完为止", subtype="机关", form="党支部",
           values={"team_self.collective_decision": NO, "team_self.team_misc_deduct": 4},
           total=95, tier=EXCELLENT, deductions=[
               D("team.team_self", 2, "重要事项未经党组织集体研究决定", [S("team_self.collective_decision")]),
               D("team.team_self", 3, "班子自身建设存在其他不规范情况（酌情扣分）", [S("team_self.team_misc_deduct")], 4),
           ]),
    # 不得分：连续半年未开展活动，主题党日 0(-4，少开3次不再列出)；未述职评议，责任落实机制 0(-3) → 93
    agency(name="连续半年未开展活动和未述职评议", subtype="机关", form="党支部",
           values={"life_day.activity_continuous": NO, "life_day.party_days_missed": 3,
                   "mech_duty.secretary_report": NO, "mech_duty.duty_list": NO},
           total=93, tier=EXCELLENT, deductions=[
               D("life.life_day", 4, "连续半年以上不开展党的活动", [S("life_day.activity_continuous")]),
               D("mech.mech_duty", 3, "未开展书记抓党建工作述职评议", [S("mech_duty.secretary_report")]),
           ]),
    # 核定：无年度计划(-2)、经费保障不足(-3) → 95；自评100，相差5分
    agency(name="核定经费不足和无计划", subtype="机关", form="党支部",
           verified={"mech_plan.annual_plan": NO, "guar_funds.funds_level": "保障不足"},
           total=95, self_total=100, tier=EXCELLENT, flags=[GAP_5], deductions=[
               D("mech.mech_plan", 2, "无年度党建工作计划", [V("mech_plan.annual_plan")]),
               D("guar.guar_funds", 3, "党组织工作经费不足", [V("guar_funds.funds_level")]),
           ]),
    # 群众意见大(软弱涣散)且重大财务纰漏(另行处理)；信访4件，信访投诉 3 扣完为止 → 97
    agency(name="群众意见大且重大财务纰漏", subtype="机关", form="党支部",
           values={"general.poor_service": YES, "general.major_financial_issue": YES,
                   "role_complaints.verified_complaints": 4},
           total=97, tier=HELD_TIER, threshold=EXCELLENT, held=True,  # also capped to 软弱涣散: 待定 all the same
           vetoes=[("服务意识差、服务能力弱、群众意见大", WEAK), ("存在重大财务纰漏，另行处理", HELD)],
           flags=[(HELD, "存在重大财务纰漏，另行处理")],
           deductions=[
               D("role.role_complaints", 3, "存在经查实的信访投诉（每件扣1分）",
                 [S("role_complaints.verified_complaints")], 4),
           ]),
    # 事业单位 89.5 为良好：谈心谈话-1、评议程序-1、促进事业发展2.5(-2.5)、无年度总结-2、经费不足-3、管理不规范-1
    agency(name="事业单位89.5分良好", awards=[HONORED_WHEN_FULL], subtype="事业单位", form="党委",
           values={"edu_care.heart_talks": NO, "life_review.review_proper": NO, "role_business.business_score": 2.5,
                   "mech_plan.annual_summary": NO, "guar_funds.funds_level": "保障不足",
                   "guar_funds.funds_managed": NO},
           total="89.5", tier=GOOD, deductions=[
               D("edu.edu_care", 1, "未开展谈心谈话", [S("edu_care.heart_talks")]),
               D("life.life_review", 1, "民主评议程序不完整或结果未运用", [S("life_review.review_proper")]),
               D("role.role_business", "2.5", "党组织促进事业发展作用发挥不够充分（酌情给分）（酌情得 2.5 分）",
                 [S("role_business.business_score")]),
               D("mech.mech_plan", 2, "无年度党建工作总结", [S("mech_plan.annual_summary")]),
               D("guar.guar_funds", 3, "党组织工作经费不足", [S("guar_funds.funds_level")]),
               D("guar.guar_funds", 1, "党建经费使用管理不规范", [S("guar_funds.funds_managed")]),
           ]),
]

CASES = VILLAGE + TWO_NEW + AGENCY


# ---------------------------------------------------------------------------- machinery


@cache
def baseline(rubric_id: str, subtype: str) -> dict[str, Any]:
    """Field id → value of the rubric's full-marks example for the subtype (``extends`` followed)."""
    examples = {e.name: e for e in resolve(rubric_id).examples}

    def values(name: str) -> dict[str, Any]:
        example = examples[name]
        inherited = values(example.extends) if example.extends else {}
        return {**inherited, **example.values}

    return values(BASELINES[rubric_id, subtype])


def as_cell(value: Any) -> Any:
    """How a person types the value: 是/否 for booleans, plain numbers, text."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    output._console.cache_clear()  # the rich console caches the stream of an earlier test
    try:
        main(argv)
    except SystemExit as exc:
        out, err = capsys.readouterr()
        pytest.fail(f"chuangyou {' '.join(argv)} exited {exc.code}:\n{err}{out}")
    return capsys.readouterr().out


@dataclass
class Filled:
    """Where the template put things: 编号 → row on 考评数据, label → row on 基本信息."""

    data_rows: dict[str, int]
    info_rows: dict[str, int]

    def name(self, cell: Cell) -> str:
        rows = self.data_rows if cell.sheet == DATA else self.info_rows
        return f"{cell.sheet}!{cell.column}{rows[cell.key]}"


def fill(path: Path, case: Case) -> Filled:
    workbook = load_workbook(path)
    data = workbook[DATA]
    header = [c.value for c in data[1]]
    number, self_col, verified_col = (header.index(h) + 1 for h in ("编号", "自评值", "核定值"))
    assert (self_col, verified_col) == (6, 7), "the template's 自评值/核定值 columns are F and G"
    rows = {str(data.cell(r, number).value): r for r in range(2, data.max_row + 1) if data.cell(r, number).value}
    full_marks = baseline(case.rubric, case.subtype)
    for code, row in rows.items():
        field_id = code.split(".", 1)[1]
        if data.cell(row, self_col).value != "不适用" and field_id in full_marks:
            data.cell(row, self_col).value = as_cell(full_marks[field_id])
    for code, value in case.values.items():
        data.cell(rows[code], self_col).value = as_cell(value)
    for code, value in case.verified.items():
        data.cell(rows[code], verified_col).value = as_cell(value)
    workbook.save(path)
    info = workbook[INFO]
    info_rows = {str(info.cell(r, 1).value): r for r in range(2, info.max_row + 1)}
    return Filled(rows, info_rows)


def number(value: int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def actual_deductions(card: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (item["id"], number(d["points"]), d["reason"],
         [f"{e['sheet']}!{e['cell']}" for e in d["evidence"]], number(d.get("nominal")))
        for item in card["items"] for d in item["deductions"]
    ]


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c.rubric}-{i:02d}") for i, c in enumerate(CASES, 1)]
)
def test_scoring_case(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case.name}.xlsx"
    run(["template", "--rubric", case.rubric, "-o", str(path), "--subtype", case.subtype,
         "--form", case.form, "--name", case.name, "--township", "城关镇"], capsys)
    where = fill(path, case)
    card = json.loads(run(["score", str(path), "--format", "json"], capsys))

    assert (card["organization"]["name"], card["organization"]["form"]) == (case.name, case.form)
    assert card["organization"]["subtype_label"] == case.subtype
    assert number(card["total"]) == number(case.total), case.name
    assert number(card["self_total"]) == number(case.total if case.self_total is None else case.self_total)
    assert card["tier"] == case.tier
    assert card["threshold_tier"] == (case.threshold or case.tier)
    expected = [
        (d.item, number(d.points), d.reason, [where.name(c) for c in d.cells], number(d.nominal))
        for d in case.deductions
    ]
    assert actual_deductions(card) == expected
    # Deductions and awards add up to the score: 100 − Σ扣分 + Σ加分 = total.
    lost = sum((number(d.points) for d in case.deductions), Decimal(0))
    gained = sum((number(a.points) for a in case.awards), Decimal(0))
    assert 100 - lost + gained == number(case.total)
    assert [(v["reason"], v["cap"] or v["flag"]) for v in card["vetoes"]] == case.vetoes
    assert [(f["kind"], f["reason"]) for f in card["flags"]] == case.flags
    assert card["held"] is case.held
    awards = [
        (item["id"], number(a["points"]), a["reason"], [f"{e['sheet']}!{e['cell']}" for e in a["evidence"]],
         number(a["nominal"]))
        for item in card["items"] for a in item["awards"]
    ]
    assert awards == [(a.item, number(a.points), a.reason, [where.name(c) for c in a.cells], number(a.nominal))
                      for a in case.awards]


def test_cases_cover_each_rubric() -> None:
    counts = {rubric: sum(c.rubric == rubric for c in CASES) for rubric in ("village", "two_new", "agency")}
    assert min(counts.values()) >= 12, counts
    assert len({(c.rubric, c.name) for c in CASES}) == len(CASES), "case names are unique per rubric"
