"""Every score line explains itself, in Chinese and English.

"书面报告于 T+74 分钟报送（获知事件后 49 分钟），时限 60 分钟，得 10/10" /
"Written report at T+74 min (49 min after learning of the incident), limit 60 min: 10/10".
``T+`` is drill time (``t_min``); the parenthesis is the time counted against the limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.types import Text
from scoring.criteria import Evaluation
from scoring.rubric import Criterion, Penalty

_VERB_ZH = {
    "report": "报送",
    "notify": "通知",
    "request": "提出",
    "declare_level": "宣布",
    "activate_plan": "启动",
    "publish": "发布",
    "consult_expert": "咨询",
    "arrive_scene": "到达现场",
    "investigate": "开展调查",
    "message": "发出",
}
_START = {
    "reveals": ("获知事件", "learning of the incident"),
    "spill": ("泄漏发生", "the spill"),
    "inject": ("收到推演信息", "the inject"),
    "truth": ("真实事件发生", "the truth event"),
}
ELEMENT_ZH = {
    "time": "时间",
    "place": "地点",
    "source": "信息来源",
    "cause": "起因和性质",
    "course": "事件经过",
    "pollutant": "污染物",
    "quantity_t": "数量",
    "monitoring": "监测数据",
    "casualties": "人员伤亡",
    "drinking_water": "饮用水源影响",
    "trend": "发展趋势",
    "measures": "已采取措施",
    "planned": "拟采取措施",
    "advice": "下一步建议",
    "sketch_map": "敏感点示意图",
    "unit": "报告单位",
    "signer": "签发人",
    "contact": "联系人和电话",
}
_MEASURE = {
    "delivered_exceedance_min": ("供出超标水时长（分钟）", "minutes of polluted water delivered"),
    "mass_across_kg": ("过境污染物量（kg）", "mass across (kg)"),
    "peak_mg_l": ("峰值浓度（mg/L）", "peak (mg/L)"),
    "peak_factor": ("超标倍数", "times over the standard"),
}
_NA = {
    "other_cells": ("不适用于本组", "does not apply to this cell"),
    "other_roles": ("不适用于本组角色", "does not apply to this cell's role"),
    "other_level": ("不适用于本事件等级", "does not apply at this incident level"),
    "no_start": ("起算事件未发生", "its start event did not happen"),
    "no_sites": ("场景中没有相应点位", "the scenario has no such site"),
    "no_incident": ("未构成突发环境事件", "no environmental incident occurred"),
    "no_agency": ("场景中没有能执行该任务的单位", "no agency in the scenario can do it"),
    "no_addressee": ("场景中没有相应的报告对象", "the scenario has nobody to address"),
    "no_downstream": ("下游没有需通报的行政区", "no jurisdiction downstream to notify"),
}


def num(value: float | None) -> str:
    """A number as trainers write it: at most two decimals, no trailing zeros."""
    if value is None:
        return "—"
    return f"{round(value, 2):g}"


def minutes(value: float | None) -> str:
    """Minutes to one decimal (drill times are recorded to 1e-4 min)."""
    if value is None:
        return "—"
    return f"{round(value, 1):g}"


def label(ident: str, names: Mapping[str, Text], lang: str) -> str:
    """The name of a site or jurisdiction in ``lang`` (its id when the scenario names none)."""
    name = names.get(ident)
    return name.get(lang) if name is not None else ident


def _score(earned: float | None, most: float) -> str:
    return f"{num(earned or 0.0)}/{num(most)}"


def _limit_text(ev: Evaluation, names: Mapping[str, Text]) -> tuple[str, str]:
    d = ev.detail
    if ev.limit_min is None:
        return "无时限", "no limit"
    zh, en = f"时限 {minutes(ev.limit_min)} 分钟", f"limit {minutes(ev.limit_min)} min"
    if "truth_min" in d:
        place_zh, place_en = label(d["place"], names, "zh"), label(d["place"], names, "en")
        zh += f"（污染团 T+{minutes(d['truth_min'])} 分钟到达{place_zh}"
        en += f" (plume at {place_en} at T+{minutes(d['truth_min'])} min"
        if d.get("margin"):
            zh += f"，须提前 {minutes(d['margin'])} 分钟"
            en += f", {minutes(d['margin'])} min ahead"
        zh, en = zh + "）", en + ")"
    if d.get("level"):
        zh += f"（{d['level']} 级事件"
        en += f" (level {d['level']}"
        if d.get("raised_by"):
            zh += "，因" + "、".join(d["raised_by"]) + "按该级程序"
            en += ", procedure raised by " + ", ".join(d["raised_by"])
        zh, en = zh + "）", en + ")"
    return zh, en


def criterion_sentence(
    criterion: Criterion,
    ev: Evaluation,
    earned: float | None,
    most: float,
    names: Mapping[str, Text] | None = None,
) -> Text:
    """The sentence of one criterion's score line; ``names`` gives sites and jurisdictions
    their names in place of ids."""
    names = names or {}
    name = criterion.title
    zh_name, en_name = name.zh, name.get("en")
    d: Mapping[str, Any] = ev.detail
    score = _score(earned, most)
    reason = ev.reason
    if reason == "done":
        start_zh, start_en = _START.get(d.get("start", ""), ("起算", "the start"))
        lim_zh, lim_en = _limit_text(ev, names)
        verb = _VERB_ZH.get(d.get("action", ""), "完成")
        return Text(
            zh=f"{zh_name}于 T+{minutes(ev.at_min)} 分钟{verb}（{start_zh}后 "
            f"{minutes(ev.elapsed_min)} 分钟），{lim_zh}，得 {score}",
            en=f"{en_name} at T+{minutes(ev.at_min)} min ({minutes(ev.elapsed_min)} min after "
            f"{start_en}), {lim_en}: {score}",
        )
    if reason == "not_done":
        lim_zh, lim_en = _limit_text(ev, names)
        end = minutes(d.get("end_min"))
        return Text(
            zh=f"{zh_name}：至演练结束（T+{end} 分钟）未完成，{lim_zh}，得 {score}",
            en=f"{en_name}: not done by the end of the drill (T+{end} min), {lim_en}: {score}",
        )
    if reason == "coverage":
        sites, missing, late = d["sites"], d["missing"], d["late"]
        lim_zh, lim_en = _limit_text(ev, names)
        zh = f"{zh_name}：{len(sites) - len(missing)}/{len(sites)} 个点位已覆盖"
        en = f"{en_name}: {len(sites) - len(missing)}/{len(sites)} sites covered"
        if missing:
            zh += "，未覆盖" + "、".join(label(x, names, "zh") for x in missing)
            en += ", missing " + ", ".join(label(x, names, "en") for x in missing)
        if late:
            zh += "，超时" + "、".join(label(x, names, "zh") for x in late)
            en += ", late " + ", ".join(label(x, names, "en") for x in late)
        return Text(zh=f"{zh}，{lim_zh}，得 {score}", en=f"{en}, {lim_en}: {score}")
    if reason in ("elements", "no_report"):
        required = d["required"]
        if reason == "no_report":
            return Text(
                zh=f"{zh_name}：未找到相应报告，得 {score}",
                en=f"{en_name}: no such report was sent: {score}",
            )
        missing = d["missing"]
        zh = f"{zh_name}：要素齐备 {d['present']}/{len(required)} 项"
        en = f"{en_name}: {d['present']}/{len(required)} elements present"
        if missing:
            zh += "，缺少" + "、".join(ELEMENT_ZH.get(e, e) for e in missing)
            en += ", missing " + ", ".join(missing)
        return Text(zh=f"{zh}，得 {score}", en=f"{en}: {score}")
    if reason == "outcome":
        m_zh, m_en = _MEASURE[d["measure"]]
        values = d["values"].items()
        v_zh = "；".join(f"{label(s, names, 'zh')} {num(v)}" for s, v in values)
        v_en = "; ".join(f"{label(s, names, 'en')} {num(v)}" for s, v in values)
        return Text(
            zh=f"{zh_name}：{m_zh} {v_zh}（上限 {num(d['max'])}），得 {score}",
            en=f"{en_name}: {m_en} {v_en} (max {num(d['max'])}): {score}",
        )
    if reason == "declared":
        return Text(
            zh=f"{zh_name}：宣布 {d['declared']} 级，实际为 {d['truth']} 级，得 {score}",
            en=f"{en_name}: declared level {d['declared']}, true level {d['truth']}: {score}",
        )
    if reason == "not_declared":
        return Text(
            zh=f"{zh_name}：未宣布事件等级（实际为 {d['truth']} 级），得 {score}",
            en=f"{en_name}: no level declared (true level {d['truth']}): {score}",
        )
    if reason == "judged":
        return Text(
            zh=f"{zh_name}：评委评分中位数 {num(d['median'])}/{num(d['max'])}，得 {score}",
            en=f"{en_name}: judges' median {num(d['median'])}/{num(d['max'])}: {score}",
        )
    if reason == "not_scored":
        return Text(
            zh=f"{zh_name}：待评委评分（满分 {num(d['max'])}）",
            en=f"{en_name}: awaiting judges' scores (max {num(d['max'])})",
        )
    return Text(**_not_applicable(zh_name, en_name, ev, names))


def _not_applicable(
    zh_name: str, en_name: str, ev: Evaluation, names: Mapping[str, Text]
) -> dict[str, str]:
    d = ev.detail
    if ev.reason == "truth_before_start":
        place_zh, place_en = label(d["place"], names, "zh"), label(d["place"], names, "en")
        return {
            "zh": f"{zh_name}：不适用（起算前污染团已到达{place_zh}）",
            "en": f"{en_name}: not applicable (the plume reached {place_en} before the start)",
        }
    if ev.reason == "ended_before_limit":
        return {
            "zh": f"{zh_name}：不适用（演练于 T+{minutes(d['end_min'])} 分钟结束，时限未届满）",
            "en": f"{en_name}: not applicable (the drill ended at T+{minutes(d['end_min'])} "
            "min, before the limit ran out)",
        }
    if ev.reason == "not_in_log":
        m_zh, m_en = _MEASURE[d["measure"]]
        return {
            "zh": f"{zh_name}：不适用（日志中没有{m_zh}记录）",
            "en": f"{en_name}: not applicable (the log has no record of {m_en})",
        }
    zh, en = _NA.get(ev.reason, ("不适用", "not applicable"))
    return {"zh": f"{zh_name}：{zh}", "en": f"{en_name}: {en}"}


def penalty_sentence(penalty: Penalty, count: int, deducted: float) -> Text:
    """The sentence of one penalty line."""
    name = penalty.name or Text(zh=penalty.id, en=penalty.id)
    if count == 0:
        return Text(zh=f"{name.zh}：无", en=f"{name.get('en')}: none")
    times = "occurrence" if count == 1 else "occurrences"
    return Text(
        zh=f"{name.zh}：{count} 次，扣 {num(deducted)} 分",
        en=f"{name.get('en')}: {count} {times}, −{num(deducted)} points",
    )
