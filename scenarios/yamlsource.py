"""Reading YAML files with line numbers, and refusing what trainers should not write.

ruamel.yaml's round-trip loader keeps the line and column of every mapping key, value and
sequence item, so a problem found later (by pydantic or by the cross-reference checks) can be
reported at ``file:line:col``. Before the data goes to pydantic it is copied into plain Python
values, so validation never sees ruamel's subclasses.

Refused with a one-line message: anything but a regular file (a device such as
``/dev/zero``, a pipe), files over 5 MB, bytes that are not UTF-8, tabs in indentation, YAML
syntax errors, duplicate keys, anchors and aliases (``&x``/``*x``: never needed in a scenario,
and refusing them is the simplest defence against "billion laughs"), merge keys (``<<``, which
copy fields in from elsewhere), tags (``!!python/object``, ``!!str``: a riverdrill file is
plain data), values YAML cannot build (``2025-13-45T08:00:00+08:00`` looks like a timestamp
but is no date), an empty file, and a top level that is not a mapping.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.parser import Parser
from ruamel.yaml.scanner import Scanner

from scenarios.errors import InputError
from scenarios.paths import DataPath, PathPart, format_path

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read; a scenario is a few kB, so anything bigger is a mistake or an attack."""

MAX_DEPTH = 64
"""Deepest nesting accepted; a scenario nests about six levels."""


class _Refused(MarkedYAMLError):
    """Raised by the composer at the first anchor, alias, merge key or tag."""


class _NoAliasComposer(Composer):
    """A composer that stops at the first anchor, alias, merge key or tag.

    Anchors and merge keys would share or copy nodes (and ``Source.locate`` could not place a
    copied field); tags would ask for types a riverdrill file never holds.
    """

    # ruamel looks the parser and resolver up through properties that call sys._getframe()
    # on every event; once the load has begun they never change, so look them up once.
    @property
    def parser(self) -> Any:
        try:
            return self._cached_parser
        except AttributeError:
            self._cached_parser: Any = Composer.parser.fget(self)  # type: ignore[attr-defined]
            return self._cached_parser

    @property
    def resolver(self) -> Any:
        try:
            return self._cached_resolver
        except AttributeError:
            self._cached_resolver: Any = Composer.resolver.fget(self)  # type: ignore[attr-defined]
            return self._cached_resolver

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        problem = None
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, AliasEvent) else "&"
            problem = (
                f"anchors and aliases ({sign}{event.anchor}) are not allowed; "
                "write the value out in full"
            )
        elif isinstance(event, ScalarEvent | CollectionStartEvent) and event.tag is not None:
            problem = f"YAML tags are not allowed ({_tag_text(event.ctag)}); write the plain value"
        elif (
            isinstance(parent, MappingNode)
            and index is None  # ruamel composes a key with index None, its value with the key
            and isinstance(event, ScalarEvent)
            and event.value == "<<"
            and not event.style  # a quoted '<<' is an ordinary (unknown) key
        ):
            problem = "merge keys (<<) are not allowed; write the fields out in full"
        if problem is not None:
            raise _Refused(problem=problem, problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _tag_text(tag: Any) -> str:
    """A tag as written (``!!python/object:os.system``), not as resolved."""
    handle, suffix = getattr(tag, "handle", None), getattr(tag, "suffix", None)
    return f"{handle or ''}{suffix}" if suffix is not None else str(tag)


class _Unbuildable(YAMLError):
    """A node whose text the constructor could not turn into a value (an impossible date)."""

    def __init__(self, path: DataPath, node: Any, error: Exception) -> None:
        super().__init__(str(error))
        self.path, self.node, self.error = path, node, error


class _Constructor(RoundTripConstructor):
    """The round-trip constructor, turning a crash on a node into a located error."""

    def construct_document(self, node: Any) -> Any:
        self._document = node
        return super().construct_document(node)

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        try:
            return super().construct_non_recursive_object(node, tag)
        except (ValueError, TypeError, OverflowError) as error:
            raise _Unbuildable(_node_path(self._document, node), node, error) from None


def _node_path(root: Any, target: Any) -> DataPath:
    """The path from ``root`` to ``target`` in a composed node tree (``()`` if not found)."""
    stack: list[tuple[Any, DataPath]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if isinstance(node, MappingNode):
            for key, value in node.value:
                name: PathPart = key.value if isinstance(key, ScalarNode) else "?"
                if key is target:
                    return (*path, name)
                stack.append((value, (*path, name)))
        elif isinstance(node, SequenceNode):
            stack.extend((item, (*path, i)) for i, item in enumerate(node.value))
    return ()


class _Parser(Parser):
    """The plain parser, with its scanner and resolver looked up once (see above)."""

    @property
    def scanner(self) -> Any:
        try:
            return self._cached_scanner
        except AttributeError:
            self._cached_scanner: Any = Parser.scanner.fget(self)  # type: ignore[attr-defined]
            return self._cached_scanner

    @property
    def resolver(self) -> Any:
        try:
            return self._cached_resolver
        except AttributeError:
            self._cached_resolver: Any = Parser.resolver.fget(self)  # type: ignore[attr-defined]
            return self._cached_resolver


def make_yaml(*, reader: bool = False) -> YAML:
    """A round-trip YAML object configured the way every riverdrill file is read and written.

    Args:
        reader: For reading only. Comments are then skipped by the scanner (about 10 %
            faster); nodes still carry their line and column. Files are rewritten by splicing
            text (``writing.replace_block``), never by dumping a loaded tree.
    """
    yaml = YAML(typ="rt")
    if reader:
        yaml.Scanner = Scanner
        yaml.Parser = _Parser
    yaml.Composer = _NoAliasComposer
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    yaml.max_depth = MAX_DEPTH
    yaml.width = 4096  # never fold a long Chinese text line when writing
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


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


def read_bounded(path: str | Path, name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    The size is what was read, not what ``stat`` says: a device such as ``/dev/zero`` reports
    0 bytes and never ends. Anything but a regular file is refused before it is opened (a
    named pipe would block the open).

    Raises:
        InputError: If the file is missing, unreadable, not a regular file or too big.
    """
    too_big = f"file is bigger than {limit // 2**20} MB; files over {limit // 2**20} MB are refused"
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InputError.single(name, _NOT_REGULAR)
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced meanwhile
                raise InputError.single(name, _NOT_REGULAR)
            raw = handle.read(limit + 1)
    except OSError as error:
        raise InputError.single(name, f"cannot read: {error.strerror or error}") from None
    if len(raw) > limit:
        raise InputError.single(name, too_big)
    return raw


_NOT_REGULAR = "not a regular file (a device, pipe or directory); give a YAML file"


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), naming the first bad byte's place."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8-sig", errors="replace")
        line, col = line_col(before, len(before))
        raise InputError.single(
            name,
            f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line=line,
            col=col,
        ) from None


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of character ``offset`` of ``text``, as ruamel counts."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def parse_source(text: str, name: str) -> Source:
    """Parse YAML text into a :class:`Source` (see :func:`read_source` for what is refused)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError.single(name, f"text over {MAX_BYTES // 2**20} MB is refused")
    text = text.removeprefix("\ufeff")
    _refuse_tab_indentation(text, name)
    try:
        root = make_yaml(reader=True).load(text)
    except _Unbuildable as error:
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


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """The lines of ``text`` with their endings, counted as ruamel counts them.

    Only ``\n``, ``\r\n`` and a lone ``\r`` end a line (``str.splitlines`` also splits at
    form feeds and Unicode separators, which would shift every line number after them).
    """
    return _LINE.findall(text)


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


def _unbuildable_problem(error: _Unbuildable, name: str) -> InputError:
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
