"""The layers import one way: scenarios <- sim <- scoring <- reports <- riverdrill."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["scenarios", "sim", "scoring", "reports", "riverdrill"]
RANK = {name: i for i, name in enumerate(LAYERS)}


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def test_no_layer_imports_a_layer_above_it() -> None:
    offences = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            for imported in _imported_packages(path):
                if RANK[imported] > RANK[layer]:
                    offences.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert offences == [], "reverse imports:\n" + "\n".join(offences)


def test_the_layer_check_sees_a_reverse_import(tmp_path: Path) -> None:
    """Guard the guard: a scenarios module importing sim is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from sim.log import Log\nimport reports\n", encoding="utf-8")
    assert _imported_packages(bad) == {"sim", "reports"}
