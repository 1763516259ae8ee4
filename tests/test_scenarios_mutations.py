"""Whatever a trainer's file contains, the loader accepts it or says where it is wrong.

Properties over mutated scenarios: the result is a ``Scenario`` or an ``InputError`` whose
problems all have a line (never a traceback, never an unlocated schema problem).
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import InputError, Scenario, load_text
from scenarios.paths import DataPath, get_in
from scenarios.yamlsource import make_yaml, read_source, to_plain

SMALL = Path(__file__).parent / "data" / "small-river.yaml"
BASE: dict[str, Any] = to_plain(read_source(SMALL).root)
TEXT = SMALL.read_text(encoding="utf-8")

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    text,
    st.sampled_from(["30min", "-2h", "up", "down", "intake", "district", "aniline", "0", ""]),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=3),
    st.dictionaries(st.sampled_from(["id", "km", "kind", "zh", "x"]), scalars, max_size=3),
)


def paths(node: Any, prefix: DataPath = ()) -> list[DataPath]:
    found: list[DataPath] = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, (*prefix, i))
    return found


def mutate(doc: dict[str, Any], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(paths(doc)))
    parent, last = get_in(doc, path[:-1]), path[-1]
    how = data.draw(st.sampled_from(["drop", "replace", "duplicate", "rename"]))
    if how == "drop":
        del parent[last]
    elif how == "replace":
        parent[last] = data.draw(values)
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(int(last), copy.deepcopy(parent[last]))
    elif how == "rename" and isinstance(parent, dict):
        parent[data.draw(text)] = parent.pop(last)


def dump(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    make_yaml().dump(doc, out)
    return out.getvalue()


def assert_accepted_or_located(source_text: str) -> None:
    try:
        load_text(source_text, "m.yaml", Scenario)
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.col >= 1, str(problem)
            assert problem.file == "m.yaml"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), steps=st.integers(1, 4))
def test_a_mutated_scenario_is_accepted_or_refused_with_located_problems(
    data: st.DataObject, steps: int
) -> None:
    doc = copy.deepcopy(BASE)
    for _ in range(steps):
        if not paths(doc):
            break
        mutate(doc, data)
    assert_accepted_or_located(dump(doc))


@settings(max_examples=150, deadline=None)
@given(
    at=st.integers(0, len(TEXT)),
    cut=st.integers(0, 20),
    insert=st.text(st.sampled_from(list("{}[]:,-#&*!|>'\"\t \n%@`?x1é\x00\x07")), max_size=6),
)
def test_corrupted_yaml_text_is_refused_with_a_line(at: int, cut: int, insert: str) -> None:
    assert_accepted_or_located(TEXT[:at] + insert + TEXT[at + cut :])
