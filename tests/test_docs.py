"""The design documents in docs/ are the shared ones, word for word, under a provenance note."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COPIES = ("DESIGN.md", "DOMAIN.md", "PLUME.md", "STYLE.md")


@pytest.mark.parametrize("name", COPIES)
def test_a_design_document_in_docs_is_the_shared_one(name: str) -> None:
    copy = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert copy.startswith("<!-- A copy of the project's shared/")
    shared = ROOT.parent / "shared" / name
    if not shared.exists():
        pytest.skip(f"shared/{name} is not beside this checkout")
    body = copy.split("-->\n\n", 1)[1]
    assert body == shared.read_text(encoding="utf-8"), f"docs/{name} differs from shared/{name}"
