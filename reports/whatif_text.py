"""What-if results said in one sentence and a number, in the reader's language.

"如果“请求甲区自来水公司在甲区水厂取水口停止取水”提前 1小时8分钟……甲区水厂取水口就不会
取用超标水：超标供水 0 分钟，而实际为 52 分钟。" The consequence chosen is the intake whose
polluted supply changed (the point of protecting it), else the total score.
"""

from __future__ import annotations

from reports.describe import Names, describe_action
from reports.viewmodel import WhatIf
from reports.whatif_types import WhatIfResult
from scoring.rubric import Rubric


def _signed(value: float) -> str:
    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text


def view(result: WhatIfResult, rubric: Rubric, names: Names) -> WhatIf:
    """One what-if as a sentence and its numbers, in the reader's language."""
    msgs = names.msgs
    t = msgs.t
    change, actual, counter = result.change, result.actual, result.counterfactual
    action = describe_action(change.action, names, brief=True)
    criterion = rubric.criterion(change.criterion) if change.criterion else None
    name = criterion.title.get(msgs.lang) if criterion is not None else ""
    points_delta = t("whatif.points_delta", delta=_signed(counter.points - actual.points))
    intakes = [change.intake] if change.intake else sorted(actual.delivered_min)
    moved = [
        i
        for i in intakes
        if abs(counter.delivered_min.get(i, 0.0) - actual.delivered_min.get(i, 0.0)) >= 0.5
    ]
    focus = moved[0] if moved else (change.intake if change.intake else None)
    if focus is not None:
        before, after = actual.delivered_min.get(focus, 0.0), counter.delivered_min.get(focus, 0.0)
        key = "safe" if after <= 0 < before else "less" if after < before else "same"
        outcome = t(
            f"whatif.outcome_intake_{key}",
            site=names(focus),
            actual=msgs.duration(before),
            counterfactual=msgs.duration(after),
        )
        metric = t("whatif.metric_delivered", site=names(focus))
        shown = (msgs.duration(before), msgs.duration(after))
    else:
        outcome = t(
            "whatif.outcome_points", actual=_pts(actual.points), counterfactual=_pts(counter.points)
        )
        metric = t("whatif.metric_points")
        shown = (_pts(actual.points), _pts(counter.points))
    target = msgs.t_plus(change.target_min)
    if change.kind == "late":
        sentence = t(
            "whatif.sentence_late",
            criterion=name,
            action=action,
            target=target,
            actual=msgs.t_plus(change.actual_min),
            outcome=outcome,
        )
    elif change.kind == "missing":
        sentence = t(
            "whatif.sentence_missing", criterion=name, action=action, target=target, outcome=outcome
        )
    elif change.kind == "earlier":
        shift = msgs.duration((change.actual_min or 0.0) - change.target_min)
        sentence = t(
            "whatif.sentence_earlier",
            action=action,
            shift=shift,
            target=target,
            actual=msgs.t_plus(change.actual_min),
            outcome=outcome,
        )
    else:
        sentence = t("whatif.sentence_added", action=action, target=target, outcome=outcome)
    return WhatIf(sentence, metric, shown[0], shown[1], points_delta)


def _pts(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


__all__ = ["view"]
