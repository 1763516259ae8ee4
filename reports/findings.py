"""Builders of the judgement sections: scorecard, capability ratings, strengths and areas for
improvement, the improvement plan, and where the minutes were lost.

Everything is read from the scorecard (``scoring.scorecard.Scorecard``); each finding names the
log records (seq numbers) that show it, so an evaluator can check it in the appendix.
"""

from __future__ import annotations

import unicodedata

from reports.describe import Names
from reports.i18n import Messages
from reports.timecharts import LostRow
from reports.viewmodel import CapabilityRow, Finding, PlanRow, ScoreLine, ScoreSummary
from scoring.criteria import Status
from scoring.rubric import Ratings
from scoring.scorecard import Scorecard, suggest_rating
from scoring.scorecard import ScoreLine as CardLine

TIMED = ("timed", "coverage")
LOST = (Status.late, Status.partial, Status.missed)


def _pts(value: float | None, msgs: Messages) -> str:
    if value is None:
        return msgs.t("common.none")
    return f"{value:.1f}".rstrip("0").rstrip(".")


def evidence_text(seqs: tuple[int, ...] | list[int], msgs: Messages) -> str:
    """``记录 #3、#17`` — the records that show a line or finding."""
    if not seqs:
        return ""
    joined = msgs.t("common.list_sep").join(f"#{s}" for s in sorted(set(seqs)))
    return msgs.t("common.seq_ref", seqs=joined.removeprefix("#"))


def _capability(name: object, msgs: Messages) -> str:
    key = f"capability.{name}" if name else "capability.other"
    return msgs.t(key) if msgs.has(key) else str(name)


def _status(line: CardLine) -> str:
    if line.points_earned is None:
        return "judge"
    if line.points_earned >= line.points_max - 1e-9:
        return "full"
    return "zero" if line.points_earned <= 1e-9 else "partial"


def _without_name(text: str, name: str) -> str:
    """Scoring's sentences often begin with the criterion's name; a finding shows the name
    as its title already (and drops the colon or comma after it, in either language)."""
    if name and text.startswith(name):
        rest = text[len(name) :]
        cut = 0
        while cut < len(rest) and (rest[cut].isspace() or _separator(rest[cut])):
            cut += 1
        return rest[cut:] or text
    return text


def _separator(char: str) -> bool:
    """A colon or comma, half- or full-width (Unicode ``Po`` punctuation, not brackets)."""
    return unicodedata.category(char) == "Po"


def _prefix(card: Scorecard, cell: str, names: Names, msgs: Messages) -> str:
    """``甲区应急组 · `` before each line in a joint exercise; nothing for a single cell."""
    return msgs.t("common.cell_prefix", cell=names(cell)) if _multi_cell(card) else ""


def _recommendation(criterion: str, capability: str, msgs: Messages) -> str:
    for key in (f"recommend_criterion.{criterion}", f"recommend.{capability}"):
        if msgs.has(key):
            return msgs.t(key)
    return msgs.t("recommend.other")


def _multi_cell(card: Scorecard) -> bool:
    return len(card.cells) > 1


def scorecard_lines(card: Scorecard, names: Names, msgs: Messages) -> tuple[ScoreLine, ...]:
    """Every criterion and penalty line of every cell, with its explanation and evidence."""
    lang = msgs.lang
    rows: list[ScoreLine] = []
    for cell in card.cells:
        prefix = _prefix(card, cell.cell, names, msgs)
        for line in cell.criteria:
            status_key = f"scorecard.status_{line.status.value}"
            rows.append(
                ScoreLine(
                    criterion=prefix + line.name.get(lang),
                    capability=_capability(line.capability, msgs),
                    points=_pts(line.points_earned, msgs),
                    max_points=_pts(line.points_max, msgs),
                    explanation=f"{msgs.t(status_key)}{msgs.t('common.colon')}{line.explanation.get(lang)}",
                    evidence=evidence_text(line.evidence, msgs),
                    status=_status(line),
                )
            )
        for penalty in cell.penalties:
            rows.append(
                ScoreLine(
                    criterion=prefix + msgs.t("scorecard.penalty", name=penalty.name.get(lang)),
                    capability=_capability(penalty.capability, msgs),
                    points=_pts(-penalty.points_deducted, msgs),
                    max_points="0",
                    explanation=penalty.explanation.get(lang),
                    evidence=evidence_text(penalty.evidence, msgs),
                    status="zero" if penalty.points_deducted > 0 else "full",
                )
            )
    return tuple(rows)


def capability_rows(card: Scorecard, names: Names, msgs: Messages) -> tuple[CapabilityRow, ...]:
    """HSEEP ratings per capability (per cell in a joint exercise), with the share behind them."""
    rows = []
    for cell in card.cells:
        prefix = _prefix(card, cell.cell, names, msgs)
        counts: dict[str, int] = {}
        for line in cell.criteria:
            counts[str(line.capability)] = counts.get(str(line.capability), 0) + 1
        for cap in cell.capabilities:
            rating = cap.rating.value if cap.rating else msgs.t("common.none")
            reason = msgs.t(
                "capabilities.reason_text",
                n=counts.get(str(cap.capability.value), 0),
                points=_pts(cap.points_earned, msgs),
                max=_pts(cap.points_max, msgs),
                percent=f"{100 * cap.share:.0f}%"
                if cap.share is not None
                else msgs.t("common.none"),
            )
            if cap.override_reason:
                reason += " " + cap.override_reason
            rows.append(
                CapabilityRow(
                    name=prefix + _capability(cap.capability.value, msgs),
                    rating=rating,
                    rating_label=msgs.t(f"rating.{rating}" if cap.rating else "rating.na"),
                    points=f"{_pts(cap.points_earned, msgs)} / {_pts(cap.points_max, msgs)}",
                    reason=reason,
                    overridden=cap.override_reason is not None,
                )
            )
    return tuple(rows)


def findings(
    card: Scorecard, names: Names, msgs: Messages
) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Strengths (full marks) and areas for improvement (points lost, worst first)."""
    lang = msgs.lang
    strengths: list[Finding] = []
    weak: list[tuple[float, Finding]] = []
    for cell in card.cells:
        prefix = _prefix(card, cell.cell, names, msgs)
        for line in cell.criteria:
            if line.points_earned is None:
                continue
            cap = str(line.capability.value) if line.capability else "other"
            name = line.name.get(lang)
            item = Finding(
                title=prefix + name,
                text=_without_name(line.explanation.get(lang), name),
                capability=_capability(cap, msgs),
                evidence=evidence_text(line.evidence, msgs),
                recommendation=_recommendation(line.id, cap, msgs),
            )
            if line.points_earned >= line.points_max - 1e-9 and line.status is Status.met:
                strengths.append(item)
            elif line.points_earned < line.points_max - 1e-9:
                weak.append((line.points_max - line.points_earned, item))
        for penalty in cell.penalties:
            if penalty.points_deducted <= 0:
                continue
            name = penalty.name.get(lang)
            item = Finding(
                title=prefix + name,
                text=_without_name(penalty.explanation.get(lang), name),
                capability=_capability(
                    penalty.capability.value if penalty.capability else None, msgs
                ),
                evidence=evidence_text(penalty.evidence, msgs),
                recommendation=msgs.t("recommend.penalty"),
            )
            weak.append((penalty.points_deducted, item))
    weak.sort(key=lambda pair: -pair[0])
    return tuple(strengths), tuple(item for _, item in weak)


def plan_rows(improvements: tuple[Finding, ...], msgs: Messages) -> tuple[PlanRow, ...]:
    """One improvement-plan row per area for improvement; owner and due date left blank."""
    colon = msgs.t("common.colon")
    return tuple(
        PlanRow(i + 1, f"{f.title}{colon}{f.text}", f.recommendation, f.capability)
        for i, f in enumerate(improvements)
    )


def lost_rows(card: Scorecard, names: Names, msgs: Messages) -> list[LostRow]:
    """Timed criteria for the minutes-lost chart, in rubric order."""
    lang = msgs.lang
    rows = []
    for cell in card.cells:
        prefix = _prefix(card, cell.cell, names, msgs)
        for line in cell.criteria:
            if line.kind not in TIMED or line.status in (Status.not_applicable, Status.pending):
                continue
            elapsed, limit = line.elapsed_min, line.limit_min
            if elapsed is None:
                note = msgs.t("lost.note_missing")
            elif limit is not None and elapsed > limit + 1e-6:
                note = msgs.t("lost.note_late", over=msgs.duration(elapsed - limit))
            else:
                note = msgs.t("lost.note_ok", elapsed=msgs.duration(elapsed))
            rows.append(LostRow(prefix + line.name.get(lang), elapsed, limit, note))
    return rows


def summary(card: Scorecard, msgs: Messages) -> ScoreSummary:
    """Headline numbers: total, share, minutes over the limits, penalties."""
    over = 0.0
    worst: tuple[float, str] = (0.0, "")
    for _, line in card.lines():
        if line.kind in TIMED and line.elapsed_min is not None and line.limit_min is not None:
            late = max(0.0, line.elapsed_min - line.limit_min)
            over += late
            worst = max(worst, (late, line.name.get(msgs.lang)))
    sentence = (
        msgs.t(
            "summary.lost_text",
            minutes=msgs.duration(over),
            worst=worst[1],
            worst_minutes=msgs.duration(worst[0]),
        )
        if over > 0
        else msgs.t("summary.lost_none")
    )
    deducted = sum(p.points_deducted for cell in card.cells for p in cell.penalties)
    return ScoreSummary(
        total=_pts(card.points_earned, msgs),
        max_total=_pts(card.points_max, msgs),
        percent=f"{card.score_100:.0f}%",
        lost_minutes=msgs.duration(over),
        penalties=_pts(-deducted, msgs) if deducted else "0",
        lost_sentence=sentence,
    )


def overall_rating(card: Scorecard, ratings: Ratings | None, msgs: Messages) -> str:
    """The whole run's rating from its share of points (the rubric's thresholds)."""
    share = card.points_earned / card.points_max if card.points_max > 0 else 0.0
    rating = suggest_rating(share, ratings or Ratings())
    return msgs.t("report.rating", rating=rating.value, label=msgs.t(f"rating.{rating.value}"))


__all__ = [
    "capability_rows",
    "evidence_text",
    "findings",
    "lost_rows",
    "overall_rating",
    "plan_rows",
    "scorecard_lines",
    "summary",
]
