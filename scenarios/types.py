"""Small value types shared by every file format: durations, bilingual text, ids, capabilities.

Durations are written by trainers as strings (``90s``, ``30min``, ``2h``, ``1h30min``, ``2d``)
or plain numbers (minutes). Inside the program every duration is a ``float`` of minutes, so a
field typed :data:`Duration` always holds minutes. Every model is :class:`Frozen`: immutable,
unknown fields refused, and no infinite or NaN number (``.inf``, ``.nan``) accepted anywhere.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

_UNIT_MIN = {"d": 1440.0, "h": 60.0, "min": 1.0, "m": 1.0, "s": 1.0 / 60.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(d|h|min|m|s)")
DURATION_PATTERN = r"^\s*-?\s*(\d+(\.\d+)?\s*(d|h|min|m|s)\s*)+$"


def parse_duration(value: Any) -> float:
    """Parse a duration written by a trainer into minutes.

    Args:
        value: A number of minutes, or a string such as ``"1h30min"``, ``"90s"`` or ``"2d"``.

    Returns:
        The duration in minutes.

    Raises:
        ValueError: If the string is not a duration; the message shows accepted forms.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 30min, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as 30min, got {value!r}")
    text = value.strip()
    sign = 1.0
    if text.startswith("-"):
        sign, text = -1.0, text[1:].strip()
    pos, total = 0, 0.0
    compact = text.replace(" ", "")
    for match in _PART.finditer(compact):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_MIN[match.group(2)]
        pos = match.end()
    if pos == 0 or pos != len(compact):
        raise ValueError(f"{value!r} is not a duration; write e.g. 90s, 30min, 2h, 1h30min or 2d")
    return sign * total


def format_duration(minutes: float) -> str:
    """Write minutes back in the compact form trainers use (``1h30min``, ``45s``)."""
    if minutes < 0:
        return "-" + format_duration(-minutes)
    seconds = round(minutes * 60)
    if seconds == 0:
        return "0min"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def exact_duration(minutes: float) -> str | float:
    """``minutes`` as :func:`format_duration` writes it when that reads back exactly, else the
    number itself (the compact form holds whole seconds only)."""
    text = format_duration(minutes)
    return text if parse_duration(text) == minutes else minutes


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DURATION_PATTERN, "examples": ["30min", "1h30min"]},
                {"type": "number", "description": "minutes"},
            ]
        }
    ),
]
"""A duration in minutes, written as ``30min``/``2h``/``1h30min``/``90s``/``2d`` or a number."""

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=80),
]
"""An identifier: letters, digits, ``-``, ``_`` and ``.``; referenced from elsewhere."""


class Frozen(BaseModel):
    """Base of every file-format model: immutable, and unknown fields are errors."""

    # allow_inf_nan=False: `.inf` and `.nan` are valid YAML floats but never a valid quantity,
    # and one would pass every `gt=0` bound and only fail deep inside the engine.
    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )


FIELD_CHECK = "field_check"
"""Error type of :func:`field_error`; the messages module reports it at the field it names."""


def field_error(field: str, message: str) -> PydanticCustomError:
    """An error for a model validator to raise when one field is to blame.

    Pydantic places a model validator's errors at the model; this one is reported at
    ``field`` instead (``reaches[2].drainage_area_km2``), where the trainer has to change it.
    """
    return PydanticCustomError(FIELD_CHECK, "{message}", {"field": field, "message": message})


class Capability(StrEnum):
    """What an agency can do; the same words name the tasks a team can request."""

    # Shared by the scenario, the response log and the rubric: hence here, not in schema.py.

    monitoring = "monitoring"
    build_dam = "build_dam"
    operate_gate = "operate_gate"
    close_intake = "close_intake"
    reopen_intake = "reopen_intake"
    stop_source = "stop_source"
    dosing = "dosing"
    activated_carbon = "activated_carbon"
    boom = "boom"
    divert = "divert"
    release_water = "release_water"
    evacuate = "evacuate"
    investigate = "investigate"
    traffic_control = "traffic_control"


class Text(Frozen):
    """Bilingual text. A plain string in YAML is taken as Chinese (the first language)."""

    zh: str = Field(min_length=1)
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"zh": data}
        return data

    def get(self, lang: str = "zh") -> str:
        """The text in ``lang``, falling back to Chinese when no translation is given."""
        if lang == "en" and self.en:
            return self.en
        return self.zh

    def __str__(self) -> str:
        return self.zh


TEXT_JSON_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
            "required": ["zh"],
            "additionalProperties": False,
        },
    ]
}

BiText = Annotated[Text, WithJsonSchema(TEXT_JSON_SCHEMA)]
"""Bilingual text field: ``"苯胺"`` or ``{zh: 苯胺, en: aniline}``."""
