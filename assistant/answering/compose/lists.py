"""Answers that list places: every place a subject is named, yes/no with its places, more of the same
topic, one row per document for a compared target."""

from __future__ import annotations

from ..evidence import Evidence
from .common import bullets


def places_text(ev: Evidence, doc) -> str:
    """Numbered places grouped under their part ("第七部分："), one line per ref."""
    from ..places import part_of

    out, current = [], object()
    for i, g in enumerate(ev.groups, 1):
        part = part_of(doc, g.ref)
        if part != current:
            out.append(f"{f'第{part}部分' if part else '开篇'}：")
            current = part
        out.append(f"{i}. {g.lines[0]} [{g.ref}]" if len(g.lines) == 1 else f"{i}. [{g.ref}] " + " ".join(g.lines))
    return "\n".join(out)


def quoted_terms(ev: Evidence) -> list[str]:
    """The plan's words for the subject that the quoted lines use (not every variant that was sought)."""
    quoted = "".join(line for g in ev.groups for line in g.lines)
    return [t for t in ev.facts.get("terms", []) if t in quoted]


def said_as_text(ev: Evidence, term: str) -> str:
    """（计划的说法：绿氢、氢氨醇） when the plan's words differ from the question's."""
    other = [t for t in quoted_terms(ev) if t not in term]
    return f"（计划的说法：{'、'.join(other[:6])}）" if other else ""


def cross_text(ev: Evidence, doc) -> str:
    f = ev.facts
    parts = list(dict.fromkeys(p for p in (part_of_ref(doc, g.ref) for g in ev.groups) if p))
    where = f"，分布在第{'、'.join(parts)}部分" if len(parts) > 1 else ""
    return f"计划中有{len(ev.groups)}处提到“{f['term']}”{said_as_text(ev, f['term'])}{where}：\n" + places_text(ev, doc)


def part_of_ref(doc, ref: str) -> str | None:
    from ..places import part_of

    return part_of(doc, ref)


def compare_text(ev: Evidence) -> str:
    f = ev.facts
    rows = f["rows"]
    head = f"“{f['indicator']}”目标"
    if "side" in f:
        word = "高于" if f["side"] == "above" else "低于"
        head += f"{word}{f['bound']:g}%的有{len(rows)}份（共比较{f['n_docs']}份文件）："
    else:
        head += f"（{len(rows)}份文件）："
    lines = [f"{i}. {r.label}：{r.text} [{r.ref}]" for i, r in enumerate(rows, 1)]
    if f.get("change") is not None:
        word = {1: "比上一年提高", -1: "比上一年降低", 0: "与上一年持平"}[f["change"]]
        lines.append(f"{rows[0].label}的目标{word}。")
    if f["missing"]:
        lines.append("未写明这一目标的文件：" + "、".join(f["missing"]))
    return head + "\n" + "\n".join(lines)


def more_text(ev: Evidence, doc) -> str:
    if ev.facts["none"]:
        return "关于这个问题，计划中相关的原文上面已经列出，没有更多了。"
    return "计划中还有这些相关内容：\n" + "\n".join(bullets(ev))


def yesno_text(ev: Evidence, doc, english: bool) -> str:
    f = ev.facts
    subject = f["subject"]
    if f.get("inside"):
        if f["present"]:
            return f"有。上面这些段落中有{len(ev.groups)}处提到“{subject}”：\n" + places_text(ev, doc)
        if f.get("elsewhere"):
            return f"上面这些段落没有提到“{subject}”。计划在其他地方提到：\n" + places_text(ev, doc)
        return f"上面这些段落没有提到“{subject}”，计划中也没有提到。"
    if f["present"]:
        if f.get("described") and not english:
            head = f"有。计划中有{len(ev.groups)}处讲到这方面（{'、'.join(quoted_terms(ev)[:6])}）："
        elif english:
            head = f"Yes. The plan mentions it ({'、'.join(quoted_terms(ev)[:4])}) in {len(ev.groups)} place(s):"
        elif f["otherwise"]:
            head = f"有。计划没有用“{subject}”这个说法，但有{len(ev.groups)}处说到{'、'.join(quoted_terms(ev)[:6])}："
        else:
            head = f"有。计划中有{len(ev.groups)}处提到“{subject}”{said_as_text(ev, subject)}："
        return head + "\n" + places_text(ev, doc)
    head = f"No. The plan does not mention “{subject}”." if english else f"计划没有提到“{subject}”。"
    if not ev.groups:
        return head
    label = "Related text (not about it as such):" if english else f"相关的内容（并非“{subject}”本身）："
    return head + "\n" + label + "\n" + "\n".join(bullets(ev))


