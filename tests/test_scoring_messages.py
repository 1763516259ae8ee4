"""The scorecard's message catalogue: both languages hold the same keys with the same
placeholders, every key the code names exists, and a gap fails when the catalogue is read,
not as a blank in a scorecard."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from scenarios.catalogue import Catalogue, CatalogueError, disagreements, read_tables
from scoring.filters import ContentElement
from scoring.rubric import Outcome
from scoring.wording import LANGS, MESSAGES_DIR, messages

EXPLAIN = Path(__file__).resolve().parent.parent / "scoring" / "explain.py"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _write(directory: Path, **files: str) -> Path:
    for lang, text in files.items():
        (directory / f"{lang}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_both_languages_hold_the_same_keys_with_the_same_placeholders() -> None:
    assert disagreements(read_tables(MESSAGES_DIR, LANGS)) == []


def test_the_scoring_catalogue_reads_and_is_cached() -> None:
    assert messages() is messages()
    assert messages().langs == LANGS


def test_a_key_missing_from_one_language_is_refused_when_the_catalogue_is_read(
    tmp_path: Path,
) -> None:
    _write(tmp_path, zh='a: "甲"\nb:\n  c: "丙"\n', en='a: "A"\n')
    with pytest.raises(CatalogueError, match=r"b\.c: missing from en\.yaml"):
        Catalogue.read(tmp_path)


def test_a_placeholder_one_language_lacks_is_refused_when_the_catalogue_is_read(
    tmp_path: Path,
) -> None:
    _write(tmp_path, zh='line: "{name}：{count} 次"\n', en='line: "{name}: times"\n')
    with pytest.raises(CatalogueError, match=r"line: placeholders differ"):
        Catalogue.read(tmp_path)


def test_a_value_that_is_not_text_is_refused(tmp_path: Path) -> None:
    _write(tmp_path, zh="none: ~\n", en="none: ~\n")
    with pytest.raises(CatalogueError, match=r"none: expected text, got None"):
        Catalogue.read(tmp_path)


def test_looking_up_a_key_no_language_defines_raises() -> None:
    with pytest.raises(KeyError, match=r"criterion\.no_such_reason"):
        messages().text("criterion.no_such_reason", "zh")


def test_a_placeholder_left_unfilled_raises() -> None:
    with pytest.raises(KeyError, match="score"):
        messages().text("criterion.no_report", "en", name="Written report")


KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)*$")


def _named_keys() -> tuple[set[str], set[str]]:
    """The keys ``explain.py`` names: dotted literals anywhere (``"penalty.once"``) and any
    literal it looks up (``say["list_sep"]``); and the sections it builds keys in from data
    (``_one_of(say, "verb", …)``, ``say[f"measure.{…}"]``)."""
    keys: set[str] = set()
    sections: set[str] = set()
    for node in ast.walk(ast.parse(EXPLAIN.read_text(encoding="utf-8"))):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and "." in text and KEY.match(text):
            keys.add(text)
        looked_up: ast.expr | None = None
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "say":
            looked_up = node.slice
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "say.get":
            looked_up = node.args[0]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_one_of":
            sections.add(ast.literal_eval(node.args[1]))
        if isinstance(looked_up, ast.Constant) and isinstance(looked_up.value, str):
            keys.add(looked_up.value)
        elif isinstance(looked_up, ast.JoinedStr) and isinstance(looked_up.values[0], ast.Constant):
            sections.add(str(looked_up.values[0].value).rpartition(".")[0])
    return keys, sections


def test_every_key_explain_names_is_in_the_catalogue() -> None:
    keys, sections = _named_keys()
    assert sorted(keys - messages().keys) == []
    in_catalogue = {key.rpartition(".")[0] for key in messages().keys}
    assert sorted(sections - in_catalogue) == []
    assert len(keys) > 20 and {"verb", "start", "measure", "element"} <= sections  # scan works


def test_sections_looked_up_from_data_have_a_default() -> None:
    _, sections = _named_keys()
    built_with_fallback = {"verb", "start", "not_applicable_because"}
    assert built_with_fallback <= sections
    for section in built_with_fallback:
        assert messages().has(f"{section}.default"), section


def test_every_report_element_and_outcome_measure_has_words_in_both_languages() -> None:
    for element in get_args(ContentElement):
        assert messages().has(f"element.{element}"), element
    for measure in Outcome.model_fields:
        assert messages().has(f"measure.{measure}"), measure


def test_explain_holds_no_chinese_prose_outside_its_docstrings() -> None:
    tree = ast.parse(EXPLAIN.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)  # type: ignore[attr-defined]
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    prose = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CJK.search(node.value)
    ]
    assert prose == []
