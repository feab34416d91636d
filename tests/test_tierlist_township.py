"""The README's first command on the example township, read back from the tier-list workbook.

``chuangyou rank examples/城关镇 -o 等级名单.xlsx`` runs from the repository root as the README
types it (only the output goes to a temporary folder; examples/ must not change), then the
workbook is read back with openpyxl.

Every figure below was checked by hand against the rubric and the example data: the item
points, each rule's deduction and reason, the tiers (90/80/60) and the vetoes in
rubrics/village.yaml, agency.yaml and two_new.yaml, applied to the values that
scripts/make_examples.py types into 自评值 (column F) and 核定值 (column G, which wins).
Totals are 100 minus the points lost (the sums are written out in test_examples.py; the four
organizations of DEDUCTIONS and 石门村 were recomputed rule by rule). Cell addresses were
counted from the field order of each rubric: one row per field after the header row (village:
setup.party_members is row 2 …; a heading row precedes the general block, so general.satisfaction is row 90; agency: org_surveyed row 3;
two_new: mass_org_reports row 11). Ranks: equal totals share a rank and the next one skips;
a veto caps the tier, not the rank; the 另行处理 case has no rank and comes last. Reasons are
the rubric's rule texts; a discretionary score adds “（酌情得 N 分）”.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PureWindowsPath
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from openpyxl.workbook import Workbook

from chuangyou.cli import output as cli_output
from chuangyou.cli.main import main
from chuangyou.rubric import resolve

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
A, B, C, D = "优秀党支部", "良好党支部", "一般党支部", "软弱涣散党支部"
HELD = "待定（另行处理）"
AG, TN, VL = "机关单位", "“两新”组织", "村(社区)"
V_SAT = "群众满意率低于90%，不能评为优秀、良好等次"
V_VACANT = "党组织书记出缺超过3个月"
V_TAX = "存在不良信贷、工商、纳税记录，一票否决"
V_MONEY = "存在重大财务纰漏情况另行处理"


def capped(reason: str, frm: str, to: str) -> str:
    return f"否决条件：{reason}，等级由{frm}调整为{to}"


def scored(reason: str, points: str) -> str:
    return f"{reason}（酌情得 {points} 分）"


# 评定结果, in sheet order (group by rubric id; within a group by rank, the held case last):
# (评定标准, 排名, 组织名称, 组织类别, 组织形式, 总分, 自评总分, 等级, 按分数等级, 否决情形, 说明)
TIER_LIST: list[tuple[Any, ...]] = [
    (AG, 1, "城关镇机关第一党支部", "机关", "党支部", "95", "95", A, A, None, None),
    (AG, 2, "城关镇中心小学党总支", "事业单位", "党总支", "93", "95", A, A, None, None),
    (AG, 3, "城关镇卫生院党支部", "事业单位", "党支部", "86", "86", B, B, None, None),  # tie: 3, 3
    (AG, 3, "城关镇机关第二党支部", "机关", "党支部", "86", "86", B, B, None, None),
    (AG, 5, "城关镇农业综合服务中心党支部", "事业单位", "党支部", "80", "80", B, B, None, None),
    (AG, 6, "城关镇财政所党支部", "机关", "党支部", "78", "78.5", C, C, None, None),
    (AG, 7, "城关镇退役军人服务站党支部", "事业单位", "党支部", "64", "64", C, C, None, None),
    (TN, 1, "宏达建材有限公司党支部", "非公企业", "党支部", "94", "94", A, A, None, None),
    (TN, 2, "城关镇商会党支部", "社会组织", "党支部", "91", "91", A, A, None, None),
    (TN, 3, "恒信农业科技有限公司党支部", "非公企业", "党支部", "88", "88", C, B,  # 核定 不良纳税记录
     f"{V_TAX}（最高评为{C}）", capped(V_TAX, B, C)),
    (TN, 4, "顺通物流有限公司党支部", "非公企业", "党支部", "83", "83", B, B, None, None),
    (TN, 5, "阳光社会工作服务中心党支部", "社会组织", "党支部", "79.5", "79.5", C, C, None, None),
    (TN, 6, "城关镇个体劳动者协会党支部", "社会组织", "党支部", "70", "70", C, C, None, None),
    (TN, 7, "鑫源服装有限公司党支部", "非公企业", "党支部", "52", "52", D, D, None, None),
    (VL, 1, "城关社区党委", "城市社区", "党委", "97", "99", A, A, None, None),
    (VL, 2, "城关村党总支", "村", "党总支", "95.5", "96.5", A, A, None, None),
    (VL, 3, "刘庄村党支部", "村", "党支部", "94", "94", A, A, None, None),
    (VL, 4, "北关村党支部", "村", "党支部", "92", "92", C, A, f"{V_SAT}（最高评为{C}）", capped(V_SAT, A, C)),
    (VL, 5, "南街社区党支部", "城市社区", "党支部", "90", "91", A, A, None, None),  # tie at the line: 5, 5
    (VL, 5, "西关村党支部", "村", "党支部", "90", "91", A, A, None, None),
    (VL, 7, "河东社区党总支", "村改居社区", "党总支", "86", "89", B, B, None, None),
    (VL, 8, "张庄村党支部", "村", "党支部", "84", "89.5", B, B, None,
     "自评偏高：自评 89.5 分，核定 84 分，相差 5.5 分"),
    (VL, 9, "石门村党支部", "村", "党支部", "82", "82", D, B, f"{V_VACANT}（最高评为{D}）", capped(V_VACANT, B, D)),
    (VL, 10, "新华社区党支部", "城市社区", "党支部", "81.5", "84", B, B, None, None),
    (VL, 11, "桥头村党支部", "村", "党支部", "80", "80", B, B, None, None),
    (VL, 12, "河西社区党支部", "村改居社区", "党支部", "76", "76", C, C, None, None),
    (VL, 13, "柳树沟村党支部", "村", "党支部", "67.5", "67.5", C, C, None, None),
    (VL, 14, "后山村党支部", "村", "党支部", "55.5", "55.5", D, D, None, None),
    # Ranked totals above 87.5: 97, 95.5, 94, 92, 90, 90 → it would be 7th.
    (VL, None, "王家湾村党支部", "村", "党支部", "87.5", "89.5", HELD, B, V_MONEY,
     f"存在需另行处理的情形（{V_MONEY}），暂不定级，不参与排名和名额计算；按得分可列第7名"),
]
TIER_COLUMNS = ("评定标准", "排名", "组织名称", "组织类别", "组织形式", "总分", "自评总分", "等级", "按分数等级",
                "否决情形", "说明")
SUMMARY = [
    "2026年度基层党组织争先创优评定等级名单",
    "机关单位党组织争先创优评定标准（2026.1 版）：参评 7 个，参与排名 7 个",
    "    优秀党支部 2 个、良好党支部 3 个、一般党支部 2 个、软弱涣散党支部 0 个",
    "“两新”组织党组织争先创优评定标准（2026.1 版）：参评 7 个，参与排名 7 个",
    "    优秀党支部 2 个、良好党支部 1 个、一般党支部 3 个、软弱涣散党支部 1 个",
    "村(社区)党组织争先创优评定标准（2026.1 版）：参评 15 个，参与排名 14 个",
    "    优秀党支部 5 个、良好党支部 4 个、一般党支部 3 个、软弱涣散党支部 2 个、待定（另行处理） 1 个",
]
# 问题分析 tier distribution: tier → (机关单位, “两新”组织, 村(社区), 合计)
DISTRIBUTION = [
    (A, 2, 2, 5, 9), (B, 3, 1, 4, 8), (C, 2, 3, 3, 8), (D, 0, 1, 2, 3), (HELD, 0, 0, 1, 1), ("合计", 7, 7, 15, 29),
]

R_THREE_ONE = "根据记录材料内容酌情给分(重点检查“三会一课”开展频次、程序规范性)"
R_PARTY_DAY = "根据记录材料内容酌情给分(重点检查主题党日开展频次、程序规范性)"
R_SERVICE = "结合相关记录规范性、服务群众实效性、活动开展经常性等酌情给分"
R_INNOVATION = "根据服务实效、群众评价和品牌影响力酌情给分"
R_COORDINATION = "根据相关工作开展的经常性、实效性以及制度机制、活动记录等资料完整性酌情给分"
R_CONTACT = "根据相关工作落实情况及制度机制、工作记录等资料完整性、规范性情况酌情给分"
R_DIGITAL = "根据日常活动及工作开展相关记录的规范性、完整性酌情给分"
R_GRID = "根据矛盾纠纷化解成效和网格作用发挥情况酌情扣分"

# 扣分明细 of four organizations: (类别, 项目, 扣分, 原因, 依据单元格, 填报值, 编号 of the linked row)
V_, AG_, TN_ = "examples/城关镇/村/", "examples/城关镇/机关事业单位/", "examples/城关镇/两新组织/"
DEDUCTIONS: dict[str, tuple[str, list[tuple[str, ...]]]] = {
    # 8 × 1 = 8 → 92; every figure is the branch's own 自评值 (no 核定值)
    "北关村党支部": (V_ + "北关村党支部.xlsx", [
        ("党的组织设置", "设置合理", "1", "未进行摸底排查", "考评数据!F4", "否", "setup.setup_surveyed"),
        ("党的组织设置", "探索创新", "1", scored("探索创新工作记录及覆盖成效酌情给分", "1"), "考评数据!F7", "1",
         "explore.explore_score"),
        ("党员教育管理", "党员教育培训", "1", "党员每年集中学习培训时间不足24学时", "考评数据!F23", "20",
         "training.member_hours_min"),
        ("党员教育管理", "流动党员管理", "1", "与外出流动党员失去联系，每有1名扣1分", "考评数据!F31", "1",
         "mobile.lost_contact"),
        ("党内组织生活", "三会一课", "1", scored(R_THREE_ONE, "4"), "考评数据!F37", "4", "three_one.three_one_score"),
        ("为民便民服务", "服务体系", "1", scored(R_SERVICE, "5"), "考评数据!F61", "5", "service_sys.service_sys_score"),
        ("工作运行机制", "民主管理机制", "1", "党务、村(居)务、财务未按规定公开，每缺1项扣1分", "考评数据!F68", "1",
         "democracy.disclosure_missing"),
        ("工作运行机制", "联系群众机制", "1", scored(R_CONTACT, "3"), "考评数据!F72", "3", "contact.contact_score"),
    ]),
    # 2+1+1+1+1.5+0.5+1+1+1+2+1+1+0.5+1.5 = 16 → 84; the 核定值 rows cite column H
    "张庄村党支部": (V_ + "张庄村党支部.xlsx", [
        ("党的组织设置", "探索创新", "2", "未开展组织设置探索创新", "考评数据!G6", "否", "explore.explore_done"),
        ("班子队伍建设", "自身建设", "1", "书记述职评议结果为“一般”或“差”", "考评数据!F19", "一般",
         "self_build.report_rating"),
        ("党员教育管理", "党员教育培训", "1", "基层党组织班子成员每年集中学习培训时间不足24学时", "考评数据!F25 等2处",
         "18\n1", "training.leader_hours_min"),  # 18 学时 after 1 training: both cells are cited
        ("党员教育管理", "党内激励关怀", "1", "未建立困难党员台账", "考评数据!G33", "否", "care.hardship_ledger"),
        ("党内组织生活", "三会一课", "1.5", scored(R_THREE_ONE, "3.5"), "考评数据!G37", "3.5",
         "three_one.three_one_score"),
        ("党内组织生活", "党员活动日", "0.5", scored(R_PARTY_DAY, "2.5"), "考评数据!F46", "2.5",
         "party_day.party_day_score"),
        ("场地建设管理使用", "基本设施", "1", "基本办公和活动设施缺失或不能正常使用", "考评数据!F54", "否",
         "basic_fac.equipment_ok"),
        ("为民便民服务", "服务体系", "1", scored(R_SERVICE, "5"), "考评数据!G61", "5", "service_sys.service_sys_score"),
        ("为民便民服务", "服务载体", "1", "志愿服务活动每季度少于1次，每少1次扣1分", "考评数据!F63", "1",
         "carrier.volunteer_missed_quarters"),
        ("为民便民服务", "服务创新", "2", scored(R_INNOVATION, "3"), "考评数据!F65", "3",
         "service_innovation.innovation_score"),
        ("工作运行机制", "统筹协调机制", "1", scored(R_COORDINATION, "4"), "考评数据!F66", "4",
         "coordination.coordination_score"),
        ("工作运行机制", "联系群众机制", "1", scored(R_CONTACT, "3"), "考评数据!G72", "3", "contact.contact_score"),
        ("工作运行机制", "网格化治理机制", "0.5", R_GRID, "考评数据!F75", "0.5", "grid.grid_deduct"),
        ("基本经费保障", "党建经费", "1.5", "经费使用存在不明确、不规范现象，酌情扣分", "考评数据!F77", "1.5",
         "funds.funds_irregular_deduct"),
    ]),
    # 1+2+3+2+1+1+1+2+1+1+2+3 = 20 → 80; 党员 2 × 2 = 4 is cut to the 2 left of 党员教育培训's 5
    "城关镇农业综合服务中心党支部": (AG_ + "城关镇农业综合服务中心党支部.xlsx", [
        ("党的组织设置", "组织覆盖", "1", "未进行党组织设置摸底排查", "考评数据!F3", "否", "org_coverage.org_surveyed"),
        ("班子队伍建设", "自身建设", "2", "班子自身建设存在其他不规范情况（酌情扣分）", "考评数据!G17", "2",
         "team_self.team_misc_deduct"),
        ("党员教育管理", "党员教育培训", "3", "班子成员学习培训不足40学时（每人扣3分）", "考评数据!F19", "1",
         "edu_training.leaders_under_hours"),
        ("党员教育管理", "党员教育培训", "2", "党员学习培训不足24学时（每人扣2分）（规则扣 4 分，扣完为止）",
         "考评数据!F20", "2", "edu_training.members_under_hours"),
        ("党员教育管理", "党员日常管理", "1", "党员组织关系转接不及时", "考评数据!F22", "否", "edu_daily.transfer_ok"),
        ("党内组织生活", "三会一课", "1", "书记、班子成员未按要求讲党课", "考评数据!F30", "否",
         "life_meetings.lecture_given"),
        ("党内组织生活", "主题党日", "1", "主题党日未按月开展（每少1次扣1分）", "考评数据!F38", "1",
         "life_day.party_days_missed"),
        ("作用发挥", "促进事业发展", "2", scored("党组织促进事业发展作用发挥不够充分（酌情给分）", "3"), "考评数据!F41",
         "3", "role_business.business_score"),
        ("作用发挥", "群众满意度", "1", "群众满意率在90%至95%之间", "考评数据!F46", "91",
         "role_satisfaction.satisfaction"),
        ("作用发挥", "信访投诉", "1", "存在经查实的信访投诉（每件扣1分）", "考评数据!F47", "1",
         "role_complaints.verified_complaints"),
        ("工作运行机制", "计划总结", "2", "无年度党建工作总结", "考评数据!F49", "否", "mech_plan.annual_summary"),
        ("基本工作保障", "经费保障", "3", "党组织工作经费不足", "考评数据!F59", "保障不足", "guar_funds.funds_level"),
    ]),
    # 1+1+2+2+1+2+1.5+1.5 = 12 → 88 (良好 by score; the veto caps it)
    "恒信农业科技有限公司党支部": (TN_ + "恒信农业科技有限公司党支部.xlsx", [
        ("党的组织设置", "配套组织", "1", "党组织未定期听取群团组织工作汇报", "考评数据!F11", "否",
         "supporting_orgs.mass_org_reports"),
        ("班子队伍建设", "自身建设", "1", "未落实班子集体学习制度", "考评数据!F22", "否", "self_building.team_study"),
        ("党员教育管理", "发展党员工作", "2", "近3年内没有发展新党员", "考评数据!F26", "0", "recruitment.new_members_3y"),
        ("党员教育管理", "党员教育培训", "2", "书记和班子成员每年集中学习培训时间少于56学时", "考评数据!F30", "40",
         "training.leader_training_hours"),
        ("党内组织生活", "“三会一课”", "1", "党小组会不符合规定", "考评数据!F37", "否",
         "three_meetings.group_meeting_ok"),
        ("党内组织生活", "党员活动日", "2", "“主题党日”活动记录不全", "考评数据!F44", "组织开展但记录不全",
         "theme_day.theme_day_status"),
        ("党内组织生活", "组织生活创新", "1.5", scored("根据组织生活的吸引力酌情给分", "2.5"), "考评数据!F45", "2.5",
         "life_innovation.innovation_score"),
        ("发挥作用途径", "突出非公企业特点服务职工群众", "1.5", scored("根据活动开展的频率、收到的成效酌情给分", "3.5"),
         "考评数据!F48", "3.5", "enterprise_features.enterprise_activity_score"),
    ]),
}
TOTAL_DEDUCTIONS = 357  # every deduction listed in test_examples.EXPECTED for the 29 township organizations
# The one award that counted (test_examples.AWARDS; 中心小学's gave +0 and is not listed): a negative 扣分.
AWARD_ROW = ("城关镇商会党支部", "政策保障", Decimal(-1), "【加分】建立有其他保障党建工作开展的制度，可给1分")

# 整改清单 block of 石门村 (软弱涣散 by veto): (项目, 扣分, 存在问题, 依据单元格, 填报情况, item id for 考核评价标准)
SHIMEN = "石门村党支部"
SHIMEN_BLOCK: list[tuple[Any, ...]] = [
    ("合计", "18", "总分 82 分（按分数为良好党支部），15 个项目失分；否决情形 1 项", None, None, None),
    ("班子队伍建设-班子职数", "2", "班子长期不健全", "考评数据!F13", "领导班子按职数配齐、无长期缺额（F13）：否",
     "team.team_size"),
    ("班子队伍建设-班子任期", "1", "委员出缺未及时补选", "考评数据!F17", "任期内委员出缺已及时补选（F17）：否",
     "team.team_term"),
    ("党员教育管理-发展党员工作", "1", "本年度未确定入党积极分子或发展对象", "考评数据!F21",
     "本年度确定了入党积极分子或发展对象（F21）：否", "education.recruit"),
    ("党员教育管理-党员教育培训", "1", "党员每年集中学习培训时间不足24学时", "考评数据!F23",
     "党员年度集中学习培训学时(最少的党员)（F23）：22", "education.training"),
    ("党员教育管理-党内激励关怀", "0.5", "帮扶活动成效根据帮扶活动开展相关记录情况酌情给分", "考评数据!F35",
     "帮扶活动成效酌情得分（F35）：0.5", "education.care"),
    ("党员教育管理-管理手段创新", "1.5", scored(R_DIGITAL, "2.5"), "考评数据!F36", "管理手段创新酌情得分（F36）：2.5",
     "education.digital"),
    ("党内组织生活-三会一课", "1.5", scored(R_THREE_ONE, "3.5"), "考评数据!F37", "“三会一课”酌情得分（F37）：3.5",
     "org_life.three_one"),
    ("党内组织生活-组织生活会", "1", "会前未征求意见或未开展谈心谈话", "考评数据!F44",
     "会前征求意见并开展谈心谈话（F44）：否", "org_life.life_meeting"),
    ("党内组织生活-党员活动日", "1", scored(R_PARTY_DAY, "2"), "考评数据!F46", "主题党日活动酌情得分（F46）：2",
     "org_life.party_day"),
    ("场地建设管理使用-标识制度", "1", "未按规定悬挂统一标识和牌子", "考评数据!F52",
     "按规定悬挂统一标识和牌子（F52）：否", "venue.signage"),
    ("为民便民服务-服务体系", "1.5", scored(R_SERVICE, "4.5"), "考评数据!F61", "服务体系作用发挥酌情得分（F61）：4.5",
     "service.service_sys"),
    ("为民便民服务-服务创新", "2", scored(R_INNOVATION, "3"), "考评数据!F65", "服务创新酌情得分（F65）：3",
     "service.service_innovation"),
    ("工作运行机制-统筹协调机制", "1.5", scored(R_COORDINATION, "3.5"), "考评数据!F66",
     "统筹协调机制酌情得分（F66）：3.5", "mechanism.coordination"),
    ("工作运行机制-联系群众机制", "0.5", scored(R_CONTACT, "3.5"), "考评数据!F72", "联系群众机制酌情得分（F72）：3.5",
     "mechanism.contact"),
    ("工作运行机制-网格化治理机制", "1", R_GRID, "考评数据!F75", "网格作用发挥酌情扣分（F75）：1", "mechanism.grid"),
    ("否决情形", None, f"{V_VACANT}（最高评为{D}）", "考评数据!F79", "党组织书记出缺月数（F79）：5", None),
]
# 一般 and 软弱涣散 (and the held case), worst first within each group: lowest tier, lowest total.
RECTIFY_ORDER = [
    "城关镇退役军人服务站党支部", "城关镇财政所党支部",
    "鑫源服装有限公司党支部", "城关镇个体劳动者协会党支部", "阳光社会工作服务中心党支部", "恒信农业科技有限公司党支部",
    "后山村党支部", "石门村党支部", "柳树沟村党支部", "河西社区党支部", "北关村党支部", "王家湾村党支部",
]
FAILED_ROW = (1, "examples/城关镇/村/北岗村党支部.xlsx", "证明材料工作簿有 1 处问题",
              "北岗村党支部.xlsx 考评数据!F9: “村(居)务监督委员会健全并正常开展监督”的值“良好”无法识别，应填写 是 或 否")

# --previous: last year (make_examples.LAST_YEAR) is the same workbooks without 核定值, so last
# year's total is this year's self total, except 北关村 满意率 93% (92 → 优秀), 石门村 with its
# secretary (84 → 良好), 桥头村 满意率 55% (→ 软弱涣散), 河西社区 secretary vacant 4 months
# (→ 软弱涣散), 恒信 without the tax record (88 → 良好); 阳光 did not exist; 王家湾 is held
# this year and so not compared. Without --step-promotion 桥头村 goes straight to 良好.
PREVIOUS = {
    "城关镇机关第一党支部": (A, "持平"), "城关镇中心小学党总支": (A, "持平"), "城关镇卫生院党支部": (B, "持平"),
    "城关镇机关第二党支部": (B, "持平"), "城关镇农业综合服务中心党支部": (B, "持平"),
    "城关镇财政所党支部": (C, "持平"), "城关镇退役军人服务站党支部": (C, "持平"),
    "宏达建材有限公司党支部": (A, "持平"), "城关镇商会党支部": (A, "持平"), "顺通物流有限公司党支部": (B, "持平"),
    "恒信农业科技有限公司党支部": (B, "降级"), "阳光社会工作服务中心党支部": (None, "新参评"),
    "城关镇个体劳动者协会党支部": (C, "持平"), "鑫源服装有限公司党支部": (D, "持平"),
    "城关社区党委": (A, "持平"), "城关村党总支": (A, "持平"), "刘庄村党支部": (A, "持平"), "南街社区党支部": (A, "持平"),
    "西关村党支部": (A, "持平"), "河东社区党总支": (B, "持平"), "张庄村党支部": (B, "持平"),
    "新华社区党支部": (B, "持平"), "桥头村党支部": (D, "升级"), "北关村党支部": (A, "降级"),
    "河西社区党支部": (D, "升级"), "柳树沟村党支部": (C, "持平"), "石门村党支部": (B, "降级"),
    "后山村党支部": (D, "持平"), "王家湾村党支部": (B, None),
}


# --------------------------------------------------------------------------- running the command


@dataclass
class Run:
    code: int
    stderr: str
    path: Path
    book: Workbook
    before: dict[str, str]
    after: dict[str, str]


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_readme(out_dir: Path, *extra: str) -> Run:
    path = out_dir / "等级名单.xlsx"
    before = digest(EXAMPLES)
    err = io.StringIO()
    # The console is cached per stream: clear it so that it binds to this run's stderr.
    cli_output._console.cache_clear()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(io.StringIO()), redirect_stderr(err):
        patch.chdir(ROOT)  # the README's command is typed in the repository root
        with pytest.raises(SystemExit) as exited:
            main(["rank", "examples/城关镇", "-o", str(path), *extra])
    cli_output._console.cache_clear()
    return Run(int(exited.value.code or 0), err.getvalue(), path, openpyxl.load_workbook(path), before,
               digest(EXAMPLES))


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_readme(tmp_path_factory.mktemp("readme"))


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_readme(tmp_path_factory.mktemp("previous"), "--previous", "examples/城关镇-2025年结果.json")


def number(value: Any) -> Any:
    """Cells hold numbers; the tables hold the decimal strings worked out by hand."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Decimal(str(value))
    return value


def expect(values: tuple[Any, ...], *numbers: int) -> tuple[Any, ...]:
    """A table row with the points at positions ``numbers`` as Decimals."""
    return tuple(Decimal(v) if n in numbers and v is not None else v for n, v in enumerate(values))


def numbered(book: Workbook, sheet: str, first: str) -> list[tuple[int, dict[str, Any]]]:
    """The rows below the header row whose column A is ``first``: (sheet row, header → value)."""
    rows = list(book[sheet].iter_rows(values_only=True))
    start = next(n for n, row in enumerate(rows) if row[0] == first)
    header = rows[start]
    return [(start + n, {h: number(v) for h, v in zip(header, row, strict=True) if h})
            for n, row in enumerate(rows[start + 1:], 2)]


def table(book: Workbook, sheet: str, first: str) -> list[dict[str, Any]]:
    return [row for _, row in numbered(book, sheet, first)]


# --------------------------------------------------------------------------- the tests


def test_readme_command_fails_one_file_and_leaves_examples_alone(plain: Run) -> None:
    assert plain.code == 1  # 北岗村 cannot be scored
    assert "共 30 个文件：评定 29 个，未能评分 1 个。等级名单已写入" in plain.stderr
    assert plain.after == plain.before
    assert len(plain.before) == 37  # 35 workbooks, last year's results and the roster
    assert plain.book.sheetnames == ["等级名单", "评定结果", f"得分明细-{AG}", f"得分明细-{TN}", f"得分明细-{VL}", "扣分明细",
                                     "问题分析", "整改清单", "未能评分"]


def test_tier_list_rows_ranks_tiers_and_notes(plain: Run) -> None:
    rows = table(plain.book, "评定结果", "序号")
    assert [r["序号"] for r in rows] == list(range(1, 30))
    assert [tuple(r[c] for c in TIER_COLUMNS) for r in rows] == [expect(row, 5, 6) for row in TIER_LIST]
    assert {(r["所属乡镇（街道）"], r["考评年度"]) for r in rows} == {("城关镇", 2026)}
    assert "上年等级" not in rows[0]  # only with --previous


def test_ranks_read_in_order_within_each_group(plain: Run) -> None:
    rows = table(plain.book, "评定结果", "序号")
    for label in (AG, TN, VL):
        ranks = [r["排名"] for r in rows if r["评定标准"] == label]
        ranked = [r for r in ranks if r is not None]
        assert ranked == sorted(ranked) and ranks[: len(ranked)] == ranked, label  # held ones last


def test_printed_tier_list_by_tier_then_township_and_rank(plain: Run) -> None:
    rows = table(plain.book, "等级名单", "序号")
    # Tier by tier; within a tier one township, so by group (rubric id) and rank; the held case is not published.
    expected = [(row[2], row[3], row[7]) for tier in (A, B, C, D) for row in TIER_LIST if row[7] == tier]
    assert [(r["组织名称"], r["组织类别"], r["等级"]) for r in rows] == expected
    assert [r["序号"] for r in rows] == list(range(1, 29))
    assert {r["所属乡镇（街道）"] for r in rows} == {"城关镇"}
    assert list(rows[0]) == ["序号", "组织名称", "所属乡镇（街道）", "组织类别", "等级"]  # no internal column
    ws = plain.book["等级名单"]
    assert ws["A1"].value == "2026年度基层党组织争先创优评定等级名单"
    assert ws["A1"].alignment.horizontal == "center" and "A1:E1" in {str(r) for r in ws.merged_cells.ranges}


def test_printed_tier_list_is_a4_portrait_with_legible_text(plain: Run) -> None:
    ws = plain.book["等级名单"]
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "portrait")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert ws.print_title_rows == "$3:$3"  # the header row on every page
    # The sheet's own page total, planned with manual breaks (an office suite counts &N over the workbook).
    assert ws.oddFooter.center.text == "第 &P 页 共 1 页" and ws.page_setup.firstPageNumber in (None, 1)
    assert ws.page_setup.useFirstPageNumber
    sizes = {ws.cell(row, col).font.sz for row in range(3, ws.max_row + 1) for col in range(1, 6)}
    assert sizes == {12}  # 小四, header and body
    # The columns fit the portrait width at 100 %: fit-to-width never shrinks the text below 12 pt.
    # A column of width w is 7w + 5 pixels at 96 dpi (Calibri 11, the default font).
    pixels = sum(int(ws.column_dimensions[c].width * 7 + 5) for c in "ABCDE")
    printable = (210 - 2 * 0.4 * 25.4) / 25.4 * 96
    assert pixels <= printable


def test_tier_counts_per_group(plain: Run) -> None:
    top = [row[0] for row in plain.book["评定结果"].iter_rows(max_row=len(SUMMARY), values_only=True)]
    assert top == SUMMARY
    rows = list(plain.book["问题分析"].iter_rows(min_row=3, max_row=9, max_col=5, values_only=True))
    assert rows == [("等级", AG, TN, VL, "合计"), *DISTRIBUTION]


@pytest.mark.parametrize("name", sorted(DEDUCTIONS))
def test_deductions_with_links_to_the_evidence_cell(plain: Run, name: str) -> None:
    source, expected = DEDUCTIONS[name]
    rows = [(n, r) for n, r in numbered(plain.book, "扣分明细", "序号") if r["组织名称"] == name]
    got = [(r["类别"], r["项目"], r["扣分"], r["原因"], r["依据单元格"], r["填报值"]) for _, r in rows]
    assert got == [expect(row[:6], 2) for row in expected]
    assert {r["材料文件"] for _, r in rows} == {source}
    evidence = openpyxl.load_workbook(ROOT / source)["考评数据"]
    ws = plain.book["扣分明细"]
    for (n, _), (*_, cited, value, code) in zip(rows, expected, strict=True):
        cell = cited.split("!")[1].split(" ")[0]
        link = ws[f"J{n}"].hyperlink
        assert link.location == f"'考评数据'!{cell}"
        assert unquote(link.target) == str(PureWindowsPath(os.path.relpath(ROOT / source, plain.path.parent)))
        # The linked cell of the real file: the row of that field, holding the value shown.
        assert evidence[f"I{evidence[cell].row}"].value == code  # 编号, the last column
        assert str(evidence[cell].value) == value.split("\n")[0]


def test_every_deduction_is_listed_and_linked_to_its_own_file(plain: Run) -> None:
    rows = numbered(plain.book, "扣分明细", "序号")
    assert len(rows) == TOTAL_DEDUCTIONS + 1
    awards = [(r["组织名称"], r["项目"], r["扣分"], r["原因"]) for _, r in rows if r["扣分"] < 0]
    assert awards == [AWARD_ROW]
    # Each organization's rows add up to what it lost (100 − its total on 等级名单).
    totals = {r["组织名称"]: r["总分"] for r in table(plain.book, "评定结果", "序号")}
    lost: dict[str, Decimal] = {}
    for _, r in rows:
        lost[r["组织名称"]] = lost.get(r["组织名称"], Decimal(0)) + r["扣分"]
    assert lost == {name: 100 - total for name, total in totals.items() if total < 100}
    ws = plain.book["扣分明细"]
    for n, row in rows:
        link = ws[f"J{n}"].hyperlink
        target = unquote(link.target).replace("\\", "/")  # written with backslashes, as Excel does
        assert (plain.path.parent / target).resolve() == (ROOT / row["材料文件"]).resolve()
        sheet, cell = row["依据单元格"].split(" ")[0].split("!")  # 考评数据, or 基本信息 for 组织形式
        assert link.location == f"'{sheet}'!{cell}"


def test_rectification_block_of_a_weak_organization(plain: Run) -> None:
    rows = table(plain.book, "整改清单", "组织名称")
    assert list(dict.fromkeys(r["组织名称"] for r in rows)) == RECTIFY_ORDER
    block = [r for r in rows if r["组织名称"] == SHIMEN]
    assert {(r["所属乡镇（街道）"], r["等级"]) for r in block} == {("城关镇", D)}
    got = [(r["项目"], r["扣分"], r["存在问题"], r["依据单元格"], r["填报情况"]) for r in block]
    assert got == [expect(row[:5], 1) for row in SHIMEN_BLOCK]
    standards = {f"{c.id}.{i.id}": i.standard.strip() for c, i in resolve("village").items()}
    assert [r["考核评价标准"] for r in block] == [standards.get(row[5]) for row in SHIMEN_BLOCK]


def test_failed_file_sheet(plain: Run) -> None:
    rows = table(plain.book, "未能评分", "序号")
    assert [tuple(r.values()) for r in rows] == [FAILED_ROW]


def test_problem_analysis_has_native_charts(plain: Run) -> None:
    ws = plain.book["问题分析"]
    charts = ws._charts  # openpyxl reads the drawings back
    titles = [chart.title.tx.rich.p[0].r[0].t for chart in charts]
    assert titles == ["各等级组织数"] + [f"{label}：失分最多的项目（合计扣分）" for label in (AG, TN, VL)]
    assert [chart.tagname for chart in charts] == ["barChart"] * 4
    assert [s.val.numRef.f for s in charts[0].series] == [f"'问题分析'!${c}$4:${c}$8" for c in "BCD"]
    items = numbered(plain.book, "问题分析", "评定标准")
    for chart, label in zip(charts[1:], (AG, TN, VL), strict=True):
        rows = [n for n, r in items if r["评定标准"] == label][:10]
        assert chart.series[0].val.numRef.f == f"'问题分析'!$I${rows[0]}:$I${rows[-1]}"
    # 机关单位's costliest item, by hand: 党员教育培训 2 (中心小学) + 3 (卫生院) + 4 (机关第二)
    # + 5 (农业综合服务中心: 3 + 2) + 2 (退役军人服务站) = 16, five of the seven organizations.
    first = items[0][1]
    assert (first["评定标准"], first["名次"], first["项目"], first["适用组织数"], first["扣分组织数"],
            first["合计扣分"]) == (AG, 1, "党员教育培训", 7, 5, 16)


def test_previous_year_adds_last_tier_and_change(compared: Run) -> None:
    assert compared.code == 1
    assert compared.after == compared.before
    rows = table(compared.book, "评定结果", "序号")
    assert {r["组织名称"]: (r["上年等级"], r["变化"]) for r in rows} == PREVIOUS
    # The tiers themselves do not move without --step-promotion.
    assert [(r["组织名称"], r["等级"]) for r in rows] == [(row[2], row[7]) for row in TIER_LIST]
    lines = [row[0] for row in compared.book["评定结果"].iter_rows(max_row=len(SUMMARY) + 1, values_only=True)]
    assert lines[-1] == "与上年比较：升级 2 个、降级 3 个、持平 22 个、新参评 1 个"


def _page_texts(pdf: Path) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60)
    return done.stdout.decode().split("\f")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) 或 poppler 未安装")
def test_rendered_tier_list_is_at_most_two_portrait_pages(plain: Run, tmp_path: Path) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(plain.path)], capture_output=True, check=True, timeout=240)
    pdf = tmp_path / "等级名单.pdf"
    pages = _page_texts(pdf)
    # Each sheet numbers its own pages: the list's pages run up to the next “第 1 页”.
    first = [n for n, text in enumerate(pages) if re.search(r"第\s*1\s*页\s*共\s*\d+\s*页", text)]
    listed = first[1] - first[0]
    assert 1 <= listed <= 2
    total = re.search(r"第\s*1\s*页\s*共\s*(\d+)\s*页", pages[0])
    assert total is not None and int(total.group(1)) == listed  # 共 M 页 of this sheet, not of the workbook
    assert "城关镇机关第一党支部" in pages[0] and "后山村党支部" in "".join(pages[:listed])
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "1", str(pdf)], capture_output=True, check=True).stdout.decode()
    assert re.search(r"Page\s+1 size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info)  # portrait
    # The printed height of a name: 12 pt text (fit-to-width did not shrink it), at least 10.5 pt.
    bbox = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode()
    word = re.search(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">城关镇机关第一党支部<', bbox)
    assert word is not None and float(word.group(2)) - float(word.group(1)) >= 10.5 * 1.03
