"""Lazy package exports (``scenarios.lazy``): every listed name loads, and none can be shadowed."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

PACKAGES = ("scenarios", "sim", "reports")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_lazily_exported_name_loads_from_the_module_listed(package: str) -> None:
    module = importlib.import_module(package)
    for name, home in module._WHERE.items():
        assert getattr(module, name) is getattr(importlib.import_module(home), name)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_lazily_exported_name_is_also_a_submodule(package: str) -> None:
    # Importing a submodule sets the package attribute of the same name to the module, so a
    # lazy name like that would resolve to the module or the object depending on import order.
    module = importlib.import_module(package)
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}
    assert not set(module._WHERE) & submodules
