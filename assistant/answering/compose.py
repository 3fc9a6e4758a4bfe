"""Every sentence the user reads, written from an Evidence plan: the extractive answer's wording,
refusals, counts ("专栏1共5类：…"), corrections ("不是。计划的目标是…"), ownership with its basis,
quizzes. Statements are plan text followed by their ref; only these connecting words are ours.
"""

from __future__ import annotations

import re

from ..lexical import GLOSSARY, english_terms
from ..types import Answer, Citation
from .evidence import Evidence

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


def refusal_text(ev: Evidence, doc) -> str:
    related = "；".join(f"[{h.ref}] {h.title}" for h in ev.hits[:3])
    return f"{REFUSAL}（{reason_text(ev, doc)}）" + (f"\n相关内容：{related}" if related else "")


def _count(ev: Evidence) -> str:
    f = ev.facts
    head = f"{f['scope_name']}共{f['count']}{f['unit']}"
    if f.get("extra"):
        head += f"（{f['extra']}）"
    if f.get("enumeration"):
        g = ev.groups[0]
        return f"{head}：{'、'.join(f['items'])}。\n原文：{g.lines[0]} [{g.ref}]"
    lines = [f"{i}. {g.heading} [{g.ref}]" + (f"：{g.lines[0]}" if g.lines and g.lines[0] != g.heading else "")
             for i, g in enumerate(ev.groups, 1)]
    return head + "：\n" + "\n".join(lines)


def _overview(ev: Evidence) -> str:
    f = ev.facts
    out = [f"{f['scope_name']}“{f['title']}”" + (f"共{f['n_children']}项内容：" if f.get("n_children") else "：")]
    for g in ev.groups:
        if g.heading:
            continue
        out += [f"{line} [{g.ref}]" for line in g.lines]  # the lead paragraph
    n = 0
    for g in ev.groups:
        if not g.heading:
            continue
        n += 1
        key = "；".join(line.rstrip("。；") for line in g.lines)
        out.append(f"{n}. {g.heading} [{g.ref}]" + (f"：{key}。" if key else ""))
    return "\n".join(out)


def _cross(ev: Evidence) -> str:
    f = ev.facts
    head = f"计划中有{len(ev.groups)}处段落提到“{f['term']}”："
    lines = [f"{i}. {line} [{g.ref}]" if len(g.lines) == 1 else f"{i}. [{g.ref}] " + " ".join(g.lines)
             for i, g in enumerate(ev.groups, 1) for line in g.lines[:1]]
    return head + "\n" + "\n".join(lines)


def _premise(ev: Evidence, doc) -> str:
    f = ev.facts
    stated = "、".join(f["stated"])
    body = plain_lines(ev) if ev.groups else ""
    if f["verdict"] == "right":
        text = f"是的，计划原文是：{body}" if len(ev.groups) == 1 and len(ev.groups[0].lines) == 1 else f"是的。计划原文：\n{body}"
    elif f["verdict"] == "wrong":
        text = f"不是。计划的目标不是“{stated}”，原文是：\n{body}"
    else:
        text = f"计划原文没有给出“{stated}”这一数字，无法确认。"
        if body:
            text += f"相关原文：\n{body}"
    rest = ev.parts[0] if ev.parts else None
    if rest and not rest.refused and rest.groups:
        text += "\n相关举措：\n" + "\n".join(bullets(rest))
    return text


def _multi(ev: Evidence, doc) -> str:
    out = []
    for i, (part, sub) in enumerate(zip(ev.parts, ev.facts["questions"], strict=True), 1):
        if part.refused:
            out.append(f"（{i}）{sub}：{reason_text(part, doc)}。")
        else:
            out.append(f"（{i}）{sub}：\n" + plain_lines(part))
    return "\n".join(out)


def _quiz(ev: Evidence) -> str:
    f, qs = ev.facts, ev.facts["questions"]
    kinds = "、".join(dict.fromkeys(QUIZ_LABELS[q.kind] for q in qs))
    fewer = f"（这一范围可出的题只有{len(qs)}道）" if len(qs) < f.get("asked", len(qs)) else ""
    out = [f"关于{f['scope_name']}的{len(qs)}道题（{kinds}）{fewer}："]
    for i, q in enumerate(qs, 1):
        out.append(f"{i}. 【{QUIZ_LABELS[q.kind]}】{q.prompt}")
        out += [f"   - {LETTERS[j]}. {c}" for j, c in enumerate(q.choices) if q.kind != "truefalse"]
    out += ["", "答案："]
    out += [f"- 第{i}题：{q.keyed_answer} [{q.ref}]" for i, q in enumerate(qs, 1)]
    out.append(f"（试卷编号 {f['seed']}）")
    return "\n".join(out)


def _ownership(ev: Evidence) -> str:
    f, g = ev.facts, ev.groups[0]
    lead = "、".join(f["lead"]) or "未确定"
    owners = f"牵头：{lead}" + (f"；配合：{'、'.join(f['co'])}" if f["co"] else "")
    if f["basis"] == "official":
        lines = [f"{g.lines[0]} [{g.ref}]", f"依据分工方案：{owners}" + (f"（{f['reason']}）" if f["reason"] else "")]
    else:
        lines = [f"{g.lines[0]} [{g.ref}]", f"计划未写明牵头部门。按部门职能推断：{owners}"
                 + (f"（推断依据：{f['reason']}）" if f["reason"] else "")]
    if f["others"]:
        lines.append("其他可能相关的任务：" + "；".join(f"{text}（牵头：{'、'.join(lead) or '未确定'}）[{ref}]"
                                                     for text, lead, ref in f["others"]))
    return "\n".join(lines)


def english_lead(question: str) -> str:
    """"The plan's text on 地区生产总值 (GDP), …": the glossary's plan terms with the English words found."""
    terms = english_terms(question)  # the plan's terms for the question's English words
    found = [w for w in GLOSSARY if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", question.lower())]
    named = "、".join(terms[:4]) + (f" ({', '.join(found[:3])})" if found else "")
    return (f"The plan's text on {named}, quoted in Chinese with its paragraph references:" if terms
            else "The plan's closest text, quoted in Chinese with its paragraph references:")


def text_of(ev: Evidence, doc) -> str:
    if ev.refused:
        return refusal_text(ev, doc)
    writers = {"count": _count, "overview": _overview, "cross": _cross, "quiz": _quiz, "ownership": _ownership}
    if ev.kind in writers:
        return writers[ev.kind](ev)
    if ev.kind == "premise":
        return _premise(ev, doc)
    if ev.kind == "multi":
        return _multi(ev, doc)
    if ev.kind == "ordinal":
        return f"第{ev.facts['n']}项“{ev.facts['item']}”，原文是：\n" + "\n".join(bullets(ev))
    if ev.kind == "qualitative":
        return f"计划对此没有给出具体数字，原文的表述是：{plain_lines(ev)}" if len(bullets(ev)) == 1 else plain_lines(ev)
    return plain_lines(ev)


def citations(ev: Evidence, doc) -> list[Citation]:
    quotes: dict[str, list[str]] = {}
    for g in [*ev.groups, *(g for p in ev.parts for g in p.groups)]:
        if g.lines or g.quotes:
            quotes.setdefault(g.ref, []).extend(g.quotes or g.lines)
    out = []
    for ref, qs in quotes.items():
        node = doc.by_ref[ref]
        out.append(Citation(ref, node.title, node.text or node.full_text(), tuple(dict.fromkeys(qs))))
    return out


def write(ev: Evidence, question: str, doc, english: bool = False) -> Answer:
    """The extractive answer for an Evidence plan."""
    text = text_of(ev, doc)
    if english and not ev.refused and ev.kind not in ("quiz", "notice"):
        text = english_lead(question) + "\n" + text
    return Answer(question, text, [] if ev.refused else citations(ev, doc), refused=ev.refused,
                  mode="extractive", hits=ev.hits)
