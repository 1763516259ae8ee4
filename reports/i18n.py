"""The report's one message catalogue (``messages/zh.yaml``, ``messages/en.yaml``).

Every word a reader sees — template headings, chart axis labels, explanation sentences —
comes from here; Python code holds message keys, never prose. Chinese is the first language:
a key missing from the English file falls back to Chinese, and a key missing from both is a
bug caught by ``tests/test_reports_i18n.py`` (``Messages.t`` raises rather than printing the
key, so a typo never reaches a bureau's signed document).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from reports.stored import read_stored, sha256_text, write_stored

LANGS = ("zh", "en")
"""Languages a report can be written in; the first is the default."""

MESSAGES_DIR = Path(__file__).with_name("messages")
COMPILED_DIR = MESSAGES_DIR / "__pycache__"
"""Where a catalogue's flat table is kept as JSON, beside the ``.pyc`` files: parsing the YAML
(pure-Python ruamel) takes ≈ 30 ms per language, reading the JSON well under 1 ms."""


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat ``key -> text`` table of one language, read once per process.

    Args:
        lang: ``zh`` or ``en``.

    Raises:
        ValueError: If ``lang`` is not one of :data:`LANGS`.
    """
    if lang not in LANGS:
        raise ValueError(f"lang(={lang!r}) must be one of {', '.join(LANGS)}")
    text = (MESSAGES_DIR / f"{lang}.yaml").read_text(encoding="utf-8")
    # Compiled from exactly this text: an edited catalogue is parsed again, never stale.
    stamp = {"source_sha256": sha256_text(text)}
    compiled = COMPILED_DIR / f"{lang}.json"
    table = read_stored(compiled, stamp, _table)
    if table is not None:
        return table
    # Flattened by the generic reader (it loads ruamel, so only here). Not a checked
    # ``scenarios.catalogue.Catalogue``: English may lack a key (Chinese stands in) and
    # ``common.date`` has other placeholders per language; tests/test_reports_i18n.py checks
    # the rest. A file edited since ``text`` was read is only stamped stale, and parsed again.
    from scenarios.catalogue import read_tables

    table = read_tables(MESSAGES_DIR, (lang,))[lang]
    try:
        COMPILED_DIR.mkdir(exist_ok=True)
    except OSError:  # an installation that cannot be written to: parse every time
        return table
    write_stored(compiled, stamp, table)
    return table


def _table(content: Any) -> dict[str, str]:
    """A compiled catalogue read back; ValueError if it is not a flat text table."""
    if not isinstance(content, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in content.items()
    ):
        raise ValueError("a catalogue is a table of texts")
    return content


class Messages:
    """Look up and format messages in one language.

    Args:
        lang: ``zh`` (default) or ``en``.
    """

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang
        self._table = catalogue(lang)
        self._fallback = catalogue(LANGS[0])

    def t(self, key: str, **params: Any) -> str:
        """The message ``key`` with ``{name}`` placeholders filled from ``params``.

        Raises:
            KeyError: If no language defines ``key`` (a bug, not bad input).
        """
        text = self._table.get(key)
        if text is None:
            text = self._fallback.get(key)
        if text is None:
            raise KeyError(f"message key {key!r} is in no catalogue")
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        """Whether ``key`` is defined (in this language or the fallback)."""
        return key in self._table or key in self._fallback

    # --- formatting helpers (numbers and times read differently in zh and en) -------------

    def duration(self, minutes: float | None) -> str:
        """A duration for readers: ``1小时35分`` / ``1 h 35 min``; ``—`` for None."""
        if minutes is None:
            return self.t("common.none")
        sign = "-" if minutes < 0 else ""
        total = round(abs(minutes))
        days, rest = divmod(total, 1440)
        hours, mins = divmod(rest, 60)
        parts = []
        if days:
            parts.append(self.t("unit.days", n=days))
        if hours:
            parts.append(self.t("unit.hours", n=hours))
        if mins or not parts:
            parts.append(self.t("unit.minutes", n=mins))
        return sign + self.t("unit.join").join(parts)

    def t_plus(self, minutes: float | None) -> str:
        """Drill time as ``T+74``-style minutes (the form score lines use)."""
        if minutes is None:
            return self.t("common.none")
        return f"T+{round(minutes)}"

    def clock(self, start: datetime, minutes: float | None, *, with_date: bool = False) -> str:
        """Wall-clock time of drill minute ``minutes`` (scenario local time)."""
        if minutes is None:
            return self.t("common.none")
        moment = start + timedelta(minutes=minutes)
        return moment.strftime("%m-%d %H:%M" if with_date else "%H:%M")

    def date(self, moment: datetime) -> str:
        """A calendar date in the reader's convention (``2025年9月12日`` / ``12 Sep 2025``)."""
        return self.t(
            "common.date",
            y=moment.year,
            m=moment.month,
            d=moment.day,
            month=moment.strftime("%b"),
        )

    def number(self, value: float | None, digits: int = 3) -> str:
        """A measured value with ``digits`` significant figures; ``—`` for None."""
        if value is None:
            return self.t("common.none")
        if value == 0:
            return "0"
        return f"{value:.{digits}g}"
