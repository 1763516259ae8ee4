"""One sentence per log record, in the reader's language, with ids turned into names.

The timeline and the appendix say what happened in words ("电话向市生态环境局报送初报（III
级）") rather than record kinds. Every phrase comes from the message catalogue; team-entered
text (notes, report content, published text) is passed through as plain ``str`` and escaped by
the template, never marked safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.i18n import Messages
from scenarios.schema import Scenario
from scenarios.substances import substances_for
from scenarios.types import Text
from sim.log import Kind, Record


def bitext(value: Any, lang: str) -> str:
    """Text from a ``{zh, en}`` mapping, a :class:`Text` or a plain string."""
    if value is None:
        return ""
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Mapping):
        if lang == "en" and value.get("en"):
            return str(value["en"])
        return str(value.get("zh") or value.get("en") or "")
    return str(value)


class Names:
    """Display names of a scenario's ids in one language; unknown ids are shown as is."""

    def __init__(self, scenario: Scenario, msgs: Messages) -> None:
        lang = msgs.lang
        self.msgs = msgs
        table: dict[str, str] = {}
        for j in scenario.jurisdictions:
            table[j.id] = j.name.get(lang)
        for s in scenario.sites:
            table[s.id] = s.name.get(lang) if s.name else s.id
        for a in scenario.agencies:
            table[a.id] = (
                a.name.get(lang)
                if a.name
                else self._agency_fallback(a.id, a.kind, a.jurisdiction, table)
            )
        for c in scenario.cells:
            table[c.id] = c.name.get(lang)
        for r in scenario.reaches:
            label = r.name or r.river
            table[r.id] = label.get(lang) if label else r.id
        self.substances = {k: v.name.get(lang) for k, v in substances_for(scenario).items()}
        self.standards = {k: v.standard_mg_l for k, v in substances_for(scenario).items()}
        self._table = table

    def _agency_fallback(
        self, agency: str, kind: str, jurisdiction: str, table: dict[str, str]
    ) -> str:
        place = table.get(jurisdiction, jurisdiction)
        return self.msgs.t("agency_name", place=place, kind=self.msgs.t(f"agency_kind.{kind}"))

    def __call__(self, ident: object) -> str:
        if ident is None:
            return self.msgs.t("common.none")
        return self._table.get(str(ident), str(ident))

    def substance(self, ident: object) -> str:
        """Name of a substance id."""
        return self.substances.get(str(ident), str(ident))

    def enum(self, group: str, value: object) -> str:
        """Catalogue label of an enum value (``task.dosing``), or the value when unlisted."""
        key = f"{group}.{value}"
        return self.msgs.t(key) if self.msgs.has(key) else str(value)


_CONTENT_TEXT_FIELDS = (
    "place",
    "pollutant",
    "measures",
    "cause",
    "course",
    "trend",
    "planned",
    "advice",
)


def _content(data: Mapping[str, Any], sep: str) -> str:
    """Team-written report content, joined: shown verbatim (escaped by the template)."""
    content = data.get("content") or {}
    return sep.join(str(content[k]) for k in _CONTENT_TEXT_FIELDS if content.get(k))


def describe_action(action: Mapping[str, Any], names: Names, *, brief: bool = False) -> str:
    """The sentence for one action as written in an ``action_taken`` record.

    Args:
        action: The action's data.
        names: Display names.
        brief: Leave out what the team wrote (report content), for what-if sentences.
    """
    t = names.msgs.t
    kind = action.get("kind", "")
    channel = names.enum("by_channel", action.get("channel", ""))
    if kind == "report":
        text = t(
            "act.report",
            channel=channel,
            to=names(action.get("to")),
            report=names.enum("report_kind", action.get("report", "initial")),
        )
        if action.get("level"):
            text += t("act.with_level", level=action["level"])
        elements = len(
            [v for v in (action.get("content") or {}).values() if v not in (None, "", False)]
        )
        if brief:
            return text
        if elements:
            text += t("act.elements", n=elements)
        written = _content(action, t("common.item_sep"))
        return text + (t("act.quote", text=written) if written else "")
    if kind == "notify":
        return t("act.notify", channel=channel, target=names(action.get("target")))
    if kind == "request":
        text = t(
            "act.request",
            agency=names(action.get("agency")),
            task=names.enum("task", action.get("task")),
            site=names(action.get("site")) if action.get("site") else t("act.no_site"),
        )
        if action.get("every"):
            text += t("act.every", every=names.msgs.duration(float(action["every"])))
        return text
    if kind in ("declare_level", "activate_plan"):
        level = action.get("level")
        return t(f"act.{kind}", level=level or t("common.none"))
    if kind == "publish":
        where = names.enum("publish_channel", action.get("channel", "website"))
        published = bitext(action.get("text"), names.msgs.lang)
        if brief or not published:
            return t("act.publish_plain", channel=where)
        return t("act.publish", channel=where, text=published)
    if kind in ("arrive_scene", "investigate"):
        if action.get("site"):
            return t(f"act.{kind}_at", site=names(action.get("site")))
        return t(f"act.{kind}")
    if kind == "consult_expert":
        return t("act.consult_expert", topic=action.get("topic", ""))
    if kind == "message":
        return t(
            "act.message",
            to=names(action.get("to")),
            text=bitext(action.get("text"), names.msgs.lang),
        )
    if kind == "note":
        return t("act.note", text=action.get("text", ""))
    return t("act.other", kind=kind)


def _effect(effect: Mapping[str, Any], names: Names) -> str:
    t = names.msgs.t
    if "hold_until_min" in effect:
        return t("effect.hold", until=names.msgs.t_plus(float(effect["hold_until_min"])))
    if "ready_min" in effect:
        share = round(100 * float(effect.get("efficiency") or 0))
        return t("effect.ready", pct=share)
    if "diverting_from_min" in effect:
        return t("effect.diverting", volume=names.msgs.number(float(effect.get("volume_m3") or 0)))
    if "extra_discharge_m3s" in effect:
        return t("effect.release", q=names.msgs.number(float(effect["extra_discharge_m3s"])))
    if "stopped_spills" in effect:
        return t("effect.stopped")
    if "closed" in effect:
        return t("effect.intake_closed" if effect["closed"] else "effect.intake_reopened")
    return ""


def describe(record: Record, names: Names) -> str:
    """The sentence for any record of the log."""
    t = names.msgs.t
    lang = names.msgs.lang
    d = record.data
    k = record.kind
    task = names.enum("task", d.get("task")) if d.get("task") else ""
    site = names(d.get("site")) if d.get("site") else ""
    agency = names(d.get("agency") or record.actor)
    if k is Kind.run_started:
        return t(
            "rec.run_started",
            seed=d.get("seed", ""),
            driver=names.enum("driver", d.get("driver", "")),
        )
    if k is Kind.run_ended:
        return t("rec.run_ended", reason=names.enum("end_reason", d.get("reason", "")))
    if k is Kind.inject_delivered:
        sender = bitext(d.get("from"), lang) or record.actor or ""
        return t(
            "rec.inject",
            channel=names.enum("channel", d.get("channel", "")),
            sender=sender,
            text=bitext(d.get("text"), lang),
        )
    if k is Kind.message_delivered:
        return t(
            "rec.message",
            sender=names(d.get("from_cell") or record.actor),
            text=bitext(d.get("text"), lang),
        )
    if k is Kind.action_taken:
        return describe_action(d.get("action") or {}, names)
    if k is Kind.action_refused:
        return t(
            "rec.action_refused",
            action=describe_action(d.get("action") or {}, names),
            reason=bitext(d.get("reason"), lang),
        )
    if k is Kind.request_accepted:
        eta = d.get("eta_min")
        return t(
            "rec.request_accepted",
            agency=agency,
            task=task,
            eta=names.msgs.t_plus(float(eta)) if eta is not None else t("common.none"),
        )
    if k is Kind.request_refused:
        return t(
            "rec.request_refused", agency=agency, task=task, reason=bitext(d.get("reason"), lang)
        )
    if k is Kind.task_started:
        return t("rec.task_started", agency=agency, task=task, site=site)
    if k is Kind.task_completed:
        return t("rec.task_completed", agency=agency, task=task, site=site) + _effect(
            d.get("effect") or {}, names
        )
    if k is Kind.task_failed:
        return t("rec.task_failed", agency=agency, task=task, reason=bitext(d.get("reason"), lang))
    if k is Kind.sample_taken:
        return t("rec.sample_taken", agency=agency, site=site)
    if k is Kind.result_delivered:
        return _result(d, names)
    if k in (Kind.clock_paused, Kind.clock_resumed):
        return t(f"rec.{k.value}")
    return _truth(record, names)


def _result(d: Mapping[str, Any], names: Names) -> str:
    t = names.msgs.t
    value = d.get("value_mg_l")
    substance = names.substance(d.get("substance"))
    common = {
        "site": names(d.get("site")),
        "substance": substance,
        "sampled": names.msgs.t_plus(float(d.get("sampled_at_min") or 0)),
        "method": names.enum("method", d.get("method", "field")),
    }
    if value is None:
        return t("rec.result_nd", dl=names.msgs.number(d.get("detection_limit_mg_l")), **common)
    standard = names.standards.get(str(d.get("substance")))
    ratio = f"{float(value) / standard:.1f}" if standard else t("common.none")
    return t("rec.result", value=names.msgs.number(float(value)), ratio=ratio, **common)


def _truth(record: Record, names: Names) -> str:
    t = names.msgs.t
    d = record.data
    site = names(d.get("site")) if d.get("site") else ""
    k = record.kind
    if k is Kind.truth_spill:
        return t(
            "rec.truth_spill",
            substance=names.substance(d.get("substance")),
            mass_t=names.msgs.number(float(d.get("mass_kg") or 0) / 1000.0),
            reach=names(d.get("reach")),
            km=names.msgs.number(d.get("km"), 4),
        )
    if k is Kind.truth_arrival:
        return t("rec.truth_arrival", site=site)
    if k is Kind.truth_peak:
        value = float(d.get("value_mg_l") or 0.0)
        std = float(d.get("standard_mg_l") or 0.0)
        ratio = f"{value / std:.1f}" if std else t("common.none")
        return t("rec.truth_peak", site=site, value=names.msgs.number(value), ratio=ratio)
    if k is Kind.truth_exceedance_start:
        return t("rec.truth_exceedance_start", site=site)
    if k is Kind.truth_exceedance_end:
        return t("rec.truth_exceedance_end", site=site)
    if k is Kind.truth_intake_polluted:
        return t(f"rec.truth_intake_polluted_{d.get('phase', 'start')}", site=site)
    if k is Kind.truth_level:
        return t("rec.truth_level", level=d.get("level", ""))
    if k is Kind.truth_variant:
        return t("rec.truth_variant")
    if k is Kind.truth_intervention:
        what = names.enum("intervention", d.get("type", ""))
        where = site or (names(d.get("reach")) if d.get("reach") else "")
        return t("rec.truth_intervention", what=f"{what} {where}".strip())
    return t("rec.other", kind=k.value)


__all__ = ["Names", "bitext", "describe", "describe_action"]
