"""Overviews of a part, section or 专栏, by number ("第七部分讲了哪些内容？", "专栏1讲的是什么") or by
topic ("今年交通方面重点是什么"): a part's lead paragraph, then each section title with its ref and
its key clauses (figures first); a section's sentences; a 专栏's rows with their targets."""

from __future__ import annotations

from ..retrieval.lexical import topic_tokens
from .evidence import Evidence, Group
from .tree import body_sentences, key_clauses, scope_name
from .words import pattern

MAX_SECTION_SENTENCES = 8


def topical_scope(q, ctx) -> str | None:
    """The best-ranked section or part whose title names a topic word of the question."""
    topic = [t for t in topic_tokens(q.scored.tokens) if len(t) >= 2]
    for hit in q.hits[:3]:
        node = ctx.doc.by_ref.get(hit.ref)
        if node is not None and node.kind in ("part", "section", "column") and any(
                t in node.title or (len(t) >= 4 and t[-2:] in node.title) for t in topic):
            return node.ref
    return None


def outline_of(ctx, node) -> Evidence:
    facts = {"scope_name": scope_name(node), "title": node.title, "ref": node.ref}
    if node.kind == "section" or not node.children:
        lines = body_sentences(ctx, node.ref)[:MAX_SECTION_SENTENCES] or [node.text]
        return Evidence("overview", [Group(node.ref, lines)], facts=facts)
    groups = []
    if node.text.strip():  # a part's lead paragraph
        groups.append(Group(node.ref, [s for s in ctx.sentences_of(node.ref)][:2] or [node.text.strip()]))
    for child in node.children:
        groups.append(Group(child.ref, key_clauses(ctx, child), heading=child.title, quotes=[child.title]))
    facts["n_children"] = len(node.children)
    return Evidence("overview", groups, facts=facts)


def plan(q, ctx) -> Evidence | None:
    """Words that ask for an overview ("讲了什么", "主要内容") may name the node any way; words that
    also ask for measures ("有哪些重点工作", "这块怎么安排") only by number, title or 那部分/这块."""
    strong, weak = pattern("overview").search(q.text), pattern("overview_weak").search(q.text)
    if not (strong or weak) or (q.kind == "number" and not q.named):
        return None
    if strong:
        ref = q.scope or (topical_scope(q, ctx) if q.hits else None)
    else:
        ref = q.named[0] if q.named else q.part_named
    node = ctx.doc.by_ref.get(ref) if ref else None
    if node is None or node.kind not in ("part", "section", "column", "opening"):
        return None
    tables = [c for c in node.children if c.kind == "column"]
    if tables and pattern("column_words").search(q.text):  # "…那张目标表里有哪些内容": the part's 专栏
        node = tables[0]
    return outline_of(ctx, node)
