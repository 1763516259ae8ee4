"""A memo keeps the last few values, forgets the least recently used first, and keys by
identity without mistaking a new object for a dead one."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from scenarios.memo import IdentityMemo, Memo


class Thing:
    """A plain object: equal only to itself, weakly referenceable."""


def test_a_memo_gives_back_what_was_put_and_none_for_what_was_not() -> None:
    memo: Memo[str, int] = Memo(4)
    assert memo.put("a", 1) == 1
    assert memo.get("a") == 1
    assert memo.get("b") is None


def test_a_memo_keeps_at_most_its_size() -> None:
    memo: Memo[int, int] = Memo(3)
    for i in range(10):
        memo.put(i, i * i)
        assert len(memo) <= 3
    assert memo.kept() == [7, 8, 9]


def test_a_memo_forgets_the_least_recently_used_first() -> None:
    memo: Memo[str, int] = Memo(3)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("c", 3)
    assert memo.get("a") == 1  # "a" is now the most recently used; "b" the least
    memo.put("d", 4)
    assert memo.kept() == ["c", "a", "d"]
    assert memo.get("b") is None


def test_using_the_newest_entry_again_keeps_the_order() -> None:
    memo: Memo[tuple[str, int], int] = Memo(2)
    memo.put(("a", 1), 1)
    memo.put(("b", 2), 2)
    assert memo.get(("b", 2)) == 2  # an equal key, not the same object
    assert memo.get(("a", 1)) == 1
    assert memo.get(("a", 1)) == 1
    memo.put(("c", 3), 3)
    assert memo.kept() == [("a", 1), ("c", 3)]


def test_putting_a_kept_key_again_replaces_its_value_and_refreshes_it() -> None:
    memo: Memo[str, int] = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("a", 10)
    memo.put("c", 3)
    assert memo.kept() == ["a", "c"] and memo.get("a") == 10


def test_a_memo_of_size_zero_is_refused_naming_the_size() -> None:
    with pytest.raises(ValueError, match=r"size\(=0\) must be >= 1"):
        Memo(0)


def test_a_memo_shared_by_threads_stays_within_its_size() -> None:
    memo: Memo[int, int] = Memo(8)

    def work(offset: int) -> None:
        for i in range(2000):
            key = (i + offset) % 20
            if memo.get(key) is None:
                memo.put(key, key)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(memo) == 8 and all(memo.get(k) == k for k in memo.kept())


def test_an_identity_memo_tells_equal_objects_apart() -> None:
    memo: IdentityMemo[str] = IdentityMemo(4)
    a, b = (1, 2), tuple([1, 2])  # equal, not the same object
    assert a == b and a is not b
    memo.put(a, "a")
    assert memo.get(a) == "a"
    assert memo.get(b) is None


def test_an_identity_memo_keys_by_the_object_and_the_extra_key() -> None:
    memo: IdentityMemo[str] = IdentityMemo(4)
    x = Thing()
    memo.put(x, "x")
    memo.put(x, "x/late", extra="late")
    assert memo.get(x) == "x"
    assert memo.get(x, "late") == "x/late"
    assert memo.get(x, "early") is None
    assert memo.get(Thing()) is None


def test_an_identity_memo_holds_its_objects_until_they_are_evicted() -> None:
    memo: IdentityMemo[int] = IdentityMemo(2)
    kept = Thing()
    ref = weakref.ref(kept)
    memo.put(kept, 1)
    del kept
    gc.collect()
    assert ref() is not None  # held by the entry, so its id cannot pass to another object
    memo.put(Thing(), 2)
    memo.put(Thing(), 3)  # evicts the first entry
    gc.collect()
    assert ref() is None and len(memo) == 2


def test_a_new_object_never_takes_the_place_of_one_dropped_by_its_caller() -> None:
    memo: IdentityMemo[str] = IdentityMemo(4)
    for _ in range(100):
        old = Thing()
        memo.put(old, "old")
        del old  # only the memo holds it now; a cache keyed by a bare id() would let it die
        new = Thing()  # ... and CPython would give this one the freed block, and so its id
        assert memo.get(new) is None


def test_a_new_object_with_an_evicted_ones_id_is_not_taken_for_it() -> None:
    memo: IdentityMemo[str] = IdentityMemo(1)
    reused = False
    for _ in range(1000):
        old = Thing()
        old_id, old_ref = id(old), weakref.ref(old)
        memo.put(old, "old")
        del old
        memo.put(Thing(), "filler")  # evicts "old": the object dies, its id is free
        assert old_ref() is None
        new = Thing()
        if id(new) == old_id:
            reused = True
            assert memo.get(new) is None
            break
    # CPython hands a freed block straight to the next object of its size; if it ever does
    # not, the test has shown nothing rather than something wrong.
    assert reused, "no id was reused in 1000 tries"


def test_clearing_a_memo_forgets_everything() -> None:
    memo: IdentityMemo[int] = IdentityMemo(4)
    thing = Thing()
    memo.put(thing, 1)
    memo.clear()
    assert len(memo) == 0 and memo.get(thing) is None
