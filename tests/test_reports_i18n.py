"""One message catalogue: the same keys in both languages, every key used exists, and no
reader-visible text is hard-coded in a template."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from reports.i18n import LANGS, Messages, catalogue

REPORTS = Path(__file__).resolve().parent.parent / "reports"
TEMPLATES = REPORTS / "templates"


def test_both_languages_define_the_same_keys() -> None:
    zh, en = set(catalogue("zh")), set(catalogue("en"))
    assert zh - en == set(), f"missing in en.yaml: {sorted(zh - en)}"
    assert en - zh == set(), f"missing in zh.yaml: {sorted(en - zh)}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_agree_between_languages(lang: str) -> None:
    """A sentence cannot silently lose a number in translation."""
    other = catalogue("en" if lang == "zh" else "zh")
    for key, text in catalogue(lang).items():
        if key == "common.date":  # month as a number in Chinese, as a name in English
            continue
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", other[key])), key


def _used_keys() -> set[str]:
    used: set[str] = set()
    for path in [*TEMPLATES.glob("*.j2"), *REPORTS.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"""\bt\(\s*["']([a-z_][\w.-]*\.[\w.-]+)["']""", text))
    return used


def test_every_literal_key_in_code_and_templates_exists() -> None:
    known = set(catalogue("zh"))
    missing = sorted(k for k in _used_keys() if k not in known)
    assert missing == []


def test_no_reader_visible_text_is_hard_coded_in_templates() -> None:
    """Text between tags, outside ``{{ }}`` and ``{% %}``, may only be punctuation or markup."""
    offences = []
    for path in TEMPLATES.glob("*.html.j2"):
        source = path.read_text(encoding="utf-8")
        stripped = re.sub(r"{{.*?}}|{%.*?%}|{#.*?#}", " ", source, flags=re.S)
        stripped = re.sub(r"<style>.*?</style>", " ", stripped, flags=re.S)
        for chunk in re.sub(r"<[^>]*>", "\n", stripped).splitlines():
            visible = chunk.replace("&emsp;", "").replace("&nbsp;", "").strip()
            if re.search(r"[A-Za-z\u4e00-\u9fff]", visible) and visible not in ("#",):
                offences.append(f"{path.name}: {visible!r}")
    assert offences == []


def test_no_chinese_text_is_hard_coded_in_report_code() -> None:
    """Chinese prose lives in zh.yaml; Python holds keys (docstrings and comments may quote)."""
    pattern = re.compile(r"""(?<!#)["'][^"'\n]*[\u4e00-\u9fff][^"'\n]*["']""")
    offences = []
    for path in REPORTS.glob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if pattern.search(code) and not code.strip().startswith(('"""', "'''")):
                offences.append(f"{path.name}:{number}: {line.strip()}")
    # Punctuation the message catalogue cannot carry: ``：，`` when stripping scoring's prefix.
    assert [o for o in offences if "lstrip(" not in o] == []


def test_durations_read_naturally_in_both_languages() -> None:
    zh, en = Messages("zh"), Messages("en")
    assert zh.duration(95) == "1小时35分钟"
    assert en.duration(95) == "1 h 35 min"
    assert zh.duration(0) == "0分钟"
    assert en.duration(2 * 1440 + 5) == "2 d 5 min"
    assert zh.duration(None) == "—"


def test_dates_and_clock_times_follow_the_reader() -> None:
    start = datetime(2025, 6, 5, 8, 0)
    assert Messages("zh").date(start) == "2025年6月5日"
    assert Messages("en").date(start) == "5 Jun 2025"
    assert Messages("zh").clock(start, 95) == "09:35"
    assert Messages("zh").t_plus(74.4) == "T+74"


def test_an_unknown_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        Messages("zh").t("no.such.key")


def test_english_falls_back_to_chinese_only_for_absent_keys() -> None:
    en = Messages("en")
    assert en.t("section.overview") == "1. Drill overview"
