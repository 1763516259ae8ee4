"""Drill time: the conventions every part of the engine shares about its one clock.

The clock is simpy's ``env.now``: minutes since the scenario's ``start``, a float. Times are
written to the log rounded to :data:`TIME_DECIMALS`, and two times closer than
:data:`EPS_MIN` are the same instant.
"""

from __future__ import annotations

TIME_DECIMALS = 4
"""Drill times are rounded to the log's precision so a replay uses exactly the logged times."""

EPS_MIN = 1e-6
"""Times closer than this are the same instant (float round-off of timeout arithmetic)."""

__all__ = ["EPS_MIN", "TIME_DECIMALS"]
