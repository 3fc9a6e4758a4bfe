"""Lists across sections ("哪些地方提到了氢能", "对包头有哪些安排"): every sentence of the plan that
names the subject, grouped by ref, with no cap on how many sections; the composer says how many."""

from __future__ import annotations

import re

from ..lexical import topic_tokens
from .evidence import Evidence, Group
from .words import pattern

MAX_PER_REF = 3
_SUBJECT = (
    re.compile(r"^([\u4e00-\u9fff]{2,8}?)(?:相关|有关)的"),
    re.compile(r"^([\u4e00-\u9fff]{2,8}?)(?:有哪些提法|有哪些说法|有哪些表述|被提到|在计划)"),
    re.compile(r"(?:跟|与|和|同)([^，。？?]{2,12}?)(?:有关|相关)"),
    re.compile(r"(?:提到|提及|涉及|说到|讲到|谈到|出现)(?:了|过)?[“\"]?([^”\"？?，。]{2,16}?)[”\"]?(?:的)?(?:地方|内容|部分|段落|有哪些|吗)?[？?。]?$"),
    re.compile(r"(?:对|关于|针对|给|为)([^，。？?]{2,12}?)(?:有|作|做|都有|作出|做出|提出)(?:了)?(?:哪些|什么|啥)"),
    re.compile(r"^[“\"]?([^”\"，。？?]{2,12}?)[”\"]?(?:在计划|在文件|在全文|在哪|在哪些|都在)"),
)


def subjects(q, ctx) -> list[str]:
    """The subject(s) a cross-section question names: "托育和幼儿园相关的内容" -> 托育, 幼儿园."""
    for rx in _SUBJECT:
        m = rx.search(q.text)
        if m:
            s = re.sub(r"^(?:计划|文件|全文|里|中|了|的)+|(?:的|相关|方面|问题|工作)+$", "", m.group(1))
            found = [w for w in re.split(r"和|与|及|、", s) if len(w) >= 2 and w in ctx.doc_text]
            if found:
                return found
    word = subject(q, ctx)
    return [word] if word else []


def subject(q, ctx) -> str | None:
    """The rarest topic word the plan uses."""
    vocab, idf = ctx.retriever.bm25.vocab, ctx.retriever.bm25.idf
    words = [t for t in topic_tokens(q.scored.tokens) if t in vocab and t in ctx.doc_text]
    return max(words, key=lambda t: float(idf[vocab[t]])) if words else None


def english_subject(q) -> list[str]:
    """The plan's terms for the English words of the question (hydrogen -> 氢能, 绿氢)."""
    from ..lexical import english_terms

    return english_terms(q.text)


def plan(q, ctx) -> Evidence | None:
    if not pattern("cross").search(q.text):
        return None
    terms = subjects(q, ctx) if q.chinese else english_subject(q)
    if not terms:
        return None
    term = "、".join(terms)
    groups: dict[str, Group] = {}
    for i, p in enumerate(ctx.passages):
        if ctx.sentence_idx[i] and any(t in p.text for t in terms):
            g = groups.setdefault(p.ref, Group(p.ref))
            if len(g.lines) < MAX_PER_REF and p.text.strip() not in g.lines:
                g.lines.append(p.text.strip())
    if len(groups) < 2:
        return None  # one section only: the measures handler answers it
    order = {n.ref: i for i, n in enumerate(ctx.doc.walk())}
    ordered = sorted(groups.values(), key=lambda g: order.get(g.ref, 0))
    return Evidence("cross", ordered, facts={"term": term}, hits=q.hits)
