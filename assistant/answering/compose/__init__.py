"""Every sentence the user reads, written from an Evidence plan: the extractive answer's wording,
refusals, counts ("专栏1共5类：…"), corrections ("不是。计划的目标是…"), ownership with its basis,
quizzes. Statements are plan text followed by their ref; only these connecting words are ours.
"""

from __future__ import annotations

import re

from ...retrieval.lexical import GLOSSARY, english_terms
from ...types import Answer, Citation
from ..evidence import Evidence
from .common import REASONS, REFUSAL, bullets, home_region, plain_lines, reason_text, refusal_text  # noqa: F401
from .lists import compare_text, cross_text, more_text, yesno_text
from .structure import (
    claim_text,
    count_text,
    multi_text,
    overview_text,
    ownership_text,
    premise_text,
    quiz_text,
)


def english_lead(question: str, ev: Evidence | None = None) -> str:
    """"The plan's figure: 5%左右 — 地区生产总值 (GDP)." for a figure; otherwise the plan's terms with
    the English words found: "The plan's text on 地区生产总值 (GDP), …"."""
    from ...documents.targets import stated_quantities

    terms = english_terms(question)  # the plan's terms for the question's English words
    said = [w for w in GLOSSARY if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", question.lower())]
    found = [w for w in said if GLOSSARY[w] and not any(w != o and w in o for o in said)]  # not mongolia of inner mongolia
    named = "、".join(terms[:4]) + (f" ({', '.join(found[:3])})" if found else "")
    line = ev.groups[0].lines[0] if ev is not None and ev.kind == "figure" and ev.groups and ev.groups[0].lines else ""
    quantities = stated_quantities(line) if line else []
    if quantities:
        m = quantities[0]
        figure = m.group() + next((q for q in ("左右", "以上", "以下", "以内") if line[m.end():].startswith(q)), "")
        return f"The plan's figure: {figure} — {named or 'see the quoted text'}. Quoted in Chinese with its paragraph reference:"
    return (f"The plan's text on {named}, quoted in Chinese with its paragraph references:" if terms
            else "The plan's closest text, quoted in Chinese with its paragraph references:")


def text_of(ev: Evidence, doc, english: bool = False) -> str:
    if ev.refused:
        return refusal_text(ev, doc, english)
    writers = {"count": count_text, "overview": overview_text, "quiz": quiz_text, "ownership": ownership_text, "claim": claim_text,
               "compare": compare_text}
    if ev.kind in writers:
        return writers[ev.kind](ev)
    if ev.kind == "cross":
        return cross_text(ev, doc)
    if ev.kind == "yesno":
        return yesno_text(ev, doc, english)
    if ev.kind == "more":
        return more_text(ev, doc)
    if ev.kind == "premise":
        return premise_text(ev, doc)
    if ev.kind == "multi":
        return multi_text(ev, doc)
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
    text = text_of(ev, doc, english)
    if english and not ev.refused and ev.kind not in ("quiz", "notice", "yesno"):
        text = english_lead(question, ev) + "\n" + text
    return Answer(question, text, [] if ev.refused else citations(ev, doc), refused=ev.refused,
                  mode="extractive", hits=ev.hits)
