"""Going on from the previous answer: "还有别的吗" continues its topic with the plan's sentences it
did not show yet; "里面还提到…X吗" / "这里面有没有说X" looks inside the paragraphs it quoted (and,
when X is not there, says where else the plan speaks of it).

    history: 稀土产业有哪些举措？ -> 七(一) …     "还有别的吗" -> more of the same question, not shown before
"""

from __future__ import annotations

from ..chat import last_user_question
from .evidence import Evidence, Group
from .items import _plain, said_refs, was_said
from .places import core, places, subject_of
from .tree import HEADING_SENTENCE
from .words import pattern

MAX_MORE = 5


def _unsaid(ctx, pool, said: str) -> list[int]:
    said = _plain(said)
    return [i for _, i in pool if not was_said(ctx.passages[i].text, said)
            and not HEADING_SENTENCE.match(ctx.passages[i].text.strip())]


def _groups(ctx, chosen: list[int]) -> list[Group]:
    order = {n.ref: k for k, n in enumerate(ctx.doc.walk())}
    groups: dict[str, Group] = {}
    for i in sorted(chosen, key=lambda i: (order.get(ctx.passages[i].ref, 0), i)):
        groups.setdefault(ctx.passages[i].ref, Group(ctx.passages[i].ref)).lines.append(ctx.passages[i].text.strip())
    return list(groups.values())


def more(q, ctx, said: str) -> Evidence:
    previous = q.about(last_user_question(q.history) or "")
    refs = [h.ref for h in previous.retriever.search(previous.search_text, k=8, scored=previous.scored)]
    chosen = _unsaid(ctx, ctx.sentence_pool(previous.scored, refs), said)[:MAX_MORE]
    return Evidence("more", _groups(ctx, chosen), facts={"topic": previous.text, "none": not chosen},
                    hits=previous.hits)


def inside(q, ctx, said: str) -> Evidence | None:
    within = said_refs(q.history, ctx.doc, ctx.retriever)
    within += [c.ref for r in within for c in ctx.doc.by_ref[r].children]
    if not within:
        return None
    asked = core(pattern("inside").sub("", q.text), "yesno_frame")
    if not asked:  # "里面还提到了什么": the rest of those paragraphs
        pool = [(0.0, i) for i, p in enumerate(ctx.passages) if ctx.sentence_idx[i] and p.ref in within]
        chosen = _unsaid(ctx, pool, said)[:MAX_MORE]
        return Evidence("more", _groups(ctx, chosen), facts={"topic": "", "none": not chosen}, hits=q.hits)
    subject = subject_of(asked, ctx)
    found = places(ctx, subject)
    here = [g for g in found if g.ref in within]
    facts = {"subject": asked, "terms": subject.terms, "otherwise": subject.said_otherwise, "inside": True}
    if here:
        return Evidence("yesno", here, facts=dict(facts, present=True), hits=q.hits)
    return Evidence("yesno", found, facts=dict(facts, present=False, elsewhere=bool(found)), hits=q.hits)


def plan(q, ctx) -> Evidence | None:
    if not q.history or ctx.vocabulary is None:
        return None
    said = "\n".join(str(t.get("content") or "") for t in q.history)
    if pattern("more").search(q.text):
        return more(q, ctx, said)
    if pattern("inside").search(q.text):
        return inside(q, ctx, said)
    return None
