"""The layout of a run directory, as ``riverdrill run`` writes it.

``events.jsonl`` is the event log (the only output of the engine); ``run.json`` records what
was run (scenario path and SHA-256, seed, driver, team) so the run can be replayed, rescored
and reported without retyping; ``scorecard.json`` and ``report.html`` are written beside them
by scoring and reports, with ``whatif.json`` and ``curves.json``: the report's what-if
re-runs and chart curves, stamped with what they were computed from, so a later report need
not run the engine again. Every reader of a run directory takes the names from here.
"""

EVENTS_FILE = "events.jsonl"
RUN_FILE = "run.json"
SCORECARD_FILE = "scorecard.json"
REPORT_FILE = "report.html"
WHATIF_FILE = "whatif.json"
CURVES_FILE = "curves.json"
