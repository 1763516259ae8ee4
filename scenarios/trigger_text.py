"""Triggers written in one spreadsheet cell, for the MSEL table (CSV/XLSX).

- ``at 25min ±5min``: ``{at: 25min, jitter: 5min}``
- ``plume_reaches wulong-intake``: ``{plume_reaches: wulong-intake}``
- ``exceeds wulong-intake x1.5``: ``{exceeds: {site: wulong-intake, factor: 1.5}}``
- ``no_action notify target=fuling by 3h``:
  ``{no_action: {kind: notify, target: fuling}, by: 3h}``
- ``after_action request task=monitoring delay 40min``:
  ``{after_action: {kind: request, task: monitoring}, delay: 40min}``
- ``manual``: ``{manual: true}``

Writing then reading a trigger gives the same trigger: a duration that the compact form
(``1h30min``, whole seconds) cannot hold exactly is written as a bare number of minutes.
"""

from __future__ import annotations

from typing import Any

from scenarios.messages import did_you_mean
from scenarios.schema import (
    ActionFilter,
    AfterActionTrigger,
    AtTrigger,
    ExceedsTrigger,
    ManualTrigger,
    NoActionTrigger,
    PlumeReachesTrigger,
)
from scenarios.types import exact_duration

FORMS = (
    "at 25min ±5min",
    "plume_reaches SITE",
    "exceeds SITE x1",
    "no_action KIND key=value… by 3h",
    "after_action KIND key=value… delay 40min",
    "manual",
)
_FILTER_KEYS = ("target", "task", "site", "agency", "channel", "cell")


def format_trigger(trigger: Any) -> str:
    """One cell's worth of text for ``trigger`` (a model of ``scenarios.schema.Trigger``)."""
    if isinstance(trigger, AtTrigger):
        jitter = f" ±{_duration(trigger.jitter)}" if trigger.jitter else ""
        return f"at {_duration(trigger.at)}{jitter}"
    if isinstance(trigger, PlumeReachesTrigger):
        return f"plume_reaches {trigger.plume_reaches}"
    if isinstance(trigger, ExceedsTrigger):
        return f"exceeds {trigger.exceeds.site} x{_number(trigger.exceeds.factor)}"
    if isinstance(trigger, NoActionTrigger):
        return f"no_action {_filter(trigger.no_action)} by {_duration(trigger.by)}"
    if isinstance(trigger, AfterActionTrigger):
        delay = f" delay {_duration(trigger.delay)}" if trigger.delay else ""
        return f"after_action {_filter(trigger.after_action)}{delay}"
    if isinstance(trigger, ManualTrigger):
        return "manual"
    raise TypeError(f"not a trigger: {trigger!r}")


def parse_trigger(text: str) -> dict[str, Any]:
    """The trigger data (as in YAML) written in ``text``; the schema validates the values.

    Raises:
        ValueError: If ``text`` is not one of the forms in :data:`FORMS`.
    """
    words = text.replace("±", " ± ").replace("+-", " ± ").split()
    if not words:
        raise ValueError("empty; write one of: " + "; ".join(FORMS))
    head, rest = words[0], words[1:]
    if head == "at" and len(rest) in (1, 3) and (len(rest) == 1 or rest[1] == "±"):
        data: dict[str, Any] = {"at": _time(rest[0])}
        if len(rest) == 3:
            data["jitter"] = _time(rest[2])
        return data
    if head == "plume_reaches" and len(rest) == 1:
        return {"plume_reaches": rest[0]}
    if head == "exceeds" and len(rest) in (1, 2):
        exceeds: dict[str, Any] = {"site": rest[0]}
        if len(rest) == 2:
            if not rest[1].startswith("x"):
                raise ValueError(f"write the factor as x1.5, not {rest[1]!r}")
            exceeds["factor"] = _float(rest[1][1:], "factor")
        return {"exceeds": exceeds}
    if head in ("no_action", "after_action"):
        word = "by" if head == "no_action" else "delay"
        action, when = _split_at(rest, word)
        data = {head: _parse_filter(action)}
        if when is not None:
            data[word] = _time(when)
        return data
    if head == "manual" and not rest:
        return {"manual": True}
    hint = did_you_mean(
        head, ["at", "plume_reaches", "exceeds", "no_action", "after_action", "manual"]
    )
    raise ValueError(f"cannot read {text.strip()!r}{hint}; write one of: " + "; ".join(FORMS))


def _split_at(words: list[str], word: str) -> tuple[list[str], str | None]:
    if word in words:
        at = words.index(word)
        if at != len(words) - 2:
            raise ValueError(f"write {word} once, last, followed by a duration: … {word} 3h")
        return words[:at], words[at + 1]
    return words, None


def _parse_filter(words: list[str]) -> dict[str, Any]:
    if not words or "=" in words[0]:
        raise ValueError("name the action kind first, e.g. notify target=fuling")
    action: dict[str, Any] = {"kind": words[0]}
    for word in words[1:]:
        key, sep, value = word.partition("=")
        if not sep or not value:
            raise ValueError(f"expected key=value after the action kind, got {word!r}")
        if key not in _FILTER_KEYS:
            hint = did_you_mean(key, _FILTER_KEYS)
            raise ValueError(f"unknown key {key!r}{hint}; use {', '.join(_FILTER_KEYS)}")
        action[key] = value
    return action


def _filter(action: ActionFilter) -> str:
    parts = [action.kind.value]
    for key in _FILTER_KEYS:
        value = getattr(action, key)
        if value is not None:
            parts.append(f"{key}={getattr(value, 'value', value)}")
    return " ".join(parts)


def _duration(minutes: float) -> str:
    return str(exact_duration(minutes))  # a number that _time reads back as minutes


def _time(word: str) -> Any:
    """A duration word: a bare number is minutes; anything else goes to the schema as text."""
    try:
        return float(word)
    except ValueError:
        return word


def _float(word: str, what: str) -> float:
    try:
        return float(word)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {word!r}") from None


def _number(value: float) -> str:
    short = f"{value:g}"
    return short if float(short) == value else repr(value)
