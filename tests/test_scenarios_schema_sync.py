"""The checked-in JSON Schemas match the models (regenerate: RIVERDRILL_REGEN=1 pytest …)."""

from __future__ import annotations

import json
import os

import pytest

from scenarios.jsonschema import CHECKED_IN, model_for, schema_text

REGEN = os.environ.get("RIVERDRILL_REGEN") == "1"


@pytest.mark.parametrize("name", sorted(CHECKED_IN))
def test_checked_in_schema_matches_the_model(name: str) -> None:
    path = CHECKED_IN[name]
    fresh = schema_text(model_for(name), name)
    if REGEN:
        path.write_text(fresh, encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run RIVERDRILL_REGEN=1 pytest {__file__}"
    assert path.read_text(encoding="utf-8") == fresh, (
        f"{path.name} is out of date: run `RIVERDRILL_REGEN=1 pytest {__file__}` "
        f"or `riverdrill schema {name} > {path}`"
    )


def test_the_scenario_schema_uses_the_files_field_names() -> None:
    schema = json.loads(CHECKED_IN["scenario"].read_text(encoding="utf-8"))
    inject = schema["$defs"]["Inject"]["properties"]
    assert "from" in inject and "from_" not in inject
    assert schema["additionalProperties"] is False
