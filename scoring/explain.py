"""Every score line explains itself, in Chinese and English.

"书面报告于 T+74 分钟报送（获知事件后 49 分钟），时限 60 分钟，得 10/10" /
"Written report at T+74 min (49 min after learning of the incident), limit 60 min: 10/10".
``T+`` is drill time (``t_min``); the parenthesis is the time counted against the limit.

The sentences are in the catalogue ``scoring/messages/{zh,en}.yaml`` (``scoring.wording``);
here each line is written once per language, ``say`` being that language's templates by key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, assert_never

from scenarios.types import Text
from scoring.criteria import Evaluation, Reason
from scoring.rubric import Criterion, Penalty
from scoring.wording import messages

Say = Mapping[str, str]
"""One language's message templates by key (``scenarios.catalogue.Catalogue.table``)."""

_TIMED_REASONS = frozenset({Reason.done, Reason.not_done, Reason.coverage})
"""The reasons whose lines state drill times and the time limit."""

NotApplicable = Literal[
    Reason.other_cells,
    Reason.other_roles,
    Reason.other_level,
    Reason.no_agency,
    Reason.no_addressee,
    Reason.no_downstream,
    Reason.no_sites,
    Reason.no_incident,
    Reason.no_start,
    Reason.truth_before_start,
    Reason.ended_before_limit,
    Reason.not_in_log,
]
"""The reasons of a criterion that does not apply, worded by :func:`_not_applicable`."""


def num(value: float | None) -> str:
    """A number as trainers write it: at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    return f"{round(value, 2):g}"


def minutes(value: float | None) -> str:
    """Minutes to one decimal (drill times are recorded to 1e-4 min)."""
    if value is None:
        return "—"
    return f"{round(value, 1):g}"


def label(ident: str, names: Mapping[str, Text], lang: str) -> str:
    """The name of a site or jurisdiction in ``lang`` (its id when the scenario names none)."""
    name = names.get(ident)
    return name.get(lang) if name is not None else ident


def _score(earned: float | None, most: float) -> str:
    return f"{num(earned or 0.0)}/{num(most)}"


def _one_of(say: Say, section: str, value: Any) -> str:
    """The message ``section.<value>``, or ``section.default`` for a value it does not name."""
    return say.get(f"{section}.{value}", say[f"{section}.default"])


def _listed(say: Say, idents: Iterable[str], names: Mapping[str, Text], lang: str) -> str:
    return say["list_sep"].join(label(x, names, lang) for x in idents)


def _clause(say: Say, key: str, idents: list[str], names: Mapping[str, Text], lang: str) -> str:
    """The clause ``key`` naming ``idents`` (", missing A, B"); nothing when there are none."""
    return say[key].format(sites=_listed(say, idents, names, lang)) if idents else ""


def _times(ev: Evaluation) -> dict[str, str]:
    """The minutes a timed evaluation states, as shown: the same in every language, so
    written once per line rather than once per language."""
    d = ev.detail
    return {
        "at": minutes(ev.at_min),
        "elapsed": minutes(ev.elapsed_min),
        "limit": minutes(ev.limit_min),
        "end": minutes(d.get("end_min")),
        "truth": minutes(d.get("truth_min")),
        "margin": minutes(d.get("margin")),
    }


def _limit_text(
    say: Say, ev: Evaluation, times: Mapping[str, str], names: Mapping[str, Text], lang: str
) -> str:
    d = ev.detail
    if ev.limit_min is None:
        return say["limit.none"]
    text = say["limit.within"].format(limit=times["limit"])
    if "truth_min" in d:
        text += say["limit.plume_ahead" if d.get("margin") else "limit.plume"].format(
            truth=times["truth"], place=label(d["place"], names, lang), margin=times["margin"]
        )
    if d.get("level"):
        raised_by = d.get("raised_by")
        text += say["limit.level_raised" if raised_by else "limit.level"].format(
            level=d["level"], raised_by=say["list_sep"].join(raised_by or ())
        )
    return text


def criterion_sentence(
    criterion: Criterion,
    ev: Evaluation,
    earned: float | None,
    most: float,
    names: Mapping[str, Text] | None = None,
) -> Text:
    """The sentence of one criterion's score line; ``names`` gives sites and jurisdictions
    their names in place of ids."""
    names = names or {}
    title, score = criterion.title, _score(earned, most)
    times = _times(ev) if ev.reason in _TIMED_REASONS else {}
    return Text(
        zh=_criterion_line(title.get("zh"), ev, score, times, names, "zh"),
        en=_criterion_line(title.get("en"), ev, score, times, names, "en"),
    )


def _criterion_line(
    name: str,
    ev: Evaluation,
    score: str,
    times: Mapping[str, str],
    names: Mapping[str, Text],
    lang: str,
) -> str:
    say = messages().table(lang)
    d: Mapping[str, Any] = ev.detail
    reason = ev.reason
    if reason is Reason.done:
        return say["criterion.done"].format(
            name=name,
            at=times["at"],
            verb=_one_of(say, "verb", d.get("action", "")),
            start=_one_of(say, "start", d.get("start", "")),
            elapsed=times["elapsed"],
            limit=_limit_text(say, ev, times, names, lang),
            score=score,
        )
    if reason is Reason.not_done:
        return say["criterion.not_done"].format(
            name=name,
            end=times["end"],
            limit=_limit_text(say, ev, times, names, lang),
            score=score,
        )
    if reason is Reason.coverage:
        sites, missing, late = d["sites"], d["missing"], d["late"]
        return say["criterion.coverage"].format(
            name=name,
            covered=len(sites) - len(missing),
            total=len(sites),
            missing=_clause(say, "criterion.coverage_missing", missing, names, lang),
            late=_clause(say, "criterion.coverage_late", late, names, lang),
            limit=_limit_text(say, ev, times, names, lang),
            score=score,
        )
    if reason is Reason.no_report:
        return say["criterion.no_report"].format(name=name, score=score)
    if reason is Reason.elements:
        missing = d["missing"]
        # An element the catalogue does not name is shown by its id, as the rubric writes it.
        elements = say["list_sep"].join(say.get(f"element.{e}", e) for e in missing)
        return say["criterion.elements"].format(
            name=name,
            present=d["present"],
            required=len(d["required"]),
            missing=say["criterion.elements_missing"].format(elements=elements) if missing else "",
            score=score,
        )
    if reason is Reason.outcome:
        values = say["value_sep"].join(
            say["value"].format(site=label(site, names, lang), value=num(value))
            for site, value in d["values"].items()
        )
        return say["criterion.outcome"].format(
            name=name,
            measure=say[f"measure.{d['measure']}"],
            values=values,
            max=num(d["max"]),
            score=score,
        )
    if reason is Reason.declared:
        return say["criterion.declared"].format(
            name=name, declared=d["declared"], truth=d["truth"], score=score
        )
    if reason is Reason.not_declared:
        return say["criterion.not_declared"].format(name=name, truth=d["truth"], score=score)
    if reason is Reason.judged:
        return say["criterion.judged"].format(
            name=name, median=num(d["median"]), max=num(d["max"]), score=score
        )
    if reason is Reason.not_scored:
        return say["criterion.not_scored"].format(name=name, max=num(d["max"]))
    return _not_applicable(say, name, reason, d, names, lang)


def _not_applicable(
    say: Say,
    name: str,
    reason: NotApplicable,
    d: Mapping[str, Any],
    names: Mapping[str, Text],
    lang: str,
) -> str:
    if reason is Reason.truth_before_start:
        place = label(d["place"], names, lang)
        return say["not_applicable.truth_before_start"].format(name=name, place=place)
    if reason is Reason.ended_before_limit:
        end = minutes(d["end_min"])
        return say["not_applicable.ended_before_limit"].format(name=name, end=end)
    if reason is Reason.not_in_log:
        measure = say[f"measure.{d['measure']}"]
        return say["not_applicable.not_in_log"].format(name=name, measure=measure)
    if reason in (
        Reason.other_cells,
        Reason.other_roles,
        Reason.other_level,
        Reason.no_agency,
        Reason.no_addressee,
        Reason.no_downstream,
        Reason.no_sites,
        Reason.no_incident,
        Reason.no_start,
    ):
        why = _one_of(say, "not_applicable_because", reason)
        return say["not_applicable.because"].format(name=name, why=why)
    assert_never(reason)


def penalty_sentence(penalty: Penalty, count: int, deducted: float) -> Text:
    """The sentence of one penalty line."""
    name = penalty.name or Text(zh=penalty.id, en=penalty.id)
    key = "penalty.none" if count == 0 else "penalty.once" if count == 1 else "penalty.times"
    points = num(deducted)
    zh, en = messages().table("zh")[key], messages().table("en")[key]
    return Text(
        zh=zh.format(name=name.get("zh"), count=count, deducted=points),
        en=en.format(name=name.get("en"), count=count, deducted=points),
    )
