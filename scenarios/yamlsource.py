"""Reading YAML files with line numbers, and refusing what trainers should not write.

ruamel.yaml's round-trip loader keeps the line and column of every mapping key, value and
sequence item, so a problem found later (by pydantic or by the cross-reference checks) can be
reported at ``file:line:col``. Before the data goes to pydantic it is copied into plain Python
values, so validation never sees ruamel's subclasses.

Refused with a one-line message: files over 5 MB, bytes that are not UTF-8, tabs in
indentation, YAML syntax errors, duplicate keys, anchors and aliases (``&x``/``*x``: never
needed in a scenario, and refusing them is the simplest defence against "billion laughs"), an
empty file, and a top level that is not a mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.parser import Parser
from ruamel.yaml.scanner import Scanner

from scenarios.errors import InputError
from scenarios.paths import DataPath

MAX_BYTES = 5 * 1024 * 1024
"""Largest file read; a scenario is a few kB, so anything bigger is a mistake or an attack."""

MAX_DEPTH = 64
"""Deepest nesting accepted; a scenario nests about six levels."""


class _AnchorRefused(MarkedYAMLError):
    """Raised by the composer at the first anchor or alias."""


class _NoAliasComposer(Composer):
    """A composer that stops at the first anchor or alias instead of sharing nodes."""

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
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, AliasEvent) else "&"
            raise _AnchorRefused(
                problem=(
                    f"anchors and aliases ({sign}{event.anchor}) are not allowed; "
                    "write the value out in full"
                ),
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


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
            ``(line, col)``. A missing key resolves to the mapping that lacks it.
        """
        node: Any = self.root
        line, col = node.lc.line, node.lc.col
        for i, part in enumerate(path):
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
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise InputError.single(
                name, f"file is {size / 1e6:.1f} MB; files over {MAX_BYTES // 2**20} MB are refused"
            )
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputError.single(name, f"cannot read: {error.strerror or error}") from None
    return parse_source(decode(raw, name), name)


def decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark), naming the first bad byte's place."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = error.start - (before.rfind(b"\n") + 1) + 1
        raise InputError.single(
            name,
            f"not UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
            line=line,
            col=col,
        ) from None


def parse_source(text: str, name: str) -> Source:
    """Parse YAML text into a :class:`Source` (see :func:`read_source` for what is refused)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError.single(name, f"text over {MAX_BYTES // 2**20} MB is refused")
    text = text.removeprefix("\ufeff")
    _refuse_tab_indentation(text, name)
    try:
        root = make_yaml(reader=True).load(text)
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
        if mark is not None:
            return InputError.single(name, f"YAML: {what}", line=mark.line + 1, col=mark.column + 1)
        return InputError.single(name, f"YAML: {what}")
    # A reader error (a control character) knows only its offset in the text.
    position = getattr(error, "position", None)
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    message = message.split(" in ")[0] if message.startswith("unacceptable") else message
    if isinstance(position, int):
        line = text.count("\n", 0, position) + 1
        col = position - (text.rfind("\n", 0, position) + 1) + 1
        return InputError.single(name, f"YAML: {message}", line=line, col=col)
    return InputError.single(name, f"YAML: {message}")


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
