"""Paths into a document: ``reaches[2].length_km`` as text, ``("reaches", 2, "length_km")`` inside.

The same path names a place in the YAML file (for error locations), in a ``randomize`` key
(what a variant changes) and in a finding of the cross-reference checks. Paths use the file's
names (``from``, not ``from_``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PathPart = str | int
DataPath = tuple[PathPart, ...]
"""A path into nested mappings (string keys) and sequences (integer indices)."""

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_SEGMENT = re.compile(rf"({_NAME})((?:\[\d+\])*)")
_INDEX = re.compile(r"\[(\d+)\]")
_PLAIN_KEY = re.compile(rf"^{_NAME}$")


def parse_path(text: str) -> DataPath:
    """Read a dotted path such as ``spills[0].km`` or ``injects[3].trigger.at``.

    Args:
        text: Field names separated by dots, each optionally followed by ``[index]``.

    Returns:
        The path as a tuple of keys and indices.

    Raises:
        ValueError: If ``text`` is not of that form (the message says what is accepted).
    """
    parts: list[PathPart] = []
    for segment in text.strip().split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            raise ValueError(
                f"{text!r} is not a path; write field names and indices like spills[0].km"
            )
        parts.append(match.group(1))
        parts.extend(int(index) for index in _INDEX.findall(match.group(2)))
    return tuple(parts)


def format_path(path: DataPath) -> str:
    """Write a path the way trainers read it: ``reaches[2].length_km``.

    Keys that are not plain names (the keys of ``randomize`` are themselves paths) are quoted:
    ``randomize["spills[0].km"]``.
    """
    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}" if out else part)
        else:
            out.append(f'["{part}"]')
    return "".join(out)


_MISSING = object()


def get_in(data: Any, path: DataPath, default: Any = _MISSING) -> Any:
    """The value at ``path`` in nested mappings and sequences.

    Raises:
        KeyError: If the path does not exist and no ``default`` is given.
    """
    node = data
    for part in path:
        in_list = isinstance(part, int) and isinstance(node, list | tuple) and 0 <= part < len(node)
        in_map = isinstance(part, str) and isinstance(node, Mapping) and part in node
        if in_list or in_map:
            node = node[part]
        elif default is _MISSING:
            raise KeyError(format_path(path))
        else:
            return default
    return node


def set_in(data: Any, path: DataPath, value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``path``; only the containers on the path are copied.

    Structural sharing keeps drawing a variant cheap: the rest of the document is not copied,
    and the original is never mutated.

    Raises:
        KeyError: If a container on the path does not exist (the last key may be new).
    """
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        if not isinstance(data, list | tuple) or not 0 <= head < len(data):
            raise KeyError(format_path(path))
        items = list(data)
        items[head] = set_in(items[head], rest, value)
        return items
    if not isinstance(data, Mapping) or (rest and head not in data):
        raise KeyError(format_path(path))
    copy = dict(data)
    copy[head] = set_in(data[head], rest, value) if rest else value
    return copy
