"""The suggested owner of each task: departments scored by their function keywords in its text."""

from __future__ import annotations

import math

from ..tasks import Ledger, Task
from .departments import Assignment, Department, load_departments

TITLE_WEIGHT, HEADING_WEIGHT = 0.35, 0.1  # context counts less than the task's own words
NAMED_BONUS = 100.0  # a department named in the text
CO_SHARE = 0.4  # a co-department scores at least this share of the lead's score
MAX_CO = 3
FALLBACK_LEAD = "自治区发展和改革委员会"  # the plan's drafter coordinates what no function covers


def keyword_weights(departments: list[Department], texts: list[str]) -> dict[str, float]:
    """sqrt(length) x rarity among the tasks (idf) / number of departments sharing the keyword."""
    shared: dict[str, int] = {}
    for d in departments:
        for kw in set(d.keywords):
            shared[kw] = shared.get(kw, 0) + 1
    n = len(texts)
    weights = {}
    for kw, count in shared.items():
        df = sum(kw in t for t in texts)
        weights[kw] = math.sqrt(len(kw)) * math.log(1 + (n + 1) / (df + 1)) / count
    return weights


def _matches(text: str, departments: list[Department]) -> dict[str, set[str]]:
    """Department name -> keywords found in `text`, dropping a hit inside a longer hit."""
    hits = []
    for d in departments:
        for kw in d.keywords:
            at = text.find(kw)
            while at >= 0:
                hits.append((at, at + len(kw), kw, d.name))
                at = text.find(kw, at + 1)
    found: dict[str, set[str]] = {}
    for s, e, kw, name in hits:
        if not any(s2 <= s and e <= e2 and e2 - s2 > e - s for s2, e2, _, _ in hits):
            found.setdefault(name, set()).add(kw)
    return found


def infer_owner(task: Task, departments: list[Department], weights: dict[str, float],
                cache: dict | None = None) -> Assignment:
    cache = {} if cache is None else cache  # titles repeat across the tasks of a node
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for text, factor, tag in ((task.text, 1.0, ""), (task.title, TITLE_WEIGHT, "（标题）"),
                              (task.heading, HEADING_WEIGHT, "（篇章）")):
        if text not in cache:
            cache[text] = _matches(text, departments)
        for name, kws in cache[text].items():
            scores[name] = scores.get(name, 0.0) + factor * sum(weights.get(k, 1.0) for k in kws)
            reasons.setdefault(name, []).extend(k + tag for k in sorted(kws, key=len, reverse=True))
    for d in departments:
        if any(len(n) >= 2 and n in task.text for n in d.names):
            scores[d.name] = scores.get(d.name, 0.0) + NAMED_BONUS
            reasons.setdefault(d.name, []).insert(0, "文中点名")
    if not scores:
        return Assignment((FALLBACK_LEAD,), (), "inferred", "未匹配到部门职能关键词，默认由计划编制部门统筹")
    ranked = sorted(scores, key=lambda n: -scores[n])
    top = scores[ranked[0]]
    lead = tuple(n for n in ranked if scores[n] >= top - 1e-9)
    co = tuple(n for n in ranked if n not in lead and scores[n] >= CO_SHARE * top)[:MAX_CO]
    reason = "；".join(f"{n}：{'、'.join(dict.fromkeys(reasons[n]))}" for n in lead + co)
    return Assignment(lead, co, "inferred", "职能关键词匹配——" + reason)


def suggest_owners(ledger: Ledger, departments: list[Department] | None = None) -> dict[str, Assignment]:
    departments = departments if departments is not None else load_departments()
    weights = keyword_weights(departments, [t.text for t in ledger])
    cache: dict = {}
    return {t.id: infer_owner(t, departments, weights, cache) for t in ledger}
