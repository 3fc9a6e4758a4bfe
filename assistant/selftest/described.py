"""Yes/no questions as people write them, in several clauses: the subject told in words of one sentence
("…、…和…这些，计划里有没有这方面的安排？") or an absent subject, with the yes/no words in a clause of
their own or a remark after them. Present: "有" with the sentence's ref cited; absent: "计划没有提到…".

    清洁取暖、煤改电和热源这些，计划里有没有这方面的安排？  -> 有 …
    单位里最近老有人问房地产税的事，计划里有没有写？          -> 计划没有提到…
"""

from __future__ import annotations

import random
import re

from ..retrieval.lexical import GENERIC, STOPWORDS
from .existence import _words, absent_subjects
from .plan import PlanView

TOLD = ("{a}、{b}和{c}这些，计划里有没有这方面的安排？", "计划里说了{a}、{b}和{c}吗？我们这边很多人关心。",
        "单位里最近老有人问{a}、{b}还有{c}的事，计划里有没有写？")
ABSENT_TOLD = ("{s}这些，计划里有没有这方面的安排？", "计划里说了{s}吗？我们这边很多人关心。",
               "单位里最近老有人问{s}的事，计划里有没有写？")
WORDS = 3
MAX_WORD_SENTENCES = 6  # a word in more of the plan's sentences (发展, 建设) tells nothing of the subject
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def _told_words(view: PlanView, sentence: str) -> list[str] | None:
    """Three content words of the sentence, in its order, the rarest in the plan, that stand together
    in no other node (so the sentence's ref is the place to cite)."""
    words = [w for w, flag in _words(sentence)
             if _HAN.match(w) and flag.startswith(("n", "v")) and w not in GENERIC and w not in STOPWORDS]
    words = list(dict.fromkeys(w for w in words if view.occurrences(w) <= MAX_WORD_SENTENCES))
    if len(words) < WORDS:
        return None
    chosen = sorted(words, key=view.occurrences)[:WORDS]
    if any(a in b for a in chosen for b in chosen if a != b):
        return None
    if sum(all(w in n.text for w in chosen) for n in view.nodes) != 1:
        return None
    return sorted(chosen, key=sentence.index)


def described_items(view: PlanView, rng: random.Random) -> list[dict]:
    items = []
    for node in view.nodes:
        if node.kind not in ("section", "row"):
            continue
        sentences = [s for s in re.split(r"[。；]", node.text) if len(s) >= 12]
        rng.shuffle(sentences)
        told = next((w for w in map(lambda s: _told_words(view, s), sentences) if w), None)
        if told is None:
            continue
        template = TOLD[len(items) % len(TOLD)]
        items.append({"kind": "described", "question": template.format(a=told[0], b=told[1], c=told[2]),
                      "refs": [node.ref], "expect": [], "evidence": "", "answer": "yes", "words": told})
    for k, s in enumerate(absent_subjects(view)):
        items.append({"kind": "described", "question": ABSENT_TOLD[k % len(ABSENT_TOLD)].format(s=s),
                      "refs": [], "expect": [], "evidence": "", "answer": "no", "subject": s})
    return items
