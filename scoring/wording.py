"""The scorecard's words: the ``scoring/messages/{zh,en}.yaml`` catalogue, read once.

Score lines are written in Chinese and English side by side (``scoring.explain``); the
sentences live in the catalogue, the code holds only their keys.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scenarios.catalogue import Catalogue

LANGS = ("zh", "en")
"""The languages of every score line; Chinese first."""

MESSAGES_DIR = Path(__file__).with_name("messages")


@cache
def messages() -> Catalogue:
    """The scoring catalogue, read and checked on first use.

    Raises:
        CatalogueError: If its languages disagree (a bug caught by the test suite).
    """
    return Catalogue.read(MESSAGES_DIR, LANGS)
