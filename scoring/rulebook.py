"""Finding, reading and checking rubrics.

A rubric is named by id (a file in ``scoring/rubrics/``) or by path. Reading keeps the parsed
file, so a reference that only a scenario can check (a site, an inject, a jurisdiction) is
reported at the rubric's own ``file:line:col`` when scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.errors import InputError, Problem
from scenarios.load import validate_source
from scenarios.memo import IdentityMemo
from scenarios.paths import DataPath, format_path
from scenarios.schema import Scenario, SiteKind
from scenarios.yamlsource import Source, read_source, to_plain
from scoring.filters import ActionMatch, InjectStart, TruthEvent, TruthStart
from scoring.rubric import Rubric
from scoring.scorecard import Overrides

RUBRICS_DIR = Path(__file__).with_name("rubrics")
DEFAULT_RUBRIC = "chongqing-2024"


def bundled_rubrics() -> list[str]:
    """Ids of the rubrics shipped in ``scoring/rubrics``."""
    return sorted(p.stem for p in RUBRICS_DIR.glob("*.yaml"))


def rubric_path(name: str | Path) -> Path:
    """The file of a rubric given by id or path.

    Raises:
        InputError: when there is no such file, listing the bundled ids.
    """
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    bundled = RUBRICS_DIR / f"{name}.yaml"
    if bundled.exists():
        return bundled
    raise InputError.single(
        str(name), f"no rubric {str(name)!r}; bundled: {', '.join(bundled_rubrics())}"
    )


def load_rubric(name: str | Path) -> Rubric:
    """Read and validate a rubric by id or path (every problem at ``file:line:col``)."""
    source = read_source(rubric_path(name))
    problems = _duplicate_ids(source)
    try:
        rubric = validate_source(source, Rubric)
    except InputError as error:
        others = [p for p in error.problems if "used twice" not in p.message]
        raise InputError(problems + others) from None
    if problems:
        raise InputError(problems)
    rubric._origin = source
    path = Path(source.name).resolve()
    bundled = path.parent == RUBRICS_DIR.resolve() and path.suffix == ".yaml"
    rubric._read_from = path.stem if bundled else str(path)
    return rubric


def rubric_source(rubric: Rubric) -> str | None:
    """How a scorecard names the rubric it was scored under, to load it again: a bundled
    rubric's id, else the absolute path of its file; None for a rubric not read from a file."""
    return rubric.read_from


def _duplicate_ids(source: Source) -> list[Problem]:
    """Criterion and penalty ids used twice, each at the line of its second use."""
    data = to_plain(source.root)
    seen: dict[str, DataPath] = {}
    problems = []
    for section in ("criteria", "penalties"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            cid = item.get("id") if isinstance(item, dict) else None
            if not isinstance(cid, str):
                continue
            path: DataPath = (section, i, "id")
            if cid in seen:
                line, col = source.locate(path)
                first = format_path(seen[cid])
                message = f"criterion id {cid!r} is used twice (first at {first})"
                problems.append(Problem(source.name, line, col, format_path(path), message))
            else:
                seen[cid] = path
    return problems


# -- references to a scenario -------------------------------------------------------------------


def _site_or_kind(value: str, sites: set[str]) -> str | None:
    if value in sites or value in SiteKind.__members__.values():
        return None
    return f"no site or site kind {value!r} in the scenario"


def _action_refs(m: ActionMatch, known: _Known) -> list[tuple[tuple[str, ...], str]]:
    found: list[tuple[tuple[str, ...], str]] = []
    if m.site is not None and m.site not in known.sites:
        found.append((("site",), f"no site {m.site!r} in the scenario"))
    for key in ("target", "to"):
        value = getattr(m, key)
        if value is not None and value not in known.addressees:
            found.append(((key,), f"no jurisdiction or agency {value!r} in the scenario"))
    if m.agency is not None and m.agency not in known.agencies:
        found.append((("agency",), f"no agency {m.agency!r} in the scenario"))
    return found


def _truth_ref(event: TruthEvent, sites: set[str]) -> list[tuple[tuple[str, ...], str]]:
    key = "plume_reaches" if event.plume_reaches is not None else "exceeds"
    message = _site_or_kind(event.place, sites)
    return [((key,), message)] if message else []


@dataclass(frozen=True)
class _Known:
    """The ids a scenario defines, by what they name."""

    sites: frozenset[str]
    addressees: frozenset[str]
    agencies: frozenset[str]

    @classmethod
    def of(cls, scenario: Scenario) -> _Known:
        agencies = frozenset(a.id for a in scenario.agencies)
        return cls(
            sites=frozenset(s.id for s in scenario.sites),
            addressees=agencies | {j.id for j in scenario.jurisdictions},
            agencies=agencies,
        )


def reference_problems(rubric: Rubric, scenario: Scenario) -> list[Problem]:
    """Every reference of ``rubric`` that ``scenario`` does not have, located in the rubric."""
    known = _Known.of(scenario)
    sites = set(known.sites)
    cells = {c.id for c in scenario.cells}
    injects = {i.id for i in scenario.injects}
    found: list[tuple[DataPath, str]] = []

    def add(prefix: DataPath, items: list[tuple[tuple[str, ...], str]]) -> None:
        found.extend(((*prefix, *path), message) for path, message in items)

    for i, c in enumerate(rubric.criteria):
        at: DataPath = ("criteria", i)
        for k, cell in enumerate(c.cells):
            if cell not in cells:
                found.append(((*at, "cells", k), f"no cell {cell!r} in the scenario"))
        if isinstance(c.start, InjectStart) and c.start.inject not in injects:
            found.append(((*at, "start", "inject"), f"no inject {c.start.inject!r}"))
        if isinstance(c.start, TruthStart):
            add((*at, "start", "truth"), _truth_ref(c.start.truth, sites))
        if c.deadline is not None:
            add((*at, "deadline", "before_truth"), _truth_ref(c.deadline.before_truth, sites))
        if c.end is not None:
            add((*at, "end", "action"), _action_refs(c.end.action, known))
        if c.content is not None:
            add((*at, "content", "of"), _action_refs(c.content.of, known))
        if c.outcome is not None:
            name, bound = c.outcome.measure
            if bound.site is not None and bound.site not in sites:
                message = f"no site {bound.site!r} in the scenario"
                found.append(((*at, "outcome", name, "site"), message))
    for i, p in enumerate(rubric.penalties):
        for k, cell in enumerate(p.cells):
            if cell not in cells:
                found.append((("penalties", i, "cells", k), f"no cell {cell!r} in the scenario"))
    return [_locate(rubric, path, message) for path, message in found]


def _locate(rubric: Rubric, path: DataPath, message: str) -> Problem:
    origin: Any = rubric.origin
    if isinstance(origin, Source):
        line, col = origin.locate(path)
        return Problem(origin.name, line, col, format_path(path), message)
    return Problem(f"rubric {rubric.id}", 0, 0, format_path(path), message)


_CHECKED: IdentityMemo[Scenario] = IdentityMemo(8)
"""The last pairs found consistent, by rubric and scenario (the very objects; the scenario is
held as the value, so its id in the key stays its own): a competition scores many logs of one
pair."""


def check_references(rubric: Rubric, scenario: Scenario) -> None:
    """Raise if ``rubric`` names anything ``scenario`` lacks.

    Raises:
        InputError: every missing reference at the rubric's ``file:line:col``.
    """
    # Both models are frozen, so a pair once found consistent stays so.
    if _CHECKED.get(rubric, id(scenario)) is scenario:
        return
    problems = reference_problems(rubric, scenario)
    if problems:
        raise InputError(problems)
    _CHECKED.put(rubric, scenario, id(scenario))


def load_overrides(path: str | Path) -> Overrides:
    """Read an evaluator's capability-rating overrides (YAML or JSON; see ``Overrides``).

    Raises:
        InputError: every problem at ``file:line:col``.
    """
    from scenarios.load import load_model

    return load_model(path, Overrides)
