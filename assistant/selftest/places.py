"""Place lists: "计划里哪些地方提到了{phrase}？" for each everyday phrase (colloquial.tsv) and English
phrase (glossary.tsv) whose plan terms the plan writes in two places or more. The expected places are
every ref whose text holds one of the phrase's terms; the answer counts them ("计划中有N处…")."""

from __future__ import annotations

import random

from ..retrieval.lexical import EVERYDAY, GLOSSARY
from .plan import PlanView

CHINESE = ("计划里哪些地方提到了{phrase}？", "{phrase}在计划里都在哪些地方提到？")
ENGLISH = ("Where does the plan mention {phrase}?",)
MIN_PLACES = 2
# a phrase whose terms stand in more places is a common word of the plan, not a topic to list
MAX_PLACES = 12
MIN_TERM_CHARS = 2  # one character (沙, 碳, 新) is part of too many words to name a topic


def topic_refs(view: PlanView, terms) -> list[str]:
    return view.refs_with([t for t in terms if len(t) >= MIN_TERM_CHARS])


def cross_items(view: PlanView, rng: random.Random) -> list[dict]:
    items = []
    for table, templates, language in ((EVERYDAY, CHINESE, "zh"), (GLOSSARY, ENGLISH, "en")):
        for i, (phrase, terms) in enumerate(table.items()):
            refs = topic_refs(view, terms)
            if not MIN_PLACES <= len(refs) <= MAX_PLACES:
                continue
            evidence = next(t for t in terms if len(t) >= MIN_TERM_CHARS and t in view.text)
            items.append({"kind": "cross", "question": templates[i % len(templates)].format(phrase=phrase),
                          "refs": refs, "expect": [], "evidence": evidence, "phrase": phrase,
                          "terms": list(terms), "count": len(refs), "language": language})
    return items
