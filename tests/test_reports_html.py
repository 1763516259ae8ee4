"""The HTML report: one self-contained file, escaped team text, a golden copy of the tutorial."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from itertools import zip_longest
from pathlib import Path

import pytest
from jinja2 import UndefinedError
from markupsafe import escape
from test_reports_fixtures import CONTENT_HTML, PUBLISH_HTML, SCRIPT, tutorial_run_dir

from reports.describe import Names
from reports.html import environment, render_report
from reports.i18n import Messages
from reports.rundir import load_run, report_of
from sim.log import Kind

GOLDEN = Path(__file__).parent / "golden" / "reports"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tutorial_run_dir(tmp_path_factory.mktemp("tutorial") / "run")


@pytest.fixture(scope="module")
def html_zh(run_dir: Path) -> str:
    return render_report(report_of(load_run(run_dir), "zh"))


@pytest.fixture(scope="module")
def html_en(run_dir: Path) -> str:
    return render_report(report_of(load_run(run_dir), "en"))


def normalise(html: str) -> str:
    """Strip what may change between runs without the report changing: the generation stamp."""
    html = re.sub(r'<span class="generated">[^<]*</span>', '<span class="generated"></span>', html)
    return re.sub(r"(生成时间：|Generated )[0-9: -]+", r"\1", html)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tutorial_report_matches_the_golden_file(lang: str, html_zh: str, html_en: str) -> None:
    """The tutorial report is stable (regenerate: RIVERDRILL_REGEN=1, after a deliberate change)."""
    html = normalise(html_zh if lang == "zh" else html_en)
    golden = GOLDEN / f"tutorial.{lang}.html"
    regen = os.environ.get("RIVERDRILL_REGEN") == "1"
    if regen or not golden.exists():
        if not regen:
            pytest.fail(f"{golden} is missing; create it with RIVERDRILL_REGEN=1")
        golden.write_text(html, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    if html != expected:
        pairs = zip_longest(html.splitlines(), expected.splitlines())
        line = next(i for i, (a, b) in enumerate(pairs, start=1) if a != b)
        pytest.fail(
            f"report differs from {golden.name} at line {line}; RIVERDRILL_REGEN=1 if intended"
        )


class _Resources(HTMLParser):
    """Every URL a page could fetch: src, href, and url() in style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in (
                "src",
                "href",
                "srcset",
                "data",
                "poster",
                "action",
                "xlink:href",
            ):
                self.urls.append(value)
            if value and name == "style":
                self.urls.extend(re.findall(r"url\(([^)]*)\)", value))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_references_no_network_resource(lang: str, html_zh: str, html_en: str) -> None:
    """No http://, https:// or protocol-relative // in src, href or url(): it opens offline."""
    html = html_zh if lang == "zh" else html_en
    parser = _Resources()
    parser.feed(html)
    css_urls = re.findall(r"url\(\s*['\"]?([^)'\"]*)", html)
    remote = [u for u in parser.urls + css_urls if re.match(r"\s*(https?:)?//", u)]
    assert remote == []
    assert "<link" not in html and "@import" not in html
    # Not even a namespace URL: the only http:// may be team text, shown escaped.
    assert re.findall(r"https?://", html.replace("http://evil.example/", "")) == []
    # Only in-page anchors and the SVG pattern references remain.
    assert all(u.startswith("#") for u in parser.urls), parser.urls
    assert set(css_urls) <= {"#closed", "#held"}


def test_team_text_is_escaped_everywhere(html_zh: str) -> None:
    """A note, a report's content and published text carrying HTML show as text, never markup."""
    for raw in (SCRIPT, CONTENT_HTML, PUBLISH_HTML):
        assert raw not in html_zh
    assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in html_zh
    assert "&lt;img src=x onerror=alert(1)&gt;" in html_zh
    assert "&lt;a href=&#34;http://evil.example/&#34;&gt;" in html_zh
    assert html_zh.count("<script") == 0
    assert "onerror=" not in html_zh.replace("&lt;img src=x onerror=alert(1)&gt;", "")


def test_every_section_is_present_under_its_chinese_heading(html_zh: str) -> None:
    for heading in (
        "一、推演概况",
        "二、事件真实经过",
        "三、处置时间线",
        "四、各点位浓度变化与处置行动",
        "五、污染团时空分布",
        "六、评分结果",
        "七、能力评估",
        "八、主要优点与不足",
        "九、假设推演分析",
        "十、整改计划",
        "附件",
    ):
        assert heading in html_zh
    for field in ("签发人", "审核人"):
        assert field in html_zh
    assert html_zh.count("<svg") >= 4  # minutes lost, timeline, concentration, space-time


def test_english_report_has_no_chinese_headings(html_en: str) -> None:
    assert "1. Drill overview" in html_en and "一、推演概况" not in html_en
    assert 'lang="en"' in html_en


def test_report_prints_on_a4_with_page_breaks(html_zh: str) -> None:
    assert "@page" in html_zh and "size: A4" in html_zh
    assert "break-after: page" in html_zh
    for family in (
        "Microsoft YaHei",
        "PingFang SC",
        "WenQuanYi Micro Hei",
        "Noto Sans CJK SC",
        "SimSun",
    ):
        assert family in html_zh


def test_templates_refuse_a_missing_field() -> None:
    """StrictUndefined: a typo in a template is an error, never an empty cell in a signed report."""
    template = environment("zh").from_string("{{ report.no_such_field }}")
    with pytest.raises(UndefinedError):
        template.render(report=object())


def test_autoescape_is_on_for_every_template() -> None:
    assert environment("zh").from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"


def test_the_true_course_shows_each_peak_when_it_happened_not_at_the_end(
    run_dir: Path, html_zh: str
) -> None:
    """Peaks are logged when the run ends; the report dates them by the record's ``at_min``."""
    inputs = load_run(run_dir)
    msgs = Messages("zh")
    names = Names(inputs.scenario, msgs)
    end = inputs.log[len(inputs.log) - 1].t_min
    peak = next(r for r in inputs.log.of_kind(Kind.truth_peak) if r.data["site"] == "jia-intake")
    at = float(peak.data["at_min"])
    assert at < end - 60 and peak.t_min == end
    expected = msgs.t(
        "common.time_and_clock",
        t_plus=msgs.t_plus(at),
        clock=msgs.clock(inputs.scenario.start, at),
    )
    rows = {row.site: row for row in report_of(inputs, "zh").truth.sites}
    assert rows[names("jia-intake")].peak_time == expected
    truth = html_zh[html_zh.index('<section class="page" id="truth">') :]
    truth = truth[: truth.index("</section>")]
    row = re.search(rf"<tr><td>{re.escape(str(escape(names('jia-intake'))))}<br>.*?</tr>", truth)
    assert row is not None
    cells = re.findall(r'<td class="small">([^<]*)</td>', row.group(0))
    assert cells[2] == str(escape(expected))  # km, arrival, peak time
    assert msgs.t_plus(end) not in row.group(0)


def test_a_report_that_cannot_be_written_leaves_no_temporary_file(
    html_en: str, tmp_path: Path
) -> None:
    """write_html goes through scenarios.atomicfile.write_atomic: a failed write leaves nothing."""
    from reports.html import write_html

    (tmp_path / "report.html").mkdir()  # renaming over a folder fails
    with pytest.raises(OSError):
        write_html(html_en, tmp_path / "report.html")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    assert write_html(html_en, tmp_path / "en" / "report.html").read_text("utf-8") == html_en
