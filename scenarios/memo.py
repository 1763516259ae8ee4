"""Remembering what was recently computed, within a bound: the caches of a long-lived process.

A server, a bundle or a calibration asks for the same few things many times (one scenario's
river network, one rubric's file, one rubric's fixed score lines), so they are kept — but
only the last few, so that a process running for weeks does not grow without end.

:class:`Memo` keeps values by an ordinary hashable key. :class:`IdentityMemo` keeps them by
*which* objects they were made from (``id()``, not equality: comparing two pydantic models
field by field costs more than what is saved, and equal is not the same object). An ``id()``
is only an object's own while the object is alive, so each entry holds its objects: while the
entry lives no other object can take their ids, and once it is evicted they may die.

Both forget the least recently used entry first and are safe to share between threads (a
value may be computed twice by two threads at once; both results are equal, and the later
one is kept). No third-party imports, so any module may use them. Where the value is a pure
function of hashable arguments, ``functools.lru_cache`` does the same and is preferred.
"""

from __future__ import annotations

from collections.abc import Hashable
from itertools import count
from threading import Lock
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

__all__ = ["IdentityMemo", "Memo"]


class _Entry(Generic[V]):
    __slots__ = ("used", "value")

    def __init__(self, value: V, used: int) -> None:
        self.value = value
        self.used = used  # when it was last put or got: a tick of its memo's clock


class Memo(Generic[K, V]):
    """A mapping that keeps at most ``size`` entries, forgetting the least recently used.

    A hit hashes its key once and only stamps the entry with the time (some keys, a river of
    pydantic models, cost more to hash than the rest of the lookup) and takes no lock: it is
    one dict lookup. Making room looks through every entry, so a memo is for a few dozen.

    Args:
        size: How many entries to keep (at least 1).

    Raises:
        ValueError: If ``size`` is below 1.
    """

    __slots__ = ("_clock", "_entries", "_lock", "size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"size(={size}) must be >= 1")
        self.size = size
        self._entries: dict[K, _Entry[V]] = {}
        self._clock = count()  # next() on it is atomic: two hits never get the same tick
        self._lock = Lock()  # for changes to the dict; a hit changes only its entry

    def get(self, key: K) -> V | None:
        """The value kept for ``key`` (now the most recently used), or None."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        entry.used = next(self._clock)
        return entry.value

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key``, forgetting the least recently used entry beyond the
        bound; returns ``value``. A None value is not kept (:meth:`get` could not tell it)."""
        if value is None:
            return value
        with self._lock:
            self._entries[key] = _Entry(value, next(self._clock))
            if len(self._entries) > self.size:
                oldest, _ = min(self._entries.items(), key=_used)
                del self._entries[oldest]
        return value

    def kept(self) -> list[K]:
        """The keys kept, least recently used first."""
        with self._lock:
            return [key for key, _ in sorted(self._entries.items(), key=_used)]

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def _used(item: tuple[object, _Entry[V]]) -> int:
    return item[1].used


class IdentityMemo(Generic[V]):
    """Values kept by the identity of the object they were made from (and an extra key).

    An entry holds its object, so its id stays its own until the entry is evicted: a later
    object that happens to get a dead one's id is never taken for it. At most ``size``
    entries (and so objects) are kept, the least recently used forgotten first. An ``extra``
    that is another object's ``id()`` is safe only while that object is held too (as the
    value, say).

    Args:
        size: How many entries to keep (at least 1).
    """

    __slots__ = ("_memo",)

    def __init__(self, size: int) -> None:
        self._memo: Memo[tuple[int, Hashable], tuple[object, V]] = Memo(size)

    def get(self, obj: object, extra: Hashable = None) -> V | None:
        """The value kept for this very ``obj`` and ``extra``, or None."""
        entry = self._memo.get((id(obj), extra))
        # Always the same object while the entry holds it; checked so a hit never rests on
        # that alone.
        return entry[1] if entry is not None and entry[0] is obj else None

    def put(self, obj: object, value: V, extra: Hashable = None) -> V:
        """Keep ``value`` for this very ``obj`` and ``extra`` (holding ``obj``); returns
        ``value``."""
        if value is not None:
            self._memo.put((id(obj), extra), (obj, value))
        return value

    def clear(self) -> None:
        """Forget everything (and let go of the objects held)."""
        self._memo.clear()

    def __len__(self) -> int:
        return len(self._memo)
