"""Yes/no questions: does the plan mention X? Present: a distinctive phrase of each section and 专栏
row (a run of whole words, four to ten characters, found nowhere else in the plan), asked in three ways
and answered "有" with that ref cited. Absent: subjects a plan of this genre could mention (a bundled
list), each checked absent from this plan's text, answered "计划没有提到…" without a refusal."""

from __future__ import annotations

import random
import re

from .plan import PlanView, data_lines

PRESENT = ("计划里有没有提到{phrase}？", "计划提没提{phrase}？", "{phrase}，计划里提了吗？")
ABSENT = ("计划里有没有提到{subject}？", "计划提没提{subject}？", "{subject}，计划里提了吗？")
PHRASES_PER_REF = 3
PHRASE_CHARS = (4, 10)
ABSENT_SUBJECTS = "absent_subjects.txt"
# a phrase starts and ends on a content word, never on a particle, conjunction or preposition
_EDGE_FLAGS = ("u", "c", "p", "x", "m", "q", "r", "d", "y", "e", "w", "f")
_INNER_FLAGS = ("u", "c", "p", "x", "w")
_HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")


def _words(sentence: str) -> list[tuple[str, str]]:
    import jieba.posseg as pseg

    return [(t.word, t.flag) for t in pseg.cut(sentence)]


def _clean(span: list[tuple[str, str]]) -> bool:
    """Whole words a person would type: no particle, conjunction or preposition inside, edge words of two
    characters or more (a one-character edge is mostly a mis-cut: 渣等大宗…), ending on a noun."""
    (first, first_flag), (last, last_flag) = span[0], span[-1]
    if any(f.startswith(_INNER_FLAGS) for _, f in span) or len(first) < 2 or len(last) < 2:
        return False
    return not first_flag.startswith(_EDGE_FLAGS) and last_flag.startswith(("n", "vn"))


def _inside_noun(words: list[tuple[str, str]], i: int, j: int) -> bool:
    """Does words[i:j] cut a compound noun ("呼伦贝尔国家|生态产品…")? A noun right after it, or right
    before it, continues the name."""
    return (j < len(words) and words[j][1].startswith("n")) or (i > 0 and words[i - 1][1].startswith("n"))


def distinctive_phrases(view: PlanView, text: str, whole_nouns: bool = True) -> list[str]:
    """Runs of whole words of `text` that the plan writes once, ending on a noun.

    >>> from assistant.documents.parse import load
    >>> v = PlanView(load())
    >>> "乌布林水库" in distinctive_phrases(v, "开工建设河套灌区现代化改造、乌布林水库等重点项目")
    True
    """
    lo, hi = PHRASE_CHARS
    found = []
    for sentence in re.split(r"[，。；：、\n]", text):
        words = _words(sentence)
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                span = words[i:j]
                phrase = "".join(w for w, _ in span)
                if len(phrase) > hi:
                    break
                if len(phrase) < lo or not _HAN_ONLY.match(phrase):
                    continue
                if not _clean(span) or (whole_nouns and _inside_noun(words, i, j)):
                    continue
                if view.occurrences(phrase) == 1:
                    found.append(phrase)
    return list(dict.fromkeys(found))


def _separate(phrases: list[str], n: int, rng: random.Random) -> list[str]:
    """n phrases, no one inside another, longer ones first among a shuffled pool."""
    pool = phrases[:]
    rng.shuffle(pool)
    pool.sort(key=lambda p: -min(len(p), 6))  # five or six characters read as a subject, not a fragment
    chosen: list[str] = []
    for p in pool:
        if all(p not in c and c not in p for c in chosen):
            chosen.append(p)
        if len(chosen) == n:
            break
    return chosen


def exists_items(view: PlanView, rng: random.Random) -> list[dict]:
    items = []
    for node in view.nodes:
        if node.kind not in ("section", "row"):
            continue
        body = node.text.split("。", 1)[1] if node.kind == "section" and "。" in node.text else node.text
        # a short row ("打通断头路、修复坑洼路") may have no whole noun phrase: then any run of words
        phrases = distinctive_phrases(view, body) or distinctive_phrases(view, body, whole_nouns=False)
        for k, phrase in enumerate(_separate(phrases, PHRASES_PER_REF, rng)):
            items.append({"kind": "exists", "question": PRESENT[k % len(PRESENT)].format(phrase=phrase),
                          "refs": [node.ref], "expect": [], "evidence": phrase, "phrase": phrase})
    return items


def absent_subjects(view: PlanView) -> list[str]:
    """The bundled subjects this plan does not write (a present one is left out, never asked)."""
    return [s for s in data_lines(ABSENT_SUBJECTS) if view.absent(s)]


def absent_items(view: PlanView, rng: random.Random) -> list[dict]:
    return [{"kind": "absent", "question": template.format(subject=s), "refs": [], "expect": [],
             "evidence": "", "subject": s}
            for s in absent_subjects(view) for template in ABSENT]
