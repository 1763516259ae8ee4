"""JSON Schemas of scoring's file formats: the rubric (input) and the scorecard (output).

The checked-in ``*.schema.json`` files are generated from the models; a test keeps them in
sync. Regenerate with ``RIVERDRILL_REGEN=1 pytest tests/test_scoring_scorecard.py`` or
``python -m scoring.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from scoring.rubric import Rubric
from scoring.scorecard import Scorecard

HERE = Path(__file__).parent

CHECKED_IN: dict[str, Path] = {
    "rubric": HERE / "rubric.schema.json",
    "scorecard": HERE / "scorecard.schema.json",
}

_MODELS: dict[str, tuple[type[BaseModel], Literal["validation", "serialization"]]] = {
    # A rubric is read (validation); a scorecard is written (serialization, what to_json emits).
    "rubric": (Rubric, "validation"),
    "scorecard": (Scorecard, "serialization"),
}


def schema(name: str) -> dict[str, object]:
    """The JSON Schema of the ``rubric`` or ``scorecard`` format."""
    model, mode = _MODELS[name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://riverdrill.invalid/{name}.schema.json",
        **model.model_json_schema(by_alias=True, mode=mode),
    }


def schema_text(name: str) -> str:
    """The schema as stable text (same models, same bytes)."""
    return json.dumps(schema(name), ensure_ascii=False, indent=2) + "\n"


def write_all() -> list[Path]:
    """Regenerate every checked-in schema file; return the files written."""
    for name, path in CHECKED_IN.items():
        path.write_text(schema_text(name), encoding="utf-8")
    return list(CHECKED_IN.values())


if __name__ == "__main__":
    for written in write_all():
        print(written)
