"""The command line's wall-clock limit: ``microbp.deadline.time_limit`` (kept importable from here).

>>> with time_limit(5, "too slow"):
...     sum(range(10))
45
"""

from __future__ import annotations

from ..deadline import YEAR, time_limit

__all__ = ["YEAR", "time_limit"]
