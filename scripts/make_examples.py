"""Generate the bundled example evidence workbooks under examples/.

Usage:
    python scripts/make_examples.py            # rewrite examples/
    python scripts/make_examples.py OUT_DIR    # write the same files under OUT_DIR

Each workbook is made the way a township would make it: the real template writer
(chuangyou.template.build_workbook) lays out the sheets, then the branch's 自评值 and the
assessor's 核定值 are typed into their cells with openpyxl. Everything is fixed data and
the files are byte-for-byte reproducible (fixed document and zip timestamps), so
tests/test_examples.py can regenerate them and compare. The expected scores are in that
test, hand-checked against the rubric text.

- examples/示例-*.xlsx: one filled workbook per kind of organization.
- examples/城关镇/: a township of 30 organizations of every kind, with a veto cap,
  a held case (另行处理), ties and one workbook that cannot be scored (a typing mistake).
- examples/城关镇-花名册.xlsx: the township's roster (花名册): the 30 organizations above plus
  NOT_HANDED_IN, which sent no workbook, for ``chuangyou collect examples/城关镇 --roster
  examples/城关镇-花名册.xlsx`` and ``rank --roster``.
- examples/城关镇-2025年结果.json: the township's results a year earlier, for
  ``chuangyou rank examples/城关镇 --previous examples/城关镇-2025年结果.json``; made by
  running ``chuangyou rank --format json`` on last year's workbooks in a temporary folder.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from chuangyou.rubric import Rubric, resolve
from chuangyou.template import (
    DATA_HEADERS,
    SHEET_BASIC,
    SHEET_DATA,
    TemplateOptions,
    build_workbook,
)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "examples"
TOWNSHIP = "城关镇"
YEAR = 2026
PREVIOUS_YEAR = 2025
PREVIOUS_FILE = "城关镇-2025年结果.json"
ROSTER_FILE = "城关镇-花名册.xlsx"
STAMP = datetime(2026, 12, 20, 9, 0, 0)  # document created/modified: fixed, for reproducible bytes
ZIP_TIME = (2026, 12, 20, 9, 0, 0)
Y, N = "是", "否"

# Full marks for each rubric (the values of its `examples:` 满分 case). Each organization
# below lists only what differs: `own` (自评值) and `checked` (核定值, the township's figure).
VILLAGE = dict(
    party_members=35, setup_ok=Y, setup_surveyed=Y, fallback_managed=Y, explore_done=Y, explore_score=2,
    discipline_set=Y, supervision_ok=Y, missing_orgs=0, branch_committee_set=Y, party_groups_set=Y,
    team_complete=Y, term_on_time=Y, election_proper=Y, vacancy_filled=Y, team_clean=Y, report_rating="好",
    recruit_compliant=Y, has_activist=Y, recruit_files_ok=Y, member_hours_min=32, leader_trainings=2,
    leader_hours_min=40, dues_paid_ok=Y, dues_ledger_ok=Y, mobile_ledger=Y, lost_contact=0, inflow_managed=Y,
    hardship_ledger=Y, commendation_held=Y, help_score=1, digital_score=4, three_one_score=5, branch_meetings=4,
    committee_meetings=12, party_lectures=4, review_held=Y, review_proper=Y, life_meeting_held=Y,
    life_meeting_prepared=Y, life_meeting_rectified=Y, party_day_score=3, party_days_held=12, rooms_adequate=Y,
    lecture_missing=0, signage_ok=Y, rules_posted=Y, equipment_ok=Y, function_areas_ok=Y, asset_register_ok=Y,
    upkeep_rules_ok=Y, upkeep_other_deduct=0, service_center_ok=Y, smart_party_ok=Y, service_sys_score=6,
    carrier_set=Y, volunteer_missed_quarters=0, innovation_done=Y, innovation_score=5, coordination_score=5,
    four_two_ok=Y, disclosure_missing=0, cadre_evaluation=Y, evaluation_linked=Y, points_system=Y, contact_score=4,
    grid_covered=Y, grid_ledger=Y, grid_deduct=0, funds_in_place=Y, funds_irregular_deduct=0,
    secretary_vacant_months=0, secretary_incompetent=N, team_disunity=N, system_hollow=N, election_bribery=N,
    clan_interference=N, affairs_not_public=N, security_petition=N, no_venue=N, poor_service=N, satisfaction=96,
    major_financial_issue=N,
)
AGENCY = dict(
    secretary_vacant_months=0, secretary_unfit=N, team_disunity=N, system_nominal=N, poor_service=N,
    major_financial_issue=N, units_built=Y, org_surveyed=Y, members=32, committee_set=Y, duties_clear=Y,
    party_groups_ok=Y, discipline_set=Y, discipline_reported=Y, team_complete=Y, term_on_time=Y,
    election_proper=Y, team_clean=Y, collective_decision=Y, training_held=Y, leaders_under_hours=0,
    members_under_hours=0, dues_ok=Y, transfer_ok=Y, info_ok=Y, develop_ok=Y, members_not_exemplary=0,
    heart_talks=Y, hardship_ledger=Y, commendation=Y, meetings_items_short=0, lecture_given=Y,
    meetings_record="规范", review_done=Y, review_proper=Y, life_meeting_held=Y, dual_life=Y, rectified=Y,
    activity_continuous=Y, party_days_missed=0, party_day_record=Y, assess_rank_ok=Y, honored=N,
    mass_groups_ok=Y, mass_groups_active=Y, satisfaction=97, verified_complaints=0, annual_plan=Y,
    annual_summary=Y, secretary_report=Y, duty_list=Y, open_done=Y, open_timely=Y, fulltime_staff=N,
    parttime_staff=Y, has_place=Y, edu_facilities=Y, place_signs=Y, funds_level="足额保障", funds_managed=Y,
)  # team_misc_deduct (考评组酌情扣分) is optional and left blank unless the assessor deducts
TWO_NEW = dict(
    org_built=Y, members=12, has_committee=Y, has_discipline_member=Y, union_built=Y, youth_league_ok=Y,
    women_org_ok=Y, mass_org_reports=Y, team_size_ok=Y, vacancies_filled=Y, term_on_time=Y, election_regular=Y,
    secretary_qualified=Y, party_workers_assigned=Y, instructor_assigned=Y, instructor_supported=Y,
    dual_training=Y, team_united=Y, team_study=Y, secretary_training_days=3, integrity_ok=Y,
    recruitment_compliant=Y, new_members_3y=2, recruitment_files_ok=Y, recruitment_publicized=Y,
    member_training_hours=32, leader_training_hours=56, dues_ok=Y, mobile_members_ok=Y, member_records_ok=Y,
    non_exemplary_members=0, congress_ok=Y, committee_meeting_ok=Y, group_meeting_ok=Y, party_lecture_ok=Y,
    review_status="按要求开展", life_meeting_held=Y, life_meeting_regular=Y, dual_life=Y,
    theme_day_status="按月组织且记录规范", innovation_score=4, party_role_evident=Y, serve_development_score=5,
    deliberation_built=Y, responsibility_built=Y, heart_talks=Y, hardship_help=Y, secretary_attends_meetings=Y,
    charter_includes_party=Y, consultation_rule=Y, other_guarantee=N, has_venue=Y, venue_missing_items=0,
    venue_managed=Y, has_party_funds=Y, funds_score=3, serious_violation=N, major_incident=N, bad_record=N,
    secretary_vacant_months=0, org_life_suspended=N, satisfaction=98, major_financial_issue=N,
)  # optional rows left blank: has_discipline_commission, has_designated_person, democratic_meeting_held

# 组织类别 label → (rubric id, full-mark values of the fields only that subtype has)
KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "村": ("village", dict(no_candidate_years=0)),
    "城市社区": ("village", dict(part_time_members=2, office_area=650, rooms_standard=Y)),
    "村改居社区": ("village", dict(part_time_members=1, station_admin=Y, station_equipment=Y)),
    "机关": ("agency", dict(secretary_leader=Y, center_score=5)),
    "事业单位": ("agency", dict(cross_appointed=Y, business_score=5)),
    "非公企业": ("two_new", dict(enterprise_activity_score=5)),
    "社会组织": ("two_new", dict(social_org_activity_score=5)),
}
BASES = {"village": VILLAGE, "agency": AGENCY, "two_new": TWO_NEW}


@dataclass(frozen=True)
class Org:
    path: str  # relative to the output folder
    name: str
    kind: str  # 组织类别 label
    form: str
    filled_by: str
    own: dict[str, Any] = field(default_factory=dict)  # 自评值 differing from full marks
    checked: dict[str, Any] = field(default_factory=dict)  # 核定值 written by the township
    proof: dict[str, str] = field(default_factory=dict)  # 佐证材料 notes


def _org(path: str, kind: str, form: str, filled_by: str, own: dict[str, Any] | None = None,
         checked: dict[str, Any] | None = None, proof: dict[str, str] | None = None) -> Org:
    name = Path(path).stem.removeprefix("示例-")
    return Org(path, name, kind, form, filled_by, own or {}, checked or {}, proof or {})


V, C = "城关镇/村/", "城关镇/社区/"
A, T = "城关镇/机关事业单位/", "城关镇/两新组织/"

# One of each kind, a few typical deductions each; some 核定值 differ from 自评值.
SINGLES = [
    _org("示例-东关村党支部.xlsx", "村", "党支部", "李春明",
         own=dict(party_members=42, setup_surveyed=N, help_score=0.5, three_one_score=4.5, party_day_score=2.5,
                  lecture_missing=2, volunteer_missed_quarters=1, innovation_score=3.5, coordination_score=4.5,
                  contact_score=3.5, satisfaction=94.5),
         checked=dict(lost_contact=1, three_one_score=4, coordination_score=3.5, funds_irregular_deduct=1),
         proof=dict(lost_contact="核查：外出党员李某2026年3月起失联，台账无联系记录",
                    funds_irregular_deduct="核查：2026年办公经费有2笔支出无审批单")),
    _org("示例-滨河社区党委.xlsx", "城市社区", "党委", "周晓燕",
         own=dict(party_members=108, part_time_members=4, office_area=720, digital_score=3.5, three_one_score=4.5,
                  life_meeting_rectified=N, innovation_score=4, grid_deduct=0.5, satisfaction=97.2),
         checked=dict(contact_score=3), proof=dict(contact_score="核查：接访登记簿缺7月、8月记录")),
    _org("示例-城关市场监管所党支部.xlsx", "机关", "党支部", "赵立新",
         own=dict(members=14, org_surveyed=N, meetings_record="基本规范", party_days_missed=1, center_score=4,
                  satisfaction=92, verified_complaints=1, annual_summary=N, place_signs=N, funds_level="保障不足"),
         checked=dict(members_under_hours=1, verified_complaints=2),
         proof=dict(members_under_hours="核查：党员王某全年学习培训18学时")),
    _org("示例-华星电子有限公司党支部.xlsx", "非公企业", "党支部", "陈静",
         own=dict(members=19, innovation_score=3, enterprise_activity_score=4, venue_missing_items=1,
                  dual_training=N, mass_org_reports=N, satisfaction=95),
         checked=dict(leader_training_hours=48, funds_score=2),
         proof=dict(leader_training_hours="核查：培训证明合计48学时")),
    _org("示例-城关镇志愿者协会党支部.xlsx", "社会组织", "党支部", "孙丽",
         own=dict(members=7, youth_league_ok=N, union_built=N, secretary_training_days=2, new_members_3y=0,
                  member_training_hours=28, review_status="开展但不符合要求", innovation_score=2,
                  serve_development_score=4, social_org_activity_score=4, consultation_rule=N,
                  charter_includes_party=N, funds_score=2.5, theme_day_status="组织开展但记录不全", satisfaction=93),
         checked=dict(social_org_activity_score=3, funds_score=1.5)),
]

TOWNSHIP_ORGS = [
    # --- 村 (村(社区)标准)
    _org(V + "城关村党总支.xlsx", "村", "党总支", "王建军",
         own=dict(party_members=68, help_score=0.5, upkeep_rules_ok=N, coordination_score=4, party_day_score=2.5,
                  grid_deduct=0.5, innovation_score=5),
         checked=dict(innovation_score=4)),
    _org(V + "刘庄村党支部.xlsx", "村", "党支部", "刘德胜",
         own=dict(party_members=44, explore_score=1.5, digital_score=3.5, three_one_score=4.5, party_day_score=2.5,
                  service_sys_score=5, innovation_score=4, coordination_score=4, contact_score=3.5, grid_deduct=0.5,
                  satisfaction=95.5)),
    _org(V + "北关村党支部.xlsx", "村", "党支部", "马玉兰",  # 92 points, but 群众满意率 85% caps it at 一般
         own=dict(party_members=37, setup_surveyed=N, explore_score=1, member_hours_min=20, lost_contact=1,
                  three_one_score=4, service_sys_score=5, disclosure_missing=1, contact_score=3, satisfaction=85),
         proof=dict(satisfaction="2026年11月党员群众测评：有效票200张，满意及基本满意170张")),
    _org(V + "西关村党支部.xlsx", "村", "党支部", "郭永红",  # exactly 90: tied with 南街社区 at the 优秀 line
         own=dict(party_members=31, fallback_managed=N, report_rating="较好", has_activist=N, commendation_held=N,
                  three_one_score=4, lecture_missing=2, innovation_score=4, points_system=N, satisfaction=93),
         checked=dict(innovation_score=3)),
    _org(V + "王家湾村党支部.xlsx", "村", "党支部", "王海涛",  # 重大财务纰漏 found by audit: 另行处理
         own=dict(party_members=27, setup_surveyed=N, lost_contact=1, help_score=0.5, digital_score=3,
                  three_one_score=4, party_day_score=2.5, lecture_missing=1, service_sys_score=5, innovation_score=4,
                  coordination_score=4, contact_score=3, grid_deduct=0.5, satisfaction=91),
         checked=dict(funds_irregular_deduct=2, major_financial_issue=Y),
         proof=dict(major_financial_issue="县审计局2026年审计：村集体资金38万元未入账")),
    _org(V + "张庄村党支部.xlsx", "村", "党支部", "张国庆",  # self-assessed 5.5 points higher than verified
         own=dict(party_members=39, report_rating="一般", leader_trainings=1, leader_hours_min=18,
                  three_one_score=4.5, party_day_score=2.5, coordination_score=4, contact_score=3.5,
                  volunteer_missed_quarters=1, grid_deduct=0.5, equipment_ok=N, innovation_score=3,
                  funds_irregular_deduct=1.5, satisfaction=92),
         checked=dict(explore_done=N, explore_score=0, hardship_ledger=N, three_one_score=3.5, service_sys_score=5,
                      contact_score=3),
         proof=dict(explore_done="核查：所报网格党小组系2025年设立，本年度无新的探索")),
    _org(V + "石门村党支部.xlsx", "村", "党支部", "石磊",  # 书记出缺5个月: capped at 软弱涣散
         own=dict(party_members=22, secretary_vacant_months=5, team_complete=N, vacancy_filled=N, has_activist=N,
                  member_hours_min=22, help_score=0.5, digital_score=2.5, three_one_score=3.5,
                  life_meeting_prepared=N, party_day_score=2, signage_ok=N, service_sys_score=4.5,
                  innovation_score=3, coordination_score=3.5, contact_score=3.5, grid_deduct=1, satisfaction=90),
         proof=dict(secretary_vacant_months="原书记2026年7月调任，8月至12月由副书记主持工作")),
    _org(V + "桥头村党支部.xlsx", "村", "党支部", "桥本华",  # exactly 80
         own=dict(party_members=26, setup_surveyed=N, fallback_managed=N, party_groups_set=N, election_proper=N,
                  recruit_files_ok=N, dues_paid_ok=N, digital_score=3, three_one_score=3, party_day_score=2,
                  lecture_missing=1, rules_posted=N, service_sys_score=4, innovation_score=3, coordination_score=3,
                  contact_score=3, grid_deduct=1, satisfaction=91.5)),
    _org(V + "柳树沟村党支部.xlsx", "村", "党支部", "柳青",
         own=dict(party_members=18, setup_surveyed=N, explore_done=N, explore_score=0, supervision_ok=N,
                  missing_orgs=1, party_groups_set=N, report_rating="未述职评议", has_activist=N,
                  member_hours_min=16, leader_trainings=1, leader_hours_min=20, mobile_ledger=N,
                  commendation_held=N, help_score=0.5, digital_score=2, three_one_score=3, party_day_score=1.5,
                  lecture_missing=2, service_sys_score=3.5, volunteer_missed_quarters=2, innovation_score=2,
                  four_two_ok=N, coordination_score=3, satisfaction=90.5)),
    _org(V + "后山村党支部.xlsx", "村", "党支部", "侯建设",  # below 60 by score alone
         own=dict(party_members=9, setup_surveyed=N, fallback_managed=N, explore_done=N, explore_score=0,
                  supervision_ok=N, missing_orgs=2, branch_committee_set=N, report_rating="差", has_activist=N,
                  recruit_files_ok=N, member_hours_min=12, leader_trainings=0, leader_hours_min=0, mobile_ledger=N,
                  hardship_ledger=N, commendation_held=N, help_score=0, digital_score=1.5, three_one_score=2.5,
                  life_meeting_prepared=N, party_day_score=1, lecture_missing=3, service_sys_score=3,
                  volunteer_missed_quarters=2, innovation_score=2, coordination_score=2.5, points_system=N,
                  contact_score=2, satisfaction=91, no_candidate_years=1)),
    _org(V + "北岗村党支部.xlsx", "村", "党支部", "白雪梅",  # cannot be scored: 良好 typed in a 是/否 cell
         own=dict(party_members=24, supervision_ok="良好", three_one_score=4, satisfaction=94)),
    # --- 社区 (村(社区)标准)
    _org(C + "城关社区党委.xlsx", "城市社区", "党委", "陈卫东",
         own=dict(party_members=126, part_time_members=3, office_area=860, volunteer_missed_quarters=1,
                  satisfaction=97.5),
         checked=dict(three_one_score=4.5, digital_score=3.5, lecture_missing=1)),
    _org(C + "南街社区党支部.xlsx", "城市社区", "党支部", "南方",  # exactly 90: tied with 西关村
         own=dict(party_members=42, part_time_members=0, office_area=430, rooms_standard=N, digital_score=3,
                  party_day_score=2, dues_ledger_ok=N, funds_irregular_deduct=1, satisfaction=92),
         checked=dict(contact_score=3)),
    _org(C + "新华社区党支部.xlsx", "城市社区", "党支部", "许新华",
         own=dict(party_members=47, office_area=620, setup_surveyed=N, supervision_ok=N, missing_orgs=1,
                  lost_contact=1, digital_score=3, three_one_score=4, review_proper=N, party_day_score=2,
                  service_sys_score=4, innovation_score=3.5, coordination_score=3, contact_score=3,
                  grid_deduct=1.5, satisfaction=93.5),
         checked=dict(lost_contact=3, three_one_score=3.5)),
    _org(C + "河东社区党总支.xlsx", "村改居社区", "党总支", "何东升",
         own=dict(party_members=56, station_equipment=N, three_one_score=4, life_meeting_rectified=N,
                  service_sys_score=5.5, coordination_score=3.5, grid_ledger=N, asset_register_ok=N,
                  evaluation_linked=N, disclosure_missing=1, innovation_score=3, satisfaction=94),
         checked=dict(lost_contact=2, service_sys_score=4.5)),
    _org(C + "河西社区党支部.xlsx", "村改居社区", "党支部", "何西平",
         own=dict(party_members=29, station_admin=N, part_time_members=0, explore_done=N, explore_score=0,
                  lost_contact=2, inflow_managed=N, digital_score=2.5, three_one_score=3, life_meeting_prepared=N,
                  party_day_score=2, rooms_adequate=N, upkeep_other_deduct=1, service_sys_score=4,
                  innovation_score=2.5, coordination_score=3, contact_score=2.5, grid_deduct=0.5, satisfaction=90)),
    # --- 机关、事业单位 (机关标准)
    _org(A + "城关镇机关第一党支部.xlsx", "机关", "党支部", "冯志刚",
         own=dict(members=28, party_day_record=N, satisfaction=93, center_score=4, open_timely=N,
                  meetings_record="基本规范")),
    _org(A + "城关镇中心小学党总支.xlsx", "事业单位", "党总支", "刘红梅",
         own=dict(members=56, fulltime_staff=Y, business_score=4, honored=Y, dual_life=N, funds_level="保障不足",
                  satisfaction=96.5),
         checked=dict(members_under_hours=1), proof=dict(members_under_hours="核查：1名党员学时不足24学时")),
    _org(A + "城关镇卫生院党支部.xlsx", "事业单位", "党支部", "吴医生",  # 86: tied with 机关第二党支部
         own=dict(members=34, cross_appointed=N, leaders_under_hours=1, meetings_items_short=1, party_days_missed=2,
                  satisfaction=92, verified_complaints=1, duty_list=N, place_signs=N, business_score=4)),
    _org(A + "城关镇机关第二党支部.xlsx", "机关", "党支部", "郑小平",
         own=dict(members=24, org_surveyed=N, duties_clear=N, discipline_reported=N, election_proper=N,
                  collective_decision=N, members_under_hours=2, hardship_ledger=N, review_proper=N, center_score=4,
                  satisfaction=95)),
    _org(A + "城关镇农业综合服务中心党支部.xlsx", "事业单位", "党支部", "农建国",  # exactly 80
         own=dict(members=15, org_surveyed=N, members_under_hours=2, leaders_under_hours=1, transfer_ok=N,
                  lecture_given=N, party_days_missed=1, business_score=3, satisfaction=91, annual_summary=N,
                  funds_level="保障不足", verified_complaints=1),
         checked=dict(team_misc_deduct=2), proof=dict(team_misc_deduct="核查：班子会议记录缺3次，酌情扣2分")),
    _org(A + "城关镇财政所党支部.xlsx", "机关", "党支部", "钱进",
         own=dict(members=12, assess_rank_ok=N, members_not_exemplary=1, meetings_items_short=1,
                  meetings_record="基本规范", review_done=N, center_score=3.5, satisfaction=90.5, annual_plan=N,
                  open_done=N, funds_managed=N, party_day_record=N, info_ok=N, heart_talks=N),
         checked=dict(center_score=3)),
    _org(A + "城关镇退役军人服务站党支部.xlsx", "事业单位", "党支部", "武卫国",
         own=dict(members=5, committee_set=N, org_surveyed=N, discipline_reported=N, cross_appointed=N,
                  term_on_time=N, members_under_hours=1, dues_ok=N, info_ok=N, heart_talks=N, commendation=N,
                  meetings_items_short=2, meetings_record="不规范", review_proper=N, rectified=N, party_days_missed=3,
                  business_score=3, mass_groups_active=N, satisfaction=91, annual_summary=N, duty_list=N,
                  open_timely=N, parttime_staff=N)),
    # --- 两新组织 (“两新”组织标准)
    _org(T + "宏达建材有限公司党支部.xlsx", "非公企业", "党支部", "高宏达",
         own=dict(members=23, innovation_score=3, enterprise_activity_score=4, youth_league_ok=N, funds_score=2,
                  member_training_hours=30, satisfaction=96)),
    _org(T + "城关镇商会党支部.xlsx", "社会组织", "党支部", "商永福",  # 建立其他保障制度, 可给1分
         own=dict(members=11, women_org_ok=N, dual_training=N, innovation_score=3, social_org_activity_score=4,
                  serve_development_score=4, charter_includes_party=N, other_guarantee=Y, venue_missing_items=1,
                  funds_score=2, secretary_training_days=2, satisfaction=94)),
    _org(T + "恒信农业科技有限公司党支部.xlsx", "非公企业", "党支部", "黄恒信",  # 不良纳税记录: capped at 一般
         own=dict(members=16, mass_org_reports=N, team_study=N, new_members_3y=0, leader_training_hours=40,
                  group_meeting_ok=N, theme_day_status="组织开展但记录不全", innovation_score=2.5,
                  enterprise_activity_score=3.5, satisfaction=93),
         checked=dict(bad_record=Y), proof=dict(bad_record="县税务局通报：2026年5月欠缴增值税被列入异常名录")),
    _org(T + "顺通物流有限公司党支部.xlsx", "非公企业", "党支部", "顾顺通",
         own=dict(members=9, vacancies_filled=N, election_regular=N, party_workers_assigned=N,
                  recruitment_files_ok=N, member_training_hours=28, mobile_members_ok=N, committee_meeting_ok=N,
                  review_status="开展但不符合要求", innovation_score=3, serve_development_score=4,
                  enterprise_activity_score=3, funds_score=2, venue_managed=N, satisfaction=92)),
    _org(T + "阳光社会工作服务中心党支部.xlsx", "社会组织", "党支部", "杨光",
         own=dict(members=8, has_committee=N, has_discipline_member=N, has_designated_person=Y, union_built=N,
                  secretary_training_days=2.5, new_members_3y=0, member_training_hours=24,
                  leader_training_hours=48, party_lecture_ok=N, life_meeting_regular=N, innovation_score=2.5,
                  social_org_activity_score=3, consultation_rule=N, hardship_help=N, venue_missing_items=1,
                  satisfaction=92)),
    _org(T + "城关镇个体劳动者协会党支部.xlsx", "社会组织", "党支部", "葛立业",
         own=dict(members=6, has_committee=N, has_discipline_member=N, has_designated_person=Y, union_built=N,
                  youth_league_ok=N, mass_org_reports=N, party_workers_assigned=N, instructor_assigned=N,
                  instructor_supported=None, dual_training=N, team_study=N, secretary_training_days=1,
                  new_members_3y=0, recruitment_publicized=N, member_training_hours=20, leader_training_hours=30,
                  member_records_ok=N, congress_ok=N, party_lecture_ok=N, theme_day_status="组织开展但记录不全",
                  innovation_score=2, serve_development_score=3, social_org_activity_score=2.5, heart_talks=N,
                  funds_score=1.5, satisfaction=91)),
    _org(T + "鑫源服装有限公司党支部.xlsx", "非公企业", "党支部", "鑫淼",
         own=dict(members=7, has_discipline_member=N, women_org_ok=N, mass_org_reports=N, team_size_ok=N,
                  vacancies_filled=N, term_on_time=N, secretary_qualified=N, party_workers_assigned=N,
                  dual_training=N, team_study=N, secretary_training_days=0, new_members_3y=0,
                  recruitment_files_ok=N, member_training_hours=16, leader_training_hours=24, dues_ok=N,
                  member_records_ok=N, committee_meeting_ok=N, group_meeting_ok=N, party_lecture_ok=N,
                  review_status="开展但不符合要求", life_meeting_regular=N, theme_day_status="组织开展但记录不全",
                  innovation_score=1, serve_development_score=3, enterprise_activity_score=2, hardship_help=N,
                  consultation_rule=N, funds_score=1, satisfaction=91)),
]

ORGS = SINGLES + TOWNSHIP_ORGS

# Last year: the same township without this year's 核定值, with these 自评值 changed;
# None: the branch did not exist yet (新参评 in 2026).
LAST_YEAR: dict[str, dict[str, Any] | None] = {
    "北关村党支部": dict(satisfaction=93),  # 92 → 优秀 (2026: capped at 一般)
    "石门村党支部": dict(secretary_vacant_months=0, team_complete=Y),  # 84 → 良好 (2026: 软弱涣散)
    "桥头村党支部": dict(satisfaction=55),  # 满意率低于60% → 软弱涣散 (2026: 良好, two tiers up)
    "河西社区党支部": dict(secretary_vacant_months=4),  # 软弱涣散 (2026: 一般)
    "北岗村党支部": dict(supervision_ok=Y),  # scored last year; its 2026 workbook fails
    "阳光社会工作服务中心党支部": None,
}


def values_of(org: Org, rubric: Rubric, applicable: set[str]) -> dict[str, Any]:
    """The 自评值 of every row; refuses a field the rubric or the subtype does not have (a typo)."""
    rubric_id, extra = KINDS[org.kind]
    values = {**BASES[rubric_id], **extra, **org.own}
    unknown = sorted((set(values) | set(org.checked) | set(org.proof)) - applicable)
    if unknown:
        raise SystemExit(f"{org.path}: fields not in {rubric.id} for {org.kind}: {', '.join(unknown)}")
    return values


def fill(org: Org, year: int = YEAR) -> Workbook:
    """The template for this organization, filled as the branch and the township would."""
    rubric_id, _ = KINDS[org.kind]
    rubric = resolve(rubric_id)
    options = TemplateOptions(name=org.name, township=TOWNSHIP, subtype=org.kind, form=org.form,
                              year=year, period="全年")
    workbook, rows = build_workbook(rubric, options)
    basic = workbook[SHEET_BASIC]
    for label, value in basic.iter_rows(min_row=2, max_col=2):
        if label.value == "填报人":
            value.value = org.filled_by
    values = values_of(org, rubric, {r.field_id for r in rows if r.applicable})
    data = workbook[SHEET_DATA]
    columns = {name: DATA_HEADERS.index(name) + 1 for name in ("自评值", "核定值", "佐证材料", "编号")}
    # Rows are found by 编号, as the reader finds them (a heading row precedes the general block).
    sheet_rows = {data.cell(r, columns["编号"]).value: r for r in range(2, data.max_row + 1)}
    for row in rows:
        number = sheet_rows[row.code]
        if not row.applicable:
            continue  # the template already wrote 不适用 there
        for column, source in (("自评值", values), ("核定值", org.checked), ("佐证材料", org.proof)):
            if source.get(row.field_id) is not None:
                data.cell(number, columns[column]).value = source[row.field_id]
    return workbook


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def reproducible(content: bytes) -> bytes:
    """The same .xlsx with fixed zip entry times and modified date, so reruns give identical bytes."""
    stamp = STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def save(workbook: Workbook, path: Path) -> None:
    workbook.properties.created = workbook.properties.modified = STAMP
    workbook.properties.lastModifiedBy = f"{TOWNSHIP}党委"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(reproducible(buffer.getvalue()))


def previous_results(out_dir: Path) -> Path:
    """Last year's ``chuangyou rank --format json``, run where the sources come out relative."""
    with tempfile.TemporaryDirectory() as tmp:
        for org in TOWNSHIP_ORGS:
            change = LAST_YEAR.get(org.name, {})
            if change is not None:
                last = replace(org, own={**org.own, **change}, checked={}, proof={})
                save(fill(last, PREVIOUS_YEAR), Path(tmp) / last.path)
        command = [sys.executable, "-m", "chuangyou", "rank", TOWNSHIP, "--format", "json", "--jobs", "1"]
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # a Windows pipe would otherwise be GBK
        run = subprocess.run(command, cwd=tmp, env=env, capture_output=True, encoding="utf-8", check=False)
    if run.returncode != 0:
        raise SystemExit(f"chuangyou rank failed on last year's workbooks ({run.returncode}):\n{run.stderr}")
    text = run.stdout if os.sep == "/" else run.stdout.replace("\\\\", "/")  # sources as on Linux/macOS
    path = out_dir / PREVIOUS_FILE
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


# On the roster, but no workbook came in (未交 in `collect`, 未提交 in `rank --roster`).
NOT_HANDED_IN = [("东风村党支部", "村", "党支部", "冯东风")]


def roster_file(out_dir: Path) -> Path:
    """The township's roster, in the order of TOWNSHIP_ORGS, with contacts and phones."""
    from chuangyou.roster import RosterRow, build_roster
    from chuangyou.rubric.registry import bundled_rubrics

    listed = [(org.name, org.kind, org.form, org.filled_by) for org in TOWNSHIP_ORGS] + NOT_HANDED_IN
    rows = [
        RosterRow(name=name, township=TOWNSHIP, subtype_label=kind, form=form, contact=contact,
                  phone=f"0371-6288{n:04d}")
        for n, (name, kind, form, contact) in enumerate(listed, 1)
    ]
    path = out_dir / ROSTER_FILE
    save(build_roster(bundled_rubrics(), rows), path)
    return path


def generate(out_dir: Path) -> list[Path]:
    """Write every example under ``out_dir``; return their paths (workbooks in ORGS order)."""
    paths = []
    for org in ORGS:
        path = out_dir / org.path
        save(fill(org), path)
        paths.append(path)
    paths.append(previous_results(out_dir))
    paths.append(roster_file(out_dir))
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else OUTPUT
    written = generate(out_dir)
    stale = sorted({p for p in out_dir.rglob("*") if p.is_file()} - set(written))
    print(f"wrote {len(written)} files under {out_dir}")
    for path in stale:
        print(f"not generated by this script (delete it?): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
