"""Measure questions ("稀土产业有哪些举措？"): sentences of the best-ranked section, then any clearly
stronger sentence of the next ones. Also the fallback for any question no other handler takes."""

from __future__ import annotations

from ..documents.refs import HEADER_REF
from .evidence import Evidence
from .figure import POOL_REFS, groups_of
from .tree import HEADING_SENTENCE

MAX_BULLETS = 6
MIN_OWN_BULLETS = 5  # a "what measures" answer lists at least this many sentences of the best section
OTHER_REF_MARGIN = 0.03  # a sentence of a lower-ranked ref joins the list when nearly as relevant


def list_statements(ctx, pool, refs: list[str], topic: list[str]) -> list[tuple[str, int]]:
    """Measures from the best-ranked ref, then any clearly stronger sentence of the others.
    A section's heading sentence ("（一）加强文化遗产保护传承。") is not a measure."""
    passages = ctx.passages
    pool = [(s, i) for s, i in pool if not HEADING_SENTENCE.match(passages[i].text.strip())]
    if not pool:
        return []
    top_ref = refs[0]
    own = [(s, i) for s, i in pool if passages[i].ref == top_ref]
    best_own = own[0][0] if own else pool[0][0]
    on_topic = [(s, i) for rank, (s, i) in enumerate(own) if rank < MIN_OWN_BULLETS or s >= best_own - 0.06
                or (topic and any(t in passages[i].text for t in topic))]
    chosen = on_topic[:5]
    # a sentence of another ref joins when nearly as relevant, or when it names every topic word the
    # plan uses ("哪几个国家级零碳园区要建": the 专栏 row that lists them)
    known = [t for t in topic if t in ctx.retriever.bm25.vocab]
    chosen += [(s, i) for s, i in pool if passages[i].ref != top_ref and (
        s >= best_own - OTHER_REF_MARGIN or (len(known) >= 2 and all(t in passages[i].text for t in known)))][:2]
    chosen.sort(key=lambda si: (refs.index(passages[si[1]].ref), si[1]))
    return [(passages[i].text.strip(), i) for _, i in chosen][:MAX_BULLETS]


def plan(q, ctx) -> Evidence | None:
    refs = [h.ref for h in q.hits[:POOL_REFS] if h.ref != HEADER_REF]  # the notice's lines are no measures
    if not refs:
        return None
    pool = ctx.sentence_pool(q.scored, refs)
    statements = list_statements(ctx, pool, refs, ctx.topic(q.scored))
    return Evidence("measures", groups_of(ctx, statements), hits=q.hits) if statements else None
