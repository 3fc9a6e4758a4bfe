"""Follow-ups by position over any history: each list of the plan (a part's sections, a 专栏's rows, a
sentence's items) as an earlier answer written in one of several shapes, with and without [ref]
markers, then "第N条展开说说" / "第N个具体讲讲" / "最后一个呢". The answer must cite the pointed item's
ref and quote its body, not only its heading.

    >>> print(render("numbered", ["甲", "乙"], ["一", "二"], markers=True))
    1. 甲 [一]
    2. 乙 [二]
    >>> render("prose", ["甲", "乙", "丙"], ["一", "二", "三"], markers=False)
    '主要有三个方面：一是甲；二是乙；三是丙。'
"""

from __future__ import annotations

import random

from ..documents.refs import chinese_numeral
from .enumerations import PlanList, all_lists
from .plan import PlanView

SHAPES = ("numbered", "paren", "circled", "prose", "includes", "sequence", "semicolons")
POINTERS = ("第{n}条展开说说", "第{n}个具体讲讲", "说说第{n}点", "第{n}项详细讲讲")
LAST = ("最后一个呢？", "最后一条具体说说")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _mark(text: str, ref: str, markers: bool) -> str:
    return f"{text} [{ref}]" if markers else text


def _sequence_word(i: int, n: int) -> str:
    if i == n - 1:
        return "最后"
    return ("首先", "其次", "再次")[i] if i < 3 else "此外"


def render(shape: str, texts: list[str], refs: list[str], markers: bool) -> str:
    """An earlier answer that lists `texts`, in one of the shapes people, web apps and other models write."""
    n = len(texts)
    items = [_mark(t, r, markers) for t, r in zip(texts, refs, strict=True)]
    if shape == "numbered":
        return "\n".join(f"{i}. {t}" for i, t in enumerate(items, 1))
    if shape == "paren":
        return "主要包括以下几项：\n" + "\n".join(f"（{i}）{t}" for i, t in enumerate(items, 1))
    if shape == "circled":
        return "\n".join(f"{_CIRCLED[i]}{t}" for i, t in enumerate(items))
    if shape == "prose":
        return f"主要有{chinese_numeral(n)}个方面：" + "；".join(
            f"{chinese_numeral(i)}是{t}" for i, t in enumerate(items, 1)) + "。"
    if shape == "includes":
        return "包括：" + "、".join(items) + "。"
    if shape == "sequence":
        return "，".join(f"{_sequence_word(i, n)}{'是' if i < n - 1 else ''}{t}" for i, t in enumerate(items)) + "。"
    if shape == "semicolons":
        return "计划的安排是：" + "；".join(items) + "。"
    raise ValueError(shape)


def _pointer(rng: random.Random, n_items: int, k: int) -> tuple[str, int]:
    """A follow-up and the 1-based position it points to; every fourth one asks for the last item."""
    if k % 4 == 3:
        return LAST[k % len(LAST)], n_items
    n = rng.randrange(1, n_items + 1)
    numeral = chinese_numeral(n) if k % 3 else str(n)
    return POINTERS[k % len(POINTERS)].format(n=numeral), n


def ordinal_items(view: PlanView, rng: random.Random, lists: list[PlanList] | None = None) -> list[dict]:
    items, k = [], 0
    for found in lists if lists is not None else all_lists(view.doc):
        texts, refs = [i.text for i in found.items], [i.ref for i in found.items]
        for j, shape in enumerate(SHAPES):
            # a tree list in every shape with and without markers; a sentence's list in every shape, the
            # markers alternating (its items all cite the one paragraph, so they tell less)
            both = found.source != "sentence"
            for markers in (True, False) if both else ((j + len(items)) % 2 == 0,):
                question, n = _pointer(rng, len(texts), k)
                k += 1
                history = [{"role": "user", "content": found.ask},
                           {"role": "assistant", "content": render(shape, texts, refs, markers)}]
                item = found.items[n - 1]
                items.append({"kind": "ordinal", "question": question, "refs": [item.ref], "expect": [],
                              "evidence": item.text, "history": history, "n": n, "item": item.text,
                              "shape": shape, "markers": markers, "list": found.source})
    return items
