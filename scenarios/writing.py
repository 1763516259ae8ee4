"""Writing files safely: all or nothing, and touching only what was meant to change.

Files are written with ``scenarios.atomicfile.write_atomic`` (all or nothing, so a crash or
a full disk never leaves a half-written scenario). ``replace_block`` swaps the
text of one top-level key of a YAML document and leaves every other byte of the file,
comments included, as the trainer wrote it. ``rewrite_items`` goes one step finer for a list
of mappings (the ``injects:`` after an MSEL import): an item that did not change keeps its
text, comments and all; a changed one is edited in its own ruamel node, so its comments stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from scenarios.textfile import split_lines
from scenarios.yamldialect import make_yaml
from scenarios.yamlsource import Source, to_plain


def dump_yaml(data: Any) -> str:
    """YAML text for ``data`` (use ruamel ``CommentedMap``s to choose flow or block style)."""
    from io import StringIO

    out = StringIO()
    make_yaml().dump(data, out)
    return out.getvalue()


def replace_block(source: Source, key: str, block: str) -> str:
    """The document text with top-level ``key`` and its value replaced by ``block``.

    Args:
        source: The parsed document (its node tree says where each top-level key starts).
        key: The top-level key to replace; appended at the end when absent.
        block: Complete YAML text for the key and its value, ending in a newline.

    Returns:
        The new document text. Top-level comments just above the next key stay with it.
    """
    root: CommentedMap = source.root
    lines = split_lines(source.text)
    block = _line_endings(block, source.text)
    if root.fa.flow_style():  # a whole document in {…}: no line belongs to one key alone
        whole = CommentedMap(root)
        whole.pop(key, None)
        return dump_yaml(whole) + block
    if key not in root:
        text = source.text
        if text and not text.endswith(("\n", "\r")):
            text += "\r\n" if "\r\n" in text else "\n"
        return text + block
    start, end = _block_span(source, key, lines)
    return "".join(lines[:start]) + block + "".join(lines[end:])


def _block_span(source: Source, key: str, lines: list[str]) -> tuple[int, int]:
    """The 0-based lines ``[start, end)`` of top-level ``key`` and its value."""
    root: CommentedMap = source.root
    keys = list(root)
    start = root.lc.key(key)[0]
    index = keys.index(key)
    end = root.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
    # Blank lines and column-0 comments just above the next key introduce that key.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return start, end


def _line_endings(text: str, like: str) -> str:
    """``text`` with the line endings of ``like`` (a file saved on Windows stays CRLF)."""
    if "\r\n" in like:
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


@dataclass(frozen=True)
class Item:
    """One item of a list rewritten by :func:`rewrite_items`.

    Attributes:
        old: Index of the item in the list as written, or ``None`` for a new item.
        node: The item's content (a ruamel mapping, small values in flow style); ``None``
            keeps the old item exactly as written.
        same: Keys of ``node`` whose old value means the same: it stays as written.
    """

    old: int | None = None
    node: CommentedMap | None = None
    same: frozenset[str] = frozenset()


def rewrite_items(source: Source, key: str, items: Sequence[Item]) -> str | None:
    """The document text with the list at top-level ``key`` made of ``items``, in that order.

    Each old item carries its lines along: the comment lines just above its ``-`` (no deeper
    than the dash) and its own text. An item without a ``node`` is copied as written; a
    changed one is edited in its ruamel node (fields in ``same`` untouched, changed ones
    replaced, dropped ones deleted, new ones inserted in ``node``'s order), so comments inside
    it stay; an old item not in ``items`` goes with its comment lines. Everything outside the
    list is kept byte for byte.

    Returns:
        The new text, or ``None`` when the list is not a non-empty block list of mappings
        with ``- key: value`` on each dash's line (use :func:`replace_block` then).
    """
    root: CommentedMap = source.root
    if root.fa.flow_style() or key not in root:
        return None
    seq = root[key]
    if not isinstance(seq, CommentedSeq) or seq.fa.flow_style() or not len(seq):
        return None
    lines = split_lines(source.text)
    start, end = _block_span(source, key, lines)
    if end == len(lines) and not lines[-1].endswith(("\n", "\r")):  # items move: end each line
        lines[-1] += "\r\n" if "\r\n" in source.text else "\n"
    dashes = []
    for i, item in enumerate(seq):
        line, col = seq.lc.item(i)
        text = lines[line]
        dash = len(text) - len(text.lstrip(" "))
        if not isinstance(item, CommentedMap) or not text[dash:col].startswith("-"):
            return None
        dashes.append((line, dash))
    indent = dashes[0][1]
    # Lines of item i: [lead, dash) the comment lines that introduce it, [dash, tail) its text,
    # [tail, next lead) blank lines and shallow comments after it; all three travel with it.
    # Above the first lead (the key's line; comments above a blank line) and below the last
    # item's text, lines belong to the list and stay where they are.
    leads, tails = [], []
    for i, (dash, _) in enumerate(dashes):
        floor = dashes[i - 1][0] + 1 if i else start + 1
        lead = dash
        while lead > floor and _is_comment(lines[lead - 1], indent):
            lead -= 1
        leads.append(lead)
    for i, (dash, _) in enumerate(dashes):
        limit = leads[i + 1] if i + 1 < len(dashes) else end
        tail = limit
        while tail > dash + 1 and _is_loose(lines[tail - 1], indent):
            tail -= 1
        tails.append(tail)
    last = len(dashes) - 1
    out = lines[start : leads[0]]
    tree: Any = None
    for item in items:
        if item.old is None:
            assert item.node is not None
            out.append(_dump_item(item.node, indent, source.text))
            continue
        i = item.old
        following = leads[i + 1] if i < last else tails[last]
        out += lines[leads[i] : dashes[i][0]]
        if item.node is None:
            out += lines[dashes[i][0] : tails[i]]
        else:
            if tree is None:
                tree = _commented_tree(source.text)
            node = tree[key][i]
            _drop_trailing_comments(node, indent)
            _merge(node, item.node, item.same)
            out.append(_dump_item(node, indent, source.text))
        out += lines[tails[i] : following]
    out += lines[tails[last] : end]
    return "".join(lines[:start]) + "".join(out) + "".join(lines[end:])


def _is_comment(line: str, indent: int) -> bool:
    """A comment line no deeper than the list's dashes: it introduces the next item."""
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and len(line) - len(stripped) <= indent


def _is_loose(line: str, indent: int) -> bool:
    """A line after an item's text that is not part of it: blank, or a shallow comment."""
    return not line.strip() or _is_comment(line, indent)


def _commented_tree(text: str) -> Any:
    """The document with comments and quoting kept, for editing nodes in place."""
    yaml = make_yaml()
    yaml.preserve_quotes = True
    return yaml.load(text)


def _drop_trailing_comments(node: Any, indent: int) -> None:
    """Detach the comment lines ruamel hangs on an item's last value that are not the item's.

    ruamel keeps the lines after a value (blank lines, the next item's comments) in one token
    on the last key of the deepest last mapping. Written out after an edit, they would land
    inside the item; the caller copies them as written instead. An end-of-line comment, and
    comment lines deeper than the dashes that end the item, stay.
    """
    while isinstance(node, CommentedMap | CommentedSeq) and len(node):
        last: Any = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        for slot in node.ca.items.get(last, ()):
            for token in slot if isinstance(slot, list) else [slot]:
                if token is not None and hasattr(token, "value"):
                    token.value = _own_lines(token.value, indent)
        value = node[last]
        for token in getattr(getattr(value, "ca", None), "end", None) or ():
            if token is not None and hasattr(token, "value"):
                token.value = _own_lines(token.value, indent)
        node = value


def _own_lines(comment: str, indent: int) -> str:
    """The start of a comment token that belongs to the value before it (see above)."""
    first, _, rest = comment.partition("\n")
    kept = [first]
    for line in rest.split("\n"):
        if not line.strip() or _is_comment(line, indent):
            break
        kept.append(line)
    return "\n".join(kept) + "\n"


def _merge(old: CommentedMap, new: CommentedMap, same: frozenset[str] = frozenset()) -> None:
    """Make ``old`` hold ``new``'s content, keeping whatever did not change as it was written."""
    for gone in [k for k in old if k not in new]:
        del old[gone]
    previous = -1
    for key, value in new.items():
        if key in old:
            previous = list(old).index(key)
            if key in same or to_plain(old[key]) == to_plain(value):
                continue
            if isinstance(old[key], CommentedMap) and isinstance(value, CommentedMap):
                _merge(old[key], value)  # keeps a block mapping a block mapping
            else:
                old[key] = value
        else:
            previous += 1
            old.insert(previous, key, value)


def _dump_item(node: CommentedMap, indent: int, like: str) -> str:
    """``- node`` as YAML with its dash at column ``indent``, without comment lines around it.

    ruamel writes the values at its own indentation (the dash at column 2 under a key) but a
    comment line at the column it was read at: values are moved to ``indent``, comments not.
    """
    text = dump_yaml(CommentedMap([("_", CommentedSeq([node]))]))
    lines = split_lines(text)[1:]  # the "_:" line
    # Around the item, comment lines are its neighbours' (copied as written by the caller).
    while lines and not lines[0].lstrip(" ").startswith("-"):
        lines.pop(0)
    while lines and _is_loose(lines[-1], indent):
        lines.pop()
    shifted = [
        line if line.lstrip(" ").startswith("#") else _shift(line, indent - 2) for line in lines
    ]
    return _line_endings("".join(shifted), like)


def _shift(line: str, by: int) -> str:
    """``line`` indented ``by`` more columns (fewer when negative, never cutting text)."""
    if by >= 0:
        return " " * by + line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(-by, spaces) :]
