"""Wrong premises about names, not numbers: a phrase of a task (the ledger's clauses) with an ordinal
moved on (第四届 -> 第五届), a place swapped for another place the plan names, or a quoted name swapped
for another quoted name, asked as "计划说要…，对吧？". The answer corrects it and quotes the real phrase.

    >>> next_ordinal("办好第四届向北开放经贸商洽会")
    ('第四届', '第五届')
"""

from __future__ import annotations

import random
import re

from ..documents.refs import chinese_numeral, numeral_value
from ..tasks import split_top_level
from .plan import PlanView

TEMPLATES = ("计划说要{phrase}，对吧？", "计划里是说{phrase}吗？", "听说计划要{phrase}，是这样吗？")
PHRASE_CHARS = (6, 40)
_ORDINAL = re.compile(r"第([一二三四五六七八九十]{1,3}|\d{1,2})(届|次|批|期|轮)")
_QUOTED = re.compile(r"“[^“”]{2,12}”|《[^《》]{2,30}》")
_ADMIN_SUFFIX = "市盟旗县"


def next_ordinal(text: str) -> tuple[str, str] | None:
    m = _ORDINAL.search(text)
    if not m:
        return None
    n = m.group(1)
    after = str(int(n) + 1) if n.isdigit() else chinese_numeral(numeral_value(n) + 1)
    return m.group(), f"第{after}{m.group(2)}"


def place_groups(view: PlanView) -> list[list[str]]:
    """Places the plan names, in groups of one kind: words the tagger reads as places that stand in a
    list beside another place ("满洲里、二连浩特": one group with everything listed with them), and names
    with an administrative suffix (通辽市, 包头市; 锡林郭勒盟, 阿拉善盟), grouped by the suffix."""
    import jieba.posseg as pseg

    parent: dict[str, str] = {}

    def root(p: str) -> str:
        while parent[p] != p:
            p = parent[p]
        return p

    home = view.doc.header.get("issuer", "")
    for node in view.nodes:
        words = [(w.word, w.flag) for w in pseg.cut(node.text)]
        for i, (word, flag) in enumerate(words):
            if flag != "ns" or len(word) < 2 or word in home:
                continue
            if len(word) >= 3 and word[-1] in _ADMIN_SUFFIX:
                parent.setdefault(word, word)
                parent.setdefault(word[-1], word[-1])
                parent[root(word)] = root(word[-1])
            if i + 2 < len(words) and words[i + 1][0] == "、" and words[i + 2][1] == "ns" and words[i + 2][0] not in home:
                other = words[i + 2][0]
                parent.setdefault(word, word)
                parent.setdefault(other, other)
                parent[root(word)] = root(other)
    groups: dict[str, list[str]] = {}
    for p in parent:
        if len(p) >= 2:
            groups.setdefault(root(p), []).append(p)
    return [g for g in groups.values() if len(g) >= 2]


def _alike(a: str, b: str) -> bool:
    """Two quoted names of one kind: 《…法》 and 《…法》, “三北” and “两新” (as long, a numeral first or not)."""
    if a[0] == "《":
        return a[-2] == b[-2]
    numeral = "一二三四五六七八九十两双"
    return len(a) == len(b) and (a[1] in numeral) == (b[1] in numeral)


def _phrase(clause: str, token: str) -> str | None:
    """The comma piece of the task clause that holds the token, within the length a question can quote."""
    for piece in split_top_level(clause, "，"):
        piece = piece.strip("，。； ")
        if token in piece and PHRASE_CHARS[0] <= len(piece) <= PHRASE_CHARS[1]:
            return piece
    return None


def _swaps(view: PlanView, rng: random.Random):
    """(ref, phrase, old, new) for every task clause with an ordinal, a place or a quoted name."""
    groups = place_groups(view)
    quoted = list(dict.fromkeys(_QUOTED.findall(view.text)))
    for task in view.ledger:
        ordinal = next_ordinal(task.text)
        if ordinal:
            yield task.ref, task.text, *ordinal
        group = next((g for g in groups for p in g if p in task.text), None)
        if group:
            place = next(p for p in group if p in task.text)
            others = [p for p in group if p not in place and place not in p and p not in task.text]
            if others:
                yield task.ref, task.text, place, rng.choice(others)
        name = next((q for q in _QUOTED.findall(task.text)), None)
        if name:
            others = [q for q in quoted if q[0] == name[0] and _alike(name, q) and q != name and q not in task.text]
            if others:
                yield task.ref, task.text, name, rng.choice(others)


def premise_name_items(view: PlanView, rng: random.Random) -> list[dict]:
    items, seen = [], set()
    for ref, clause, old, new in _swaps(view, rng):
        phrase = _phrase(clause, old)
        if not phrase or (phrase, old) in seen:
            continue
        changed = phrase.replace(old, new, 1)
        if changed in view.text:  # the swap must make a phrase the plan does not write
            continue
        seen.add((phrase, old))
        question = TEMPLATES[len(items) % len(TEMPLATES)].format(phrase=changed)
        items.append({"kind": "premise_name", "question": question, "refs": [ref], "expect": [phrase],
                      "evidence": phrase, "premise": "wrong", "stated": new, "original": old})
    return items


def premise_name_right_items(view: PlanView, rng: random.Random) -> list[dict]:
    """The same phrases as written, asked the same ways: confirmed with the phrase quoted, never
    corrected (a list sentence read out of order must not turn a right claim into a wrong one)."""
    items = []
    for k, wrong in enumerate(premise_name_items(view, rng)):
        phrase = wrong["evidence"]
        items.append({"kind": "premise_name_right", "question": TEMPLATES[(k + 1) % len(TEMPLATES)].format(phrase=phrase),
                      "refs": wrong["refs"], "expect": [phrase], "evidence": phrase, "premise": "right"})
    return items
