"""A quiz asked for in chat ("出5道关于专栏1的判断题", "给我3道能源部分的选择题"): the quiz of
`assistant.quiz` for that scope, kind and number, with the answers and refs at the end."""

from __future__ import annotations

import random
import re

from .evidence import Evidence, Group, refusal
from .words import groups, pattern

DEFAULT_N = 5
MAX_N = 20
_N = re.compile(r"(\d{1,2}|[一二三四五六七八九十两]{1,3})\s*(?:道|个|题)")


def asked_number(text: str) -> int:
    from ..documents.refs import numeral_value

    m = _N.search(text)
    if not m:
        return DEFAULT_N
    n = m.group(1)
    value = int(n) if n.isdigit() else (2 if n == "两" else numeral_value(n))
    return max(1, min(value, MAX_N))


def asked_kinds(text: str) -> tuple[str, ...] | None:
    kinds = tuple(k for k, ws in groups("quiz_kind").items() if re.search("|".join(ws), text, re.I))
    return kinds or None


def plan(q, ctx) -> Evidence | None:
    from ..quiz import QuizError, generate_quiz

    if not pattern("quiz_request").search(q.text):
        return None
    scope = q.scope
    n, seed = asked_number(q.text), random.randrange(1, 10**6)
    try:
        quiz = generate_quiz(ctx.doc, n=n, chapter=scope, kinds=asked_kinds(q.text), seed=seed)
    except QuizError as exc:
        return refusal("quiz_failed", message=str(exc))
    node = ctx.doc.by_ref.get(scope) if scope else None
    name = f"“{node.title}”（{scope}）" if node else "整份计划"
    by_ref: dict[str, Group] = {}
    for question in quiz.questions:
        by_ref.setdefault(question.ref, Group(question.ref, quotes=[])).quotes.append(question.explanation or question.prompt)
    return Evidence("quiz", list(by_ref.values()), facts={"questions": quiz.questions, "scope": scope, "asked": n,
                                                          "scope_name": name, "seed": seed})
