"""Answers about the tree and what a question states: counts, overviews, premises and claims, multi-part
answers, quizzes, ownership."""

from __future__ import annotations

from ..evidence import Evidence
from .common import LETTERS, QUIZ_LABELS, bullets, plain_lines, reason_text


def count_text(ev: Evidence) -> str:
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


def overview_text(ev: Evidence) -> str:
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


def premise_text(ev: Evidence, doc) -> str:
    f = ev.facts
    stated = "、".join(f["stated"])
    body = plain_lines(ev) if ev.groups else ""
    if f["verdict"] == "right":
        text = f"是的，计划原文是：{body}" if len(ev.groups) == 1 and len(ev.groups[0].lines) == 1 else f"是的。计划原文：\n{body}"
    elif f["verdict"] == "wrong":
        text = f"不是。计划的目标不是“{stated}”，原文是：\n{body}"
    elif f["verdict"] == "not_said":
        text = f"不是这样写的：计划原文没有“{stated}”的说法，原文是：\n{body}"
    else:
        text = f"计划原文没有给出“{stated}”这一数字，无法确认。"
        if body:
            text += f"相关原文：\n{body}"
    rest = ev.parts[0] if ev.parts else None
    if rest and not rest.refused and rest.groups:
        text += "\n相关举措：\n" + "\n".join(bullets(rest))
    return text


def claim_text(ev: Evidence) -> str:
    f = ev.facts
    if f["verdict"] == "wrong":
        pairs = "，".join(f"是“{w}”，不是“{s}”" for s, w in zip(f["stated"], f["written"], strict=True))
        return f"不是。计划写的{pairs}。原文是：\n{plain_lines(ev)}"
    if f["verdict"] == "right":
        return f"是的，计划原文是：{plain_lines(ev)}"
    if f["verdict"] == "not_said":
        return f"不是这样写的：计划原文没有“{f['claim']}”的说法，原文是：\n{plain_lines(ev)}"
    return f"计划原文没有“{f['claim']}”这样的表述，无法确认。最接近的原文是：\n{plain_lines(ev)}"


def multi_text(ev: Evidence, doc) -> str:
    out = []
    for i, (part, sub) in enumerate(zip(ev.parts, ev.facts["questions"], strict=True), 1):
        if part.refused:
            out.append(f"（{i}）{sub}：{reason_text(part, doc)}。")
        else:
            out.append(f"（{i}）{sub}：\n" + plain_lines(part))
    return "\n".join(out)


def quiz_text(ev: Evidence) -> str:
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


def ownership_text(ev: Evidence) -> str:
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


