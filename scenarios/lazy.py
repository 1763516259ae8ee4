"""Lazy package exports (PEP 562), shared by every layer's ``__init__``.

A package lists which module holds each public name; the name is imported on first use and
then cached in the package, so ``import sim.log`` or ``riverdrill validate`` never pays for the
numeric libraries of names they do not touch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, where: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of a package whose names load on first use.

    Args:
        package: The package's ``__name__`` (for the error message).
        where: Public name → module that defines it.
        namespace: The package's ``globals()``; a loaded name is stored there, so later
            look-ups skip ``__getattr__``.
    """

    def getattr_(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted(where)

    return getattr_, dir_
