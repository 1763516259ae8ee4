"""Message catalogues: the words a reader sees, kept out of the code, one YAML file per language.

A catalogue is a directory holding ``zh.yaml``, ``en.yaml``, … with the same keys (nested
mappings flatten to dotted keys: ``limit.none``) and, under each key, the same
``{placeholders}``. It is checked as a whole when it is read: a key one language lacks, a
placeholder one language has and another has not, or a value that is not text raises
:class:`CatalogueError` naming the key and the file; looking up a key no language defines
raises ``KeyError``. So a gap fails the first test that reads the catalogue, and never shows
as a blank or a raw key in a scorecard a bureau signs.

Any layer may keep a catalogue (``scoring/messages/``); this module only reads and checks one.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


class CatalogueError(ValueError):
    """A catalogue whose languages disagree, or that holds something other than text."""


def placeholders(template: str) -> frozenset[str]:
    """The ``{name}`` fields of a ``str.format`` template."""
    return frozenset(
        field for _, field, _, _ in string.Formatter().parse(template) if field is not None
    )


def _flatten(tree: Mapping[str, Any], where: str, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, where, name + "."))
        elif isinstance(value, str):
            flat[name] = value
        else:
            raise CatalogueError(f"{where}: {name}: expected text, got {value!r}")
    return flat


def read_tables(directory: Path, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    """Each language's flat ``key -> template`` table, from ``directory/<lang>.yaml``.

    Raises:
        CatalogueError: If a file's top level is not a mapping or a value is not text.
    """
    tables: dict[str, dict[str, str]] = {}
    for lang in langs:
        path = directory / f"{lang}.yaml"
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        if not isinstance(data, Mapping):
            raise CatalogueError(f"{path}: expected a mapping of message keys")
        tables[lang] = _flatten(data, str(path))
    return tables


def disagreements(tables: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Every way the languages of ``tables`` disagree, one line each; empty when they agree."""
    problems = []
    keys = sorted(set().union(*tables.values()))
    for key in keys:
        missing = [lang for lang, table in tables.items() if key not in table]
        if missing:
            problems.append(f"{key}: missing from {', '.join(f'{m}.yaml' for m in missing)}")
            continue
        fields = {lang: placeholders(table[key]) for lang, table in tables.items()}
        if len(set(fields.values())) > 1:
            shown = "; ".join(f"{lang} {{{', '.join(sorted(f))}}}" for lang, f in fields.items())
            problems.append(f"{key}: placeholders differ ({shown})")
    return problems


class _Table(dict[str, str]):
    """One language's messages; a key it lacks raises ``KeyError`` naming the key."""

    def __init__(self, lang: str, table: Mapping[str, str]) -> None:
        super().__init__(table)
        self.lang = lang

    def __missing__(self, key: str) -> str:
        raise KeyError(f"message {key!r} in {self.lang!r} is in no catalogue")


class Catalogue:
    """The messages of one catalogue, in every language it holds, checked to agree.

    Args:
        tables: ``lang -> key -> template``, the first language the default.

    Raises:
        CatalogueError: If the languages disagree (see :func:`disagreements`).
    """

    def __init__(self, tables: Mapping[str, Mapping[str, str]]) -> None:
        problems = disagreements(tables)
        if problems:
            raise CatalogueError("message catalogue languages disagree:\n" + "\n".join(problems))
        self._tables = {lang: _Table(lang, table) for lang, table in tables.items()}
        self._keys = frozenset(next(iter(self._tables.values()), {}))

    @classmethod
    def read(cls, directory: Path, langs: Sequence[str] = ("zh", "en")) -> Catalogue:
        """The catalogue kept in ``directory`` as one ``<lang>.yaml`` per language."""
        return cls(read_tables(directory, langs))

    @property
    def langs(self) -> tuple[str, ...]:
        """The languages held, the default first."""
        return tuple(self._tables)

    @property
    def keys(self) -> frozenset[str]:
        """Every message key (the same in every language)."""
        return self._keys

    def has(self, key: str) -> bool:
        """Whether ``key`` is a message (for keys built from data, such as ``verb.<action>``)."""
        return key in self._keys

    def table(self, lang: str) -> Mapping[str, str]:
        """The templates of ``lang`` by key, for code that writes many lines in one language;
        ``table[key]`` raises ``KeyError`` for a key no language defines.

        Raises:
            KeyError: If ``lang`` is not in the catalogue.
        """
        return self._tables[lang]

    def text(self, key: str, lang: str, **params: Any) -> str:
        """The message ``key`` in ``lang``, its ``{name}`` placeholders filled from ``params``.

        Raises:
            KeyError: If ``lang`` or ``key`` is not in the catalogue, or a placeholder has no
                value in ``params`` (a bug, not bad input).
        """
        return self._tables[lang][key].format(**params)
