"""Reading YAML files with line numbers, and refusing what trainers should not write.

ruamel.yaml's round-trip loader keeps the line and column of every mapping key, value and
sequence item, so a problem found later (by pydantic or by the cross-reference checks) can be
reported at ``file:line:col`` (:meth:`Source.locate`). Before the data goes to pydantic it is
copied into plain Python values (:func:`to_plain`), so validation never sees ruamel's
subclasses.

Refused with a one-line message: anything but a regular file, files over 5 MB and bytes that
are not UTF-8 (``textfile.py``); tabs in indentation, YAML syntax errors, duplicate keys,
nesting deeper than 64 levels, an empty file and a top level that is not a mapping (here);
anchors and aliases, merge keys, tags and values YAML cannot build (``yamldialect.py``, the
YAML a riverdrill file may be written in).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode

from scenarios.errors import InputError
from scenarios.paths import DataPath, format_path
from scenarios.textfile import MAX_BYTES, decode, line_col, read_bounded, split_lines
from scenarios.yamldialect import MAX_DEPTH, UnbuildableValue, make_yaml

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "Source",
    "decode",
    "line_col",
    "make_yaml",
    "parse_source",
    "read_bounded",
    "read_source",
    "split_lines",
    "to_plain",
]


@dataclass(frozen=True)
class Source:
    """A parsed YAML document: its name for messages, its text and its node tree."""

    name: str
    text: str
    root: CommentedMap

    def locate(self, path: DataPath, *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of ``path``, or of the deepest part of it that exists.

        Args:
            path: Keys and indices from the top of the document.
            key: Point at the last key itself rather than its value (for unknown fields).

        Returns:
            ``(line, col)``. A missing key, or one the parser recorded no position for,
            resolves to the mapping that holds it; this never raises.
        """
        node: Any = self.root
        line, col = node.lc.line, node.lc.col
        for i, part in enumerate(path):
            try:
                if isinstance(node, CommentedMap):
                    found = _find_key(node, part)
                    if found is None:
                        break
                    last = i == len(path) - 1
                    line, col = node.lc.key(found) if key and last else node.lc.value(found)
                    node = node[found]
                elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                    line, col = node.lc.item(part)
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError):  # no position recorded: stay at the parent
                break
        return line + 1, col + 1

    def value(self, path: DataPath) -> Any:
        """The scalar written at ``path`` exactly as in the file, or ``None``."""
        node: Any = self.root
        for part in path:
            if isinstance(node, CommentedMap):
                found = _find_key(node, part)
                if found is None:
                    return None
                node = node[found]
            elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return None if isinstance(node, CommentedMap | CommentedSeq) else node


def _find_key(node: CommentedMap, part: Any) -> Any:
    """The key of ``node`` that ``part`` names; keys are compared as text (``1`` is ``"1"``)."""
    if part in node:
        return part
    text = str(part)
    for candidate in node:
        if str(candidate) == text:
            return candidate
    return None


def read_source(path: str | Path) -> Source:
    """Read and parse a YAML file, refusing anything a riverdrill file should not contain.

    Raises:
        InputError: With one located problem, if the file cannot be read as a riverdrill file.
    """
    name = str(path)
    return parse_source(decode(read_bounded(path, name), name), name)


def parse_source(text: str, name: str) -> Source:
    """Parse YAML text into a :class:`Source` (see :func:`read_source` for what is refused)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError.single(name, f"text over {MAX_BYTES // 2**20} MB is refused")
    text = text.removeprefix("\ufeff")
    _refuse_tab_indentation(text, name)
    try:
        root = make_yaml(reader=True).load(text)
    except UnbuildableValue as error:
        raise _unbuildable_problem(error, name) from None
    except YAMLError as error:
        raise _yaml_problem(error, name, text) from None
    except RecursionError:
        raise InputError.single(name, "nested too deeply") from None
    if root is None:
        raise InputError.single(name, "file is empty; expected a mapping of fields")
    if not isinstance(root, CommentedMap):
        kind = "a list" if isinstance(root, CommentedSeq) else f"a single value ({root!r:.40})"
        line, col = (root.lc.line + 1, root.lc.col + 1) if hasattr(root, "lc") else (1, 1)
        raise InputError.single(
            name, f"the top level must be a mapping of fields, not {kind}", line=line, col=col
        )
    return Source(name=name, text=text, root=root)


def _refuse_tab_indentation(text: str, name: str) -> None:
    for number, line in enumerate(split_lines(text), start=1):
        line = line.rstrip("\r\n")
        content = line.lstrip(" \t")
        indent = line[: len(line) - len(content)]
        # Blank and comment lines may hold stray tabs harmlessly; content lines may not.
        if "\t" in indent and content and not content.startswith("#"):
            raise InputError.single(
                name,
                "tab in indentation; YAML indents with spaces only",
                line=number,
                col=indent.index("\t") + 1,
            )


def _yaml_problem(error: YAMLError, name: str, text: str) -> InputError:
    """One line from ruamel's multi-line message: what is wrong and where."""
    if isinstance(error, MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        what = error.problem or error.context or "invalid YAML"
        if error.context and error.problem and "duplicate key" not in error.problem:
            what = f"{error.context}: {error.problem}"
        if "duplicate key" in what:
            what = what.split(" with value")[0]
        if "maximum depth" in what:
            what = f"nested more than {MAX_DEPTH} levels deep"
        if not what.startswith("YAML "):  # "YAML tags are not allowed" says it already
            what = f"YAML: {what}"
        if mark is not None:
            return InputError.single(name, what, line=mark.line + 1, col=mark.column + 1)
        return InputError.single(name, what)
    # A reader error (a control character) knows only its offset in the text.
    position = getattr(error, "position", None)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    message = message.split(" in ")[0] if message.startswith("unacceptable") else message
    if isinstance(position, int):
        line, col = line_col(text, position)
        return InputError.single(name, f"YAML: {message}", line=line, col=col)
    return InputError.single(name, f"YAML: {message}")


def _unbuildable_problem(error: UnbuildableValue, name: str) -> InputError:
    """A value that looks like a typed one (a timestamp) but cannot be built, at its node."""
    node, mark = error.node, error.node.start_mark
    written = node.value if isinstance(node, ScalarNode) else "this value"
    if str(node.tag).endswith(":timestamp"):
        message = (
            f"{written!r} is not a date and time ({error.error}); "
            "write e.g. 2025-09-12T02:10:00+08:00"
        )
    else:
        message = f"cannot read {written!r}: {error.error}"
    return InputError.single(
        name, message, line=mark.line + 1, col=mark.column + 1, path=format_path(error.path)
    )


def to_plain(node: Any) -> Any:
    """Copy ruamel's node tree into plain ``dict``/``list``/``str``/``int``/``float``/``bool``.

    Keys become text. Timestamps stay ``datetime`` (with their offset), so pydantic reads them
    as written.
    """
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(
            node.year,
            node.month,
            node.day,
            node.hour,
            node.minute,
            node.second,
            node.microsecond,
            tzinfo=node.tzinfo,
        )
    return node
