"""Charts are well-formed SVG, escape their labels and place labels without overlaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from reports.charts import Mark, SitePanel, concentration_chart
from reports.i18n import Messages
from reports.spacetime import SpaceTime, site_codes, space_time_chart
from reports.svg import nice_ticks, stagger
from reports.timecharts import (
    LatencyRow,
    LostRow,
    latency_chart,
    minutes_lost_chart,
    timeline_chart,
)

ZH = Messages("zh")
EVIL = "<b>&\"'</b>"


def _panel(
    site: str = "s1", peak: float = 1.0, std: float = 0.1, title: str = "取水口"
) -> SitePanel:
    t = tuple(float(m) for m in range(0, 1441, 10))
    c = tuple(peak * max(0.0, 1 - abs(m - 600) / 200) for m in t)
    return SitePanel(
        site, title, "intake", t, c, std, closed=((500.0, 900.0),), held=((100.0, 200.0),)
    )


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_concentration_chart_is_valid_svg_with_one_panel_per_site() -> None:
    marks = [Mark(1, 30, "reveal", "x"), Mark(2, 500, "intake", "y", 7, "s1")]
    svg = concentration_chart([_panel("a"), _panel("b", peak=50)], marks, 1440, ZH)
    root = _parse(svg)
    texts = [t.text for t in root.iter("text")]
    assert texts.count("取水口") == 2
    assert "浓度（mg/L，对数）" in texts  # a peak 500× the standard gets a log axis
    assert "取水口关闭" in texts and "闸坝蓄水" in texts


def test_many_sites_are_drawn_in_two_columns() -> None:
    svg = concentration_chart([_panel(str(i)) for i in range(10)], [], 1440, ZH)
    root = _parse(svg)
    lefts = {r.get("x") for r in root.iter("rect") if r.get("fill") == "#fbfcfd"}
    assert len(lefts) == 2


def test_labels_are_escaped_in_every_chart() -> None:
    space = SpaceTime(
        (0.0, 1.0, 2.0),
        (0.0, 60.0),
        ((0.0, 2.0, 0.5), (0.2, 11.0, 0.0)),
        ((1.0, EVIL, "boundary"),),
    )
    charts = [
        concentration_chart([_panel(title=EVIL)], [Mark(1, 30, "gate", EVIL)], 1440, ZH),
        space_time_chart(space, 120, ZH),
        minutes_lost_chart([LostRow(EVIL, 50, 30, "+20")], ZH),
        latency_chart([LatencyRow(EVIL, 30, ((EVIL, 10.0), ("b", None)))], ZH),
        timeline_chart([("info", EVIL)], [(10.0, "info")], [Mark(1, 5, "reveal", EVIL)], 120, ZH),
    ]
    for svg in charts:
        _parse(svg)  # raises on broken markup
        assert "<b>" not in svg


def test_space_time_merges_runs_of_one_colour_into_one_rect() -> None:
    row = tuple([3.0] * 50 + [0.0] * 50)
    data = SpaceTime(tuple(float(i) for i in range(100)), (0.0,), (row,))
    rects = [
        r for r in _parse(space_time_chart(data, 60, ZH)).iter("rect") if r.get("fill") == "#e35d48"
    ]
    assert len(rects) == 2  # the one band, plus its legend swatch


def test_site_codes_run_past_z() -> None:
    codes = site_codes(30)
    assert codes[:3] == ["A", "B", "C"] and codes[26] == "AA" and len(set(codes)) == 30


@given(st.floats(0, 1e4), st.floats(0.001, 1e4))
def test_nice_ticks_cover_the_range_in_even_steps(low: float, span: float) -> None:
    ticks = nice_ticks(low, low + span)
    slack = span * 1e-6  # ticks may sit on the range's ends up to round-off
    assert ticks and ticks[0] >= low - slack and ticks[-1] <= low + span + slack
    steps = {round(b - a, 6) for a, b in pairwise(ticks)}
    assert len(steps) <= 1 or max(steps) - min(steps) < 1e-6 * max(steps)


@given(st.lists(st.floats(0, 700), max_size=6))
def test_staggered_labels_never_collide_when_rows_suffice(xs: list[float]) -> None:
    xs = sorted(xs)
    rows = stagger(xs, 16.0, rows=len(xs) or 1)
    for row in set(rows):
        placed = [x for x, r in zip(xs, rows, strict=True) if r == row]
        assert all(b - a >= 16.0 for a, b in pairwise(placed))


def test_the_timeline_of_a_drill_ended_early_ends_where_the_drill_ended() -> None:
    """Like the concentration and space-time charts (``reports.truth.run_truth``): a drill
    the controller ended at 10 h is drawn over 10 h, not over the scenario's 24 h."""
    from test_reports_fixtures import never_closed_ended_at_600, tutorial

    from reports.describe import Names
    from reports.timeline import timeline

    scenario = tutorial()
    [cell] = timeline(scenario, never_closed_ended_at_600(), Names(scenario, ZH), ZH, [])
    svg = str(cell.chart)
    hours = [ZH.t("chart.hour_tick", h=h) for h in (10, 12)]
    assert f">{hours[0]}</text>" in svg
    assert f">{hours[1]}</text>" not in svg
