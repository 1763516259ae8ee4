"""The YAML a riverdrill file may be written in: plain data, each refusal at its place.

ruamel.yaml's round-trip loader, configured by :func:`make_yaml`, keeps the line and column of
every node. Its composer refuses anchors and aliases (``&x``/``*x``: never needed in a
scenario, and refusing them is the simplest defence against "billion laughs"), merge keys
(``<<``, which copy fields in from elsewhere) and tags (``!!python/object``, ``!!str``: a
riverdrill file is plain data); its constructor turns a value YAML cannot build
(``2025-13-45T08:00:00+08:00`` looks like a timestamp but is no date) into an
:class:`UnbuildableValue` that knows where the value is.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.parser import Parser
from ruamel.yaml.scanner import Scanner

from scenarios.paths import DataPath, PathPart

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


class UnbuildableValue(YAMLError):
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
            raise UnbuildableValue(_node_path(self._document, node), node, error) from None


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
