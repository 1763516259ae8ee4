"""Writing files safely: all or nothing, and touching only what was meant to change.

``write_atomic`` writes a temporary file next to the target and renames it over the target,
so a crash or a full disk never leaves a half-written scenario. ``replace_block`` swaps the
text of one top-level key of a YAML document (the ``injects:`` list after an MSEL import) and
leaves every other byte of the file, comments included, as the trainer wrote it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from scenarios.yamlsource import Source, make_yaml, split_lines


def write_atomic(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` in one step: readers see the old file or the new one.

    Raises:
        OSError: If the directory is not writable; the target is then left untouched.
    """
    target = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):  # keep the old permissions where we can
                os.chmod(temp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


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
    if "\r\n" in source.text:  # a file saved on Windows stays CRLF throughout
        block = block.replace("\r\n", "\n").replace("\n", "\r\n")
    if root.fa.flow_style():  # a whole document in {…}: no line belongs to one key alone
        whole = CommentedMap(root)
        whole.pop(key, None)
        return dump_yaml(whole) + block
    keys = list(root)
    if key not in root:
        text = source.text
        if text and not text.endswith(("\n", "\r")):
            text += "\r\n" if "\r\n" in text else "\n"
        return text + block
    start = root.lc.key(key)[0]
    index = keys.index(key)
    end = root.lc.key(keys[index + 1])[0] if index + 1 < len(keys) else len(lines)
    # Blank lines and column-0 comments just above the next key introduce that key.
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:start]) + block + "".join(lines[end:])
