"""What numbers a rubric may hold (plain decimal notation, within a bounded range) and how a
place in a rubric is named.

Shared by the YAML loader (chuangyou.yamlio), the rubric model, its checks and the condition
language; kept apart from yamlio so that a rubric taken from the cache (no YAML) and the
compiling of its conditions do not import PyYAML.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: A place in a rubric document: its keys and list positions ("categories", 0, "items", 2).
PathKey = tuple[str | int, ...]

# A number in plain decimal notation, with an optional exponent (YAML 1.2's, without 1.1's
# octal, hexadecimal, sexagesimal and underscores).
DECIMAL_TEXT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# What any number of a rubric can mean: points, thresholds, shares, deductions.
MAX_DIGITS = 28
MIN_EXPONENT, MAX_EXPONENT = -30, 15


def number_problem(number: Decimal) -> bool:
    """Whether a rubric number is outside what a rubric can mean (1.0e+999999999 is a
    finite Decimal, but any sum with it overflows)."""
    return bool(number) and not MIN_EXPONENT <= number.adjusted() <= MAX_EXPONENT or len(number.as_tuple().digits) > MAX_DIGITS
