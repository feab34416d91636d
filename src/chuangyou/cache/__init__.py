"""The result cache: reruns read unchanged workbooks' results instead of scoring them again.

As ruff and pytest cache: in the user's cache folder (``CHUANGYOU_CACHE_DIR`` to override),
bypassed with ``--no-cache``, shown and emptied with ``chuangyou cache info|clear``. A cache,
never a source of truth: whatever does not check out is scored again.
"""

from chuangyou.cache.location import ENV_DIR, Unusable, cache_root, open_results
from chuangyou.cache.results import Hit, ResultCache, Stamp

__all__ = ["ENV_DIR", "Hit", "ResultCache", "Stamp", "Unusable", "cache_root", "open_results"]
