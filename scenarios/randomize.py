"""The ``randomize`` ranges a variant is drawn from: ``uniform`` between two ends, or ``choice``.

Drawing is the engine's (``sim/rng.py``); checking that each range stays physical is
``ranges.py``'s, and building the variant ``variant.py``'s.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Discriminator, Field, Tag, WithJsonSchema, model_validator

from scenarios.types import DURATION_PATTERN, Frozen, parse_duration


def _number_or_duration(value: Any) -> Any:
    """A range end: a number as is, a numeric string as a number, else a duration in minutes."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            try:
                return parse_duration(value)
            except ValueError:
                raise ValueError(
                    f"expected a number, or a duration such as 30min (got {value!r})"
                ) from None
    return value


RangeEnd = Annotated[
    float,
    BeforeValidator(_number_or_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": DURATION_PATTERN, "description": "minutes"},
            ]
        }
    ),
]
"""An end of a ``uniform`` range: a number, or a duration (minutes) for time fields."""


class Uniform(Frozen):
    """A value drawn uniformly between two ends (``{uniform: [2, 30]}``, ``[0min, 1h]``)."""

    uniform: tuple[RangeEnd, RangeEnd]

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        low, high = self.uniform
        if low > high:
            raise ValueError(f"uniform range [{low:g}, {high:g}] has low > high")
        return self


class Choice(Frozen):
    """A value drawn from a list (``{choice: [low, normal, flood]}``)."""

    choice: tuple[Any, ...] = Field(min_length=1)


def _range_tag(value: Any) -> str:
    # Called on file data (a dict) and, when serialising, on the models themselves.
    if isinstance(value, Choice) or (isinstance(value, dict) and "choice" in value):
        return "choice"
    return "uniform"


Range = Annotated[
    Annotated[Uniform, Tag("uniform")] | Annotated[Choice, Tag("choice")],
    Discriminator(_range_tag),
]
