"""The lists of the plan: a part's sections, a 专栏's rows, and the items a sentence enumerates
("支持A、B、C争创…"). Each list has the question that asks for it and its items with the ref each one
is found at; the ordinal and count generators read them.

    >>> s = sentence_list("支持通辽市、乌兰察布市、乌海市争创全国民族团结进步示范市", "一")
    >>> [i.text for i in s.items], s.lead, s.head, s.closed
    (['通辽市', '乌兰察布市', '乌海市'], '支持', '争创全国民族团结进步示范市', True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..documents.parse import Document
from ..tasks import ACTION_STARTS
from .plan import short_title

MIN_ITEMS = 3  # two items joined by 、 are mostly one compound ("加装、更新住宅电梯")
ITEM_CHARS = (2, 14)
_STOP_FLAGS = ("v", "p", "c", "u", "d", "r")  # a verb, preposition, conjunction … ends the last item
_JOIN = re.compile(r"以及|和|及|与")
_ITEM_OK = re.compile(r"^[\u4e00-\u9fff“”]+$")


@dataclass(frozen=True)
class ListItem:
    text: str
    ref: str


@dataclass(frozen=True)
class PlanList:
    source: str  # "sections" | "rows" | "sentence"
    ref: str  # the part, 专栏 or paragraph the list belongs to
    ask: str  # a question asking for the list
    items: tuple[ListItem, ...]
    lead: str = ""  # a sentence list: the words before the first item ("支持")
    head: str = ""  # and after the last one ("争创全国民族团结进步示范市")
    closed: bool = True  # no 等 after the last item: the list is all there is


def _tokens(text: str):
    import jieba.posseg as pseg

    return [(t.word, t.flag) for t in pseg.cut(text)]


def _split_last(segment: str) -> tuple[list[str], str, bool]:
    """"乌海市争创全国…" -> (["乌海市"], "争创全国…", closed); "“一湖两海”及察汗淖尔等河湖湿地" ->
    (["“一湖两海”", "察汗淖尔"], "河湖湿地", open)."""
    items, rest, closed = [], segment, True
    m = re.search(r"等", segment)
    if m:
        items_part, rest, closed = segment[: m.start()], segment[m.end() :], False
    else:
        toks, n = _tokens(segment), 0
        for word, flag in toks:
            if flag.startswith(_STOP_FLAGS) and not flag.startswith("vn") and n:
                break
            n += len(word)
        items_part, rest = segment[:n], segment[n:]
    pieces = _JOIN.split(items_part)
    items = pieces if len(pieces) > 1 and all(len(p) >= 2 for p in pieces) else [items_part]
    return items, rest, closed


def _split_first(segment: str) -> tuple[str, str]:
    """"加快推进鄂尔多斯蒙苏经济开发区" -> ("加快推进", "鄂尔多斯蒙苏经济开发区"): the item starts after the
    last verb, preposition or adverb, and after the action words a task opens with (大力发展)."""
    toks, cut, pos = _tokens(segment), 0, 0
    for word, flag in toks:
        pos += len(word)
        if flag.startswith(_STOP_FLAGS) and not flag.startswith("vn"):
            cut = pos
    # an action word the tagger cut in two (做/大高纯铝) ends where the word ends
    cut = max([cut] + [i + len(v) for v in ACTION_STARTS for i in [segment.find(v)] if 0 <= i < cut < i + len(v)])
    while not cut or segment[:cut] in ACTION_STARTS:  # no verb found yet: 大力发展研发设计
        verb = next((v for v in ACTION_STARTS if segment.startswith(v, cut) and len(segment) - cut > len(v) + 1), "")
        if not verb:
            break
        cut += len(verb)
    return segment[:cut], segment[cut:]


def _plausible(lead: str, texts: list[str], head: str) -> bool:
    """Items cut where they really start and end: each of two to fourteen characters of text, quotes
    balanced, lengths alike, the lead not ending inside a pattern the items share ("临河至…铁路、乌兰浩特至
    阿尔山铁路": the first item began before 临河), and no item after a 和 past the last one."""
    lo, hi = ITEM_CHARS
    if not all(lo <= len(t) <= hi and _ITEM_OK.match(t) and t.count("“") == t.count("”") for t in texts):
        return False
    if len(set(texts)) < len(texts) or max(map(len, texts)) > 2 * min(map(len, texts)) + 2:
        return False
    middle = texts[1:-1]
    if lead and sum(lead[-1] in t for t in middle) * 2 >= len(middle) > 0:
        return False
    return not _JOIN.match(head)


def sentence_list(clause: str, ref: str) -> PlanList | None:
    clause = re.sub(r"^\s*\d+[.．、]", "", clause)
    segments = clause.split("、")
    if len(segments) < MIN_ITEMS:
        return None
    lead, first = _split_first(segments[0])
    last, head, closed = _split_last(segments[-1])
    texts = [first, *segments[1:-1], *last]
    if not _plausible(lead, texts, head):
        return None
    ask = f"{lead}{head}都有哪些？" if head else f"{lead}哪些方面？"
    return PlanList("sentence", ref, ask, tuple(ListItem(t, ref) for t in texts), lead, head, closed)


def sentence_lists(doc: Document) -> list[PlanList]:
    out = []
    for node in doc.walk():
        if node.kind not in ("opening", "part", "section", "row") or not node.text:
            continue
        for clause in re.split(r"[，；。：\n]", node.text):
            found = sentence_list(clause, node.ref) if clause.count("、") >= MIN_ITEMS - 1 else None
            if found:
                out.append(found)
    return out


def tree_lists(doc: Document) -> list[PlanList]:
    """Each part's sections and each 专栏's rows, with a question that asks for them."""
    out = []
    for part in doc.parts:
        secs = [c for c in part.children if c.kind == "section"]
        if len(secs) >= 2:
            ask = f"第{part.ref}部分“{short_title(part.title)}”讲了哪几个方面？"
            out.append(PlanList("sections", part.ref, ask, tuple(ListItem(s.title, s.ref) for s in secs)))
    for column in doc.columns:
        if len(column.children) >= 2:
            ask = f"{column.ref}“{column.title}”分了哪几类？"
            out.append(PlanList("rows", column.ref, ask, tuple(ListItem(r.title, r.ref) for r in column.children)))
    return out


def all_lists(doc: Document) -> list[PlanList]:
    return tree_lists(doc) + sentence_lists(doc)
