"""The rubric language: shipped rubrics, DESIGN.md's example, and bad files with lines."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import get_args

import pytest
from test_scoring_logs import DATA, ROOT, tutorial, tutorial_log

from scenarios.actions import ReportContent
from scenarios.errors import InputError
from scenarios.load import load_scenario
from scoring.filters import ContentElement
from scoring.rubric import CapabilityName, Rubric
from scoring.rulebook import bundled_rubrics, check_references, load_rubric
from scoring.schemas import CHECKED_IN, schema_text
from scoring.score import score_run

LIBRARY = ROOT / "scenarios" / "library"
EXPECT = re.compile(r"^# expect: (\d+): (.+)$")


def _expectation(path: Path) -> tuple[int, str]:
    match = EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path} must start with '# expect: LINE: text'"
    return int(match.group(1)), match.group(2)


def test_the_abridged_rubric_of_design_md_parses() -> None:
    rubric = load_rubric(DATA / "design-abridged.yaml")
    assert [c.kind for c in rubric.criteria] == ["timed", "timed", "outcome", "match", "judge"]
    assert rubric.criterion("judges-plan-quality").max_points == 20  # type: ignore[union-attr]


def test_the_design_md_text_itself_still_holds_the_same_rubric(tmp_path: Path) -> None:
    """DESIGN.md's rubric example parses: the copy in docs/, and the shared original when it is
    beside the checkout."""
    designs = [ROOT / "docs" / "DESIGN.md", ROOT.parent / "shared" / "DESIGN.md"]
    for design in [d for d in designs if d.exists()]:
        _rubric_block_parses(design, tmp_path)
    assert designs[0].exists()


def _rubric_block_parses(design: Path, tmp_path: Path) -> None:
    text = design.read_text(encoding="utf-8")
    block = text.split("## Rubric file (abridged)", 1)[1].split("```yaml", 1)[1].split("```")[0]
    path = tmp_path / "design.yaml"
    path.write_text(block, encoding="utf-8")
    assert load_rubric(path).id == "chongqing-2024"


@pytest.mark.parametrize("name", ["chongqing-2024", "national-2011"])
def test_shipped_rubrics_load_and_fit_every_bundled_scenario(name: str) -> None:
    assert name in bundled_rubrics()
    rubric = load_rubric(name)
    for path in sorted(LIBRARY.glob("*.yaml")):
        check_references(rubric, load_scenario(path))


@pytest.mark.parametrize("name", ["chongqing-2024", "national-2011"])
def test_every_shipped_criterion_has_bilingual_names_and_a_capability(name: str) -> None:
    rubric = load_rubric(name)
    for criterion in rubric.criteria:
        assert criterion.name is not None and criterion.name.en, criterion.id
        assert isinstance(criterion.capability, CapabilityName), criterion.id


def test_the_chongqing_rubric_has_the_criteria_the_library_injects_expect() -> None:
    ids = {c.id for c in load_rubric("chongqing-2024").criteria}
    for path in sorted(LIBRARY.glob("*.yaml")):
        for inject in load_scenario(path).injects:
            assert set(inject.expects) <= ids, (path.name, inject.id)


def test_the_chongqing_rubric_keeps_the_configurable_limits_as_data() -> None:
    rubric = load_rubric("chongqing-2024")
    phone, written = rubric.criterion("phone-report"), rubric.criterion("written-report")
    assert phone is not None and phone.limit == 30
    assert written is not None and written.limit == 60
    notice = rubric.criterion("downstream-notice")
    assert notice is not None and notice.deadline is not None
    assert notice.deadline.margin == 120


@pytest.mark.parametrize("path", sorted((DATA / "bad").glob("*.yaml")), ids=lambda p: p.stem)
def test_a_bad_rubric_fails_with_its_file_and_line(path: Path) -> None:
    line, text = _expectation(path)
    with pytest.raises(InputError) as caught:
        load_rubric(path)
    problems = caught.value.problems
    assert any(
        p.file == str(path) and p.line == line and text in p.message + p.path for p in problems
    ), "\n".join(map(str, problems))


@pytest.mark.parametrize(
    "path", sorted((DATA / "needs-scenario").glob("*.yaml")), ids=lambda p: p.stem
)
def test_a_rubric_naming_what_the_scenario_lacks_fails_at_scoring_with_file_and_line(
    path: Path,
) -> None:
    line, text = _expectation(path)
    rubric = load_rubric(path)  # fine on its own: only a scenario can tell
    with pytest.raises(InputError) as caught:
        score_run(tutorial(), rubric, tutorial_log())
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), line)
    assert text in problem.message
    assert str(problem).startswith(f"{path}:{line}:")


def test_a_missing_rubric_names_the_bundled_ones() -> None:
    with pytest.raises(InputError, match="chongqing-2024"):
        load_rubric("guangdong-2030")


def test_content_elements_are_the_fields_of_the_report_content() -> None:
    assert set(get_args(ContentElement)) == set(ReportContent.model_fields)


@pytest.mark.parametrize("name", sorted(CHECKED_IN))
def test_the_checked_in_json_schemas_match_the_models(name: str) -> None:
    """Regenerate with RIVERDRILL_REGEN=1 (or ``python -m scoring.schemas``)."""
    path = CHECKED_IN[name]
    fresh = schema_text(name)
    if os.environ.get("RIVERDRILL_REGEN") == "1":
        path.write_text(fresh, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == fresh, f"{path.name} is stale; regenerate it"


def test_a_rubric_can_be_built_in_code_and_validated_like_a_file() -> None:
    rubric = Rubric.model_validate(
        {
            "id": "tiny",
            "name": "小",
            "criteria": [{"id": "declared", "match": {"declared_level": "truth"}}],
        }
    )
    assert rubric.criteria[0].max_points == 10
    with pytest.raises(ValueError, match="used twice"):
        Rubric.model_validate(
            {
                "id": "tiny",
                "name": "小",
                "criteria": [
                    {"id": "a", "judge": {"max": 5}},
                    {"id": "a", "judge": {"max": 5}},
                ],
            }
        )
