"""JSON Schemas of the file formats, for editors (completion, hover help) and other tools.

The checked-in ``*.schema.json`` files are generated from the models by :func:`schema_text`;
a test keeps them in sync (regenerate with ``RIVERDRILL_REGEN=1`` or ``riverdrill schema``).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

HERE = Path(__file__).parent

CHECKED_IN = {
    "scenario": HERE / "scenario.schema.json",
    "responses": HERE / "responses.schema.json",
    "substances": HERE / "substances.schema.json",
}
"""The schema files kept in this package, by the name ``riverdrill schema`` takes."""


def model_for(name: str) -> type[BaseModel]:
    """The model of a format this package owns: scenario, responses or substances."""
    if name == "scenario":
        from scenarios.schema import Scenario

        return Scenario
    if name == "responses":
        from scenarios.actions import ResponseLog

        return ResponseLog
    if name == "substances":
        from scenarios.substances import SubstanceLibrary

        return SubstanceLibrary
    raise KeyError(name)


def schema_text(model: type[BaseModel], name: str) -> str:
    """The JSON Schema of ``model`` as stable, readable text (same input, same bytes)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://riverdrill.invalid/{name}.schema.json",
        **schema,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
