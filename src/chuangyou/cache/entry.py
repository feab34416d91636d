"""The bytes of one cache entry, and reading them back without trusting them.

An entry is one file::

    chuangyou-cache <FORMAT> <crc32 of the body, hex> <length of the body>\\n
    <meta: one line of JSON>\\n
    <the card's JSON as it stands in the batch JSON's ``results`` (batch.IN_RESULTS)>

The header's length and CRC catch a truncated or damaged file (a crash, a full disk, a
foreign file); the meta says which workbook, which bytes and which context the result is
for, and carries the summary fields ranking needs, so a hit costs no parsing of the card.
Whatever does not check out is a miss: the file is scored again and the entry rewritten.
No pickle: an entry is data, never code.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal
from typing import Any

MAGIC = b"chuangyou-cache"
FORMAT = 1


class BadEntry(ValueError):
    """The file is not a valid entry of this format (truncated, damaged, foreign)."""


def encode(meta: dict[str, Any], blob: bytes) -> bytes:
    body = json.dumps(meta, ensure_ascii=True, separators=(",", ":")).encode() + b"\n" + blob
    return b"%s %d %08x %d\n" % (MAGIC, FORMAT, zlib.crc32(body), len(body)) + body


def decode(raw: bytes) -> tuple[dict[str, Any], bytes]:
    """(meta, card blob) of an entry, or BadEntry."""
    end = raw.find(b"\n", 0, 80)
    parts = raw[:end].split(b" ") if end > 0 else []
    if len(parts) != 4 or parts[0] != MAGIC or parts[1] != b"%d" % FORMAT:
        raise BadEntry("not an entry of this format")
    body = memoryview(raw)[end + 1 :]
    try:
        crc, length = int(parts[2], 16), int(parts[3])
    except ValueError:
        raise BadEntry("damaged header") from None
    if len(body) != length or zlib.crc32(body) != crc:
        raise BadEntry("truncated or damaged")
    split = raw.find(b"\n", end + 1)
    meta = json.loads(raw[end + 1 : split])
    if not isinstance(meta, dict):
        raise BadEntry("meta is not an object")
    return meta, raw[split + 1 :]


# --- the summary fields of batch.compact, as JSON ------------------------------------------

_DECIMALS = (3, 4, 5)  # total, self_total, verified_total


def summary_json(summary: tuple[Any, ...]) -> list[Any]:
    out: list[Any] = list(summary)
    for i in _DECIMALS:
        out[i] = str(summary[i])  # str keeps Decimal("9.50") apart from Decimal("9.5")
    return out


def summary_from_json(data: Any) -> tuple[Any, ...]:
    """Back to batch.compact's tuple; BadEntry when it has not that shape."""
    try:
        org, rubric, source, total, self_total, verified, tier, threshold, held, vetoes, flags, warnings = data
        if not (isinstance(org, dict) and all(isinstance(k, str) for k in org)):
            raise BadEntry("organization")
        if not (isinstance(held, bool) and all(isinstance(t, str) for t in (source, tier, threshold))):
            raise BadEntry("fields")
        return (
            org, tuple(_texts(rubric, 4)), source, Decimal(total), Decimal(self_total), Decimal(verified),
            tier, threshold, held, tuple(tuple(_optional_texts(v, 3)) for v in vetoes),
            tuple(tuple(_texts(f, 2)) for f in flags), tuple(_texts(warnings, len(warnings))),
        )
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise BadEntry(f"summary: {exc}") from None


def _texts(values: Any, count: int) -> list[str]:
    if not isinstance(values, list) or len(values) != count or not all(isinstance(v, str) for v in values):
        raise BadEntry("texts")
    return values


def _optional_texts(values: Any, count: int) -> list[str | None]:
    if not isinstance(values, list) or len(values) != count or not all(v is None or isinstance(v, str) for v in values):
        raise BadEntry("texts")
    return values
