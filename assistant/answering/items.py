"""The items of an earlier answer, in whatever shape it was written: numbered lines ("1." "（1）" "①"
"一、"), bullets, prose ("一是…；二是…", "首先…其次…最后…"), a list after 包括 ("包括A、B、C等"), or
clauses split by ；. Histories come from this app, from API clients and from other models, with or
without [ref] markers; an item without a marker is found in the plan by its words.

    >>> [i.text for i in split_items("一是扎实推进“三北”工程攻坚战；二是强化水资源管理；三是深入打好污染防治攻坚战。")]
    ['扎实推进“三北”工程攻坚战', '强化水资源管理', '深入打好污染防治攻坚战']
    >>> [i.text for i in split_items("计划提出的千亿级产业链包括：乳业、稀土、有色、现代煤化工、光伏等。")]
    ['乳业', '稀土', '有色', '现代煤化工', '光伏']
    >>> [i.text for i in split_items("1. 防沙治沙 [二(一)]\\n2. 水资源 [二(三)]")], split_items("1. 防沙治沙 [二(一)]")[0].marked
    (['防沙治沙', '水资源'], ['二(一)'])
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .words import pattern

MARKERS = re.compile(r"\[([^\[\]\n]{1,60})\]")
_EDGES = " \t：:。；;，,、"
MIN_ITEM_CHARS = 2


@dataclass
class Item:
    """One item of an earlier answer: its position, its text (markers removed) and its ref."""

    n: int
    text: str
    ref: str | None = None
    marked: list[str] = field(default_factory=list)  # the [ref] markers written after it (or its citation)


def _item(n: int, raw: str) -> Item:
    text = MARKERS.sub("", raw).strip(_EDGES)
    text = text[1:] if text[:1] in ("是", "要") and len(text) > 3 else text  # 其次是…, 首先要…
    return Item(n, text, None, MARKERS.findall(raw))


def _numbered_lines(text: str) -> list[str]:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    marked = [pattern("item_line").sub("", ln, count=1) for ln in lines if pattern("item_line").match(ln)]
    return marked if len(marked) >= 2 else []


def _inline(text: str) -> list[str]:
    starts = [m for m in pattern("item_inline").finditer(text)]
    if len(starts) < 2:
        return []
    return [text[a.end():b.start() if b else len(text)] for a, b in zip(starts, [*starts[1:], None], strict=True)]


def _listed(text: str) -> list[str]:
    """"…包括：乳业、稀土、有色等" -> the items of the longest 、-list after an introducing word."""
    best: list[str] = []
    for clause in pattern("clause_end").split(text):
        first = clause.find("、")  # the introducing word is the last one before the list starts
        m = ([m for m in pattern("item_list_intro").finditer(clause) if m.end() <= first] or [None])[-1]
        tail = clause[m.end():] if m else clause
        pieces = [p for p in tail.strip(_EDGES).removesuffix("等").split("、")]
        if len(pieces) >= 3 or (m and len(pieces) >= 2):
            best = max(best, pieces, key=len)
    return best


def split_items(text: str) -> list[Item]:
    for shape in (_numbered_lines, _inline, _listed):
        raws = [r for r in shape(text) if len(MARKERS.sub("", r).strip(_EDGES)) >= MIN_ITEM_CHARS]
        if len(raws) >= 2:
            return [_item(i, r) for i, r in enumerate(raws, 1)]
    clauses = [c for c in pattern("item_clause").split(text) if len(MARKERS.sub("", c).strip(_EDGES)) >= MIN_ITEM_CHARS]
    if len(clauses) >= 2:
        return [_item(i, c) for i, c in enumerate(clauses, 1)]
    return [_item(1, text)] if MARKERS.search(text) else []


def _plain(text: str) -> str:
    """Without quotes and spaces, in NFKC (Ⅱ and II, full- and half-width read alike)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch not in "“”\"‘’'《》「」 \t")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


SAID_SHARE = 0.7  # a sentence whose character pairs mostly stand in the earlier answer was said there


def was_said(sentence: str, said: str) -> bool:
    """Quoted or closely retold in an earlier answer (another model may have reworded it)."""
    grams = _bigrams(_plain(sentence))
    return bool(grams) and sum(g in said for g in grams) / len(grams) >= SAID_SHARE


MIN_TITLE_MATCH = 4
MIN_SENTENCE_SHARE = 0.6  # share of an item's character pairs found in one sentence of the plan
KIND_ORDER = {"section": 0, "row": 1, "part": 2, "column": 3}


def locate(text: str, doc, retriever) -> str | None:
    """The ref an item of an earlier answer comes from: a title that is it, holds it or is held by it
    (水资源管理和节约利用 -> 专栏1·水资源管理和节约利用 before 二(三) 强化水资源管理和节约利用), else the
    sentence holding most of its words, else the best retrieved ref."""
    plain = _plain(text)
    if len(plain) < MIN_ITEM_CHARS:
        return None
    titled = [n for n in doc.walk() if n.kind in KIND_ORDER and len(_plain(n.title)) >= MIN_TITLE_MATCH
              and (_plain(n.title) in plain or (len(plain) >= MIN_TITLE_MATCH and plain in _plain(n.title)))]
    if titled:
        return min(titled, key=lambda n: (_plain(n.title) != plain, KIND_ORDER[n.kind], -len(n.title))).ref
    grams = _bigrams(plain)
    best, share = None, 0.0
    for p in retriever.passages:
        if p.level in ("sentence", "both"):
            s = sum(g in p.text for g in grams) / len(grams)
            if s > share:
                best, share = p.ref, s
    if best and share >= MIN_SENTENCE_SHARE:
        return best
    hits = retriever.search(text, k=1)
    return hits[0].ref if hits else None


def enumeration_ref(items: list[Item], retriever) -> str | None:
    """The ref of the one sentence that names most of the items ("乳业、稀土、有色…"): short items
    are found together, not each in the first sentence that happens to name it."""
    names = [_plain(i.text) for i in items if i.text]
    best, most = None, 1
    for p in retriever.passages:
        if p.level in ("sentence", "both"):
            n = sum(name in _plain(p.text) for name in names)
            if n > most:
                best, most = p.ref, n
    return best


def previous_items(history: list[dict] | None, doc, retriever) -> list[Item]:
    """The items of the last assistant turn, each with its ref: its own [ref] marker, else the
    citation the turn carries at its position, else where the plan says it."""
    turn = next((t for t in reversed(history or []) if t.get("role") == "assistant"), None)
    if not turn:
        return []
    from ..documents.refs import normalize_ref

    content = str(turn.get("content") or "")
    items = split_items(content)
    cited = [c["ref"] for c in turn.get("citations") or [] if isinstance(c, dict) and c.get("ref") in doc.by_ref]
    if not items and cited:  # a turn with citations but no items in its text: one item per citation
        return [Item(i, str(doc.by_ref[r].title), r, [r]) for i, r in enumerate(cited, 1)]
    for item in items:
        known = [r for r in (normalize_ref(m.strip()) for m in item.marked) if r in doc.by_ref]
        item.ref = known[0] if known else None
    if items and all(i.ref is None for i in items) and len(cited) == len(items):
        for item, ref in zip(items, cited, strict=True):
            item.ref, item.marked = ref, [ref]  # cited at its position: as good as a marker
    together = enumeration_ref(items, retriever) if any(i.ref is None for i in items) else None
    for item in items:
        inside = together and _plain(item.text) in _plain(doc.by_ref[together].full_text())
        item.ref = item.ref or (together if inside else None) or locate(item.text, doc, retriever)
    return items


def said_refs(history: list[dict] | None, doc, retriever) -> list[str]:
    """The refs the last assistant turn spoke from: its markers, its citations, else its items' refs."""
    turn = next((t for t in reversed(history or []) if t.get("role") == "assistant"), None)
    if not turn:
        return []
    from ..documents.refs import normalize_ref

    refs = [normalize_ref(m.strip()) for m in MARKERS.findall(str(turn.get("content") or ""))]
    refs += [c.get("ref") for c in turn.get("citations") or [] if isinstance(c, dict)]
    refs = [r for r in dict.fromkeys(refs) if r in doc.by_ref]
    return refs or [i.ref for i in previous_items(history, doc, retriever) if i.ref]
