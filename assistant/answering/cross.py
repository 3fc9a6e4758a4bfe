"""Lists across sections ("哪些地方提到了氢能", "对包头有哪些安排"): every sentence of the plan that
names the subject, grouped by ref, with no cap on how many sections; the composer says how many."""

from __future__ import annotations

from ..retrieval.lexical import topic_tokens
from .evidence import Evidence, Group
from .places import MAX_PER_REF, Subject, core, places, subject_of
from .words import pattern, patterns


def phrases(q, ctx) -> list[Subject]:
    """The subject(s) a cross-section question names, as the plan's words: "托育和幼儿园相关的内容" ->
    托育, 幼儿园; the first reading of the question whose subjects the plan speaks of."""
    for rx in patterns("cross_subject"):
        m = rx.search(q.text)
        if not m:
            continue
        s = core(pattern("cross_subject_tail").sub("", m.group(1)), "yesno_frame")
        found = [subject_of(w, ctx) for w in pattern("subject_join").split(s) if len(w) >= 2]
        found = [f for f in found if places(ctx, f)]
        if found:
            return found
    return []


def rarest_word(q, ctx) -> str | None:
    """The rarest topic word the plan uses."""
    vocab, idf = ctx.retriever.bm25.vocab, ctx.retriever.bm25.idf
    words = [t for t in topic_tokens(q.scored.tokens) if t in vocab and t in ctx.doc_text]
    return max(words, key=lambda t: float(idf[vocab[t]])) if words else None


def english_subject(q) -> Subject:
    """The plan's terms for the English words of the question (hydrogen -> 氢能, 绿氢)."""
    from ..retrieval.lexical import english_terms

    terms = english_terms(q.text)
    return Subject("、".join(terms), [terms] if terms else [])


def plan(q, ctx) -> Evidence | None:
    if not pattern("cross").search(q.text) or ctx.vocabulary is None:
        return None
    if q.chinese:
        subjects = phrases(q, ctx) or [subject_of(w, ctx) for w in [rarest_word(q, ctx)] if w]
    else:
        subjects = [english_subject(q)]
    subjects = [s for s in subjects if s.alternatives and not s.unknown]
    groups: dict[str, Group] = {}
    for subject in subjects:
        for g in places(ctx, subject):
            merged = groups.setdefault(g.ref, Group(g.ref))
            merged.lines += [line for line in g.lines if line not in merged.lines][:MAX_PER_REF - len(merged.lines)]
    if len(groups) < 2:
        return None  # one section only: the measures handler answers it
    order = {n.ref: i for i, n in enumerate(ctx.doc.walk())}
    ordered = sorted(groups.values(), key=lambda g: order.get(g.ref, 0))
    terms = [t for s in subjects for t in s.terms]
    return Evidence("cross", ordered, facts={"term": "、".join(s.asked for s in subjects), "terms": terms}, hits=q.hits)
