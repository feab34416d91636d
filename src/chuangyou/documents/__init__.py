"""The documents a department issues after scoring, as Word files (python-docx):

- :func:`write_notice`: the 公示 notice in 公文 format (GB/T 9704-2012);
- :func:`write_feedback`: one 评定结果反馈表 per organization, and all of them in one file;
- :func:`write_rectify`: 整改通知书 for the weak organizations;
- :func:`load_config`: 公示.yaml, the title, issuer, date, contact and period a county sets once.

They read the same results as the workbook export (:func:`chuangyou.export.load_results`).
"""

from __future__ import annotations

from chuangyou.documents.config import DocConfig, load_config, split_tiers
from chuangyou.documents.feedback import write_feedback
from chuangyou.documents.notice import write_notice
from chuangyou.documents.rectify import write_rectify

__all__ = ["DocConfig", "load_config", "split_tiers", "write_feedback", "write_notice", "write_rectify"]
