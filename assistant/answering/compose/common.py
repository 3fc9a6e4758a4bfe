"""The shared words of the composer: refusals and their reasons, bullet lines, the plan's region."""

from __future__ import annotations

from ..evidence import Evidence

REFUSAL = "计划原文没有涉及这个问题。"
REASONS = {
    "task_request": "这不是关于计划内容的问题",
    "live_info": "计划是年度计划文本，不包含天气、行情等实时信息",
    "contact": "计划不含电话、地址等联系方式",
    "advice": "计划不就个人事务提供建议",
    "other_region": "计划只涉及{home}，不涉及“{region}”",
    "other_year": "计划没有涉及{year}年的情况",
    "not_found": "计划原文中没有找到相关内容",
    "empty": "问题为空或无法检索",
    "no_figure": "计划原文没有给出这一数字",
    "missing_indicator": "计划原文没有给出“{indicator}”的数字",
    "unknown_scope": "计划中没有“{scope}”",
    "absent_subject": "计划没有提到“{subject}”",
    "quiz_failed": "{message}",
}
QUIZ_LABELS = {"fill": "填空", "choice": "单选", "truefalse": "判断", "where": "出处"}
LETTERS = "ABCDEFGH"


def home_region(doc) -> str:
    """The plan's own region, from its header: 内蒙古自治区人民政府 -> 内蒙古自治区."""
    issuer = doc.header.get("issuer", "")
    return issuer.removesuffix("人民政府") or "本地区"


def reason_text(ev: Evidence, doc) -> str:
    return REASONS.get(ev.reason or "not_found", REASONS["not_found"]).format(home=home_region(doc), **ev.facts)


def bullets(ev: Evidence) -> list[str]:
    return [f"- {line} [{g.ref}]" for g in ev.groups for line in g.lines]


def plain_lines(ev: Evidence) -> str:
    lines = bullets(ev)
    return lines[0][2:] if len(lines) == 1 else "\n".join(lines)


REASONS_EN = {
    "missing_indicator": "The plan does not state a target for “{english}” ({indicator}).",
    "no_figure": "The plan does not state this figure.",
    "not_found": "The plan does not cover this question.",
    "absent_subject": "The plan does not mention “{subject}”.",
}


def refusal_text(ev: Evidence, doc, english: bool = False) -> str:
    related = "；".join(f"[{h.ref}] {h.title}" for h in ev.hits[:3])
    text = f"{REFUSAL}（{reason_text(ev, doc)}）" + (f"\n相关内容：{related}" if related else "")
    if english:
        facts = dict({"english": ev.facts.get("indicator", "")}, **ev.facts)
        lead = REASONS_EN.get(ev.reason or "", REASONS_EN["not_found"]).format(**facts)
        return lead + (f"\nRelated text (not the figure asked for): {related}" if related else "") + "\n" + text
    return text


