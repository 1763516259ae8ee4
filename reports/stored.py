"""Results a report re-computes from a run, kept beside the log as stamped JSON files.

Some parts of a report are expensive to compute and depend only on the run's inputs and the
code: the what-ifs re-run the whole drill (``reports.whatif_store``), the charts' curves run the
plume model (``reports.curves``). ``riverdrill run`` computes both for its ``report.html``, so
it keeps them in the run directory, each stamped with digests of what it was computed from —
the log's SHA-256, the scenario, and the engine's code and libraries (:func:`engine_fingerprint`)
— the way ``scorecard.json`` is stamped with the log's SHA-256.

A file is used only when every stamp is today's and its content still matches its own SHA-256;
anything else — other inputs, an edited engine, a garbled, hand-edited, truncated or
unreadable file — is ignored and the result recomputed (and stored again). The files are caches:
deleting them only costs time. Writes are atomic (a temporary file renamed over the old one).
The report's message catalogue is kept compiled the same way (``reports.i18n``).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from scenarios.atomicfile import write_atomic

T = TypeVar("T")

FORMAT = 1
"""Version of the files' layout; a file of another version is ignored."""

ENGINE_PACKAGES = ("scenarios", "sim", "scoring", "reports")
"""The code a what-if's numbers come from: loading the scenario, the re-run, the scoring."""
PRESENTATION = ("templates", "messages")
"""Folders of ``reports`` that only word and lay out the report: editing them keeps the
stored numbers valid."""
ENGINE_SUFFIXES = (".py", ".yaml", ".json")
LIBRARIES = ("numpy", "scipy", "simpy", "mesa", "pydantic")
"""Libraries whose version can move a re-run's numbers."""


def sha256_text(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _engine_files() -> Iterator[tuple[str, Path]]:
    for name in ENGINE_PACKAGES:
        # Every one is imported already by the time a report is made, so this costs nothing.
        package = importlib.import_module(name)
        for base in map(Path, package.__path__):
            for path in sorted(base.rglob("*")):
                relative = path.relative_to(base)
                if (
                    path.suffix not in ENGINE_SUFFIXES
                    or "__pycache__" in relative.parts
                    or (name == "reports" and relative.parts[0] in PRESENTATION)
                    or not path.is_file()
                ):
                    continue
                yield f"{name}/{relative.as_posix()}", path


def _library_versions() -> Iterator[str]:
    """``name-version`` of each of :data:`LIBRARIES`, read from the installed ``.dist-info``
    folder names: ``importlib.metadata`` scans every path entry (≈35 ms) and importing Mesa to
    ask it is what this file saves."""
    listings: dict[Path, list[str]] = {}
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            yield f"{name}-absent"
            continue
        site = Path(spec.origin).parent.parent
        if site not in listings:
            try:
                listings[site] = sorted(os.listdir(site))
            except OSError:
                listings[site] = []
        found = [
            entry[: -len(".dist-info")]
            for entry in listings[site]
            if entry.endswith(".dist-info") and entry.lower().startswith(f"{name}-")
        ]
        yield from found or [f"{name}-at-{spec.origin}"]


@cache
def engine_fingerprint() -> str:
    """SHA-256 of the engine's code and data files and of the libraries' versions.

    A what-if stored by another version of the engine (after an upgrade, or while a developer
    edits ``sim/``) is never reused: its numbers could differ from a re-run's. Hashing ≈ 120
    small files takes a few milliseconds, once per process.
    """
    digest = hashlib.sha256()
    for name, path in _engine_files():
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for version in _library_versions():
        digest.update(version.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _content_sha256(results: Any) -> str:
    return sha256_text(
        json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    )


def read_stored(path: Path, stamp: dict[str, Any], parse: Callable[[Any], T]) -> T | None:
    """The content of ``path``, parsed, if it was stored under ``stamp``; None otherwise.

    Args:
        path: The file.
        stamp: What the content must have been computed from (compared key by key).
        parse: Turns the stored JSON content into the caller's objects; raises ValueError
            for content that is not of its form.

    Never raises: a missing, unreadable, garbled, stale or edited file is simply not used.
    """
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("stamp") != stamp:
            return None
        content = data.get("content")
        if data.get("content_sha256") != _content_sha256(content):
            return None  # the stamps are intact but the content was edited or damaged
        return parse(content)
    except (OSError, ValueError, RecursionError):
        # OSError: absent or unreadable; ValueError: not UTF-8, not JSON, not our layout;
        # RecursionError: JSON nested too deep to parse (a damaged file, not ours).
        return None


def write_stored(
    path: Path, stamp: dict[str, Any], content: Any, *, indent: int | None = 2
) -> bool:
    """Store JSON ``content`` under ``stamp`` in ``path``, atomically.

    Written with :func:`scenarios.atomicfile.write_atomic`, so a reader (or a second report of the
    same run) sees the old file or the new one, never half of one. Not fsynced: a file lost or
    cut short by a crash is ignored by :func:`read_stored` and recomputed. Returns False,
    writing nothing, when the folder is not writable (a read-only run directory still gets its
    report, only without the cache).
    """
    body = {
        "format": FORMAT,
        "stamp": stamp,
        "content_sha256": _content_sha256(content),
        "content": content,
    }
    compact = (",", ":") if indent is None else None
    text = json.dumps(body, ensure_ascii=False, indent=indent, separators=compact) + "\n"
    try:
        write_atomic(path, text, fsync=False)
    except OSError:
        return False
    return True


# --- reading stored content back -----------------------------------------------------------
# A ``parse`` given to :func:`read_stored` checks the JSON field by field with these: each
# returns the value as the type it names or raises ValueError naming the field, so a garbled
# or hand-edited file is ignored rather than half read.


def json_object(value: Any, what: str) -> dict[str, Any]:
    """``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    return value


def json_list(value: Any, what: str) -> list[Any]:
    """``value`` if it is a JSON list."""
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list")
    return value


def json_number(value: Any, what: str) -> float:
    """``value`` if it is a JSON number (true and false are not, though Python counts a bool
    as an int: never a number of minutes or points)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{what} must be a number")
    return value


def json_integer(value: Any, what: str) -> int:
    """``value`` if it is a whole JSON number (not true or false)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an integer")
    return value


def json_numbers(value: Any, what: str) -> tuple[float, ...]:
    """``value`` as a tuple if it is a list of JSON numbers.

    Checked by type at C speed (a space-time grid holds some 30 000 numbers); a bool's type
    is not int, so true and false are refused here too.
    """
    if not isinstance(value, list) or not set(map(type, value)) <= {int, float}:
        raise ValueError(f"{what} must be a list of numbers")
    return tuple(value)


def json_text(value: Any, what: str) -> str:
    """``value`` if it is a JSON string."""
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text")
    return value


def json_optional(value: Any, read: Callable[[Any, str], T], what: str) -> T | None:
    """None for JSON null, else ``read(value, what)``."""
    return None if value is None else read(value, what)


def as_stored(content: Any) -> Any:
    """``content`` as :func:`read_stored` would return it (through JSON text): a result just
    computed is used in this form too, so a report is the same whether it was reused or
    recomputed (a tuple comes back as a list, a numpy float as a float)."""
    return json.loads(json.dumps(content, ensure_ascii=False))


__all__ = [
    "FORMAT",
    "as_stored",
    "engine_fingerprint",
    "json_integer",
    "json_list",
    "json_number",
    "json_numbers",
    "json_object",
    "json_optional",
    "json_text",
    "read_stored",
    "sha256_text",
    "write_stored",
]
