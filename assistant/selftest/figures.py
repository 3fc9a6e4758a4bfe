"""Questions on the targets table: each target's figure in three phrasings, a wrong and a right figure
stated as a premise, and an English question where the glossary has words for the indicator.

    >>> wrong_value("840"), wrong_value("0.593"), wrong_value("1"), wrong_value("12.5")
    ('1000', '0.712', '2', '15')
"""

from __future__ import annotations

import random
import re

from ..retrieval.lexical import GLOSSARY
from .plan import PlanView

FIGURE = ("{label}目标是多少？", "今年{label}要达到多少？", "{context} {indicator}定了什么目标？")
PREMISE_WRONG = ("{label}是{amount}吧？", "{label}目标是{amount}，对吗？", "听说{label}要达到{amount}，是这样吗？")
PREMISE_RIGHT = PREMISE_WRONG
ENGLISH = ("What is the target for {english}?", "What is the {year} target for {english}?")
MIN_ENGLISH_COVER = 0.5  # share of the indicator's characters the English words must stand for
_FACTORS = (1.2, 0.8, 1.5, 0.5, 2.0)


def _nice(x: float, decimals: int) -> str:
    """A figure as a person would misremember it: two significant digits from 100 up, the plan's decimals."""
    if decimals == 0 and x >= 100:
        digits = len(str(int(x))) - 2
        x = round(x / 10**digits) * 10**digits
    s = f"{x:.{decimals}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def wrong_value(value: str) -> str:
    """Another figure of the same scale: 840 -> 1000, 0.593 -> 0.712, 5 -> 6."""
    decimals = len(value.split(".")[1]) if "." in value else 0
    v = float(value.replace(",", ""))
    for factor in _FACTORS:
        s = _nice(v * factor, decimals)
        if float(s) != v:
            return s
    return _nice(v + 1, decimals)


def figure_items(view: PlanView, rng: random.Random) -> list[dict]:
    items = []
    for t, label in view.labelled:
        amount, refs = view.amount(t), view.same_statement_refs(t)
        for template in FIGURE:
            q = template.format(label=label, context=view.context(t), indicator=t.indicator)
            items.append({"kind": "figure", "question": q, "refs": refs, "expect": [amount], "evidence": t.text,
                          "target": t.id})
    return items


def premise_items(view: PlanView, rng: random.Random) -> list[dict]:
    items = []
    for i, (t, label) in enumerate(view.labelled):
        amount, refs = view.amount(t), view.same_statement_refs(t)
        wrong = wrong_value(t.value) + t.unit
        if wrong in t.text:  # 育肥牛、育肥羊 180万头和4000万只: a "wrong" figure the clause states is no wrong premise
            continue
        common = {"refs": refs, "expect": [amount], "evidence": t.text, "target": t.id}
        items.append({"kind": "premise_number", "question": PREMISE_WRONG[i % 3].format(label=label, amount=wrong),
                      "premise": "wrong", "stated": wrong, **common})
        items.append({"kind": "premise_right", "question": PREMISE_RIGHT[(i + 1) % 3].format(label=label, amount=amount),
                      "premise": "right", "stated": amount, **common})
    return items


def english_phrase(indicator: str) -> str | None:
    """The glossary's English for the indicator's words, in the indicator's order, when they stand for
    at least half of it: 粮食产量 -> "grain output", 新增新能源并网装机 -> "renewable grid-connected capacity".
    An entry counts when the indicator holds its first plan term or all of them ("new jobs" = 就业 新增
    城镇 is not 新增 alone)."""
    chosen: list[tuple[int, int, str]] = []
    entries = []
    for key, terms in GLOSSARY.items():
        found = [t for t in terms if t in indicator]
        if terms and (terms[0] in indicator or len(found) == len(terms)):
            entries.append((sum(map(len, found)), key, max(found, key=len)))
    for _, key, term in sorted(entries, key=lambda e: (-e[0], e[1])):
        start = indicator.find(term)
        end = start + len(term)
        if any(start < e and s < end for s, e, _ in chosen) or any(key in k or k in key for *_, k in chosen):
            continue
        chosen.append((start, end, key))
    han = len(re.findall(r"[\u4e00-\u9fff]", indicator))
    covered = sum(e - s for s, e, _ in chosen)
    if not chosen or covered < MIN_ENGLISH_COVER * han:
        return None
    return " ".join(k for *_, k in sorted(chosen))


def _fits_another(phrase: str, target, view: PlanView) -> bool:
    """Do the phrase's English words fit another target's indicator as well ("renovation farmland": 改造
    and 农田 are in 新建和改造提升高标准农田 too, not only in 改造提升盐碱耕地)?"""
    keys = [k for k in GLOSSARY if re.search(rf"(?<![a-z-]){re.escape(k)}(?![a-z-])", phrase)]
    return any(t.text != target.text and all(any(term in t.indicator for term in GLOSSARY[k]) for k in keys)
               for t in view.targets)


def english_items(view: PlanView, rng: random.Random) -> list[dict]:
    named: dict[str, list] = {}
    for t, _ in view.labelled:
        phrase = english_phrase(t.indicator) if view.specific(t) else None  # 产值 alone names nothing
        if phrase:
            named.setdefault(phrase, []).append(t)
    items = []
    for phrase, targets in named.items():
        if len({t.text for t in targets}) > 1 or _fits_another(phrase, targets[0], view):
            continue
        t = targets[0]
        for template in ENGLISH:
            items.append({"kind": "english", "question": template.format(english=phrase, year=view.year),
                          "refs": view.same_statement_refs(t), "expect": [view.amount(t)], "evidence": t.text,
                          "target": t.id, "english": phrase})
    return items
