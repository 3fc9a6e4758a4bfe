"""Premise checks: a question that states a figure ("粮食产量目标是900亿斤吧？", "要新增8000个…，
怎么落实？") is compared with the plan's figure for the same thing. The verdict is "right" only when
every stated figure is in the plan's clause, "wrong" when the plan gives another, and "unknown" when
the plan gives none: a figure the plan does not state is never confirmed. The rest of the question
(怎么落实) is answered as its own part."""

from __future__ import annotations

import re

from ..llm import numbers, states
from .claim import MIN_SHARE, best_sentence
from .evidence import Evidence, Group
from .query import FIGURE
from .words import pattern


def figure_question(text: str) -> str:
    """The clause with the stated figure, asking for it: "粮食产量目标是900亿斤吧" -> "粮食产量目标是多少"."""
    clauses = [c for c in re.split(r"[，,；;。？?！!]", text) if FIGURE.search(c)]
    clause = clauses[0] if clauses else text
    clause = FIGURE.sub(lambda m: "多少" + (m.group(2) if re.match(r"[个座条家所项批种台辆]", m.group(2)) else ""),
                        clause, count=1)
    return pattern("premise").sub("", clause).strip() + "？"


MIN_WORD_SHARE = 0.75  # of the claim's words of two or more characters, in the sentence: it is about that


def word_share(claim: str, sentence: str, ctx) -> float:
    """Share of the claim's words the sentence has: a claim that adds a condition in its own words
    (60岁以上老人都能领) is still about the sentence that has the rest (养老服务消费补贴)."""
    said = [w for w in ctx.retriever.tokenize(FIGURE.sub("", claim)) if len(w) >= 2]
    low = sentence.lower()
    return sum(w in low for w in said) / len(said) if said else 0.0


def verdict(stated: list[str], lines: list[str]) -> str:
    said = "\n".join(lines)
    wanted = [n for s in stated for n in numbers(s)]
    return "right" if wanted and all(states(n, said) for n in wanted) else "wrong"


def plan(q, ctx) -> Evidence | None:
    if not q.figures or not q.chinese:
        return None
    action = pattern("premise_action").search(q.text)
    # a question that states a figure and asks for none ("防沙治沙是2000万亩？") asks to confirm it
    confirms = not re.search(r"多少|几|哪|什么|啥|怎么|如何|怎样", q.text)
    if not (pattern("premise").search(q.text) or action or confirms):
        return None
    found = ctx.plan_part(q.about(figure_question(q.text)))
    rest = ctx.plan_part(q.about(FIGURE.sub("", q.text))) if action else None
    if found.kind not in ("figure", "qualitative"):
        # no figure for it, but a sentence that says most of the claim ("补贴是60岁以上老人都能领吧" ->
        # 向中度以上失能老年人发放…): the plan does not say it that way
        claim = pattern("claim_frame").sub("", q.text)
        share, i = best_sentence(claim, ctx)
        if i >= 0 and (share >= MIN_SHARE or word_share(claim, ctx.passages[i].text, ctx) >= MIN_WORD_SHARE):
            group = Group(ctx.passages[i].ref, [ctx.passages[i].text.strip()])
            return Evidence("premise", [group], facts={"stated": q.figures, "verdict": "not_said"},
                            parts=[rest] if rest else [], hits=q.hits)
        return Evidence("premise", [], facts={"stated": q.figures, "verdict": "unknown"},
                        parts=[rest] if rest else [], hits=q.hits)
    lines = [line for g in found.groups for line in g.lines]
    return Evidence("premise", found.groups, facts={"stated": q.figures, "verdict": verdict(q.figures, lines)},
                    parts=[rest] if rest else [], hits=found.hits)
