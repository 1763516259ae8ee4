"""Builders of the report's descriptive sections: the overview and the truth revealed.

Pure functions of the scenario (the variant this run played), the log and the message
catalogue. Numbers about the river come from the log's truth records — the same records
scoring reads — so the report and the scorecard can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from reports.describe import Names
from reports.i18n import Messages
from reports.variant import logged_variant
from reports.viewmodel import (
    AgencyRow,
    CellRow,
    KeyValue,
    Overview,
    SiteRow,
    SpillRow,
    TruthSection,
)
from scenarios.schema import Scenario
from scenarios.substances import substances_for
from sim.log import Kind, Log


def run_info(log: Log) -> dict[str, object]:
    """The ``run_started`` record's data (team, seed, driver, variant…)."""
    return dict(log[0].data)


def overview(scenario: Scenario, log: Log, names: Names, msgs: Messages) -> Overview:
    """Section 1: the drill, its scope, cells, objectives and agencies."""
    t = msgs.t
    lang = msgs.lang
    info = run_info(log)
    rivers = sorted({(r.river.get(lang) if r.river else names(r.id)) for r in scenario.reaches})
    length = sum(r.length_km for r in scenario.reaches)
    played = {a: c.name.get(lang) for c in scenario.cells for a in c.plays}
    facts = (
        KeyValue(t("overview.scenario"), scenario.title.get(lang)),
        KeyValue(t("overview.scenario_id"), scenario.id),
        KeyValue(t("overview.start"), scenario.start.strftime("%Y-%m-%d %H:%M")),
        KeyValue(t("overview.duration"), msgs.duration(scenario.duration)),
        KeyValue(
            t("overview.scope"),
            t(
                "overview.scope_text",
                rivers=msgs.t("common.list_sep").join(rivers),
                km=f"{length:g}",
                n=len(scenario.reaches),
            ),
        ),
        KeyValue(
            t("overview.jurisdictions"),
            join_names([j.name.get(lang) for j in scenario.jurisdictions], msgs),
        ),
        KeyValue(t("overview.team"), str(info.get("team") or t("common.none"))),
        KeyValue(t("overview.seed"), str(info.get("seed", scenario.seed))),
        KeyValue(t("overview.driver"), names.enum("driver", info.get("driver", ""))),
    )
    cells = tuple(
        CellRow(
            c.name.get(lang),
            join_names([names(a) for a in c.plays], msgs),
            names(c.jurisdiction)
            if c.jurisdiction
            else names(_first_jurisdiction(scenario, c.plays)),
        )
        for c in scenario.cells
    )
    agencies = tuple(
        AgencyRow(
            names(a.id),
            names.enum("agency_kind", a.kind),
            names(a.jurisdiction),
            join_names([names.enum("task", cap) for cap in a.capabilities], msgs)
            or t("common.none"),
            played.get(a.id, t("overview.simulated")),
        )
        for a in scenario.agencies
    )
    description = scenario.description.get(lang) if scenario.description else ""
    return Overview(
        facts, description, tuple(o.get(lang) for o in scenario.objectives), cells, agencies
    )


def _first_jurisdiction(scenario: Scenario, plays: Sequence[str]) -> str | None:
    agencies = {a.id: a for a in scenario.agencies}
    return next((agencies[a].jurisdiction for a in plays if a in agencies), None)


def join_names(items: Sequence[str], msgs: Messages) -> str:
    """Names joined in the reader's list style (``甲、乙`` / ``A, B``)."""
    return msgs.t("common.list_sep").join(items)


def truth_section(scenario: Scenario, log: Log, names: Names, msgs: Messages) -> TruthSection:
    """Section 2: spills, what reached each site and when, and the true level."""
    t = msgs.t
    lang = msgs.lang
    table = substances_for(scenario)
    spills = []
    for record in log.of_kind(Kind.truth_spill):
        d = record.data
        substance = table.get(str(d.get("substance")))
        spills.append(
            SpillRow(
                substance=names.substance(d.get("substance")),
                place=t("truth.place", reach=names(d.get("reach")), km=msgs.number(d.get("km"), 4)),
                mass_t=msgs.number(float(d.get("mass_kg") or 0) / 1000.0),
                start=t(
                    "truth.start_at",
                    t_plus=msgs.t_plus(record.t_min),
                    clock=msgs.clock(scenario.start, record.t_min),
                ),
                duration=msgs.duration(float(d.get("duration_min") or 0)),
                standard=t(
                    "truth.standard",
                    value=msgs.number(substance.standard_mg_l),
                    source=substance.standard,
                )
                if substance
                else t("common.none"),
            )
        )
    per_site = _site_facts(log)
    end_min = log.records[-1].t_min
    sites = []
    for site in scenario.sites:
        facts = per_site.get(site.id, {})
        place = msgs.t("truth.site_place", reach=names(site.reach), km=f"{site.km:g}")
        sites.append(
            _site_row(site.id, site.kind.value, place, facts, end_min, names, msgs, scenario.start)
        )
    variant = logged_variant(log)
    level_records = log.of_kind(Kind.truth_level)
    level = level_records[-1].data if level_records else {}
    reasons = tuple(bitext_reason(r, lang) for r in level.get("reasons") or ())
    declared = [
        r
        for r in log.of_kind(Kind.action_taken)
        if (r.data.get("action") or {}).get("kind") == "declare_level"
    ]
    declared_level = (
        str(declared[-1].data["action"].get("level")) if declared else t("truth.not_declared")
    )
    reached = [r for r in sites if r.arrival != t("common.none")]
    summary = t(
        "truth.summary",
        n_sites=len(reached),
        n_exceeded=sum(1 for r in sites if r.exceeded),
        n_delivered=sum(1 for r in sites if r.delivered_bad),
        level=level.get("level", t("common.none")),
    )
    return TruthSection(
        summary=summary,
        spills=tuple(spills),
        variant=tuple(KeyValue(str(k), _variant_value(v, msgs)) for k, v in dict(variant).items()),
        sites=tuple(sites),
        true_level=str(level.get("level", t("common.none"))),
        level_reasons=reasons,
        declared_level=declared_level,
    )


def bitext_reason(reason: object, lang: str) -> str:
    """A level reason ``{criterion, level, zh, en}`` as one line."""
    if isinstance(reason, dict):
        text = reason.get(lang) or reason.get("zh") or reason.get("criterion") or ""
        return f"{reason.get('level', '')}: {text}" if reason.get("level") else str(text)
    return str(reason)


def _variant_value(value: object, msgs: Messages) -> str:
    if isinstance(value, float):
        return msgs.number(value, 4)
    return str(value)


def _site_facts(log: Log) -> dict[str, dict[str, object]]:
    """Per site: arrival, peak, exceedance windows and delivered windows from truth records."""
    facts: dict[str, dict[str, object]] = defaultdict(lambda: {"windows": [], "delivered": []})
    for r in log:
        if not r.kind.is_truth or "site" not in r.data:
            continue
        site = facts[str(r.data["site"])]
        if r.kind is Kind.truth_arrival:
            site.setdefault("arrival", r.t_min)
        elif r.kind is Kind.truth_peak:
            # Peaks are logged at the end of the run; ``at_min`` says when they happened.
            site["peak_min"] = r.data.get("at_min", r.t_min)
            site["peak"] = r.data.get("value_mg_l")
            site["standard"] = r.data.get("standard_mg_l")
        elif r.kind is Kind.truth_exceedance_start:
            site["windows"].append([r.t_min, None])  # type: ignore[attr-defined]
        elif r.kind is Kind.truth_exceedance_end and site["windows"]:
            site["windows"][-1][1] = r.t_min  # type: ignore[index]
        elif r.kind is Kind.truth_intake_polluted:
            if r.data.get("phase") == "end" and site["delivered"]:
                site["delivered"][-1][1] = r.t_min  # type: ignore[index]
            elif r.data.get("phase") != "end":
                site["delivered"].append([r.t_min, None])  # type: ignore[attr-defined]
    return facts


def _windows_minutes(windows: list[list[float | None]], end_min: float) -> float:
    return sum((b if b is not None else end_min) - a for a, b in windows if a is not None)


def _site_row(
    site: str,
    kind: str,
    km: str,
    facts: dict[str, object],
    end: float,
    names: Names,
    msgs: Messages,
    start: datetime,
) -> SiteRow:
    t = msgs.t
    none = t("common.none")
    windows = facts.get("windows") or []
    delivered = facts.get("delivered") or []
    peak = facts.get("peak")
    std = facts.get("standard")
    factor = none
    if peak is not None and std:
        over = (float(peak) - float(std)) / float(std)  # type: ignore[arg-type]
        factor = t("truth.factor", n=f"{over:.1f}") if over > 0 else t("truth.below")
    exceedance = none
    if windows:
        first = windows[0][0]  # type: ignore[index]
        last = windows[-1][1]  # type: ignore[index]
        exceedance = t(
            "truth.window",
            start=msgs.t_plus(first),
            end=msgs.t_plus(last) if last is not None else t("truth.open_end"),
            total=msgs.duration(_windows_minutes(windows, end)) if last is not None else "",  # type: ignore[arg-type]
        )
    delivered_text = none
    delivered_bad = False
    if kind == "intake":
        minutes = _windows_minutes(delivered, end) if delivered else 0.0  # type: ignore[arg-type]
        delivered_bad = bool(delivered)
        delivered_text = msgs.duration(minutes) if delivered else t("truth.delivered_none")
    arrival = facts.get("arrival")
    peak_min = facts.get("peak_min")
    return SiteRow(
        site=names(site),
        kind=names.enum("site_kind", kind),
        km=km,
        arrival=_when(arrival, msgs, start),
        peak_time=_when(peak_min, msgs, start),
        peak=msgs.number(float(peak)) if peak is not None else none,  # type: ignore[arg-type]
        factor=factor,
        exceedance=exceedance,
        delivered=delivered_text,
        exceeded=bool(windows),
        delivered_bad=delivered_bad,
    )


def _when(minutes: object, msgs: Messages, start: datetime) -> str:
    if minutes is None:
        return msgs.t("common.none")
    value = float(minutes)  # type: ignore[arg-type]
    return msgs.t(
        "common.time_and_clock", t_plus=msgs.t_plus(value), clock=msgs.clock(start, value)
    )


__all__ = ["bitext_reason", "join_names", "overview", "run_info", "truth_section"]
